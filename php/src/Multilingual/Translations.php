<?php
/**
 * What the plugin needs to know of a multilingual shop, whichever plugin makes it multilingual.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin\Multilingual;

defined( 'ABSPATH' ) || exit;

/**
 * The primitives (languages, translations of a post, a page's URL in a language) are answered by WPML, Polylang or
 * nobody (Wpml, Polylang, NoTranslations); the rules built on them live here, once:
 * - the shopper's language: the one recorded in their WooCommerce session, else the language the callback URL
 *   carried when it is not the default one (a URL that KCO 1.0–1.10 built in the shopper's language), else
 *   Klarna's `locale` matched to a language of the shop (first by locale, then by language), else none;
 * - the canonical id of a product: its translation in the default language (else the lowest id of its group), so
 *   translations that share one stock are counted as one product;
 * - the cart and checkout URLs in a language: the page's translation, through the plugin's own permalink API.
 */
abstract class Translations {

	/** 'wpml', 'polylang' or 'none'. */
	abstract public function name(): string;

	/**
	 * The shop's languages.
	 *
	 * @return array<string, string> Language code => WordPress locale (e.g. 'de' => 'de_DE').
	 */
	abstract public function languages(): array;

	/** The default language's code, or null. */
	abstract public function default_language(): ?string;

	/** The language of the current request, or null. */
	abstract public function current_language(): ?string;

	/**
	 * All translations of a post, itself included.
	 *
	 * @param int    $id   Post id.
	 * @param string $type Post type (product, product_variation, page).
	 * @return array<string, int> Language code => post id (empty when the post is not translatable).
	 */
	abstract public function group( int $id, string $type ): array;

	/**
	 * The URL of a page's translation in a language, or null when the page has none.
	 *
	 * @param int    $page_id Page id.
	 * @param string $lang    Language code.
	 */
	abstract public function page_url( int $page_id, string $lang ): ?string;

	/**
	 * The home URL in a language.
	 *
	 * @param string $lang Language code.
	 */
	abstract public function home_url_in( string $lang ): string;

	/** Whether the shop has more than one language. */
	public function active(): bool {
		return count( $this->languages() ) > 1;
	}

	/**
	 * A post's translation in a language, or null.
	 *
	 * @param int    $id   Post id.
	 * @param string $type Post type.
	 * @param string $lang Language code.
	 */
	public function translate( int $id, string $type, string $lang ): ?int {
		$group = $this->group( $id, $type );
		return isset( $group[ $lang ] ) && $group[ $lang ] > 0 ? $group[ $lang ] : null;
	}

	/**
	 * The id that stands for all translations of a post: the default language's, else the lowest; the id itself
	 * when it has no translations.
	 *
	 * @param int    $id   Post id.
	 * @param string $type Post type.
	 */
	public function canonical( int $id, string $type ): int {
		$group = $this->group( $id, $type );
		if ( array() === $group ) {
			return $id;
		}
		$default = $this->default_language();
		if ( null !== $default && isset( $group[ $default ] ) && $group[ $default ] > 0 ) {
			return $group[ $default ];
		}
		$ids = array_filter( array_values( $group ), static fn ( int $i ): bool => $i > 0 );
		return array() === $ids ? $id : min( $ids );
	}

	/**
	 * The WordPress locale of a language, or null.
	 *
	 * @param string $lang Language code.
	 */
	public function locale_of( string $lang ): ?string {
		$languages = $this->languages();
		return $languages[ $lang ] ?? null;
	}

	/**
	 * The shopper's language: the one their session recorded when it is one of the shop's, else the callback's own
	 * language when it is not the default (the URL carried it), else Klarna's locale (`sv-SE`) matched to a
	 * language whose locale is `sv_SE`, else one whose code or locale starts with `sv`.
	 *
	 * @param mixed  $recorded      The session's kco_validation_language value.
	 * @param string $klarna_locale The order's locale.
	 */
	public function shopper_language( $recorded, string $klarna_locale ): ?string {
		$languages = $this->languages();
		if ( array() === $languages ) {
			return null;
		}
		if ( is_string( $recorded ) && isset( $languages[ $recorded ] ) ) {
			return $recorded;
		}
		// A language-neutral URL runs in the default language, which says nothing; another one was in the URL.
		$current = $this->current_language();
		if ( null !== $current && $current !== $this->default_language() && isset( $languages[ $current ] ) ) {
			return $current;
		}
		$wanted = strtolower( str_replace( '-', '_', trim( $klarna_locale ) ) );
		if ( '' === $wanted ) {
			return null;
		}
		foreach ( $languages as $code => $locale ) {
			if ( strtolower( $locale ) === $wanted ) {
				return (string) $code;
			}
		}
		$prefix = strtok( $wanted, '_' );
		foreach ( $languages as $code => $locale ) {
			if ( strtolower( (string) $code ) === $prefix || strtolower( (string) strtok( $locale, '_' ) ) === $prefix ) {
				return (string) $code;
			}
		}
		return null;
	}

	/**
	 * WooCommerce's cart or checkout page URL in a language: the page's translation, else the home URL in that
	 * language when the shop has no such page (as wc_get_page_permalink() falls back to home), else null (keep
	 * the URL WooCommerce gives).
	 *
	 * @param string $page 'cart' or 'checkout'.
	 * @param string $lang Language code.
	 */
	public function shop_page_url( string $page, string $lang ): ?string {
		$page_id = function_exists( 'wc_get_page_id' ) ? (int) wc_get_page_id( $page ) : 0;
		if ( $page_id <= 0 ) {
			return $this->home_url_in( $lang );
		}
		return $this->page_url( $page_id, $lang );
	}
}
