<?php
/**
 * Carries a denial's reasons, with their parameters, from Klarna's callback to the shopper's page, in the URL.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin;

use KcoValidation\Plugin\Multilingual\Languages;
use KcoValidation\Plugin\Multilingual\Translations;

defined( 'ABSPATH' ) || exit;

/**
 * The 303 sends the shopper's browser to the cart or checkout page; that page load, not the callback, shows the
 * notices, in the page's language. `kco_validation=<codes>` names the reasons; `kco_validation_details=` adds, for
 * each failure, its code, sub-reason, parameters and product id, as base64url JSON signed with HMAC-SHA256
 * (wp_salt): nothing is stored and no query is added to the callback, and nobody can make the shop print a text of
 * their own choosing with a crafted link (an unsigned or altered value is ignored; the codes still show their
 * general texts). Product names are read again on the page, in its language (the product's translation), when the
 * product id is known.
 */
class ReasonDetails {

	/** The query argument. */
	const QUERY_ARG = 'kco_validation_details';

	/** At most this many failures are carried (a URL must stay short). */
	const MAX_FAILURES = 12;

	/** Largest encoded value, in bytes. */
	const MAX_BYTES = 1500;

	/**
	 * The value for a verdict's failures, or null when there is nothing to carry or it would be too long.
	 *
	 * @param list<mixed>          $failures The verdict's failures.
	 * @param array<string, mixed> $snapshot The snapshot (products by reference, currency).
	 */
	public static function encode( array $failures, array $snapshot ): ?string {
		$details = self::collect( $failures, $snapshot );
		$items   = array();
		foreach ( $details['failures'] as $f ) {
			if ( array() !== $f['params'] ) { // Without parameters the code's general text says it all.
				$items[] = array( $f['code'], $f['reason'], (object) $f['params'], $f['product_id'] );
			}
		}
		if ( array() === $items ) {
			return null;
		}
		$json = wp_json_encode(
			array(
				'c' => $details['currency'],
				'f' => $items,
			),
			JSON_UNESCAPED_UNICODE
		);
		if ( ! is_string( $json ) ) {
			return null;
		}
		$payload = rtrim( strtr( base64_encode( $json ), '+/', '-_' ), '=' );
		$value   = $payload . '.' . self::sign( $payload );
		return strlen( $value ) <= self::MAX_BYTES ? $value : null;
	}

	/**
	 * The failures as carried: code, sub-reason, scalar parameters, and the product id of the line concerned.
	 *
	 * @param list<mixed>          $failures The verdict's failures.
	 * @param array<string, mixed> $snapshot The snapshot (products by reference, currency).
	 * @return array{currency: string, failures: list<array{code: string, reason: string|null, params: array<string, mixed>, product_id: int}>}
	 */
	public static function collect( array $failures, array $snapshot ): array {
		$items = array();
		foreach ( array_slice( $failures, 0, self::MAX_FAILURES ) as $failure ) {
			if ( ! is_array( $failure ) || ! isset( $failure['code'] ) || ! is_string( $failure['code'] ) ) {
				continue;
			}
			$params = array();
			foreach ( is_array( $failure['params'] ?? null ) ? $failure['params'] : array() as $key => $value ) {
				if ( is_string( $key ) && ( is_int( $value ) || is_string( $value ) ) ) {
					$params[ $key ] = is_string( $value ) ? mb_substr( $value, 0, 120 ) : $value;
				}
			}
			$reference = isset( $failure['reference'] ) && is_string( $failure['reference'] ) ? $failure['reference'] : null;
			$product   = null !== $reference ? ( $snapshot['products'][ $reference ]['id'] ?? 0 ) : 0;
			$items[]   = array(
				'code'       => $failure['code'],
				'reason'     => isset( $failure['reason'] ) && is_string( $failure['reason'] ) ? $failure['reason'] : null,
				'params'     => $params,
				'product_id' => is_int( $product ) ? $product : 0,
			);
		}
		return array(
			'currency' => isset( $snapshot['currency'] ) && is_string( $snapshot['currency'] ) ? $snapshot['currency'] : '',
			'failures' => $items,
		);
	}

	/**
	 * The carried failures, or null when the value is missing, too long, unsigned or altered.
	 *
	 * @param mixed $value The query argument's value.
	 * @return array{currency: string, failures: list<array{code: string, reason: string|null, params: array<string, mixed>, product_id: int}>}|null
	 */
	public static function decode( $value ): ?array {
		if ( ! is_string( $value ) || strlen( $value ) > self::MAX_BYTES || 1 !== preg_match( '/^([A-Za-z0-9_-]+)\.([a-f0-9]{32})$/D', $value, $m ) ) {
			return null;
		}
		if ( ! hash_equals( self::sign( $m[1] ), $m[2] ) ) {
			return null;
		}
		$json = base64_decode( strtr( $m[1], '-_', '+/' ), true );
		$data = is_string( $json ) ? json_decode( $json, true ) : null;
		if ( ! is_array( $data ) || ! isset( $data['f'] ) || ! is_array( $data['f'] ) ) {
			return null;
		}
		$failures = array();
		foreach ( $data['f'] as $item ) {
			if ( ! is_array( $item ) || ! isset( $item[0] ) || ! is_string( $item[0] ) ) {
				continue;
			}
			$failures[] = array(
				'code'       => $item[0],
				'reason'     => isset( $item[1] ) && is_string( $item[1] ) ? $item[1] : null,
				'params'     => isset( $item[2] ) && is_array( $item[2] ) ? $item[2] : array(),
				'product_id' => isset( $item[3] ) && is_int( $item[3] ) ? $item[3] : 0,
			);
		}
		return array(
			'currency' => isset( $data['c'] ) && is_string( $data['c'] ) ? $data['c'] : '',
			'failures' => $failures,
		);
	}

	/**
	 * The shopper's texts for carried failures, in the current locale; product names from the product's
	 * translation in the current language when it has one.
	 *
	 * @param array{currency: string, failures: list<array{code: string, reason: string|null, params: array<string, mixed>, product_id: int}>} $details Decoded details.
	 * @param Translations|null $translations The shop's languages (default: detected).
	 * @param bool              $html         Escape for HTML.
	 * @param string|null       $lang         Language of product names (default: the current language).
	 * @return list<string>
	 */
	public static function texts( array $details, ?Translations $translations = null, bool $html = true, ?string $lang = null ): array {
		$translations = $translations ?? Languages::detect();
		$texts        = array();
		foreach ( $details['failures'] as $failure ) {
			$params = $failure['params'];
			if ( $failure['product_id'] > 0 && isset( $params['name'] ) ) {
				$name = self::product_name( $failure['product_id'], $translations, $lang );
				if ( null !== $name ) {
					$params['name'] = $name;
				}
			}
			$text = Reasons::text( $failure['code'], $failure['reason'], $params, $details['currency'], $html );
			if ( null !== $text && ! in_array( $text, $texts, true ) ) {
				$texts[] = $text;
			}
		}
		return $texts;
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

	/**
	 * The signature of a payload (32 hex characters of HMAC-SHA256).
	 *
	 * @param string $payload Encoded payload.
	 */
	private static function sign( string $payload ): string {
		return substr( hash_hmac( 'sha256', 'kco-validation-details|' . $payload, wp_salt( 'auth' ) ), 0, 32 );
	}
}
