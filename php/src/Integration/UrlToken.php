<?php
/**
 * The token carried by validation URLs the plugin builds or filters.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin\Integration;

defined( 'ABSPATH' ) || exit;

/**
 * HMAC-SHA256 of the WooCommerce session key, keyed with wp_salt( 'auth' ).
 */
class UrlToken {

	const QUERY_ARG = 'kco_validation_token';

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
