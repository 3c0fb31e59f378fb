<?php
/**
 * Shipping decided as WooCommerce's checkout decides it (issue 12, points 1–3), through the plugin: whether
 * shipping is needed is WC_Cart::needs_shipping() (no method set up, the product and cart filters), every package's
 * chosen rate must be one of its current rates (WC_Checkout::validate_checkout()), and an option chosen inside
 * Klarna's checkout is accepted when WooCommerce's rate is Klarna's shipping service (`klarna_kss`, KCO 2.x).
 *
 * @package KcoValidation\Plugin\Tests
 */

namespace KcoValidation\Plugin\Tests;

class WooCommerceShippingTest extends TestCase {

	/** @var array<string, mixed> The last snapshot handed to the extension. */
	private $snapshot_seen = array();

	protected function setUp(): void {
		parent::setUp();
		add_filter(
			'kco_validation_snapshot',
			function ( $s ) {
				$this->snapshot_seen = $s;
				return $s;
			},
			PHP_INT_MAX
		);
	}

	private function post( string $json, array $session, string $key = self::GUEST ): CapturingResponse {
		Shop::session( $key, $session );
		return $this->post_callback( $json, array( 'kco_session_id' => $key ) );
	}

	private static function codes( CapturingResponse $r ): array {
		$args = self::location_query( (string) $r->header_value( 'Location' ) );
		return isset( $args['kco_validation'] ) ? explode( ',', $args['kco_validation'] ) : array();
	}

	/** A physical mug, ordered without any shipping. */
	private function mug_without_shipping(): array {
		$mug  = Shop::product( array( 'sku' => 'MUG' ) );
		$json = self::klarna_order( array( array( 'MUG', 1, 10000 ) ), array( 'shipping' => null ) );
		return array( $json, self::cart_for( $json, array( 'MUG' => $mug ) ) );
	}

	public function test_physical_goods_need_a_shipping_method_when_the_shop_has_one(): void {
		[ $json, $cart ] = $this->mug_without_shipping();
		$r               = $this->post( $json, $cart );
		$this->assertSame( array( 'shipping_missing' ), self::codes( $r ) );
		$this->assertTrue( $this->snapshot_seen['cart']['needs_shipping'] );
	}

	public function test_a_shop_without_any_shipping_method_needs_no_shipping(): void {
		// WC_Cart::needs_shipping(): 0 === wc_get_shipping_method_count( true ) → false, whatever the products.
		update_option( '_transient_wc_shipping_method_count', 0 );
		[ $json, $cart ] = $this->mug_without_shipping();
		$r               = $this->post( $json, $cart );
		$this->assertSame( 200, $r->status, (string) $r->header_value( 'Location' ) );
		$this->assertFalse( $this->snapshot_seen['cart']['needs_shipping'] );
	}

	public function test_the_product_needs_shipping_filter_is_woocommerces_answer(): void {
		[ $json, $cart ] = $this->mug_without_shipping();
		$mug             = (int) array_values( $cart['cart'] )[0]['product_id'];
		add_filter( 'woocommerce_product_needs_shipping', static fn ( $needs, $product ) => $mug === $product->get_id() ? false : $needs, 10, 2 );
		$this->assertSame( 200, $this->post( $json, $cart )->status );
	}

	public function test_the_cart_needs_shipping_filter_is_woocommerces_answer(): void {
		add_filter( 'woocommerce_cart_needs_shipping', static fn () => false );
		[ $json, $cart ] = $this->mug_without_shipping();
		$this->assertSame( 200, $this->post( $json, $cart )->status );
	}

	public function test_a_chosen_rate_woocommerce_no_longer_offers_is_refused(): void {
		// The shopper chose flat_rate:3; the address changed and the package's rates no longer include it.
		$mug  = Shop::product( array( 'sku' => 'MUG' ) );
		$json = self::klarna_order( array( array( 'MUG', 1, 10000 ) ) );
		$cart = self::cart_for( $json, array( 'MUG' => $mug ), array( 'shipping_for_package_0' => Shop::shipping_package( array( 'local_pickup:4' ) ) ) );
		$r    = $this->post( $json, $cart );
		$this->assertSame( array( 'shipping_unavailable' ), self::codes( $r ) );
		$this->assertArrayHasKey( 'no_shipping', self::location_query( (string) $r->header_value( 'Location' ) ) );
		$this->assertSame(
			array(
				array(
					'chosen' => 'flat_rate:3',
					'rates'  => array( 'local_pickup:4' ),
				),
			),
			$this->snapshot_seen['cart']['packages']
		);
	}

	public function test_an_option_chosen_in_klarnas_checkout_with_klarnas_shipping_service_is_approved(): void {
		$mug    = Shop::product( array( 'sku' => 'MUG' ) );
		$option = array(
			'id'            => 'ksa-postnord-ombud',
			'name'          => 'PostNord – Ombud',
			'price'         => 5900,
			'tax_amount'    => 1180,
			'tax_rate'      => 2500,
			'tms_reference' => '9f3a6c2e-4b71-4d0a-8e55-0c1f2b7a9d43',
		);
		$json   = self::klarna_order( array( array( 'MUG', 1, 10000 ) ), array( 'shipping' => null, 'selected_shipping_option' => $option ) );
		// KCO 2.x with KSS: WooCommerce's package rate is the service's own, klarna_kss:<instance>, and it is chosen.
		$kss  = array(
			'chosen_shipping_methods' => array( 'klarna_kss:2' ),
			'shipping_for_package_0'  => Shop::shipping_package( array( 'klarna_kss:2' ) ),
		);
		$r    = $this->post( $json, self::cart_for( $json, array( 'MUG' => $mug ), $kss ) );
		$this->assertSame( 200, $r->status, (string) $r->header_value( 'Location' ) );

		// The same option on a shop whose chosen rate is an ordinary one: not a rate WooCommerce offers.
		$flat = array(
			'chosen_shipping_methods' => array( 'flat_rate:1' ),
			'shipping_for_package_0'  => Shop::shipping_package( array( 'flat_rate:1' ) ),
		);
		$r    = $this->post( $json, self::cart_for( $json, array( 'MUG' => $mug ), $flat ), 't_' . str_repeat( 'b', 30 ) );
		$this->assertSame( array( 'shipping_unavailable' ), self::codes( $r ) );
	}

