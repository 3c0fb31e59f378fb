<?php
/**
 * The decisions over HTTP: approve (both URL forms WooCommerce accepts), stock, coupon, shipping, totals, login,
 * missing/expired session, several reasons at once, error_json mode and the URL token. Every denial is followed to
 * the page it names, which must show every reason on that page load.
 *
 * @package KcoValidation\Plugin\Tests\E2E
 */

namespace KcoValidation\Plugin\Tests\E2E;

use KcoValidation\Plugin\Integration\UrlToken;
use KcoValidation\Plugin\Tests\Shop;

class ScenarioE2eTest extends E2eTestCase {

	/** Seeds the session whose cart matches $json and posts it. */
	private function post_with_cart( string $json, array $ids, array $session_extra = array(), string $key = self::GUEST, array $cart_changes = array() ): HttpResponse {
		$cart = self::cart_for( $json, $ids, $session_extra );
		foreach ( $cart_changes as $name => $value ) {
			$cart['cart_totals'][ $name ] = $value;
		}
		Shop::session( $key, $cart );
		return $this->klarna_post( $json, $key );
	}

	private static function order_id( string $json ): string {
		return json_decode( $json, true )['order_id'];
	}

	public function test_approve_answers_200_with_an_empty_body_and_logs_it(): void {
		$id   = Shop::product( array( 'sku' => 'MUG', 'manage_stock' => true, 'stock' => 5 ) );
		$json = self::klarna_order( array( array( 'MUG', 2, 10000 ) ) );
		$r    = $this->post_with_cart( $json, array( 'MUG' => $id ) );
		$this->assert_approved( $r );
		$this->assertSame( 'no-cache, no-store, must-revalidate, max-age=0', $r->header( 'Cache-Control' ) );
		$this->assert_one_decision_line( 'info', 'approved', 200, self::order_id( $json ), array() );
	}

	public function test_approve_through_the_query_string_form_of_wc_api(): void {
		$id   = Shop::product( array( 'sku' => 'MUG' ) );
		$json = self::klarna_order( array( array( 'MUG', 1, 10000 ) ) );
		Shop::session( self::GUEST, self::cart_for( $json, array( 'MUG' => $id ) ) );
		$this->assert_approved( $this->klarna_post( $json, self::GUEST, array(), '/?wc-api=KCO_WC_Validation' ) );
		$this->assert_one_decision_line( 'info', 'approved', 200, self::order_id( $json ) );
		// WooCommerce lowercases the name: the old-style lower-case URL reaches the same handler.
		$this->assert_approved( $this->klarna_post( $json, self::GUEST, array(), '/wc-api/kco_wc_validation/' ) );
		$this->assert_one_decision_line( 'info', 'approved', 200, self::order_id( $json ) );
	}

	public function test_out_of_stock_goes_to_the_cart_and_the_cart_shows_it(): void {
		$id   = Shop::product( array( 'sku' => 'MUG', 'name' => 'Blue mug', 'stock_status' => 'outofstock' ) );
		$json = self::klarna_order( array( array( 'MUG', 1, 10000 ) ) );
		$r    = $this->post_with_cart( $json, array( 'MUG' => $id ) );
		$this->assert_denied( $r, array( 'out_of_stock' ), 'stock_validate_failed', 'cart' );
		$this->assertSame( self::shop_url( '/cart/?stock_validate_failed&kco_validation=out_of_stock' ), $this->without_details( $r->header( 'Location' ) ) );
		$this->assert_page_shows_reasons( (string) $r->header( 'Location' ), 'cart' );
		$line = $this->assert_one_decision_line( 'info', 'denied', 303, self::order_id( $json ), array( 'out_of_stock' ) );
		$this->assertStringContainsString( ' refs=MUG', $line );
	}

