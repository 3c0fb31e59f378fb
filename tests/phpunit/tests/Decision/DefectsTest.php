<?php
/**
 * Our answer to each plugin-side defect of KCO 1.x (reference-kco-1x.md §6, D1–D19), through the endpoint with
 * the real extension and database. D17 and D18 have more tests in NoticesTest and KcoIntegrationTest.
 *
 * @package KcoValidation\Plugin\Tests
 */

namespace KcoValidation\Plugin\Tests;

use KcoValidation\Plugin\ShopperPage\Notices;

class DefectsTest extends TestCase {

	private function post( string $json, array $session, string $key = self::GUEST ): CapturingResponse {
		Shop::session( $key, $session );
		return $this->post_callback( $json, array( 'kco_session_id' => $key ) );
	}

	private static function codes( CapturingResponse $r ): array {
		$args = self::location_query( $r->header_value( 'Location' ) );
		return isset( $args['kco_validation'] ) ? explode( ',', $args['kco_validation'] ) : array();
	}

	public function test_d1_every_reason_is_reported_not_only_the_first(): void {
		$mug = Shop::product( array( 'sku' => 'MUG', 'manage_stock' => true, 'stock' => 1 ) );
		Shop::coupon( 'old', array( 'date_expires' => (string) ( time() - 10 ) ) );
		$json = self::klarna_order( array( array( 'MUG', 2, 10000 ) ) );
		$cart = self::cart_for( $json, array( 'MUG' => $mug ), array( 'applied_coupons' => array( 'old' ) ) );
		$cart['cart_totals']['total'] = '100.00';
		$r = $this->post( $json, $cart );
		$this->assertSame( 303, $r->status );
		$codes = self::codes( $r );
		foreach ( array( 'insufficient_stock', 'coupon_invalid', 'totals_mismatch' ) as $code ) {
			$this->assertContains( $code, $codes );
		}
		$this->assertStringStartsWith( 'https://shop.example/cart/?stock_validate_failed&', (string) $r->header_value( 'Location' ) );
		$this->assertGreaterThanOrEqual( 3, count( Notices::messages_for( self::location_query( $r->header_value( 'Location' ) ) ) ) );
	}

	public function test_d2_a_product_that_is_gone_fails_closed_or_is_ignored_by_setting(): void {
		global $wpdb;
		$mug  = Shop::product( array( 'sku' => 'MUG' ) );
		$gone = Shop::product( array( 'sku' => 'GONE' ) );
		$json = self::klarna_order( array( array( 'MUG', 1, 10000 ), array( 'GONE', 1, 5000 ) ) );
		$cart = self::cart_for( $json, array( 'MUG' => $mug, 'GONE' => $gone ) );
		// Deleted for good: the shop does not know it any more.
		$wpdb->query( $wpdb->prepare( "DELETE FROM {$wpdb->posts} WHERE ID = %d", $gone ) );
		$wpdb->query( $wpdb->prepare( "DELETE FROM {$wpdb->prefix}wc_product_meta_lookup WHERE product_id = %d", $gone ) );
		$r = $this->post( $json, $cart );
		$this->assertContains( 'unknown_product', self::codes( $r ) );

		update_option( 'kco_validation_unknown_products', 'ignore' );
		$r = $this->post_callback( $json, array( 'kco_session_id' => self::GUEST ) );
		$this->assertNotContains( 'unknown_product', self::codes( $r ) );
	}

	public function test_a_trashed_product_in_the_cart_is_not_purchasable_as_woocommerce_drops_it(): void {
		// WC_Cart_Session::get_cart_from_session(): a trashed product is removed from the cart ("can no longer be
		// purchased"); the shop knows it (make test-real: product_trashed_after_the_order_was_built).
		$mug  = Shop::product( array( 'sku' => 'MUG' ) );
		$gone = Shop::product( array( 'sku' => 'GONE', 'status' => 'trash' ) );
		$json = self::klarna_order( array( array( 'MUG', 1, 10000 ), array( 'GONE', 1, 5000 ) ) );
		$r    = $this->post( $json, self::cart_for( $json, array( 'MUG' => $mug, 'GONE' => $gone ) ) );
		$this->assertSame( array( 'not_purchasable' ), self::codes( $r ) );
		update_option( 'kco_validation_unknown_products', 'ignore' );
		$this->assertSame( array( 'not_purchasable' ), self::codes( $this->post_callback( $json, array( 'kco_session_id' => self::GUEST ) ) ), 'known, so not ignored' );
	}

