<?php
/**
 * Base of the real-shop scenarios: WordPress + WooCommerce are loaded in this process (the shop's own
 * wp-load.php, so products, coupons and zones are made with WooCommerce's CRUD), the shopper is a Browser, Klarna
 * is an HTTP POST of the order KCO built, and compare mode's row is read from the shop's database.
 *
 * @package KcoValidation\Plugin\Tests\Real
 */

namespace KcoValidation\Plugin\Tests\Real;

use KcoValidation\Plugin\Tests\E2E\Http;
use KcoValidation\Plugin\Tests\E2E\HttpResponse;
use KcoValidation\Plugin\Tools\Compare\CompareLog;

abstract class RealTestCase extends \PHPUnit\Framework\TestCase {

	/** How long compare mode may take to write its row, in seconds. */
	const COMPARE_WAIT = 15.0;

	/** @var int Unique names. */
	private static $serial = 0;

	/** @var array<string, int> Log sizes at setUp. */
	private $log_sizes = array();

	/** @var list<callable> Undo steps (shop-wide changes). */
	private $undo = array();

	protected function setUp(): void {
		parent::setUp();
		foreach ( self::logs() as $name => $file ) {
			clearstatcache( true, $file );
			$this->log_sizes[ $name ] = is_file( $file ) ? (int) filesize( $file ) : 0;
		}
	}

	protected function tearDown(): void {
		foreach ( array_reverse( $this->undo ) as $step ) {
			$step();
		}
		$this->undo = array();
		parent::tearDown();
	}

	/**
	 * After every scenario: no PHP error, warning or notice from this plugin, and no fatal error from anything, in
	 * the shop's logs (WordPress's debug.log and php-fpm's error log). Other notices (WooCommerce's own deprecations
	 * on this PHP) are kept for the report.
	 */
	protected function assertPostConditions(): void {
		foreach ( self::logs() as $name => $file ) {
			clearstatcache( true, $file );
			if ( ! is_file( $file ) ) {
				continue;
			}
			$new = (string) file_get_contents( $file, false, null, $this->log_sizes[ $name ] ?? 0 );
			foreach ( preg_split( '/\R(?=\[)/', trim( $new ) ) ?: array() as $entry ) {
				if ( '' === trim( $entry ) ) {
					continue;
				}
				$ours = str_contains( $entry, '/plugins/kco-validation/' ) || str_contains( $entry, 'KcoValidation' );
				$this->assertFalse( $ours || str_contains( $entry, 'PHP Fatal' ), "{$name} of the shop:\n{$entry}" );
				file_put_contents( (string) getenv( 'E2E_TMP' ) . '/third-party-notices.log', $this->getName() . ': ' . $entry . "\n", FILE_APPEND );
			}
		}
	}

	/** The shop's PHP logs. */
	private static function logs(): array {
		return array(
			'debug.log'     => (string) getenv( 'E2E_TMP' ) . '/wp-debug.log',
			'php-error.log' => (string) getenv( 'E2E_PHP_ERROR_LOG' ),
		);
	}

	/** Runs $step when the test ends (shop-wide settings put back). */
	protected function undo( callable $step ): void {
		$this->undo[] = $step;
	}

	/** The shop's URL. */
	protected static function base(): string {
		return rtrim( (string) getenv( 'E2E_URL' ), '/' );
	}

	/** A new shopper. */
	protected static function browser(): Browser {
		return new Browser( self::base() );
	}

	/** WooCommerce's version, as a number to compare. */
	protected static function wc_at_least( string $version ): bool {
		return version_compare( WC()->version, $version, '>=' );
	}

	/**
	 * A simple product made with WooCommerce's CRUD.
	 *
	 * @param array<string, mixed> $a name, sku, price, manage_stock, stock, stock_status, virtual, backorders.
	 */
	protected static function product( array $a = array() ): \WC_Product {
		++self::$serial;
		$product = new \WC_Product_Simple();
		$product->set_name( $a['name'] ?? 'Mugg ' . self::$serial );
		$product->set_sku( $a['sku'] ?? sprintf( 'R%d-%d', getmypid(), self::$serial ) );
		$product->set_regular_price( (string) ( $a['price'] ?? '125.00' ) );
		$product->set_status( 'publish' );
		$product->set_virtual( (bool) ( $a['virtual'] ?? false ) );
		if ( isset( $a['stock'] ) ) {
			$product->set_manage_stock( true );
			$product->set_stock_quantity( (int) $a['stock'] );
		}
		if ( isset( $a['backorders'] ) ) {
			$product->set_backorders( $a['backorders'] );
		}
		if ( isset( $a['stock_status'] ) ) {
			$product->set_stock_status( $a['stock_status'] );
		}
		$product->save();
		return wc_get_product( $product->get_id() );
	}

	/**
	 * A coupon made with WooCommerce's CRUD.
	 *
	 * @param array<string, mixed> $a type, amount, and any WC_Coupon setter (date_expires, usage_limit, …).
	 */
	protected static function coupon( array $a = array() ): \WC_Coupon {
		++self::$serial;
		$coupon = new \WC_Coupon();
		$coupon->set_code( $a['code'] ?? 'real' . self::$serial );
		$coupon->set_discount_type( $a['type'] ?? 'percent' );
		$coupon->set_amount( (string) ( $a['amount'] ?? '10' ) );
		unset( $a['code'], $a['type'], $a['amount'] );
		foreach ( $a as $prop => $value ) {
			$coupon->{'set_' . $prop}( $value );
		}
		$coupon->save();
		return new \WC_Coupon( $coupon->get_code() );
	}

