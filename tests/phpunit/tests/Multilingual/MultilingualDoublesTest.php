<?php
/**
 * The WPML / Polylang doubles and the page, title and locale doubles (tests/phpunit/doubles/multilingual.php)
 * behave as their documentation says: these tests protect the doubles the multilingual tests rely on.
 *
 * @package KcoValidation\Plugin\Tests
 */

namespace KcoValidation\Plugin\Tests;

class MultilingualDoublesTest extends TestCase {

	const HOME = 'https://shop.example';

	public function test_without_a_multilingual_plugin_everything_answers_as_on_a_plain_site(): void {
		$this->assertNull( $GLOBALS['kco_test_ml'] );
		$this->assertNull( apply_filters( 'wpml_current_language', null ) );
		$this->assertNull( apply_filters( 'wpml_default_language', null ) );
		$this->assertNull( apply_filters( 'wpml_active_languages', null, array() ) );
		$this->assertSame( 10, apply_filters( 'wpml_object_id', 10, 'product', true, 'de' ), 'the id passed in' );
		$this->assertNull( apply_filters( 'wpml_element_trid', null, 10, 'post_product' ) );
		$this->assertSame( 'x', apply_filters( 'wpml_permalink', 'x', 'de' ) );
		do_action( 'wpml_switch_language', 'de' );
		$this->assertSame( self::HOME . '/wc-api/KCO_WC_Validation/', home_url( '/wc-api/KCO_WC_Validation/' ) );

		$this->assertFalse( pll_current_language() );
		$this->assertFalse( pll_default_language( 'locale' ) );
		$this->assertSame( 0, pll_get_post( 10, 'de' ), 'Polylang ≥ 3.4: 0, not false' );
		$this->assertSame( array(), pll_languages_list() );
		$this->assertSame( array(), pll_get_post_translations( 10 ) );
		$this->assertFalse( pll_get_post_language( 10 ) );
		$this->assertSame( self::HOME . '/', pll_home_url( 'de' ) );
		$this->assertSame( 'en_US', get_locale() );
	}

	public function test_wpml_languages(): void {
		kco_test_ml_enable( 'wpml', array( 'current' => 'de' ) );
		$this->assertSame( 'de', apply_filters( 'wpml_current_language', null ) );
		$this->assertSame( 'en', apply_filters( 'wpml_default_language', null ) );
		$languages = apply_filters( 'wpml_active_languages', null, array( 'skip_missing' => 0 ) );
		$this->assertSame( array( 'en', 'de', 'sv' ), array_keys( $languages ) );
		$this->assertSame( 'de_DE', $languages['de']['default_locale'] );
		$this->assertSame( 'de', $languages['de']['language_code'] );
		$this->assertSame( 1, $languages['de']['active'] );
		$this->assertSame( 0, $languages['en']['active'] );
		$this->assertSame( self::HOME . '/', $languages['en']['url'], 'the hidden default language has no directory' );
		$this->assertSame( self::HOME . '/de/', $languages['de']['url'] );
		$this->assertSame( 'Svenska', $languages['sv']['native_name'] );
		$this->assertArrayNotHasKey( 'code', $languages['de'], 'WPML 5.0 documents language_code, not code' );
		foreach ( array( 'id', 'active', 'default_locale', 'native_name', 'missing', 'translated_name', 'language_code', 'country', 'display_code', 'country_flag_url', 'url' ) as $key ) {
			$this->assertArrayHasKey( $key, $languages['sv'] );
		}
	}

	public function test_wpml_object_id_as_documented(): void {
		kco_test_ml_enable( 'wpml' );
		kco_test_ml_translations( array( 'en' => 10, 'de' => 11 ) );
		$this->assertSame( 11, apply_filters( 'wpml_object_id', 10, 'product', false, 'de' ) );
		$this->assertSame( 10, apply_filters( 'wpml_object_id', 11, 'product', false, 'en' ) );
		$this->assertSame( 10, apply_filters( 'wpml_object_id', 11, 'product' ), 'no language: the current one (en)' );
		$this->assertNull( apply_filters( 'wpml_object_id', 10, 'product', false, 'sv' ), 'missing translation: NULL' );
		$this->assertSame( 10, apply_filters( 'wpml_object_id', 10, 'product', true, 'sv' ), 'missing: the original with return_original_if_missing' );
		$this->assertNull( apply_filters( 'wpml_object_id', 99, 'product', false, 'de' ), 'an element in no group' );
		$this->assertSame( 99, apply_filters( 'wpml_object_id', 99, 'product', true, 'de' ) );
		kco_test_ml_set_current( 'de' );
		$this->assertSame( 11, apply_filters( 'wpml_object_id', 10, 'product' ) );

		kco_test_ml_translations( array( 'en' => 20, 'de' => 21 ), 'product_variation' );
		$this->assertSame( 21, apply_filters( 'wpml_object_id', 20, 'product_variation', false, 'de' ) );
		$this->assertNull( apply_filters( 'wpml_object_id', 20, 'product', false, 'de' ), 'a variation is not a product' );
	}

