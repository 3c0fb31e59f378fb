<?php
/**
 * Polylang (with Polylang for WooCommerce), through its documented functions only.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin\Multilingual;

defined( 'ABSPATH' ) || exit;

/**
 * Uses the functions of Polylang's function reference (https://polylang.pro/doc/function-reference/):
 * `pll_languages_list`, `pll_default_language`, `pll_current_language`, `pll_get_post_translations`,
 * `pll_get_post` and `pll_home_url`; a page's URL is get_permalink() of its translation, which Polylang gives in
 * that translation's language. Polylang for WooCommerce keeps SKU and stock the same across a product's
 * translations, which is why they are one stock owner here.
 */
class Polylang extends Translations {

	/** Translation groups already read, by id. @var array<int, array<string, int>> */
	private array $groups = array();

	/** Whether Polylang is active with at least one language. */
	public static function detected(): bool {
		return function_exists( 'pll_default_language' ) && function_exists( 'pll_get_post' ) && is_string( pll_default_language() ) && '' !== pll_default_language();
	}

	/** {@inheritDoc} */
	public function name(): string {
		return 'polylang';
	}

	/** {@inheritDoc} */
	public function languages(): array {
		$slugs   = pll_languages_list( array( 'fields' => 'slug' ) );
		$locales = pll_languages_list( array( 'fields' => 'locale' ) );
		$slugs   = is_array( $slugs ) ? array_values( $slugs ) : array();
		$locales = is_array( $locales ) ? array_values( $locales ) : array();
		$out     = array();
		foreach ( $slugs as $i => $slug ) {
			if ( is_string( $slug ) && '' !== $slug ) {
				$out[ $slug ] = isset( $locales[ $i ] ) && is_string( $locales[ $i ] ) ? $locales[ $i ] : '';
			}
		}
		return $out;
	}

	/** {@inheritDoc} */
	public function default_language(): ?string {
		$lang = pll_default_language( 'slug' );
		return is_string( $lang ) && '' !== $lang ? $lang : null;
	}

	/** {@inheritDoc} */
	public function current_language(): ?string {
		$lang = pll_current_language( 'slug' );
		return is_string( $lang ) && '' !== $lang ? $lang : null;
	}

	/** {@inheritDoc} */
	public function group( int $id, string $type ): array {
		if ( isset( $this->groups[ $id ] ) ) {
			return $this->groups[ $id ];
		}
		$group        = array();
		$translations = function_exists( 'pll_get_post_translations' ) ? pll_get_post_translations( $id ) : array();
		foreach ( is_array( $translations ) ? $translations : array() as $lang => $post_id ) {
			if ( is_string( $lang ) && '' !== $lang && is_numeric( $post_id ) && (int) $post_id > 0 ) {
				$group[ $lang ] = (int) $post_id;
			}
		}
		$this->groups[ $id ] = $group;
		return $group;
	}

	/** {@inheritDoc} */
	public function page_url( int $page_id, string $lang ): ?string {
		$translated = pll_get_post( $page_id, $lang );
		if ( ! is_numeric( $translated ) || (int) $translated <= 0 ) {
			return null;
		}
		$url = get_permalink( (int) $translated );
		return is_string( $url ) && '' !== $url ? $url : null;
	}

	/** {@inheritDoc} */
	public function home_url_in( string $lang ): string {
		$url = function_exists( 'pll_home_url' ) ? pll_home_url( $lang ) : '';
		return is_string( $url ) && '' !== $url ? $url : rtrim( (string) get_option( 'home' ), '/' ) . '/';
	}
}
