<?php
/**
 * WooCommerce's own checks, run on the shopper's cart restored into WooCommerce.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin\Tools\Compare;

defined( 'ABSPATH' ) || exit;

/**
 * The real checker (WooCommerce 3.9 … 10.x). In a CartSandbox — a read-only copy of the shopper's session, the
 * shopper as current user, a new WC_Cart — it does what WooCommerce's checkout does with an order that KCO posts:
 *
 * 1. the customer's billing email and billing/shipping location become Klarna's (WC_Checkout::process_checkout()
 *    → update_session() with the fields KCO fills from Klarna), in memory;
 * 2. WC_Cart_Session::get_cart_from_session(): an item WooCommerce drops (no longer purchasable, modified, gone) is
 *    `not_purchasable`, as is a trashed product (the test of WC_Cart::check_cart_item_validity(), without removing);
 * 3. WC_Cart::calculate_totals();
 * 4. WC_Cart::needs_shipping() (a fact compared with our snapshot's), and, when shipping is needed, the rule of
 *    WC_Checkout::validate_checkout(): an address, a country shipped to, and for every package of
 *    WC()->shipping()->get_packages() the chosen rate among the package's rates. The chosen rate is the one the
 *    shopper's session held before the recalculation (calculate_totals() itself replaces a rate that is no longer
 *    offered by the package's default: that is recorded as the fact `rate_switched`). None chosen:
 *    `shipping_missing`; not among the rates, or a country not shipped to: `shipping_unavailable`;
 * 5. the recalculated WC_Cart total and total tax against Klarna's order_amount and order_tax_amount, with the
 *    shop's total tolerance (tax: plus half a minor unit per Klarna line, as the extension allows): `totals_mismatch`
 *    `grand_total`, `tax_mismatch` `tax_total`;
 * 6. for each applied coupon, WC_Discounts::is_coupon_valid() on the cart, then WC_Cart::check_customer_coupons()
 *    with Klarna's billing email (email restrictions; per-email limits on 9.x): `coupon_invalid`, the reason being
 *    WooCommerce's coupon error number (`wc_107`) as `woocommerce_coupon_error` reports it;
 * 7. WC_Cart::check_cart_item_stock(), repeated without the failing product until it passes (it stops at the first
 *    failure): `out_of_stock` when the product is not in stock (is_in_stock()), else `insufficient_stock`.
 *
 * Notices WooCommerce adds go to the read-only session and are dropped. Nothing is written to the shopper's
 * session row, the object cache entry of the session, the persistent cart or a cookie (CartSandbox). Listeners of
 * WooCommerce's cart actions (`woocommerce_before_calculate_totals`, `woocommerce_after_calculate_totals`,
 * `woocommerce_cart_loaded_from_session`, `woocommerce_removed_coupon`) do run, as on any cart calculation.
 */
class WooCommerceCartChecker implements WooCommerceChecker {

	/** ISO 4217 currencies whose minor unit is not 1/100. */
	const EXPONENTS = array(
		'BIF' => 0,
		'CLP' => 0,
		'DJF' => 0,
		'GNF' => 0,
		'ISK' => 0,
		'JPY' => 0,
		'KMF' => 0,
		'KRW' => 0,
		'PYG' => 0,
		'RWF' => 0,
		'UGX' => 0,
		'VND' => 0,
		'VUV' => 0,
		'XAF' => 0,
		'XOF' => 0,
		'XPF' => 0,
		'BHD' => 3,
		'IQD' => 3,
		'JOD' => 3,
		'KWD' => 3,
		'LYD' => 3,
		'OMR' => 3,
		'TND' => 3,
	);

	/** WooCommerce coupon error numbers (WC_Coupon::E_WC_COUPON_*) and our reasons. */
	const COUPON_REASONS = array(
		100 => 'not_applicable',
		101 => 'not_applicable',
		102 => 'email_restricted',
		105 => 'not_found',
		106 => 'usage_limit',
		107 => 'expired',
		108 => 'minimum_amount',
		109 => 'not_applicable',
		110 => 'sale_items',
		112 => 'maximum_amount',
		113 => 'excluded_product',
		114 => 'excluded_category',
		115 => 'usage_limit',
		116 => 'usage_limit',
	);

