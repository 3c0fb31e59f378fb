<?php
/**
 * The snapshot's `urls` and `language` sections: the shopper's language and the cart and checkout pages in it.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin\Snapshot;

use KcoValidation\Plugin\Multilingual\LanguageRecorder;
use KcoValidation\Plugin\Multilingual\NoTranslations;
use KcoValidation\Plugin\Multilingual\Translations;

defined( 'ABSPATH' ) || exit;

/**
 * Reads:
 * - the shopper's language: the `kco_validation_language` value of their WooCommerce session (LanguageRecorder),
 *   else the callback URL's own language, else Klarna's `locale` (Translations::shopper_language()); none in a
 *   one-language shop;
 * - the cart and checkout URLs: WooCommerce's wc_get_cart_url() / wc_get_checkout_url() (includes/wc-core-functions.php),
 *   in a multilingual shop the page's translation in the shopper's language (WPML wpml_object_id + wpml_permalink,
 *   Polylang pll_get_post + its permalink, the language's home URL when the shop has no such page);
 * - the language's WordPress locale.
 * No query of its own: options are autoloaded, the multilingual plugins' lookups are their own (cached) API calls,
 * and a one-language shop makes none. Usable without the rest of the snapshot (an answer for a fault still sends
 * the shopper to their own language's page).
 */
final class Pages {

	/** The shop's languages and translations. */
	private Translations $translations;

	/**
	 * Constructor.
	 *
	 * @param Translations|null $translations The shop's languages (default: one language).
	 */
	public function __construct( ?Translations $translations = null ) {
		$this->translations = $translations ?? new NoTranslations();
	}

	/**
	 * The shop's languages and translations.
	 */
	public function translations(): Translations {
		return $this->translations;
	}

	/**
	 * The shopper's language: the one recorded in their session, else the callback URL's, else Klarna's locale;
	 * null in a one-language shop.
	 *
	 * @param SessionData|null $session       The restored session (null: none read).
	 * @param string           $klarna_locale The order's `locale` (e.g. sv-SE), '' when unknown.
	 */
	public function shopper_language( ?SessionData $session, string $klarna_locale = '' ): ?string {
		if ( ! $this->translations->active() ) {
			return null;
		}
		return $this->translations->shopper_language( null === $session ? null : $session->get( LanguageRecorder::SESSION_KEY ), $klarna_locale );
	}

	/**
	 * The snapshot's `urls`, built for a denial only (Decision\Decider): the cart and checkout pages in the
	 * shopper's language. WooCommerce's two pages are read in one query (get_permalink() reads each page's post).
	 *
	 * @param string|null $lang The shopper's language (null: WooCommerce's URLs).
	 * @return array{cart: string, checkout: string}
	 */
	public function urls( ?string $lang ): array {
		if ( function_exists( '_prime_post_caches' ) ) {
			$pages = array_values( array_filter( array( (int) get_option( 'woocommerce_cart_page_id' ), (int) get_option( 'woocommerce_checkout_page_id' ) ) ) );
			if ( array() !== $pages ) {
				_prime_post_caches( $pages, false, false );
			}
		}
		return array(
			'cart'     => $this->page_url( 'cart', $lang ),
			'checkout' => $this->page_url( 'checkout', $lang ),
		);
	}

	/**
	 * The snapshot's `language` (not read by the extension): the shopper's language and its WordPress locale.
	 *
	 * @param string|null $lang The shopper's language.
	 * @return array{code: string|null, locale: string|null}
	 */
	public function language( ?string $lang ): array {
		return array(
			'code'   => $lang,
			'locale' => null === $lang ? null : $this->translations->locale_of( $lang ),
		);
	}

	/**
	 * WooCommerce's cart or checkout URL; in a multilingual shop, the page's translation in the shopper's language
	 * (asked of the plugin even when the callback runs in that language: what wc_get_checkout_url() gives during a
	 * server-to-server callback depends on how WooCommerce Multilingual or Polylang for WooCommerce filter it),
	 * else WooCommerce's URL. The URL's own query string (a ?lang= argument, plain permalinks) is kept; the
	 * extension appends its own.
	 *
	 * @param string      $page 'cart' or 'checkout'.
	 * @param string|null $lang The shopper's language.
	 */
	public function page_url( string $page, ?string $lang ): string {
		$url = 'cart' === $page ? (string) wc_get_cart_url() : (string) wc_get_checkout_url();
		if ( null === $lang ) {
			return $url;
		}
		$translated = $this->translations->shop_page_url( $page, $lang );
		return null !== $translated && '' !== $translated ? $translated : $url;
	}
}
