<?php
/**
 * Issue 17 end to end through the doubles, on the shop of the real check (Polylang 3.8.5 without Polylang for
 * WooCommerce, WooCommerce 9.9.5, WordPress 6.8.8): Swedish default, English under /en/, WooCommerce's Cart and
 * Checkout block pages Swedish, their translations /en/cart-en/ and /en/checkout-en/ pages WooCommerce does not know.
 * An English and a Swedish shopper: their language is recorded where they shop, a stock and a totals denial send each
 * to their own language's page (whatever Klarna's locale says), and that page load shows every reason, in their
 * language, once. The same runs with the shortcode pages, and with WPML (whose WooCommerce Multilingual makes the
 * translated pages WooCommerce's own: modelled by its Store Notices block printing them).
 *
 * @package KcoValidation\Plugin\Tests
 */

namespace KcoValidation\Plugin\Tests;

use KcoValidation\Plugin\Integration\KcoIntegration;
use KcoValidation\Plugin\Multilingual\LanguageRecorder;
use KcoValidation\Plugin\ShopperPage\Notices;

class PolylangShopTest extends TestCase {

	const PAGES = array(
		'cart'     => array(
			'sv' => array( 900011, 'cart' ),
			'en' => array( 900012, 'cart-en' ),
		),
		'checkout' => array(
			'sv' => array( 900001, 'checkout' ),
			'en' => array( 900002, 'checkout-en' ),
		),
	);

	const BLOCKS     = array(
		'cart'     => "<!-- wp:woocommerce/cart -->\n<div class=\"wp-block-woocommerce-cart alignwide is-loading\"></div>\n<!-- /wp:woocommerce/cart -->",
		'checkout' => "<!-- wp:woocommerce/checkout -->\n<div class=\"wp-block-woocommerce-checkout alignwide wc-block-checkout is-loading\"></div>\n<!-- /wp:woocommerce/checkout -->",
	);
	const SHORTCODES = array(
		'cart'     => "<!-- wp:shortcode -->\n[woocommerce_cart]\n<!-- /wp:shortcode -->",
		'checkout' => "<!-- wp:shortcode -->\n[woocommerce_checkout]\n<!-- /wp:shortcode -->",
	);

	/** @var string blocks | shortcodes */
	private $kind = 'blocks';

	/** @var string polylang | wpml */
	private $plugin = 'polylang';

	private function shop( string $plugin, string $kind ): void {
		$this->plugin = $plugin;
		$this->kind   = $kind;
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
		foreach ( self::PAGES as $page => $langs ) {
			$group = array();
			foreach ( $langs as $lang => $p ) {
				$GLOBALS['kco_test_pages'][ $p[0] ] = $p[1];
				$group[ $lang ]                     = $p[0];
			}
			kco_test_ml_translations( $group, 'page' );
			update_option( 'woocommerce_' . $page . '_page_id', $langs['sv'][0] );
		}
		load_plugin_textdomain( 'kco-validation', false, dirname( plugin_basename( KCO_VALIDATION_PLUGIN_FILE ) ) . '/languages' );
	}

	/** Renders the shortcode as WooCommerce does: its template prints the queued notices first. */
	public static function render_shortcodes( string $content ): string {
		return (string) preg_replace_callback( '/\[woocommerce_(cart|checkout)\]/', static fn () => '<div class="woocommerce">' . wc_print_notices( true ) . '</div>', $content );
	}

