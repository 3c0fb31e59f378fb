<?php
/**
 * SnapshotBuilder: the snapshot of docs/contract.md §1 from a real database, and its fixed number of queries.
 *
 * @package KcoValidation\Plugin\Tests
 */

namespace KcoValidation\Plugin\Tests;

use KcoValidation\Order;
use KcoValidation\Plugin\Snapshot\CouponRepository;
use KcoValidation\Plugin\Snapshot\CustomerRepository;
use KcoValidation\Plugin\Snapshot\ProductRepository;
use KcoValidation\Plugin\Snapshot\SessionStore;
use KcoValidation\Plugin\Settings;
use KcoValidation\Plugin\Snapshot\SnapshotBuilder;

class SnapshotBuilderTest extends TestCase {

	private function builder(): SnapshotBuilder {
		global $wpdb;
		return new SnapshotBuilder( new ProductRepository( $wpdb ), new CouponRepository( $wpdb ), new CustomerRepository( $wpdb ), Settings::load() );
	}

	private function build( string $json, string $key = self::GUEST, ?int $now = null ): array {
		global $wpdb;
		$session = ( new SessionStore( $wpdb ) )->load( $key );
		return $this->builder()->build( Order::parse( $json ), $session, $now );
	}

	public function test_snapshot_has_every_required_key_and_the_extension_accepts_it(): void {
		$mug  = Shop::product( array( 'sku' => 'MUG', 'name' => 'Blue mug', 'manage_stock' => true, 'stock' => 5 ) );
		$json = self::klarna_order( array( array( 'MUG', 2, 10000 ) ) );
		Shop::coupon( 'summer10', array( 'usage_limit_per_user' => '1', '_used_by' => array( 'a@b.se', '17' ), 'customer_email' => array( '*@B.se' ), 'minimum_amount' => '10', 'date_expires' => '1893456000' ) );
		Shop::session( self::GUEST, self::cart_for( $json, array( 'MUG' => $mug ), array( 'applied_coupons' => array( 'Summer10' ), 'order_awaiting_payment' => 42 ) ) );
		$s = $this->build( $json, self::GUEST, 1764000000 );

		$this->assertSame( array( 'currency', 'price_decimals', 'now', 'session', 'cart', 'products', 'coupons', 'customer', 'checkout', 'language', 'options' ), array_keys( $s ) );
		$this->assertSame( array( 'total', 'total_tax', 'subtotal', 'needs_shipping', 'shipping_enabled', 'chosen_shipping', 'available_shipping', 'packages', 'lines', 'coupons' ), array_keys( $s['cart'] ) );
		$this->assertSame( array( 'code' => null, 'locale' => null ), $s['language'] );
		$this->assertSame( 'SEK', $s['currency'] );
		$this->assertSame( 2, $s['price_decimals'] );
		$this->assertSame( 1764000000, $s['now'] );
		$this->assertSame(
			array( 'found' => true, 'expired' => false, 'customer_id' => self::GUEST, 'own_order_id' => 42, 'klarna_order_id' => json_decode( $json, true )['order_id'] ),
			$s['session']
		);
		$this->assertSame( '249', $s['cart']['total'] );
		$this->assertSame( '49.8', $s['cart']['total_tax'] );
		$this->assertSame( '160', $s['cart']['subtotal'] );
		$this->assertTrue( $s['cart']['needs_shipping'] );
		$this->assertTrue( $s['cart']['shipping_enabled'] );
		$this->assertSame( array( 'flat_rate:3' ), $s['cart']['chosen_shipping'] );
		$this->assertSame( array( 'flat_rate:3', 'free_shipping:1' ), $s['cart']['available_shipping'] );
		$this->assertSame(
			array( array( 'product_id' => $mug, 'variation_id' => 0, 'reference' => 'MUG', 'quantity' => 2, 'total' => '160', 'tax' => '40', 'subtotal' => '160', 'subtotal_tax' => '40', 'name' => 'Blue mug', 'price_then' => null ) ),
			$s['cart']['lines']
		);
		$this->assertSame( array( 'summer10' ), $s['cart']['coupons'] );
		$this->assertSame(
			array( 'id' => $mug, 'stock_owner_id' => $mug, 'purchasable' => true, 'virtual' => false, 'manage_stock' => true, 'stock_quantity' => 5, 'held' => 0, 'stock_status' => 'instock', 'backorders' => 'no', 'name' => 'Blue mug', 'subscription' => false, 'trial_length' => 0, 'on_sale' => false, 'price' => '100' ),
			$s['products']['MUG']
		);
		$this->assertSame(
			array( 'exists' => true, 'expires' => 1893456000, 'usage_limit' => 0, 'usage_count' => 0, 'usage_limit_per_user' => 1, 'used_by' => array( 'a@b.se', '17' ), 'held_by' => array(), 'email_restrictions' => array( '*@b.se' ), 'minimum_amount' => '10', 'maximum_amount' => null, 'discount_type' => 'percent', 'product_ids' => array(), 'excluded_product_ids' => array(), 'product_categories' => array(), 'excluded_product_categories' => array(), 'exclude_sale_items' => false ),
			$s['coupons']['summer10']
		);
		$this->assertSame( array( 'logged_in' => false, 'user_id' => 0, 'email_exists' => false, 'user_ids_for_email' => array(), 'account_email' => null ), $s['customer'] );
		$this->assertSame( array( 'registration_required' => false, 'registration_enabled' => true, 'subscriptions_active' => false ), $s['checkout'] );
		$this->assertSame( array( 'response_mode' => 'redirect', 'total_tolerance' => 0, 'unknown_products' => 'deny' ), $s['options'] );

		$verdict = Order::parse( $json )->validate( $s );
		$this->assertIsBool( $verdict['approved'] );
	}