	public function test_d3_a_variation_showing_its_parents_sku_is_checked_as_the_variation(): void {
		$parent = Shop::product( array( 'sku' => 'SHIRT', 'name' => 'Shirt' ) );
		$red    = Shop::product( array( 'sku' => '', 'name' => 'Shirt - Red', 'stock_status' => 'outofstock', 'manage_stock' => true, 'stock' => 0 ), $parent );
		Shop::product( array( 'sku' => '', 'name' => 'Shirt - Blue', 'manage_stock' => true, 'stock' => 9 ), $parent );
		// KCO sends the parent's SKU for a variation without its own (WC_Product_Variation::get_sku()).
		$json = self::klarna_order( array( array( 'SHIRT', 1, 20000 ) ) );
		$r    = $this->post( $json, self::cart_for( $json, array( 'SHIRT' => array( $parent, $red ) ) ) );
		$this->assertSame( 303, $r->status );
		$this->assertSame( array( 'out_of_stock' ), self::codes( $r ) );
		$this->assertSame( $red, $this->snapshot_seen['products']['SHIRT']['id'] ?? null );
	}

	public function test_d3_two_variations_sharing_their_parents_sku_are_each_checked_as_themselves(): void {
		global $wpdb;
		$verdicts = array();
		add_action(
			'kco_validation_decided',
			static function ( $verdict ) use ( &$verdicts ) {
				$verdicts[] = $verdict;
			}
		);
		Shop::coupon( 'welcome' );
		$tee  = Shop::product( array( 'sku' => 'TEE', 'name' => 'T-shirt' ) );
		$red  = Shop::product( array( 'sku' => '', 'name' => 'T-shirt - Red', 'manage_stock' => true, 'stock' => 5 ), $tee );
		$blue = Shop::product( array( 'sku' => '', 'name' => 'T-shirt - Blue', 'manage_stock' => true, 'stock' => 1 ), $tee );
		// Both lines carry the parent's SKU (KCO: WC_Product_Variation::get_sku()), Red first as in the cart.
		$json = self::klarna_order( array( array( 'TEE', 1, 20000, 'name' => 'T-shirt - Red' ), array( 'TEE', 2, 20000, 'name' => 'T-shirt - Blue' ) ) );
		$cart = self::cart_for( $json, array( 'TEE' => array( $tee, $red ) ), array( 'applied_coupons' => array( 'welcome' ) ) );
		$keys = array_keys( $cart['cart'] );
		$cart['cart'][ $keys[1] ]['variation_id'] = $blue;
		Shop::session( self::GUEST, $cart );
		self::reset_queries();
		$r = $this->post_callback( $json, array( 'kco_session_id' => self::GUEST ) );
		$this->assertSame( 4, $wpdb->num_queries, 'session, products, held stock, coupons (a guest who may check out as a guest: no account lookup)' );
		$this->assertSame( 303, $r->status );
		$this->assertSame( array( 'insufficient_stock' ), self::codes( $r ) );
		$failure = $verdicts[0]['failures'][0];
		$this->assertSame( 'T-shirt - Blue', $failure['params']['name'] ?? null, (string) ( $failure['message'] ?? '' ) );
		$this->assertSame( 1, $failure['params']['available'] ?? null );
		$this->assertSame( 2, $failure['params']['requested'] ?? null );
		$this->assertStringContainsString( 'T-shirt - Blue', $failure['message'] );
		// Each line names its own entry; products['TEE'] stays as before (the first cart line's item).
		$lines = $this->snapshot_seen['cart']['lines'];
		$this->assertSame( array( '#' . $red, '#' . $blue ), array( $lines[0]['product_key'] ?? null, $lines[1]['product_key'] ?? null ) );
		$this->assertSame( $red, $this->snapshot_seen['products'][ '#' . $red ]['id'] );
		$this->assertSame( $blue, $this->snapshot_seen['products'][ '#' . $blue ]['id'] );
		$this->assertSame( $red, $this->snapshot_seen['products']['TEE']['id'] );

		$wpdb->query( $wpdb->prepare( "UPDATE {$wpdb->postmeta} SET meta_value = '2' WHERE post_id = %d AND meta_key = '_stock'", $blue ) );
		$r = $this->post_callback( $json, array( 'kco_session_id' => self::GUEST ) );
		$this->assertSame( 200, $r->status, (string) $r->header_value( 'Location' ) );
		$this->assertTrue( $verdicts[1]['approved'] );
	}

