<?php
/**
 * The scenarios of reference-kco-1x.md §3 (stock, backorders, shipping, virtual-only, coupons, login, totals),
 * each POSTed through the endpoint with the real extension and a real database.
 *
 * @package KcoValidation\Plugin\Tests
 */

namespace KcoValidation\Plugin\Tests;

class ScenarioTest extends TestCase {

	/** Posts an order whose cart matches it, returns the answer. */
	private function run_order( string $json, array $ids, array $session_extra = array(), string $key = self::GUEST ): CapturingResponse {
		Shop::session( $key, self::cart_for( $json, $ids, $session_extra ) );
		return $this->post_callback( $json, array( 'kco_session_id' => $key, 'kco-action' => 'validation' ) );
	}

	/** Asserts a 303 whose kco_validation codes are exactly $codes and whose KCO 1.x flag is $flag. */
	private function assert_denied( CapturingResponse $r, array $codes, string $flag, string $page = 'checkout' ): void {
		$this->assertSame( 303, $r->status, $r->body );
		$location = (string) $r->header_value( 'Location' );
		$this->assertStringStartsWith( 'https://shop.example/' . $page . '/?', $location, json_encode( self::log_entries() ) );
		$args = self::location_query( $location );
		$this->assertArrayHasKey( $flag, $args, $location );
		$this->assertSame( $codes, explode( ',', $args['kco_validation'] ), $location );
		$this->assertSame( '', $r->body );
	}

	public function test_fixture_01_with_a_matching_cart_is_approved(): void {
		$cup   = Shop::product( array( 'sku' => 'KOPP-STG-01', 'manage_stock' => true, 'stock' => 10 ) );
		$linen = Shop::product( array( 'sku' => 'LINNE-150x250' ) );
		$json  = self::fixture( '01-se-sek-basic.json' );
		$r     = $this->run_order( $json, array( 'KOPP-STG-01' => $cup, 'LINNE-150x250' => $linen ) );
		$this->assertSame( 200, $r->status );
		$this->assertSame( '', $r->body );
		$this->assertNull( $r->header_value( 'Location' ) );
	}

	public function test_stock_insufficient_goes_to_the_cart_with_stock_validate_failed(): void {
		$id = Shop::product( array( 'sku' => 'MUG', 'manage_stock' => true, 'stock' => 1 ) );
		$r  = $this->run_order( self::klarna_order( array( array( 'MUG', 2, 10000 ) ) ), array( 'MUG' => $id ) );
		$this->assert_denied( $r, array( 'insufficient_stock' ), 'stock_validate_failed', 'cart' );
	}

	public function test_stock_status_outofstock_is_refused_even_without_stock_management(): void {
		$id = Shop::product( array( 'sku' => 'MUG', 'stock_status' => 'outofstock' ) );
		$r  = $this->run_order( self::klarna_order( array( array( 'MUG', 1, 10000 ) ) ), array( 'MUG' => $id ) );
		$this->assert_denied( $r, array( 'out_of_stock' ), 'stock_validate_failed', 'cart' );
	}

	public function test_backorders_allowed_pass_with_too_little_stock(): void {
		$id = Shop::product( array( 'sku' => 'MUG', 'manage_stock' => true, 'stock' => 0, 'backorders' => 'notify', 'stock_status' => 'onbackorder' ) );
		$r  = $this->run_order( self::klarna_order( array( array( 'MUG', 3, 10000 ) ) ), array( 'MUG' => $id ) );
		$this->assertSame( 200, $r->status, (string) $r->header_value( 'Location' ) );
	}

	public function test_shipping_needed_but_no_shipping_line(): void {
		$id = Shop::product( array( 'sku' => 'MUG' ) );
		$r  = $this->run_order( self::klarna_order( array( array( 'MUG', 1, 10000 ) ), array( 'shipping' => null ) ), array( 'MUG' => $id ) );
		$this->assertSame( 303, $r->status );
		$args = self::location_query( $r->header_value( 'Location' ) );
		$this->assertArrayHasKey( 'no_shipping', $args, json_encode( self::log_entries() ) );
		$this->assertContains( 'shipping_missing', explode( ',', $args['kco_validation'] ) );
	}

