<?php
/**
 * The time guard of one callback: every SELECT the callback runs gets the time left as its own server-side limit.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin\Snapshot;

defined( 'ABSPATH' ) || exit;

/**
 * Klarna expects an answer within 3 s and gives up at 10 s; a database that stalls (a lock held by a backup or an
 * import, an overloaded server) must not keep the shopper waiting until then. The deadline counts from the moment
 * the request arrived (REQUEST_TIME_FLOAT), not from when WordPress finished loading.
 *
 * While attached, a `query` filter (wpdb::query() applies it to every statement) gives each SELECT the time left:
 * MariaDB 10.1+ `SET STATEMENT max_statement_time=<s> FOR SELECT …` (aborts lock waits too), MySQL 5.7.8+
 * `SELECT /*+ MAX_EXECUTION_TIME(<ms>) *\/ …`. A query asked for after the deadline is not run. Whichever way the
 * budget runs out, the callback ends in the internal-fault policy's answer (TimeBudgetExceeded), well before
 * Klarna gives up. Writes are never touched. On another server only the between-step checks apply.
 *
 * wpdb checks a statement with non-ASCII text (an emoji SKU, a coupon "SOMMAR-Ö") against the charset of the table
 * it names, which it finds only in a statement that starts with SELECT; on MariaDB such a SELECT keeps its text and
 * the limit is set for the session just before it instead (`SET SESSION max_statement_time`, one more statement),
 * and put back when the budget is detached.
 */
class TimeBudget {

	/** Default budget, milliseconds from the request's arrival. */
	const DEFAULT_MS = 2000;

	/** Bounds of the budget setting, milliseconds. */
	const MIN_MS = 200;
	const MAX_MS = 8000;

	/** Deadline, seconds since the epoch (microtime). */
	private float $deadline;

	/** The budget, milliseconds. */
	private int $budget_ms;

	/** 'mariadb', 'mysql' or '' (no server-side limit). */
	private string $server;

	/** The filter callback while attached. */
	private ?\Closure $filter = null;

	/** The database whose queries are limited (for the session-level limit). @var object|null */
	private $wpdb = null;

	/** Whether the session-level limit was set (and must be put back). */
	private bool $session_limit = false;

	/**
	 * Constructor.
	 *
	 * @param int         $budget_ms Budget in milliseconds.
	 * @param float       $start     When the request arrived (microtime).
	 * @param string      $server    'mariadb', 'mysql' or ''.
	 * @param object|null $wpdb      The database (for the session-level limit).
	 */
	public function __construct( int $budget_ms, float $start, string $server, $wpdb = null ) {
		$this->budget_ms = max( self::MIN_MS, min( self::MAX_MS, $budget_ms ) );
		$this->deadline  = $start + $this->budget_ms / 1000;
		$this->server    = $server;
		$this->wpdb      = is_object( $wpdb ) ? $wpdb : null;
	}

	/**
	 * The budget for this request, counted from its arrival, for the server behind $wpdb.
	 *
	 * @param int         $budget_ms Budget in milliseconds.
	 * @param object|null $wpdb      The database (wpdb).
	 */
	public static function start( int $budget_ms, $wpdb = null ): self {
		$now     = microtime( true );
		$arrival = isset( $_SERVER['REQUEST_TIME_FLOAT'] ) && is_float( $_SERVER['REQUEST_TIME_FLOAT'] ) ? $_SERVER['REQUEST_TIME_FLOAT'] : $now;
		// Under the CLI (WP-CLI, replay, tests) REQUEST_TIME_FLOAT is when the process started; a clock step makes it
		// meaningless: then count from now.
		if ( 'cli' === PHP_SAPI || $arrival > $now || $now - $arrival > 60 ) {
			$arrival = $now;
		}
		return new self( $budget_ms, $arrival, self::server_kind( $wpdb ), $wpdb );
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

	/** The budget in milliseconds. */
	public function budget_ms(): int {
		return $this->budget_ms;
	}

	/** Seconds left (negative once past the deadline). */
	public function remaining(): float {
		return $this->deadline - microtime( true );
	}

	/** Whether the deadline has passed. */
	public function expired(): bool {
		return $this->remaining() <= 0;
	}

	/**
	 * Whether a fault is the budget running out: a statement cut by its limit (MariaDB "max_statement_time
	 * exceeded", MySQL "maximum statement execution time exceeded"), or any fault within 50 ms of the deadline (the
	 * server rounds the limit, so the cut can come a hair early).
	 *
	 * @param \Throwable $e The fault.
	 */
	public function explains( \Throwable $e ): bool {
		if ( $e instanceof TimeBudgetExceeded || $this->remaining() <= 0.05 ) {
			return true;
		}
		$message = $e->getMessage();
		return str_contains( $message, 'max_statement_time exceeded' ) || str_contains( $message, 'maximum statement execution time exceeded' );
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
	 * The log text for a stage.
	 *
	 * @param string $stage What was being done.
	 */
	public function message( string $stage ): string {
		return sprintf( 'time budget of %d ms exceeded %s', $this->budget_ms, $stage );
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
		if ( $this->session_limit && null !== $this->wpdb ) {
			$this->session_limit = false;
			$this->wpdb->query( 'SET SESSION max_statement_time=DEFAULT' );
		}
	}

	/**
	 * One statement with the time left as its limit. A SELECT asked for after the deadline is refused.
	 *
	 * @param mixed $sql The statement.
	 * @return mixed
	 * @throws TimeBudgetExceeded When a SELECT is asked for after the deadline.
	 */
	public function limit( $sql ) {
		if ( ! is_string( $sql ) || 1 !== preg_match( '/^\s*SELECT\b/i', $sql ) ) {
			return $sql;
		}
		$left = $this->remaining();
		if ( $left <= 0 ) {
			throw new TimeBudgetExceeded( $this->message( 'before a query could run' ) );
		}
		if ( 'mariadb' === $this->server ) {
			if ( 1 === preg_match( '/[^\x00-\x7F]/', $sql ) ) {
				// Keep the statement as written for wpdb's charset check; limit the session instead.
				if ( null !== $this->wpdb ) {
					$this->session_limit = true;
					$this->wpdb->query( sprintf( 'SET SESSION max_statement_time=%.3F', max( 0.001, $left ) ) );
				}
				return $sql;
			}
			return sprintf( 'SET STATEMENT max_statement_time=%.3F FOR ', max( 0.001, $left ) ) . ltrim( $sql );
		}
		if ( 'mysql' === $this->server ) {
			return (string) preg_replace( '/^\s*SELECT\b/i', sprintf( 'SELECT /*+ MAX_EXECUTION_TIME(%d) */', max( 1, (int) ceil( $left * 1000 ) ) ), $sql, 1 );
		}
		return $sql;
	}
}
