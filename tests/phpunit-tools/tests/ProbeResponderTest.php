<?php
/**
 * The probe signature and its answer on the endpoint's hook, ahead of the endpoint.
 *
 * @package KcoValidation\Plugin\Tests\Tools
 */

namespace KcoValidation\Plugin\Tests\Tools;

use KcoValidation\Plugin\Request\Endpoint;
use KcoValidation\Plugin\Plugin;
use KcoValidation\Plugin\Tests\CapturingResponse;
use KcoValidation\Plugin\Tests\Terminated;
use KcoValidation\Plugin\Tools\ProbeResponder;
use KcoValidation\Plugin\Tools\ProbeSignature;
use KcoValidation\Plugin\Tools\ToolsBootstrap;

class ProbeResponderTest extends ToolsTestCase {

	/** $_SERVER entries of a probe. */
	private static function probe_server( array $headers ): array {
		$server = array();
		foreach ( $headers as $name => $value ) {
			$server[ ProbeSignature::server_key( $name ) ] = $value;
		}
		return $server;
	}

	public function test_signature_verifies_within_the_window_only(): void {
		$now = 1795000000;
		$ok  = self::probe_server( ProbeSignature::headers( $now ) );
		$this->assertTrue( ProbeSignature::verify( $ok, $now ) );
		$this->assertTrue( ProbeSignature::verify( $ok, $now + ProbeSignature::WINDOW ) );
		$this->assertFalse( ProbeSignature::verify( $ok, $now + ProbeSignature::WINDOW + 1 ), 'a replayed probe expires' );
		$this->assertFalse( ProbeSignature::verify( $ok, $now - ProbeSignature::WINDOW - 1 ) );

		$tampered = $ok;
		$tampered[ ProbeSignature::server_key( ProbeSignature::HEADER_TIMESTAMP ) ] = (string) ( $now + 1 );
		$this->assertFalse( ProbeSignature::verify( $tampered, $now ), 'the timestamp is signed' );

		$other = $ok;
		$other[ ProbeSignature::server_key( ProbeSignature::HEADER_NONCE ) ] = str_repeat( 'a', 24 );
		$this->assertFalse( ProbeSignature::verify( $other, $now ), 'the nonce is signed' );

		add_filter( 'salt', static fn () => 'another-site-salt' );
		$this->assertFalse( ProbeSignature::verify( $ok, $now ), 'keyed with this site\'s salt' );
	}

	public function test_missing_or_malformed_headers_do_not_verify(): void {
		$this->assertFalse( ProbeSignature::verify( array(), 1795000000 ) );
		$ok = self::probe_server( ProbeSignature::headers( 1795000000 ) );
		foreach ( array( ProbeSignature::HEADER_SIGNATURE, ProbeSignature::HEADER_TIMESTAMP, ProbeSignature::HEADER_NONCE ) as $header ) {
			$without = $ok;
			unset( $without[ ProbeSignature::server_key( $header ) ] );
			$this->assertFalse( ProbeSignature::verify( $without, 1795000000 ), $header );
		}
		$ok[ ProbeSignature::server_key( ProbeSignature::HEADER_SIGNATURE ) ] = array( 'x' );
		$this->assertFalse( ProbeSignature::verify( $ok, 1795000000 ) );
	}

	public function test_registered_one_priority_ahead_of_the_endpoint_on_probe_requests_only(): void {
		$_SERVER = array_merge( $_SERVER, self::probe_server( ProbeSignature::headers() ) );
		try {
			ToolsBootstrap::register();
		} finally {
			unset( $_SERVER[ ProbeSignature::server_key( ProbeSignature::HEADER_SIGNATURE ) ], $_SERVER[ ProbeSignature::server_key( ProbeSignature::HEADER_TIMESTAMP ) ], $_SERVER[ ProbeSignature::server_key( ProbeSignature::HEADER_NONCE ) ] );
		}
		$this->assertSame( Endpoint::PRIORITY - 1, has_action( Endpoint::ACTION, array( ProbeResponder::class, 'handle_request' ) ) );
		$this->assertFalse( ToolsBootstrap::register(), 'registered once' );
	}

	public function test_klarnas_callbacks_see_the_same_wc_api_dispatch_as_without_the_tools(): void {
		// Nothing else hooked (extension missing, no KCO handler): WC_API answers 400 because has_action() is false.
		ToolsBootstrap::register();
		$this->assertFalse( has_action( Endpoint::ACTION ) );
	}

	/**
	 * Dispatches like WC_API with the plugin booted and the tools registered; returns the captured answer.
	 */
	private function dispatch( array $server, string $body = '{}' ): CapturingResponse {
		$response                     = new CapturingResponse();
		$response->throw_on_terminate = true;
		add_filter( 'kco_validation_response_sender', static fn () => $response );
		$_SERVER = array_merge( $_SERVER, $server, array( 'REQUEST_METHOD' => 'POST', 'CONTENT_LENGTH' => (string) strlen( $body ) ) );
		( new Plugin() )->boot();
		ToolsBootstrap::register();
		$file = tempnam( sys_get_temp_dir(), 'kco-probe' );
		file_put_contents( $file, $body );
		$_GET    = array( 'kco-action' => 'validation' );
		try {
			do_action( Endpoint::ACTION );
		} catch ( Terminated $e ) {
			// exit.
		} finally {
			unlink( $file );
			foreach ( array_keys( $server ) as $key ) {
				unset( $_SERVER[ $key ] );
			}
		}
		return $response;
	}

	public function test_signed_probe_gets_the_distinct_answer_without_touching_anything(): void {
		self::reset_queries();
		$actions  = $GLOBALS['wp_actions'];
		$response = $this->dispatch( self::probe_server( ProbeSignature::headers() ) );

		$this->assertSame( 1, $response->terminated );
		$this->assertSame( 200, $response->status );
		$this->assertSame( 'application/json', $response->header_value( 'Content-Type' ) );
		$this->assertSame( array( 'probe' => 'ok', 'extension' => \KcoValidation\version() ), $response->json() );
		$this->assertSame( array(), self::queries(), 'no query: no session, order, option or log row is read or written' );
		$this->assertSame( 0, did_action( 'kco_validation_decided' ) - ( $actions['kco_validation_decided'] ?? 0 ), 'the endpoint did not decide' );
		$this->assertSame( array(), self::decision_lines(), 'the endpoint did not log' );
	}

	public function test_unsigned_or_stale_probe_falls_through_to_the_endpoint(): void {
		$stale = self::probe_server( ProbeSignature::headers( time() - 3600 ) );
		$response = $this->dispatch( $stale, '{"probe":true}' );
		$this->assertSame( 400, $response->status, 'the endpoint answered' );
		$this->assertSame( 'invalid_request', $response->json()['error_type'] ?? null );
		$this->assertCount( 1, self::decision_lines() );
	}

	public function test_maybe_answer_refuses_without_a_signature(): void {
		$response = new CapturingResponse();
		$this->assertFalse( ( new ProbeResponder( new \KcoValidation\Plugin\Requirements(), $response ) )->maybe_answer( array() ) );
		$this->assertSame( 0, $response->terminated );
	}
}