	public function test_d3_a_variation_with_its_own_sku_or_id_is_itself(): void {
		$parent = Shop::product( array( 'sku' => 'SHIRT', 'manage_stock' => true, 'stock' => 0, 'stock_status' => 'outofstock' ) );
		$own    = Shop::product( array( 'sku' => 'SHIRT-RED', 'manage_stock' => true, 'stock' => 5 ), $parent );
		$json   = self::klarna_order( array( array( 'SHIRT-RED', 1, 20000 ) ) );
		$r      = $this->post( $json, self::cart_for( $json, array( 'SHIRT-RED' => array( $parent, $own ) ) ) );
		$this->assertSame( 200, $r->status, (string) $r->header_value( 'Location' ) );
	}

	public function test_d3_a_variation_that_does_not_manage_stock_uses_its_parents_stock(): void {
		$parent = Shop::product( array( 'sku' => 'SHIRT', 'manage_stock' => true, 'stock' => 1 ) );
		$a      = Shop::product( array( 'sku' => 'SHIRT-A' ), $parent );
		$b      = Shop::product( array( 'sku' => 'SHIRT-B' ), $parent );
		$json   = self::klarna_order( array( array( 'SHIRT-A', 1, 20000 ), array( 'SHIRT-B', 1, 20000 ) ) );
		$r      = $this->post( $json, self::cart_for( $json, array( 'SHIRT-A' => array( $parent, $a ), 'SHIRT-B' => array( $parent, $b ) ) ) );
		$this->assertSame( array( 'insufficient_stock' ), self::codes( $r ), 'two variations share the parent\'s single unit' );
		$this->assertSame( $parent, $this->snapshot_seen['products']['SHIRT-A']['stock_owner_id'] );
	}

	public function test_d4_an_id_that_is_another_products_sku_resolves_to_the_cart_product(): void {
		$plain   = Shop::product( array( 'sku' => '', 'name' => 'No SKU', 'manage_stock' => true, 'stock' => 5 ) );
		$other   = Shop::product( array( 'sku' => (string) $plain, 'name' => 'Numeric SKU', 'stock_status' => 'outofstock' ) );
		$json    = self::klarna_order( array( array( (string) $plain, 1, 10000 ) ) );
		$r       = $this->post( $json, self::cart_for( $json, array( (string) $plain => $plain ) ) );
		$this->assertSame( 200, $r->status, (string) $r->header_value( 'Location' ) );
		$this->assertSame( $plain, $this->snapshot_seen['products'][ (string) $plain ]['id'] );
		$this->assertNotSame( $other, $plain );
	}

	public function test_d4_without_a_cart_line_a_sku_wins_and_digits_fall_back_to_the_id(): void {
		$plain = Shop::product( array( 'sku' => '', 'name' => 'No SKU' ) );
		$other = Shop::product( array( 'sku' => (string) $plain, 'name' => 'Numeric SKU' ) );
		$third = Shop::product( array( 'sku' => '', 'name' => 'Only id' ) );
		$json  = self::klarna_order( array( array( (string) $plain, 1, 10000 ), array( (string) $third, 1, 10000 ), array( 'NOPE', 1, 100 ) ) );
		$this->post( $json, array() );
		$this->assertSame( $other, $this->snapshot_seen['products'][ (string) $plain ]['id'] );
		$this->assertSame( $third, $this->snapshot_seen['products'][ (string) $third ]['id'] );
		$this->assertArrayNotHasKey( 'NOPE', $this->snapshot_seen['products'] );
	}

