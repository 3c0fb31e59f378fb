<?php
/**
 * The classifier on recorded response shapes of each blocker (fixtures/responses/*.json).
 *
 * @package KcoValidation\Plugin\Tests\Tools
 */

namespace KcoValidation\Plugin\Tests\Tools;

use KcoValidation\Plugin\Tools\Diagnosis;
use KcoValidation\Plugin\Tools\ProbeClassifier;

class ProbeClassifierTest extends ToolsTestCase {

	/** Every fixture file. */
	public function shapes(): array {
		$cases = array();
		foreach ( glob( dirname( __DIR__ ) . '/fixtures/responses/*.json' ) as $file ) {
			$cases[ basename( $file, '.json' ) ] = array( basename( $file, '.json' ) );
		}
		return $cases;
	}

	/** @dataProvider shapes */
	public function test_recorded_shape_is_named( string $name ): void {
		$case = json_decode( self::tools_fixture( 'responses/' . $name . '.json' ), true );
		$this->assertIsArray( $case, $name );
		$this->assertNotSame( '', trim( (string) $case['source'] ), 'every shape says where it comes from' );
		$d = ( new ProbeClassifier() )->classify( $case['observed'], $case['active_plugins'] );

		$this->assertSame( $case['expect']['state'], $d->state, $name . ': ' . $d->summary );
		$this->assertSame( $case['expect']['blocker'], $d->blocker, $name );
		if ( array_key_exists( 'redirect_kind', $case['expect'] ) ) {
			$this->assertSame( $case['expect']['redirect_kind'], $d->redirect_kind, $name );
		}
		$this->assertContains( $d->state, Diagnosis::STATES );
		$this->assertNotSame( '', $d->summary );
		$this->assertNotSame( '', $d->explanation );
		$this->assertSame( 'reachable' === $d->state, $d->ok() );
		if ( ! $d->ok() ) {
			$this->assertNotSame( '', $d->fix, $name . ': every problem comes with a fix' );
		}
		if ( 'blocked' === $d->state ) {
			$this->assertSame( 'unknown' !== $d->blocker, '' !== $d->evidence, $name . ': a named blocker says what named it, an unknown one has nothing to show' );
		}
	}

	public function test_every_state_and_blocker_is_covered_by_a_fixture(): void {
		$states   = array();
		$blockers = array();
		foreach ( $this->shapes() as $case ) {
			$data       = json_decode( self::tools_fixture( 'responses/' . $case[0] . '.json' ), true );
			$states[]   = $data['expect']['state'];
			$blockers[] = $data['expect']['blocker'];
		}
		$this->assertSame( array(), array_values( array_diff( Diagnosis::STATES, $states ) ) );
		$this->assertSame( array(), array_values( array_diff( array( 'cloudflare', 'sucuri', 'wordfence', 'ithemes', 'aiowps', 'unknown' ), $blockers ) ) );
	}

	public function test_blocked_fix_names_the_allow_rule_path(): void {
		foreach ( array( 'cloudflare-403-waf', 'sucuri-403', 'wordfence-503', 'ithemes-403', 'aiowps-403', 'plain-403-no-plugin' ) as $name ) {
			$case = json_decode( self::tools_fixture( 'responses/' . $name . '.json' ), true );
			$d    = ( new ProbeClassifier() )->classify( $case['observed'], $case['active_plugins'] );
			$this->assertStringContainsString( '/wc-api/KCO_WC_Validation/', $d->fix, $name );
		}
	}

	public function test_headers_beat_the_plugin_list(): void {
		$case = json_decode( self::tools_fixture( 'responses/cloudflare-403-waf.json' ), true );
		$d    = ( new ProbeClassifier() )->classify( $case['observed'], array( 'wordfence/wordfence.php' ) );
		$this->assertSame( 'cloudflare', $d->blocker );
		$this->assertStringStartsWith( 'header cf-ray', $d->evidence );
	}

	public function test_a_server_error_is_not_blamed_on_an_active_security_plugin(): void {
		$d = ( new ProbeClassifier() )->classify(
			array(
				'url'     => 'https://shop.example/wc-api/KCO_WC_Validation/',
				'status'  => 500,
				'headers' => array(),
				'body'    => 'Internal Server Error',
			),
			array( 'wordfence/wordfence.php' )
		);
		$this->assertSame( 'unreachable', $d->state );
		$this->assertNull( $d->blocker );
	}

	public function test_timing_against_klarnas_three_seconds(): void {
		$case = json_decode( self::tools_fixture( 'responses/healthy-200.json' ), true );
		$fast = ( new ProbeClassifier() )->classify( $case['observed'] );
		$this->assertFalse( $fast->slow() );
		$this->assertStringContainsString( '212 ms', $fast->summary );

		$case['observed']['elapsed_ms'] = 3400.0;
		$slow                           = ( new ProbeClassifier() )->classify( $case['observed'] );
		$this->assertSame( 'reachable', $slow->state );
		$this->assertTrue( $slow->slow() );
		$this->assertStringContainsString( 'longer than the 3 seconds', $slow->explanation );
	}

	public function test_timeout_explanation_says_how_long_it_waited(): void {
		$case = json_decode( self::tools_fixture( 'responses/timeout.json' ), true );
		$d    = ( new ProbeClassifier() )->classify( $case['observed'] );
		$this->assertStringContainsString( '6003 ms', $d->explanation );
		$this->assertStringContainsString( '3 seconds', $d->explanation );
	}

	public function test_network_failures_and_certificate_failures_get_their_own_fix(): void {
		$refused = json_decode( self::tools_fixture( 'responses/refused-fsockopen.json' ), true );
		$cert    = json_decode( self::tools_fixture( 'responses/certificate-invalid.json' ), true );
		$this->assertStringContainsString( 'could not be reached', ( new ProbeClassifier() )->classify( $refused['observed'] )->explanation );
		$this->assertStringContainsString( 'certificate', ( new ProbeClassifier() )->classify( $cert['observed'] )->explanation );
	}

	public function test_relative_location_is_made_absolute(): void {
		$this->assertSame( 'https://shop.example/wc-api/KCO_WC_Validation', ProbeClassifier::absolute( '/wc-api/KCO_WC_Validation', 'https://shop.example/wc-api/KCO_WC_Validation/?a=1' ) );
		$this->assertSame( 'http://127.0.0.1:8080/x', ProbeClassifier::absolute( '/x', 'http://127.0.0.1:8080/wc-api/' ) );
		$this->assertSame( 'https://other.example/', ProbeClassifier::absolute( '//other.example/', 'https://shop.example/' ) );
	}

	public function test_redirect_to_another_host_and_to_login(): void {
		$base = array(
			'url'     => 'https://shop.example/wc-api/KCO_WC_Validation/?kco-action=validation',
			'status'  => 302,
			'headers' => array( 'Location' => 'https://www.shop.example/wc-api/KCO_WC_Validation/?kco-action=validation' ),
			'body'    => '',
		);
		$this->assertSame( 'host', ( new ProbeClassifier() )->classify( $base )->redirect_kind );
		$base['headers']['Location'] = 'https://shop.example/wp-login.php?redirect_to=%2Fwc-api%2F';
		$this->assertSame( 'login', ( new ProbeClassifier() )->classify( $base )->redirect_kind );
	}
}
