<?php
/**
 * Multilingual shops (issue 7): each of the four points with WPML, with Polylang and with neither, through the
 * doubles of tests/phpunit/doubles/multilingual.php (the plugins' documented APIs only).
 *
 * 1. the validation URL is language-neutral;
 * 2. the 303 leads to the cart or checkout page in the shopper's language, query string kept;
 * 3. translations of a product are one product: one stock owner, held stock counted across them, coupon rules;
 * 4. the reasons are rendered in the shopper's language (locale and product names).
 *
 * @package KcoValidation\Plugin\Tests
 */

namespace KcoValidation\Plugin\Tests;

use KcoValidation\Plugin\Integration\KcoIntegration;
use KcoValidation\Plugin\ShopperPage\Notices;

class MultilingualTest extends TestCase {

	/** Page ids far above the products' auto-increment ids. */
	const CHECKOUT = array(
		'en' => 900001,
		'de' => 900002,
		'sv' => 900003,
	);
	const CART     = array(
		'en' => 900011,
		'de' => 900012,
		'sv' => 900013,
	);
	const SLUGS    = array(
		900001 => 'checkout',
		900002 => 'kasse',
		900003 => 'kassan',
		900011 => 'cart',
		900012 => 'warenkorb',
		900013 => 'varukorg',
	);

	/** @return array<string, array{0: string}> */
	public function shops(): array {
		return array(
			'WPML'     => array( 'wpml' ),
			'Polylang' => array( 'polylang' ),
			'neither'  => array( 'none' ),
		);
	}

	/**
	 * The shop: WooCommerce's cart and checkout pages in English, German and Swedish (translations linked when a
	 * multilingual plugin runs), the request (Klarna's callback) in the default language.
	 *
	 * @param string               $plugin wpml | polylang | none.
	 * @param array<string, mixed> $config Double configuration.
	 */
	private function shop( string $plugin, array $config = array() ): void {
		if ( 'none' !== $plugin ) {
			kco_test_ml_enable( $plugin, $config );
		}
		foreach ( self::SLUGS as $id => $slug ) {
			$GLOBALS['kco_test_pages'][ $id ] = $slug;
		}
		kco_test_ml_translations( self::CHECKOUT, 'page' );
		kco_test_ml_translations( self::CART, 'page' );
		update_option( 'woocommerce_checkout_page_id', self::CHECKOUT['en'] );
		update_option( 'woocommerce_cart_page_id', self::CART['en'] );
		// The plugin's own translations (php/languages/kco-validation-de_DE.mo), loaded as its init hook does.
		load_plugin_textdomain( 'kco-validation', false, dirname( plugin_basename( KCO_VALIDATION_PLUGIN_FILE ) ) . '/languages' );
	}

	/** A mug in English and its German translation, sharing SKU and stock as WCML / Polylang for WooCommerce keep them. */
	private static function mug( array $a = array() ): array {
		$en = Shop::product( array_merge( array( 'name' => 'Mug', 'sku' => 'MUG', 'manage_stock' => true, 'stock' => 5 ), $a ) );
		$de = Shop::product( array_merge( array( 'name' => 'Tasse', 'sku' => 'MUG', 'manage_stock' => true, 'stock' => 5 ), $a ) );
		kco_test_ml_translations(
			array(
				'en' => $en,
				'de' => $de,
			),
			'product'
		);
		return array( $en, $de );
	}

	/** The snapshot the extension was given in the last callback. */
	private function capture_snapshot( ?array &$captured ): void {
		add_filter(
			'kco_validation_verdict',
			static function ( $v, $order, array $s ) use ( &$captured ) {
				$captured = $s;
				return $v;
			},
			10,
			3
		);
	}

	/** A Klarna body with the given locale. */
	private static function with_locale( string $json, string $locale ): string {
		$order           = json_decode( $json, true );
		$order['locale'] = $locale;
		return (string) json_encode( $order );
	}

	// ---- 1. A language-neutral validation URL ------------------------------------------------------------------

