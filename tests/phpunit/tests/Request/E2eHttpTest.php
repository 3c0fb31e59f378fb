<?php
/**
 * End to end over HTTP: PHP's built-in web server with the built extension loaded serves the plugin; Klarna's
 * bodies are POSTed as Klarna would; the answer, the log line, the notices on the page the shopper lands on and
 * an empty PHP error log (E_ALL) are checked.
 *
 * @package KcoValidation\Plugin\Tests
 */

namespace KcoValidation\Plugin\Tests;

use KcoValidation\Plugin\Integration\UrlToken;

class E2eHttpTest extends TestCase {

	/** @var resource|null */
	private static $server = null;
	/** @var string */
	private static $base = '';
	/** @var string */
	private static $dir = '';

	public static function setUpBeforeClass(): void {
		$ext = (string) getenv( 'KCO_EXT' );
		if ( '' === $ext || ! is_file( $ext ) ) {
			throw new \RuntimeException( 'KCO_EXT must name the built extension (scripts/test-plugin.sh sets it)' );
		}
		self::$dir = sys_get_temp_dir() . '/kco-e2e-' . getmypid();
		@mkdir( self::$dir );
		$probe = stream_socket_server( 'tcp://127.0.0.1:0' );
		$port  = (int) substr( (string) stream_socket_get_name( $probe, false ), strrpos( (string) stream_socket_get_name( $probe, false ), ':' ) + 1 );
		fclose( $probe );
		$env = array(
			'KCO_DB_SOCKET'   => getenv( 'KCO_DB_SOCKET' ),
			'KCO_DB_NAME'     => getenv( 'KCO_DB_NAME' ),
			'KCO_DB_USER'     => getenv( 'KCO_DB_USER' ),
			'KCO_DB_PASSWORD' => getenv( 'KCO_DB_PASSWORD' ),
			'KCO_FIXTURES'    => KCO_TEST_FIXTURES,
			'KCO_E2E_LOG'     => self::$dir . '/wc.log',
			'PATH'            => getenv( 'PATH' ),
		);
		$cmd = array(
			PHP_BINARY,
			'-d', 'extension=' . $ext,
			'-d', 'error_reporting=-1', '-d', 'display_errors=0', '-d', 'log_errors=1', '-d', 'error_log=' . self::$dir . '/php-errors.log',
			'-S', '127.0.0.1:' . $port, dirname( __DIR__, 2 ) . '/support/e2e-router.php',
		);
		self::$server = proc_open( $cmd, array( 0 => array( 'file', '/dev/null', 'r' ), 1 => array( 'file', self::$dir . '/server.out', 'a' ), 2 => array( 'file', self::$dir . '/server.out', 'a' ) ), $pipes, null, $env );
		self::$base   = 'http://127.0.0.1:' . $port;
		for ( $i = 0; $i < 100; $i++ ) {
			$conn = @stream_socket_client( 'tcp://127.0.0.1:' . $port, $errno, $errstr, 0.1 );
			if ( false !== $conn ) {
				fclose( $conn );
				return;
			}
			usleep( 50000 );
		}
		throw new \RuntimeException( 'the web server did not start: ' . @file_get_contents( self::$dir . '/server.out' ) );
	}

	public static function tearDownAfterClass(): void {
		if ( is_resource( self::$server ) ) {
			proc_terminate( self::$server );
			proc_close( self::$server );
		}
		foreach ( (array) glob( self::$dir . '/*' ) as $file ) {
			unlink( $file );
		}
		@rmdir( self::$dir );
	}

	protected function setUp(): void {
		parent::setUp();
		@unlink( self::$dir . '/wc.log' );
	}

	protected function tearDown(): void {
		$errors = is_file( self::$dir . '/php-errors.log' ) ? (string) file_get_contents( self::$dir . '/php-errors.log' ) : '';
		$this->assertSame( '', $errors, 'the PHP error log (E_ALL) stays empty' );
		parent::tearDown();
	}

	/** @return array{status: int, headers: array<string, string>, body: string, ms: float} */
	private static function http( string $method, string $path, string $body = '', string $content_type = 'application/json' ): array {
		$context = stream_context_create(
			array(
				'http' => array(
					'method'          => $method,
					'header'          => "Content-Type: {$content_type}\r\nUser-Agent: Klarna-Checkout-Callback\r\n",
					'content'         => $body,
					'ignore_errors'   => true,
					'follow_location' => 0,
					'timeout'         => 10,
				),
			)
		);
		$start = hrtime( true );
		$out   = file_get_contents( self::$base . $path, false, $context );
		$ms    = ( hrtime( true ) - $start ) / 1e6;
		$lines = function_exists( 'http_get_last_response_headers' ) ? http_get_last_response_headers() : $http_response_header; // phpcs:ignore
		preg_match( '#^HTTP/\S+ (\d{3})#', $lines[0], $m );
		$headers = array();
		foreach ( array_slice( $lines, 1 ) as $line ) {
			list( $name, $value ) = array_map( 'trim', explode( ':', $line, 2 ) + array( 1 => '' ) );
			$headers[ strtolower( $name ) ] = $value;
		}
		return array( 'status' => (int) $m[1], 'headers' => $headers, 'body' => (string) $out, 'ms' => $ms );
	}

	/** The token argument of the guest session, as the plugin's validation URLs carry it. */
	private static function token(): string {
		return '&' . UrlToken::QUERY_ARG . '=' . UrlToken::create( self::GUEST );
	}

	private static function log_lines(): array {
		$file = self::$dir . '/wc.log';
		return is_file( $file ) ? array_map( static fn ( $l ) => json_decode( $l, true ), array_filter( explode( "\n", (string) file_get_contents( $file ) ) ) ) : array();
	}