	public function test_missing_session_gives_an_empty_cart_the_extension_accepts(): void {
		$s = $this->build( self::fixture( '01-se-sek-basic.json' ), 'ffffffffffffffffffffffffffffffff' );
		$this->assertFalse( $s['session']['found'] );
		$this->assertSame( array(), $s['cart']['lines'] );
		$this->assertSame( '0', $s['cart']['total'] );
		$this->assertFalse( $s['cart']['needs_shipping'] );
		$verdict = Order::parse( self::fixture( '01-se-sek-basic.json' ) )->validate( $s );
		$this->assertContains( 'session_missing', $verdict['codes'] );
	}

	public function test_logged_in_user_and_accounts_for_the_billing_email(): void {
		$user  = Shop::user( 'Owner@Example.se' );
		$other = Shop::user( 'someone@example.se', 'SOFIA.LINDQVIST@example.se' );
		$same  = Shop::user( 'sofia.lindqvist@example.se' );
		$mug   = Shop::product( array( 'sku' => 'MUG' ) );
		$json  = self::klarna_order( array( array( 'MUG', 1, 10000 ) ) );
		Shop::session( (string) $user, self::cart_for( $json, array( 'MUG' => $mug ) ) );
		$s = $this->build( $json, (string) $user );
		$this->assertSame( array( 'logged_in' => true, 'user_id' => $user, 'email_exists' => true, 'user_ids_for_email' => array(), 'account_email' => 'Owner@Example.se' ), $s['customer'], 'no per-user coupon: billing_email is not read' );

		// A per-user-limited coupon used by $other (whose billing email is the order's): $other counts, as
		// get_user_ids_for_billing_email() finds it. $same only has the order's email as its account email: not an
		// alias at WooCommerce's checkout.
		Shop::coupon( 'once', array( 'usage_limit_per_user' => '1', '_used_by' => array( (string) $other, 'x@y.se' ) ) );
		Shop::coupon( 'free', array( '_used_by' => array( (string) $user ) ) );
		global $wpdb;
		$wpdb->query( "DELETE FROM {$wpdb->prefix}woocommerce_sessions" );
		Shop::session( (string) $user, self::cart_for( $json, array( 'MUG' => $mug ), array( 'applied_coupons' => array( 'once', 'free' ) ) ) );
		$s = $this->build( $json, (string) $user );
		$this->assertSame( array( $other ), $s['customer']['user_ids_for_email'] );
	}