	public function test_two_variations_showing_their_parents_sku_are_each_checked_as_themselves(): void {
		global $wpdb;
		$tee  = Shop::product( array( 'sku' => 'TEE', 'name' => 'T-shirt' ) );
		$red  = Shop::product( array( 'sku' => '', 'name' => 'T-shirt - Red', 'manage_stock' => true, 'stock' => 5 ), $tee );
		$blue = Shop::product( array( 'sku' => '', 'name' => 'T-shirt - Blue', 'manage_stock' => true, 'stock' => 1 ), $tee );
		$json = self::klarna_order( array( array( 'TEE', 1, 20000, 'name' => 'T-shirt - Red' ), array( 'TEE', 2, 20000, 'name' => 'T-shirt - Blue' ) ) );
		Shop::coupon( 'welcome' );
		$cart = self::cart_for( $json, array( 'TEE' => array( $tee, $red ) ), array( 'applied_coupons' => array( 'welcome' ) ) );
		$keys = array_keys( $cart['cart'] );
		$cart['cart'][ $keys[1] ]['variation_id'] = $blue;
		Shop::session( self::GUEST, $cart );
		$r = $this->klarna_post( $json, self::GUEST );
		$this->assert_denied( $r, array( 'insufficient_stock' ), 'stock_validate_failed', 'cart' );
		$this->assertSame( '4', $r->header( 'X-KCO-Queries' ), 'options + session + accounts (one read), products, coupons, held stock (read for the denial)' );
		$this->assert_one_decision_line( 'info', 'denied', 303, self::order_id( $json ), array( 'insufficient_stock' ) );

		$wpdb->query( $wpdb->prepare( "UPDATE {$wpdb->postmeta} SET meta_value = '2' WHERE post_id = %d AND meta_key = '_stock'", $blue ) );
		$this->assert_approved( $this->klarna_post( $json, self::GUEST ) );
		$this->assert_one_decision_line( 'info', 'approved', 200, self::order_id( $json ), array() );
	}

	public function test_insufficient_stock_counts_stock_held_by_other_orders(): void {
		$id = Shop::product( array( 'sku' => 'MUG', 'manage_stock' => true, 'stock' => 3 ) );
		Shop::reservation( $id, 2 );
		$json = self::klarna_order( array( array( 'MUG', 2, 10000 ) ) );
		$r    = $this->post_with_cart( $json, array( 'MUG' => $id ) );
		$this->assert_denied( $r, array( 'insufficient_stock' ), 'stock_validate_failed', 'cart' );
		$this->assert_one_decision_line( 'info', 'denied', 303, self::order_id( $json ), array( 'insufficient_stock' ) );
	}

	public function test_expired_coupon_goes_to_the_checkout_with_invalid_coupon(): void {
		$id = Shop::product( array( 'sku' => 'MUG' ) );
		Shop::coupon( 'summer10', array( 'date_expires' => (string) ( time() - 3600 ) ) );
		$json = self::klarna_order( array( array( 'MUG', 1, 10000 ) ) );
		$r    = $this->post_with_cart( $json, array( 'MUG' => $id ), array( 'applied_coupons' => array( 'summer10' ) ) );
		$this->assert_denied( $r, array( 'coupon_invalid' ), 'invalid_coupon', 'checkout' );
		$line = $this->assert_one_decision_line( 'info', 'denied', 303, self::order_id( $json ), array( 'coupon_invalid' ) );
		$this->assertStringContainsString( 'summer10', $line );
	}

	public function test_coupon_used_up_by_this_email_is_refused(): void {
		$id = Shop::product( array( 'sku' => 'MUG' ) );
		Shop::coupon( 'once', array( 'usage_limit_per_user' => '1', 'usage_count' => '1', '_used_by' => array( 'Sofia.Lindqvist@Example.se' ) ) );
		$json = self::klarna_order( array( array( 'MUG', 1, 10000 ) ) );
		$r    = $this->post_with_cart( $json, array( 'MUG' => $id ), array( 'applied_coupons' => array( 'once' ) ) );
		$this->assert_denied( $r, array( 'coupon_invalid' ), 'invalid_coupon', 'checkout' );
		$this->assert_one_decision_line( 'info', 'denied', 303, self::order_id( $json ), array( 'coupon_invalid' ) );
	}

