<?php
/**
 * Internal faults over HTTP: the database failing under the snapshot (a table renamed away while php-fpm serves the
 * callback) answers per the internal-fault policy, logs a critical line, and is never a 500. WordPress's wpdb
 * reports the failed query to PHP's error log itself (wpdb::print_error() → error_log()): that line is expected
 * here, checked and removed, so the log is empty again for the after-test check.
 *
 * @package KcoValidation\Plugin\Tests\E2E
 */

namespace KcoValidation\Plugin\Tests\E2E;

use KcoValidation\Plugin\Tests\Shop;
use KcoValidation\Plugin\Tools\DecisionLog;

class FaultE2eTest extends E2eTestCase {

	/** Posts fixture 01 for its shop while wp_wc_product_meta_lookup is missing. */
	private function post_without_lookup_table(): HttpResponse {
		return $this->without_lookup_table( fn ( string $json ) => $this->klarna_post( $json ) );
	}

	/** wpdb's own error_log() line for the failed query, then an empty log again. */
	private function assert_and_clear_wpdb_error(): void {
		$file = (string) getenv( 'E2E_PHP_ERROR_LOG' );
		clearstatcache();
		$log = (string) file_get_contents( $file );
		$this->assertMatchesRegularExpression( "/WordPress database error Table '[^']+wc_product_meta_lookup' doesn't exist for query (SET STATEMENT max_statement_time=[0-9.]+ FOR )?SELECT/", $log );
		$this->assertSame( 1, substr_count( $log, 'WordPress database error' ), $log );
		$this->assertStringNotContainsString( 'PHP ', $log, 'nothing but wpdb\'s report: ' . $log );
		file_put_contents( $file, '' );
	}

	public function test_database_error_denies_with_unable_to_process_never_a_500(): void {
		$r = $this->post_without_lookup_table();
		$this->assertSame( 303, $r->status, $r->describe() );
		$this->assertSame( self::shop_url( '/checkout/?unable_to_process&kco_validation=internal_error' ), $r->header( 'Location' ) );
		$line = $this->assert_one_decision_line( 'critical', 'fault-denied', 303, '107afe44-4e7a-566e-96f9-96f73a1ebfc3', array( 'internal_error' ) );
		$this->assertStringContainsString( 'database error reading products', $line );
		$this->assert_and_clear_wpdb_error();
		$this->assert_page_shows_reasons( (string) $r->header( 'Location' ), 'checkout', array( 'We were unable to process your order, please try again.' ) );
	}

	public function test_refused_requests_and_faults_reach_the_decision_log(): void {
		global $wpdb;
		$log = new DecisionLog();
		$wpdb->query( "DROP TABLE IF EXISTS {$log->table()}" );
		$wpdb->query( $log->schema() );
		update_option( DecisionLog::SCHEMA_OPTION, DecisionLog::SCHEMA_VERSION );
		update_option( 'kco_e2e_log_prune_one_in', '0' );
		try {
			$json = self::fixture( '01-se-sek-basic.json' );
			$this->assert_invalid_request( $this->klarna_post( $json, self::GUEST, array(), self::PATH, 'GET' ), 'only POST is accepted' );
			$this->assert_one_decision_line( 'warning', 'rejected', 400 );
			$r = $this->post_without_lookup_table();
			$this->assertSame( 303, $r->status, $r->describe() );
			$this->assert_one_decision_line( 'critical', 'fault-denied', 303, '107afe44-4e7a-566e-96f9-96f73a1ebfc3', array( 'internal_error' ) );
			$this->assert_and_clear_wpdb_error();

			// The rows are written after the answer was handed to nginx (fastcgi_finish_request()): wait for them.
			for ( $i = 0; $i < 100 && $log->query()['total'] < 2; $i++ ) {
				usleep( 20000 );
			}
			$rows = array_reverse( $log->query()['rows'] );
			$this->assertSame( array( 'rejected', 'fault-denied' ), array_column( $rows, 'outcome' ) );
			$this->assertSame( array( 400, 303 ), array_column( $rows, 'status_sent' ) );
			$this->assertSame( array( array( 'invalid_request', 'method' ), array( 'internal_error' ) ), array_column( $rows, 'codes' ) );
			$this->assertSame( array( '', '107afe44-4e7a-566e-96f9-96f73a1ebfc3' ), array_column( $rows, 'klarna_order_id' ) );
		} finally {
			$wpdb->query( "DROP TABLE IF EXISTS {$log->table()}" );
		}
	}