	/** @dataProvider shops */
	public function test_1_the_validation_url_kco_builds_is_made_language_neutral( string $plugin ): void {
		$this->shop( $plugin, array( 'current' => 'de' ) );
		WC()->session = new \WC_Session_Handler( self::GUEST );
		// KCO 1.11: get_home_url() . '/wc-api/KCO_WC_Validation/?…' in the shopper's (German) request.
		$built = home_url() . '/wc-api/KCO_WC_Validation/?kco-action=validation&kco_wc_order_id={checkout.order.id}&kco_session_id=' . self::GUEST;
		if ( 'wpml' === $plugin ) {
			$this->assertSame( 'https://shop.example/de', home_url(), 'WPML puts the language into home_url()' );
		}
		$url = ( new KcoIntegration() )->filter_validation_url( $built );
		$this->assertStringStartsWith( 'https://shop.example/wc-api/KCO_WC_Validation/?kco-action=validation&kco_wc_order_id={checkout.order.id}&kco_session_id=' . self::GUEST . '&kco_validation_token=', $url );
		$this->assertStringNotContainsString( '/de/', $url );
		$this->assertStringNotContainsString( 'lang=', $url );
		// And the shopper's language is remembered for the callback (only where there are languages).
		$this->assertSame( 'none' === $plugin ? null : 'de', WC()->session->get( 'kco_validation_language' ) );
	}

	/** @dataProvider shops */
	public function test_1_language_arguments_and_plain_permalinks_are_dropped_from_the_url( string $plugin ): void {
		$this->shop( $plugin, array( 'current' => 'de', 'url_mode' => 'parameter' ) );
		$token = '&kco_validation_token=';
		$a     = KcoIntegration::language_neutral( 'https://shop.example/?lang=de/wc-api/KCO_WC_Validation/?kco-action=validation&kco_session_id=' . self::GUEST );
		$this->assertSame( 'https://shop.example/wc-api/KCO_WC_Validation/?kco-action=validation&kco_session_id=' . self::GUEST, $a );
		$b = KcoIntegration::language_neutral( 'https://shop.example/de/?wc-api=KCO_WC_Validation&lang=de&kco-action=validation' );
		$this->assertSame( 'https://shop.example/?wc-api=KCO_WC_Validation&kco-action=validation', $b );
		$c = KcoIntegration::language_neutral( 'https://de.shop.example/wc-api/KCO_WC_Validation/?kco-action=validation#x' );
		$this->assertSame( 'https://shop.example/wc-api/KCO_WC_Validation/?kco-action=validation#x', $c, 'a language subdomain too' );
		$this->assertSame( 'https://shop.example/de/kasse/', KcoIntegration::language_neutral( 'https://shop.example/de/kasse/' ), 'other URLs are left alone' );
		$this->assertStringNotContainsString( $token, $a );
	}

	/** @dataProvider shops */
	public function test_1_kustom_checkout_gets_the_neutral_url_from_a_german_request( string $plugin ): void {
		$this->shop( $plugin, array( 'current' => 'de' ) );
		WC()->session = new \WC_Session_Handler( self::GUEST );
		add_filter( 'kco_validation_kco_version', static fn () => '2.1.0' );
		$args = ( new KcoIntegration() )->filter_request_args( array( 'merchant_urls' => array() ) );
		$this->assertStringStartsWith( 'https://shop.example/wc-api/KCO_WC_Validation/?kco-action=validation', $args['merchant_urls']['validation'] );
	}

	/** @dataProvider shops */
	public function test_1_the_endpoint_answers_when_a_language_prefix_was_added_anyway( string $plugin ): void {
		$this->shop( $plugin );
		$mug  = Shop::product( array( 'sku' => 'CUP', 'manage_stock' => true, 'stock' => 5 ) );
		$json = self::klarna_order( array( array( 'CUP', 1, 10000 ) ) );
		Shop::session( self::GUEST, self::cart_for( $json, array( 'CUP' => $mug ) ) );
		$_SERVER['REQUEST_URI'] = '/de/wc-api/KCO_WC_Validation/?lang=de&kco-action=validation&kco_session_id=' . self::GUEST;
		$r                      = $this->post_callback( $json, array( 'kco_session_id' => self::GUEST, 'lang' => 'de', 'kco-action' => 'validation' ) );
		$this->assertSame( 200, $r->status, $r->body );
	}

	// ---- 2. Redirects in the shopper's language ----------------------------------------------------------------

	/** @dataProvider shops */
	public function test_2_the_303_leads_to_the_checkout_in_the_language_the_session_recorded( string $plugin ): void {
		$this->shop( $plugin );
		$cup  = Shop::product( array( 'sku' => 'CUP' ) );
		$json = self::klarna_order( array( array( 'CUP', 1, 10000 ) ), array( 'shipping' => null ) );
		Shop::session( self::GUEST, self::cart_for( $json, array( 'CUP' => $cup ), array( 'kco_validation_language' => 'de' ) ) );
		$r = $this->post_callback( $json, array( 'kco_session_id' => self::GUEST ) );
		$this->assertSame( 303, $r->status );
		$expected = 'none' === $plugin ? 'https://shop.example/checkout/' : 'https://shop.example/de/kasse/';
		$this->assertSame( $expected . '?no_shipping&kco_validation=shipping_missing', $r->header_value( 'Location' ) );
	}