	public function test_d5_quantities_of_one_product_on_several_lines_are_summed(): void {
		$mug  = Shop::product( array( 'sku' => 'MUG', 'manage_stock' => true, 'stock' => 1 ) );
		$json = self::klarna_order( array( array( 'MUG', 1, 10000 ), array( 'MUG', 1, 10000 ) ) );
		$r    = $this->post( $json, self::cart_for( $json, array( 'MUG' => $mug ) ) );
		$this->assertContains( 'insufficient_stock', self::codes( $r ) );
	}

	public function test_d5_stock_held_by_other_pending_orders_counts_but_not_the_own_order(): void {
		$mug  = Shop::product( array( 'sku' => 'MUG', 'manage_stock' => true, 'stock' => 2 ) );
		$json = self::klarna_order( array( array( 'MUG', 2, 10000 ) ) );
		$mine = Shop::reservation( $mug, 2 );
		Shop::reservation( $mug, 5, -60 ); // Expired: ignored.
		Shop::reservation( $mug, 5, 600, 'wc-processing' ); // Not pending: ignored.
		$r = $this->post( $json, self::cart_for( $json, array( 'MUG' => $mug ), array( 'order_awaiting_payment' => $mine ) ) );
		$this->assertSame( 200, $r->status, 'own reservation excluded' );
		Shop::reservation( $mug, 1 );
		$r = $this->post_callback( $json, array( 'kco_session_id' => self::GUEST ) );
		$this->assertSame( array( 'insufficient_stock' ), self::codes( $r ) );
	}

	public function test_d5_held_stock_with_hpos_order_storage(): void {
		update_option( 'woocommerce_custom_orders_table_enabled', 'yes' );
		$mug  = Shop::product( array( 'sku' => 'MUG', 'manage_stock' => true, 'stock' => 2 ) );
		$json = self::klarna_order( array( array( 'MUG', 2, 10000 ) ) );
		Shop::reservation( $mug, 1, 600, 'wc-checkout-draft', true );
		$r = $this->post( $json, self::cart_for( $json, array( 'MUG' => $mug ) ) );
		$this->assertSame( array( 'insufficient_stock' ), self::codes( $r ) );
		$this->assertSame( 1, $this->snapshot_seen['products']['MUG']['held'] );
	}

	public function test_d6_a_subscription_with_a_trial_does_not_cancel_shipping_whatever_the_line_order(): void {
		add_filter( 'kco_validation_subscriptions_active', static fn () => true );
		$mug = Shop::product( array( 'sku' => 'MUG' ) );
		$sub = Shop::product( array( 'sku' => 'BOX', 'meta' => array( '_subscription_period' => 'month', '_subscription_trial_length' => '7' ) ) );
		foreach ( array( array( 'MUG', 'BOX' ), array( 'BOX', 'MUG' ) ) as $i => $refs ) {
			$json = self::klarna_order( array( array( $refs[0], 1, 10000 ), array( $refs[1], 1, 10000 ) ), array( 'shipping' => null ) );
			$key  = 't_' . str_repeat( (string) $i, 30 );
			$r    = $this->post( $json, self::cart_for( $json, array( 'MUG' => $mug, 'BOX' => $sub ) ), $key );
			$this->assertContains( 'shipping_missing', self::codes( $r ), implode( ',', $refs ) );
			$this->assertTrue( $this->snapshot_seen['products']['BOX']['subscription'] );
			$this->assertSame( 7, $this->snapshot_seen['products']['BOX']['trial_length'] );
		}
	}

	public function test_d7_a_shipping_line_whose_rate_is_not_offered_is_refused(): void {
		$mug  = Shop::product( array( 'sku' => 'MUG' ) );
		$json = self::klarna_order( array( array( 'MUG', 1, 10000 ) ), array( 'shipping' => array( 'flat_rate:9', 4900 ) ) );
		$cart = self::cart_for( $json, array( 'MUG' => $mug ), array( 'chosen_shipping_methods' => array( 'flat_rate:3' ), 'shipping_for_package_0' => Shop::shipping_package( array( 'flat_rate:3' ) ) ) );
		$r    = $this->post( $json, $cart );
		$this->assertContains( 'shipping_unavailable', self::codes( $r ) );
		$this->assertArrayHasKey( 'no_shipping', self::location_query( $r->header_value( 'Location' ) ) );
	}