	/**
	 * The shopper's browser opens a page in a block theme (twentytwentyfive); returns the body.
	 *
	 * @param string               $page cart | checkout.
	 * @param string               $lang sv | en.
	 * @param array<string, mixed> $get  The query arguments.
	 */
	private function open( string $page, string $lang, array $get = array() ): string {
		$_GET = $get;
		$this->shop_hooks();
		kco_test_ml_set_current( $lang );
		$id      = self::PAGES[ $page ][ $lang ][0];
		$content = 'blocks' === $this->kind ? self::BLOCKS[ $page ] : self::SHORTCODES[ $page ];
		// WooCommerce knows its own pages; WPML + WooCommerce Multilingual make the translations its own too.
		$known = 'sv' === $lang || 'wpml' === $this->plugin;
		kco_test_show_page( $id, $content, $known ? $page : null );
		$GLOBALS['kco_test_block_theme'] = true;
		do_action( 'wp' );
		do_action( 'template_redirect' );
		// A block theme renders the template first: WooCommerce's own Cart/Checkout template opens with the Store
		// Notices block, a plain page's template has none; then the post content in the main loop.
		$store_notices               = is_cart() || is_checkout() ? wc_print_notices( true ) : '';
		$GLOBALS['kco_test_in_loop'] = true;
		$main                        = apply_filters( 'the_content', $content );
		$GLOBALS['kco_test_in_loop'] = false;
		ob_start();
		do_action( 'wp_body_open' );
		$body_open = (string) ob_get_clean();
		ob_start();
		do_action( 'wp_footer' );
		return $body_open . '<div class="wc-block-store-notices">' . $store_notices . '</div><main>' . $main . '</main>' . ob_get_clean();
	}

	/** A new request: the hooks the plugin adds on every request, nothing of the last one. */
	private function shop_hooks(): void {
		$GLOBALS['wp_actions'] = array();
		foreach ( array( 'wp', 'template_redirect', 'the_content', 'wp_body_open', 'wp_footer', 'wp_doing_ajax', 'rest_post_dispatch' ) as $hook ) {
			remove_all_filters( $hook );
		}
		( new LanguageRecorder() )->register();
		( new Notices() )->register();
		add_filter( 'the_content', array( self::class, 'render_shortcodes' ), 11 );
	}

	/** The error notices' texts in a page. @return list<string> */
	private static function notices_in( string $html ): array {
		preg_match_all( '~<div class="woocommerce-error" role="alert">(.*?)</div>~s', $html, $m );
		return array_map( static fn ( $t ) => html_entity_decode( wp_strip_all_tags( $t ), ENT_QUOTES, 'UTF-8' ), $m[1] );
	}

	/**
	 * A shopper's visit: the home page's AJAX add to cart (default language), their cart and checkout pages, more
	 * AJAX and Store API requests, Kustom updating the order; then Klarna's callback with a locale that is not theirs.
	 *
	 * @return array{0: string, 1: string} The session's recorded language, the callback's Location.
	 */
	private function visit_and_deny( string $lang, string $klarna_locale, string $denial ): array {
		$key          = 'stock' === $denial ? self::GUEST : 't_' . str_repeat( 'b', 30 );
		WC()->session = new \WC_Session_Handler( $key );
		$this->shop_hooks();
		add_filter( 'wp_doing_ajax', static fn () => true );
		kco_test_ml_set_current( 'sv' );
		kco_test_show_page( 0 );
		do_action( 'wp' ); // /?wc-ajax=add_to_cart.
		$this->open( 'cart', $lang );
		$this->open( 'checkout', $lang );
		$this->shop_hooks();
		add_filter( 'wp_doing_ajax', static fn () => true );
		add_filter( 'kco_validation_kco_version', static fn () => '2.14.4' );
		kco_test_ml_set_current( 'sv' );
		kco_test_show_page( 0 );
		do_action( 'wp' ); // /?wc-ajax=kco_wc_update_cart.
		( new KcoIntegration() )->filter_request_args( array() );
		$recorded = WC()->session->get( LanguageRecorder::SESSION_KEY );

		$mug  = Shop::product( array( 'name' => 'Sold-out mug', 'sku' => 'MUG-' . $denial, 'virtual' => true, 'manage_stock' => true, 'stock' => 'stock' === $denial ? 0 : 5 ) );
		$json = self::klarna_order( array( array( 'MUG-' . $denial, 1, 14900 ) ), array( 'shipping' => null, 'order_amount_delta' => 'totals' === $denial ? 1000 : 0 ) );
		$order           = json_decode( $json, true );
		$order['locale'] = $klarna_locale;
		$json            = (string) json_encode( $order );
		Shop::session( $key, self::cart_for( $json, array( 'MUG-' . $denial => $mug ), array( LanguageRecorder::SESSION_KEY => $recorded ) ) );
		$this->shop_hooks();
		kco_test_ml_set_current( 'sv' ); // Klarna's callback: a URL without a language.
		kco_test_show_page( 0 );
		$r = $this->post_callback( $json, array( 'kco_session_id' => $key ) );
		$this->assertSame( 303, $r->status, $r->body );
		return array( $recorded, (string) $r->header_value( 'Location' ) );
	}

