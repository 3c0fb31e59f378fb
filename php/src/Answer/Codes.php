<?php
/**
 * The failure codes, as the extension's one table has them.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin\Answer;

defined( 'ABSPATH' ) || exit;

/**
 * Reads `KcoValidation\codes()` (src/verdict/code.rs): each code's KCO 1.x flag, the page its denial goes to and
 * its sub-reasons. The plugin keeps no list of its own: the notices' flag coverage, the legacy
 * `kco_validate_checkout` stock flag and the shopper texts' audit all come from here.
 */
final class Codes {

	/** The flag of stock failures (the only denial that goes to the cart). */
	const STOCK_FLAG = 'stock_validate_failed';

	/**
	 * The table, cached for the request.
	 *
	 * @var array<string, array{flag: string, page: string, reasons: list<string>}>|null
	 */
	private static ?array $table = null;

	/**
	 * Every code with its flag, page and reasons, in documentation order.
	 *
	 * @return array<string, array{flag: string, page: string, reasons: list<string>}>
	 */
	public static function table(): array {
		if ( null === self::$table ) {
			self::$table = function_exists( 'KcoValidation\\codes' ) ? \KcoValidation\codes() : array();
		}
		return self::$table;
	}

	/**
	 * The codes whose flag is $flag.
	 *
	 * @param string $flag KCO 1.x flag.
	 * @return list<string>
	 */
	public static function with_flag( string $flag ): array {
		$codes = array();
		foreach ( self::table() as $code => $row ) {
			if ( $row['flag'] === $flag ) {
				$codes[] = $code;
			}
		}
		return $codes;
	}

	/**
	 * Whether any of these codes is a stock failure.
	 *
	 * @param list<string> $codes Codes.
	 */
	public static function any_stock( array $codes ): bool {
		return array() !== array_intersect( $codes, self::with_flag( self::STOCK_FLAG ) );
	}

	/**
	 * Every (code, reason) pair the extension can produce: `code.reason`, or `code` for codes without reasons.
	 *
	 * @return list<string>
	 */
	public static function pairs(): array {
		$pairs = array();
		foreach ( self::table() as $code => $row ) {
			if ( array() === $row['reasons'] ) {
				$pairs[] = $code;
			}
			foreach ( $row['reasons'] as $reason ) {
				$pairs[] = $code . '.' . $reason;
			}
		}
		return $pairs;
	}
}