	public function test_d8_coupon_global_limit_email_restriction_and_minimum_spend(): void {
		$mug = Shop::product( array( 'sku' => 'MUG' ) );
		Shop::coupon( 'used-up', array( 'usage_limit' => '5', 'usage_count' => '5' ) );
		Shop::coupon( 'staff', array( 'customer_email' => array( '*@staff.example' ) ) );
		Shop::coupon( 'big', array( 'minimum_amount' => '1000' ) );
		Shop::coupon( 'fine' );
		foreach ( array( 'used-up', 'staff', 'big' ) as $i => $code ) {
			$json = self::klarna_order( array( array( 'MUG', 1, 10000 ) ) );
			$key  = 't_' . str_repeat( (string) $i, 30 );
			$r    = $this->post( $json, self::cart_for( $json, array( 'MUG' => $mug ), array( 'applied_coupons' => array( $code, 'fine' ) ) ), $key );
			$this->assertSame( array( 'coupon_invalid' ), self::codes( $r ), $code );
		}
	}

	public function test_d8_coupon_held_by_a_pending_checkout_counts_towards_the_limit(): void {
		$mug = Shop::product( array( 'sku' => 'MUG' ) );
		$id  = Shop::coupon( 'last', array( 'usage_limit' => '1', 'usage_count' => '0' ) );
		Shop::meta( $id, array( '_coupon_held_' . ( time() + 600 ) . '_abc123' => '55' ) );
		$json = self::klarna_order( array( array( 'MUG', 1, 10000 ) ) );
		$r    = $this->post( $json, self::cart_for( $json, array( 'MUG' => $mug ), array( 'applied_coupons' => array( 'LAST' ) ) ) );
		$this->assertSame( array( 'coupon_invalid' ), self::codes( $r ) );
		$this->assertSame( 1, $this->snapshot_seen['coupons']['last']['usage_count'] );
	}

	public function test_d8_per_user_limit_counts_uses_by_an_account_whose_billing_email_is_the_orders(): void {
		$mug   = Shop::product( array( 'sku' => 'MUG' ) );
		$other = Shop::user( 'login@example.se', 'shopper@example.se' );
		Shop::coupon( 'once', array( 'usage_limit_per_user' => '1', '_used_by' => array( (string) $other ) ) );
		Shop::coupon( 'plenty', array( 'usage_limit_per_user' => '2', '_used_by' => array( (string) $other ) ) );
		foreach ( array( 'once' => array( 'coupon_invalid' ), 'plenty' => array() ) as $code => $expected ) {
			$json = self::klarna_order( array( array( 'MUG', 1, 10000 ) ), array( 'email' => 'shopper@example.se' ) );
			$key  = 't_' . str_repeat( 'once' === $code ? 'a' : 'b', 30 );
			$r    = $this->post( $json, self::cart_for( $json, array( 'MUG' => $mug ), array( 'applied_coupons' => array( $code ) ) ), $key );
			$this->assertSame( $expected, self::codes( $r ), $code );
			$this->assertSame( array( $other ), $this->snapshot_seen['customer']['user_ids_for_email'] );
		}
	}

	public function test_d9_server_side_facts_win_over_merchant_data(): void {
		update_option( 'woocommerce_enable_guest_checkout', 'no' );
		Shop::user( 'sofia.lindqvist@example.se' );
		Shop::coupon( 'expired', array( 'date_expires' => (string) ( time() - 10 ) ) );
		$mug  = Shop::product( array( 'sku' => 'MUG' ) );
		$json = self::klarna_order( array( array( 'MUG', 1, 10000 ) ), array( 'merchant_data' => '{"is_user_logged_in":true,"coupons":["expired"]}' ) );
		$r    = $this->post( $json, self::cart_for( $json, array( 'MUG' => $mug ) ) );
		$this->assertSame( array( 'login_required' ), self::codes( $r ), 'a guest session is a guest; merchant_data coupons are not the cart\'s' );
		$this->assertFalse( $this->snapshot_seen['customer']['logged_in'] );
		$this->assertSame( array(), $this->snapshot_seen['cart']['coupons'] );
	}

