<?php
/**
 * The decision log on the real MariaDB: schema and upgrade through WordPress's dbDelta(), writing from the
 * endpoint's announcement, retention by days and rows, paging, filters and the chart's numbers.
 *
 * @package KcoValidation\Plugin\Tests\Tools
 */

namespace KcoValidation\Plugin\Tests\Tools;

use KcoValidation\Plugin\Plugin;
use KcoValidation\Plugin\Tests\Shop;
use KcoValidation\Plugin\Tools\DecisionLog;
use KcoValidation\Plugin\Tools\ToolsBootstrap;

class DecisionLogTest extends ToolsTestCase {

	const NOW = 1795478400; // 2026-11-24 00:00:00 UTC.

	private static function columns(): array {
		global $wpdb;
		return $wpdb->get_col( "SHOW COLUMNS FROM {$wpdb->prefix}kco_validation_log" );
	}

	private static function keys(): array {
		global $wpdb;
		return array_values( array_unique( array_column( $wpdb->get_results( "SHOW INDEX FROM {$wpdb->prefix}kco_validation_log", ARRAY_A ), 'Key_name' ) ) );
	}

	public function test_install_creates_the_table_and_stores_the_schema_version(): void {
		$log = new DecisionLog();
		$this->assertTrue( $log->maybe_install() );
		$this->assertSame( array( 'id', 'created_at', 'klarna_order_id', 'outcome', 'codes', 'duration_ms', 'wait_ms', 'status_sent', 'claimed' ), self::columns() );
		$this->assertEqualsCanonicalizing( array( 'PRIMARY', 'created_at', 'outcome_created', 'klarna_order_id' ), self::keys() );
		$this->assertSame( DecisionLog::SCHEMA_VERSION, get_option( DecisionLog::SCHEMA_OPTION ) );

		self::reset_queries();
		$this->assertFalse( $log->maybe_install(), 'same version: nothing to do' );
		$this->assertSame( array(), self::queries(), 'and no query (the version option is autoloaded)' );
	}

	public function test_upgrade_from_an_older_schema_adds_what_is_missing_and_keeps_rows(): void {
		global $wpdb;
		$table = $wpdb->prefix . 'kco_validation_log';
		$wpdb->query( "CREATE TABLE {$table} ( id bigint(20) unsigned NOT NULL AUTO_INCREMENT, created_at datetime NOT NULL, klarna_order_id varchar(64) NOT NULL DEFAULT '', outcome varchar(20) NOT NULL, PRIMARY KEY  (id) )" );
		$wpdb->query( "INSERT INTO {$table} (created_at, klarna_order_id, outcome) VALUES ('2026-11-20 10:00:00', 'old-1', 'approved')" );
		update_option( DecisionLog::SCHEMA_OPTION, '0' );

		$this->assertTrue( ( new DecisionLog() )->maybe_install() );
		$this->assertSame( array( 'id', 'created_at', 'klarna_order_id', 'outcome', 'codes', 'duration_ms', 'wait_ms', 'status_sent', 'claimed' ), self::columns() );
		$this->assertContains( 'outcome_created', self::keys() );
		$this->assertSame( 'old-1', $wpdb->get_var( "SELECT klarna_order_id FROM {$table}" ) );
		$this->assertSame( DecisionLog::SCHEMA_VERSION, get_option( DecisionLog::SCHEMA_OPTION ) );
	}

	public function test_a_real_decision_is_logged_without_personal_data(): void {
		ToolsBootstrap::register();
		( new Plugin() )->boot();
		add_filter( 'kco_validation_log_prune_probability', static fn () => 0 );
		self::install_log();
		$id   = Shop::product( array( 'sku' => 'MUG', 'manage_stock' => true, 'stock' => 1 ) );
		$json = self::klarna_order( array( array( 'MUG', 2, 10000 ) ), array( 'email' => 'anna.andersson@example.se' ) );
		Shop::session( self::GUEST, self::cart_for( $json, array( 'MUG' => $id ) ) );
		$r = $this->post_callback( $json, array( 'kco_session_id' => self::GUEST, 'kco-action' => 'validation' ) );
		$this->assertSame( 303, $r->status );

		$rows = ( new DecisionLog() )->query()['rows'];
		$this->assertCount( 1, $rows );
		$row = $rows[0];
		$this->assertSame( json_decode( $json, true )['order_id'], $row['klarna_order_id'] );
		$this->assertSame( 'denied', $row['outcome'] );
		$this->assertSame( array( 'insufficient_stock' ), $row['codes'] );
		$this->assertSame( 303, $row['status_sent'] );
		$this->assertGreaterThan( 0.0, $row['duration_ms'] );
		$this->assertEqualsWithDelta( time(), strtotime( $row['created_at'] . ' UTC' ), 5 );

		global $wpdb;
		$raw     = json_encode( $wpdb->get_row( "SELECT * FROM {$wpdb->prefix}kco_validation_log", ARRAY_A ) );
		$address = json_decode( $json, true )['billing_address'];
		foreach ( array( 'anna.andersson', 'example.se', $address['given_name'], $address['family_name'], $address['street_address'], $address['phone'] ?? 'no-phone' ) as $personal ) {
			$this->assertStringNotContainsStringIgnoringCase( (string) $personal, $raw );
		}
	}

