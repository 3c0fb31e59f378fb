<?php
/**
 * A fake WP-CLI (not packaged for Debian): the static API the tools' command calls, recording output and turning
 * halt()/error() into an exception that carries the exit code, as WP-CLI's exit() would end the command.
 * Mirrors wp-cli/wp-cli php/class-wp-cli.php (line, log, success, warning, error → exit 1, halt → exit $code,
 * add_command) and php/utils.php format_items().
 *
 * @package KcoValidation\Plugin\Tests\Tools
 */

namespace {
	/** Thrown where WP-CLI would exit. */
	class KcoTestCliExit extends \RuntimeException {
	}

	if ( ! class_exists( 'WP_CLI' ) ) {
		class WP_CLI { // phpcs:ignore Generic.Files.OneObjectStructurePerFile.MultipleFound
			/** @var list<string> */
			public static $out = array();
			/** @var list<string> */
			public static $err = array();
			/** @var array<string, mixed> */
			public static $commands = array();

			public static function reset(): void {
				self::$out      = array();
				self::$err      = array();
				self::$commands = array();
			}
			public static function add_command( $name, $callable, $args = array() ) {
				self::$commands[ $name ] = $callable;
				return true;
			}
			public static function line( $message = '' ) {
				self::$out[] = (string) $message;
			}
			public static function log( $message ) {
				self::$out[] = (string) $message;
			}
			public static function success( $message ) {
				self::$out[] = 'Success: ' . $message;
			}
			public static function warning( $message ) {
				self::$err[] = 'Warning: ' . $message;
			}
			public static function error( $message, $exit = true ) {
				self::$err[] = 'Error: ' . $message;
				if ( $exit ) {
					throw new KcoTestCliExit( 'exit', 1 );
				}
			}
			public static function halt( $return_code ) {
				throw new KcoTestCliExit( 'exit', (int) $return_code );
			}
		}
	}
}

namespace WP_CLI\Utils {
	if ( ! function_exists( 'WP_CLI\\Utils\\format_items' ) ) {
		/** Mirrors php/utils.php format_items(): here only the table form, one line per item, tab-separated. */
		function format_items( $format, $items, $fields ) {
			\WP_CLI::line( implode( "\t", $fields ) );
			foreach ( $items as $item ) {
				\WP_CLI::line( implode( "\t", array_map( static fn ( $f ) => (string) $item[ $f ], $fields ) ) );
			}
		}
	}
}