	/**
	 * The WooCommerce version.
	 */
	public function version(): string {
		if ( defined( 'WC_VERSION' ) ) {
			return (string) WC_VERSION;
		}
		return function_exists( 'WC' ) && is_object( WC() ) && isset( WC()->version ) ? (string) WC()->version : '';
	}

	/**
	 * WooCommerce's findings.
	 *
	 * @param CompareCase $case The callback.
	 * @throws \Throwable On any fault.
	 */
	public function check( CompareCase $case ): CheckResult {
		if ( ! function_exists( 'WC' ) || ! class_exists( 'WC_Cart' ) || ! class_exists( 'WC_Session_Handler' ) || ! class_exists( 'WC_Discounts' ) ) {
			return CheckResult::skipped( 'woocommerce_missing' );
		}
		$row = self::read_row( $case->session_key );
		if ( null === $row ) {
			return CheckResult::skipped( 'session_missing' );
		}
		$data = maybe_unserialize( $row['value'] );
		if ( ! is_array( $data ) ) {
			return CheckResult::skipped( 'session_unreadable' );
		}
		if ( ! isset( $data['cart'] ) ) {
			return CheckResult::skipped( 'no_cart' );
		}
		$user_id = 1 === preg_match( '/^[1-9][0-9]{0,19}$/D', $case->session_key ) ? (int) $case->session_key : 0;
		if ( $user_id > 0 && ! get_userdata( $user_id ) ) {
			$user_id = 0;
		}
		// get_cart_from_session() would merge the saved cart and delete this flag: a write.
		if ( $user_id > 0 && get_user_meta( $user_id, '_woocommerce_load_saved_cart_after_login', true ) ) {
			return CheckResult::skipped( 'saved_cart_pending' );
		}
		$sandbox = new CartSandbox( $case->session_key, $data, (int) $row['expiry'], $user_id );
		try {
			$sandbox->enter();
			return $this->run( $case );
		} finally {
			$sandbox->leave(); // Also after a fault half-way through enter().
		}
	}

	/**
	 * The checks, in the sandbox.
	 *
	 * @param CompareCase $case The callback.
	 */
	private function run( CompareCase $case ): CheckResult {
		$result   = new CheckResult();
		$wc       = WC();
		$cart     = $wc->cart;
		$customer = $wc->customer;
		self::take_klarna_details( $customer, $case );

		$session_items = $wc->session->get( 'cart', array() );
		$session_items = is_array( $session_items ) ? $session_items : array();
		$chosen_before = $wc->session->get( 'chosen_shipping_methods', array() );
		$chosen_before = is_array( $chosen_before ) ? $chosen_before : array();

		// 2. The cart as WooCommerce loads it (the cart's own WC_Cart_Session, whose hooks the sandbox detached).
		$loader = CartSandbox::cart_session( $cart ) ?? new \WC_Cart_Session( $cart );
		$loader->get_cart_from_session();
		$loaded = $cart->get_cart();
		foreach ( $session_items as $key => $values ) {
			if ( is_array( $values ) && (float) ( $values['quantity'] ?? 0 ) > 0 && ! isset( $loaded[ $key ] ) ) {
				$result->add( 'not_purchasable', 'dropped_from_cart' );
			}
		}
		foreach ( $loaded as $values ) {
			$product = $values['data'] ?? null;
			if ( ! $product || ! $product->exists() || 'trash' === $product->get_status() ) {
				$result->add( 'not_purchasable', 'invalid' );
			}
		}
		$result->fact( 'items', count( $loaded ) );

		// 3.
		$cart->calculate_totals();

		// 4. Shipping.
		$needs = (bool) $cart->needs_shipping();
		$result->fact( Comparison::NEEDS_SHIPPING, $needs );
		if ( $needs ) {
			$this->check_shipping( $result, $customer, $chosen_before );
		}

		// 5. Totals.
		$shop_currency = function_exists( 'get_woocommerce_currency' ) ? strtoupper( (string) get_woocommerce_currency() ) : $case->currency;
		if ( $shop_currency === $case->currency ) {
			$exponent = self::EXPONENTS[ $case->currency ] ?? 2;
			$total    = self::minor( $cart->get_total( 'edit' ), $exponent );
			$tax      = self::minor( $cart->get_total_tax(), $exponent );
			$result->fact( 'total', $total )->fact( 'total_tax', $tax );
			if ( null !== $case->order_amount && abs( $total - $case->order_amount ) > $case->tolerance ) {
				$result->add( 'totals_mismatch', 'grand_total' );
			}
			if ( null !== $case->order_tax_amount && 2 * abs( $tax - $case->order_tax_amount ) > 2 * $case->tolerance + $case->line_count ) {
				$result->add( 'tax_mismatch', 'tax_total' );
			}
		} else {
			$result->fact( 'currency_differs', true );
		}

		// 6. Coupons.
		$this->check_coupons( $result, $cart, $case );

		// 7. Stock (last: it takes failing products out of this in-memory cart).
		$this->check_stock( $result, $cart );
		return $result;
	}

