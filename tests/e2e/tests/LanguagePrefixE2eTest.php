<?php
/**
 * Only in the language-prefix mode (E2E_LANG_PREFIX, the second run of scripts/test-e2e.sh; group lang-prefix, which
 * the first run excludes): a WPML shop with a language directory for every language. KCO 1.10 builds the callback
 * URL from the filtered home_url(), so Klarna POSTs to /en/wc-api/KCO_WC_Validation/; the language-neutral URL
 * without a directory must answer too; a 303 leads to the prefixed cart or checkout page, which shows the reasons.
 *
 * @package KcoValidation\Plugin\Tests\E2E
 */

namespace KcoValidation\Plugin\Tests\E2E;

use KcoValidation\Plugin\Tests\Shop;

/**
 * Group lang-prefix: run only by the second run of scripts/test-e2e.sh.
 *
 * @group lang-prefix
 */
class LanguagePrefixE2eTest extends E2eTestCase {

	protected function setUp(): void {
		parent::setUp();
		if ( '' === self::lang_prefix() ) {
			$this->fail( 'group lang-prefix runs only with E2E_LANG_PREFIX set (scripts/test-e2e.sh runs it in its second run)' );
		}
	}

	/** Fixture 01 with its products and the matching guest session; returns the body. */
	private function fixture_01_shop(): string {
		$json = self::fixture( '01-se-sek-basic.json' );
		Shop::session( self::GUEST, self::cart_for( $json, self::products_for( $json ) ) );
		return $json;
	}

	public function test_every_shop_url_carries_the_language_directory(): void {
		$prefix = self::lang_prefix();
		// This process runs the shop's WPML double too: what KCO 1.10 calls to build the callback URL.
		$this->assertSame( self::base() . '/' . $prefix . self::PATH, home_url( self::PATH ) );
		$this->assertSame( self::base(), get_option( 'home' ), 'the home option stays language-neutral' );
		$this->assertSame( self::base() . '/' . $prefix . '/checkout/', wc_get_checkout_url() );
		$this->assertSame( self::base() . '/' . $prefix . '/cart/', wc_get_cart_url() );
		$home = $this->http( 'GET', self::shop_url( '/' ) );
		$this->assertSame( 200, $home->status, $home->describe() );
		$this->assertStringContainsString( '<h1>Shop</h1>', $home->body );
		$page = $this->http( 'GET', self::shop_url( '/checkout/' ) );
		$this->assertSame( 200, $page->status, $page->describe() );
		$this->assertStringContainsString( '<body class="woocommerce-checkout">', $page->body );
	}

	public function test_the_cart_and_checkout_pages_are_translated_and_served_in_each_language(): void {
		$checkout = wc_get_page_id( 'checkout' );
		$this->assertSame( self::PREFIX_PAGES['checkout']['en'][0], $checkout );
		$this->assertSame( wc_get_checkout_url(), get_permalink( $checkout ), 'WooCommerce\'s URL is the page\'s permalink' );
		$this->assertSame( wc_get_cart_url(), get_permalink( wc_get_page_id( 'cart' ) ) );
		$kasse = apply_filters( 'wpml_object_id', $checkout, 'page', false, 'de' );
		$this->assertSame( self::base() . '/de/kasse/', get_permalink( $kasse ) );
		$this->assertSame( self::base() . '/sv/varukorg/', get_permalink( apply_filters( 'wpml_object_id', wc_get_page_id( 'cart' ), 'page', false, 'sv' ) ) );
		foreach ( array( '/de/kasse/' => 'checkout', '/sv/varukorg/' => 'cart' ) as $path => $page ) {
			$p = $this->http( 'GET', self::base() . $path );
			$this->assertSame( 200, $p->status, $p->describe() );
			$this->assertStringContainsString( '<body class="woocommerce-' . $page . '">', $p->body );
		}
	}

	public function test_the_callback_url_kco_builds_from_the_filtered_home_url_is_approved(): void {
		$json = $this->fixture_01_shop();
		$url  = home_url( self::PATH );
		$this->assertStringContainsString( '/' . self::lang_prefix() . '/wc-api/', $url );
		$this->assert_approved( $this->klarna_post( $json, self::GUEST, array(), $url ) );
		$this->assert_one_decision_line( 'info', 'approved', 200, json_decode( $json, true )['order_id'], array() );
	}

	public function test_the_language_neutral_callback_url_answers_in_the_prefixed_shop(): void {
		$json = $this->fixture_01_shop();
		$this->assert_approved( $this->klarna_post( $json, self::GUEST, array(), self::base() . self::PATH ) );
		$this->assert_one_decision_line( 'info', 'approved', 200, json_decode( $json, true )['order_id'], array() );
		$this->assert_approved( $this->klarna_post( $json, self::GUEST, array(), self::base() . '/?wc-api=KCO_WC_Validation' ) );
		$this->assert_one_decision_line( 'info', 'approved', 200, json_decode( $json, true )['order_id'], array() );

		// A denial through the neutral URL still sends the shopper to the shop's (prefixed) cart.
		$mug  = Shop::product( array( 'sku' => 'MUG', 'name' => 'Blue mug', 'stock_status' => 'outofstock' ) );
		$deny = self::klarna_order( array( array( 'MUG', 1, 10000 ) ) );
		$key  = 't_' . str_repeat( 'b', 30 );
		Shop::session( $key, self::cart_for( $deny, array( 'MUG' => $mug ) ) );
		$r = $this->klarna_post( $deny, $key, array(), self::base() . self::PATH );
		$this->assert_denied( $r, array( 'out_of_stock' ), 'stock_validate_failed', 'cart' );
		$this->assertSame( self::shop_url( '/cart/?stock_validate_failed&kco_validation=out_of_stock' ), $this->without_details( $r->header( 'Location' ) ) );
		$this->assert_one_decision_line( 'info', 'denied', 303, json_decode( $deny, true )['order_id'], array( 'out_of_stock' ) );
	}

