<?php
/**
 * The time guard of one callback: Klarna's deadline, and a server-side limit on every query the callback runs.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin\Snapshot;

defined( 'ABSPATH' ) || exit;

/**
 * The deadline is Klarna's, not ours: Klarna gives up 10 s after it sent the request when the order requires a
 * successful validation (`options.require_validate_callback_success`, which our integration and KCO 1.x set), and
 * completes the purchase without an answer after 3 s otherwise. The callback may use that time, less a margin for
 * the answer's way back (DEFAULT_MARGIN_MS, filter `kco_validation_deadline_margin_ms`), counted from the moment
 * the request arrived (REQUEST_TIME_FLOAT): time spent waiting in php-fpm's queue is time Klarna has already
 * waited. A callback that can still be decided before the deadline is decided, however long it queued.
 *
 * While attached, a `query` filter (wpdb::query() applies it to every statement) gives each SELECT its own limit:
 * the time left before the deadline, capped per query (the setting "Query time limit", option
 * `kco_validation_time_budget_ms`, default DEFAULT_MS), so a stalled database holds a worker for one capped wait,
 * never until Klarna gives up: MariaDB 10.1+ `SET STATEMENT max_statement_time=<s> FOR SELECT …` (aborts lock
 * waits too), MySQL 5.7.8+ `SELECT /*+ MAX_EXECUTION_TIME(<ms>) *\/ …`. A query asked for after the deadline is not
 * run. Whichever way the time runs out, the callback ends in the internal-fault policy's answer
 * (TimeBudgetExceeded), before Klarna gives up. Writes are limited only on request (limit_session(), for the stock
 * claim). On another server only the between-step checks apply.
 *
 * wpdb checks a statement with non-ASCII text (an emoji SKU, a coupon "SOMMAR-Ö") against the charset of the table
 * it names, which it finds only in a statement that starts with SELECT; on MariaDB such a SELECT keeps its text and
 * the limit is set for the session just before it instead (`SET SESSION max_statement_time`, one more statement),
 * and put back when the budget is detached.
 */
class TimeBudget {

	/** How long Klarna waits with `require_validate_callback_success` (then refuses the purchase), milliseconds. */
	const KLARNA_WAITS_MS = 10000;

	/** How long Klarna waits otherwise (then completes the purchase without an answer), milliseconds. */
	const KLARNA_EXPECTS_MS = 3000;

	/** Kept free before Klarna's limit for the answer's way back, milliseconds. */
	const DEFAULT_MARGIN_MS = 1000;

	/** Default limit of one query, milliseconds (the setting "Query time limit"). */
	const DEFAULT_MS = 2000;

	/** Bounds of the per-query limit setting, milliseconds. */
	const MIN_MS = 200;
	const MAX_MS = 8000;

	/** Deadline, seconds since the epoch (microtime). */
	private float $deadline;

	/** Milliseconds from arrival to the deadline. */
	private int $deadline_ms;

	/** The limit of one query, milliseconds. */
	private int $query_ms;

	/** 'mariadb', 'mysql' or '' (no server-side limit). */
	private string $server;

	/** The filter callback while attached. */
	private ?\Closure $filter = null;

	/** The database whose queries are limited (for the session-level limit). @var object|null */
	private $wpdb = null;

	/** Whether a session-level limit was set (and must be put back): 'max_statement_time', 'innodb_lock_wait_timeout' or ''. */
	private string $session_limit = '';

	/**
	 * Constructor.
	 *
	 * @param int         $query_ms    The limit of one query, milliseconds (bounded to MIN_MS..MAX_MS).
	 * @param float       $arrival     When the request arrived (microtime).
	 * @param string      $server      'mariadb', 'mysql' or ''.
	 * @param object|null $wpdb        The database (for the session-level limit).
	 * @param int         $deadline_ms Milliseconds from arrival to the deadline (default: Klarna's 10 s less the margin).
	 */
	public function __construct( int $query_ms, float $arrival, string $server, $wpdb = null, int $deadline_ms = self::KLARNA_WAITS_MS - self::DEFAULT_MARGIN_MS ) {
		$this->query_ms    = max( self::MIN_MS, min( self::MAX_MS, $query_ms ) );
		$this->deadline_ms = max( 0, $deadline_ms );
		$this->deadline    = $arrival + $this->deadline_ms / 1000;
		$this->server      = $server;
		$this->wpdb        = is_object( $wpdb ) ? $wpdb : null;
	}

