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
		if ( array_key_exists( 'evidence', $case['expect'] ) ) {
			$this->assertStringContainsString( $case['expect']['evidence'], $d->evidence, $name . ': the evidence quotes the answer' );
		}
		if ( array_key_exists( 'answered_by', $case['expect'] ) ) {
			$this->assertSame( $case['expect']['answered_by'], $d->answered_by, $name );
		}
		if ( array_key_exists( 'hints', $case['expect'] ) ) {
			$this->assertSame( $case['expect']['hints'], $d->hints, $name );
		}
		if ( null !== $d->blocker && 'unknown' !== $d->blocker ) {
			$this->assertStringContainsString( \KcoValidation\Plugin\Tools\BlockerSignatures::name( $d->blocker ), $d->summary, $name . ': the summary names what the answer showed' );
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
		$answered = array();
		foreach ( $this->shapes() as $case ) {
			$data       = json_decode( self::tools_fixture( 'responses/' . $case[0] . '.json' ), true );
			$states[]   = $data['expect']['state'];
			$blockers[] = $data['expect']['blocker'];
			$answered[] = $data['expect']['answered_by'] ?? null;
		}
		$this->assertSame( array(), array_values( array_diff( Diagnosis::STATES, $states ) ) );
		$this->assertSame( array(), array_values( array_diff( array_merge( array_keys( \KcoValidation\Plugin\Tools\BlockerSignatures::PRODUCTS ), array( 'unknown' ) ), array_merge( $blockers, $answered ) ) ), 'every signature has an answer of its product' );
	}

	public function test_blocked_fix_names_the_allow_rule_path(): void {
		foreach ( array( 'cloudflare-403-waf', 'sucuri-403', 'wordfence-503', 'wordfence-403-waf', 'ithemes-page-403', 'aiowps-page-403', 'modsecurity-406-hosting', 'plain-403-no-plugin', 'nginx-503-wordfence-active', 'apache-403' ) as $name ) {
			$case = json_decode( self::tools_fixture( 'responses/' . $name . '.json' ), true );
			$d    = ( new ProbeClassifier() )->classify( $case['observed'], $case['active_plugins'] );
			$this->assertStringContainsString( '/wc-api/KCO_WC_Validation/', $d->fix, $name );
		}
	}

	public function test_the_answer_beats_the_plugin_list(): void {
		$case = json_decode( self::tools_fixture( 'responses/cloudflare-403-waf.json' ), true );
		$d    = ( new ProbeClassifier() )->classify( $case['observed'], array( 'wordfence/wordfence.php' ) );
		$this->assertSame( 'cloudflare', $d->blocker );
		$this->assertStringContainsString( 'Attention Required! | Cloudflare', $d->evidence );
		$this->assertSame( array( 'Wordfence is active; the answer does not look like its block page.' ), $d->hints );
	}

	public function test_an_active_security_plugin_alone_names_no_blocker(): void {
		// The issue's case: nginx answers 503 for the URL, Wordfence is merely active (learning mode).
		$case = json_decode( self::tools_fixture( 'responses/nginx-503-wordfence-active.json' ), true );
		$d    = ( new ProbeClassifier() )->classify( $case['observed'], $case['active_plugins'] );
		$this->assertSame( 'nginx', $d->blocker );
		$this->assertStringNotContainsString( 'Wordfence', $d->summary );
		$this->assertStringNotContainsString( 'Wordfence', $d->fix );
		$this->assertSame( 'Blocked: 503 from the web server (nginx\'s own error page).', $d->summary );

		// A bare 403 with no page at all: unknown, never the active plugin.
		$d = ( new ProbeClassifier() )->classify(
			array(
				'url'     => 'https://shop.example/wc-api/KCO_WC_Validation/',
				'status'  => 403,
				'headers' => array(),
				'body'    => '',
			),
			array( 'wordfence/wordfence.php', 'better-wp-security/better-wp-security.php' )
		);
		$this->assertSame( 'unknown', $d->blocker );
		$this->assertSame( '', $d->evidence );
		$this->assertCount( 2, $d->hints );
	}

	public function test_wordfence_is_recognised_from_the_end_of_its_17_kb_page(): void {
		$case = json_decode( self::tools_fixture( 'responses/wordfence-403-waf.json' ), true );
		$this->assertSame( 17004, strlen( $case['observed']['body'] ), 'the whole recorded page' );
		$this->assertFalse( stripos( substr( $case['observed']['body'], 0, 4096 ), 'wordfence' ), 'nothing in the first 4 KB names Wordfence' );
		$d = ( new ProbeClassifier() )->classify( $case['observed'], array() );
		$this->assertSame( 'wordfence', $d->blocker );
		$this->assertStringContainsString( 'at byte 16798 of 17004', $d->evidence );
		$this->assertStringContainsString( 'its reason: "A potentially unsafe operation has been detected in your request to this site"', $d->evidence );
	}

	public function test_a_cdn_header_alone_is_only_a_hint(): void {
		$d = ( new ProbeClassifier() )->classify(
			array(
				'url'     => 'https://shop.example/wc-api/KCO_WC_Validation/',
				'status'  => 503,
				'headers' => array( 'cf-ray' => '8e1a2b3c4d5e6f70-ARN', 'server' => 'cloudflare' ),
				'body'    => "<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n",
			)
		);
		$this->assertSame( 'nginx', $d->blocker );
		$this->assertSame( array( 'The answer came through Cloudflare (header cf-ray: 8e1a2b3c4d5e6f70-ARN), but it is not Cloudflare\'s own block page.' ), $d->hints );
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
		$this->assertSame( 'server_error', $d->state );
		$this->assertNull( $d->blocker );
		$this->assertNull( $d->answered_by );
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
