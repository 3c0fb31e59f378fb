<?php
/**
 * Base test case: a clean WordPress hook table, shop options, notices, log and database for every test.
 *
 * @package KcoValidation\Plugin\Tests
 */

namespace KcoValidation\Plugin\Tests;

use KcoValidation\Plugin\Request\Endpoint;

abstract class TestCase extends \PHPUnit\Framework\TestCase {

	/** Tables emptied before each test. */
	const TABLES = array( 'posts', 'postmeta', 'users', 'usermeta', 'options', 'woocommerce_sessions', 'wc_product_meta_lookup', 'wc_reserved_stock', 'wc_orders', 'woocommerce_order_items', 'woocommerce_order_itemmeta', 'kco_validation_claims', 'woocommerce_shipping_zone_methods' );

	/** A guest session key as WooCommerce 9.x makes them. */
	const GUEST = 't_0123456789abcdef0123456789abcd';

	/** @var list<string> */
	private $temp_files = array();

	protected function setUp(): void {
		parent::setUp();
		global $wpdb;
		$GLOBALS['wp_filter']         = array();
		$GLOBALS['wp_actions']        = array();
		$GLOBALS['wp_filters']        = array();
		$GLOBALS['wp_current_filter'] = array();
		$GLOBALS['kco_test_notices']  = array();
		$GLOBALS['kco_test_l10n']     = array();
		$GLOBALS['kco_test_is_admin'] = false;
		$GLOBALS['kco_test_caps']     = array();
		unset( $GLOBALS['kco_test_logger'], $GLOBALS['kco_test_status_header'] );
		\WooCommerce::$instance                                  = null;
		\Automattic\WooCommerce\Utilities\FeaturesUtil::$declared = array();
		$_GET    = array();
		$_POST   = array();
		$_SERVER = array_diff_key( $_SERVER, array_flip( array( 'REQUEST_METHOD', 'CONTENT_LENGTH' ) ) );
		$GLOBALS['kco_test_options'] = kco_test_default_options();
		$GLOBALS['kco_test_cache']   = array();
		unset( $GLOBALS['kco_test_options_from_db'] );
		// No multilingual plugin, no pages, no switched locale (tests/phpunit/doubles/multilingual.php).
		kco_test_ml_reset();
		// No plugin translations loaded unless a test loads them (doubles/l10n.php).
		$GLOBALS['kco_test_textdomain_paths'] = array();
		$GLOBALS['locale']                    = null; // get_locale() reads WPLANG again.
		foreach ( self::TABLES as $table ) {
			$wpdb->query( "DELETE FROM {$wpdb->prefix}{$table}" );
		}
		$wpdb->num_queries = 0;
		$wpdb->queries     = array();
	}

	/** SQL run since setUp() (or the last reset_queries()). */
	protected static function queries(): array {
		global $wpdb;
		return array_map( static fn ( $q ) => $q[0], (array) $wpdb->queries );
	}

	/** Forgets the queries made so far. */
	protected static function reset_queries(): void {
		global $wpdb;
		$wpdb->queries     = array();
		$wpdb->num_queries = 0;
	}

