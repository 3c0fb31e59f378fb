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
 * Klarna calls the validation URL server to server, in no language; the shopper's language is what their cart and
 * checkout pages were shown in. It is recorded on those pages and whenever KCO builds the Klarna order (both run in
 * the shopper's own requests), under `kco_validation_language`, and read back by the callback from the same session
 * row it already loads (no extra query).
 */
class LanguageRecorder {

	/** The session key. */
	const SESSION_KEY = 'kco_validation_language';

	/**
	 * Hooks.
	 */
	public function register(): void {
		add_action( 'wp', array( $this, 'record_on_shop_pages' ) );
	}

	/**
	 * On the cart and checkout pages.
	 */
	public function record_on_shop_pages(): void {
		if ( ( function_exists( 'is_admin' ) && is_admin() ) || ! function_exists( 'is_checkout' ) || ! function_exists( 'is_cart' ) ) {
			return;
		}
		if ( is_checkout() || is_cart() ) {
			self::record();
		}
	}

	/**
	 * Stores the current language in the shopper's session when the shop has several and it changed.
	 *
	 * @param Translations|null $translations The shop's translations (default: detected).
	 */
	public static function record( ?Translations $translations = null ): void {
		$translations = $translations ?? Languages::detect();
		if ( ! $translations->active() || ! function_exists( 'WC' ) ) {
			return;
		}
		$lang = $translations->current_language();
		$wc   = WC();
		if ( null === $lang || ! is_object( $wc ) || ! isset( $wc->session ) || ! is_object( $wc->session ) || ! method_exists( $wc->session, 'set' ) ) {
			return;
		}
		if ( $wc->session->get( self::SESSION_KEY ) !== $lang ) {
			$wc->session->set( self::SESSION_KEY, $lang );
		}
	}
}