	/**
	 * The shipping rule of WC_Checkout::validate_checkout().
	 *
	 * @param CheckResult  $result        Result.
	 * @param \WC_Customer $customer      The customer (Klarna's address).
	 * @param array        $chosen_before The session's chosen rates before the recalculation.
	 */
	private function check_shipping( CheckResult $result, $customer, array $chosen_before ): void {
		$country   = (string) $customer->get_shipping_country();
		$countries = array_keys( (array) WC()->countries->get_shipping_countries() );
		if ( '' === $country ) {
			$result->add( 'shipping_missing', 'no_address' );
			return;
		}
		if ( ! in_array( $country, $countries, true ) ) {
			$result->add( 'shipping_unavailable', 'country_not_shipped_to' );
			return;
		}
		$after    = WC()->session->get( 'chosen_shipping_methods', array() );
		$after    = is_array( $after ) ? $after : array();
		$packages = WC()->shipping()->get_packages();
		$result->fact( 'packages', count( $packages ) );
		foreach ( $packages as $i => $package ) {
			$rates  = isset( $package['rates'] ) && is_array( $package['rates'] ) ? $package['rates'] : array();
			$chosen = $chosen_before[ $i ] ?? null;
			if ( ! is_scalar( $chosen ) || '' === (string) $chosen ) {
				$result->add( 'shipping_missing', 'no_rate_chosen' );
			} elseif ( ! isset( $rates[ (string) $chosen ] ) ) {
				$result->add( 'shipping_unavailable', array() === $rates ? 'no_rates' : 'rate_not_offered' );
			}
			if ( ( $after[ $i ] ?? null ) !== $chosen ) {
				$result->fact( 'rate_switched', true );
			}
		}
	}

	/**
	 * WC_Discounts::is_coupon_valid() and WC_Cart::check_customer_coupons(), coupon by coupon.
	 *
	 * @param CheckResult $result Result.
	 * @param \WC_Cart    $cart   Cart.
	 * @param CompareCase $case   The callback (billing email).
	 */
	private function check_coupons( CheckResult $result, $cart, CompareCase $case ): void {
		$codes = $cart->get_applied_coupons();
		$result->fact( 'coupons', count( $codes ) );
		if ( array() === $codes ) {
			return;
		}
		$reported = null;
		$listener = static function ( $message, $code = null ) use ( &$reported ) {
			if ( null === $reported && is_numeric( $code ) ) {
				$reported = (int) $code;
			}
			return $message;
		};
		add_filter( 'woocommerce_coupon_error', $listener, PHP_INT_MAX, 2 );
		try {
			foreach ( $codes as $code ) {
				$coupon   = new \WC_Coupon( $code );
				$reported = null;
				$valid    = ( new \WC_Discounts( $cart ) )->is_coupon_valid( $coupon );
				if ( is_wp_error( $valid ) ) {
					$result->add( 'coupon_invalid', self::coupon_reason( $reported ) );
					continue;
				}
				// check_customer_coupons() walks the applied coupons: this one alone.
				$cart->set_applied_coupons( array( $code ) );
				wc_clear_notices();
				$reported = null;
				$cart->check_customer_coupons( array( 'billing_email' => (string) $case->email ) );
				if ( ! in_array( $code, $cart->get_applied_coupons(), true ) || wc_notice_count( 'error' ) > 0 ) {
					$result->add( 'coupon_invalid', self::coupon_reason( $reported ) ?? 'customer' );
				}
				$cart->set_applied_coupons( $codes );
			}
		} finally {
			remove_filter( 'woocommerce_coupon_error', $listener, PHP_INT_MAX );
			$cart->set_applied_coupons( $codes );
			wc_clear_notices();
		}
	}

