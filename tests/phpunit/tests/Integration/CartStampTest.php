<?php
/**
 * Integration\CartStamp: what a cart's calculation rested on, recorded in the shopper's session, and the decisions
 * that follow when the shop changed it since (issue 12: WooCommerce's checkout calculates the cart again).
 *
 * @package KcoValidation\Plugin\Tests
 */

namespace KcoValidation\Plugin\Tests;

use KcoValidation\Plugin\Integration\CartStamp;

class CartStampTest extends TestCase {

	/** A WC_Cart stand-in: get_cart() is all CartStamp reads. */
	private static function cart( array $items ): object {
		return new class( $items ) {
			public function __construct( private array $items ) {}
			public function get_cart(): array {
				return $this->items;
			}
		};
	}

	public function test_a_calculation_records_the_stored_prices_and_the_shipping_version_once(): void {
		$mug    = Shop::product( array( 'sku' => 'MUG', 'price' => '149' ) );
		$parent = Shop::product( array( 'sku' => 'TEE', 'price' => '0' ) );
		$red    = Shop::product( array( 'sku' => 'TEE-RED', 'price' => '249.50' ), $parent );
		update_option( '_transient_shipping-transient-version', '1764650000' );
		WC()->session = new \WC_Session_Handler( self::GUEST );
		( new CartStamp() )->register();
		$items = array(
			'k1' => array( 'product_id' => $mug, 'variation_id' => 0, 'quantity' => 2 ),
			'k2' => array( 'product_id' => $parent, 'variation_id' => $red, 'quantity' => 1 ),
		);
		do_action( 'woocommerce_after_calculate_totals', self::cart( $items ) );
		$this->assertSame(
			array(
				'prices'   => array(
					'k1' => '149',
					'k2' => '249.50',
				),
				'shipping' => '1764650000',
			),
			WC()->session->get( CartStamp::SESSION_KEY )
		);
		// The same calculation again writes nothing (WooCommerce saves a session only when it changed).
		WC()->session->dirty = false;
		do_action( 'woocommerce_after_calculate_totals', self::cart( $items ) );
		$this->assertFalse( WC()->session->dirty );
		// Not during Klarna's callback (compare mode calculates a copy of the cart there).
		$_SERVER['REQUEST_URI'] = '/wc-api/KCO_WC_Validation/?kco-action=validation';
		do_action( 'woocommerce_after_calculate_totals', self::cart( array( 'k3' => $items['k1'] ) ) );
		$this->assertSame( array( 'k1', 'k2' ), array_keys( WC()->session->get( CartStamp::SESSION_KEY )['prices'] ) );
		unset( $_SERVER['REQUEST_URI'] );
		// Not on admin screens (an order edited there is no shopper's cart).
		$GLOBALS['kco_test_is_admin'] = true;
		do_action( 'woocommerce_after_calculate_totals', self::cart( array( 'k3' => $items['k1'] ) ) );
		$this->assertSame( array( 'k1', 'k2' ), array_keys( WC()->session->get( CartStamp::SESSION_KEY )['prices'] ) );
	}

	public function test_a_price_changed_since_the_cart_was_calculated_is_refused_as_woocommerces_checkout_would(): void {
		global $wpdb;
		$mug  = Shop::product( array( 'sku' => 'MUG', 'name' => 'Blue mug', 'price' => '169' ) );
		$json = self::klarna_order( array( array( 'MUG', 1, 14900 ) ) );
		$cart = self::cart_for( $json, array( 'MUG' => $mug ) );
		$key  = (string) array_key_first( $cart['cart'] );
		// Calculated at 149 (the price then), since raised to 169.
		$cart[ CartStamp::SESSION_KEY ] = array(
			'prices'   => array( $key => '149' ),
			'shipping' => '',
		);
		Shop::session( self::GUEST, $cart );
		$r = $this->post_callback( $json, array( 'kco_session_id' => self::GUEST ) );
		$this->assertSame( 303, $r->status );
		$args = self::location_query( (string) $r->header_value( 'Location' ) );
		$this->assertSame( 'totals_mismatch', $args['kco_validation'] );
		$this->assertArrayHasKey( 'totals_dont_match', $args );

		// Unchanged (149 then and now, however it is written): approved.
		$wpdb->query( $wpdb->prepare( "UPDATE {$wpdb->postmeta} SET meta_value = '149.00' WHERE post_id = %d AND meta_key = '_price'", $mug ) );
		$this->assertSame( 200, $this->post_callback( $json, array( 'kco_session_id' => self::GUEST ) )->status );
	}
}