	/** @dataProvider shops */
	public function test_2_without_a_recorded_language_klarnas_locale_decides( string $plugin ): void {
		$this->shop( $plugin );
		$cup  = Shop::product( array( 'sku' => 'CUP', 'manage_stock' => true, 'stock' => 0 ) );
		$json = self::with_locale( self::klarna_order( array( array( 'CUP', 1, 10000 ) ) ), 'sv-SE' );
		Shop::session( self::GUEST, self::cart_for( $json, array( 'CUP' => $cup ) ) );
		$r = $this->post_callback( $json, array( 'kco_session_id' => self::GUEST ) );
		$this->assertSame( 303, $r->status );
		$expected = 'none' === $plugin ? 'https://shop.example/cart/' : 'https://shop.example/sv/varukorg/';
		$this->assertStringStartsWith( $expected . '?stock_validate_failed&kco_validation=out_of_stock&kco_validation_details=', (string) $r->header_value( 'Location' ) );
	}

	/** @dataProvider shops */
	public function test_2_a_shopper_in_the_default_language_gets_woocommerces_own_url( string $plugin ): void {
		$this->shop( $plugin );
		$cup  = Shop::product( array( 'sku' => 'CUP' ) );
		$json = self::with_locale( self::klarna_order( array( array( 'CUP', 1, 10000 ) ), array( 'shipping' => null ) ), 'en-GB' );
		Shop::session( self::GUEST, self::cart_for( $json, array( 'CUP' => $cup ) ) );
		$r = $this->post_callback( $json, array( 'kco_session_id' => self::GUEST ) );
		$this->assertSame( 'https://shop.example/checkout/?no_shipping&kco_validation=shipping_missing', $r->header_value( 'Location' ) );
	}

	public function test_2_wpml_language_parameter_is_kept_in_the_query_string(): void {
		$this->shop( 'wpml', array( 'url_mode' => 'parameter' ) );
		$cup  = Shop::product( array( 'sku' => 'CUP' ) );
		$json = self::klarna_order( array( array( 'CUP', 1, 10000 ) ), array( 'shipping' => null ) );
		Shop::session( self::GUEST, self::cart_for( $json, array( 'CUP' => $cup ), array( 'kco_validation_language' => 'de' ) ) );
		$r = $this->post_callback( $json, array( 'kco_session_id' => self::GUEST ) );
		$this->assertSame( 'https://shop.example/kasse/?lang=de&no_shipping&kco_validation=shipping_missing', $r->header_value( 'Location' ) );
	}

	public function test_2_a_language_without_a_translated_page_keeps_woocommerces_url(): void {
		$this->shop( 'polylang', array( 'languages' => array( 'en' => 'en_US', 'de' => 'de_DE', 'sv' => 'sv_SE', 'fi' => 'fi' ) ) );
		$cup  = Shop::product( array( 'sku' => 'CUP' ) );
		$json = self::klarna_order( array( array( 'CUP', 1, 10000 ) ), array( 'shipping' => null ) );
		Shop::session( self::GUEST, self::cart_for( $json, array( 'CUP' => $cup ), array( 'kco_validation_language' => 'fi' ) ) );
		$r = $this->post_callback( $json, array( 'kco_session_id' => self::GUEST ) );
		$this->assertSame( 'https://shop.example/checkout/?no_shipping&kco_validation=shipping_missing', $r->header_value( 'Location' ) );
	}

	// ---- 3. Products across translations -----------------------------------------------------------------------

	/** @dataProvider shops */
	public function test_3_quantities_of_two_translations_are_summed_against_one_stock( string $plugin ): void {
		$this->shop( $plugin );
		list( $en, $de ) = self::mug();
		$json            = self::klarna_order( array( array( 'MUG', 3, 10000 ), array( 'MUG', 3, 10000 ) ) );
		// The cart holds the English mug and its German translation (the shopper switched language mid-way).
		$session = self::cart_for( $json, array( 'MUG' => $en ) );
		$items   = array_values( $session['cart'] );
		$items[1]['product_id'] = $de;
		$session['cart']        = array(
			'a' => $items[0],
			'b' => $items[1],
		);
		Shop::session( self::GUEST, $session );
		$this->capture_snapshot( $snapshot );
		$r = $this->post_callback( $json, array( 'kco_session_id' => self::GUEST ) );
		$owners = array_unique( array_column( $snapshot['products'], 'stock_owner_id' ) );
		if ( 'none' === $plugin ) {
			$this->assertSame( 200, $r->status, 'two products of 5 each: 3 + 3 fit' );
			$this->assertCount( 2, $owners );
		} else {
			$this->assertSame( 303, $r->status, 'one stock of 5: 3 + 3 do not fit' );
			$this->assertSame( array( $en ), array_values( $owners ), 'the original is the stock owner of both' );
			$this->assertStringContainsString( 'kco_validation=insufficient_stock', (string) $r->header_value( 'Location' ) );
		}
	}