	/** A shipping rate id the shop set up (setup.php): postnord, express or free (Sweden); postnord (Norway). */
	protected static function rate( string $name = 'postnord', string $country = 'SE' ): string {
		$zones = get_option( 'kco_real_zones' );
		$rate  = (string) ( $zones[ $country ][ $name ] ?? '' );
		if ( '' === $rate ) {
			throw new \RuntimeException( "no rate {$name} in {$country}" );
		}
		return $rate;
	}

	/**
	 * A shopper with a cart: each product added over ?wc-ajax=add_to_cart, coupons applied, the checkout's address and
	 * rate posted (?wc-ajax=update_order_review).
	 *
	 * @param array<int, int> $items   Product id => quantity.
	 * @param list<string>    $coupons Coupon codes.
	 * @param string|null     $rate    Chosen rate (null: the shop's flat rate for Sweden).
	 */
	protected static function shopper( array $items, array $coupons = array(), ?string $rate = null, ?Browser $browser = null ): Browser {
		$browser = $browser ?? self::browser();
		foreach ( $items as $id => $qty ) {
			$browser->add_to_cart( (int) $id, (int) $qty );
		}
		foreach ( $coupons as $code ) {
			$browser->apply_coupon( $code );
		}
		$browser->checkout( 'SE', '11134', $rate ?? self::rate() );
		return $browser;
	}

	/** The raw session row (value and expiry), exactly as stored. */
	protected static function session_row( string $key ): ?string {
		global $wpdb;
		$row = $wpdb->get_row( $wpdb->prepare( "SELECT session_value, session_expiry FROM {$wpdb->prefix}woocommerce_sessions WHERE session_key = %s", $key ), ARRAY_A );
		return is_array( $row ) ? $row['session_expiry'] . '|' . $row['session_value'] : null;
	}

	/**
	 * Klarna's callback for an order: POST to the order's own merchant_urls.validation. Returns the answer, the time it
	 * took, the session key and the session row before.
	 *
	 * @return array{0: HttpResponse, 1: float, 2: string, 3: ?string}
	 */
	protected function klarna_callback( array $order, ?string $session_key = null ): array {
		$url = str_replace( '{checkout.order.id}', $order['order_id'], (string) $order['merchant_urls']['validation'] );
		parse_str( (string) parse_url( $url, PHP_URL_QUERY ), $query );
		$key = $session_key ?? (string) ( $query['kco_session_id'] ?? '' );
		if ( null !== $session_key ) {
			// Another session's URL, as the plugin would sign it.
			$url = (string) preg_replace( '/([?&]kco_session_id=)[^&]*/', '${1}' . rawurlencode( $session_key ), $url );
			$url = (string) preg_replace( '/([?&]kco_validation_token=)[^&]*/', '${1}' . \KcoValidation\Plugin\Integration\UrlToken::create( $session_key ), $url );
		}
		$before = self::session_row( $key );
		$start  = hrtime( true );
		$r      = Http::request( 'POST', $url, (string) json_encode( $order ), array( 'Content-Type' => 'application/json', 'User-Agent' => 'Klarna' ) );
		$ms     = ( hrtime( true ) - $start ) / 1e6;
		$this->assertLessThan( 500, $r->status, $r->describe() );
		return array( $r, $ms, $key, $before );
	}

	/**
	 * Compare mode's row for an order (waits for it), after checking that the shopper's session row is byte-identical
	 * to what it was before the callback. Records the scenario for the report.
	 *
	 * @return array<string, mixed> CompareLog row.
	 */
	protected function compared( array $order, string $key, ?string $before, HttpResponse $answer ): array {
		$log      = new CompareLog();
		$deadline = microtime( true ) + self::COMPARE_WAIT;
		do {
			$rows = $log->query( array( 'order_id' => $order['order_id'] ) )['rows'];
			if ( array() !== $rows ) {
				break;
			}
			usleep( 50000 );
		} while ( microtime( true ) < $deadline );
		$this->assertNotEmpty( $rows, 'compare mode wrote a row for ' . $order['order_id'] );
		$row = $rows[0];
		$this->assertSame( $before, self::session_row( $key ), 'the shopper\'s session row is byte-identical after the comparison' );
		$this->assertSame( WC()->version, $row['wc_version'], 'the row names the WooCommerce version compared with' );
		$this->assertNotSame( 'error', $row['status'], 'compare mode failed: ' . json_encode( $row['detail'] ) );
		$location = (string) $answer->header( 'Location' );
		parse_str( (string) parse_url( $location, PHP_URL_QUERY ), $args );
		file_put_contents(
			(string) getenv( 'REAL_SCENARIO_MAP' ),
			implode( "\t", array( $order['order_id'], static::class . '::' . $this->getName(), (string) $answer->status, (string) ( $args['kco_validation'] ?? '' ) ) ) . "\n",
			FILE_APPEND
		);
		return $row;
	}

	/** The codes a 303 carried (kco_validation=…). */
	protected static function codes_of( HttpResponse $r ): array {
		parse_str( (string) parse_url( (string) $r->header( 'Location' ), PHP_URL_QUERY ), $args );
		return isset( $args['kco_validation'] ) && '' !== $args['kco_validation'] ? explode( ',', (string) $args['kco_validation'] ) : array();
	}

	/** The whole path for one scenario: callback, answer, compare row. */
	protected function decide( Browser $browser, array $order_args = array(), ?callable $before_callback = null, ?string $session_key = null ): array {
		$order = $browser->klarna_order( $order_args );
		if ( null !== $before_callback ) {
			$before_callback( $order );
		}
		list( $r, $ms, $key, $before ) = $this->klarna_callback( $order, $session_key );
		$row = $this->compared( $order, $key, $before, $r );
		return array(
			'answer' => $r,
			'ms'     => $ms,
			'codes'  => self::codes_of( $r ),
			'row'    => $row,
			'order'  => $order,
		);
	}
}