	public function test_wpml_trid_element_translations_and_language_code(): void {
		kco_test_ml_enable( 'wpml' );
		$en   = Shop::product( array( 'sku' => 'MUG', 'name' => 'Mug' ) );
		$de   = Shop::product( array( 'sku' => 'MUG', 'name' => 'Becher' ) );
		$trid = kco_test_ml_translations( array( 'en' => $en, 'de' => $de ), 'product' );

		$this->assertSame( $trid, apply_filters( 'wpml_element_trid', null, $de, 'post_product' ) );
		$this->assertNull( apply_filters( 'wpml_element_trid', null, $de, 'post_page' ) );
		$this->assertNull( apply_filters( 'wpml_element_trid', null, 999999, 'post_product' ) );

		$translations = apply_filters( 'wpml_get_element_translations', null, $trid, 'post_product' );
		$this->assertSame( array( 'en', 'de' ), array_keys( $translations ) );
		$this->assertSame( (string) $de, $translations['de']->element_id, 'strings, as WPML reads them' );
		$this->assertSame( 'de', $translations['de']->language_code );
		$this->assertSame( '1', $translations['en']->original );
		$this->assertSame( '0', $translations['de']->original );
		$this->assertNull( $translations['en']->source_language_code );
		$this->assertSame( 'en', $translations['de']->source_language_code );
		$this->assertSame( 'post_product', $translations['de']->element_type );
		$this->assertSame( 'Becher', $translations['de']->post_title );
		$this->assertSame( 'publish', $translations['de']->post_status );
		$this->assertSame( array(), apply_filters( 'wpml_get_element_translations', null, $trid + 100, 'post_product' ) );

		$this->assertSame( 'de', apply_filters( 'wpml_element_language_code', null, array( 'element_id' => $de, 'element_type' => 'product' ) ) );
		$this->assertSame( 'en', apply_filters( 'wpml_element_language_code', null, array( 'element_id' => $en, 'element_type' => 'post_product' ) ) );
		$this->assertNull( apply_filters( 'wpml_element_language_code', null, array( 'element_id' => 999999, 'element_type' => 'product' ) ) );
	}

	public function test_wpml_permalink_in_directory_mode(): void {
		kco_test_ml_enable( 'wpml' );
		$this->assertSame( self::HOME . '/de/checkout/?a=1#x', apply_filters( 'wpml_permalink', self::HOME . '/checkout/?a=1#x', 'de' ) );
		$this->assertSame( self::HOME . '/sv/checkout/', apply_filters( 'wpml_permalink', self::HOME . '/de/checkout/', 'sv' ), 'replaces the segment' );
		$this->assertSame( self::HOME . '/checkout/', apply_filters( 'wpml_permalink', self::HOME . '/de/checkout/', 'en' ), 'hidden default: no segment' );
		$this->assertSame( self::HOME . '/checkout/', apply_filters( 'wpml_permalink', self::HOME . '/checkout/' ), 'NULL: the current language' );
		$this->assertSame( self::HOME . '/design/', apply_filters( 'wpml_permalink', self::HOME . '/design/', 'en' ), 'de… is not /de/' );
		$this->assertSame( 'https://other.example/checkout/', apply_filters( 'wpml_permalink', 'https://other.example/checkout/', 'de' ) );
		$this->assertSame( self::HOME . '.evil/x', apply_filters( 'wpml_permalink', self::HOME . '.evil/x', 'de' ) );

		kco_test_ml_enable( 'wpml', array( 'hide_default' => false ) );
		$this->assertSame( self::HOME . '/en/checkout/', apply_filters( 'wpml_permalink', self::HOME . '/checkout/', 'en' ) );
	}