	/**
	 * A Klarna order body (Klarna's shape, as in the fixtures) with the given goods lines.
	 *
	 * @param list<array{0: string, 1: int, 2: int}> $goods [reference, quantity, unit price in minor units] (+ 'type', 'tax_rate', 'discount' keys).
	 * @param array<string, mixed>                   $opts  shipping ([rate id, price] or null), email, merchant_data, currency, country, order_amount_delta, selected_shipping_option.
	 */
	protected static function klarna_order( array $goods, array $opts = array() ): string {
		$order    = json_decode( self::fixture( '01-se-sek-basic.json' ), true );
		$lines    = array();
		$shipping = array_key_exists( 'shipping', $opts ) ? $opts['shipping'] : array( 'flat_rate:3', 4900 );
		foreach ( $goods as $g ) {
			$rate     = $g['tax_rate'] ?? 2500;
			$discount = $g['discount'] ?? 0;
			$total    = $g[1] * $g[2] - $discount;
			$lines[]  = array(
				'type'                  => $g['type'] ?? 'physical',
				'reference'             => $g[0],
				'name'                  => $g['name'] ?? 'Item ' . $g[0],
				'quantity'              => $g[1],
				'unit_price'            => $g[2],
				'tax_rate'              => $rate,
				'total_amount'          => $total,
				'total_discount_amount' => $discount,
				'total_tax_amount'      => (int) round( $total * $rate / ( 10000 + $rate ) ),
			);
		}
		if ( null !== $shipping ) {
			$lines[] = array(
				'type'                  => 'shipping_fee',
				'reference'             => $shipping[0],
				'name'                  => 'Shipping',
				'quantity'              => 1,
				'unit_price'            => $shipping[1],
				'tax_rate'              => 2500,
				'total_amount'          => $shipping[1],
				'total_discount_amount' => 0,
				'total_tax_amount'      => (int) round( $shipping[1] * 2500 / 12500 ),
			);
		}
		$order['order_lines']      = $lines;
		$order['order_amount']     = array_sum( array_column( $lines, 'total_amount' ) ) + ( $opts['order_amount_delta'] ?? 0 );
		$order['order_tax_amount'] = array_sum( array_column( $lines, 'total_tax_amount' ) );
		if ( isset( $opts['selected_shipping_option'] ) ) {
			// Chosen inside Klarna's checkout: the option's price is part of Klarna's total.
			$option                            = $opts['selected_shipping_option'];
			$order['selected_shipping_option'] = $option;
			$order['order_amount']            += $option['price'];
			$order['order_tax_amount']        += $option['tax_amount'];
		}
		if ( isset( $opts['email'] ) ) {
			$order['billing_address']['email']  = $opts['email'];
			$order['shipping_address']['email'] = $opts['email'];
		}
		if ( array_key_exists( 'merchant_data', $opts ) ) {
			$order['merchant_data'] = $opts['merchant_data'];
		}
		if ( isset( $opts['currency'] ) ) {
			$order['purchase_currency'] = $opts['currency'];
		}
		return json_encode( $order );
	}

	/**
	 * The session a WooCommerce cart matching a Klarna order leaves behind (WC_Cart_Session::set_session()):
	 * cart lines, cart_totals, applied_coupons, chosen_shipping_methods, shipping_for_package_0.
	 *
	 * @param string                        $json  Klarna order body.
	 * @param array<string, int|array{0:int,1:int}> $ids   Product id (or [parent id, variation id]) per reference.
	 * @param array<string, mixed>          $extra Session values to add or replace.
	 * @return array<string, mixed>
	 */
	protected static function cart_for( string $json, array $ids, array $extra = array() ): array {
		$order    = json_decode( $json, true );
		$cart     = array();
		$subtotal = 0;
		$sub_tax  = 0;
		$chosen   = array();
		foreach ( $order['order_lines'] as $i => $line ) {
			if ( 'shipping_fee' === $line['type'] ) {
				$chosen[] = $line['reference'];
				continue;
			}
			if ( ! in_array( $line['type'], array( 'physical', 'digital' ), true ) ) {
				continue;
			}
			$id              = $ids[ $line['reference'] ];
			$key             = md5( $line['reference'] . $i );
			$excl            = ( $line['total_amount'] - $line['total_tax_amount'] ) / 100;
			$tax             = $line['total_tax_amount'] / 100;
			$cart[ $key ]    = array(
				'key'               => $key,
				'product_id'        => is_array( $id ) ? $id[0] : $id,
				'variation_id'      => is_array( $id ) ? $id[1] : 0,
				'variation'         => array(),
				'quantity'          => $line['quantity'],
				'data_hash'         => md5( (string) $i ),
				'line_tax_data'     => array( 'subtotal' => array( 1 => $tax ), 'total' => array( 1 => $tax ) ),
				'line_subtotal'     => $excl,
				'line_subtotal_tax' => $tax,
				'line_total'        => $excl,
				'line_tax'          => $tax,
			);
			$subtotal += $excl;
			$sub_tax  += $tax;
		}
		return array_merge(
			array(
				'cart'                    => $cart,
				'cart_totals'             => array(
					'subtotal'     => $subtotal,
					'subtotal_tax' => $sub_tax,
					'total'        => (string) ( $order['order_amount'] / 100 ),
					'total_tax'    => $order['order_tax_amount'] / 100,
				),
				'applied_coupons'         => array(),
				'chosen_shipping_methods' => $chosen,
				'shipping_for_package_0'  => Shop::shipping_package( array_merge( $chosen, array( 'free_shipping:1' ) ) ),
				'customer'                => array( 'id' => '0', 'email' => '' ),
				'kco_wc_order_id'         => $order['order_id'],
			),
			$extra
		);
	}

	protected function tearDown(): void {
		foreach ( $this->temp_files as $file ) {
			if ( is_file( $file ) ) {
				unlink( $file );
			}
		}
		parent::tearDown();
	}