	public function test_missing_shipping_line_goes_to_the_checkout_with_no_shipping(): void {
		$id   = Shop::product( array( 'sku' => 'MUG' ) );
		$json = self::klarna_order( array( array( 'MUG', 1, 10000 ) ), array( 'shipping' => null ) );
		$r    = $this->post_with_cart( $json, array( 'MUG' => $id ) );
		$this->assertSame( 303, $r->status, $r->describe() );
		$args = self::location_query( $r->header( 'Location' ) );
		$this->assertArrayHasKey( 'no_shipping', $args );
		$this->assertContains( 'shipping_missing', explode( ',', $args['kco_validation'] ) );
		$this->assert_page_shows_reasons( (string) $r->header( 'Location' ), 'checkout' );
		$this->assert_one_decision_line( 'info', 'denied', 303, self::order_id( $json ) );
	}

	public function test_shipping_rate_not_offered_for_the_address_is_refused(): void {
		$id   = Shop::product( array( 'sku' => 'MUG' ) );
		$json = self::klarna_order( array( array( 'MUG', 1, 10000 ) ), array( 'shipping' => array( 'flat_rate:9', 4900 ) ) );
		$r    = $this->post_with_cart( $json, array( 'MUG' => $id ), array( 'chosen_shipping_methods' => array( 'flat_rate:3' ), 'shipping_for_package_0' => Shop::shipping_package( array( 'flat_rate:3', 'free_shipping:1' ) ) ) );
		$this->assertSame( 303, $r->status, $r->describe() );
		$args = self::location_query( $r->header( 'Location' ) );
		$this->assertArrayHasKey( 'no_shipping', $args );
		$this->assertContains( 'shipping_unavailable', explode( ',', $args['kco_validation'] ) );
		$this->assert_page_shows_reasons( (string) $r->header( 'Location' ), 'checkout' );
		$this->assert_one_decision_line( 'info', 'denied', 303, self::order_id( $json ) );
	}

	public function test_totals_mismatch_goes_to_the_checkout_with_totals_dont_match(): void {
		$id   = Shop::product( array( 'sku' => 'MUG' ) );
		$json = self::klarna_order( array( array( 'MUG', 1, 10000 ) ) );
		$r    = $this->post_with_cart( $json, array( 'MUG' => $id ), array(), self::GUEST, array( 'total' => '139.00' ) );
		$this->assert_denied( $r, array( 'totals_mismatch' ), 'totals_dont_match', 'checkout' );
		$this->assert_one_decision_line( 'info', 'denied', 303, self::order_id( $json ), array( 'totals_mismatch' ) );
	}

	public function test_login_required_when_guest_checkout_is_off_and_the_email_has_an_account(): void {
		update_option( 'woocommerce_enable_guest_checkout', 'no' );
		Shop::user( 'sofia.lindqvist@example.se' );
		$id   = Shop::product( array( 'sku' => 'MUG' ) );
		$json = self::klarna_order( array( array( 'MUG', 1, 10000 ) ), array( 'merchant_data' => '{"is_user_logged_in":true}' ) );
		$r    = $this->post_with_cart( $json, array( 'MUG' => $id ) );
		$this->assert_denied( $r, array( 'login_required' ), 'needs_login', 'checkout' );
		$this->assert_one_decision_line( 'info', 'denied', 303, self::order_id( $json ), array( 'login_required' ) );
	}

