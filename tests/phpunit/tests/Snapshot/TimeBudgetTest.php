<?php
/**
 * The time guard (issue 6, point 3; issue 13, point 2): a slow database ends in the internal-fault policy's answer
 * well before Klarna gives up, with a real MariaDB lock held by another connection; the deadline is Klarna's (10 s
 * with require_validate_callback_success, else 3 s, less a margin, counted from the request's arrival), each query
 * is limited to the time left, at most the per-query limit, and a callback that can still be decided in time is.
 *
 * @package KcoValidation\Plugin\Tests
 */

namespace KcoValidation\Plugin\Tests;

use KcoValidation\Plugin\Snapshot\TimeBudget;
use KcoValidation\Plugin\Snapshot\TimeBudgetExceeded;

class TimeBudgetTest extends TestCase {

	/** A second connection to the test database (another client holding a lock). */
	private static function other_connection(): \mysqli {
		$db = mysqli_init();
		$db->real_connect( 'localhost', (string) getenv( 'KCO_DB_USER' ), (string) getenv( 'KCO_DB_PASSWORD' ), (string) getenv( 'KCO_DB_NAME' ), null, (string) getenv( 'KCO_DB_SOCKET' ) );
		return $db;
	}

	/**
	 * Posts a callback while another client holds a write lock on wp_postmeta (a backup, an import): the product
	 * query waits for it. Returns the answer and the milliseconds it took.
	 *
	 * @return array{0: CapturingResponse, 1: float}
	 */
	private function post_while_postmeta_is_locked( string $json ): array {
		global $wpdb;
		$other = self::other_connection();
		$this->assertTrue( $other->query( "LOCK TABLES {$wpdb->postmeta} WRITE" ) );
		try {
			$t0 = microtime( true );
			$r  = $this->expect_database_errors( '/^Query execution was interrupted \(max_statement_time exceeded\)$/', fn () => $this->post_callback( $json, array( 'kco_session_id' => self::GUEST ) ) );
			return array( $r, ( microtime( true ) - $t0 ) * 1000 );
		} finally {
			$other->query( 'UNLOCK TABLES' );
			$other->close();
		}
	}

	private function shop_for_fixture_01(): string {
		$cup   = Shop::product( array( 'sku' => 'KOPP-STG-01', 'manage_stock' => true, 'stock' => 10 ) );
		$linen = Shop::product( array( 'sku' => 'LINNE-150x250' ) );
		$json  = self::fixture( '01-se-sek-basic.json' );
		Shop::session( self::GUEST, self::cart_for( $json, array( 'KOPP-STG-01' => $cup, 'LINNE-150x250' => $linen ) ) );
		return $json;
	}

	public function test_the_server_kind_is_read_from_the_server_version(): void {
		$this->assertSame( 'mariadb', TimeBudget::server_kind( $GLOBALS['wpdb'] ), 'the test database is MariaDB' );
		$fake = static fn ( string $info ) => new class( $info ) {
			public function __construct( private string $info ) {}
			public function db_server_info(): string {
				return $this->info;
			}
		};
		$this->assertSame( 'mariadb', TimeBudget::server_kind( $fake( '5.5.5-10.11.19-MariaDB-0+deb12u1' ) ) );
		$this->assertSame( '', TimeBudget::server_kind( $fake( '5.5.5-10.0.38-MariaDB' ) ), 'SET STATEMENT came in 10.1.2' );
		$this->assertSame( 'mysql', TimeBudget::server_kind( $fake( '8.0.36' ) ) );
		$this->assertSame( '', TimeBudget::server_kind( $fake( '5.6.51' ) ), 'MAX_EXECUTION_TIME came in 5.7.8' );
		$this->assertSame( '', TimeBudget::server_kind( null ) );
	}

	public function test_selects_get_the_time_left_and_writes_are_untouched(): void {
		$budget = new TimeBudget( 2000, microtime( true ), 'mariadb' );
		$this->assertMatchesRegularExpression( '/^SET STATEMENT max_statement_time=(1\.9\d\d|2\.000) FOR SELECT 1$/', $budget->limit( '  SELECT 1' ) );
		// Less than one query's limit before the deadline: the time left.
		$near = new TimeBudget( 2000, microtime( true ) - 8.5, 'mariadb', null, 9000 );
		$this->assertMatchesRegularExpression( '/^SET STATEMENT max_statement_time=0\.(4\d\d|500) FOR SELECT 1$/', $near->limit( 'SELECT 1' ) );
		$this->assertSame( 'INSERT INTO t VALUES (1)', $budget->limit( 'INSERT INTO t VALUES (1)' ) );
		$mysql = new TimeBudget( 2000, microtime( true ), 'mysql' );
		$this->assertMatchesRegularExpression( '~^SELECT /\*\+ MAX_EXECUTION_TIME\((19\d\d|2000)\) \*/ a FROM t$~', $mysql->limit( 'select a FROM t' ) );
		$other = new TimeBudget( 2000, microtime( true ), '' );
		$this->assertSame( 'SELECT 1', $other->limit( 'SELECT 1' ) );
	}