	public function test_wpml_permalink_in_parameter_mode(): void {
		kco_test_ml_enable( 'wpml', array( 'url_mode' => 'parameter' ) );
		$this->assertSame( self::HOME . '/checkout/?lang=de', apply_filters( 'wpml_permalink', self::HOME . '/checkout/', 'de' ) );
		$this->assertSame( self::HOME . '/checkout/?a=1&lang=sv#f', apply_filters( 'wpml_permalink', self::HOME . '/checkout/?lang=de&a=1#f', 'sv' ) );
		$this->assertSame( self::HOME . '/checkout/?a=1', apply_filters( 'wpml_permalink', self::HOME . '/checkout/?a=1&lang=de', 'en' ) );
		$this->assertSame( self::HOME . '/checkout/', apply_filters( 'wpml_permalink', self::HOME . '/checkout/?lang=de', 'en' ) );
		$this->assertSame( self::HOME . '/?lang=de', apply_filters( 'wpml_permalink', self::HOME, 'de' ) );
	}

	public function test_wpml_home_url_carries_the_current_language_but_the_home_option_does_not(): void {
		kco_test_ml_enable( 'wpml', array( 'current' => 'de' ) );
		$this->assertSame( self::HOME . '/de/wc-api/KCO_WC_Validation/', home_url( '/wc-api/KCO_WC_Validation/' ) );
		$this->assertSame( self::HOME . '/de', home_url() );
		$this->assertSame( self::HOME, get_option( 'home' ) );
		kco_test_ml_set_current( 'en' );
		$this->assertSame( self::HOME . '/wc-api/KCO_WC_Validation/', home_url( '/wc-api/KCO_WC_Validation/' ) );

		kco_test_ml_enable( 'wpml', array( 'hide_default' => false ) );
		$this->assertSame( self::HOME . '/en/wc-api/KCO_WC_Validation/?kco_session_id=x', home_url( '/wc-api/KCO_WC_Validation/?kco_session_id=x' ) );

		kco_test_ml_enable( 'wpml', array( 'url_mode' => 'parameter', 'current' => 'sv' ) );
		$this->assertSame( self::HOME . '/wc-api/KCO_WC_Validation/?lang=sv', home_url( '/wc-api/KCO_WC_Validation/' ) );

		kco_test_ml_disable();
		$this->assertNull( $GLOBALS['kco_test_ml'] );
		$this->assertSame( self::HOME . '/wc-api/KCO_WC_Validation/', home_url( '/wc-api/KCO_WC_Validation/' ) );
		foreach ( array( 'home_url', 'locale', 'wpml_object_id', 'wpml_switch_language' ) as $hook ) {
			$this->assertFalse( has_filter( $hook ), "{$hook} hooks removed" );
		}
	}

	public function test_wpml_switch_language_opens_and_closes_scopes(): void {
		kco_test_ml_enable( 'wpml' );
		do_action( 'wpml_switch_language', 'de' );
		$this->assertSame( 'de', apply_filters( 'wpml_current_language', null ) );
		$this->assertSame( 'de_DE', get_locale(), 'WPML filters the locale to the current language' );
		do_action( 'wpml_switch_language', 'sv' );
		$this->assertSame( 'sv', apply_filters( 'wpml_current_language', null ) );
		do_action( 'wpml_switch_language', null );
		$this->assertSame( 'de', apply_filters( 'wpml_current_language', null ), 'NULL closes the last scope only' );
		do_action( 'wpml_switch_language', '' );
		$this->assertSame( 'de', apply_filters( 'wpml_current_language', null ), "'' opens a scope keeping the language" );
		do_action( 'wpml_switch_language', null );
		do_action( 'wpml_switch_language', null );
		$this->assertSame( 'en', apply_filters( 'wpml_current_language', null ), 'no scope open: the request language' );
		do_action( 'wpml_switch_language', null );
		$this->assertSame( 'en', apply_filters( 'wpml_current_language', null ) );
		$this->assertSame( 'en_US', get_locale() );
	}

