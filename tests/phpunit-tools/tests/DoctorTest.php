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
		// The URL Klarna is given (KcoIntegration::validation_url()), for a throw-away session, with its token.
		$this->assertMatchesRegularExpression( '~^https://shop\.example/wc-api/KCO_WC_Validation/\?kco-action=validation&kco_wc_order_id=kco-doctor-[0-9a-f]{16}&kco_session_id=kco-doctor-[0-9a-f]{16}&kco_validation_token=[0-9a-f]{64}$~', $url );
		parse_str( (string) parse_url( $url, PHP_URL_QUERY ), $query );
		$this->assertTrue( \KcoValidation\Plugin\Integration\UrlToken::verify( $query['kco_session_id'], $query['kco_validation_token'] ), 'the endpoint would accept the URL' );
		$this->assertSame( 'POST', $args['method'] );
		$this->assertSame( 0, $args['redirection'], 'redirects are reported, not followed' );
		$this->assertSame( 10, $args['timeout'], 'as long as Klarna waits at most' );
		$this->assertTrue( $args['sslverify'] );
		$this->assertGreaterThanOrEqual( 65536, $args['limit_response_size'], 'whole block pages are read (Wordfence\'s is 17 KB)' );
		$this->assertSame( Doctor::USER_AGENT, $args['user-agent'] );
		$this->assertStringStartsWith( 'Klarna', $args['user-agent'] );
		$this->assertSame( 'application/json', $args['headers']['Content-Type'] );
		// The body is a Klarna order, as Klarna posts it: the extension reads it, and it names the URL it was sent to.
		$order = \KcoValidation\Order::parse( $args['body'] );
		$this->assertSame( $query['kco_wc_order_id'], $order->id() );
		$this->assertSame( $url, json_decode( $args['body'], true )['merchant_urls']['validation'] );
		$this->assertSame( $query['kco_session_id'], \KcoValidation\Plugin\Tools\Replay::session_from_body( $args['body'] ) );
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

	public function test_active_plugins_reach_the_classifier_as_a_hint(): void {
		update_option( 'active_plugins', array( 'all-in-one-wp-security-and-firewall/wp-security.php' ) );
		$d = ( new Doctor( self::transport( 'plain-403-no-plugin' ) ) )->run();
		$this->assertSame( 'nginx', $d->blocker, 'the answer is nginx\'s own page' );
		$this->assertSame( array( 'All In One WP Security is active; the answer does not look like its block page.' ), $d->hints );
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

		$this->assertSame( 'Klarna can reach the validation callback', $good['label'] );

		$bad = ( new SiteHealth( fn () => new Doctor( self::transport( 'wordfence-503' ) ) ) )->run();
		$this->assertSame( 'critical', $bad['status'] );
		$this->assertSame( 'red', $bad['badge']['color'] );
		$this->assertSame( 'Klarna cannot reach the validation callback', $bad['label'] );
		$this->assertStringContainsString( 'Wordfence', $bad['description'] );
		$this->assertStringContainsString( 'Generated by Wordfence', $bad['description'], 'the evidence is shown' );
		$this->assertStringContainsString( '/wc-api/KCO_WC_Validation/', $bad['description'] );

		$case                           = json_decode( self::tools_fixture( 'responses/healthy-200.json' ), true );
		$case['observed']['elapsed_ms'] = 3500;
		$slow                           = \KcoValidation\Plugin\Tools\SiteHealth::result( ( new \KcoValidation\Plugin\Tools\ProbeClassifier() )->classify( $case['observed'] ) );
		$this->assertSame( 'recommended', $slow['status'] );
		$this->assertStringContainsString( 'slowly', $slow['label'] );

		// Plain http: reachable, so a warning whose heading says so, never the red "cannot reach".
		$http = \KcoValidation\Plugin\Tools\SiteHealth::result( ( new \KcoValidation\Plugin\Tools\ProbeClassifier() )->classify( json_decode( self::tools_fixture( 'responses/not-https-200.json' ), true )['observed'] ) );
		$this->assertSame( 'recommended', $http['status'] );
		$this->assertSame( 'orange', $http['badge']['color'] );
		$this->assertSame( 'The validation callback is reachable, but over plain http', $http['label'] );
		$this->assertStringNotContainsString( 'cannot', $http['label'] );

		$missing = \KcoValidation\Plugin\Tools\SiteHealth::result( ( new \KcoValidation\Plugin\Tools\ProbeClassifier() )->classify( json_decode( self::tools_fixture( 'responses/extension-missing.json' ), true )['observed'] ) );
		$this->assertSame( 'recommended', $missing['status'] );
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