	public function test_a_select_after_the_deadline_is_not_run(): void {
		$late = new TimeBudget( 500, microtime( true ) - 1, 'mariadb', null, 900 );
		$this->assertTrue( $late->expired() );
		$this->expectException( TimeBudgetExceeded::class );
		$this->expectExceptionMessage( "deadline of 900 ms after the request's arrival passed before a query could run" );
		$late->limit( 'SELECT 1' );
	}

	/**
	 * Issue 13: a request that waited (php-fpm's queue, a slow WordPress start) is decided while Klarna still waits.
	 * The guard used to count 2 000 ms from arrival and deny it; the deadline is now Klarna's, and each query gets
	 * its own limit.
	 */
	public function test_a_request_that_waited_is_still_decided_before_klarnas_deadline(): void {
		$waited = new TimeBudget( 2000, microtime( true ) - 2.5, 'mariadb', null, TimeBudget::KLARNA_WAITS_MS - TimeBudget::DEFAULT_MARGIN_MS );
		$this->assertFalse( $waited->expired() );
		$this->assertMatchesRegularExpression( '/^SET STATEMENT max_statement_time=(1\.9\d\d|2\.000) FOR SELECT 1$/', $waited->limit( 'SELECT 1' ), 'a full query limit: 6.5 s are left' );
		$this->assertSame( 9000, \KcoValidation\Plugin\Settings::load()->deadline_ms( true ), '10 s with require_validate_callback_success, less 1 s' );
		$this->assertSame( 2000, \KcoValidation\Plugin\Settings::load()->deadline_ms( false ), 'else 3 s, less 1 s' );
		add_filter( 'kco_validation_deadline_margin_ms', static fn ( $margin, $limit ) => $limit + 5, 10, 2 );
		$this->assertSame( 0, \KcoValidation\Plugin\Settings::load()->deadline_ms( true ), 'the margin is bounded by the limit' );
	}

	public function test_a_statement_cut_by_its_limit_is_told_apart_from_other_database_errors(): void {
		$budget = new TimeBudget( 2000, microtime( true ), 'mariadb' );
		$this->assertTrue( $budget->explains( new \RuntimeException( 'database error reading products: Query execution was interrupted (max_statement_time exceeded)' ) ) );
		$this->assertTrue( $budget->explains( new \RuntimeException( 'Query execution was interrupted, maximum statement execution time exceeded' ) ) );
		$this->assertFalse( $budget->explains( new \RuntimeException( "Table 'wp_wc_product_meta_lookup' doesn't exist" ) ) );
		$late = new TimeBudget( 2000, microtime( true ) - 0.47, 'mariadb', null, 500 );
		$this->assertTrue( $late->explains( new \RuntimeException( 'Lost connection to server during query' ) ), 'within 50 ms of the deadline' );
	}

	public function test_the_budget_is_bounded(): void {
		$this->assertSame( TimeBudget::MIN_MS, ( new TimeBudget( 1, microtime( true ), '' ) )->query_ms() );
		$this->assertSame( TimeBudget::MAX_MS, ( new TimeBudget( 60000, microtime( true ), '' ) )->query_ms() );
		update_option( 'kco_validation_time_budget_ms', '50' );
		$this->assertSame( 200, \KcoValidation\Plugin\Settings::load()->query_limit_ms() );
		update_option( 'kco_validation_time_budget_ms', 'soon' );
		$this->assertSame( 2000, \KcoValidation\Plugin\Settings::load()->query_limit_ms() );
		add_filter( 'kco_validation_time_budget_ms', static fn () => 1500 );
		$this->assertSame( 1500, \KcoValidation\Plugin\Settings::load()->query_limit_ms() );
	}

