<?php
/**
 * Issue 17: the shopper's language is recorded wherever they are in the cart and checkout — on pages WooCommerce
 * does not know (Polylang without Polylang for WooCommerce), in `?wc-ajax=` and Store API requests and in Kustom's
 * own requests — and a request that runs in the default language by accident never overwrites it.
 *
 * The shop is the real one of issue 17 as the doubles model it (Polylang 3.8.5, checked on a real shop:
 * tests/phpunit/doubles/multilingual.php): Swedish default (no directory), English under /en/; WooCommerce's Cart and
 * Checkout block pages are Swedish, their English translations /en/cart-en/ and /en/checkout-en/ are pages
 * WooCommerce does not know.
 *
 * @package KcoValidation\Plugin\Tests
 */

namespace KcoValidation\Plugin\Tests;

use KcoValidation\Plugin\Integration\KcoIntegration;
use KcoValidation\Plugin\Multilingual\LanguageRecorder;

class LanguageRecorderTest extends TestCase {

	const CART     = array(
		'sv' => 900011,
		'en' => 900012,
	);
	const CHECKOUT = array(
		'sv' => 900001,
		'en' => 900002,
	);
	const PRODUCT_PAGE = 900050;

	const CART_BLOCK     = "<!-- wp:woocommerce/cart -->\n<div class=\"wp-block-woocommerce-cart alignwide is-loading\"></div>\n<!-- /wp:woocommerce/cart -->";
	const CHECKOUT_BLOCK = "<!-- wp:woocommerce/checkout -->\n<div class=\"wp-block-woocommerce-checkout alignwide wc-block-checkout is-loading\"></div>\n<!-- /wp:woocommerce/checkout -->";
	const CART_SHORTCODE = "<!-- wp:shortcode -->\n[woocommerce_cart]\n<!-- /wp:shortcode -->";

	/** @return array<string, array{0: string}> */
	public function plugins(): array {
		return array(
			'Polylang' => array( 'polylang' ),
			'WPML'     => array( 'wpml' ),
		);
	}

	/**
	 * The shop: Swedish default, English; the cart and checkout pages and their translations; a shopper's session.
	 *
	 * @param string $plugin polylang | wpml.
	 */
	private function shop( string $plugin = 'polylang' ): void {
		kco_test_ml_enable(
			$plugin,
			array(
				'languages' => array(
					'sv' => 'sv_SE',
					'en' => 'en_US',
				),
				'default'   => 'sv',
				'current'   => 'sv',
			)
		);
		$GLOBALS['kco_test_pages'] = array(
			self::CART['sv']     => 'cart',
			self::CART['en']     => 'cart-en',
			self::CHECKOUT['sv'] => 'checkout',
			self::CHECKOUT['en'] => 'checkout-en',
			self::PRODUCT_PAGE   => 'about',
		);
		kco_test_ml_translations( self::CART, 'page' );
		kco_test_ml_translations( self::CHECKOUT, 'page' );
		update_option( 'woocommerce_cart_page_id', self::CART['sv'] );
		update_option( 'woocommerce_checkout_page_id', self::CHECKOUT['sv'] );
		WC()->session = new \WC_Session_Handler( self::GUEST );
		( new LanguageRecorder() )->register();
	}

	/** The shopper opens a page (its URL carries the language). */
	private function open( int $id, string $lang, string $content = self::CART_BLOCK ): void {
		$GLOBALS['wp_actions'] = array();
		remove_all_filters( 'wp_doing_ajax' );
		kco_test_ml_set_current( $lang );
		$wc_page = self::CART['sv'] === $id ? 'cart' : ( self::CHECKOUT['sv'] === $id ? 'checkout' : null );
		kco_test_show_page( $id, $content, $wc_page );
		do_action( 'wp' );
	}

	/** A `?wc-ajax=` request: no page, WooCommerce defined DOING_AJAX, the language is the URL's (none: the default). */
	private function wc_ajax( string $lang ): void {
		$GLOBALS['wp_actions'] = array();
		add_filter( 'wp_doing_ajax', static fn () => true );
		kco_test_ml_set_current( $lang );
		kco_test_show_page( 0 );
		do_action( 'wp' );
	}

	/** A Store API request after its route ran ('' : no language, as Polylang without ?lang=). */
	private function store_api( string $lang, string $route = '/wc/store/v1/cart' ): void {
		$GLOBALS['wp_actions'] = array();
		kco_test_ml_set_current( $lang );
		kco_test_show_page( 0 );
		$request  = new class( $route ) {
			/** @var string */
			private $route;
			public function __construct( string $route ) {
				$this->route = $route;
			}
			public function get_route(): string {
				return $this->route;
			}
		};
		$response = array( 'items' => array() );
		$this->assertSame( $response, apply_filters( 'rest_post_dispatch', $response, null, $request ), 'the response is left alone' );
	}

	private static function recorded() {
		return WC()->session->get( LanguageRecorder::SESSION_KEY );
	}

