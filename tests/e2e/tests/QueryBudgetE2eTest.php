<?php
/**
 * Issue 14: every query a callback makes, counted over HTTP from the moment the plugin answers (wp_loaded) to the
 * end of the request — the decision log written after the answer included — for each outcome: at most five.
 *
 * The front controller mirrors what a real shop charges for options (a query for each one WordPress did not
 * autoload, found or not: tests/phpunit/doubles/wordpress.php), so an option read here that a real shop would pay
 * for is counted; and the shop has the decision log installed. The statements are listed on failure.
 *
 * @package KcoValidation\Plugin\Tests\E2E
 */

namespace KcoValidation\Plugin\Tests\E2E;

use KcoValidation\Plugin\Tests\Shop;
use KcoValidation\Plugin\Tools\DecisionLog;

class QueryBudgetE2eTest extends E2eTestCase {

	/** Our queries per callback, whatever the outcome. */
	const BUDGET = 5;

	protected function setUp(): void {
		parent::setUp();
		global $wpdb;
		// The shop owner's tools are on: the decision log is installed (its row is written after each answer).
		$log = new DecisionLog();
		$wpdb->query( "DROP TABLE IF EXISTS {$log->table()}" );
		$wpdb->query( $log->schema() );
		update_option( DecisionLog::SCHEMA_OPTION, DecisionLog::SCHEMA_VERSION );
		// One insert in a hundred also trims the log (two DELETEs after the answer; the daily cron's job when WP-cron
		// runs): not in these counts, which would otherwise fail one run in ten.
		update_option( 'kco_e2e_log_prune_one_in', '0' );
		// WooCommerce's own settings as a real shop stores them: not autoloaded (one query each if read one by one).
		foreach ( array( 'woocommerce_enable_guest_checkout' => 'yes', 'woocommerce_enable_signup_and_login_from_checkout' => 'no' ) as $name => $value ) {
			unset( $GLOBALS['kco_test_options'][ $name ] );
			self::$not_autoloaded[ $name ] = $value;
		}
	}

	/** @var array<string, string> Options written as not autoloaded rows. */
	private static array $not_autoloaded = array();

	protected static function sync_options(): void {
		global $wpdb;
		parent::sync_options();
		foreach ( self::$not_autoloaded as $name => $value ) {
			$wpdb->insert( $wpdb->options, array( 'option_name' => $name, 'option_value' => $value, 'autoload' => 'no' ) );
		}
	}

	/**
	 * Posts and returns the response and every statement of the callback (queries.log of the front controller,
	 * written when the request ends: after the answer was handed over).
	 *
	 * @return array{0: HttpResponse, 1: list<string>}
	 */
	private function counted( string $json, ?string $session = self::GUEST ): array {
		$id   = 'q' . bin2hex( random_bytes( 6 ) );
		$file = rtrim( (string) getenv( 'E2E_LOG_DIR' ), '/' ) . '/queries.log';
		$r    = $this->with_header( 'X-KCO-E2E-Request-Id', $id, fn () => $this->klarna_post( $json, $session ) );
		for ( $i = 0; $i < 100; $i++ ) {
			clearstatcache();
			foreach ( is_file( $file ) ? (array) file( $file, FILE_IGNORE_NEW_LINES ) : array() as $line ) {
				$cols = explode( "\t", (string) $line, 3 );
				if ( $cols[0] === $id ) {
					$sql = '' === ( $cols[2] ?? '' ) ? array() : explode( ' | ', $cols[2] );
					$this->assertCount( (int) $cols[1], $sql );
					return array( $r, $sql );
				}
			}
			usleep( 20000 );
		}
		$this->fail( 'the request never ended: no queries.log line' );
	}

	private function assert_within_budget( array $sql, string $what ): void {
		$list = implode( "\n", array_map( static fn ( $q, $i ) => ( $i + 1 ) . '. ' . substr( $q, 0, 160 ), $sql, array_keys( $sql ) ) );
		$this->assertLessThanOrEqual( self::BUDGET, count( $sql ), $what . ": {$list}" );
		foreach ( $sql as $q ) {
			$this->assertStringNotContainsString( 'SHOW FULL COLUMNS', $q, $what );
		}
	}

	private static function decision_rows(): int {
		global $wpdb;
		return (int) $wpdb->get_var( 'SELECT COUNT(*) FROM ' . ( new DecisionLog() )->table() );
	}

	public function test_an_approval_that_claims_its_stock_and_is_logged(): void {
		$mug  = Shop::product( array( 'sku' => 'MUG', 'manage_stock' => true, 'stock' => 5 ) );
		$json = self::klarna_order( array( array( 'MUG', 2, 10000 ) ) );
		Shop::session( self::GUEST, self::cart_for( $json, array( 'MUG' => $mug ) ) );
		list( $r, $sql ) = $this->counted( $json );
		$this->assert_approved( $r );
		$this->assert_within_budget( $sql, 'approved' );
		$this->assertSame( 1, self::decision_rows() );
		$this->assertCount( 1, array_filter( $sql, static fn ( $q ) => str_contains( $q, 'INSERT INTO wp_kco_validation_claims' ) ), 'the claim' );
		$this->assertCount( 1, array_filter( $sql, static fn ( $q ) => str_contains( $q, 'INSERT INTO wp_kco_validation_log' ) ), 'the decision log' );
	}

	public function test_a_logged_in_shopper_with_a_coupon(): void {
		$user = Shop::user( 'sofia.lindqvist@example.se' );
		$mug  = Shop::product( array( 'sku' => 'MUG', 'manage_stock' => true, 'stock' => 5 ) );
		Shop::coupon( 'welcome' );
		$json = self::klarna_order( array( array( 'MUG', 1, 10000 ) ) );
		Shop::session( (string) $user, self::cart_for( $json, array( 'MUG' => $mug ), array( 'applied_coupons' => array( 'welcome' ) ) ) );
		list( $r, $sql ) = $this->counted( $json, (string) $user );
		$this->assert_approved( $r );
		$this->assert_within_budget( $sql, 'approved, logged in, a coupon' );
	}

	public function test_a_denial(): void {
		$mug  = Shop::product( array( 'sku' => 'MUG', 'stock_status' => 'outofstock' ) );
		$json = self::klarna_order( array( array( 'MUG', 1, 10000 ) ) );
		Shop::session( self::GUEST, self::cart_for( $json, array( 'MUG' => $mug ) ) );
		list( $r, $sql ) = $this->counted( $json );
		$this->assert_denied( $r, array( 'out_of_stock' ), 'stock_validate_failed', 'cart' );
		$this->assert_within_budget( $sql, 'denied' );
		$this->assertSame( 1, self::decision_rows() );
	}

	public function test_a_fault(): void {
		try {
			list( $r, $sql ) = $this->without_lookup_table( fn ( string $json ) => $this->counted( $json ) );
		} finally {
			file_put_contents( (string) getenv( 'E2E_PHP_ERROR_LOG' ), '' ); // wpdb's own report of the failed query.
		}
		$this->assertSame( 303, $r->status );
		$this->assert_within_budget( $sql, 'faulted' );
		$this->assertSame( 1, self::decision_rows() );
	}

	public function test_a_refused_request_reads_nothing(): void {
		$json = self::klarna_order( array( array( 'MUG', 1, 10000 ) ) );
		list( $r, $sql ) = $this->counted( $json, null );
		$this->assertSame( 400, $r->status );
		$this->assertLessThanOrEqual( 1, count( $sql ), 'at most the decision log\'s row: ' . implode( "\n", $sql ) );
	}
}
