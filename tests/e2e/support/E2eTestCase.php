<?php
/**
 * Base of the end-to-end tests: seeds the shop in MariaDB with the PHPUnit suite's helpers (Shop, klarna_order,
 * cart_for), then talks HTTP to nginx + php-fpm serving tests/e2e/web/index.php.
 *
 * Options: the PHPUnit doubles keep options in memory; the front controller reads the autoloaded rows of
 * wp_options (as wp_load_alloptions() does), so the test's options are written to wp_options before each request.
 *
 * Language-prefix mode (env E2E_LANG_PREFIX, e.g. `en`: the second run of scripts/test-e2e.sh): the shop's URLs carry
 * the language directory (/en/cart/, /en/checkout/, home_url() → …/en/…), as on a WPML shop with a directory for
 * every language; Klarna is given the prefixed callback URL KCO 1.10 builds from the filtered home_url(). The
 * option kco_e2e_lang_prefix tells the front controller; this process runs the same WPML double, so in-process
 * answers match the server's. Tests build shop URLs with shop_url() (base + '/en' in the mode, base otherwise).
 *
 * @package KcoValidation\Plugin\Tests\E2E
 */

namespace KcoValidation\Plugin\Tests\E2E;

use KcoValidation\Plugin\ShopperPage\Notices;
use KcoValidation\Plugin\Tests\TestCase;

abstract class E2eTestCase extends TestCase {

	/** Header names the server may send; anything else would be a header built from input. */
	const ALLOWED_HEADERS = array( 'server', 'date', 'content-type', 'content-length', 'connection', 'location', 'cache-control', 'expires', 'transfer-encoding', 'keep-alive', 'x-kco-queries', 'x-kco-handler-ms', 'x-kco-server-ms', 'x-kco-plugin-dir' );

	/** The callback path Klarna is given by KCO 1.x (under the shop URL: shop_url( self::PATH )). */
	const PATH = '/wc-api/KCO_WC_Validation/';

	/** Languages of the WPML double in the language-prefix mode (its default configuration). */
	const PREFIX_LANGUAGES = array( 'en', 'de', 'sv' );

	/**
	 * The language-prefix shop's cart and checkout pages, translated as WooCommerce Multilingual requires: page =>
	 * language => [ page id, slug ]. The English ones are WooCommerce's pages (woocommerce_{page}_page_id). Ids far
	 * above the products' so no product shares a translation group's id.
	 */
	const PREFIX_PAGES = array(
		'cart'     => array(
			'en' => array( 990001, 'cart' ),
			'de' => array( 990011, 'warenkorb' ),
			'sv' => array( 990021, 'varukorg' ),
		),
		'checkout' => array(
			'en' => array( 990002, 'checkout' ),
			'de' => array( 990012, 'kasse' ),
			'sv' => array( 990022, 'kassa' ),
		),
	);

	/** @var int Log lines already seen. */
	private $log_seen = 0;

	/** @var array<string, string> Request headers added by with_header(). */
	private array $extra_headers = array();

	/**
	 * Runs $fn( fixture 01's body ) for fixture 01's shop while wp_wc_product_meta_lookup is missing (the products
	 * query fails: an internal fault), the table put back afterwards.
	 *
	 * @return mixed What $fn returns.
	 */
	protected function without_lookup_table( callable $fn ) {
		global $wpdb;
		$json = self::fixture( '01-se-sek-basic.json' );
		\KcoValidation\Plugin\Tests\Shop::session( self::GUEST, self::cart_for( $json, self::products_for( $json ) ) );
		static::sync_options();
		$wpdb->query( "RENAME TABLE {$wpdb->prefix}wc_product_meta_lookup TO {$wpdb->prefix}lookup_away" );
		try {
			return $fn( $json );
		} finally {
			$wpdb->query( "RENAME TABLE {$wpdb->prefix}lookup_away TO {$wpdb->prefix}wc_product_meta_lookup" );
		}
	}

	/**
	 * Runs $fn with a request header added to every request it makes.
	 *
	 * @return mixed What $fn returns.
	 */
	protected function with_header( string $name, string $value, callable $fn ) {
		$this->extra_headers[ $name ] = $value;
		try {
			return $fn();
		} finally {
			unset( $this->extra_headers[ $name ] );
		}
	}

