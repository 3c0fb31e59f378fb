<?php
/**
 * Issue 17: the notices of a denial are shown on the page the 303 leads to, on that page load, once — also where
 * WooCommerce would not print them (a Cart or Checkout block page it does not know; a block cart in a classic
 * theme), and never twice where it does (its shortcodes, its Store Notices block).
 *
 * The page loads are modelled on WordPress 6.8 / WooCommerce 9.9 (checked on a real shop): template_redirect (the
 * plugin queues the notices), then
 * - classic theme: the header (wp_body_open), the loop with the_content (blocks at priority 9, shortcodes at 11;
 *   the cart shortcode prints the queued notices at woocommerce_before_cart), wp_footer;
 * - block theme: the whole template first (WooCommerce's own Cart/Checkout template starts with the Store Notices
 *   block, which prints them; a plain page template has none), then wp_head, wp_body_open, wp_footer.
 *
 * @package KcoValidation\Plugin\Tests
 */

namespace KcoValidation\Plugin\Tests;

use KcoValidation\Plugin\ShopperPage\Notices;

class PagePrinterTest extends TestCase {

	const PAGE           = 900012;
	const CART_BLOCK     = "<!-- wp:woocommerce/cart -->\n<div class=\"wp-block-woocommerce-cart alignwide is-loading\"></div>\n<!-- /wp:woocommerce/cart -->";
	const CART_SHORTCODE = "<!-- wp:shortcode -->\n[woocommerce_cart]\n<!-- /wp:shortcode -->";
	const QUERY          = array(
		'stock_validate_failed' => '',
		'kco_validation'        => 'out_of_stock,totals_mismatch',
	);
	const TEXTS          = array( 'A product in your order is out of stock.', 'The order total does not match your cart.' );

	/** The cart shortcode as WooCommerce renders it: woocommerce_before_cart prints the queued notices. */
	public static function render_shortcodes( string $content ): string {
		if ( false === strpos( $content, '[woocommerce_cart]' ) ) {
			return $content;
		}
		return str_replace( '[woocommerce_cart]', '<div class="woocommerce"><div class="woocommerce-notices-wrapper">' . wc_print_notices( true ) . '</div><form class="woocommerce-cart-form"></form></div>', $content );
	}

	/**
	 * One page load; returns the HTML in the order the browser gets it.
	 *
	 * @param string $content     The page's content.
	 * @param string $theme       classic | block.
	 * @param bool   $store_block Block theme: the template has WooCommerce's Store Notices block (its own Cart page).
	 * @param bool   $singular    The page's content is rendered in the main loop (false: e.g. a list of posts).
	 */
	private function page_load( string $content, string $theme, bool $store_block = false, bool $singular = true ): string {
		$_GET = self::QUERY;
		kco_test_show_page( self::PAGE, $content );
		$GLOBALS['kco_test_block_theme'] = 'block' === $theme;
		add_filter( 'the_content', array( self::class, 'render_shortcodes' ), 11 );
		( new Notices() )->register();
		do_action( 'template_redirect' );

		$content_html = function () use ( $content, $singular ): string {
			$GLOBALS['kco_test_in_loop'] = $singular;
			$html                        = apply_filters( 'the_content', $content );
			$GLOBALS['kco_test_in_loop'] = false;
			return $html;
		};
		$action = static function ( string $hook ): string {
			ob_start();
			do_action( $hook );
			return (string) ob_get_clean();
		};
		if ( 'block' === $theme ) {
			$template = ( $store_block ? '<div class="wc-block-store-notices">' . wc_print_notices( true ) . '</div>' : '' ) . '<main>' . $content_html() . '</main>';
			return $action( 'wp_head' ) . '<body>' . $action( 'wp_body_open' ) . $template . $action( 'wp_footer' ) . '</body>';
		}
		$html = $action( 'wp_head' ) . '<body>' . $action( 'wp_body_open' ) . '<header></header>';
		return $html . '<main>' . $content_html() . '</main>' . $action( 'wp_footer' ) . '</body>';
	}

	private function assert_shown_once_in( string $html, string $where ): void {
		foreach ( self::TEXTS as $text ) {
			$this->assertSame( 1, substr_count( $html, $text ), $text );
		}
		$this->assertSame( 2, substr_count( $html, 'woocommerce-error' ), 'two notices, once each' );
		$this->assertMatchesRegularExpression( $where, $html );
		$this->assertSame( array(), array_filter( wc_get_notices() ), 'nothing left queued for a later page' );
	}

