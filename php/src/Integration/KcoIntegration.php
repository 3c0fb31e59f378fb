<?php
/**
 * Puts our validation URL (with its token) into the Klarna order that KCO / Kustom Checkout creates.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin\Integration;

use KcoValidation\Plugin\Multilingual\LanguageRecorder;
use KcoValidation\Plugin\Request\Response;
use KcoValidation\Plugin\Snapshot\SessionStore;

defined( 'ABSPATH' ) || exit;

/**
 * KCO 1.0–1.10 build the URL themselves (no token; our handler runs first and ends the request); KCO 1.11+ pass it
 * through `kco_wc_validation_url` (we add the token); Kustom Checkout 2.x (classic checkout) send none, so we add
 * `merchant_urls.validation` and `options.require_validate_callback_success` through `kco_wc_api_request_args`.
 */
class KcoIntegration {

	/**
	 * Hooks.
	 */
	public function register(): void {
		add_filter( 'kco_wc_validation_url', array( $this, 'filter_validation_url' ) );
		add_filter( 'kco_wc_api_request_args', array( $this, 'filter_request_args' ), 20 );
	}

	/**
	 * The KCO version, or null when KCO is not active.
	 */
	public static function kco_version(): ?string {
		$version = defined( 'KCO_WC_VERSION' ) && is_string( constant( 'KCO_WC_VERSION' ) ) ? constant( 'KCO_WC_VERSION' ) : null;
		/**
		 * The active Klarna/Kustom Checkout version (null: not active).
		 *
		 * @param string|null $version KCO_WC_VERSION.
		 */
		$version = apply_filters( 'kco_validation_kco_version', $version );
		return is_string( $version ) && '' !== $version ? $version : null;
	}

	/**
	 * KCO 1.11+: adds the token for the URL's kco_session_id.
	 *
	 * @param mixed $url Validation URL built by KCO.
	 * @return mixed
	 */
	public function filter_validation_url( $url ) {
		if ( ! is_string( $url ) ) {
			return $url;
		}
		// This runs in the shopper's own request: remember their language for the callback.
		LanguageRecorder::record();
		$url = self::language_neutral( $url );
		if ( str_contains( $url, UrlToken::QUERY_ARG . '=' ) ) {
			return $url;
		}
		$query = (string) wp_parse_url( $url, PHP_URL_QUERY );
		parse_str( $query, $args );
		$session_id = isset( $args['kco_session_id'] ) && is_string( $args['kco_session_id'] ) ? $args['kco_session_id'] : '';
		if ( ! SessionStore::is_valid_key( $session_id ) ) {
			return $url;
		}
		return Response::append_query( $url, UrlToken::QUERY_ARG . '=' . UrlToken::create( $session_id ) );
	}

	/**
	 * The validation URL rebuilt on the unfiltered home URL (the `home` option): whatever WPML or Polylang put into
	 * it through home_url() — a /de/ directory, a de. subdomain, a ?lang=de argument — is dropped, and Klarna's
	 * arguments are kept as they are. A URL that is not a WC-API validation URL is returned unchanged.
	 *
	 * @param string $url Validation URL built by KCO.
	 */
	public static function language_neutral( string $url ): string {
		$home = rtrim( (string) get_option( 'home' ), '/' );
		if ( '' === $home ) {
			return $url;
		}
		$fragment = '';
		$hash     = strpos( $url, '#' );
		if ( false !== $hash ) {
			$fragment = substr( $url, $hash );
			$url      = substr( $url, 0, $hash );
		}
		$at = stripos( $url, '/wc-api/' );
		if ( false !== $at ) {
			// Pretty permalinks: everything before /wc-api/ is the (filtered) home URL, a ?lang=de included.
			$rest  = substr( $url, $at );
			$split = strpos( $rest, '?' );
			$route = false === $split ? $rest : substr( $rest, 0, $split );
			$query = false === $split ? '' : substr( $rest, $split + 1 );
		} elseif ( 1 === preg_match( '/[?&]wc-api=/i', $url ) ) {
			// Plain permalinks: /?wc-api=KCO_WC_Validation&….
			$route = '/';
			$query = substr( $url, (int) strpos( $url, '?' ) + 1 );
		} else {
			return $url . $fragment;
		}
		// A language argument may sit anywhere, even joined with a second "?" (…/?lang=de?kco-action=…).
		$args = array_values(
			array_filter(
				preg_split( '/[&?]/', $query ) ?: array(),
				static fn ( string $a ): bool => '' !== $a && 1 !== preg_match( '/^lang(=|$)/i', $a )
			)
		);
		return $home . $route . ( array() === $args ? '' : '?' . implode( '&', $args ) ) . $fragment;
	}

	/**
	 * Kustom Checkout 2.x: adds our validation URL and makes Klarna require its success. Leaves the request alone
	 * for KCO 1.x (it sends its own URL), when a validation URL is already set (block checkout), or when the shopper
	 * has no session key yet.
	 *
	 * @param mixed $args Klarna order request body.
	 * @return mixed
	 */
	public function filter_request_args( $args ) {
		// KCO builds the Klarna order in the shopper's own request (any version): remember their language.
		LanguageRecorder::record();
		$version = self::kco_version();
		if ( ! is_array( $args ) || null === $version || version_compare( $version, '2.0.0', '<' ) ) {
			return $args;
		}
		if ( ! empty( $args['merchant_urls']['validation'] ) ) {
			return $args;
		}
		$session_id = self::current_session_id();
		if ( ! SessionStore::is_valid_key( $session_id ) ) {
			return $args;
		}
		$args['merchant_urls']                                = isset( $args['merchant_urls'] ) && is_array( $args['merchant_urls'] ) ? $args['merchant_urls'] : array();
		$args['merchant_urls']['validation']                  = self::validation_url( $session_id );
		$args['options']                                      = isset( $args['options'] ) && is_array( $args['options'] ) ? $args['options'] : array();
		$args['options']['require_validate_callback_success'] = true;
		return $args;
	}

	/**
	 * Our validation URL for a session, from the unfiltered home URL (no language prefix or other `home_url`
	 * filter), with Klarna's `{checkout.order.id}` placeholder left as is.
	 *
	 * @param string $session_id WooCommerce session key.
	 */
	public static function validation_url( string $session_id ): string {
		$home  = rtrim( (string) get_option( 'home' ), '/' );
		$query = 'kco-action=validation&kco_wc_order_id={checkout.order.id}&kco_session_id=' . rawurlencode( $session_id )
			. '&' . UrlToken::QUERY_ARG . '=' . UrlToken::create( $session_id );
		if ( '' === (string) get_option( 'permalink_structure' ) ) {
			return $home . '/?wc-api=KCO_WC_Validation&' . $query;
		}
		return $home . '/wc-api/KCO_WC_Validation/?' . $query;
	}

	/**
	 * The current shopper's WooCommerce session key ('' when none).
	 */
	public static function current_session_id(): string {
		if ( ! function_exists( 'WC' ) ) {
			return '';
		}
		$wc = WC();
		if ( ! is_object( $wc ) || ! isset( $wc->session ) || ! is_object( $wc->session ) || ! method_exists( $wc->session, 'get_customer_id' ) ) {
			return '';
		}
		return (string) $wc->session->get_customer_id();
	}
}
