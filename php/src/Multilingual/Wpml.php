<?php
/**
 * WPML (with WooCommerce Multilingual), through its documented hooks only.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin\Multilingual;

defined( 'ABSPATH' ) || exit;

/**
 * Uses the filters of WPML's hooks reference (https://wpml.org/documentation/support/wpml-coding-api/wpml-hooks-reference/):
 * `wpml_active_languages`, `wpml_default_language`, `wpml_current_language`, `wpml_element_trid`,
 * `wpml_get_element_translations`, `wpml_object_id` and `wpml_permalink`. WooCommerce Multilingual keeps SKU and
 * stock the same across a product's translations, which is why they are one stock owner here.
 */
class Wpml extends Translations {

	/** Translation groups already read, by "type:id". @var array<string, array<string, int>> */
	private array $groups = array();

	/** Whether WPML is active (its default language is known). */
	public static function detected(): bool {
		$default = apply_filters( 'wpml_default_language', null );
		return is_string( $default ) && '' !== $default;
	}

	/** {@inheritDoc} */
	public function name(): string {
		return 'wpml';
	}

	/** {@inheritDoc} */
	public function languages(): array {
		$active    = apply_filters( 'wpml_active_languages', null, array( 'skip_missing' => 0 ) );
		$languages = array();
		foreach ( is_array( $active ) ? $active : array() as $code => $language ) {
			// WPML 5 documents `language_code`; WPML 4 answered `code` too.
			$code   = is_array( $language ) && isset( $language['language_code'] ) && is_string( $language['language_code'] ) ? $language['language_code']
				: ( is_array( $language ) && isset( $language['code'] ) && is_string( $language['code'] ) ? $language['code'] : (string) $code );
			$locale = is_array( $language ) && isset( $language['default_locale'] ) && is_string( $language['default_locale'] ) ? $language['default_locale'] : '';
			if ( '' !== $code ) {
				$languages[ $code ] = $locale;
			}
		}
		return $languages;
	}

	/** {@inheritDoc} */
	public function default_language(): ?string {
		$lang = apply_filters( 'wpml_default_language', null );
		return is_string( $lang ) && '' !== $lang ? $lang : null;
	}

	/** {@inheritDoc} */
	public function current_language(): ?string {
		$lang = apply_filters( 'wpml_current_language', null );
		return is_string( $lang ) && '' !== $lang && 'all' !== $lang ? $lang : null;
	}

	/** {@inheritDoc} */
	public function group( int $id, string $type ): array {
		$key = $type . ':' . $id;
		if ( isset( $this->groups[ $key ] ) ) {
			return $this->groups[ $key ];
		}
		$group = array();
		$trid  = apply_filters( 'wpml_element_trid', null, $id, 'post_' . $type );
		if ( is_numeric( $trid ) && (int) $trid > 0 ) {
			$translations = apply_filters( 'wpml_get_element_translations', null, (int) $trid, 'post_' . $type );
			foreach ( is_array( $translations ) ? $translations : array() as $lang => $translation ) {
				$element = is_object( $translation ) && isset( $translation->element_id ) ? (int) $translation->element_id : 0;
				$code    = is_object( $translation ) && isset( $translation->language_code ) && is_string( $translation->language_code ) ? $translation->language_code : (string) $lang;
				if ( $element > 0 && '' !== $code ) {
					$group[ $code ] = $element;
				}
			}
		}
		$this->groups[ $key ] = $group;
		return $group;
	}

	/** {@inheritDoc} */
	public function page_url( int $page_id, string $lang ): ?string {
		$translated = apply_filters( 'wpml_object_id', $page_id, 'page', false, $lang );
		if ( ! is_numeric( $translated ) || (int) $translated <= 0 ) {
			return null;
		}
		$url = get_permalink( (int) $translated );
		if ( ! is_string( $url ) || '' === $url ) {
			return null;
		}
		$url = apply_filters( 'wpml_permalink', $url, $lang );
		return is_string( $url ) && '' !== $url ? $url : null;
	}

	/** {@inheritDoc} */
	public function home_url_in( string $lang ): string {
		$home = rtrim( (string) get_option( 'home' ), '/' ) . '/';
		$url  = apply_filters( 'wpml_permalink', $home, $lang );
		return is_string( $url ) && '' !== $url ? $url : $home;
	}
}
