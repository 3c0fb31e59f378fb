<?php
/**
 * The decision log table: one row per decision, no personal data.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin\Tools;

defined( 'ABSPATH' ) || exit;

/**
 * `{$wpdb->prefix}kco_validation_log`: time (UTC), Klarna order id, outcome, codes, duration, status sent, units of
 * stock claimed for the order (Claims\Claimer; schema 2), and the time from the request's arrival until the answer was
 * handed to the web server (`wait_ms`, what Klarna waits; schema 3; NULL for rows written before). Created
 * and upgraded with dbDelta() when the stored schema version differs from SCHEMA_VERSION; trimmed by age and by
 * row count on a daily cron and, with a small probability, after inserts.
 */
class DecisionLog {

	/** Bump when a CREATE TABLE of schemas() changes (2: `claimed`; compare mode's comparisons table; 3: `wait_ms`). */
	const SCHEMA_VERSION = '3';

	/** The reasons a request is refused as not a valid callback (rejected, with `invalid_request`): not failure codes. */
	const REFUSALS = array( 'method', 'token', 'size', 'payload' );

	/** Option holding the installed schema version. */
	const SCHEMA_OPTION = 'kco_validation_log_schema';

	/** Retention options. */
	const DAYS_OPTION = 'kco_validation_log_days';
	const ROWS_OPTION = 'kco_validation_log_max_rows';

	/** Retention defaults. */
	const DEFAULT_DAYS = 30;
	const DEFAULT_ROWS = 50000;

	/** The daily cron event. */
	const CRON_HOOK = 'kco_validation_log_prune';

	/** One insert in this many trims the table (filter `kco_validation_log_prune_probability`). */
	const PRUNE_ONE_IN = 100;

	/** Outcomes written. */
	const OUTCOMES = array( 'approved', 'denied', 'rejected', 'fault-approved', 'fault-denied' );

	/**
	 * The database.
	 *
	 * @var \wpdb
	 */
	private $wpdb;

	/**
	 * Constructor.
	 *
	 * @param \wpdb|null $db Database (default the global one).
	 */
	public function __construct( $db = null ) {
		global $wpdb;
		$this->wpdb = $db ?? $wpdb;
	}

	/**
	 * The table name.
	 */
	public function table(): string {
		return $this->wpdb->prefix . 'kco_validation_log';
	}

