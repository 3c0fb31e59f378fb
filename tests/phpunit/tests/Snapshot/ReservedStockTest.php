<?php
/**
 * Held stock as the running WooCommerce counts it (issue 12, point 5): 3.9–4.2 the `_qty` of other pending checkout
 * orders (wc_get_held_stock_quantity() in includes/wc-stock-functions.php, asked for by
 * WC_Cart::check_cart_item_stock() only with a hold time), 4.3+ the reservations after the
 * `woocommerce_query_for_reserved_stock` filter and the `woocommerce_hold_stock_for_checkout` switch.
 *
 * @package KcoValidation\Plugin\Tests
 */

namespace KcoValidation\Plugin\Tests;

use KcoValidation\Plugin\Claims\ClaimStore;
use KcoValidation\Plugin\Snapshot\ProductRepository;
use KcoValidation\Plugin\Snapshot\ReservedStock;

class ReservedStockTest extends TestCase {

	/** WooCommerce 4.0: no wc_reserved_stock table, pending orders hold stock while the hold time runs. */
	private static function woocommerce_4_0( int $hold_minutes = 60 ): void {
		update_option( 'woocommerce_db_version', '4.0.1' );
		update_option( 'woocommerce_schema_version', '0' );
		update_option( 'woocommerce_hold_stock_minutes', (string) $hold_minutes );
	}

	/**
	 * An order as WooCommerce 3.x–4.2 stores it: a shop_order post with `_created_via`, and line items with `_qty`,
	 * `_product_id` and `_variation_id` (WC_Order_Item_Product_Data_Store). Returns the order id.
	 *
	 * @param array<int, array{0: int, 1: int, 2?: int}> $items [product id, quantity, variation id].
	 */
	private static function legacy_order( array $items, string $status = 'wc-pending', string $created_via = 'checkout' ): int {
		global $wpdb;
		$order = Shop::post( 'shop_order', 'Order', $status );
		Shop::meta( $order, array( '_created_via' => $created_via ) );
		foreach ( $items as $item ) {
			$wpdb->insert(
				$wpdb->prefix . 'woocommerce_order_items',
				array(
					'order_item_name' => 'Item',
					'order_item_type' => 'line_item',
					'order_id'        => $order,
				)
			);
			$item_id = (int) $wpdb->insert_id;
			foreach ( array( '_product_id' => $item[0], '_variation_id' => $item[2] ?? 0, '_qty' => $item[1] ) as $key => $value ) {
				$wpdb->insert(
					$wpdb->prefix . 'woocommerce_order_itemmeta',
					array(
						'order_item_id' => $item_id,
						'meta_key'      => $key,
						'meta_value'    => (string) $value,
					)
				);
			}
		}
		return $order;
	}

	public function test_woocommerce_3_9_to_4_2_holds_the_quantities_of_other_pending_checkout_orders(): void {
		global $wpdb;
		self::woocommerce_4_0();
		$mug    = Shop::product( array( 'sku' => 'MUG', 'manage_stock' => true, 'stock' => 9 ) );
		$parent = Shop::product( array( 'sku' => 'TEE', 'manage_stock' => true, 'stock' => 9 ) );
		$red    = Shop::product( array( 'sku' => 'TEE-R', 'manage_stock' => true, 'stock' => 9 ), $parent );
		$blue   = Shop::product( array( 'sku' => 'TEE-B' ), $parent );
		$mine   = self::legacy_order( array( array( $mug, 4 ) ) );
		self::legacy_order( array( array( $mug, 2 ), array( $parent, 1, $blue ) ) );
		self::legacy_order( array( array( $parent, 3, $red ) ) );
		self::legacy_order( array( array( $mug, 5 ) ), 'wc-processing' );
		self::legacy_order( array( array( $mug, 7 ) ), 'wc-pending', 'admin' );
		$repo = new ProductRepository( $wpdb );
		self::reset_queries();
		// As WooCommerce's query: an owner by `_product_id` (every item of the product, a variation's too), a variation
		// that keeps its own stock by `_variation_id`; orders not pending or not made by the checkout hold nothing.
		$this->assertSame( array( $mug => 6, $parent => 4, $red => 3 ), self::sorted( $repo->held_stock( array( $mug, $parent, $red ), 0 ) ) );
		$this->assertCount( 1, self::queries(), 'one query for every owner' );
		$this->assertSame( array( $mug => 2, $parent => 4, $red => 3 ), self::sorted( $repo->held_stock( array( $mug, $parent, $red ), $mine ) ), 'the own order excluded' );

		self::woocommerce_4_0( 0 );
		self::reset_queries();
		$this->assertSame( array(), $repo->held_stock( array( $mug ), 0 ), 'without a hold time WooCommerce holds nothing' );
		$this->assertSame( array(), self::queries() );
	}

