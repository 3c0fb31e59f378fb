<?php
/**
 * Base of the end-to-end tests: seeds the shop in MariaDB with the PHPUnit suite's helpers (Shop, klarna_order,
 * cart_for), then talks HTTP to nginx + php-fpm serving tests/e2e/web/index.php.
 *
 * Options: the PHPUnit doubles keep options in memory; the front controller reads the autoloaded rows of
 * wp_options (as wp_load_alloptions() does), so the test's options are written to wp_options before each request.
 *
 * @package KcoValidation\Plugin\Tests\E2E
 */

namespace KcoValidation\Plugin\Tests\E2E;

use KcoValidation\Plugin\Notices;
use KcoValidation\Plugin\Tests\TestCase;

abstract class E2eTestCase extends TestCase {

	/** Header names the server may send; anything else would be a header built from input. */
	const ALLOWED_HEADERS = array( 'server', 'date', 'content-type', 'content-length', 'connection', 'location', 'cache-control', 'expires', 'transfer-encoding', 'keep-alive', 'x-kco-queries', 'x-kco-server-ms' );

	/** The callback path Klarna is given by KCO 1.x. */
	const PATH = '/wc-api/KCO_WC_Validation/';

	/** @var int Log lines already seen. */
	private $log_seen = 0;

	protected function setUp(): void {
		parent::setUp();
		$base                        = self::base();
		$GLOBALS['kco_test_options'] = array_merge(
			$GLOBALS['kco_test_options'],
			array(
				'home'                        => $base,
				'siteurl'                     => $base,
				'kco_test_cart_permalink'     => $base . '/cart/',
				'kco_test_checkout_permalink' => $base . '/checkout/',
			)
		);
		$this->log_seen = count( self::all_log_lines() );
	}

	/**
	 * Checked after every test: the PHP error log stays empty (E_ALL, log_errors=1), the php-fpm master reports no
	 * dead worker or worker output, nginx logs no error.
	 */
	protected function assertPostConditions(): void {
		clearstatcache();
		$log = (string) getenv( 'E2E_PHP_ERROR_LOG' );
		$this->assertFileExists( $log );
		$this->assertSame( '', (string) file_get_contents( $log ), 'the PHP error log of php-fpm is empty' );
		$fpm = (string) @file_get_contents( (string) getenv( 'E2E_FPM_LOG' ) );
		$this->assertDoesNotMatchRegularExpression( '/exited on signal|exited with code|said into std|WARNING|ERROR/', $fpm, 'php-fpm log' );
		$nginx = (string) @file_get_contents( (string) getenv( 'E2E_NGINX_ERROR_LOG' ) );
		$this->assertDoesNotMatchRegularExpression( '/\[(error|crit|alert|emerg)\]/', $nginx, 'nginx error log' );
	}

	/** http://127.0.0.1:PORT */
	protected static function base(): string {
		return rtrim( (string) getenv( 'E2E_URL' ), '/' );
	}

	/** Writes the test's options as autoloaded wp_options rows (the server's view of the shop's settings). */
	protected static function sync_options(): void {
		global $wpdb;
		$wpdb->query( "DELETE FROM {$wpdb->options}" );
		foreach ( $GLOBALS['kco_test_options'] as $name => $value ) {
			$wpdb->insert(
				$wpdb->options,
				array(
					'option_name'  => (string) $name,
					'option_value' => is_array( $value ) || is_object( $value ) ? serialize( $value ) : (string) $value,
					'autoload'     => 'yes',
				)
			);
			if ( '' !== $wpdb->last_error ) {
				throw new \RuntimeException( 'option sync failed: ' . $wpdb->last_error );
			}
		}
	}