	public function test_virtual_only_cart_needs_no_shipping_fixture_08(): void {
		$json  = self::fixture( '08-fi-eur-digital-only.json' );
		$order = json_decode( $json, true );
		$ids   = array();
		foreach ( $order['order_lines'] as $line ) {
			if ( in_array( $line['type'], array( 'physical', 'digital' ), true ) ) {
				$ids[ $line['reference'] ] = Shop::product( array( 'sku' => $line['reference'], 'virtual' => true ) );
			}
		}
		update_option( 'woocommerce_currency', 'EUR' );
		$r = $this->run_order( $json, $ids );
		$this->assertSame( 200, $r->status, (string) $r->header_value( 'Location' ) );
	}

	public function test_coupon_from_the_session_that_expired_is_refused(): void {
		$id = Shop::product( array( 'sku' => 'MUG' ) );
		Shop::coupon( 'summer10', array( 'date_expires' => (string) ( time() - 3600 ) ) );
		$r = $this->run_order( self::klarna_order( array( array( 'MUG', 1, 10000 ) ) ), array( 'MUG' => $id ), array( 'applied_coupons' => array( 'summer10' ) ) );
		$this->assert_denied( $r, array( 'coupon_invalid' ), 'invalid_coupon' );
	}

	public function test_coupon_per_user_limit_matches_emails_case_insensitively(): void {
		$id = Shop::product( array( 'sku' => 'MUG' ) );
		Shop::coupon( 'once', array( 'usage_limit_per_user' => '1', 'usage_count' => '1', '_used_by' => array( 'Sofia.Lindqvist@Example.se' ) ) );
		$r = $this->run_order( self::klarna_order( array( array( 'MUG', 1, 10000 ) ) ), array( 'MUG' => $id ), array( 'applied_coupons' => array( 'once' ) ) );
		$this->assert_denied( $r, array( 'coupon_invalid' ), 'invalid_coupon' );
	}

	public function test_login_required_when_guest_checkout_is_off_and_the_email_has_an_account(): void {
		update_option( 'woocommerce_enable_guest_checkout', 'no' );
		Shop::user( 'sofia.lindqvist@example.se' );
		$id = Shop::product( array( 'sku' => 'MUG' ) );
		$r  = $this->run_order( self::klarna_order( array( array( 'MUG', 1, 10000 ) ), array( 'merchant_data' => '{"is_user_logged_in":true}' ) ), array( 'MUG' => $id ) );
		$this->assert_denied( $r, array( 'login_required' ), 'needs_login' );
	}

	public function test_logged_in_session_passes_the_login_check(): void {
		update_option( 'woocommerce_enable_guest_checkout', 'no' );
		$user = Shop::user( 'sofia.lindqvist@example.se' );
		$id   = Shop::product( array( 'sku' => 'MUG' ) );
		$r    = $this->run_order( self::klarna_order( array( array( 'MUG', 1, 10000 ) ) ), array( 'MUG' => $id ), array(), (string) $user );
		$this->assertSame( 200, $r->status, (string) $r->header_value( 'Location' ) );
	}

	public function test_totals_mismatch(): void {
		$id   = Shop::product( array( 'sku' => 'MUG' ) );
		$json = self::klarna_order( array( array( 'MUG', 1, 10000 ) ) );
		$cart = self::cart_for( $json, array( 'MUG' => $id ) );
		$cart['cart_totals']['total'] = '139.00';
		Shop::session( self::GUEST, $cart );
		$r = $this->post_callback( $json, array( 'kco_session_id' => self::GUEST ) );
		$this->assertSame( 303, $r->status );
		$args = self::location_query( $r->header_value( 'Location' ) );
		$this->assertArrayHasKey( 'totals_dont_match', $args, json_encode( self::log_entries() ) );
		$this->assertContains( 'totals_mismatch', explode( ',', $args['kco_validation'] ) );
	}
}