	public function test_database_error_with_the_approve_policy_answers_200(): void {
		update_option( 'kco_validation_fault_policy', 'approve' );
		$r = $this->post_without_lookup_table();
		$this->assert_approved( $r );
		$this->assert_one_decision_line( 'critical', 'fault-approved', 200, '107afe44-4e7a-566e-96f9-96f73a1ebfc3', array( 'internal_error' ) );
		$this->assert_and_clear_wpdb_error();
	}

	public function test_database_error_in_error_json_mode_answers_400_approval_failed(): void {
		update_option( 'kco_validation_response_mode', 'error_json' );
		$r = $this->post_without_lookup_table();
		$this->assertSame( 400, $r->status, $r->describe() );
		$this->assertSame( 'application/json; charset=utf-8', $r->header( 'Content-Type' ), 'the same answer as any error_json denial' );
		$this->assertSame( 'approval_failed', $r->json()['error_type'] ?? null );
		$this->assert_one_decision_line( 'critical', 'fault-denied', 400, '107afe44-4e7a-566e-96f9-96f73a1ebfc3', array( 'internal_error' ) );
		$this->assert_and_clear_wpdb_error();
	}

	/**
	 * A stalled database over HTTP: another client holds a write lock on wp_postmeta; php-fpm's product query waits
	 * for it only until the query time limit (600 ms here), and the answer is the fault policy's, long before Klarna's 3 s.
	 */
	public function test_a_stalled_database_is_answered_within_the_time_budget(): void {
		global $wpdb;
		$json = self::fixture( '01-se-sek-basic.json' );
		Shop::session( self::GUEST, self::cart_for( $json, self::products_for( $json ) ) );
		update_option( 'kco_validation_time_budget_ms', '600' );
		self::sync_options();
		$other = mysqli_init();
		$other->real_connect( 'localhost', (string) getenv( 'KCO_DB_USER' ), (string) getenv( 'KCO_DB_PASSWORD' ), (string) getenv( 'KCO_DB_NAME' ), null, (string) getenv( 'KCO_DB_SOCKET' ) );
		$this->assertTrue( $other->query( "LOCK TABLES {$wpdb->postmeta} WRITE" ) );
		try {
			$t0 = microtime( true );
			$r  = $this->klarna_post( $json );
			$ms = ( microtime( true ) - $t0 ) * 1000;
		} finally {
			$other->query( 'UNLOCK TABLES' );
			$other->close();
			// wpdb reports the interrupted query to PHP's error log itself: taken (and checked below) right away, so
			// a failure here does not spill into the next test's empty-log check.
			$file = (string) getenv( 'E2E_PHP_ERROR_LOG' );
			clearstatcache();
			$php_log = (string) file_get_contents( $file );
			file_put_contents( $file, '' );
		}
		$this->assertSame( 303, $r->status, $r->describe() );
		$this->assertSame( self::shop_url( '/checkout/?unable_to_process&kco_validation=internal_error' ), $r->header( 'Location' ) );
		$this->assertLessThan( 2000, $ms, 'answered well before Klarna gives up' );
		$this->assertGreaterThan( 400, (float) $r->header( 'X-KCO-Server-Ms' ), 'the query did wait for the lock' );
		$line = $this->assert_one_decision_line( 'critical', 'fault-denied', 303, '107afe44-4e7a-566e-96f9-96f73a1ebfc3', array( 'internal_error' ) );
		$this->assertStringContainsString( 'query time limit of 600 ms exceeded while building the snapshot', $line );
		$this->assertMatchesRegularExpression( '/WordPress database error Query execution was interrupted \(max_statement_time exceeded\)/', $php_log );
		$this->assertSame( 1, substr_count( $php_log, 'WordPress database error' ), $php_log );
	}
}