	public function test_missing_session_is_denied_with_session_missing(): void {
		$id   = Shop::product( array( 'sku' => 'MUG' ) );
		$json = self::klarna_order( array( array( 'MUG', 1, 10000 ) ) );
		$r    = $this->klarna_post( $json, 'ffffffffffffffffffffffffffffffff' );
		$this->assertSame( 303, $r->status, $r->describe() );
		$args = self::location_query( $r->header( 'Location' ) );
		$this->assertContains( 'session_missing', explode( ',', $args['kco_validation'] ) );
		$this->assert_page_shows_reasons( (string) $r->header( 'Location' ), str_contains( (string) $r->header( 'Location' ), '/cart/' ) ? 'cart' : 'checkout' );
		$this->assert_one_decision_line( 'info', 'denied', 303, self::order_id( $json ) );
		$this->assertGreaterThan( 0, $id );
	}

	/**
	 * Without a session id there is no token either: refused before anything is read (locked by default, issue 13).
	 * Where KCO 1.10 or older runs (no token possible) it is denied with session_missing, reading no session:
	 * EndpointTest::test_empty_session_id_is_denied_and_reads_no_session.
	 */
	public function test_no_session_id_at_all_is_refused_and_reads_no_session(): void {
		Shop::product( array( 'sku' => 'MUG' ) );
		$json = self::klarna_order( array( array( 'MUG', 1, 10000 ) ) );
		$r    = $this->klarna_post( $json, null );
		$this->assert_invalid_request( $r, 'invalid token' );
		$this->assertSame( '0', $r->header( 'X-KCO-Queries' ), 'nothing read' );
		$this->assert_one_decision_line( 'warning', 'rejected', 400 );
	}

	public function test_expired_session_is_denied(): void {
		$id   = Shop::product( array( 'sku' => 'MUG' ) );
		$json = self::klarna_order( array( array( 'MUG', 1, 10000 ) ) );
		Shop::session( self::GUEST, self::cart_for( $json, array( 'MUG' => $id ) ), time() - 60 );
		$r = $this->klarna_post( $json );
		$this->assertSame( 303, $r->status, $r->describe() );
		$this->assertContains( 'session_missing', explode( ',', self::location_query( $r->header( 'Location' ) )['kco_validation'] ) );
		$this->assert_one_decision_line( 'info', 'denied', 303, self::order_id( $json ) );
	}

	public function test_every_reason_of_one_order_is_on_the_cart_page(): void {
		$mug = Shop::product( array( 'sku' => 'MUG', 'name' => 'Blue mug', 'manage_stock' => true, 'stock' => 1 ) );
		$cup = Shop::product( array( 'sku' => 'CUP', 'name' => 'Red cup', 'stock_status' => 'outofstock' ) );
		Shop::coupon( 'old', array( 'date_expires' => (string) ( time() - 10 ) ) );
		$json = self::klarna_order( array( array( 'MUG', 2, 10000 ), array( 'CUP', 1, 5000 ) ) );
		// The shop writes prices the Swedish way: the totals reason names both amounts like that.
		update_option( 'woocommerce_price_decimal_sep', ',' );
		update_option( 'woocommerce_price_thousand_sep', ' ' );
		update_option( 'woocommerce_currency_pos', 'right_space' );
		self::sync_options();
		$r = $this->post_with_cart( $json, array( 'MUG' => $mug, 'CUP' => $cup ), array( 'applied_coupons' => array( 'old' ) ), self::GUEST, array( 'total' => '100.00' ) );
		$this->assertSame( 303, $r->status, $r->describe() );
		$location = (string) $r->header( 'Location' );
		$this->assertStringStartsWith( self::shop_url( '/cart/?stock_validate_failed&kco_validation=' ), $location );
		$codes = explode( ',', self::location_query( $location )['kco_validation'] );
		foreach ( array( 'insufficient_stock', 'out_of_stock', 'coupon_invalid', 'totals_mismatch' ) as $code ) {
			$this->assertContains( $code, $codes, $location );
		}
		$this->assert_page_shows_reasons(
			$location,
			'cart',
			array(
				// Each reason with its parameters (the signed details), amounts in the shop's price format.
				'Not enough “Blue mug” in stock: 1 available, 2 in your order.',
				'“Red cup” is out of stock.',
				'The coupon “old” has expired.',
				"The order total (299,00\u{a0}kr) does not match your cart (100,00\u{a0}kr). Please review your order and try again.",
			)
		);
		$line = $this->assert_one_decision_line( 'info', 'denied', 303, self::order_id( $json ) );
		$this->assertMatchesRegularExpression( '/ refs=(MUG,CUP|CUP,MUG),old /', $line );
	}