	public function test_a_digit_session_key_for_a_deleted_user_is_not_logged_in(): void {
		$mug  = Shop::product( array( 'sku' => 'MUG' ) );
		$json = self::klarna_order( array( array( 'MUG', 1, 10000 ) ) );
		Shop::session( '4711', self::cart_for( $json, array( 'MUG' => $mug ) ) );
		$s = $this->build( $json, '4711' );
		$this->assertFalse( $s['customer']['logged_in'] );
		$this->assertSame( 0, $s['customer']['user_id'] );
	}

	public function test_virtual_only_cart_and_disabled_shipping_need_no_shipping(): void {
		$lic  = Shop::product( array( 'sku' => 'LIC', 'virtual' => true ) );
		$json = self::klarna_order( array( array( 'LIC', 1, 10000, 'type' => 'digital' ) ), array( 'shipping' => null ) );
		Shop::session( self::GUEST, self::cart_for( $json, array( 'LIC' => $lic ) ) );
		$this->assertFalse( $this->build( $json )['cart']['needs_shipping'] );

		$mug  = Shop::product( array( 'sku' => 'MUG' ) );
		$json = self::klarna_order( array( array( 'MUG', 1, 10000 ) ) );
		Shop::session( 't_' . str_repeat( 'c', 30 ), self::cart_for( $json, array( 'MUG' => $mug ) ) );
		$this->assertTrue( $this->build( $json, 't_' . str_repeat( 'c', 30 ) )['cart']['needs_shipping'] );
		update_option( 'woocommerce_ship_to_countries', 'disabled' );
		$s = $this->build( $json, 't_' . str_repeat( 'c', 30 ) );
		$this->assertFalse( $s['cart']['needs_shipping'] );
		$this->assertFalse( $s['cart']['shipping_enabled'] );
	}

	public function test_coupon_subtotal_includes_tax_when_prices_are_shown_with_tax(): void {
		update_option( 'woocommerce_tax_display_cart', 'incl' );
		$mug  = Shop::product( array( 'sku' => 'MUG' ) );
		$json = self::klarna_order( array( array( 'MUG', 1, 10000 ) ) );
		Shop::session( self::GUEST, self::cart_for( $json, array( 'MUG' => $mug ) ) );
		$this->assertSame( '100', $this->build( $json )['cart']['subtotal'] );
	}

	public function test_unpublished_and_priceless_products_and_variations_of_drafts_are_not_purchasable(): void {
		$draft  = Shop::product( array( 'sku' => 'DRAFT', 'status' => 'draft' ) );
		$free   = Shop::product( array( 'sku' => 'NOPRICE', 'price' => '' ) );
		$parent = Shop::product( array( 'sku' => 'P', 'status' => 'draft' ) );
		$var    = Shop::product( array( 'sku' => 'P-1' ), $parent );
		$json   = self::klarna_order( array( array( 'DRAFT', 1, 100 ), array( 'NOPRICE', 1, 100 ), array( 'P-1', 1, 100 ) ) );
		Shop::session( self::GUEST, self::cart_for( $json, array( 'DRAFT' => $draft, 'NOPRICE' => $free, 'P-1' => array( $parent, $var ) ) ) );
		$s = $this->build( $json );
		foreach ( array( 'DRAFT', 'NOPRICE', 'P-1' ) as $ref ) {
			$this->assertFalse( $s['products'][ $ref ]['purchasable'], $ref );
		}
	}

	public function test_store_wide_stock_management_off_means_no_product_manages_stock(): void {
		update_option( 'woocommerce_manage_stock', 'no' );
		$mug  = Shop::product( array( 'sku' => 'MUG', 'manage_stock' => true, 'stock' => 0 ) );
		$json = self::klarna_order( array( array( 'MUG', 1, 10000 ) ) );
		Shop::reservation( $mug, 3 );
		Shop::session( self::GUEST, self::cart_for( $json, array( 'MUG' => $mug ) ) );
		self::reset_queries();
		$s = $this->build( $json );
		$this->assertFalse( $s['products']['MUG']['manage_stock'] );
		$this->assertNull( $s['products']['MUG']['stock_quantity'] );
		$this->assertSame( 0, $s['products']['MUG']['held'] );
		$this->assertCount( 0, array_filter( self::queries(), static fn ( $q ) => str_contains( $q, 'wc_reserved_stock' ) ) );
	}

