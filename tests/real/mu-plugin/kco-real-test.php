<?php
/**
 * Plugin Name: KCO validation — real-shop test helper
 * Description: Test-only (scripts/test-real.sh copies it into a throw-away shop's mu-plugins; never install it in a real shop). Plays Klarna Checkout's part for the test browser: builds the Klarna order from the shopper's cart as KCO does, and tells the browser its session key and nonces.
 *
 * @package KcoValidation\Plugin\Tests\Real
 */

defined( 'ABSPATH' ) || exit;

// Deterministic shop: no loopback requests from Action Scheduler's async runner (wp-config.php blocks every
// request outside the shop: WP_HTTP_BLOCK_EXTERNAL).
add_filter( 'action_scheduler_allow_async_request_runner', '__return_false' );
// No mail server here.
add_filter( 'pre_wp_mail', '__return_false' );

/*
 * The test browser's own endpoints, answered on wp_loaded after WooCommerce loaded the shopper's cart from their
 * session (WC_Cart_Session::get_cart_from_session() runs on wp_loaded at 10):
 *   ?kco-real=state  the session key WooCommerce gave this browser (the first field of its cookie) and the nonces a
 *                    cart or checkout page would print (wc_cart_params / wc_checkout_params);
 *   ?kco-real=order  the Klarna order KCO would create for this cart (KCO 2.14.4 KCO_Request_Cart formulas), the
 *                    Klarna order id stored in the session as KCO stores it (`kco_wc_order_id`).
 * The session is saved by WooCommerce at shutdown as on any page.
 */
add_action(
	'wp_loaded',
	static function () {
		if ( ! isset( $_GET['kco-real'] ) || ! function_exists( 'WC' ) || null === WC()->session ) { // phpcs:ignore WordPress.Security.NonceVerification
			return;
		}
		$what = sanitize_key( wp_unslash( $_GET['kco-real'] ) ); // phpcs:ignore WordPress.Security.NonceVerification
		nocache_headers();
		header( 'Content-Type: application/json; charset=utf-8' );
		if ( 'state' === $what ) {
			echo wp_json_encode(
				array(
					'session_key' => (string) WC()->session->get_customer_id(),
					'user_id'     => get_current_user_id(),
					'wc_version'  => WC()->version,
					'nonces'      => array(
						'apply_coupon'           => wp_create_nonce( 'apply-coupon' ),
						'update_order_review'    => wp_create_nonce( 'update-order-review' ),
						'update_shipping_method' => wp_create_nonce( 'update-shipping-method' ),
					),
					'cart_items'  => count( WC()->cart->get_cart() ),
				)
			);
		} elseif ( 'order' === $what ) {
			echo wp_json_encode( kco_real_klarna_order( wp_unslash( $_GET ) ) ); // phpcs:ignore WordPress.Security.NonceVerification
		}
		exit;
	},
	20
);

/**
 * A WooCommerce amount as KCO writes it: minor units (KCO_Request_Cart::format_number()).
 *
 * @param mixed $value Amount.
 */
function kco_real_format( $value ): int {
	return (int) round( round( (float) $value, wc_get_price_decimals() ) * 100 );
}

/**
 * The Klarna order of this cart as KCO 2.14.4 creates it (KCO_Request_Cart::process_cart(), process_shipping(),
 * adjust_order_lines(), get_order_amount(), get_order_tax_amount(); KCO_Request_Merchant_Data; merchant URLs), in
 * the shape Klarna echoes it back to the validation callback (integers, lower-case country codes).
 *
 * @param array<string, mixed> $q email, given_name, country, postal_code, city.
 * @return array<string, mixed>
 */
