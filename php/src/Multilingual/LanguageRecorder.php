<?php
/**
 * Remembers, in the shopper's WooCommerce session, the language they check out in.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin\Multilingual;

defined( 'ABSPATH' ) || exit;

/**
 * Klarna calls the validation URL server to server, in no language; the shopper's language is the multilingual
 * plugin's current language in the shopper's own requests. It is recorded under `kco_validation_language` and read
 * back by the callback from the same session row it already loads (no extra query):
 *
 * - on every cart and checkout page the shopper opens: WooCommerce's own, their translations (Polylang without
 *   Polylang for WooCommerce does not translate WooCommerce's page settings, so is_cart() is false on a translated
 *   Cart block page), and any page whose content carries the cart or checkout block or shortcode. A page the shopper
 *   opened is in the language its URL carries: it always records, the default language included (a shopper who
 *   switches back to it);
 * - in the shopper's background requests — WooCommerce's `?wc-ajax=` endpoint, the Store API (`/wc/store/…`), and
 *   KCO / Kustom Checkout building or updating the Klarna order (KcoIntegration) —, but only a language that is not
 *   the default one. Those requests reach URLs without a language (Polylang: `/?wc-ajax=…` from an English page runs
 *   in the default language, even with its language cookie; the Store API has no language unless `?lang=` is
 *   given), so the default language there says nothing and never overwrites the language the shopper chose.
 */
class LanguageRecorder {

	/** The session key. */
	const SESSION_KEY = 'kco_validation_language';

	/**
	 * Hooks.
	 */
	public function register(): void {
		// Page views and `?wc-ajax=` requests both run WP::main(); the multilingual plugins set the language before.
		add_action( 'wp', array( $this, 'record_on_request' ), 20 );
		add_filter( 'rest_post_dispatch', array( $this, 'record_on_store_api' ), 10, 3 );
	}

	/**
	 * A front-end request: a cart or checkout page (any language), or a `?wc-ajax=` request.
	 */
	public function record_on_request(): void {
		if ( ( function_exists( 'is_admin' ) && is_admin() ) || ! function_exists( 'WC' ) ) {
			return;
		}
		$translations = Languages::detect();
		if ( ! $translations->active() ) {
			return;
		}
		if ( ! self::is_page_view() ) {
			self::record( $translations, false );
		} elseif ( self::is_shop_page( $translations ) ) {
			self::record( $translations, true );
		}
	}

	/**
	 * A Store API request (the Cart and Checkout blocks): records after the route ran, when WooCommerce has loaded
	 * the shopper's session. The response is returned unchanged.
	 *
	 * @param mixed $result  The response.
	 * @param mixed $server  The REST server.
	 * @param mixed $request The request.
	 * @return mixed
	 */
	public function record_on_store_api( $result, $server = null, $request = null ) {
		if ( is_object( $request ) && method_exists( $request, 'get_route' ) && 0 === strpos( (string) $request->get_route(), '/wc/store/' ) ) {
			self::record( null, false );
		}
		return $result;
	}

	/**
	 * Whether this request is a page the shopper opened (not AJAX, not the REST API, not cron or the command line),
	 * after WordPress ran its main query.
	 */
	public static function is_page_view(): bool {
		if ( ( function_exists( 'wp_doing_ajax' ) && wp_doing_ajax() ) || ( defined( 'DOING_AJAX' ) && DOING_AJAX ) ) {
			return false;
		}
		if ( ( defined( 'REST_REQUEST' ) && REST_REQUEST ) || ( function_exists( 'wp_doing_cron' ) && wp_doing_cron() ) || ( defined( 'WP_CLI' ) && WP_CLI ) ) {
			return false;
		}
		if ( function_exists( 'is_feed' ) && ( is_feed() || ( function_exists( 'is_404' ) && is_404() ) ) ) {
			return false;
		}
		return (bool) did_action( 'wp' );
	}

	/**
	 * Whether the page being shown is a cart or checkout page: WooCommerce's own (is_cart(), is_checkout(), which
	 * also count a page with the cart or checkout shortcode), a translation of one, or a page whose content has the
	 * Cart or Checkout block.
	 *
	 * @param Translations $translations The shop's translations.
	 */
	public static function is_shop_page( Translations $translations ): bool {
		if ( ( function_exists( 'is_cart' ) && is_cart() ) || ( function_exists( 'is_checkout' ) && is_checkout() ) ) {
			return true;
		}
		if ( ! function_exists( 'is_page' ) || ! is_page() || ! function_exists( 'get_queried_object_id' ) ) {
			return false;
		}
		$id = (int) get_queried_object_id();
		if ( $id <= 0 ) {
			return false;
		}
		foreach ( array( 'cart', 'checkout' ) as $page ) {
			$wc_page = function_exists( 'wc_get_page_id' ) ? (int) wc_get_page_id( $page ) : 0;
			if ( $wc_page > 0 && ( $wc_page === $id || in_array( $id, $translations->group( $wc_page, 'page' ), true ) ) ) {
				return true;
			}
		}
		if ( ! function_exists( 'has_block' ) ) {
			return false;
		}
		foreach ( array( 'woocommerce/cart', 'woocommerce/checkout', 'woocommerce/classic-shortcode' ) as $block ) {
			if ( has_block( $block, $id ) ) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Stores the current language in the shopper's session when the shop has several and it changed.
	 *
	 * @param Translations|null $translations The shop's translations (default: detected).
	 * @param bool|null         $chosen       Whether the request's language is the shopper's choice (a page they
	 *                                        opened) rather than possibly the default one by accident (a background
	 *                                        request); default: whether this request is a page view.
	 */
	public static function record( ?Translations $translations = null, ?bool $chosen = null ): void {
		$translations = $translations ?? Languages::detect();
		if ( ! $translations->active() || ! function_exists( 'WC' ) ) {
			return;
		}
		$lang = $translations->current_language();
		if ( null === $lang || ! array_key_exists( $lang, $translations->languages() ) ) {
			return;
		}
		$chosen = $chosen ?? self::is_page_view();
		if ( ! $chosen && $lang === $translations->default_language() ) {
			return;
		}
		$wc = WC();
		if ( ! is_object( $wc ) || ! isset( $wc->session ) || ! is_object( $wc->session ) || ! method_exists( $wc->session, 'set' ) ) {
			return;
		}
		if ( $wc->session->get( self::SESSION_KEY ) !== $lang ) {
			$wc->session->set( self::SESSION_KEY, $lang );
		}
	}
}