	public function test_rejected_requests_and_faults_are_logged_with_their_outcome_and_no_personal_data(): void {
		global $wpdb;
		ToolsBootstrap::register();
		( new Plugin() )->boot();
		add_filter( 'kco_validation_log_prune_probability', static fn () => 0 );
		self::install_log();
		$json = self::klarna_order( array( array( 'MUG', 1, 10000 ) ), array( 'email' => 'anna.andersson@example.se' ) );
		$id   = Shop::product( array( 'sku' => 'MUG' ) );
		Shop::session( self::GUEST, self::cart_for( $json, array( 'MUG' => $id ) ) );

		$r = $this->post_callback( $json, array( 'kco_session_id' => self::GUEST, 'kco-action' => 'validation' ), 'GET' );
		$this->assertSame( 400, $r->status );
		add_filter(
			'kco_validation_snapshot',
			static function () {
				throw new \RuntimeException( 'Deadlock found when trying to get lock' );
			}
		);
		$r = $this->post_callback( $json, array( 'kco_session_id' => self::GUEST, 'kco-action' => 'validation' ) );
		$this->assertSame( 303, $r->status );
		update_option( 'kco_validation_fault_policy', 'approve' );
		$r = $this->post_callback( $json, array( 'kco_session_id' => self::GUEST, 'kco-action' => 'validation' ) );
		$this->assertSame( 200, $r->status );

		$log  = new DecisionLog();
		$rows = array_reverse( $log->query()['rows'] );
		$this->assertSame( array( 'rejected', 'fault-denied', 'fault-approved' ), array_column( $rows, 'outcome' ) );
		$this->assertSame( array( 400, 303, 200 ), array_column( $rows, 'status_sent' ) );
		$this->assertSame( array( array( 'invalid_request', 'method' ), array( 'internal_error' ), array( 'internal_error' ) ), array_column( $rows, 'codes' ) );
		$order_id = json_decode( $json, true )['order_id'];
		$this->assertSame( array( '', $order_id, $order_id ), array_column( $rows, 'klarna_order_id' ) );
		$this->assertSame( 1, $log->query( array( 'outcome' => 'rejected' ) )['total'] );
		$this->assertSame( 2, $log->query( array( 'code' => 'internal_error' ) )['total'] );
		$raw = json_encode( $wpdb->get_results( "SELECT * FROM {$wpdb->prefix}kco_validation_log", ARRAY_A ) );
		foreach ( array( 'anna.andersson', 'example.se', 'Deadlock' ) as $private ) {
			$this->assertStringNotContainsStringIgnoringCase( $private, $raw );
		}
		$today = $log->daily( 1 )[0]['counts'];
		$this->assertSame( 1, $today['rejected'] );
		$this->assertSame( 1, $today['fault-denied'] );
		$this->assertSame( 1, $today['fault-approved'] );

		// A listener call with junk, or before the table exists, writes nothing and never throws.
		DecisionLog::on_refused( 'approved', 200, 'x', 1.0, 'o' );
		DecisionLog::on_refused( 'rejected', 'junk', array(), 'slow', null );
		$this->assertSame( 4, $log->query()['total'], 'an unknown outcome is not written; junk values are made safe' );
		delete_option( DecisionLog::SCHEMA_OPTION );
		self::reset_queries();
		DecisionLog::on_refused( 'rejected', 400, 'method', 1.0, '' );
		$this->assertSame( array(), self::queries() );
	}