function kco_real_klarna_order( array $q ): array {
	$cart = WC()->cart;
	$cart->calculate_totals();
	$lines = array();
	foreach ( $cart->get_cart() as $item ) {
		if ( ! $item['quantity'] ) {
			continue;
		}
		$product      = $item['data'];
		$total        = kco_real_format( $item['line_total'] );
		$subtotal     = kco_real_format( $item['line_subtotal'] );
		$total_tax    = kco_real_format( array_sum( $item['line_tax_data']['total'] ?? array() ) );
		$subtotal_tax = kco_real_format( array_sum( $item['line_tax_data']['subtotal'] ?? array() ) );
		$qty          = (int) $item['quantity'];
		$rate         = 0;
		if ( $product->is_taxable() && $item['line_subtotal_tax'] > 0 ) {
			$rates = WC_Tax::get_rates( $product->get_tax_class() );
			$vat   = array_shift( $rates );
			$rate  = isset( $vat['rate'] ) ? (int) round( $vat['rate'] * 100 ) : 0;
		}
		$line_total = $total + $total_tax;
		$max        = $subtotal + $subtotal_tax;
		$lines[]    = array(
			'type'                  => $product->is_downloadable() || $product->is_virtual() ? 'digital' : 'physical',
			'reference'             => substr( (string) ( $product->get_sku() ? $product->get_sku() : $product->get_id() ), 0, 64 ),
			'name'                  => $product->get_name(),
			'quantity'              => $qty,
			'unit_price'            => (int) round( $subtotal / $qty + $subtotal_tax / $qty ),
			'tax_rate'              => $rate,
			'total_amount'          => $line_total,
			'total_discount_amount' => (int) round( $line_total < $max ? $max - $line_total : 0 ),
			'total_tax_amount'      => (int) round( $line_total - $line_total / ( 1 + $rate / 10000 ) ),
		);
	}
	$chosen = WC()->session->get( 'chosen_shipping_methods', array() );
	if ( WC()->shipping()->get_packages() && ! empty( $chosen ) && empty( $q['no_shipping_line'] ) ) {
		$reference = 'Shipping';
		$name      = 'Shipping';
		foreach ( WC()->shipping()->get_packages() as $i => $package ) {
			$rate_id = $chosen[ $i ] ?? '';
			if ( '' !== $rate_id && isset( $package['rates'][ $rate_id ] ) ) {
				$reference = $package['rates'][ $rate_id ]->id;
				$name      = $package['rates'][ $rate_id ]->label;
			}
		}
		$amount   = kco_real_format( $cart->shipping_total + $cart->shipping_tax_total );
		$tax_rate = 0;
		if ( $cart->shipping_tax_total > 0 ) {
			$rates    = WC_Tax::get_shipping_tax_rates();
			$vat      = array_shift( $rates );
			$tax_rate = isset( $vat['rate'] ) ? (int) round( $vat['rate'] * 100 ) : 0;
		}
		$lines[] = array(
			'type'                  => 'shipping_fee',
			'reference'             => substr( (string) $reference, 0, 64 ),
			'name'                  => $name,
			'quantity'              => 1,
			'unit_price'            => $amount,
			'tax_rate'              => $tax_rate,
			'total_amount'          => $amount,
			'total_discount_amount' => 0,
			'total_tax_amount'      => (int) round( $amount - $amount / ( 1 + $tax_rate / 10000 ) ),
		);
	}
	$order_amount = (int) round( $cart->total * 100 );
	$adjust       = $order_amount - (int) array_sum( array_column( $lines, 'total_amount' ) );
	if ( 0 !== $adjust && empty( $q['no_shipping_line'] ) ) {
		$lines[] = array(
			'type'                  => 'surcharge',
			'reference'             => 'added-surcharge',
			'name'                  => 'Surcharge',
			'quantity'              => 1,
			'unit_price'            => $adjust,
			'tax_rate'              => 0,
			'total_amount'          => $adjust,
			'total_discount_amount' => 0,
			'total_tax_amount'      => 0,
		);
	}
	if ( ! empty( $q['no_shipping_line'] ) ) {
		// A Klarna order whose shipping line went missing: the amount is its lines' sum.
		$order_amount = (int) array_sum( array_column( $lines, 'total_amount' ) );
	}
	// KCO creates the Klarna order once per session and updates it afterwards: the id stays.
	$order_id = (string) WC()->session->get( 'kco_wc_order_id', '' );
	if ( '' === $order_id || ! empty( $q['new_order'] ) ) {
		$order_id = wp_generate_uuid4();
		WC()->session->set( 'kco_wc_order_id', $order_id );
	}
	$session_key = (string) WC()->session->get_customer_id();
	$country     = strtolower( (string) ( $q['country'] ?? 'se' ) );
	$address     = array(
		'given_name'     => (string) ( $q['given_name'] ?? 'Sofia' ),
		'family_name'    => 'Lindqvist',
		'email'          => (string) ( $q['email'] ?? 'sofia.lindqvist@example.se' ),
		'street_address' => 'Sveavägen 44',
		'postal_code'    => (string) ( $q['postal_code'] ?? '111 34' ),
		'city'           => (string) ( $q['city'] ?? 'Stockholm' ),
		'phone'          => '+46701234567',
		'country'        => $country,
	);
	$coupons = array();
	foreach ( $cart->get_applied_coupons() as $coupon ) {
		$coupons[] = $coupon;
	}
	$merchant_data = array( 'is_user_logged_in' => is_user_logged_in() );
	if ( array() !== $coupons ) {
		$merchant_data = array( 'coupons' => $coupons ) + $merchant_data;
	}
	$args = array(
		'order_id'          => $order_id,
		'status'            => 'checkout_incomplete',
		'purchase_country'  => $country,
		'purchase_currency' => get_woocommerce_currency(),
		'locale'            => 'sv-SE',
		'billing_address'   => $address,
		'shipping_address'  => $address,
		'customer'          => array( 'type' => 'person' ),
		'order_amount'      => $order_amount + (int) ( $q['amount_delta'] ?? 0 ),
		'order_tax_amount'  => (int) array_sum( array_column( $lines, 'total_tax_amount' ) ),
		'order_lines'       => $lines,
		'merchant_urls'     => array(
			'terms'        => home_url( '/terms/' ),
			'checkout'     => wc_get_checkout_url(),
			'confirmation' => add_query_arg( array( 'kco_confirm' => 'yes' ), wc_get_checkout_url() ) . '&kco_order_id={checkout.order.id}',
			'push'         => home_url( '/wc-api/KCO_WC_Push/' ) . '?kco-action=push&kco_wc_order_id={checkout.order.id}&kco_session_id=' . $session_key,
		),
		'merchant_data'     => wp_json_encode( $merchant_data ),
		'started_at'        => gmdate( 'Y-m-d\\TH:i:s\\Z' ),
	);
	// Kustom Checkout 2.x passes the request through this filter, where kco-validation adds its validation URL
	// (with the URL token) and options.require_validate_callback_success; without KCO active it is added here the
	// same way (Integration\KcoIntegration::validation_url()).
	$args = apply_filters( 'kco_wc_api_request_args', $args );
	if ( empty( $args['merchant_urls']['validation'] ) && class_exists( \KcoValidation\Plugin\Integration\KcoIntegration::class ) ) {
		$args['merchant_urls']['validation']                  = \KcoValidation\Plugin\Integration\KcoIntegration::validation_url( $session_key );
		$args['options']['require_validate_callback_success'] = true;
	}
	return $args;
}