	protected function setUp(): void {
		parent::setUp();
		$base                        = self::base();
		$GLOBALS['kco_test_options'] = array_merge(
			$GLOBALS['kco_test_options'],
			array(
				'home'                        => $base,
				'siteurl'                     => $base,
				'kco_test_cart_permalink'     => self::shop_url( '/cart/' ),
				'kco_test_checkout_permalink' => self::shop_url( '/checkout/' ),
			)
		);
		$prefix = self::lang_prefix();
		if ( '' !== $prefix ) {
			if ( ! in_array( $prefix, self::PREFIX_LANGUAGES, true ) ) {
				throw new \RuntimeException( "E2E_LANG_PREFIX={$prefix}: one of " . implode( ', ', self::PREFIX_LANGUAGES ) );
			}
			$GLOBALS['kco_test_options']['kco_e2e_lang_prefix'] = $prefix;
			// What the front controller runs (tests/e2e/web/index.php), with this request's language.
			kco_test_ml_enable(
				'wpml',
				array(
					'url_mode'     => 'directory',
					'hide_default' => false,
					'current'      => $prefix,
				)
			);
			$pages  = array();
			$groups = array();
			foreach ( self::PREFIX_PAGES as $page => $translations ) {
				$group = array();
				foreach ( $translations as $lang => $id_slug ) {
					$pages[ $id_slug[0] ] = $id_slug[1];
					$group[ $lang ]       = $id_slug[0];
				}
				$groups[] = $group;
				kco_test_ml_translations( $group, 'page' );
				$GLOBALS['kco_test_options'][ 'woocommerce_' . $page . '_page_id' ] = (string) $translations['en'][0];
			}
			$GLOBALS['kco_test_pages']                           = $pages;
			$GLOBALS['kco_test_options']['kco_test_pages']       = $pages;
			$GLOBALS['kco_test_options']['kco_e2e_translations'] = $groups;
		}
		// The plugin loads its translations on `init` (php/kco-validation.php), which this process never fires: load
		// them as the server does, so texts computed here (Notices::messages_for()) are in the page's language.
		if ( function_exists( 'load_plugin_textdomain' ) && is_dir( KCO_TEST_PLUGIN_DIR . '/languages' ) ) {
			load_plugin_textdomain( 'kco-validation', false, basename( KCO_TEST_PLUGIN_DIR ) . '/languages' );
		}
		// An activated plugin: the settings a shop never saved are stored with their defaults, autoloaded (the front
		// controller reads any other option from the database, one query each, as WordPress does).
		\KcoValidation\Plugin\Settings::store_defaults();
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

	/** http://127.0.0.1:PORT (the `home` option: language-neutral). */
	protected static function base(): string {
		return rtrim( (string) getenv( 'E2E_URL' ), '/' );
	}

	/** The language directory of the language-prefix mode (env E2E_LANG_PREFIX), '' otherwise. */
	protected static function lang_prefix(): string {
		return trim( (string) getenv( 'E2E_LANG_PREFIX' ), '/' );
	}

	/**
	 * A URL of the shop as the shop itself writes them: http://127.0.0.1:PORT/en . $path in the language-prefix mode,
	 * http://127.0.0.1:PORT . $path otherwise.
	 */
	protected static function shop_url( string $path = '' ): string {
		$prefix = self::lang_prefix();
		return self::base() . ( '' === $prefix ? '' : '/' . $prefix ) . $path;
	}

	/**
	 * TestCase::cart_for(), plus, in the language-prefix mode, what the plugin's LanguageRecorder writes into the
	 * session of a shopper who saw the cart and checkout pages under /en/: the language.
	 */
	protected static function cart_for( string $json, array $ids, array $extra = array() ): array {
		$session = parent::cart_for( $json, $ids, $extra );
		$key     = \KcoValidation\Plugin\Multilingual\LanguageRecorder::SESSION_KEY;
		if ( '' !== self::lang_prefix() && ! array_key_exists( $key, $extra ) ) {
			$session[ $key ] = self::lang_prefix();
		}
		return $session;
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
		static::sync_options();
		$url      = str_starts_with( $path_or_url, 'http' ) ? $path_or_url : self::base() . $path_or_url;
		$response = Http::request( $method, $url, $body, $headers + $this->extra_headers );
		$this->assert_clean_headers( $response );
		$this->assertNotSame( 500, $response->status, $response->describe() );
		$this->assertLessThan( 500, $response->status, $response->describe() );
		return $response;
	}

	/**
	 * A callback as Klarna sends it: POST, JSON body, the query string the plugin puts in merchant_urls.validation
	 * (with the session's token; `kco_validation_token => null` in $extra for a URL KCO 1.10 built).
	 *
	 * @param string               $body   Body.
	 * @param string|null          $session kco_session_id (null: leave out).
	 * @param array<string,string> $extra  More query arguments.
	 * @param string               $path   Path under the shop URL (default /wc-api/KCO_WC_Validation/: in the
	 *                                     language-prefix mode /en/wc-api/KCO_WC_Validation/), or a full URL.
	 * @param string               $method Method.
	 */
	protected function klarna_post( string $body, ?string $session = self::GUEST, array $extra = array(), string $path = self::PATH, string $method = 'POST' ): HttpResponse {
		$order    = json_decode( $body, true );
		$order_id = is_array( $order ) && isset( $order['order_id'] ) && is_string( $order['order_id'] ) ? $order['order_id'] : 'unknown';
		$query    = array( 'kco-action' => 'validation', 'kco_wc_order_id' => $order_id );
		if ( null !== $session ) {
			$query['kco_session_id'] = $session;
		}
		// The token of the session, as the plugin's URLs carry it (TestCase::with_token(); null in $extra: none).
		$query = http_build_query( self::with_token( $query + $extra ) );
		$url   = str_starts_with( $path, 'http' ) ? $path : self::shop_url( $path );
		$url  .= ( str_contains( $url, '?' ) ? '&' : '?' ) . $query;
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
		$this->assertStringStartsWith( self::shop_url( '/' . $page . '/?' ), $location );
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
		// The server shows the page in the language of its directory (language-prefix mode): so does this process.
		$ml       = $GLOBALS['kco_test_ml'];
		$previous = is_array( $ml ) ? $ml['current'] : null;
		if ( is_array( $ml ) && 1 === preg_match( '~^/([a-z]{2})(?=/)~', substr( $location, strlen( self::base() ) ), $m ) && isset( $ml['languages'][ $m[1] ] ) ) {
			kco_test_ml_set_current( $m[1] );
		}
		// And with the plugin's translations, which the server loads on init.
		load_plugin_textdomain( 'kco-validation', false, dirname( plugin_basename( KCO_VALIDATION_PLUGIN_FILE ) ) . '/languages' );
		try {
			$expected = Notices::messages_for( self::location_query( $location ) );
		} finally {
			if ( null !== $previous ) {
				kco_test_ml_set_current( $previous );
			}
		}
		$this->assertNotEmpty( $expected );
		preg_match_all( '~<div class="woocommerce-error" role="alert">(.*?)</div>~s', $p->body, $m );
		$this->assertSame( $expected, $m[1], "every reason on the page, once, in order:\n" . $p->body );
		foreach ( $literal as $text ) {
			$this->assertContains( $text, $m[1], "shown on the page:\n" . $p->body );
		}
		$this->assertSame( $before, count( self::all_log_lines() ), 'showing the page logs nothing' );
	}

	/**
	 * A Location without its `kco_validation_details` argument (the failures' parameters, signed: see
	 * ReasonDetails), after checking that the argument, when present, is last and carries a valid signature.
	 */
	protected function without_details( ?string $location ): ?string {
		if ( null === $location || ! str_contains( $location, '&kco_validation_details=' ) ) {
			return $location;
		}
		$this->assertMatchesRegularExpression( '~&kco_validation_details=[A-Za-z0-9_-]+\.[a-f0-9]{32}$~D', $location );
		$value = substr( $location, strpos( $location, '&kco_validation_details=' ) + strlen( '&kco_validation_details=' ) );
		$this->assertNotNull( \KcoValidation\Plugin\ShopperPage\ReasonDetails::decode( $value ), 'the details are signed by this shop' );
		return substr( $location, 0, strpos( $location, '&kco_validation_details=' ) );
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