	/**
	 * WC_Cart::check_cart_item_stock() until it passes, taking out the product it stopped at each time.
	 *
	 * @param CheckResult $result Result.
	 * @param \WC_Cart    $cart   Cart.
	 */
	private function check_stock( CheckResult $result, $cart ): void {
		$rounds = count( $cart->get_cart() ) + 1;
		for ( $i = 0; $i < $rounds; $i++ ) {
			$stock = $cart->check_cart_item_stock();
			if ( ! is_wp_error( $stock ) ) {
				return;
			}
			$product = self::failing_product( $cart, $stock->get_error_message() );
			if ( null === $product ) {
				$result->add( 'insufficient_stock', 'unidentified' );
				return;
			}
			$result->add( $product->is_in_stock() ? 'insufficient_stock' : 'out_of_stock', (string) $stock->get_error_code() );
			$contents = $cart->get_cart_contents();
			foreach ( $contents as $key => $values ) {
				if ( isset( $values['data'] ) && $values['data']->get_id() === $product->get_id() ) {
					unset( $contents[ $key ] );
				}
			}
			$cart->set_cart_contents( $contents );
		}
	}

	/**
	 * The cart's product a stock error names (it quotes the product's name), the first in cart order.
	 *
	 * @param \WC_Cart $cart    Cart.
	 * @param string   $message The error.
	 * @return \WC_Product|null
	 */
	private static function failing_product( $cart, string $message ) {
		$message = html_entity_decode( wp_strip_all_tags( $message ), ENT_QUOTES, 'UTF-8' );
		$found   = null;
		foreach ( $cart->get_cart() as $values ) {
			$product = $values['data'] ?? null;
			if ( ! $product ) {
				continue;
			}
			$name = html_entity_decode( wp_strip_all_tags( (string) $product->get_name() ), ENT_QUOTES, 'UTF-8' );
			if ( '' === $name ) {
				continue;
			}
			if ( str_contains( $message, '"' . $name . '"' ) || str_contains( $message, '“' . $name . '”' ) ) {
				return $product;
			}
			if ( null === $found && str_contains( $message, $name ) ) {
				$found = $product;
			}
		}
		return $found;
	}

	/**
	 * The customer as WC_Checkout::process_checkout() leaves it for the order KCO posts: Klarna's billing email and
	 * billing/shipping location (in memory: the session is read-only).
	 *
	 * @param \WC_Customer $customer Customer.
	 * @param CompareCase  $case     The callback.
	 */
	private static function take_klarna_details( $customer, CompareCase $case ): void {
		if ( null !== $case->email ) {
			$customer->set_billing_email( $case->email );
		}
		foreach ( $case->address as $type => $fields ) {
			foreach ( $fields as $field => $value ) {
				$setter = "set_{$type}_{$field}";
				if ( is_callable( array( $customer, $setter ) ) ) {
					$customer->$setter( $value );
				}
			}
		}
	}

	/**
	 * Our reason for a WooCommerce coupon error number ('wc_<n>' when we have none).
	 *
	 * @param int|null $code WC_Coupon::E_WC_COUPON_* or null.
	 */
	private static function coupon_reason( ?int $code ): ?string {
		if ( null === $code ) {
			return null;
		}
		return ( self::COUPON_REASONS[ $code ] ?? 'other' ) . '/wc_' . $code;
	}

	/**
	 * A WooCommerce amount in minor units.
	 *
	 * @param mixed $amount   Amount (float or decimal string).
	 * @param int   $exponent Minor-unit exponent.
	 */
	private static function minor( $amount, int $exponent ): int {
		return (int) round( round( (float) $amount, $exponent ) * ( 10 ** $exponent ) );
	}

	/**
	 * The session row: value and expiry, or null.
	 *
	 * @param string $key Session key.
	 * @return array{value: string, expiry: int}|null
	 */
	private static function read_row( string $key ): ?array {
		global $wpdb;
		if ( '' === $key ) {
			return null;
		}
		$row = $wpdb->get_row( $wpdb->prepare( "SELECT session_value, session_expiry FROM {$wpdb->prefix}woocommerce_sessions WHERE session_key = %s", $key ), ARRAY_A );
		if ( ! is_array( $row ) ) {
			return null;
		}
		return array(
			'value'  => (string) $row['session_value'],
			'expiry' => (int) $row['session_expiry'],
		);
	}
}