	public function test_a_stalled_database_answers_by_the_fault_policy_within_the_budget(): void {
		$json = $this->shop_for_fixture_01();
		update_option( 'kco_validation_time_budget_ms', '600' );
		list( $r, $ms ) = $this->post_while_postmeta_is_locked( $json );
		$this->assertSame( 303, $r->status );
		$this->assertSame( 'https://shop.example/checkout/?unable_to_process&kco_validation=internal_error', $r->header_value( 'Location' ) );
		$this->assertGreaterThan( 550, $ms, 'it waited for the lock up to the budget' );
		$this->assertLessThan( 1500, $ms, 'and no longer: Klarna expects an answer within 3 s' );
		$lines = self::decision_lines();
		$this->assertCount( 1, $lines );
		$this->assertSame( 'critical', $lines[0]['level'] );
		$this->assertStringContainsString( 'outcome=fault-denied', $lines[0]['message'] );
		$this->assertStringContainsString( 'TimeBudgetExceeded: query time limit of 600 ms exceeded while building the snapshot', $lines[0]['message'] );
		$this->assertStringContainsString( 'max_statement_time exceeded', $lines[0]['message'] );
		$this->assertArrayNotHasKey( PHP_INT_MAX, $GLOBALS['wp_filter']['query']->callbacks ?? array(), 'the query limit is gone after the callback (wpdb\'s own remove_placeholder_escape stays)' );
	}

	public function test_the_approve_policy_applies_to_a_stalled_database_too(): void {
		$json = $this->shop_for_fixture_01();
		update_option( 'kco_validation_time_budget_ms', '300' );
		update_option( 'kco_validation_fault_policy', 'approve' );
		list( $r ) = $this->post_while_postmeta_is_locked( $json );
		$this->assertSame( 200, $r->status );
		$this->assertStringContainsString( 'outcome=fault-approved', self::decision_lines()[0]['message'] );
	}

	public function test_a_slow_snapshot_filter_is_caught_after_the_fact(): void {
		$json = $this->shop_for_fixture_01();
		// Klarna's deadline brought down to 200 ms after arrival (a margin of all but 200 ms of its limit).
		add_filter( 'kco_validation_deadline_margin_ms', static fn ( $margin, $limit ) => $limit - 200, 10, 2 );
		add_filter(
			'kco_validation_snapshot',
			static function ( array $s ) {
				usleep( 250000 ); // A listener calling a remote API.
				return $s;
			}
		);
		$r = $this->post_callback( $json, array( 'kco_session_id' => self::GUEST ) );
		$this->assertSame( 303, $r->status );
		$this->assertStringContainsString( "deadline of 200 ms after the request's arrival passed while building the snapshot", self::decision_lines()[0]['message'] );
	}

	public function test_a_normal_callback_is_approved_and_runs_its_selects_under_the_limit(): void {
		$json = $this->shop_for_fixture_01();
		self::reset_queries();
		$r = $this->post_callback( $json, array( 'kco_session_id' => self::GUEST ) );
		$this->assertSame( 200, $r->status, $r->body );
		$selects = array_values( array_filter( self::queries(), static fn ( string $q ) => 1 === preg_match( '/^\s*(SET STATEMENT [^ ]+ FOR )?SELECT\b/i', $q ) ) );
		$this->assertNotEmpty( $selects );
		foreach ( $selects as $q ) {
			$this->assertStringStartsWith( 'SET STATEMENT max_statement_time=', $q );
		}
	}

	public function test_a_statement_with_non_ascii_text_is_limited_through_the_session_and_keeps_wpdbs_check(): void {
		global $wpdb;
		$mug  = Shop::product( array( 'sku' => 'MUGG-☕-Ö', 'manage_stock' => true, 'stock' => 3 ) );
		$json = self::klarna_order( array( array( 'MUGG-☕-Ö', 1, 10000 ) ) );
		Shop::session( self::GUEST, self::cart_for( $json, array( 'MUGG-☕-Ö' => $mug ) ) );
		self::reset_queries();
		$r = $this->post_callback( $json, array( 'kco_session_id' => self::GUEST ) );
		$this->assertSame( 200, $r->status, $r->body . ' ' . implode( ' | ', array_column( self::decision_lines(), 'message' ) ) );
		$this->assertContains( 'SET SESSION max_statement_time=DEFAULT', self::queries(), 'the session limit is put back' );
		$this->assertSame( '0.000000', (string) $wpdb->get_var( 'SELECT @@SESSION.max_statement_time' ) );

		// The same statement under a lock is still cut at the budget.
		update_option( 'kco_validation_time_budget_ms', '400' );
		list( $r, $ms ) = $this->post_while_postmeta_is_locked( $json );
		$this->assertSame( 303, $r->status );
		$this->assertLessThan( 1300, $ms );
		$this->assertStringContainsString( 'query time limit of 400 ms exceeded', self::decision_lines()[1]['message'] );
		$this->assertSame( '0.000000', (string) $wpdb->get_var( 'SELECT @@SESSION.max_statement_time' ) );
	}
}
