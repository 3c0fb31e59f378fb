<?php
/**
 * Log lines through WooCommerce's logger, source `kco-validation`.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin;

defined( 'ABSPATH' ) || exit;

/**
 * Thin wrapper over wc_get_logger() with the plugin's own threshold and personal-data masking.
 */
class Logger {

	const SOURCE = 'kco-validation';

	/** Severities as in WC_Log_Levels::$level_to_severity. */
	const SEVERITY = array(
		'emergency' => 800,
		'alert'     => 700,
		'critical'  => 600,
		'error'     => 500,
		'warning'   => 400,
		'notice'    => 300,
		'info'      => 200,
		'debug'     => 100,
	);

	/** The threshold: a level name or 'none'. */
	private string $threshold;

	/**
	 * Constructor.
	 *
	 * @param string $threshold Lowest level written, or 'none'.
	 */
	public function __construct( string $threshold = 'info' ) {
		$this->threshold = ( 'none' === $threshold || isset( self::SEVERITY[ $threshold ] ) ) ? $threshold : 'info';
	}

	/**
	 * Whether debug logging is on (emails are then written unmasked).
	 */
	public function is_debug(): bool {
		return 'debug' === $this->threshold;
	}

	/**
	 * Writes one line when the level reaches the threshold.
	 *
	 * @param string               $level   A WC_Log_Levels level.
	 * @param string               $message The line.
	 * @param array<string, mixed> $context Extra context.
	 */
	public function log( string $level, string $message, array $context = array() ): void {
		if ( 'none' === $this->threshold || ! isset( self::SEVERITY[ $level ] ) ) {
			return;
		}
		if ( self::SEVERITY[ $level ] < self::SEVERITY[ $this->threshold ] ) {
			return;
		}
		if ( ! function_exists( 'wc_get_logger' ) ) {
			return;
		}
		try {
			$logger = wc_get_logger();
			$logger->log( $level, $message, array_merge( $context, array( 'source' => self::SOURCE ) ) );
		} catch ( \Throwable $e ) { // phpcs:ignore Generic.CodeAnalysis.EmptyStatement.DetectedCatch -- logging must never break the answer.
		}
	}

	/**
	 * The one line written per decision.
	 *
	 * @param string       $order_id Klarna order id ('' when unknown).
	 * @param string       $outcome  approved | denied | rejected | fault.
	 * @param list<string> $codes    Failure codes.
	 * @param float        $ms       Time taken in milliseconds.
	 * @param int          $status   HTTP status sent.
	 * @param string|null  $email    Billing email (masked unless debug).
	 * @param string       $level    Level of the line.
	 * @param string       $detail   Extra text (no personal data).
	 * @param list<string> $refs     References (SKUs, coupon codes) of the failures.
	 * @param float|null   $wait_ms  Since the request's arrival (REQUEST_TIME_FLOAT), what Klarna has waited so far.
	 */
	public function decision( string $order_id, string $outcome, array $codes, float $ms, int $status, ?string $email = null, string $level = 'info', string $detail = '', array $refs = array(), ?float $wait_ms = null ): void {
		$line = sprintf(
			'decision order_id=%s outcome=%s codes=%s status=%d time_ms=%.2f',
			'' === $order_id ? '-' : self::clean( $order_id ),
			$outcome,
			array() === $codes ? '-' : self::clean( implode( ',', $codes ) ),
			$status,
			$ms
		);
		if ( null !== $wait_ms ) {
			// time_ms is the plugin's own part; wait_ms counts from the request's arrival at PHP, as Klarna waits.
			$line .= sprintf( ' wait_ms=%.2f', $wait_ms );
		}
		if ( array() !== $refs ) {
			$line .= ' refs=' . self::clean( implode( ',', $refs ) );
		}
		if ( null !== $email && '' !== $email ) {
			$line .= ' email=' . self::clean( $this->is_debug() ? $email : self::mask_email( $email ) );
		}
		if ( '' !== $detail ) {
			// Exception messages may quote request values: mask anything that looks like an email address.
			$detail = $this->is_debug() ? $detail : (string) preg_replace_callback( '/[^\s"`\'<>@]+@[^\s"`\'<>@]+/', static fn ( array $m ): string => self::mask_email( $m[0] ), $detail );
			$line  .= ' detail="' . self::clean( $detail ) . '"';
		}
		$this->log( $level, $line );
	}

	/**
	 * Masks an email: first character of the local part, then ***, then the domain.
	 *
	 * @param string $email Email address.
	 */
	public static function mask_email( string $email ): string {
		$at = strrpos( $email, '@' );
		if ( false === $at || 0 === $at ) {
			return '***';
		}
		return substr( $email, 0, 1 ) . '***' . substr( $email, $at );
	}

	/**
	 * Keeps a value on one line and short.
	 *
	 * @param string $value Value.
	 */
	private static function clean( string $value ): string {
		$value = (string) preg_replace( '/[\x00-\x1F\x7F"]+/', ' ', $value );
		return strlen( $value ) > 300 ? substr( $value, 0, 300 ) . '…' : $value;
	}
}