	public function test_a_303_leads_to_the_prefixed_checkout_page_that_shows_the_reasons(): void {
		$id = Shop::product( array( 'sku' => 'MUG' ) );
		Shop::coupon( 'summer10', array( 'date_expires' => (string) ( time() - 3600 ) ) );
		$json = self::klarna_order( array( array( 'MUG', 1, 10000 ) ) );
		Shop::session( self::GUEST, self::cart_for( $json, array( 'MUG' => $id ), array( 'applied_coupons' => array( 'summer10' ) ) ) );

		$r = $this->klarna_post( $json );

		$location = (string) $r->header( 'Location' );
		$this->assertSame( self::base() . '/' . self::lang_prefix() . '/checkout/?invalid_coupon&kco_validation=coupon_invalid', $this->without_details( $location ), $r->describe() );
		$this->assertStringStartsNotWith( self::base() . '/checkout/', $location );
		$this->assert_denied( $r, array( 'coupon_invalid' ), 'invalid_coupon', 'checkout' );
		$this->assert_page_shows_reasons( $location, 'checkout', array( 'The coupon “summer10” has expired.' ) );
		$this->assert_one_decision_line( 'info', 'denied', 303, json_decode( $json, true )['order_id'], array( 'coupon_invalid' ) );
	}

	/**
	 * A Swedish shopper (the session recorded sv): the 303 goes to the Swedish cart page, which php-fpm renders with
	 * the plugin's Swedish translation (php/languages/kco-validation-sv_SE.mo, loaded on init).
	 */
	public function test_a_swedish_shopper_reads_the_reason_in_swedish_on_the_swedish_cart(): void {
		$id   = Shop::product( array( 'sku' => 'MUG', 'name' => 'Blue mug', 'manage_stock' => true, 'stock' => 0 ) );
		$json = self::klarna_order( array( array( 'MUG', 1, 10000 ) ) );
		Shop::session( self::GUEST, self::cart_for( $json, array( 'MUG' => $id ), array( 'kco_validation_language' => 'sv' ) ) );
		$r = $this->klarna_post( $json );
		$this->assertSame( 303, $r->status, $r->describe() );
		$location = (string) $r->header( 'Location' );
		$this->assertSame( self::base() . '/sv/varukorg/?stock_validate_failed&kco_validation=out_of_stock', $this->without_details( $location ) );
		$this->assert_page_shows_reasons( $location, 'cart', array( '”Blue mug” är slut i lager.' ) );
	}

	/**
	 * Issue 17: the Swedish cart is a Cart block page WooCommerce does not know as its own (as a translation made
	 * with Polylang without Polylang for WooCommerce): neither the block nor WooCommerce prints queued notices there,
	 * so the plugin prints them above the page's content, on that page load, once.
	 */
	public function test_a_translated_cart_block_page_woocommerce_does_not_know_shows_the_reasons_on_that_page_load(): void {
		$GLOBALS['kco_test_options']['kco_e2e_block_pages'] = array( self::PREFIX_PAGES['cart']['sv'][0] => 'cart' );
		$id   = Shop::product( array( 'sku' => 'MUG', 'name' => 'Blue mug', 'manage_stock' => true, 'stock' => 0 ) );
		$json = self::klarna_order( array( array( 'MUG', 1, 10000 ) ) );
		Shop::session( self::GUEST, self::cart_for( $json, array( 'MUG' => $id ), array( 'kco_validation_language' => 'sv' ) ) );
		$r = $this->klarna_post( $json );
		$this->assertSame( 303, $r->status, $r->describe() );
		$location = (string) $r->header( 'Location' );
		$this->assertSame( self::base() . '/sv/varukorg/?stock_validate_failed&kco_validation=out_of_stock', $this->without_details( $location ) );
		$this->assert_page_shows_reasons( $location, 'cart', array( '”Blue mug” är slut i lager.' ) );
		$page = $this->http( 'GET', $location );
		$this->assertMatchesRegularExpression( '~<body class="woocommerce-cart">\s*<div class="woocommerce kco-validation-notices"><div class="woocommerce-notices-wrapper"><div class="woocommerce-error" role="alert">”Blue mug” är slut i lager.</div>\s*</div></div><!-- wp:woocommerce/cart -->~', $page->body, 'above the block, printed by the plugin' );
	}

	/**
	 * KCO 1.10 built the callback URL in the shopper's language (/de/wc-api/…) and the session recorded none (it
	 * predates the plugin): the URL's language, not being the default one, is the shopper's.
	 */
	public function test_a_callback_url_in_a_non_default_language_sends_the_shopper_back_in_that_language(): void {
		$id   = Shop::product( array( 'sku' => 'MUG', 'name' => 'Blue mug' ) );
		$json = self::klarna_order( array( array( 'MUG', 1, 10000 ) ), array( 'shipping' => null ) );
		Shop::session( self::GUEST, self::cart_for( $json, array( 'MUG' => $id ), array( 'kco_validation_language' => null ) ) );
		$r = $this->klarna_post( $json, self::GUEST, array(), self::base() . '/de' . self::PATH );
		$this->assertSame( 303, $r->status, $r->describe() );
		$this->assertSame( self::base() . '/de/kasse/?no_shipping&kco_validation=shipping_missing', $r->header( 'Location' ) );
		$this->assert_page_shows_reasons( (string) $r->header( 'Location' ), 'checkout', array( 'Es wurde keine Versandart gewählt.' ) );
	}
}