	public function test_a_block_cart_page_woocommerce_does_not_know_in_a_block_theme(): void {
		$html = $this->page_load( self::CART_BLOCK, 'block' );
		$this->assert_shown_once_in( $html, '~<main><div class="woocommerce kco-validation-notices"><div class="woocommerce-notices-wrapper">.*out of stock.*</div></div><!-- wp:woocommerce/cart -->~s' );
	}

	public function test_woocommerces_own_cart_template_in_a_block_theme_prints_them_and_we_do_not_repeat_them(): void {
		$html = $this->page_load( self::CART_BLOCK, 'block', true );
		$this->assert_shown_once_in( $html, '~<div class="wc-block-store-notices">.*out of stock.*</div><main><!-- wp:woocommerce/cart -->~s' );
		$this->assertStringNotContainsString( 'kco-validation-notices', $html );
	}

	public function test_a_block_cart_in_a_classic_theme(): void {
		$html = $this->page_load( self::CART_BLOCK, 'classic' );
		$this->assert_shown_once_in( $html, '~<header></header><main><div class="woocommerce kco-validation-notices">.*<!-- wp:woocommerce/cart -->~s' );
	}

	/** @return array<string, array{0: string}> */
	public function themes(): array {
		return array(
			'classic theme' => array( 'classic' ),
			'block theme'   => array( 'block' ),
		);
	}

	/** @dataProvider themes */
	public function test_the_cart_shortcode_prints_them_itself_and_we_do_not_repeat_them( string $theme ): void {
		$html = $this->page_load( self::CART_SHORTCODE, $theme );
		$this->assert_shown_once_in( $html, '~<main><!-- wp:shortcode -->\s*<div class="woocommerce"><div class="woocommerce-notices-wrapper">.*out of stock~s' );
		$this->assertStringNotContainsString( 'kco-validation-notices', $html );
	}

	public function test_without_the_pages_content_in_a_block_theme_they_open_the_body(): void {
		$html = $this->page_load( self::CART_BLOCK, 'block', false, false );
		$this->assert_shown_once_in( $html, '~<body><div class="woocommerce kco-validation-notices">~' );
	}

	public function test_without_the_pages_content_in_a_classic_theme_they_end_up_in_the_footer(): void {
		$html = $this->page_load( self::CART_BLOCK, 'classic', false, false );
		$this->assert_shown_once_in( $html, '~</main><div class="woocommerce kco-validation-notices">~' );
	}

	public function test_only_our_notices_are_printed_the_others_stay_queued_for_woocommerce(): void {
		wc_add_notice( 'Coupon applied.', 'success' );
		wc_add_notice( 'Another plugin\'s error.', 'error' );
		$html = $this->page_load( self::CART_BLOCK, 'block' );
		$this->assertStringNotContainsString( 'Coupon applied.', $html );
		$this->assertStringNotContainsString( 'Another plugin', $html );
		$this->assertSame( array( 'Coupon applied.' ), array_column( wc_get_notices( 'success' ), 'notice' ) );
		$this->assertSame( array( 'Another plugin\'s error.' ), array_column( wc_get_notices( 'error' ), 'notice' ) );
	}

	public function test_excerpts_and_other_posts_content_are_left_alone(): void {
		$_GET = self::QUERY;
		kco_test_show_page( self::PAGE, self::CART_BLOCK );
		( new Notices() )->register();
		do_action( 'template_redirect' );
		$this->assertSame( 'x', apply_filters( 'the_content', 'x' ), 'outside the loop (an SEO description in wp_head)' );
		$GLOBALS['kco_test_in_loop'] = true;
		$GLOBALS['wp_current_filter'][] = 'get_the_excerpt';
		$this->assertSame( 'x', apply_filters( 'the_content', 'x' ), 'an excerpt' );
		array_pop( $GLOBALS['wp_current_filter'] );
		$this->assertCount( 2, wc_get_notices( 'error' ), 'still queued for the page\'s own content' );
		$this->assertStringContainsString( 'out of stock', apply_filters( 'the_content', 'x' ) );
	}

	public function test_a_page_without_our_arguments_prints_nothing(): void {
		kco_test_show_page( self::PAGE, self::CART_BLOCK );
		wc_add_notice( 'A product in your order is out of stock.', 'error' ); // Queued by someone else, earlier.
		( new Notices() )->register();
		do_action( 'template_redirect' );
		$GLOBALS['kco_test_in_loop'] = true;
		$this->assertSame( self::CART_BLOCK, apply_filters( 'the_content', self::CART_BLOCK ) );
		ob_start();
		do_action( 'wp_footer' );
		$this->assertSame( '', ob_get_clean() );
		$this->assertCount( 1, wc_get_notices( 'error' ) );
	}
}