	public function test_polylang_languages_and_posts(): void {
		kco_test_ml_enable( 'polylang', array( 'current' => 'sv' ) );
		$this->assertSame( 'sv', pll_current_language() );
		$this->assertSame( 'sv_SE', pll_current_language( 'locale' ) );
		$this->assertSame( 'Svenska', pll_current_language( 'name' ) );
		$this->assertSame( 'en', pll_default_language() );
		$this->assertSame( 'en_US', pll_default_language( 'locale' ) );
		$this->assertSame( array( 'en', 'de', 'sv' ), pll_languages_list() );
		$this->assertSame( array( 'en_US', 'de_DE', 'sv_SE' ), pll_languages_list( array( 'fields' => 'locale' ) ) );
		$this->assertSame( array( 'English', 'Deutsch', 'Svenska' ), pll_languages_list( array( 'fields' => 'name' ) ) );
		$this->assertSame( 'sv_SE', get_locale(), 'Polylang filters the locale on the front end' );
		$this->assertNull( apply_filters( 'wpml_current_language', null ), 'no WPML hooks under Polylang' );

		kco_test_ml_translations( array( 'en' => 10, 'de' => 11, 'sv' => 12 ) );
		kco_test_ml_translations( array( 'en' => 20 ) );
		$this->assertSame( 12, pll_get_post( 10 ), 'default: the current language' );
		$this->assertSame( 11, pll_get_post( 12, 'de' ) );
		$this->assertSame( 20, pll_get_post( 20, 'en' ), 'the post itself in its own language' );
		$this->assertSame( 0, pll_get_post( 20, 'de' ), 'not translated: 0' );
		$this->assertSame( 0, pll_get_post( 99, 'de' ), 'no language: 0' );
		$this->assertSame( 0, pll_get_post( 10, 'fr' ), 'unknown language: 0' );
		$this->assertSame( array( 'en' => 10, 'de' => 11, 'sv' => 12 ), pll_get_post_translations( 11 ) );
		$this->assertSame( array( 'en' => 20 ), pll_get_post_translations( 20 ) );
		$this->assertSame( array(), pll_get_post_translations( 99 ) );
		$this->assertSame( 'de', pll_get_post_language( 11 ) );
		$this->assertSame( 'de_DE', pll_get_post_language( 11, 'locale' ) );
		$this->assertFalse( pll_get_post_language( 99 ) );

		kco_test_ml_set_current( '' );
		$this->assertFalse( pll_current_language() );
		$this->assertSame( 0, pll_get_post( 10 ), 'no current language: 0' );
	}

	public function test_polylang_home_urls_and_its_narrow_home_url_filter(): void {
		kco_test_ml_enable( 'polylang', array( 'current' => 'de' ) );
		$this->assertSame( self::HOME . '/de/', pll_home_url() );
		$this->assertSame( self::HOME . '/', pll_home_url( 'en' ), 'hidden default' );
		$this->assertSame( self::HOME . '/sv/', pll_home_url( 'sv' ) );
		$this->assertSame( self::HOME . '/wc-api/KCO_WC_Validation/', home_url( '/wc-api/KCO_WC_Validation/' ), 'Polylang leaves URLs with a path alone' );
		do_action( 'template_redirect' );
		$this->assertSame( self::HOME . '/', home_url( '/' ), 'the bare home URL only for white-listed callers' );
		$caller = __FUNCTION__;
		add_filter( 'pll_home_url_white_list', static fn ( $list ) => array_merge( $list, array( array( 'function' => $caller ) ) ) );
		$this->assertSame( self::HOME . '/de/', home_url( '/' ), 'called from a white-listed function' );

		kco_test_ml_enable( 'polylang', array( 'url_mode' => 'parameter', 'hide_default' => false ) );
		$this->assertSame( self::HOME . '/?lang=en', pll_home_url() );
		$this->assertSame( self::HOME . '/?lang=de', pll_home_url( 'de' ) );
	}

	public function test_get_permalink_of_pages(): void {
		$GLOBALS['kco_test_pages'] = array(
			7 => 'checkout',
			8 => 'kasse',
			9 => 'terms',
		);
		$this->assertFalse( get_permalink( 6 ) );
		$this->assertSame( self::HOME . '/checkout/', get_permalink( 7 ) );
		$this->assertSame( self::HOME . '/checkout/', get_permalink( (object) array( 'ID' => 7 ) ) );
		add_filter( 'page_link', static fn ( $link, $id ) => $link . '#' . $id, 10, 2 );
		$this->assertSame( self::HOME . '/checkout/#7', get_permalink( 7 ) );
		remove_all_filters( 'page_link' );

		kco_test_ml_translations( array( 'en' => 7, 'de' => 8 ), 'page' );
		kco_test_ml_enable( 'wpml', array( 'current' => 'sv' ) );
		$this->assertSame( self::HOME . '/checkout/', get_permalink( 7 ), 'its own language: the hidden default' );
		$this->assertSame( self::HOME . '/de/kasse/', get_permalink( 8 ) );
		$this->assertSame( self::HOME . '/sv/terms/', get_permalink( 9 ), 'WPML: a page without language in the current one' );
		kco_test_ml_enable( 'wpml', array( 'url_mode' => 'parameter' ) );
		$this->assertSame( self::HOME . '/kasse/?lang=de', get_permalink( 8 ) );
		kco_test_ml_enable( 'polylang', array( 'current' => 'sv', 'hide_default' => false ) );
		$this->assertSame( self::HOME . '/en/checkout/', get_permalink( 7 ) );
		$this->assertSame( self::HOME . '/terms/', get_permalink( 9 ), 'Polylang: no language, no segment' );
	}