	/**
	 * The budget for this request, counted from its arrival, for the server behind $wpdb.
	 *
	 * @param int         $query_ms    The limit of one query, milliseconds.
	 * @param int         $deadline_ms Milliseconds from arrival to the deadline (Settings::deadline_ms()).
	 * @param object|null $wpdb        The database (wpdb).
	 */
	public static function start( int $query_ms, int $deadline_ms, $wpdb = null ): self {
		$now     = microtime( true );
		$arrival = isset( $_SERVER['REQUEST_TIME_FLOAT'] ) && is_float( $_SERVER['REQUEST_TIME_FLOAT'] ) ? $_SERVER['REQUEST_TIME_FLOAT'] : $now;
		// Under the CLI (WP-CLI, replay, tests) REQUEST_TIME_FLOAT is when the process started; a clock step makes it
		// meaningless: then count from now.
		if ( 'cli' === PHP_SAPI || $arrival > $now || $now - $arrival > 60 ) {
			$arrival = $now;
		}
		return new self( $query_ms, $arrival, self::server_kind( $wpdb ), $wpdb, $deadline_ms );
	}

	/**
	 * How long Klarna waits for this order's answer, milliseconds: 10 s when it requires a successful validation,
	 * 3 s otherwise.
	 *
	 * @param bool $requires_success `options.require_validate_callback_success` (Order::requiresValidateSuccess()).
	 */
	public static function klarna_limit_ms( bool $requires_success ): int {
		return $requires_success ? self::KLARNA_WAITS_MS : self::KLARNA_EXPECTS_MS;
	}

	/**
	 * Which server-side limit the database understands.
	 *
	 * @param object|null $wpdb The database (wpdb).
	 */
	public static function server_kind( $wpdb ): string {
		if ( ! is_object( $wpdb ) || ! method_exists( $wpdb, 'db_server_info' ) ) {
			return '';
		}
		$info = (string) $wpdb->db_server_info();
		if ( 1 === preg_match( '/(\d+)\.(\d+)\.(\d+)-MariaDB/i', $info, $m ) || 1 === preg_match( '/MariaDB.*?(\d+)\.(\d+)\.(\d+)/i', $info, $m ) ) {
			return version_compare( "{$m[1]}.{$m[2]}.{$m[3]}", '10.1.2', '>=' ) ? 'mariadb' : '';
		}
		if ( 1 === preg_match( '/^(\d+)\.(\d+)\.(\d+)/', $info, $m ) ) {
			return version_compare( "{$m[1]}.{$m[2]}.{$m[3]}", '5.7.8', '>=' ) ? 'mysql' : '';
		}
		return '';
	}

	/** The limit of one query, milliseconds. */
	public function query_ms(): int {
		return $this->query_ms;
	}

	/** Milliseconds from arrival to the deadline. */
	public function deadline_ms(): int {
		return $this->deadline_ms;
	}

	/** Seconds left before the deadline (negative once past it). */
	public function remaining(): float {
		return $this->deadline - microtime( true );
	}

	/** Whether the deadline has passed. */
	public function expired(): bool {
		return $this->remaining() <= 0;
	}

	/**
	 * The limit for a statement started now, in seconds: the time left before the deadline, at most one query's
	 * limit.
	 *
	 * @throws TimeBudgetExceeded When the deadline has passed.
	 */
	public function statement_seconds(): float {
		$left = $this->remaining();
		if ( $left <= 0 ) {
			throw new TimeBudgetExceeded( $this->message( 'before a query could run' ) );
		}
		return min( $left, $this->query_ms / 1000 );
	}

	/**
	 * Whether a fault is the time running out: a statement cut by its limit (MariaDB "max_statement_time exceeded",
	 * MySQL "maximum statement execution time exceeded", a lock wait that timed out under limit_session()), or any
	 * fault within 50 ms of the deadline (the server rounds the limit, so the cut can come a hair early).
	 *
	 * @param \Throwable $e The fault.
	 */
	public function explains( \Throwable $e ): bool {
		if ( $e instanceof TimeBudgetExceeded || $this->remaining() <= 0.05 ) {
			return true;
		}
		$message = $e->getMessage();
		return str_contains( $message, 'max_statement_time exceeded' ) || str_contains( $message, 'maximum statement execution time exceeded' )
			|| ( 'innodb_lock_wait_timeout' === $this->session_limit && str_contains( $message, 'Lock wait timeout exceeded' ) );
	}

	/**
	 * Throws when the deadline has passed.
	 *
	 * @param string $stage What was being done (for the log line).
	 * @throws TimeBudgetExceeded When the deadline has passed.
	 */
	public function check( string $stage ): void {
		if ( $this->expired() ) {
			throw new TimeBudgetExceeded( $this->message( $stage ) );
		}
	}