	public function test_d10_missing_fields_and_non_json_merchant_data_raise_no_warning(): void {
		$mug   = Shop::product( array( 'sku' => 'MUG' ) );
		$order = json_decode( self::klarna_order( array( array( 'MUG', 1, 10000 ) ), array( 'merchant_data' => 'not json at all' ) ), true );
		unset( $order['shipping_address'], $order['billing_address']['email'] );
		$json = json_encode( $order );
		$r    = $this->post( $json, self::cart_for( $json, array( 'MUG' => $mug ) ) );
		// PHPUnit turns every notice and warning into an exception, which the endpoint would answer as a fault.
		$this->assertStringNotContainsString( 'fault', self::decision_lines()[0]['message'] );
		$this->assertContains( $r->status, array( 200, 303 ) );
	}

	public function test_d11_zero_and_three_decimal_currencies_compare_exactly(): void {
		$mug = Shop::product( array( 'sku' => 'MUG' ) );
		foreach ( array( 'JPY' => 1500, 'KWD' => 12345 ) as $currency => $price ) {
			update_option( 'woocommerce_currency', $currency );
			$json = self::klarna_order( array( array( 'MUG', 1, $price ) ), array( 'currency' => $currency, 'shipping' => array( 'flat_rate:3', 0 ) ) );
			$cart = self::cart_for( $json, array( 'MUG' => $mug ) );
			$exp  = 'JPY' === $currency ? 1 : 1000;
			$cart['cart_totals']['total']     = (string) ( $price / $exp );
			$cart['cart_totals']['total_tax'] = json_decode( $json, true )['order_tax_amount'] / $exp;
			foreach ( $cart['cart'] as &$item ) {
				$item['line_total']        = ( $price - json_decode( $json, true )['order_tax_amount'] ) / $exp;
				$item['line_tax']          = json_decode( $json, true )['order_tax_amount'] / $exp;
				$item['line_subtotal']     = $item['line_total'];
				$item['line_subtotal_tax'] = $item['line_tax'];
			}
			unset( $item );
			$key = 'JPY' === $currency ? 't_' . str_repeat( 'a', 30 ) : 't_' . str_repeat( 'b', 30 );
			$r   = $this->post( $json, $cart, $key );
			$this->assertSame( 200, $r->status, $currency . ' ' . $r->header_value( 'Location' ) );
			$this->assertSame( $cart['cart_totals']['total'], $this->snapshot_seen['cart']['total'] );
		}
	}

	public function test_d11_float_session_totals_are_passed_as_exact_decimals(): void {
		$mug  = Shop::product( array( 'sku' => 'MUG' ) );
		$json = self::klarna_order( array( array( 'MUG', 3, 3330 ) ), array( 'shipping' => null ) );
		$cart = self::cart_for( $json, array( 'MUG' => $mug ) );
		$cart['cart_totals']['total'] = 0.1 + 0.2 + 99.6; // 99.9 with float noise.
		$this->post( $json, $cart );
		$this->assertSame( '99.9', $this->snapshot_seen['cart']['total'] );
	}

	public function test_d12_the_log_line_names_every_code_and_the_failing_references(): void {
		$mug  = Shop::product( array( 'sku' => 'MUG', 'manage_stock' => true, 'stock' => 0, 'stock_status' => 'outofstock' ) );
		$cup  = Shop::product( array( 'sku' => 'CUP' ) );
		$json = self::klarna_order( array( array( 'MUG', 1, 10000 ), array( 'CUP', 1, 10000 ) ) );
		$this->post( $json, self::cart_for( $json, array( 'MUG' => $mug, 'CUP' => $cup ) ) );
		$line = self::decision_lines()[0]['message'];
		$this->assertStringContainsString( 'codes=out_of_stock', $line );
		$this->assertStringContainsString( 'refs=MUG', $line );
		$this->assertStringNotContainsString( 'CUP', $line );
	}

