<?php
/**
 * Shows a denial's notices on the page the 303 leads to even where WooCommerce would not print them.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin\ShopperPage;

defined( 'ABSPATH' ) || exit;

/**
 * Where WooCommerce 9.9 prints queued notices on a cart or checkout page:
 * - the `[woocommerce_cart]` / `[woocommerce_checkout]` shortcodes, through `woocommerce_before_cart`,
 *   `woocommerce_cart_is_empty` and `woocommerce_before_checkout_form` (includes/wc-template-hooks.php), on any page
 *   that carries them;
 * - in a block theme, the Store Notices block (src/Blocks/BlockTypes/StoreNotices.php) of its own Cart and Checkout
 *   templates (templates/templates/page-cart.html, page-checkout.html), used only when is_cart() / is_checkout();
 * - the Cart and Checkout blocks print none (the Store API's routes set queued notices aside and put them back:
 *   src/Blocks/Domain/Services/Hydration.php, src/StoreApi/Utilities/CartController.php).
 * So on a Cart or Checkout block page WooCommerce does not know (a translation made with Polylang without Polylang
 * for WooCommerce: its page settings are not translated) or a block cart in a classic theme, the notices stay
 * queued, and appear on some later page, out of context.
 *
 * This class is told which texts the page's query string asked for (Notices::add_notices()); whatever of them is
 * still queued when the page's own content has been rendered is printed there, above that content (`the_content`,
 * after blocks and shortcodes ran, in the main loop only), else at the top of the body in a block theme (whose
 * template is rendered before `wp_body_open`), else in the footer; printed notices are taken out of the queue, so
 * they show once. Other queued notices are left to WooCommerce. WooCommerce's own templates render them (the block
 * notice style in block themes).
 */
final class PagePrinter {

	/** The texts the page's query string asked for. @var list<string> */
	private array $expected = array();

	/**
	 * Hooks.
	 */
	public function register(): void {
		add_filter( 'the_content', array( $this, 'prepend_to_content' ), 1000 );
		add_action( 'wp_body_open', array( $this, 'print_in_block_theme' ), 1 );
		add_action( 'wp_footer', array( $this, 'print_leftovers' ), 1 );
	}

	/**
	 * The texts queued for this page.
	 *
	 * @param list<string> $texts Notice texts.
	 */
	public function expect( array $texts ): void {
		$this->expected = array_values( array_unique( array_merge( $this->expected, $texts ) ) );
	}

	/**
	 * The page's own content, with the notices WooCommerce did not print above it.
	 *
	 * @param mixed $content The content.
	 * @return mixed
	 */
	public function prepend_to_content( $content ) {
		if ( ! is_string( $content ) || array() === $this->expected || ! self::is_the_pages_content() ) {
			return $content;
		}
		return $this->take() . $content;
	}

	/**
	 * In a block theme: the template was rendered before the body opens; what is still queued is printed first.
	 */
	public function print_in_block_theme(): void {
		if ( array() !== $this->expected && function_exists( 'wp_is_block_theme' ) && wp_is_block_theme() ) {
			echo $this->take(); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- wc_print_notices() output, wc_kses_notice()d.
		}
	}

	/**
	 * Whatever is still queued when the page ends.
	 */
	public function print_leftovers(): void {
		if ( array() !== $this->expected ) {
			echo $this->take(); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- wc_print_notices() output, wc_kses_notice()d.
		}
	}

	/**
	 * The expected notices still queued, as WooCommerce prints them, taken out of the queue ('' when none).
	 */
	public function take(): string {
		if ( array() === $this->expected || ! function_exists( 'wc_get_notices' ) || ! function_exists( 'wc_set_notices' ) || ! function_exists( 'wc_print_notices' ) ) {
			return '';
		}
		$all  = wc_get_notices();
		$ours = array();
		$rest = array();
		foreach ( is_array( $all ) ? $all : array() as $type => $notices ) {
			foreach ( is_array( $notices ) ? $notices : array() as $notice ) {
				$text = is_array( $notice ) ? ( $notice['notice'] ?? null ) : $notice;
				if ( 'error' === $type && in_array( $text, $this->expected, true ) ) {
					$ours[ $type ][] = $notice;
				} else {
					$rest[ $type ][] = $notice;
				}
			}
		}
		if ( array() === $ours ) {
			return '';
		}
		wc_set_notices( $ours );
		$html = (string) wc_print_notices( true );
		wc_set_notices( $rest );
		return '' === $html ? '' : '<div class="woocommerce kco-validation-notices"><div class="woocommerce-notices-wrapper">' . $html . '</div></div>';
	}

	/**
	 * Whether `the_content` is filtering the shown page's own content: in the main loop, for the queried post, not
	 * for an excerpt.
	 */
	private static function is_the_pages_content(): bool {
		if ( ! function_exists( 'in_the_loop' ) || ! function_exists( 'is_main_query' ) || ! function_exists( 'get_the_ID' ) || ! function_exists( 'get_queried_object_id' ) ) {
			return false;
		}
		if ( doing_filter( 'get_the_excerpt' ) || doing_filter( 'wp_trim_excerpt' ) ) {
			return false;
		}
		return in_the_loop() && is_main_query() && (int) get_the_ID() > 0 && (int) get_the_ID() === (int) get_queried_object_id();
	}
}