	public function test_kco_1x_flag_without_our_codes_is_shown_on_the_checkout(): void {
		$this->assert_page_shows_reasons( self::shop_url( '/checkout/?invalid_coupon' ), 'checkout', array( 'Invalid coupon.' ) );
		$this->assert_page_shows_reasons( self::shop_url( '/checkout/?kco_validation=coupon_invalid,not_a_code%3Cscript%3E&no_shipping' ), 'checkout' );
		$p = $this->http( 'GET', self::shop_url( '/checkout/?kco_validation=%3Cscript%3Ealert(1)%3C/script%3E' ) );
		$this->assertStringNotContainsString( '<script>', $p->body, 'nothing from the query string is echoed' );
	}

	public function test_error_json_mode_answers_400_approval_failed_inside_the_iframe(): void {
		update_option( 'kco_validation_response_mode', 'error_json' );
		$id   = Shop::product( array( 'sku' => 'MUG', 'name' => 'Blue mug', 'manage_stock' => true, 'stock' => 1 ) );
		$json = self::klarna_order( array( array( 'MUG', 2, 10000 ) ) );
		$r    = $this->post_with_cart( $json, array( 'MUG' => $id ) );
		$this->assertSame( 400, $r->status, $r->describe() );
		$this->assertStringStartsWith( 'application/json', (string) $r->header( 'Content-Type' ) );
		$this->assertNull( $r->header( 'Location' ) );
		$this->assertSame( 'approval_failed', $r->json()['error_type'] ?? null, $r->body );
		$this->assertIsString( $r->json()['error_text'] );
		$this->assert_one_decision_line( 'info', 'denied', 400, self::order_id( $json ), array( 'insufficient_stock' ) );
	}

	public function test_url_token_wrong_is_refused_right_is_accepted(): void {
		$id   = Shop::product( array( 'sku' => 'MUG' ) );
		$json = self::klarna_order( array( array( 'MUG', 1, 10000 ) ) );
		Shop::session( self::GUEST, self::cart_for( $json, array( 'MUG' => $id ) ) );

		$bad = $this->klarna_post( $json, self::GUEST, array( UrlToken::QUERY_ARG => str_repeat( 'a', 64 ) ) );
		$this->assert_invalid_request( $bad, 'invalid token' );
		$line = $this->assert_one_decision_line( 'warning', 'rejected', 400, null, array( 'invalid_request' ) );
		$this->assertStringContainsString( 'detail="token"', $line );

		$other = $this->klarna_post( $json, self::GUEST, array( UrlToken::QUERY_ARG => UrlToken::create( '17' ) ) );
		$this->assert_invalid_request( $other, 'invalid token' );
		$this->assert_one_decision_line( 'warning', 'rejected', 400 );

		$good = $this->klarna_post( $json, self::GUEST, array( UrlToken::QUERY_ARG => UrlToken::create( self::GUEST ) ) );
		$this->assert_approved( $good );
		$this->assert_one_decision_line( 'info', 'approved', 200, self::order_id( $json ) );

		// Locked by default (issue 13): no token, no decision; unless KCO 1.10 or older (which cannot add one) runs.
		$none = $this->klarna_post( $json, self::GUEST, array( UrlToken::QUERY_ARG => null ) );
		$this->assert_invalid_request( $none, 'invalid token' );
		$this->assert_one_decision_line( 'warning', 'rejected', 400 );
	}
}