	public function test_d13_the_session_row_is_read_once_and_a_foreign_klarna_order_is_refused(): void {
		$mug  = Shop::product( array( 'sku' => 'MUG' ) );
		$json = self::klarna_order( array( array( 'MUG', 1, 10000 ) ) );
		Shop::session( self::GUEST, self::cart_for( $json, array( 'MUG' => $mug ), array( 'kco_wc_order_id' => 'another-klarna-order' ) ) );
		self::reset_queries();
		$r = $this->post_callback( $json, array( 'kco_session_id' => self::GUEST ) );
		$this->assertCount( 1, array_filter( self::queries(), static fn ( $q ) => str_contains( $q, 'woocommerce_sessions' ) ) );
		$this->assertContains( 'session_mismatch', self::codes( $r ) );
	}

	public function test_d14_d15_the_cart_is_never_recalculated(): void {
		$mug  = Shop::product( array( 'sku' => 'MUG' ) );
		$json = self::klarna_order( array( array( 'MUG', 1, 10000 ) ) );
		$cart = new class() {
			public $calls = array();
			public function __call( $name, $args ) {
				$this->calls[] = $name;
			}
		};
		WC()->cart = $cart; // phpcs:ignore
		$this->post( $json, self::cart_for( $json, array( 'MUG' => $mug ) ) );
		$this->assertSame( array(), $cart->calls );
	}

	public function test_d16_a_checkout_url_with_a_query_string_stays_valid(): void {
		update_option( 'kco_test_checkout_permalink', 'https://shop.example/?page_id=7&lang=sv' );
		$mug  = Shop::product( array( 'sku' => 'MUG' ) );
		$json = self::klarna_order( array( array( 'MUG', 1, 10000 ) ) );
		$cart = self::cart_for( $json, array( 'MUG' => $mug ) );
		$cart['cart_totals']['total'] = '1.00';
		$r    = $this->post( $json, $cart );
		$args = self::location_query( $r->header_value( 'Location' ) );
		$this->assertSame( '7', $args['page_id'] );
		$this->assertSame( 'sv', $args['lang'] );
		$this->assertArrayHasKey( 'totals_dont_match', $args );
	}

	public function test_d19_a_shop_can_veto_with_a_structured_reason_and_see_every_decision(): void {
		$mug  = Shop::product( array( 'sku' => 'MUG' ) );
		$json = self::klarna_order( array( array( 'MUG', 1, 10000 ) ) );
		add_filter(
			'kco_validation_verdict',
			static function ( array $v, $order ) {
				if ( 'SE' === $order->country() ) {
					$v['approved']   = false;
					$v['failures'][] = array( 'code' => 'country_blocked', 'message' => 'No sales to SE today.' );
				}
				return $v;
			},
			10,
			2
		);
		$r = $this->post( $json, self::cart_for( $json, array( 'MUG' => $mug ) ) );
		$this->assertSame( array( 'country_blocked' ), self::codes( $r ) );
	}

	public function test_d20_contrast_the_callback_writes_nothing(): void {
		$mug  = Shop::product( array( 'sku' => 'MUG' ) );
		$json = self::klarna_order( array( array( 'MUG', 1, 10000 ) ) );
		Shop::session( self::GUEST, self::cart_for( $json, array( 'MUG' => $mug ) ) );
		self::reset_queries();
		$this->post_callback( $json, array( 'kco_session_id' => self::GUEST ) );
		$this->assertNotEmpty( self::queries() );
		foreach ( self::queries() as $sql ) {
			$this->assertMatchesRegularExpression( '/^\s*(SET STATEMENT max_statement_time=[0-9.]+ FOR )?SELECT\b/i', $sql, 'read-only (under the time guard)' );
		}
	}

	/** @var array<string, mixed> The last snapshot handed to the extension. */
	private $snapshot_seen = array();

	protected function setUp(): void {
		parent::setUp();
		$this->snapshot_seen = array();
		// The verdict filter sees every snapshot the extension decided on: the last one is the answer's (a denial
		// that read its held stock after the first verdict, Decision\Decider, is decided again).
		add_filter(
			'kco_validation_verdict',
			function ( $v, $order, $s ) {
				$this->snapshot_seen = $s;
				return $v;
			},
			PHP_INT_MAX,
			3
		);
	}
}