	public function test_get_the_title_reads_wp_posts(): void {
		$id      = Shop::product( array( 'name' => 'Blue mug' ) );
		$private = Shop::post( 'page', 'Secret', 'private' );
		$this->assertSame( 'Blue mug', get_the_title( $id ) );
		$this->assertSame( 'Private: Secret', get_the_title( $private ) );
		$this->assertSame( '', get_the_title( 999999 ) );
		add_filter( 'the_title', static fn ( $title, $post_id ) => $title . '/' . $post_id, 10, 2 );
		$this->assertSame( 'Blue mug/' . $id, get_the_title( $id ) );
	}

	public function test_wc_get_page_id_and_page_conditionals(): void {
		$this->assertSame( -1, wc_get_page_id( 'checkout' ) );
		update_option( 'woocommerce_checkout_page_id', '42' );
		$this->assertSame( 42, wc_get_page_id( 'checkout' ) );
		$this->assertSame( 42, wc_get_page_id( 'pay' ) );
		add_filter( 'woocommerce_get_checkout_page_id', static fn ( $id ) => 43 );
		$this->assertSame( 43, wc_get_page_id( 'checkout' ) );

		$this->assertFalse( is_cart() );
		$this->assertFalse( is_checkout() );
		$GLOBALS['kco_test_current_page'] = 'checkout';
		$this->assertTrue( is_checkout() );
		$this->assertFalse( is_cart() );
		$GLOBALS['kco_test_current_page'] = 'cart';
		$this->assertTrue( is_cart() );
		$this->assertFalse( is_checkout() );
		add_filter( 'woocommerce_is_checkout', static fn () => true );
		$this->assertTrue( is_checkout() );
	}

	public function test_is_cart_and_is_checkout_as_woocommerce_9_9_decides_them(): void {
		// Checked on WooCommerce 9.9.5 with Polylang 3.8.5: WooCommerce's own page; a page carrying the shortcode
		// (CartCheckoutUtils::is_page_type()); not a translated page with the Cart block.
		update_option( 'woocommerce_cart_page_id', '6' );
		kco_test_show_page( 6, '<!-- wp:woocommerce/cart -->', 'cart' );
		$this->assertTrue( is_cart() );
		$this->assertTrue( is_page() );
		$this->assertTrue( is_page( 6 ) );
		$this->assertSame( 6, get_queried_object_id() );
		kco_test_show_page( 10, "<!-- wp:woocommerce/cart -->\n<div class=\"wp-block-woocommerce-cart\"></div>\n<!-- /wp:woocommerce/cart -->" );
		$this->assertFalse( is_cart(), '/en/cart-en/: a Cart block page WooCommerce does not know' );
		$this->assertTrue( has_block( 'woocommerce/cart' ) );
		$this->assertTrue( has_block( 'woocommerce/cart', 10 ) );
		$this->assertFalse( has_block( 'woocommerce/checkout', 10 ) );
		$this->assertFalse( has_block( 'paragraph', 10 ) );
		$this->assertTrue( has_block( 'paragraph', '<!-- wp:paragraph --><p>x</p><!-- /wp:paragraph -->' ) );
		kco_test_show_page( 11, "<!-- wp:shortcode -->\n[woocommerce_checkout]\n<!-- /wp:shortcode -->" );
		$this->assertTrue( is_checkout(), 'a page with [woocommerce_checkout]' );
		$this->assertFalse( is_cart() );
		kco_test_show_page( 12, '<!-- wp:woocommerce/classic-shortcode {"shortcode":"cart"} /-->' );
		$this->assertTrue( is_cart(), 'the classic-shortcode block set to the cart' );
		kco_test_show_page( 0 );
		$this->assertFalse( is_page() );
		$this->assertFalse( is_cart() );
		add_filter( 'woocommerce_is_cart', static fn () => true );
		$this->assertTrue( is_cart(), 'the woocommerce_is_cart filter' );
	}