	public function test_a_callback_on_woocommerce_4_0_counts_the_pending_orders(): void {
		self::woocommerce_4_0();
		$mug  = Shop::product( array( 'sku' => 'MUG', 'name' => 'Blue mug', 'manage_stock' => true, 'stock' => 3 ) );
		self::legacy_order( array( array( $mug, 2 ) ) );
		$json = self::klarna_order( array( array( 'MUG', 2, 10000 ) ) );
		Shop::session( self::GUEST, self::cart_for( $json, array( 'MUG' => $mug ) ) );
		$r = $this->post_callback( $json, array( 'kco_session_id' => self::GUEST ) );
		$this->assertSame( 303, $r->status, 'it was approved as if nothing were held' );
		$this->assertSame( 'insufficient_stock', self::location_query( $r->header_value( 'Location' ) )['kco_validation'] );
	}

	public function test_woocommerce_4_3_and_later_apply_the_reserved_stock_query_filter(): void {
		global $wpdb;
		$a = Shop::product( array( 'sku' => 'A' ) );
		$b = Shop::product( array( 'sku' => 'B' ) );
		Shop::reservation( $a, 2 );
		$seen = array();
		add_filter(
			ReservedStock::QUERY_FILTER,
			static function ( $query, $product_id, $exclude ) use ( &$seen, $b ) {
				$seen[] = array( $product_id, $exclude );
				// A shop that also holds 5 of B elsewhere (e.g. a marketplace plugin's own table).
				return $product_id === $b ? 'SELECT 5' : $query;
			},
			10,
			3
		);
		self::reset_queries();
		$this->assertSame( array( $a => 2, $b => 5 ), self::sorted( ( new ProductRepository( $wpdb ) )->held_stock( array( $a, $b ), 77 ) ) );
		$this->assertSame( array( array( $a, 77 ), array( $b, 77 ) ), $seen, 'asked per product, with the own order' );
		$this->assertCount( 1, self::queries(), 'still one query' );
	}

	public function test_woocommerces_switch_turns_its_holds_off_but_not_the_claims(): void {
		global $wpdb;
		$a = Shop::product( array( 'sku' => 'A' ) );
		Shop::reservation( $a, 2 );
		$wpdb->query( $wpdb->prepare( 'INSERT INTO ' . ( new ClaimStore() )->table() . " ( klarna_order_id, product_id, quantity, wc_order_id, created_at, expires ) VALUES ( 'k-other', %d, 3, 0, NOW(), NOW() + INTERVAL 5 MINUTE )", $a ) );
		$repo   = new ProductRepository( $wpdb );
		$claims = ( new ClaimStore() )->held( array( $a ), 'k-mine', 0 );
		$this->assertSame( array( $a => 5 ), $repo->held_stock( array( $a ), 0, $claims ) );
		$this->assertSame( array( $a => 2 ), $repo->held_stock( array( $a ), 0, ( new ClaimStore() )->held( array( $a ), 'k-other', 0 ) ), 'an order\'s own claim is not held against it' );
		add_filter( 'woocommerce_hold_stock_for_checkout', static fn () => false );
		$this->assertSame( array( $a => 3 ), $repo->held_stock( array( $a ), 0, $claims ) );
	}

	/**
	 * Keys sorted.
	 *
	 * @param array<int, int> $held Held stock.
	 * @return array<int, int>
	 */
	private static function sorted( array $held ): array {
		ksort( $held );
		return $held;
	}
}
