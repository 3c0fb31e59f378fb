<?php
/**
 * Base test case of the tools suite: the plugin suite's clean slate plus the decision log table and the fakes.
 *
 * @package KcoValidation\Plugin\Tests\Tools
 */

namespace KcoValidation\Plugin\Tests\Tools;

use KcoValidation\Plugin\Tests\TestCase;
use KcoValidation\Plugin\Tools\DecisionLog;
use KcoValidation\Plugin\Tools\ToolsBootstrap;

abstract class ToolsTestCase extends TestCase {

	/** Where artifacts (screenshots, doctor output) are kept. */
	const ARTIFACTS = KCO_TEST_ROOT . '/tests/artifacts';

	protected function setUp(): void {
		parent::setUp();
		global $wpdb;
		$GLOBALS['kco_test_submenus'] = array();
		$GLOBALS['kco_test_cron']     = array();
		$GLOBALS['kco_test_styles']   = array();
		$GLOBALS['kco_test_user_id']  = 1;
		$_REQUEST                     = array();
		\WP_CLI::reset();
		ToolsBootstrap::reset();
		$wpdb->query( "DROP TABLE IF EXISTS {$wpdb->prefix}kco_validation_log" );
		$wpdb->query( "DROP TABLE IF EXISTS {$wpdb->prefix}kco_validation_compare" );
		\KcoValidation\Plugin\Tools\Compare\CompareMode::reset();
		self::reset_queries();
	}

	/** Creates the log table as the plugin would. */
	protected static function install_log(): DecisionLog {
		$log = new DecisionLog();
		$log->install();
		return $log;
	}

	/** A fixture file of this suite. */
	protected static function tools_fixture( string $path ): string {
		$file = dirname( __DIR__ ) . '/fixtures/' . $path;
		$text = file_get_contents( $file );
		if ( false === $text ) {
			throw new \RuntimeException( "fixture {$path} missing" );
		}
		return $text;
	}

	/** Writes an artifact file and returns its path. */
	protected static function artifact( string $name, string $contents ): string {
		if ( ! is_dir( self::ARTIFACTS ) ) {
			mkdir( self::ARTIFACTS, 0777, true );
		}
		file_put_contents( self::ARTIFACTS . '/' . $name, $contents );
		return self::ARTIFACTS . '/' . $name;
	}

	/**
	 * Runs a CLI subcommand; returns [exit code, stdout lines, stderr lines].
	 *
	 * @param callable $call Calls the command method.
	 * @return array{0: int, 1: list<string>, 2: list<string>}
	 */
	protected static function cli( callable $call ): array {
		\WP_CLI::reset();
		$code = 0;
		try {
			$call();
		} catch ( \KcoTestCliExit $e ) {
			$code = $e->getCode();
		}
		return array( $code, \WP_CLI::$out, \WP_CLI::$err );
	}
}