	public function test_snapshot_and_verdict_filters_see_the_session(): void {
		$json = self::fixture( '01-se-sek-basic.json' );
		$this->assertSame( 'SEK', $this->build( $json )['currency'] );
		add_filter( 'woocommerce_currency', static fn () => 'EUR' );
		$this->assertSame( 'EUR', $this->build( $json )['currency'], 'the currency comes from get_woocommerce_currency() (multi-currency plugins filter it)' );
	}

	/**
	 * The number of queries of one callback is the same for 1, 10, 30 and 100 order lines, the stock claim of the
	 * approval included.
	 */
	public function test_queries_per_callback_do_not_grow_with_the_number_of_lines(): void {
		global $wpdb;
		$counts = array();
		foreach ( array( 1, 10, 30, 100 ) as $n ) {
			$this->setUp();
			update_option( 'woocommerce_enable_guest_checkout', 'no' );
			$user = (string) Shop::user( 'sofia.lindqvist@example.se' );
			Shop::coupon( 'a' );
			Shop::coupon( 'b', array( 'usage_limit_per_user' => '2', '_used_by' => array( 'x@y.se' ) ) );
			$goods = array();
			$ids   = array();
			for ( $i = 0; $i < $n; $i++ ) {
				$ref = 'SKU-' . $i;
				if ( 0 === $i % 3 ) {
					$parent      = Shop::product( array( 'sku' => 'PARENT-' . $i, 'manage_stock' => true, 'stock' => 500 ) );
					$ids[ $ref ] = array( $parent, Shop::product( array( 'sku' => $ref ), $parent ) );
				} else {
					$ids[ $ref ] = Shop::product( array( 'sku' => $ref, 'manage_stock' => true, 'stock' => 500 ) );
					Shop::reservation( is_array( $ids[ $ref ] ) ? $ids[ $ref ][0] : $ids[ $ref ], 1 );
				}
				$goods[] = array( $ref, 1, 1000 );
			}
			$json = self::klarna_order( $goods );
			Shop::session( $user, self::cart_for( $json, $ids, array( 'applied_coupons' => array( 'a', 'b' ) ) ) );
			self::reset_queries();
			$r = $this->post_callback( $json, array( 'kco_session_id' => $user ) );
			$this->assertSame( 200, $r->status, $n . ' lines: ' . $r->header_value( 'Location' ) );
			$counts[ $n ] = $wpdb->num_queries;
		}
		// Four reads, then the approval's stock claim: one INSERT for every owner, which checks held stock itself
		// (issue 14; it was held stock, then eight statements).
		$this->assertSame( array( 1 => 5, 10 => 5, 30 => 5, 100 => 5 ), $counts, 'session, products, coupons, users; the claim' );
	}

	public function test_a_variation_found_by_its_own_sku_loads_its_parent_in_one_more_query(): void {
		$parent = Shop::product( array( 'sku' => 'P', 'manage_stock' => true, 'stock' => 3 ) );
		$var    = Shop::product( array( 'sku' => 'P-RED' ), $parent );
		$json   = self::klarna_order( array( array( 'P-RED', 1, 100 ) ) );
		self::reset_queries();
		$s = $this->build( $json, 'ffffffffffffffffffffffffffffffff' );
		$this->assertSame( $var, $s['products']['P-RED']['id'] );
		$this->assertSame( $parent, $s['products']['P-RED']['stock_owner_id'] );
		$this->assertSame( 3, $s['products']['P-RED']['stock_quantity'] );
		$this->assertCount( 2, array_filter( self::queries(), static fn ( $q ) => str_contains( $q, 'JOIN wp_posts p ON p.ID = k.kid' ) ) );
	}
}
