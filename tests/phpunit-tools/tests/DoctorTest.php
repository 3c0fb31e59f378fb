<?php
/**
 * The doctor's request (through a recording transport) and the Site Health test built on it.
 *
 * @package KcoValidation\Plugin\Tests\Tools
 */

namespace KcoValidation\Plugin\Tests\Tools;

use KcoValidation\Plugin\Tools\Doctor;
use KcoValidation\Plugin\Tools\ProbeSignature;
use KcoValidation\Plugin\Tools\SiteHealth;
use KcoValidation\Plugin\Tools\ToolsBootstrap;

class DoctorTest extends ToolsTestCase {

	/** A transport answering with a fixture's observed response (WP_Http's array shape), recording the request. */
	private static function transport( string $fixture, ?array &$seen = null ): callable {
		$case = json_decode( self::tools_fixture( 'responses/' . $fixture . '.json' ), true );
		return static function ( string $url, array $args ) use ( $case, &$seen ) {
			$seen = array( $url, $args );
			$o    = $case['observed'];
			if ( null !== $o['error'] ) {
				return new \WP_Error( 'http_request_failed', $o['error'] );
			}
			return array(
				'headers'  => $o['headers'],
				'body'     => $o['body'],
				'response' => array( 'code' => $o['status'], 'message' => '' ),
			);
		};
	}

	public function test_probe_request_is_a_signed_post_to_the_public_validation_url(): void {
		$seen = null;
		$d    = ( new Doctor( self::transport( 'healthy-200', $seen ) ) )->run();
		[ $url, $args ] = $seen;
		$this->assertSame( 'https://shop.example/wc-api/KCO_WC_Validation/?kco-action=validation', $url );
		$this->assertSame( 'POST', $args['method'] );
		$this->assertSame( 0, $args['redirection'], 'redirects are reported, not followed' );
		$this->assertLessThanOrEqual( 10, $args['timeout'] );
		$this->assertTrue( $args['sslverify'] );
		$server = array();
		foreach ( $args['headers'] as $name => $value ) {
			$server[ ProbeSignature::server_key( $name ) ] = $value;
		}
		$this->assertTrue( ProbeSignature::verify( $server ), 'the receiving end accepts the signature' );
		$this->assertSame( 'reachable', $d->state );
		$this->assertSame( '0.1.0', $d->extension );
	}

	public function test_transport_errors_and_exceptions_are_unreachable(): void {
		$this->assertSame( 'unreachable', ( new Doctor( self::transport( 'timeout' ) ) )->run()->state );
		$thrower = static function () {
			throw new \RuntimeException( 'resolver exploded' );
		};
		$d = ( new Doctor( $thrower ) )->run();
		$this->assertSame( 'unreachable', $d->state );
		$this->assertStringContainsString( 'resolver exploded', $d->summary );
	}

	public function test_active_plugins_reach_the_classifier(): void {
		update_option( 'active_plugins', array( 'all-in-one-wp-security-and-firewall/wp-security.php' ) );
		$d = ( new Doctor( self::transport( 'plain-403-no-plugin' ) ) )->run();
		$this->assertSame( 'aiowps', $d->blocker );
	}

	public function test_site_health_registers_an_async_test_with_a_direct_fallback(): void {
		ToolsBootstrap::register();
		$tests = apply_filters( 'site_status_tests', array( 'direct' => array(), 'async' => array() ) );
		$test  = $tests['async'][ SiteHealth::TEST ];
		$this->assertSame( SiteHealth::TEST, $test['test'] );
		$this->assertFalse( $test['has_rest'] );
		$this->assertIsCallable( $test['async_direct_test'] );
		$this->assertTrue( has_action( 'wp_ajax_health-check-' . preg_replace( '/_/', '-', $test['test'], 1 ) ), 'the action site-health.js posts to' );
	}

	public function test_site_health_results(): void {
		$good = ( new SiteHealth( fn () => new Doctor( self::transport( 'healthy-200' ) ) ) )->run();
		$this->assertSame( 'good', $good['status'] );
		$this->assertSame( SiteHealth::TEST, $good['test'] );

		$bad = ( new SiteHealth( fn () => new Doctor( self::transport( 'wordfence-503' ) ) ) )->run();
		$this->assertSame( 'critical', $bad['status'] );
		$this->assertSame( 'red', $bad['badge']['color'] );
		$this->assertStringContainsString( 'Wordfence', $bad['description'] );
		$this->assertStringContainsString( '/wc-api/KCO_WC_Validation/', $bad['description'] );

		$case                           = json_decode( self::tools_fixture( 'responses/healthy-200.json' ), true );
		$case['observed']['elapsed_ms'] = 3500;
		$slow                           = \KcoValidation\Plugin\Tools\SiteHealth::result( ( new \KcoValidation\Plugin\Tools\ProbeClassifier() )->classify( $case['observed'] ) );
		$this->assertSame( 'recommended', $slow['status'] );
	}

	public function test_site_health_ajax_checks_nonce_and_capability(): void {
		$health = new SiteHealth( fn () => new Doctor( self::transport( 'healthy-200' ) ) );
		$answer = static function () use ( $health ): \KcoTestAjaxExit {
			try {
				$health->ajax();
			} catch ( \KcoTestAjaxExit $e ) {
				return $e;
			}
			throw new \LogicException( 'the ajax handler must end the request' );
		};

		$_REQUEST['_wpnonce'] = 'forged';
		$this->assertSame( '-1', $answer()->data );

		$_REQUEST['_wpnonce'] = wp_create_nonce( 'health-check-site-status' );
		$this->assertFalse( $answer()->data['success'], 'no capability, no probe' );

		$GLOBALS['kco_test_caps'] = array( 'view_site_health_checks' );
		$ok                       = $answer()->data;
		$this->assertTrue( $ok['success'] );
		$this->assertSame( 'good', $ok['data']['status'] );
	}
}