	/** @dataProvider shops */
	public function test_3_stock_held_under_a_translation_counts( string $plugin ): void {
		$this->shop( $plugin );
		list( $en, $de ) = self::mug();
		Shop::reservation( $de, 4 ); // Another shopper's pending order, placed in German.
		$json = self::klarna_order( array( array( 'MUG', 2, 10000 ) ) );
		Shop::session( self::GUEST, self::cart_for( $json, array( 'MUG' => $en ) ) );
		$this->capture_snapshot( $snapshot );
		$r = $this->post_callback( $json, array( 'kco_session_id' => self::GUEST ) );
		$held = $snapshot['products']['MUG']['held'];
		if ( 'none' === $plugin ) {
			$this->assertSame( 0, $held );
			$this->assertSame( 200, $r->status );
		} else {
			$this->assertSame( 4, $held );
			$this->assertSame( 303, $r->status, '5 in stock, 4 held: 1 left for 2' );
		}
	}

	/** @dataProvider shops */
	public function test_3_a_reference_naming_the_translations_id_resolves_to_the_shared_stock_owner( string $plugin ): void {
		$this->shop( $plugin );
		list( $en, $de ) = self::mug( array( 'sku' => '' ) );
		$json            = self::klarna_order( array( array( (string) $de, 1, 10000 ) ) );
		Shop::session( self::GUEST, self::cart_for( $json, array( (string) $de => $de ) ) );
		$this->capture_snapshot( $snapshot );
		$r = $this->post_callback( $json, array( 'kco_session_id' => self::GUEST ) );
		$this->assertSame( 200, $r->status, $r->body );
		$this->assertSame( $de, $snapshot['products'][ (string) $de ]['id'] );
		$this->assertSame( 'none' === $plugin ? $de : $en, $snapshot['products'][ (string) $de ]['stock_owner_id'] );
	}

	/** @dataProvider shops */
	public function test_3_a_coupon_for_the_original_applies_to_its_translation( string $plugin ): void {
		$this->shop( $plugin );
		list( $en, $de ) = self::mug();
		Shop::coupon( 'mugdeal', array( 'product_ids' => (string) $en ) );
		$json = self::klarna_order( array( array( 'MUG', 1, 10000 ) ) );
		Shop::session( self::GUEST, self::cart_for( $json, array( 'MUG' => $de ), array( 'applied_coupons' => array( 'mugdeal' ) ) ) );
		$this->capture_snapshot( $snapshot );
		$r = $this->post_callback( $json, array( 'kco_session_id' => self::GUEST ) );
		if ( 'none' === $plugin ) {
			$this->assertSame( 303, $r->status, 'without translations the German mug is another product' );
			$this->assertStringContainsString( 'kco_validation=coupon_invalid', (string) $r->header_value( 'Location' ) );
		} else {
			$this->assertSame( 200, $r->status, $r->body );
			$this->assertEqualsCanonicalizing( array( $en, $de ), $snapshot['coupons']['mugdeal']['product_ids'] );
		}
	}

	// ---- 4. Reasons in the shopper's language ------------------------------------------------------------------

	/** @dataProvider shops */
	public function test_4_the_notice_is_rendered_in_the_pages_language_with_the_translated_product_name( string $plugin ): void {
		$this->shop( $plugin );
		list( $en ) = self::mug( array( 'stock' => 1 ) );
		$json       = self::klarna_order( array( array( 'MUG', 2, 10000 ) ) );
		Shop::session( self::GUEST, self::cart_for( $json, array( 'MUG' => $en ), array( 'kco_validation_language' => 'de' ) ) );
		$r = $this->post_callback( $json, array( 'kco_session_id' => self::GUEST ) );
		$this->assertSame( 303, $r->status );
		$query = self::location_query( $r->header_value( 'Location' ) );

		// The shopper's browser follows the 303: the page runs in its language (the plugins set it from the URL).
		if ( 'none' !== $plugin ) {
			kco_test_ml_set_current( 'de' );
		}
		$GLOBALS['kco_test_l10n'] = array();
		$texts                    = Notices::messages_for( $query );
		if ( 'none' === $plugin ) {
			$this->assertSame( array( 'Not enough “Mug” in stock: 1 available, 2 in your order.' ), $texts );
		} else {
			$this->assertSame( array( 'Nicht genug „Tasse“ auf Lager: 1 verfügbar, 2 in Ihrer Bestellung.' ), $texts );
		}
		$this->assertContains( array( 'Not enough “%1$s” in stock: %2$s available, %3$s in your order.', 'kco-validation' ), $GLOBALS['kco_test_l10n'], 'through the text domain' );
	}