	public function test_nothing_is_written_or_created_on_the_callback_before_the_table_exists(): void {
		global $wpdb;
		ToolsBootstrap::register();
		self::reset_queries();
		$order = \KcoValidation\Order::parse( self::fixture( '01-se-sek-basic.json' ) );
		do_action( 'kco_validation_decided', array( 'approved' => true, 'codes' => array(), 'response' => array( 'status' => 200 ) ), $order, array(), 3.0 );
		do_action( 'kco_validation_answer_sent', 200 );
		$this->assertSame( array(), self::queries(), 'no dbDelta() and no insert on Klarna\'s clock' );
		$this->assertNull( $wpdb->get_var( "SHOW TABLES LIKE '{$wpdb->prefix}kco_validation_log'" ) );

		do_action( 'admin_init' );
		$this->assertSame( DecisionLog::SCHEMA_VERSION, get_option( DecisionLog::SCHEMA_OPTION ), 'created on the next admin page' );
		do_action( 'kco_validation_decided', array( 'approved' => true, 'codes' => array(), 'response' => array( 'status' => 200 ) ), $order, array(), 3.0 );
		$this->assertSame( 0, ( new DecisionLog() )->query()['total'], 'not before the answer is sent' );
		do_action( 'kco_validation_answer_sent', 200 );
		$this->assertSame( 1, ( new DecisionLog() )->query()['total'] );
	}

	/**
	 * The callback with the tools active: the log's INSERT (and wpdb's SHOW FULL COLUMNS before it) come after the
	 * answer is handed over, so the callback's own queries before the answer are the same as without the tools.
	 */
	public function test_the_log_is_written_after_the_answer_is_sent(): void {
		global $wpdb;
		( new Plugin() )->boot();
		add_filter( 'kco_validation_log_prune_probability', static fn () => 0 );
		self::install_log();
		$id   = Shop::product( array( 'sku' => 'MUG', 'manage_stock' => true, 'stock' => 5 ) );
		$json = self::klarna_order( array( array( 'MUG', 1, 10000 ) ) );
		Shop::session( self::GUEST, self::cart_for( $json, array( 'MUG' => $id ) ) );
		$without = $this->queries_before_the_answer( $json );

		ToolsBootstrap::register();
		$before = array();
		$rows   = null;
		add_action(
			'kco_validation_answer_sent',
			static function () use ( &$before, &$rows ) {
				$before = self::queries();
				$rows   = ( new DecisionLog() )->query()['total'];
			},
			0
		);
		self::reset_queries();
		$r = $this->post_callback( $json, array( 'kco_session_id' => self::GUEST, 'kco-action' => 'validation' ) );
		$this->assertSame( 200, $r->status );
		foreach ( $before as $sql ) {
			// The log's INSERT; the approval's own stock claim (issue 13) is written before the answer, by design.
			$this->assertDoesNotMatchRegularExpression( '/^\s*(INSERT INTO `?\w*kco_validation_log\b|SHOW FULL COLUMNS)/i', $sql );
		}
		$this->assertSame( count( $without ), count( $before ), 'the same queries before the answer, with the tools as without' );
		$this->assertSame( 0, $rows, 'nothing written before the answer' );
		$this->assertSame( 1, ( new DecisionLog() )->query()['total'], 'written once it is sent' );
	}

	/** The queries a callback runs before its answer is handed over. */
	private function queries_before_the_answer( string $json ): array {
		$before = array();
		$catch  = static function () use ( &$before ) {
			$before = self::queries();
		};
		add_action( 'kco_validation_answer_sent', $catch, 0 );
		self::reset_queries();
		$this->post_callback( $json, array( 'kco_session_id' => self::GUEST, 'kco-action' => 'validation' ) );
		remove_action( 'kco_validation_answer_sent', $catch, 0 );
		return $before;
	}