	private function fixture_01_shop(): string {
		$cup   = Shop::product( array( 'sku' => 'KOPP-STG-01', 'manage_stock' => true, 'stock' => 10 ) );
		$linen = Shop::product( array( 'sku' => 'LINNE-150x250' ) );
		$json  = self::fixture( '01-se-sek-basic.json' );
		Shop::session( self::GUEST, self::cart_for( $json, array( 'KOPP-STG-01' => $cup, 'LINNE-150x250' => $linen ) ) );
		return $json;
	}

	public function test_approved_callback_is_200_with_an_empty_body_well_inside_klarnas_budget(): void {
		$json = $this->fixture_01_shop();
		$r    = self::http( 'POST', '/wc-api/KCO_WC_Validation/?kco-action=validation&kco_wc_order_id=107afe44-4e7a-566e-96f9-96f73a1ebfc3&kco_session_id=' . self::GUEST . self::token(), $json );
		$this->assertSame( 200, $r['status'] );
		$this->assertSame( '', $r['body'], 'not WC_API\'s -1' );
		$this->assertArrayNotHasKey( 'location', $r['headers'] );
		$this->assertLessThan( 3000, $r['ms'] );
		$lines = self::log_lines();
		$this->assertCount( 1, $lines );
		$this->assertSame( 'kco-validation', $lines[0]['context']['source'] );
		$this->assertMatchesRegularExpression( '/^decision order_id=107afe44-4e7a-566e-96f9-96f73a1ebfc3 outcome=approved codes=- status=200 time_ms=[0-9.]+ wait_ms=[0-9.]+ email=s\*\*\*@example\.se$/', $lines[0]['message'] );
	}

	public function test_query_form_of_the_url_and_a_token_work_too(): void {
		$json = $this->fixture_01_shop();
		$r    = self::http( 'POST', '/?wc-api=KCO_WC_Validation&kco_session_id=' . self::GUEST . '&' . UrlToken::QUERY_ARG . '=' . UrlToken::create( self::GUEST ), $json );
		$this->assertSame( 200, $r['status'] );
	}

	public function test_denied_callback_redirects_and_the_shopper_sees_every_reason_on_that_page(): void {
		$mug  = Shop::product( array( 'sku' => 'MUG', 'name' => 'Blue mug', 'manage_stock' => true, 'stock' => 1 ) );
		$json = self::klarna_order( array( array( 'MUG', 2, 10000 ) ), array( 'shipping' => null ) );
		Shop::session( self::GUEST, self::cart_for( $json, array( 'MUG' => $mug ) ) );
		$r = self::http( 'POST', '/wc-api/KCO_WC_Validation/?kco_session_id=' . self::GUEST . self::token(), $json );
		$this->assertSame( 303, $r['status'] );
		$this->assertSame( '', $r['body'] );
		$location = $r['headers']['location'];
		$this->assertStringStartsWith( 'https://shop.example/cart/?stock_validate_failed&kco_validation=', $location );
		$this->assertContains( 'insufficient_stock', explode( ',', self::location_query( $location )['kco_validation'] ) );
		$this->assertStringContainsString( 'codes=insufficient_stock', self::log_lines()[0]['message'] );

		$page = self::http( 'GET', (string) preg_replace( '#^https://shop\.example#', '', $location ) );
		$this->assertSame( 200, $page['status'] );
		$this->assertStringContainsString( 'Not enough “Blue mug” in stock: 1 available, 2 in your order.', $page['body'], 'the reason with its product and quantities' );
		$this->assertStringContainsString( 'No shipping method was selected.', $page['body'] );
	}

	public function test_get_garbage_and_bad_token_get_400_json(): void {
		$json = $this->fixture_01_shop();
		foreach (
			array(
				array( 'GET', '/wc-api/KCO_WC_Validation/?kco_session_id=' . self::GUEST, '' ),
				array( 'POST', '/wc-api/KCO_WC_Validation/?kco_session_id=' . self::GUEST . self::token(), 'garbage' ),
				array( 'POST', '/wc-api/KCO_WC_Validation/?kco_session_id=' . self::GUEST . '&kco_validation_token=' . str_repeat( '0', 64 ), $json ),
			) as $case
		) {
			$r = self::http( $case[0], $case[1], $case[2] );
			$this->assertSame( 400, $r['status'], $case[0] . ' ' . $case[1] );
			$this->assertSame( 'invalid_request', json_decode( $r['body'], true )['error_type'] );
			$this->assertStringStartsWith( 'application/json', $r['headers']['content-type'] );
		}
		$this->assertCount( 3, self::log_lines() );
	}

	public function test_every_fixture_gets_an_answer_and_never_a_500(): void {
		foreach ( glob( KCO_TEST_FIXTURES . '*.json' ) as $file ) {
			$r = self::http( 'POST', '/wc-api/KCO_WC_Validation/?kco_session_id=' . self::GUEST . self::token(), (string) file_get_contents( $file ) );
			$this->assertSame( 303, $r['status'], basename( $file ) );
			$this->assertStringContainsString( 'session_missing', $r['headers']['location'] );
		}
	}

	public function test_the_error_log_check_catches_a_warning(): void {
		self::http( 'GET', '/e2e-warning/' );
		$log = self::$dir . '/php-errors.log';
		$this->assertStringContainsString( 'Undefined variable $kco_undefined_on_purpose', (string) file_get_contents( $log ) );
		unlink( $log );
	}

	public function test_another_wc_api_endpoint_is_not_ours(): void {
		$r = self::http( 'POST', '/wc-api/KCO_WC_Push/', '{}' );
		$this->assertSame( 400, $r['status'] );
		$this->assertSame( '-1', $r['body'] );
	}
}
