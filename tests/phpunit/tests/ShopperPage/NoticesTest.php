<?php
/**
 * Notices: every reason, translated, on the page the 303 leads to, printed on that same page load (D17).
 *
 * @package KcoValidation\Plugin\Tests
 */

namespace KcoValidation\Plugin\Tests;

use KcoValidation\Plugin\ShopperPage\Notices;

class NoticesTest extends TestCase {

	/** Simulates a front-end page load: template_redirect, then the cart/checkout template printing notices. */
	private function page_load( array $get ): string {
		$_GET = $get;
		( new Notices() )->register();
		do_action( 'template_redirect' );
		return (string) wc_print_notices( true );
	}

	public function test_every_code_of_a_denial_is_shown_on_that_same_page_load(): void {
		$html = $this->page_load( array( 'stock_validate_failed' => '', 'kco_validation' => 'insufficient_stock,coupon_invalid,totals_mismatch' ) );
		$this->assertStringContainsString( 'There is not enough stock for a product in your order.', $html );
		$this->assertStringContainsString( 'A coupon in your order is not valid.', $html );
		$this->assertStringContainsString( 'The order total does not match your cart.', $html );
		$this->assertStringNotContainsString( 'Not all products are in stock.', $html, 'a flag a code already explains is not repeated' );
		$this->assertSame( 3, substr_count( $html, 'woocommerce-error' ) );
	}

	public function test_kco_1x_flags_alone_are_shown(): void {
		foreach ( Notices::flag_messages() as $flag => $text ) {
			$GLOBALS['kco_test_notices'] = array();
			$GLOBALS['wp_filter']        = array();
			$html                        = $this->page_load( array( $flag => '' ) );
			$this->assertStringContainsString( esc_html( $text ), $html, $flag );
		}
	}

	public function test_every_extension_code_has_a_text(): void {
		$codes = array( 'currency_mismatch', 'session_missing', 'session_mismatch', 'unknown_product', 'out_of_stock', 'insufficient_stock', 'not_purchasable', 'shipping_missing', 'shipping_unavailable', 'coupon_invalid', 'login_required', 'email_exists', 'cart_mismatch', 'totals_mismatch', 'tax_mismatch', 'internal_error' );
		$texts = Notices::code_messages();
		foreach ( $codes as $code ) {
			$this->assertArrayHasKey( $code, $texts );
			$this->assertSame( array( $code => $texts[ $code ] ), array( $code => Notices::messages_for( array( 'kco_validation' => $code ) )[0] ) );
		}
	}

	public function test_texts_are_translated_in_the_kco_validation_domain(): void {
		$GLOBALS['kco_test_l10n'] = array();
		add_filter( 'gettext', static fn ( $t, $orig, $domain ) => 'kco-validation' === $domain ? 'SV: ' . $t : $t, 10, 3 );
		$messages = Notices::messages_for( array( 'kco_validation' => 'out_of_stock', 'no_shipping' => '' ) );
		$this->assertSame( array( 'SV: A product in your order is out of stock.', 'SV: No shipping was selected.' ), $messages );
		$this->assertSame( array( 'kco-validation' ), array_values( array_unique( array_column( $GLOBALS['kco_test_l10n'], 1 ) ) ) );
	}

	public function test_unknown_codes_are_never_echoed(): void {
		$evil = '<script>alert(1)</script>';
		$html = $this->page_load( array( 'kco_validation' => $evil . ',out_of_stock', 'foo' => $evil ) );
		$this->assertStringNotContainsString( 'script', $html );
		$this->assertStringContainsString( 'A product in your order is out of stock.', $html );
		$this->assertSame( 1, substr_count( $html, 'woocommerce-error' ) );
	}

	public function test_only_unknown_codes_show_the_generic_text(): void {
		$this->assertSame( array( 'We were unable to process your order, please try again.' ), Notices::messages_for( array( 'kco_validation' => 'shop_specific_code' ) ) );
		$this->assertSame( array(), Notices::messages_for( array( 'page_id' => '7' ) ) );
	}

	public function test_a_shop_can_add_texts_for_its_own_codes(): void {
		add_filter(
			'kco_validation_notice_messages',
			static function ( array $m ) {
				$m['no_delivery_to_box'] = 'We cannot deliver to a parcel box.';
				return $m;
			}
		);
		$this->assertSame( array( 'We cannot deliver to a parcel box.' ), Notices::messages_for( array( 'unable_to_process' => '', 'kco_validation' => 'no_delivery_to_box' ) ) );
	}

	public function test_the_same_notice_is_not_added_twice_and_kcos_late_notice_is_unhooked(): void {
		add_action( 'kco_wc_before_checkout_form', 'kco_wc_print_notices' );
		wc_add_notice( 'No shipping was selected.', 'error' );
		$html = $this->page_load( array( 'no_shipping' => '' ) );
		$this->assertSame( 1, substr_count( $html, 'No shipping was selected.' ) );
		$this->assertFalse( has_action( 'kco_wc_before_checkout_form', 'kco_wc_print_notices' ) );
	}

	public function test_hooked_on_template_redirect_before_the_template_and_not_in_admin(): void {
		$notices = new Notices();
		$notices->register();
		$this->assertSame( 5, has_action( 'template_redirect', array( $notices, 'add_notices' ) ) );
		$GLOBALS['kco_test_is_admin'] = true;
		$_GET                         = array( 'kco_validation' => 'out_of_stock' );
		( new Notices() )->add_notices();
		$this->assertSame( array(), wc_get_notices() );
	}

	public function test_the_denial_from_the_endpoint_lands_as_notices(): void {
		$mug  = Shop::product( array( 'sku' => 'MUG', 'manage_stock' => true, 'stock' => 1 ) );
		$json = self::klarna_order( array( array( 'MUG', 2, 10000 ) ), array( 'shipping' => null ) );
		Shop::session( self::GUEST, self::cart_for( $json, array( 'MUG' => $mug ) ) );
		$r = $this->post_callback( $json, array( 'kco_session_id' => self::GUEST ) );
		$this->assertSame( 303, $r->status );
		$html = $this->page_load( self::location_query( $r->header_value( 'Location' ) ) );
		$this->assertStringContainsString( 'Not enough “Product” in stock: 1 available, 2 in your order.', $html, 'the reason with its product and quantities' );
		$this->assertStringContainsString( 'No shipping method was selected.', $html );
	}
}