	public function test_a_row_is_one_prepared_insert_and_keeps_its_values(): void {
		$log = self::install_log();
		self::reset_queries();
		$this->assertTrue( $log->record( 'o-1', 'denied', array( 'out_of_stock', 'Out_Of_Stock', 'x y' ), 12.345, 303, self::NOW, 2, null ) );
		$this->assertTrue( $log->record( 'o-2', 'approved', array(), 1.5, 200, self::NOW + 1, 0, 7.25 ) );
		$queries = self::queries();
		$this->assertCount( 2, $queries, 'no SHOW FULL COLUMNS before the INSERT: ' . implode( "\n", $queries ) );
		$this->assertStringStartsWith( 'INSERT INTO ', $queries[0] );
		$rows = $log->query()['rows'];
		$this->assertSame( array( 'o-2', 'o-1' ), array_column( $rows, 'klarna_order_id' ) );
		$this->assertSame( array( 'out_of_stock', 'xy' ), $rows[1]['codes'] );
		$this->assertEqualsWithDelta( 12.35, (float) $rows[1]['duration_ms'], 0.001 );
		$this->assertSame( 303, (int) $rows[1]['status_sent'] );
		$this->assertSame( 2, (int) $rows[1]['claimed'] );
		$this->assertNull( $rows[1]['wait_ms'] );
		$this->assertEqualsWithDelta( 7.25, (float) $rows[0]['wait_ms'], 0.001 );
	}

	public function test_retention_by_days(): void {
		$log = self::install_log();
		foreach ( array( 40, 31, 30.5, 29, 1, 0 ) as $i => $days_ago ) {
			$log->record( 'o' . $i, 'approved', array(), 10.0, 200, (int) ( self::NOW - $days_ago * DAY_IN_SECONDS ) );
		}
		$this->assertSame( 3, $log->prune( 30, 1000, self::NOW ) );
		$this->assertSame( array( 'o5', 'o4', 'o3' ), array_column( $log->query()['rows'], 'klarna_order_id' ) );
	}

	public function test_retention_by_rows_keeps_the_newest(): void {
		global $wpdb;
		$log = self::install_log();
		for ( $i = 1; $i <= 250; $i++ ) {
			$log->record( sprintf( 'o%03d', $i ), 'approved', array(), 1.0, 200, self::NOW - 1000 + $i );
		}
		$this->assertSame( 150, $log->prune( 30, 100, self::NOW ) );
		$this->assertSame( '100', $wpdb->get_var( "SELECT COUNT(*) FROM {$wpdb->prefix}kco_validation_log" ) );
		$this->assertSame( 'o151', $wpdb->get_var( "SELECT MIN(klarna_order_id) FROM {$wpdb->prefix}kco_validation_log" ) );
		$this->assertSame( 0, $log->prune( 30, 100, self::NOW ), 'nothing more to trim' );
	}

	public function test_retention_settings_default_and_bounds(): void {
		$this->assertSame( array( 'days' => 30, 'rows' => 50000 ), DecisionLog::retention() );
		update_option( DecisionLog::DAYS_OPTION, '7' );
		update_option( DecisionLog::ROWS_OPTION, '5' );
		$this->assertSame( array( 'days' => 7, 'rows' => 100 ), DecisionLog::retention() );
		update_option( DecisionLog::DAYS_OPTION, 'junk' );
		$this->assertSame( 30, DecisionLog::retention()['days'] );
	}

	public function test_inserts_trim_with_the_configured_probability(): void {
		$log = self::install_log();
		$log->record( 'ancient', 'approved', array(), 1.0, 200, time() - 90 * DAY_IN_SECONDS );
		add_filter( 'kco_validation_log_prune_probability', static fn () => 1 );
		$order = \KcoValidation\Order::parse( self::fixture( '01-se-sek-basic.json' ) );
		DecisionLog::on_decided( array( 'approved' => true, 'codes' => array(), 'response' => array( 'status' => 200 ) ), $order, array(), 12.5 );
		$this->assertSame( array( $order->id() ), array_column( $log->query()['rows'], 'klarna_order_id' ) );
	}

	public function test_cron_is_scheduled_daily_and_prunes(): void {
		ToolsBootstrap::register();
		do_action( 'init' );
		$this->assertSame( 'daily', $GLOBALS['kco_test_cron'][ DecisionLog::CRON_HOOK ]['recurrence'] );
		$log = self::install_log();
		$log->record( 'ancient', 'approved', array(), 1.0, 200, time() - 90 * DAY_IN_SECONDS );
		$log->record( 'recent', 'approved', array(), 1.0, 200 );
		do_action( DecisionLog::CRON_HOOK );
		$this->assertSame( array( 'recent' ), array_column( $log->query()['rows'], 'klarna_order_id' ) );
	}