	/** @dataProvider plugins */
	public function test_the_translated_cart_block_page_woocommerce_does_not_know_records_its_language( string $plugin ): void {
		$this->shop( $plugin );
		kco_test_show_page( self::CART['en'], self::CART_BLOCK );
		$this->assertFalse( is_cart(), 'WooCommerce does not know /en/cart-en/ (Polylang does not translate its page settings)' );
		$this->open( self::CART['en'], 'en' );
		$this->assertSame( 'en', self::recorded() );
		$this->open( self::CHECKOUT['en'], 'en', self::CHECKOUT_BLOCK );
		$this->assertSame( 'en', self::recorded() );
	}

	public function test_any_page_with_the_cart_or_checkout_block_or_shortcode_records(): void {
		$this->shop();
		// A page in no translation group (made by hand, never linked to WooCommerce's page).
		$this->open( 900077, 'en', self::CHECKOUT_BLOCK );
		$this->assertSame( 'en', self::recorded() );
		WC()->session->set( LanguageRecorder::SESSION_KEY, null );
		kco_test_show_page( 900078, self::CART_SHORTCODE );
		$this->assertTrue( is_cart(), 'WooCommerce 9.9 counts a page with [woocommerce_cart] as its cart' );
		$this->open( 900078, 'en', self::CART_SHORTCODE );
		$this->assertSame( 'en', self::recorded() );
	}

	public function test_other_pages_record_nothing(): void {
		$this->shop();
		// Only the cart and checkout count: elsewhere (Polylang: a product of an untranslated post type, at a URL
		// without a language) a page may run in the default language for a shopper who reads another.
		$this->open( self::PRODUCT_PAGE, 'en', '<!-- wp:paragraph --><p>About us</p><!-- /wp:paragraph -->' );
		$this->assertNull( self::recorded() );
	}

	/** @dataProvider plugins */
	public function test_a_wc_ajax_request_in_the_default_language_never_overwrites_the_shoppers_language( string $plugin ): void {
		$this->shop( $plugin );
		$this->wc_ajax( 'sv' ); // add_to_cart from an English page: /?wc-ajax= runs in Swedish.
		$this->assertNull( self::recorded(), 'the default language of a background request says nothing' );
		$this->open( self::CART['en'], 'en' );
		$this->wc_ajax( 'sv' ); // update_order_review, Kustom's kco_wc_update_cart …
		$this->assertSame( 'en', self::recorded() );
	}

	public function test_a_wc_ajax_request_in_another_language_records_it(): void {
		$this->shop( 'wpml' ); // WPML runs AJAX in the language of its cookie.
		$this->wc_ajax( 'en' );
		$this->assertSame( 'en', self::recorded() );
	}

	/** @dataProvider plugins */
	public function test_store_api_requests_record_only_a_language_they_carry_that_is_not_the_default( string $plugin ): void {
		$this->shop( $plugin );
		$this->open( self::CHECKOUT['en'], 'en', self::CHECKOUT_BLOCK );
		$this->store_api( '' ); // Polylang: no ?lang=, no language.
		$this->assertSame( 'en', self::recorded() );
		$this->store_api( 'sv' );
		$this->assertSame( 'en', self::recorded(), 'the default language does not overwrite' );
		WC()->session->set( LanguageRecorder::SESSION_KEY, null );
		$this->store_api( 'en', '/wp/v2/posts' );
		$this->assertNull( self::recorded(), 'only the Store API' );
		$this->store_api( 'en', '/wc/store/v1/checkout' );
		$this->assertSame( 'en', self::recorded(), '?lang=en' );
	}

	public function test_kustoms_requests_record_the_page_they_run_on_but_not_their_ajax_in_the_default_language(): void {
		$this->shop();
		add_filter( 'kco_validation_kco_version', static fn () => '2.14.4' );
		$kco = new KcoIntegration();
		// Kustom builds the Klarna order while the English checkout page renders.
		$this->open( self::CHECKOUT['en'], 'en', self::CHECKOUT_BLOCK );
		WC()->session->set( LanguageRecorder::SESSION_KEY, null );
		$kco->filter_request_args( array() );
		$this->assertSame( 'en', self::recorded() );
		// … and updates it through /?wc-ajax=kco_wc_update_cart, which runs in Swedish.
		$this->wc_ajax( 'sv' );
		$kco->filter_request_args( array() );
		$this->assertSame( 'en', self::recorded() );
	}

	public function test_a_shopper_who_opens_the_default_languages_cart_switched_back_to_it(): void {
		$this->shop();
		$this->open( self::CART['en'], 'en' );
		$this->open( self::CART['sv'], 'sv' );
		$this->assertSame( 'sv', self::recorded() );
	}

	public function test_a_one_language_shop_records_nothing(): void {
		WC()->session = new \WC_Session_Handler( self::GUEST );
		( new LanguageRecorder() )->register();
		kco_test_show_page( 5, self::CART_BLOCK, 'cart' );
		do_action( 'wp' );
		$this->assertNull( self::recorded() );
		$this->assertFalse( WC()->session->dirty );
	}

	public function test_no_language_defined_records_nothing(): void {
		$this->shop();
		$this->open( self::CART['en'], '' );
		$this->assertNull( self::recorded() );
	}
}
