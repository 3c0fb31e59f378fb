<?php
/**
 * The signature carried by the doctor's probe request.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin\Tools;

defined( 'ABSPATH' ) || exit;

/**
 * HMAC-SHA256 over "kco-validation-probe|<timestamp>|<nonce>", keyed with wp_salt( 'auth' ). The timestamp must be
 * within WINDOW seconds of the receiving server's clock, so a captured probe stops working after a few minutes
 * (and a probe only ever earns a fixed 200 answer: it reads and writes nothing).
 */
class ProbeSignature {

	/** Header with the signature (hex). */
	const HEADER_SIGNATURE = 'X-KCO-Validation-Probe';

	/** Header with the Unix timestamp the signature covers. */
	const HEADER_TIMESTAMP = 'X-KCO-Validation-Probe-Time';

	/** Header with the random nonce the signature covers. */
	const HEADER_NONCE = 'X-KCO-Validation-Probe-Nonce';

	/** Accepted clock difference, in seconds. */
	const WINDOW = 120;

	/**
	 * The signature of a timestamp and nonce.
	 *
	 * @param int    $timestamp Unix time.
	 * @param string $nonce     Random hex.
	 */
	public static function sign( int $timestamp, string $nonce ): string {
		return hash_hmac( 'sha256', 'kco-validation-probe|' . $timestamp . '|' . $nonce, wp_salt( 'auth' ) );
	}

	/**
	 * The three headers of a fresh probe.
	 *
	 * @param int|null $now Unix time (tests).
	 * @return array<string, string>
	 */
	public static function headers( ?int $now = null ): array {
		$now   = $now ?? time();
		$nonce = bin2hex( random_bytes( 12 ) );
		return array(
			self::HEADER_SIGNATURE => self::sign( $now, $nonce ),
			self::HEADER_TIMESTAMP => (string) $now,
			self::HEADER_NONCE     => $nonce,
		);
	}

	/**
	 * Whether a request carries the probe headers at all (signed or not).
	 *
	 * @param array<string, mixed> $server $_SERVER.
	 */
	public static function present( array $server ): bool {
		return isset( $server[ self::server_key( self::HEADER_SIGNATURE ) ] );
	}

	/**
	 * Constant-time check of the probe headers found in $_SERVER.
	 *
	 * @param array<string, mixed> $server $_SERVER.
	 * @param int|null             $now    Unix time (tests).
	 */
	public static function verify( array $server, ?int $now = null ): bool {
		$signature = $server[ self::server_key( self::HEADER_SIGNATURE ) ] ?? null;
		$timestamp = $server[ self::server_key( self::HEADER_TIMESTAMP ) ] ?? null;
		$nonce     = $server[ self::server_key( self::HEADER_NONCE ) ] ?? null;
		if ( ! is_string( $signature ) || ! is_string( $timestamp ) || ! is_string( $nonce ) ) {
			return false;
		}
		if ( 64 !== strlen( $signature ) || 1 !== preg_match( '/^[0-9]{1,12}$/D', $timestamp ) || 1 !== preg_match( '/^[0-9a-f]{16,64}$/D', $nonce ) ) {
			return false;
		}
		if ( abs( ( $now ?? time() ) - (int) $timestamp ) > self::WINDOW ) {
			return false;
		}
		return hash_equals( self::sign( (int) $timestamp, $nonce ), strtolower( $signature ) );
	}

	/**
	 * The $_SERVER key PHP gives a request header.
	 *
	 * @param string $header Header name.
	 */
	public static function server_key( string $header ): string {
		return 'HTTP_' . strtoupper( str_replace( '-', '_', $header ) );
	}
}