	/** Any request to the server (options synced first). */
	protected function http( string $method, string $path_or_url, ?string $body = null, array $headers = array() ): HttpResponse {
		self::sync_options();
		$url      = str_starts_with( $path_or_url, 'http' ) ? $path_or_url : self::base() . $path_or_url;
		$response = Http::request( $method, $url, $body, $headers );
		$this->assert_clean_headers( $response );
		$this->assertNotSame( 500, $response->status, $response->describe() );
		$this->assertLessThan( 500, $response->status, $response->describe() );
		return $response;
	}

	/**
	 * A callback as Klarna sends it: POST, JSON body, the query string KCO puts in merchant_urls.validation.
	 *
	 * @param string               $body   Body.
	 * @param string|null          $session kco_session_id (null: leave out).
	 * @param array<string,string> $extra  More query arguments.
	 * @param string               $path   Path (default /wc-api/KCO_WC_Validation/).
	 * @param string               $method Method.
	 */
	protected function klarna_post( string $body, ?string $session = self::GUEST, array $extra = array(), string $path = self::PATH, string $method = 'POST' ): HttpResponse {
		$order    = json_decode( $body, true );
		$order_id = is_array( $order ) && isset( $order['order_id'] ) && is_string( $order['order_id'] ) ? $order['order_id'] : 'unknown';
		$query    = array( 'kco-action' => 'validation', 'kco_wc_order_id' => $order_id );
		if ( null !== $session ) {
			$query['kco_session_id'] = $session;
		}
		$query = http_build_query( $query + $extra );
		$url   = $path . ( str_contains( $path, '?' ) ? '&' : '?' ) . $query;
		return $this->http(
			$method,
			$url,
			'GET' === $method ? null : $body,
			'GET' === $method ? array() : array( 'Content-Type' => 'application/json', 'Accept' => 'application/json' )
		);
	}

	/** Every header line is printable ASCII, one line, with a name the server is expected to send. */
	protected function assert_clean_headers( HttpResponse $r ): void {
		$this->assertDoesNotMatchRegularExpression( '/[\r\n]/', $r->status_line );
		foreach ( $r->header_lines as $line ) {
			$this->assertMatchesRegularExpression( '/^[A-Za-z0-9-]+: ?[\x20-\x7E]*$/D', $line, 'header line is one printable line' );
		}
		foreach ( $r->header_names() as $name ) {
			$this->assertContains( strtolower( $name ), self::ALLOWED_HEADERS, "unexpected header {$name}:\n" . $r->raw_head );
		}
	}

	/** All lines of the plugin's log (source kco-validation, WooCommerce's file handler). */
	protected static function all_log_lines(): array {
		$lines = array();
		foreach ( glob( rtrim( (string) getenv( 'E2E_LOG_DIR' ), '/' ) . '/kco-validation-*.log' ) ?: array() as $file ) {
			foreach ( file( $file, FILE_IGNORE_NEW_LINES ) ?: array() as $line ) {
				$lines[] = $line;
			}
		}
		return $lines;
	}

	/** Log lines written since the last call (or setUp). */
	protected function new_log_lines(): array {
		$all            = self::all_log_lines();
		$new            = array_slice( $all, $this->log_seen );
		$this->log_seen = count( $all );
		return $new;
	}

	/** Exactly one new decision line, at the level given; returns it. */
	protected function assert_one_decision_line( string $level, string $outcome, int $status, ?string $order_id = null, ?array $codes = null ): string {
		$lines = $this->new_log_lines();
		$this->assertCount( 1, $lines, "one log line per decision:\n" . implode( "\n", $lines ) );
		$line = $lines[0];
		$this->assertMatchesRegularExpression( '/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d ' . strtoupper( $level ) . ' decision /', $line );
		$this->assertStringContainsString( ' order_id=' . ( $order_id ?? '-' ) . ' ', $line );
		$this->assertStringContainsString( " outcome={$outcome} ", $line );
		$this->assertStringContainsString( " status={$status} ", $line );
		$this->assertMatchesRegularExpression( '/ time_ms=\d+\.\d\d/', $line );
		if ( null !== $codes ) {
			$this->assertStringContainsString( ' codes=' . ( array() === $codes ? '-' : implode( ',', $codes ) ) . ' ', $line );
		}
		return $line;
	}