	/**
	 * The log text for a stage: the deadline when it has (all but) passed, else one query's limit.
	 *
	 * @param string $stage What was being done.
	 */
	public function message( string $stage ): string {
		if ( $this->remaining() <= 0.05 ) {
			return sprintf( "deadline of %d ms after the request's arrival passed %s", $this->deadline_ms, $stage );
		}
		return sprintf( 'query time limit of %d ms exceeded %s', $this->query_ms, $stage );
	}

	/**
	 * Limits every statement of this connection from now on, writes included, until detach(): the limit for a
	 * statement started now (statement_seconds()). MariaDB: `SET SESSION max_statement_time`; MySQL, whose
	 * MAX_EXECUTION_TIME limits SELECTs only: `SET SESSION innodb_lock_wait_timeout` (whole seconds, at least 1).
	 * For a short run of writes (the stock claim).
	 *
	 * @throws TimeBudgetExceeded When the deadline has passed.
	 */
	public function limit_session(): void {
		$seconds = $this->statement_seconds();
		if ( null === $this->wpdb ) {
			return;
		}
		if ( 'mariadb' === $this->server ) {
			$this->session_limit = 'max_statement_time';
			$this->wpdb->query( sprintf( 'SET SESSION max_statement_time=%.3F', max( 0.001, $seconds ) ) );
		} elseif ( 'mysql' === $this->server ) {
			$this->session_limit = 'innodb_lock_wait_timeout';
			$this->wpdb->query( sprintf( 'SET SESSION innodb_lock_wait_timeout=%d', max( 1, (int) ceil( $seconds ) ) ) );
		}
	}

	/**
	 * One write statement with its limit (the stock claim): MariaDB `SET STATEMENT max_statement_time=<s> FOR …`
	 * (lock waits included); MySQL, which has no per-statement limit for writes, limits the session's lock waits
	 * (limit_session(), put back by detach()). Nothing without a database.
	 *
	 * @param string $sql The statement.
	 * @throws TimeBudgetExceeded When the deadline has passed.
	 */
	public function limit_write( string $sql ): string {
		$seconds = $this->statement_seconds();
		if ( 'mariadb' === $this->server && 1 !== preg_match( '/[^\x00-\x7F]/', $sql ) ) {
			return sprintf( 'SET STATEMENT max_statement_time=%.3F FOR ', max( 0.001, $seconds ) ) . ltrim( $sql );
		}
		$this->limit_session();
		return $sql;
	}

	/**
	 * Limits the SELECTs run from now on (the `query` filter, as late as possible so other filters see the
	 * statement as written).
	 */
	public function attach(): void {
		if ( null !== $this->filter ) {
			return;
		}
		$this->filter = fn ( $sql ) => $this->limit( $sql );
		add_filter( 'query', $this->filter, PHP_INT_MAX );
	}

	/**
	 * Stops limiting.
	 */
	public function detach(): void {
		if ( null !== $this->filter ) {
			remove_filter( 'query', $this->filter, PHP_INT_MAX );
			$this->filter = null;
		}
		if ( '' !== $this->session_limit && null !== $this->wpdb ) {
			$variable            = $this->session_limit;
			$this->session_limit = '';
			$this->wpdb->query( "SET SESSION {$variable}=DEFAULT" );
		}
	}

	/**
	 * One statement with its limit: the time left before the deadline, at most one query's limit. A SELECT asked
	 * for after the deadline is refused.
	 *
	 * @param mixed $sql The statement.
	 * @return mixed
	 * @throws TimeBudgetExceeded When a SELECT is asked for after the deadline.
	 */
	public function limit( $sql ) {
		if ( ! is_string( $sql ) || 1 !== preg_match( '/^\s*SELECT\b/i', $sql ) ) {
			return $sql;
		}
		$seconds = $this->statement_seconds();
		if ( 'mariadb' === $this->server ) {
			if ( 1 === preg_match( '/[^\x00-\x7F]/', $sql ) ) {
				// Keep the statement as written for wpdb's charset check; limit the session instead.
				if ( null !== $this->wpdb && 'innodb_lock_wait_timeout' !== $this->session_limit ) {
					$this->session_limit = 'max_statement_time';
					$this->wpdb->query( sprintf( 'SET SESSION max_statement_time=%.3F', max( 0.001, $seconds ) ) );
				}
				return $sql;
			}
			return sprintf( 'SET STATEMENT max_statement_time=%.3F FOR ', max( 0.001, $seconds ) ) . ltrim( $sql );
		}
		if ( 'mysql' === $this->server ) {
			return (string) preg_replace( '/^\s*SELECT\b/i', sprintf( 'SELECT /*+ MAX_EXECUTION_TIME(%d) */', max( 1, (int) ceil( $seconds * 1000 ) ) ), $sql, 1 );
		}
		return $sql;
	}
}