	/**
	 * The cart of fixture-like order with flat_rate:3 chosen (free_shipping:1 offered too), calculated when the shop's
	 * shipping was at version v1 (Integration\CartStamp), and the shop's zone methods now.
	 *
	 * @param array<int, array{0: string, 1: int}> $methods instance id => [method id, enabled].
	 */
	private function shop_changed_shipping( array $methods, string $version_now = 'v2' ): array {
		global $wpdb;
		foreach ( $methods as $instance => list( $method, $enabled ) ) {
			$wpdb->insert( $wpdb->prefix . 'woocommerce_shipping_zone_methods', array( 'zone_id' => 1, 'instance_id' => $instance, 'method_id' => $method, 'method_order' => $instance, 'is_enabled' => $enabled ) );
		}
		update_option( '_transient_shipping-transient-version', $version_now );
		$mug  = Shop::product( array( 'sku' => 'MUG' ) );
		$json = self::klarna_order( array( array( 'MUG', 1, 10000 ) ) );
		$cart = self::cart_for( $json, array( 'MUG' => $mug ), array( 'kco_validation_cart_stamp' => array( 'prices' => array(), 'shipping' => 'v1' ) ) );
		return array( $json, $cart );
	}

	public function test_a_chosen_rate_whose_method_the_shop_disabled_or_removed_since_the_cart_was_calculated_is_refused(): void {
		// WooCommerce's checkout calculates the rates again: a disabled or deleted method instance offers none.
		foreach ( array( 'disabled' => array( 3 => array( 'flat_rate', 0 ), 1 => array( 'free_shipping', 1 ) ), 'removed' => array( 1 => array( 'free_shipping', 1 ) ) ) as $what => $methods ) {
			$this->setUp();
			[ $json, $cart ] = $this->shop_changed_shipping( $methods );
			self::reset_queries();
			$r = $this->post( $json, $cart );
			$this->assertSame( array( 'shipping_unavailable' ), self::codes( $r ), $what );
			$this->assertSame( array( array( 'chosen' => 'flat_rate:3', 'rates' => array( 'free_shipping:1' ) ) ), $this->snapshot_seen['cart']['packages'], $what );
			$this->assertCount( 1, array_filter( self::queries(), static fn ( $q ) => str_contains( $q, 'woocommerce_shipping_zone_methods' ) ), $what . ': one query' );
		}
	}

	public function test_the_rates_are_not_read_again_unless_the_shops_shipping_changed_and_stay_when_still_offered(): void {
		// Unchanged since the cart was calculated (the same version): no query, the session's rates.
		[ $json, $cart ] = $this->shop_changed_shipping( array( 1 => array( 'free_shipping', 1 ) ), 'v1' );
		self::reset_queries();
		$this->assertSame( 200, $this->post( $json, $cart )->status );
		$this->assertSame( array(), array_filter( self::queries(), static fn ( $q ) => str_contains( $q, 'woocommerce_shipping_zone_methods' ) ) );

		// Changed, but the chosen method is still there and enabled; a rate of another plugin that only looks like
		// a zone method's is left alone.
		$this->setUp();
		[ $json, $cart ] = $this->shop_changed_shipping( array( 3 => array( 'flat_rate', 1 ) ) );
		$cart['shipping_for_package_0'] = Shop::shipping_package( array( 'flat_rate:3', 'free_shipping:1', 'table_rate:7' ) );
		$this->assertSame( 200, $this->post( $json, $cart )->status );
		$this->assertSame( array( 'flat_rate:3', 'table_rate:7' ), $this->snapshot_seen['cart']['packages'][0]['rates'], 'free_shipping:1 is gone (no instance), table_rate:7 is not WooCommerce\'s' );
	}

	public function test_a_cart_calculated_with_shipping_the_shop_no_longer_asks_for_is_calculated_without(): void {
		// No method set up any more: WC_Cart::needs_shipping() is false, and WooCommerce's checkout calculates the
		// cart without its shipping line — no longer Klarna's total (make test-real: shipping_needed_but_no_method_set_up).
		update_option( '_transient_wc_shipping_method_count', 0 );
		$mug                                  = Shop::product( array( 'sku' => 'MUG' ) );
		$json                                 = self::klarna_order( array( array( 'MUG', 1, 10000 ) ) );
		$cart                                 = self::cart_for( $json, array( 'MUG' => $mug ) );
		$order                                = json_decode( $json, true );
		$ship                                 = array_values( array_filter( $order['order_lines'], static fn ( $l ) => 'shipping_fee' === $l['type'] ) )[0];
		$cart['cart_totals']['shipping_total'] = ( $ship['total_amount'] - $ship['total_tax_amount'] ) / 100;
		$cart['cart_totals']['shipping_tax']   = $ship['total_tax_amount'] / 100;
		$r                                    = $this->post( $json, $cart );
		$this->assertSame( array( 'totals_mismatch', 'tax_mismatch' ), self::codes( $r ) );
		$this->assertFalse( $this->snapshot_seen['cart']['needs_shipping'] );
		$this->assertSame( (string) ( ( $order['order_amount'] - $ship['total_amount'] ) / 100 ), $this->snapshot_seen['cart']['total'] );
	}
}