	/** A 200 with an empty body and no Location. */
	protected function assert_approved( HttpResponse $r ): void {
		$this->assertSame( 200, $r->status, $r->describe() . "\n" . implode( "\n", self::all_log_lines() ) );
		$this->assertSame( '', $r->body );
		$this->assertNull( $r->header( 'Location' ) );
		$this->assertSame( '0', $r->header( 'Content-Length' ) );
	}

	/**
	 * A 303 to the cart or checkout page with the KCO 1.x flag and exactly these codes; follows the Location and
	 * checks that the page shows every reason (and nothing else) on that same page load.
	 *
	 * @return array<string,string> The Location's query arguments.
	 */
	protected function assert_denied( HttpResponse $r, array $codes, string $flag, string $page ): array {
		$this->assertSame( 303, $r->status, $r->describe() . "\n" . implode( "\n", self::all_log_lines() ) );
		$this->assertSame( '', $r->body );
		$location = (string) $r->header( 'Location' );
		$this->assertStringStartsWith( self::base() . '/' . $page . '/?', $location );
		$args = self::location_query( $location );
		$this->assertArrayHasKey( $flag, $args, $location );
		$this->assertSame( $codes, explode( ',', $args['kco_validation'] ), $location );
		$this->assert_page_shows_reasons( $location, $page );
		return $args;
	}

	/** Follows a Location and asserts the page shows exactly the texts Notices would add for it. */
	protected function assert_page_shows_reasons( string $location, string $page, array $literal = array() ): void {
		$before = count( self::all_log_lines() );
		$p      = $this->http( 'GET', $location );
		$this->assertSame( 200, $p->status, $p->describe() );
		$this->assertStringContainsString( '<body class="woocommerce-' . $page . '">', $p->body );
		$expected = Notices::messages_for( self::location_query( $location ) );
		$this->assertNotEmpty( $expected );
		preg_match_all( '~<div class="woocommerce-error" role="alert">(.*?)</div>~s', $p->body, $m );
		$this->assertSame( $expected, $m[1], "every reason on the page, once, in order:\n" . $p->body );
		foreach ( $literal as $text ) {
			$this->assertContains( $text, $m[1], "shown on the page:\n" . $p->body );
		}
		$this->assertSame( $before, count( self::all_log_lines() ), 'showing the page logs nothing' );
	}

	/** A 400 JSON `invalid_request` with a fixed English text. */
	protected function assert_invalid_request( HttpResponse $r, string $text ): void {
		$this->assertSame( 400, $r->status, $r->describe() );
		$this->assertSame( 'application/json', $r->header( 'Content-Type' ) );
		$this->assertNull( $r->header( 'Location' ) );
		$this->assertSame( array( 'error_type' => 'invalid_request', 'error_text' => $text ), $r->json(), $r->body );
		$this->assertSame( (string) strlen( $r->body ), $r->header( 'Content-Length' ) );
	}

	/** Seeds products for every goods line of a Klarna body (SKU = reference) and returns reference => id. */
	protected static function products_for( string $json, array $overrides = array() ): array {
		$ids = array();
		foreach ( json_decode( $json, true )['order_lines'] as $line ) {
			if ( in_array( $line['type'], array( 'physical', 'digital' ), true ) && ! isset( $ids[ $line['reference'] ] ) ) {
				$ids[ $line['reference'] ] = \KcoValidation\Plugin\Tests\Shop::product(
					array_merge(
						array(
							'sku'          => $line['reference'],
							'name'         => $line['name'],
							'virtual'      => 'digital' === $line['type'],
							'manage_stock' => true,
							'stock'        => 50,
						),
						$overrides[ $line['reference'] ] ?? array()
					)
				);
			}
		}
		return $ids;
	}
}