	/** A Klarna fixture body as Klarna sent it. */
	protected static function fixture( string $name ): string {
		$body = file_get_contents( KCO_TEST_FIXTURES . $name );
		if ( false === $body ) {
			throw new \RuntimeException( "fixture {$name} missing in " . KCO_TEST_FIXTURES );
		}
		return $body;
	}

	/**
	 * The query arguments of a validation URL as the plugin builds them (KCO 1.11+, Kustom 2.x): with the token of
	 * its `kco_session_id`, unless the test gives one, or null for none (a URL KCO 1.10 built).
	 *
	 * @param array<string, mixed> $get Query arguments.
	 * @return array<string, mixed>
	 */
	protected static function with_token( array $get ): array {
		$arg = \KcoValidation\Plugin\Integration\UrlToken::QUERY_ARG;
		if ( array_key_exists( $arg, $get ) ) {
			if ( null === $get[ $arg ] ) {
				unset( $get[ $arg ] );
			}
			return $get;
		}
		if ( isset( $get['kco_session_id'] ) && is_string( $get['kco_session_id'] ) ) {
			$get[ $arg ] = \KcoValidation\Plugin\Integration\UrlToken::create( $get['kco_session_id'] );
		}
		return $get;
	}

	/**
	 * Runs the endpoint as WC_API would for a request, capturing the answer. The URL carries the token of its
	 * session as the plugin's URLs do (with_token()).
	 *
	 * @param string               $body   Raw body.
	 * @param array<string, mixed> $get    Query arguments.
	 * @param string               $method HTTP method.
	 */
	protected function post_callback( string $body, array $get = array(), string $method = 'POST' ): CapturingResponse {
		$file = tempnam( sys_get_temp_dir(), 'kco-body' );
		file_put_contents( $file, $body );
		$this->temp_files[]        = $file;
		$_GET                      = self::with_token( $get );
		$_SERVER['REQUEST_METHOD'] = $method;
		$_SERVER['CONTENT_LENGTH'] = (string) strlen( $body );
		$response                  = new CapturingResponse();
		Endpoint::create( $response, $file )->handle();
		$this->assertSame( 1, $response->terminated, 'the endpoint ends the request exactly once' );
		return $response;
	}

	/**
	 * Runs $fault, which breaks the database on purpose (a missing table, a table locked by another client), with
	 * wpdb's error report suppressed, and asserts the errors instead: at least one, each matching $pattern.
	 * Unsuppressed, wpdb::print_error() writes "WordPress database error … for query …" to PHP's error log (stderr in
	 * the CLI), in the middle of PHPUnit's progress, where an expected error looks like a failure. wpdb records every
	 * error in $EZSQL_ERROR, suppressed or not, and keeps the last one in ->last_error, which the plugin reads.
	 *
	 * @param string       $pattern regular expression every database error must match.
	 * @param callable     $fault   the code that meets the broken database; its return value is returned.
	 * @param list<\wpdb>  $dbs     the connections it goes through (default: the global $wpdb).
	 * @return mixed
	 */
	protected function expect_database_errors( string $pattern, callable $fault, array $dbs = array() ) {
		global $wpdb, $EZSQL_ERROR;
		$dbs    = $dbs ? $dbs : array( $wpdb );
		$before = is_array( $EZSQL_ERROR ) ? count( $EZSQL_ERROR ) : 0;
		$saved  = array_map( static fn ( \wpdb $db ) => $db->suppress_errors( true ), $dbs );
		try {
			return $fault();
		} finally {
			foreach ( $dbs as $i => $db ) {
				$db->suppress_errors( $saved[ $i ] );
			}
			$errors = array_slice( is_array( $EZSQL_ERROR ) ? $EZSQL_ERROR : array(), $before );
			$this->assertNotEmpty( $errors, 'the broken database made a query fail' );
			foreach ( $errors as $error ) {
				$this->assertMatchesRegularExpression( $pattern, (string) $error['error_str'], 'database error of: ' . $error['query'] );
			}
		}
	}

	/** Log entries written so far. */
	protected static function log_entries(): array {
		return isset( $GLOBALS['kco_test_logger'] ) ? $GLOBALS['kco_test_logger']->entries : array();
	}

	/** The decision lines logged. */
	protected static function decision_lines(): array {
		return array_values( array_filter( self::log_entries(), static fn ( $e ) => str_starts_with( $e['message'], 'decision ' ) ) );
	}

	/** Query args of a Location. */
	protected static function location_query( ?string $location ): array {
		parse_str( (string) parse_url( (string) $location, PHP_URL_QUERY ), $args );
		return $args;
	}
}