/*
 * The plugin's queries of each validation callback, from `wp_loaded` (where it answers, ahead of WooCommerce's
 * WC_API) to the end of its own work after the answer (`kco_validation_answer_sent` after the decision log wrote its
 * row at priority 10; compare mode runs later, at shutdown, and is not counted): one line per callback in
 * wp-content/kco-real-queries.tsv (Klarna order id, count, the statements), for the report. wp-config.php defines
 * SAVEQUERIES.
 */
add_action(
	'wp_loaded',
	static function () {
		$GLOBALS['kco_real_queries_from'] = $GLOBALS['wpdb']->num_queries;
	},
	-1000
);
add_action(
	'kco_validation_answer_sent',
	static function () {
		global $wpdb;
		if ( ! isset( $GLOBALS['kco_real_queries_from'] ) ) {
			return;
		}
		$from = (int) $GLOBALS['kco_real_queries_from'];
		$sql  = array();
		foreach ( array_slice( is_array( $wpdb->queries ) ? $wpdb->queries : array(), $from ) as $query ) {
			$sql[] = preg_replace( '/\s+/', ' ', (string) $query[0] );
		}
		$order = isset( $_GET['kco_wc_order_id'] ) ? sanitize_text_field( wp_unslash( $_GET['kco_wc_order_id'] ) ) : ''; // phpcs:ignore WordPress.Security.NonceVerification
		file_put_contents( WP_CONTENT_DIR . '/kco-real-queries.tsv', $order . "\t" . ( $wpdb->num_queries - $from ) . "\t" . implode( ' | ', $sql ) . "\n", FILE_APPEND | LOCK_EX );
	},
	100
);

/*
 * A slow comparison, for the test that the answer never waits for compare mode: with the option
 * kco_real_slow_compare_ms set, the checker compare mode asks sleeps that long first.
 */
add_filter(
	'kco_validation_compare_checker',
	static function ( $checker ) {
		$ms = (int) get_option( 'kco_real_slow_compare_ms', 0 );
		if ( $ms <= 0 || ! interface_exists( \KcoValidation\Plugin\Tools\Compare\WooCommerceChecker::class ) ) {
			return $checker;
		}
		return new class( $ms ) implements \KcoValidation\Plugin\Tools\Compare\WooCommerceChecker {
			/** @var int */
			private $ms;
			public function __construct( int $ms ) {
				$this->ms = $ms;
			}
			public function version(): string {
				return ( new \KcoValidation\Plugin\Tools\Compare\WooCommerceCartChecker() )->version();
			}
			public function check( \KcoValidation\Plugin\Tools\Compare\CompareCase $case ): \KcoValidation\Plugin\Tools\Compare\CheckResult {
				usleep( $this->ms * 1000 );
				return ( new \KcoValidation\Plugin\Tools\Compare\WooCommerceCartChecker() )->check( $case );
			}
		};
	}
);