	public function test_paging_newest_first(): void {
		$log = self::install_log();
		for ( $i = 1; $i <= 60; $i++ ) {
			$log->record( sprintf( 'o%02d', $i ), 'approved', array(), 1.0, 200, self::NOW + $i );
		}
		$first = $log->query( array(), 1, 25 );
		$this->assertSame( 60, $first['total'] );
		$this->assertSame( 3, $first['pages'] );
		$this->assertCount( 25, $first['rows'] );
		$this->assertSame( 'o60', $first['rows'][0]['klarna_order_id'] );
		$last = $log->query( array(), 3, 25 );
		$this->assertCount( 10, $last['rows'] );
		$this->assertSame( 'o01', $last['rows'][9]['klarna_order_id'] );
		$this->assertSame( 3, $log->query( array(), 99, 25 )['page'], 'a page past the end shows the last' );
	}

	public function test_filters_by_outcome_code_and_time(): void {
		$log = self::install_log();
		$log->record( 'a', 'approved', array(), 1.0, 200, self::NOW - 3 * DAY_IN_SECONDS );
		$log->record( 'b', 'denied', array( 'out_of_stock' ), 1.0, 303, self::NOW - 2 * DAY_IN_SECONDS );
		$log->record( 'c', 'denied', array( 'stock', 'coupon_expired' ), 1.0, 303, self::NOW - DAY_IN_SECONDS );
		$log->record( 'd', 'rejected', array( 'invalid_request' ), 1.0, 400, self::NOW );

		$ids = static fn ( array $f ) => array_column( $log->query( $f )['rows'], 'klarna_order_id' );
		$this->assertSame( array( 'c', 'b' ), $ids( array( 'outcome' => 'denied' ) ) );
		$this->assertSame( array( 'b' ), $ids( array( 'code' => 'out_of_stock' ) ) );
		$this->assertSame( array( 'c' ), $ids( array( 'code' => 'stock' ) ), 'a code matches whole codes only' );
		$this->assertSame( array( 'c' ), $ids( array( 'code' => 'coupon_expired', 'outcome' => 'denied' ) ) );
		$this->assertSame( array(), $ids( array( 'code' => 'out_%' ) ), 'LIKE wildcards are not codes' );
		$this->assertSame( array( 'd', 'c' ), $ids( array( 'since' => gmdate( 'Y-m-d H:i:s', self::NOW - DAY_IN_SECONDS ) ) ) );
		$this->assertSame( array( 'd', 'c', 'b', 'a' ), $ids( array( 'outcome' => 'no-such' ) ), 'an unknown outcome is no filter' );
		// Failure codes only: invalid_request and the refusal reasons (method, token, size, payload) have their own list.
		$this->assertSame( array( 'coupon_expired', 'out_of_stock', 'stock' ), $log->codes() );
	}

	public function test_daily_counts_by_outcome_and_p95(): void {
		$log   = self::install_log();
		$today = self::NOW + 12 * HOUR_IN_SECONDS; // 2026-11-24 12:00 UTC.
		// Two days ago: 20 decisions taking 1..20 ms (nearest-rank p95 = the 19th = 19 ms), 15 approved, 5 denied.
		for ( $i = 1; $i <= 20; $i++ ) {
			$log->record( 'x' . $i, $i <= 15 ? 'approved' : 'denied', $i <= 15 ? array() : array( 'out_of_stock' ), (float) $i, $i <= 15 ? 200 : 303, $today - 2 * DAY_IN_SECONDS + $i );
		}
		// Today: 100 decisions, 1..100 ms, p95 = 95 ms; one rejected.
		for ( $i = 1; $i <= 100; $i++ ) {
			$log->record( 'y' . $i, 100 === $i ? 'rejected' : 'approved', array(), (float) $i, 200, $today - 3600 + $i );
		}
		// Out of the window.
		$log->record( 'old', 'approved', array(), 9999.0, 200, $today - 20 * DAY_IN_SECONDS );

		$days = $log->daily( 3, $today );
		$this->assertSame( array( '2026-11-22', '2026-11-23', '2026-11-24' ), array_column( $days, 'day' ) );
		$this->assertSame( array( 20, 0, 100 ), array_column( $days, 'total' ) );
		$this->assertSame( 15, $days[0]['counts']['approved'] );
		$this->assertSame( 5, $days[0]['counts']['denied'] );
		$this->assertSame( 99, $days[2]['counts']['approved'] );
		$this->assertSame( 1, $days[2]['counts']['rejected'] );
		$this->assertSame( array( 19.0, null, 95.0 ), array_column( $days, 'p95_ms' ) );
	}