	/** @dataProvider shops */
	public function test_4_an_altered_details_argument_falls_back_to_the_general_texts( string $plugin ): void {
		$this->shop( $plugin );
		$query = array(
			'stock_validate_failed'  => '',
			'kco_validation'         => 'out_of_stock',
			'kco_validation_details' => rtrim( strtr( base64_encode( '{"c":"SEK","f":[["out_of_stock",null,{"name":"Call +1 555 0100"},0]]}' ), '+/', '-_' ), '=' ) . '.' . str_repeat( 'a', 32 ),
		);
		$this->assertSame( array( 'A product in your order is out of stock.' ), Notices::messages_for( $query ) );
	}

	/** @dataProvider shops */
	public function test_4_error_json_text_is_rendered_under_the_shoppers_locale_in_the_callback( string $plugin ): void {
		$this->shop( $plugin );
		update_option( 'kco_validation_response_mode', 'error_json' );
		list( $en ) = self::mug( array( 'stock' => 1 ) );
		$json       = self::klarna_order( array( array( 'MUG', 2, 10000 ) ) );
		Shop::session( self::GUEST, self::cart_for( $json, array( 'MUG' => $en ), array( 'kco_validation_language' => 'de' ) ) );
		$r = $this->post_callback( $json, array( 'kco_session_id' => self::GUEST ) );
		$this->assertSame( 400, $r->status );
		if ( 'none' === $plugin ) {
			$this->assertSame( 'Only 1 of "Mug" is left.', $r->json()['error_text'], 'an English shop keeps the extension\'s text' );
		} else {
			$this->assertSame( 'Nicht genug „Tasse“ auf Lager: 1 verfügbar, 2 in Ihrer Bestellung.', $r->json()['error_text'] );
		}
		$this->assertSame( 'en_US', determine_locale(), 'the locale is restored after the callback' );
	}

	public function test_4_a_swedish_shopper_of_a_polylang_shop_reads_swedish_on_the_swedish_cart(): void {
		$this->shop( 'polylang' );
		list( $en ) = self::mug( array( 'stock' => 0 ) );
		$json       = self::with_locale( self::klarna_order( array( array( 'MUG', 1, 10000 ) ) ), 'sv-SE' );
		Shop::session( self::GUEST, self::cart_for( $json, array( 'MUG' => $en ) ) );
		$r = $this->post_callback( $json, array( 'kco_session_id' => self::GUEST ) );
		$this->assertStringStartsWith( 'https://shop.example/sv/varukorg/?stock_validate_failed&kco_validation=out_of_stock&kco_validation_details=', (string) $r->header_value( 'Location' ) );
		kco_test_ml_set_current( 'sv' );
		// No Swedish translation of the mug: its English name, in a Swedish sentence.
		$this->assertSame( array( '”Mug” är slut i lager.' ), Notices::messages_for( self::location_query( $r->header_value( 'Location' ) ) ) );
	}

	public function test_4_a_one_language_german_shop_gets_german_texts_without_any_multilingual_plugin(): void {
		$this->shop( 'none' );
		update_option( 'WPLANG', 'de_DE' );
		$GLOBALS['locale'] = null;
		update_option( 'kco_validation_response_mode', 'error_json' );
		$mug  = Shop::product( array( 'name' => 'Tasse', 'sku' => 'MUG', 'manage_stock' => true, 'stock' => 1 ) );
		$json = self::klarna_order( array( array( 'MUG', 2, 10000 ) ), array( 'shipping' => null ) );
		Shop::session( self::GUEST, self::cart_for( $json, array( 'MUG' => $mug ) ) );
		$r = $this->post_callback( $json, array( 'kco_session_id' => self::GUEST ) );
		$this->assertSame( 'Nicht genug „Tasse“ auf Lager: 1 verfügbar, 2 in Ihrer Bestellung. Es wurde keine Versandart gewählt.', $r->json()['error_text'], 'every reason, the one without parameters too' );
	}
}