	public function test_loop_ajax_theme_and_notice_queue_doubles(): void {
		kco_test_show_page( 10, 'x', null, true );
		$this->assertTrue( in_the_loop() );
		$this->assertSame( 10, get_the_ID() );
		$this->assertTrue( is_main_query() );
		kco_test_show_page( 10 );
		$this->assertFalse( in_the_loop() );
		$this->assertFalse( get_the_ID() );
		$this->assertFalse( wp_is_block_theme() );
		$this->assertFalse( wp_doing_ajax() );
		add_filter( 'wp_doing_ajax', static fn () => true );
		$this->assertTrue( wp_doing_ajax() );
		wc_add_notice( 'a', 'error' );
		wc_add_notice( 'b', 'success' );
		wc_set_notices( array( 'error' => array( array( 'notice' => 'c', 'data' => array() ) ) ) );
		$this->assertSame( array( 'error' => array( array( 'notice' => 'c', 'data' => array() ) ) ), wc_get_notices() );
	}

	public function test_locales_switch_and_restore_like_wp_locale_switcher(): void {
		$events = array();
		add_action( 'switch_locale', static function ( $locale ) use ( &$events ) {
			$events[] = 'switch ' . $locale;
		} );
		add_action( 'restore_previous_locale', static function ( $locale, $previous ) use ( &$events ) {
			$events[] = "restore {$locale} from {$previous}";
		}, 10, 2 );
		$this->assertSame( 'en_US', get_locale() );
		$this->assertSame( 'en_US', determine_locale() );
		$this->assertFalse( switch_to_locale( 'en_US' ), 'already the locale' );
		$this->assertFalse( switch_to_locale( 'fr_FR' ), 'not installed' );
		$this->assertFalse( restore_previous_locale(), 'nothing to restore' );
		$this->assertTrue( switch_to_locale( 'de_DE' ) );
		$this->assertTrue( is_locale_switched() );
		$this->assertSame( 'de_DE', get_locale() );
		$this->assertSame( 'de_DE', determine_locale() );
		$this->assertTrue( switch_to_locale( 'sv_SE' ) );
		$this->assertSame( 'de_DE', restore_previous_locale() );
		$this->assertSame( 'en_US', restore_previous_locale() );
		$this->assertFalse( is_locale_switched() );
		$this->assertSame( 'en_US', get_locale() );
		$this->assertSame( array( 'switch de_DE', 'switch sv_SE', 'restore de_DE from sv_SE', 'restore en_US from de_DE' ), $events );

		add_filter( 'pre_determine_locale', static fn () => 'fi' );
		$this->assertSame( 'fi', determine_locale() );
	}

	public function test_the_site_locale_option_and_a_switch_under_wpml(): void {
		update_option( 'WPLANG', 'sv_SE' );
		$this->assertSame( 'sv_SE', get_locale() );
		kco_test_ml_enable( 'wpml', array( 'current' => 'de' ) );
		$this->assertSame( 'de_DE', get_locale() );
		$this->assertTrue( switch_to_locale( 'sv_SE' ) );
		$this->assertSame( 'sv_SE', get_locale(), 'the switched locale wins' );
		$this->assertSame( 'de_DE', restore_previous_locale() );
		$this->assertSame( 'de_DE', get_locale() );
	}

	public function test_every_test_starts_without_multilingual_state(): void {
		$this->assertNull( $GLOBALS['kco_test_ml'] );
		$this->assertSame( array(), $GLOBALS['kco_test_ml_groups'] );
		$this->assertSame( array(), $GLOBALS['kco_test_pages'] );
		$this->assertNull( $GLOBALS['kco_test_current_page'] );
		$this->assertSame( 0, $GLOBALS['kco_test_shown_page'] );
		$this->assertSame( array(), $GLOBALS['kco_test_page_content'] );
		$this->assertFalse( $GLOBALS['kco_test_in_loop'] );
		$this->assertFalse( $GLOBALS['kco_test_block_theme'] );
		$this->assertFalse( is_locale_switched() );
		kco_test_ml_enable( 'wpml' );
		kco_test_ml_translations( array( 'en' => 1 ) );
		$GLOBALS['kco_test_pages'][1] = 'x';
		switch_to_locale( 'de_DE' );
		$this->setUp();
		$this->assertNull( $GLOBALS['kco_test_ml'] );
		$this->assertSame( array(), $GLOBALS['kco_test_ml_groups'] );
		$this->assertFalse( is_locale_switched() );
		$this->assertSame( 'en_US', get_locale() );
	}
}