	public function test_uninstall_drops_the_table_and_options(): void {
		global $wpdb;
		$log = self::install_log();
		update_option( DecisionLog::DAYS_OPTION, '10' );
		$log->uninstall();
		$this->assertNull( $wpdb->get_var( "SHOW TABLES LIKE '{$wpdb->prefix}kco_validation_log'" ) );
		$this->assertFalse( get_option( DecisionLog::SCHEMA_OPTION ) );
		$this->assertFalse( get_option( DecisionLog::DAYS_OPTION ) );
	}

	public function test_the_uninstall_lines_for_php_uninstall_php_do_the_same(): void {
		global $wpdb;
		self::install_log();
		update_option( DecisionLog::ROWS_OPTION, '1000' );
		// The exact lines the report asks the lead to add to php/uninstall.php.
		$wpdb->query( "DROP TABLE IF EXISTS {$wpdb->prefix}kco_validation_log" ); // phpcs:ignore
		foreach ( array( 'log_schema', 'log_days', 'log_max_rows' ) as $kco_validation_key ) {
			delete_option( 'kco_validation_' . $kco_validation_key );
		}
		$this->assertNull( $wpdb->get_var( "SHOW TABLES LIKE '{$wpdb->prefix}kco_validation_log'" ) );
		$this->assertFalse( get_option( DecisionLog::ROWS_OPTION ) );
		$this->assertFalse( get_option( DecisionLog::SCHEMA_OPTION ) );
	}

	public function test_retention_fields_join_the_plugins_settings_section(): void {
		ToolsBootstrap::register();
		\KcoValidation\Plugin\Settings::register_hooks();
		$fields = apply_filters( 'woocommerce_get_settings_advanced', array(), \KcoValidation\Plugin\Settings::SECTION );
		$ids    = array_column( $fields, 'id' );
		$this->assertContains( DecisionLog::DAYS_OPTION, $ids );
		$this->assertContains( DecisionLog::ROWS_OPTION, $ids );
		$this->assertSame( 'sectionend', end( $fields )['type'], 'inside the section' );
		$this->assertSame( array(), apply_filters( 'woocommerce_get_settings_advanced', array(), 'other' ) );
	}

	public function test_klarnas_wait_is_logged_from_the_requests_arrival_and_the_p95_is_of_it(): void {
		$log = self::install_log();
		$this->assertEqualsWithDelta( 250.0, DecisionLog::since_arrival( array( 'REQUEST_TIME_FLOAT' => 1000.0 ), 1000.25 ), 0.001 );
		$this->assertNull( DecisionLog::since_arrival( array() ) );

		// Written after the answer (flush): the wait counts from REQUEST_TIME_FLOAT, our part is the action's $ms.
		$saved                          = $_SERVER['REQUEST_TIME_FLOAT'] ?? null;
		$_SERVER['REQUEST_TIME_FLOAT'] = microtime( true ) - 0.080;
		DecisionLog::queue_decided( array( 'approved' => true, 'codes' => array(), 'response' => array( 'status' => 200 ) ), null, array(), 4.5 );
		DecisionLog::flush();
		$_SERVER['REQUEST_TIME_FLOAT'] = $saved;
		$row = $log->query()['rows'][0];
		$this->assertSame( 4.5, $row['duration_ms'] );
		$this->assertGreaterThanOrEqual( 80.0, $row['wait_ms'] );
		$this->assertLessThan( 5000.0, $row['wait_ms'] );

		// The chart's p95: of Klarna's wait where it was logged, of our part for older rows (wait_ms NULL).
		$log->record( 'a', 'approved', array(), 5.0, 200, self::NOW, 0, 900.0 );
		$log->record( 'b', 'approved', array(), 6.0, 200, self::NOW, 0, 50.0 );
		$log->record( 'c', 'approved', array(), 7.0, 200, self::NOW );
		$days = $log->daily( 1, self::NOW );
		$this->assertSame( 900.0, $days[0]['p95_ms'] );
		$this->assertSame( 3, $days[0]['total'] );
		$none = $log->daily( 1, self::NOW, array( 'code' => 'none_such' ) )[0];
		$this->assertSame( array( 0, null ), array( $none['total'], $none['p95_ms'] ), 'the chart follows the filters' );
	}
}
