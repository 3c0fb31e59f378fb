<?php
/**
 * Money values as the snapshot wants them: decimal strings, never floats.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin\Snapshot;

defined( 'ABSPATH' ) || exit;

/**
 * WooCommerce keeps cart amounts as floats in the session; the extension refuses floats (docs/contract.md). Floats
 * are written with WooCommerce's rounding precision (WC_ROUNDING_PRECISION = 6 decimals) as plain decimal strings.
 */
final class Money {

	const PRECISION = 6;

	/**
	 * A money value as a plain decimal string.
	 *
	 * @param mixed $value int, float, numeric string, '' or null (both: 0).
	 * @throws \UnexpectedValueException When the value is not a number.
	 */
	public static function decimal( $value ): string {
		if ( null === $value || '' === $value ) {
			return '0';
		}
		if ( is_int( $value ) ) {
			return (string) $value;
		}
		if ( is_string( $value ) ) {
			$value = trim( $value );
			if ( 1 === preg_match( '/^-?[0-9]+(?:\.[0-9]+)?$/D', $value ) ) {
				return $value;
			}
			if ( ! is_numeric( $value ) ) {
				throw new \UnexpectedValueException( 'not a money value' );
			}
			$value = (float) $value;
		}
		if ( is_float( $value ) && is_finite( $value ) ) {
			$text = number_format( $value, self::PRECISION, '.', '' );
			$text = rtrim( rtrim( $text, '0' ), '.' );
			return ( '-0' === $text || '' === $text ) ? '0' : $text;
		}
		throw new \UnexpectedValueException( 'not a money value' );
	}

	/**
	 * A money value or null when the source has none ('' or null).
	 *
	 * @param mixed $value Value.
	 */
	public static function nullable( $value ): ?string {
		return ( null === $value || '' === $value ) ? null : self::decimal( $value );
	}

	/**
	 * A money value, or null when the source has none or is not a number (a stored price of another shape).
	 *
	 * @param mixed $value Value.
	 */
	public static function maybe( $value ): ?string {
		try {
			return self::nullable( is_string( $value ) ? trim( $value ) : $value );
		} catch ( \UnexpectedValueException $e ) {
			return null;
		}
	}

	/**
	 * Whether a money value is above zero (not a number: no).
	 *
	 * @param mixed $value Value.
	 */
	public static function is_positive( $value ): bool {
		$decimal = self::maybe( $value );
		return null !== $decimal && ! str_starts_with( $decimal, '-' ) && 1 === preg_match( '/[1-9]/', $decimal );
	}

	/**
	 * The exact difference of two money values.
	 *
	 * @param mixed $a Minuend.
	 * @param mixed $b Subtrahend.
	 */
	public static function subtract( $a, $b ): string {
		$b = self::decimal( $b );
		return self::add( $a, str_starts_with( $b, '-' ) ? substr( $b, 1 ) : '-' . $b );
	}

	/**
	 * The exact sum of two money values (in micro-units, so float noise does not add up).
	 *
	 * @param mixed $a First.
	 * @param mixed $b Second.
	 */
	public static function add( $a, $b ): string {
		$scale = 10 ** self::PRECISION;
		$sum   = self::to_micro( self::decimal( $a ) ) + self::to_micro( self::decimal( $b ) );
		$sign  = $sum < 0 ? '-' : '';
		$sum   = abs( $sum );
		$text  = $sign . intdiv( $sum, $scale ) . '.' . str_pad( (string) ( $sum % $scale ), self::PRECISION, '0', STR_PAD_LEFT );
		$text  = rtrim( rtrim( $text, '0' ), '.' );
		return '-0' === $text ? '0' : $text;
	}

	/**
	 * A decimal string in millionths (extra digits are rounded half away from zero).
	 *
	 * @param string $decimal Plain decimal string.
	 */
	private static function to_micro( string $decimal ): int {
		$negative = str_starts_with( $decimal, '-' );
		$decimal  = ltrim( $decimal, '-' );
		$parts    = explode( '.', $decimal, 2 );
		$fraction = $parts[1] ?? '';
		$micro    = (int) $parts[0] * ( 10 ** self::PRECISION ) + (int) str_pad( substr( $fraction, 0, self::PRECISION ), self::PRECISION, '0' );
		if ( strlen( $fraction ) > self::PRECISION && (int) $fraction[ self::PRECISION ] >= 5 ) {
			++$micro;
		}
		return $negative ? -$micro : $micro;
	}
}
