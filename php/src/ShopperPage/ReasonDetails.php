<?php
/**
 * Reads a denial's reasons, carried from Klarna's callback to the shopper's page in the URL.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin\ShopperPage;

use KcoValidation\Plugin\Multilingual\Languages;
use KcoValidation\Plugin\Multilingual\Translations;

defined( 'ABSPATH' ) || exit;

/**
 * The 303 sends the shopper's browser to the cart or checkout page; that page load, not the callback, shows the
 * notices, in the page's language. `kco_validation=<codes>` names the reasons; `kco_validation_details=` (written
 * by the extension, src/answer/details.rs) adds each failure's code, sub-reason, parameters and product id, signed
 * with a key derived from `wp_salt()`: nothing is stored, no query is added to the callback, and nobody can make
 * the shop print a text of their own choosing with a crafted link (an unsigned or altered value is ignored; the
 * codes still show their general texts). Product names are read again on the page, in its language (the product's
 * translation), when the product id is known.
 */
final class ReasonDetails {

	/** The query argument. */
	const QUERY_ARG = 'kco_validation_details';

	/**
	 * The key the extension signs the details with (HMAC-SHA256 key; never sent anywhere).
	 */
	public static function key(): string {
		return hash_hmac( 'sha256', 'kco-validation-details', wp_salt( 'auth' ) );
	}

	/**
	 * The carried reasons (`code`, `reason`, `params`, `product_id` each), or null when the value is missing, too
	 * long, unsigned or altered.
	 *
	 * @param mixed $value The query argument's value.
	 * @return list<array{code: string, reason: string|null, params: array<string, mixed>, product_id: int}>|null
	 */
	public static function decode( $value ): ?array {
		if ( ! is_string( $value ) || '' === $value || ! function_exists( 'KcoValidation\\read_details' ) ) {
			return null;
		}
		$reasons = \KcoValidation\read_details( $value, self::key() );
		return is_array( $reasons ) ? $reasons : null;
	}

	/**
	 * The shopper's texts for carried reasons, in the current locale; product names from the product's
	 * translation in the current language when it has one.
	 *
	 * @param list<array{code: string, reason: string|null, params: array<string, mixed>, product_id: int}> $reasons Decoded reasons.
	 * @param Translations|null $translations The shop's languages (default: detected).
	 * @param bool              $html         Escape for HTML.
	 * @param string|null       $lang         Language of product names (default: the current language).
	 * @return list<string>
	 */
	public static function texts( array $reasons, ?Translations $translations = null, bool $html = true, ?string $lang = null ): array {
		$ids = array();
		foreach ( $reasons as $reason ) {
			if ( $reason['product_id'] > 0 && isset( $reason['params']['name'] ) ) {
				$ids[] = $reason['product_id'];
			}
		}
		return Reasons::render( $reasons, $html, self::names( $ids, $translations ?? Languages::detect(), $lang ) );
	}

	/**
	 * Product names in a language (default: the current one), by id, for the products that have a translation
	 * there; empty in a one-language shop.
	 *
	 * @param list<int>    $ids          Product or variation ids.
	 * @param Translations $translations The shop's languages.
	 * @param string|null  $lang         Language (default: the current one).
	 * @return array<int, string>
	 */
	public static function names( array $ids, Translations $translations, ?string $lang = null ): array {
		$names = array();
		foreach ( array_unique( $ids ) as $id ) {
			$name = self::product_name( (int) $id, $translations, $lang );
			if ( null !== $name ) {
				$names[ (int) $id ] = $name;
			}
		}
		return $names;
	}

	/**
	 * A product's name in the current language (its translation's title), or null.
	 *
	 * @param int          $id           Product or variation id.
	 * @param Translations $translations The shop's languages.
	 * @param string|null  $lang         Language (default: the current one).
	 */
	private static function product_name( int $id, Translations $translations, ?string $lang ): ?string {
		if ( ! $translations->active() || ! function_exists( 'get_the_title' ) ) {
			return null;
		}
		$lang = $lang ?? $translations->current_language();
		if ( null === $lang ) {
			return null;
		}
		$translated = $translations->translate( $id, 'product', $lang ) ?? $translations->translate( $id, 'product_variation', $lang );
		if ( null === $translated || $translated === $id ) {
			return null;
		}
		$title = get_the_title( $translated );
		return is_string( $title ) && '' !== $title ? html_entity_decode( $title, ENT_QUOTES, 'UTF-8' ) : null;
	}
}