	/**
	 * The dbDelta() SQL: two spaces after PRIMARY KEY, one field per line, KEY not INDEX.
	 */
	public function schema(): string {
		$collate = $this->wpdb->get_charset_collate();
		return "CREATE TABLE {$this->table()} (
  id bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  created_at datetime NOT NULL,
  klarna_order_id varchar(64) NOT NULL DEFAULT '',
  outcome varchar(20) NOT NULL,
  codes varchar(500) NOT NULL DEFAULT '',
  duration_ms decimal(10,2) unsigned NOT NULL DEFAULT '0.00',
  wait_ms decimal(10,2) unsigned DEFAULT NULL,
  status_sent smallint(5) unsigned NOT NULL DEFAULT '0',
  claimed int(10) unsigned NOT NULL DEFAULT '0',
  PRIMARY KEY  (id),
  KEY created_at (created_at),
  KEY outcome_created (outcome,created_at),
  KEY klarna_order_id (klarna_order_id)
) {$collate};";
	}

	/**
	 * Every table the log installs: its own (schema()) and compare mode's comparisons (Compare\CompareLog).
	 *
	 * @return list<string>
	 */
	public function schemas(): array {
		return array( $this->schema(), ( new Compare\CompareLog( $this->wpdb ) )->schema( $this->wpdb->get_charset_collate() ) );
	}

	/**
	 * Creates or upgrades the table when the stored schema version differs. Returns whether it ran dbDelta().
	 */
	public function maybe_install(): bool {
		if ( self::SCHEMA_VERSION === (string) get_option( self::SCHEMA_OPTION, '' ) ) {
			return false;
		}
		$this->install();
		return true;
	}

	/**
	 * Runs dbDelta() and stores the schema version.
	 */
	public function install(): void {
		if ( ! function_exists( 'dbDelta' ) ) {
			require_once ABSPATH . 'wp-admin/includes/upgrade.php';
		}
		dbDelta( $this->schemas() );
		// Compare mode's setting, off, autoloaded: the callback reads it without a query.
		add_option( Compare\CompareMode::OPTION, 'no', '', 'yes' );
		update_option( self::SCHEMA_OPTION, self::SCHEMA_VERSION, true );
	}

	/**
	 * Drops the table and forgets the options (uninstall).
	 */
	public function uninstall(): void {
		$this->wpdb->query( "DROP TABLE IF EXISTS {$this->table()}" ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared,WordPress.DB.DirectDatabaseQuery.SchemaChange
		( new Compare\CompareLog( $this->wpdb ) )->drop();
		foreach ( array( self::SCHEMA_OPTION, self::DAYS_OPTION, self::ROWS_OPTION, Compare\CompareMode::OPTION ) as $option ) {
			delete_option( $option );
		}
	}

	/**
	 * Rows waiting for the answer to be sent.
	 *
	 * @var list<array{0: string, 1: list<mixed>}>
	 */
	private static array $pending = array();

	/**
	 * Queues a `kco_validation_decided` / `kco_validation_refused` row until the answer is on its way
	 * (`kco_validation_answer_sent`, Request\Response): the insert never delays Klarna's answer and runs outside the
	 * callback's time budget.
	 *
	 * @param mixed ...$args The action's arguments.
	 */
	public static function queue_decided( ...$args ): void {
		self::$pending[] = array( 'on_decided', $args );
	}

	/**
	 * Queues a refusal (see queue_decided()).
	 *
	 * @param mixed ...$args The action's arguments.
	 */
	public static function queue_refused( ...$args ): void {
		self::$pending[] = array( 'on_refused', $args );
	}

	/**
	 * Writes the queued rows: the `kco_validation_answer_sent` listener.
	 */
	public static function flush(): void {
		$pending       = self::$pending;
		self::$pending = array();
		// The answer has just been handed to the web server: from the request's arrival until now is what Klarna waited.
		self::$wait_ms = self::since_arrival();
		try {
			foreach ( $pending as list( $method, $args ) ) {
				self::$method( ...$args );
			}
		} finally {
			self::$wait_ms = null;
		}
	}

	/**
	 * Klarna's wait for the answer being written (set by flush()), or null.
	 *
	 * @var float|null
	 */
	private static ?float $wait_ms = null;

	/**
	 * Milliseconds since the request arrived at PHP (`REQUEST_TIME_FLOAT`), or null without it.
	 *
	 * @param array<string, mixed>|null $server $_SERVER (tests).
	 * @param float|null                $now    microtime( true ) (tests).
	 */
	public static function since_arrival( ?array $server = null, ?float $now = null ): ?float {
		$server  = $server ?? $_SERVER;
		$arrival = $server['REQUEST_TIME_FLOAT'] ?? null;
		if ( ! is_numeric( $arrival ) || (float) $arrival <= 0 ) {
			return null;
		}
		return max( 0.0, ( ( $now ?? microtime( true ) ) - (float) $arrival ) * 1000 );
	}

	/**
	 * Writes a decision's row: ( $verdict, $order, $snapshot, $ms, $claimed ) as `kco_validation_decided` passes
	 * them. Requests answered without a verdict arrive through on_refused().
	 *
	 * @param mixed $verdict  Verdict as answered.
	 * @param mixed $order    \KcoValidation\Order.
	 * @param mixed $snapshot Snapshot (unused: it holds personal data).
	 * @param mixed $ms       Milliseconds.
	 * @param mixed $claimed  Units of stock claimed for the order (Claims\Claimer).
	 */
	public static function on_decided( $verdict, $order = null, $snapshot = null, $ms = 0, $claimed = 0 ): void {
		if ( ! is_array( $verdict ) ) {
			return;
		}
		try {
			$order_id = is_object( $order ) && method_exists( $order, 'id' ) ? (string) $order->id() : '';
			$codes    = is_array( $verdict['codes'] ?? null ) ? $verdict['codes'] : array();
			$status   = (int) ( $verdict['response']['status'] ?? 0 );
			// The table is created on admin_init (ToolsBootstrap), never on Klarna's clock: not installed, not logged.
			if ( self::SCHEMA_VERSION !== (string) get_option( self::SCHEMA_OPTION, '' ) ) {
				return;
			}
			$log = new self();
			$log->record( $order_id, true === ( $verdict['approved'] ?? false ) ? 'approved' : 'denied', $codes, is_numeric( $ms ) ? (float) $ms : 0.0, $status, null, is_numeric( $claimed ) ? (int) $claimed : 0, self::$wait_ms ?? self::since_arrival() );
			/**
			 * The chance (1 in N) that an insert also trims the log; 0 turns it off (the daily cron still runs).
			 *
			 * @param int $one_in N.
			 */
			$one_in = (int) apply_filters( 'kco_validation_log_prune_probability', self::PRUNE_ONE_IN );
			if ( $one_in > 0 && 1 === wp_rand( 1, $one_in ) ) {
				$log->prune();
			}
		} catch ( \Throwable $e ) { // phpcs:ignore Generic.CodeAnalysis.EmptyStatement.DetectedCatch -- the log must never change the answer.
		}
	}

	/**
	 * The `kco_validation_refused` listener: ( $outcome, $status, $reason, $ms, $order_id ), for requests answered
	 * without a verdict. Codes: `invalid_request` and the reason (method, token, size, payload) for a rejected
	 * request, `internal_error` for a fault.
	 *
	 * @param mixed $outcome  rejected | fault-approved | fault-denied.
	 * @param mixed $status   Status sent.
	 * @param mixed $reason   Reason code.
	 * @param mixed $ms       Milliseconds.
	 * @param mixed $order_id Klarna order id ('' when unknown).
	 */
	public static function on_refused( $outcome, $status = 0, $reason = '', $ms = 0, $order_id = '' ): void {
		if ( ! in_array( $outcome, array( 'rejected', 'fault-approved', 'fault-denied' ), true ) ) {
			return;
		}
		try {
			if ( self::SCHEMA_VERSION !== (string) get_option( self::SCHEMA_OPTION, '' ) ) {
				return;
			}
			$reason = is_string( $reason ) ? $reason : '';
			$codes  = 'rejected' === $outcome ? array( 'invalid_request', $reason ) : array( 'internal_error' );
			$log    = new self();
			$log->record( is_string( $order_id ) ? $order_id : '', $outcome, $codes, is_numeric( $ms ) ? (float) $ms : 0.0, is_numeric( $status ) ? (int) $status : 0, null, 0, self::$wait_ms ?? self::since_arrival() );
			/** This filter is documented in php/src/Tools/DecisionLog.php (on_decided). */
			$one_in = (int) apply_filters( 'kco_validation_log_prune_probability', self::PRUNE_ONE_IN );
			if ( $one_in > 0 && 1 === wp_rand( 1, $one_in ) ) {
				$log->prune();
			}
		} catch ( \Throwable $e ) { // phpcs:ignore Generic.CodeAnalysis.EmptyStatement.DetectedCatch -- the log must never change the answer.
		}
	}

	/**
	 * Writes one row.
	 *
	 * @param string      $order_id Klarna order id.
	 * @param string      $outcome  One of OUTCOMES.
	 * @param array<int, mixed> $codes Failure codes.
	 * @param float       $ms       Time taken.
	 * @param int         $status   Status sent.
	 * @param int|null    $time     Unix time (tests).
	 * @param int         $claimed  Units of stock claimed for the order.
	 * @param float|null  $wait_ms  From the request's arrival until the answer was handed over (null: unknown).
	 */
	public function record( string $order_id, string $outcome, array $codes, float $ms, int $status, ?int $time = null, int $claimed = 0, ?float $wait_ms = null ): bool {
		$clean = array();
		foreach ( $codes as $code ) {
			$code = is_string( $code ) ? (string) preg_replace( '/[^a-z0-9_]/', '', strtolower( $code ) ) : '';
			if ( '' !== $code && ! in_array( $code, $clean, true ) ) {
				$clean[] = $code;
			}
		}
		$codes_col = array() === $clean ? '' : ',' . implode( ',', $clean ) . ',';
		// One prepared INSERT: wpdb::insert() would first ask the server for the table's columns (SHOW FULL COLUMNS,
		// once per request) to check their charsets; every value here is ASCII or a number.
		$wpdb   = $this->wpdb;
		$result = $wpdb->query(
			$wpdb->prepare(
				"INSERT INTO {$this->table()} ( created_at, klarna_order_id, outcome, codes, duration_ms, status_sent, claimed, wait_ms ) VALUES ( %s, %s, %s, %s, %f, %d, %d, " . ( null === $wait_ms ? 'NULL' : '%f' ) . ' )', // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
				array_merge(
					array(
						gmdate( 'Y-m-d H:i:s', $time ?? time() ),
						substr( (string) preg_replace( '/[^A-Za-z0-9_-]/', '', $order_id ), 0, 64 ),
						in_array( $outcome, self::OUTCOMES, true ) ? $outcome : 'denied',
						substr( $codes_col, 0, 500 ),
						round( max( 0.0, min( 99999999.0, $ms ) ), 2 ),
						max( 0, min( 999, $status ) ),
						max( 0, min( 4294967295, $claimed ) ),
					),
					null === $wait_ms ? array() : array( round( max( 0.0, min( 99999999.0, $wait_ms ) ), 2 ) )
				)
			)
		);
		return false !== $result && '' === (string) $wpdb->last_error;
	}

	/**
	 * Retention settings.
	 *
	 * @return array{days: int, rows: int}
	 */
	public static function retention(): array {
		$days = get_option( self::DAYS_OPTION, self::DEFAULT_DAYS );
		$rows = get_option( self::ROWS_OPTION, self::DEFAULT_ROWS );
		return array(
			'days' => is_numeric( $days ) ? max( 1, min( 3650, (int) $days ) ) : self::DEFAULT_DAYS,
			'rows' => is_numeric( $rows ) ? max( 100, min( 10000000, (int) $rows ) ) : self::DEFAULT_ROWS,
		);
	}

	/**
	 * Deletes rows older than the retention days, then all but the newest max rows. Two indexed statements.
	 *
	 * @param int|null $days Days (default the setting).
	 * @param int|null $rows Rows (default the setting).
	 * @param int|null $now  Unix time (tests).
	 * @return int Rows deleted.
	 */
	public function prune( ?int $days = null, ?int $rows = null, ?int $now = null ): int {
		$retention = self::retention();
		$days      = $days ?? $retention['days'];
		$rows      = $rows ?? $retention['rows'];
		$table     = $this->table();
		$cutoff    = gmdate( 'Y-m-d H:i:s', ( $now ?? time() ) - $days * DAY_IN_SECONDS );
		$deleted   = (int) $this->wpdb->query( $this->wpdb->prepare( "DELETE FROM {$table} WHERE created_at < %s", $cutoff ) ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
		$boundary  = $this->wpdb->get_var( $this->wpdb->prepare( "SELECT id FROM {$table} ORDER BY id DESC LIMIT 1 OFFSET %d", $rows ) ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
		if ( null !== $boundary ) {
			$deleted += (int) $this->wpdb->query( $this->wpdb->prepare( "DELETE FROM {$table} WHERE id <= %d", (int) $boundary ) ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
		}
		return $deleted;
	}

	/**
	 * The daily cron callback.
	 */
	public static function cron_prune(): void {
		$log = new self();
		if ( self::SCHEMA_VERSION === (string) get_option( self::SCHEMA_OPTION, '' ) ) {
			$log->prune();
			$retention = self::retention();
			( new Compare\CompareLog() )->prune( $retention['days'], $retention['rows'] );
		}
	}

	/**
	 * One page of rows, newest first.
	 *
	 * @param array<string, mixed> $filters outcome, code, since (Y-m-d or datetime, UTC), until.
	 * @param int                  $page    1-based page.
	 * @param int                  $per     Rows per page.
	 * @return array{rows: list<array<string, mixed>>, total: int, pages: int, page: int}
	 */
	public function query( array $filters = array(), int $page = 1, int $per = 50 ): array {
		$per            = max( 1, min( 500, $per ) );
		[ $where, $args ] = $this->where( $filters );
		$table          = $this->table();
		$total          = (int) $this->wpdb->get_var( $this->prepare( "SELECT COUNT(*) FROM {$table} {$where}", $args ) );
		$pages          = max( 1, (int) ceil( $total / $per ) );
		$page           = max( 1, min( $pages, $page ) );
		$rows           = $this->wpdb->get_results(
			$this->prepare( "SELECT id, created_at, klarna_order_id, outcome, codes, duration_ms, wait_ms, status_sent, claimed FROM {$table} {$where} ORDER BY created_at DESC, id DESC LIMIT %d OFFSET %d", array_merge( $args, array( $per, ( $page - 1 ) * $per ) ) ),
			ARRAY_A
		);
		return array(
			'rows'  => array_map( array( self::class, 'row' ), is_array( $rows ) ? $rows : array() ),
			'total' => $total,
			'pages' => $pages,
			'page'  => $page,
		);
	}

	/**
	 * Distinct failure codes seen (for the filter list), at most 200: the refusal reasons of rejected requests and
	 * their `invalid_request` are not failure codes (refusals()).
	 *
	 * @return list<string>
	 */
	public function codes(): array {
		return array_values( array_diff( $this->all_codes(), array_merge( self::REFUSALS, array( 'invalid_request' ) ) ) );
	}

	/**
	 * The refusal reasons seen among rejected requests (method, token, size, payload), in that order.
	 *
	 * @return list<string>
	 */
	public function refusals(): array {
		$values = $this->wpdb->get_col( "SELECT DISTINCT codes FROM {$this->table()} WHERE outcome = 'rejected' LIMIT 1000" ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
		$seen   = array();
		foreach ( is_array( $values ) ? $values : array() as $value ) {
			foreach ( explode( ',', trim( (string) $value, ',' ) ) as $code ) {
				$seen[ $code ] = true;
			}
		}
		return array_values( array_filter( self::REFUSALS, static fn ( string $r ): bool => isset( $seen[ $r ] ) ) );
	}

	/**
	 * Every distinct code in the codes column, sorted, at most 200.
	 *
	 * @return list<string>
	 */
	private function all_codes(): array {
		$values = $this->wpdb->get_col( "SELECT DISTINCT codes FROM {$this->table()} WHERE codes <> '' LIMIT 1000" ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
		$codes  = array();
		foreach ( is_array( $values ) ? $values : array() as $value ) {
			foreach ( explode( ',', trim( (string) $value, ',' ) ) as $code ) {
				if ( '' !== $code ) {
					$codes[ $code ] = true;
				}
			}
		}
		$codes = array_keys( $codes );
		sort( $codes );
		return array_slice( $codes, 0, 200 );
	}

	/**
	 * Per day (UTC) of the last $days days, for the rows the filters select (as query()): decisions by outcome and the
	 * 95th-percentile of Klarna's wait (nearest rank): `wait_ms`, from the request's arrival until the answer was
	 * handed over; rows written before it was logged count with their own part (`duration_ms`).
	 *
	 * @param int                  $days    Days, today included.
	 * @param int|null             $now     Unix time (tests).
	 * @param array<string, mixed> $filters outcome, code, refusal (as query()).
	 * @return list<array{day: string, counts: array<string, int>, total: int, p95_ms: float|null}>
	 */
	public function daily( int $days = 14, ?int $now = null, array $filters = array() ): array {
		$days  = max( 1, min( 366, $days ) );
		$now   = $now ?? time();
		$first = gmdate( 'Y-m-d', $now - ( $days - 1 ) * DAY_IN_SECONDS );
		$table = $this->table();
		$out   = array();
		for ( $i = $days - 1; $i >= 0; $i-- ) {
			$day         = gmdate( 'Y-m-d', $now - $i * DAY_IN_SECONDS );
			$out[ $day ] = array(
				'day'    => $day,
				'counts' => array_fill_keys( self::OUTCOMES, 0 ),
				'total'  => 0,
				'p95_ms' => null,
			);
		}
		unset( $filters['since'], $filters['until'] );
		[ $where, $args ] = $this->where( $filters + array( 'since' => $first . ' 00:00:00' ) );
		$counts           = $this->wpdb->get_results(
			$this->prepare( "SELECT DATE(created_at) AS day, outcome, COUNT(*) AS n FROM {$table} {$where} GROUP BY DATE(created_at), outcome", $args ),
			ARRAY_A
		);
		foreach ( is_array( $counts ) ? $counts : array() as $row ) {
			$day = (string) $row['day'];
			if ( isset( $out[ $day ] ) ) {
				$out[ $day ]['counts'][ (string) $row['outcome'] ] = (int) $row['n'];
				$out[ $day ]['total']                          += (int) $row['n'];
			}
		}
		// Nearest-rank p95 per day: the ceil(0.95 n)-th smallest time, read with one indexed scan per day.
		foreach ( $out as $day => $entry ) {
			if ( 0 === $entry['total'] ) {
				continue;
			}
			$rank                    = (int) ceil( 0.95 * $entry['total'] );
			[ $day_where, $day_args ] = $this->where(
				$filters + array(
					'since' => $day . ' 00:00:00',
					'until' => gmdate( 'Y-m-d', (int) strtotime( $day . ' 00:00:00 UTC' ) + DAY_IN_SECONDS ) . ' 00:00:00',
				)
			);
			$value                   = $this->wpdb->get_var(
				$this->prepare( "SELECT COALESCE(wait_ms, duration_ms) AS t FROM {$table} {$day_where} ORDER BY t ASC LIMIT 1 OFFSET %d", array_merge( $day_args, array( $rank - 1 ) ) )
			);
			$out[ $day ]['p95_ms'] = null === $value ? null : (float) $value;
		}
		return array_values( $out );
	}

	/**
	 * WHERE clause and arguments for filters.
	 *
	 * @param array<string, mixed> $filters Filters.
	 * @return array{0: string, 1: list<mixed>}
	 */
	private function where( array $filters ): array {
		$sql  = array();
		$args = array();
		if ( isset( $filters['outcome'] ) && in_array( $filters['outcome'], self::OUTCOMES, true ) ) {
			$sql[]  = 'outcome = %s';
			$args[] = $filters['outcome'];
		}
		$code = isset( $filters['code'] ) && is_string( $filters['code'] ) ? (string) preg_replace( '/[^a-z0-9_]/', '', strtolower( $filters['code'] ) ) : '';
		if ( '' !== $code ) {
			$sql[]  = 'codes LIKE %s';
			$args[] = '%,' . $this->wpdb->esc_like( $code ) . ',%';
		}
		// A refusal reason is looked for among rejected requests only (their codes are invalid_request and the reason).
		$refusal = isset( $filters['refusal'] ) && is_string( $filters['refusal'] ) && in_array( $filters['refusal'], self::REFUSALS, true ) ? $filters['refusal'] : '';
		if ( '' !== $refusal ) {
			$sql[]  = "outcome = 'rejected' AND codes LIKE %s";
			$args[] = '%,' . $this->wpdb->esc_like( $refusal ) . ',%';
		}
		foreach ( array( 'since' => '>=', 'until' => '<' ) as $key => $op ) {
			$time = isset( $filters[ $key ] ) && is_string( $filters[ $key ] ) && '' !== $filters[ $key ] ? strtotime( $filters[ $key ] . ( 10 === strlen( $filters[ $key ] ) ? ' 00:00:00' : '' ) . ' UTC' ) : false;
			if ( false !== $time ) {
				$sql[]  = "created_at {$op} %s";
				$args[] = gmdate( 'Y-m-d H:i:s', $time );
			}
		}
		if ( isset( $filters['order_id'] ) && is_string( $filters['order_id'] ) && '' !== $filters['order_id'] ) {
			$sql[]  = 'klarna_order_id = %s';
			$args[] = $filters['order_id'];
		}
		return array( array() === $sql ? '' : 'WHERE ' . implode( ' AND ', $sql ), $args );
	}

	/**
	 * $wpdb->prepare() that tolerates no arguments.
	 *
	 * @param string      $sql  SQL.
	 * @param list<mixed> $args Arguments.
	 */
	private function prepare( string $sql, array $args ): string {
		return array() === $args ? $sql : (string) $this->wpdb->prepare( $sql, $args ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared
	}

	/**
	 * A row with typed values and codes as a list.
	 *
	 * @param array<string, mixed> $row Row.
	 * @return array{id: int, created_at: string, klarna_order_id: string, outcome: string, codes: list<string>, duration_ms: float, status_sent: int, claimed: int, wait_ms: float|null}
	 */
	public static function row( array $row ): array {
		$codes = trim( (string) ( $row['codes'] ?? '' ), ',' );
		return array(
			'id'              => (int) $row['id'],
			'created_at'      => (string) $row['created_at'],
			'klarna_order_id' => (string) $row['klarna_order_id'],
			'outcome'         => (string) $row['outcome'],
			'codes'           => '' === $codes ? array() : explode( ',', $codes ),
			'duration_ms'     => (float) $row['duration_ms'],
			'status_sent'     => (int) $row['status_sent'],
			'claimed'         => (int) ( $row['claimed'] ?? 0 ),
			'wait_ms'         => isset( $row['wait_ms'] ) && is_numeric( $row['wait_ms'] ) ? (float) $row['wait_ms'] : null,
		);
	}
}