	/** @return array<string, array{0: string, 1: string}> */
	public function setups(): array {
		return array(
			'Polylang, Cart/Checkout blocks' => array( 'polylang', 'blocks' ),
			'Polylang, shortcodes'           => array( 'polylang', 'shortcodes' ),
			'WPML, Cart/Checkout blocks'     => array( 'wpml', 'blocks' ),
		);
	}

	/** @dataProvider setups */
	public function test_the_english_shopper( string $plugin, string $kind ): void {
		$this->shop( $plugin, $kind );
		list( $recorded, $location ) = $this->visit_and_deny( 'en', 'sv-SE', 'stock' );
		$this->assertSame( 'en', $recorded );
		$this->assertStringStartsWith( 'https://shop.example/en/cart-en/?stock_validate_failed&kco_validation=out_of_stock&kco_validation_details=', $location );
		$html = $this->open( 'cart', 'en', self::location_query( $location ) );
		$this->assertSame( array( '“Sold-out mug” is out of stock.' ), self::notices_in( $html ) );
		$this->assertSame( array(), array_filter( wc_get_notices() ), 'not queued for a later page' );
		$this->assertSame( array(), self::notices_in( $this->open( 'checkout', 'en' ) ), 'nothing shows up later' );

		list( , $location ) = $this->visit_and_deny( 'en', 'sv-SE', 'totals' );
		$this->assertStringStartsWith( 'https://shop.example/en/checkout-en/?totals_dont_match&kco_validation=totals_mismatch&kco_validation_details=', $location );
		$texts = self::notices_in( $this->open( 'checkout', 'en', self::location_query( $location ) ) );
		$this->assertNotEmpty( $texts );
		$this->assertSame( $texts, array_values( array_unique( $texts ) ), 'each once' );
		foreach ( $texts as $text ) {
			$this->assertStringContainsString( 'Please review your order and try again.', $text );
		}
	}

	/** @dataProvider setups */
	public function test_the_swedish_shopper( string $plugin, string $kind ): void {
		$this->shop( $plugin, $kind );
		list( $recorded, $location ) = $this->visit_and_deny( 'sv', 'en-US', 'stock' );
		$this->assertSame( 'sv', $recorded );
		$this->assertStringStartsWith( 'https://shop.example/cart/?stock_validate_failed&kco_validation=out_of_stock&kco_validation_details=', $location );
		$html = $this->open( 'cart', 'sv', self::location_query( $location ) );
		$this->assertSame( array( '”Sold-out mug” är slut i lager.' ), self::notices_in( $html ) );
		$this->assertStringNotContainsString( 'kco-validation-notices', $html, 'WooCommerce printed them on its own page' );
		$this->assertSame( array(), array_filter( wc_get_notices() ) );

		list( , $location ) = $this->visit_and_deny( 'sv', 'en-US', 'totals' );
		$this->assertStringStartsWith( 'https://shop.example/checkout/?totals_dont_match&kco_validation=totals_mismatch&kco_validation_details=', $location );
		$texts = self::notices_in( $this->open( 'checkout', 'sv', self::location_query( $location ) ) );
		$this->assertNotEmpty( $texts );
		foreach ( $texts as $text ) {
			$this->assertStringContainsString( 'Granska din beställning och försök igen.', $text );
		}
	}
}
