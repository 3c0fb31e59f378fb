<?php
/**
 * The token carried by validation URLs the plugin builds or filters.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin\Integration;

use KcoValidation\Plugin\Settings;

defined( 'ABSPATH' ) || exit;

/**
 * HMAC-SHA256 of the WooCommerce session key, keyed with wp_salt( 'auth' ).
 */
class UrlToken {

	const QUERY_ARG = 'kco_validation_token';

	/** The first KCO version whose validation URL passes through `kco_wc_validation_url` (and so gets the token). */
	const FIRST_FILTERED_KCO = '1.11.0';

	/**
	 * Whether a callback must carry the token (issue 13: locked by default). Every validation URL to our endpoint is
	 * built by us (Kustom Checkout 2.x) or passes through our filter (KCO 1.11+), so it carries one; only KCO 1.0–1.10
	 * build URLs we never see. Such URLs are accepted only while such a version is active, and only when the
	 * setting "Callbacks without a token" allows it; the `kco_validation_require_token` filter has the last word.
	 *
	 * @param Settings $settings Settings.
	 */
	public static function required( Settings $settings ): bool {
		$version = KcoIntegration::kco_version();
		$legacy  = null !== $version && version_compare( $version, self::FIRST_FILTERED_KCO, '<' );
		/**
		 * Whether a validation URL must carry our token. Default: true, except while KCO 1.10 or older is active and
		 * the setting "Callbacks without a token" accepts their URLs.
		 *
		 * @param bool        $require Require the token.
		 * @param string|null $version The active KCO version (null: none).
		 */
		return (bool) apply_filters( 'kco_validation_require_token', ! ( $legacy && 'kco_1_10' === $settings->untokened_urls ), $version );
	}

	/**
	 * The token for a session key.
	 *
	 * @param string $session_id WooCommerce session key.
	 */
	public static function create( string $session_id ): string {
		return hash_hmac( 'sha256', 'kco-validation|' . $session_id, wp_salt( 'auth' ) );
	}

	/**
	 * Constant-time check of a token.
	 *
	 * @param string $session_id WooCommerce session key.
	 * @param mixed  $token      The token as received.
	 */
	public static function verify( string $session_id, $token ): bool {
		if ( ! is_string( $token ) || 64 !== strlen( $token ) ) {
			return false;
		}
		return hash_equals( self::create( $session_id ), $token );
	}
}
