<?php
/**
 * The comparisons table: one row per compared callback, codes only.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin\Tools\Compare;

defined( 'ABSPATH' ) || exit;

/**
 * `{$wpdb->prefix}kco_validation_compare`, installed and upgraded with the decision log (Tools\DecisionLog): time
 * (UTC), Klarna order id, the WooCommerce version compared against, status (`agree`, `disagree`, `skipped`,
 * `error`), our codes and WooCommerce's (of the compared areas), the areas that disagree, and a JSON detail (per
 * area each side's codes and reasons, WooCommerce's facts, why it was skipped, the class of a fault). No session
 * key, email, name or address is ever written. Trimmed with the decision log, by the same retention settings.
 */
class CompareLog {

	/** Statuses written. */
	const STATUSES = array( 'agree', 'disagree', 'skipped', 'error' );

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
		return $this->wpdb->prefix . 'kco_validation_compare';
	}

	/**
	 * The dbDelta() SQL of the table (DecisionLog::schema() adds it to its own).
	 *
	 * @param string $collate Charset and collation clause.
	 */
	public function schema( string $collate ): string {
		return "CREATE TABLE {$this->table()} (
  id bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  created_at datetime NOT NULL,
  klarna_order_id varchar(64) NOT NULL DEFAULT '',
  wc_version varchar(20) NOT NULL DEFAULT '',
  status varchar(12) NOT NULL,
  ours varchar(500) NOT NULL DEFAULT '',
  woocommerce varchar(500) NOT NULL DEFAULT '',
  areas varchar(200) NOT NULL DEFAULT '',
  detail text NOT NULL,
  duration_ms decimal(10,2) unsigned NOT NULL DEFAULT '0.00',
  PRIMARY KEY  (id),
  KEY created_at (created_at),
  KEY status_created (status,created_at),
  KEY klarna_order_id (klarna_order_id)
) {$collate};";
	}

	/**
	 * Writes one comparison.
	 *
	 * @param string               $order_id    Klarna order id.
	 * @param string               $wc_version  WooCommerce version.
	 * @param string               $status      One of STATUSES.
	 * @param list<string>         $ours        Our codes (compared areas).
	 * @param list<string>         $woocommerce WooCommerce's codes.
	 * @param list<string>         $areas       Areas that disagree.
	 * @param array<string, mixed> $detail      Detail (codes, reasons, facts: no personal data).
	 * @param float                $ms          Time the comparison took.
	 * @param int|null             $time        Unix time (tests).
	 */
	public function record( string $order_id, string $wc_version, string $status, array $ours, array $woocommerce, array $areas, array $detail, float $ms, ?int $time = null ): bool {
		$result = $this->wpdb->insert(
			$this->table(),
			array(
				'created_at'      => gmdate( 'Y-m-d H:i:s', $time ?? time() ),
				'klarna_order_id' => substr( (string) preg_replace( '/[^A-Za-z0-9_-]/', '', $order_id ), 0, 64 ),
				'wc_version'      => substr( (string) preg_replace( '/[^A-Za-z0-9._-]/', '', $wc_version ), 0, 20 ),
				'status'          => in_array( $status, self::STATUSES, true ) ? $status : 'error',
				'ours'            => self::codes_column( $ours, 500 ),
				'woocommerce'     => self::codes_column( $woocommerce, 500 ),
				'areas'           => self::codes_column( $areas, 200 ),
				'detail'          => (string) wp_json_encode( $detail, JSON_UNESCAPED_SLASHES ),
				'duration_ms'     => round( max( 0.0, min( 99999999.0, $ms ) ), 2 ),
			),
			array( '%s', '%s', '%s', '%s', '%s', '%s', '%s', '%s', '%f' )
		);
		return false !== $result;
	}

	/**
	 * One page of rows, newest first.
	 *
	 * @param array<string, mixed> $filters status, since (UTC datetime), order_id.
	 * @param int                  $page    1-based page.
	 * @param int                  $per     Rows per page.
	 * @return array{rows: list<array<string, mixed>>, total: int, pages: int, page: int}
	 */
	public function query( array $filters = array(), int $page = 1, int $per = 50 ): array {
		$per   = max( 1, min( 500, $per ) );
		$sql   = array();
		$args  = array();
		$table = $this->table();
		if ( isset( $filters['status'] ) && in_array( $filters['status'], self::STATUSES, true ) ) {
			$sql[]  = 'status = %s';
			$args[] = $filters['status'];
		}
		if ( isset( $filters['since'] ) && is_string( $filters['since'] ) && '' !== $filters['since'] ) {
			$time = strtotime( $filters['since'] . ( 10 === strlen( $filters['since'] ) ? ' 00:00:00' : '' ) . ' UTC' );
			if ( false !== $time ) {
				$sql[]  = 'created_at >= %s';
				$args[] = gmdate( 'Y-m-d H:i:s', $time );
			}
		}
		if ( isset( $filters['order_id'] ) && is_string( $filters['order_id'] ) && '' !== $filters['order_id'] ) {
			$sql[]  = 'klarna_order_id = %s';
			$args[] = $filters['order_id'];
		}
		$where = array() === $sql ? '' : 'WHERE ' . implode( ' AND ', $sql );
		$total = (int) $this->wpdb->get_var( $this->prepare( "SELECT COUNT(*) FROM {$table} {$where}", $args ) );
		$pages = max( 1, (int) ceil( $total / $per ) );
		$page  = max( 1, min( $pages, $page ) );
		$rows  = $this->wpdb->get_results(
			$this->prepare( "SELECT id, created_at, klarna_order_id, wc_version, status, ours, woocommerce, areas, detail, duration_ms FROM {$table} {$where} ORDER BY created_at DESC, id DESC LIMIT %d OFFSET %d", array_merge( $args, array( $per, ( $page - 1 ) * $per ) ) ),
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
	 * Counts by status since a time, and the WooCommerce versions compared against.
	 *
	 * @param string $since UTC datetime ('' for all).
	 * @return array{total: int, counts: array<string, int>, versions: list<string>}
	 */
	public function summary( string $since = '' ): array {
		$table  = $this->table();
		$where  = '' === $since ? '' : $this->wpdb->prepare( 'WHERE created_at >= %s', $since );
		$rows   = $this->wpdb->get_results( "SELECT status, wc_version, COUNT(*) AS n FROM {$table} {$where} GROUP BY status, wc_version", ARRAY_A ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
		$counts = array_fill_keys( self::STATUSES, 0 );
		$total  = 0;
		$vers   = array();
		foreach ( is_array( $rows ) ? $rows : array() as $row ) {
			$status = (string) $row['status'];
			if ( isset( $counts[ $status ] ) ) {
				$counts[ $status ] += (int) $row['n'];
			}
			$total += (int) $row['n'];
			if ( '' !== (string) $row['wc_version'] && ! in_array( (string) $row['wc_version'], $vers, true ) ) {
				$vers[] = (string) $row['wc_version'];
			}
		}
		sort( $vers );
		return array(
			'total'    => $total,
			'counts'   => $counts,
			'versions' => $vers,
		);
	}

	/**
	 * Deletes rows older than $days, then all but the newest $rows (as DecisionLog::prune()).
	 *
	 * @param int      $days Days kept.
	 * @param int      $rows Rows kept.
	 * @param int|null $now  Unix time (tests).
	 * @return int Rows deleted.
	 */
	public function prune( int $days, int $rows, ?int $now = null ): int {
		$table    = $this->table();
		$cutoff   = gmdate( 'Y-m-d H:i:s', ( $now ?? time() ) - $days * DAY_IN_SECONDS );
		$deleted  = (int) $this->wpdb->query( $this->wpdb->prepare( "DELETE FROM {$table} WHERE created_at < %s", $cutoff ) ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
		$boundary = $this->wpdb->get_var( $this->wpdb->prepare( "SELECT id FROM {$table} ORDER BY id DESC LIMIT 1 OFFSET %d", $rows ) ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
		if ( null !== $boundary ) {
			$deleted += (int) $this->wpdb->query( $this->wpdb->prepare( "DELETE FROM {$table} WHERE id <= %d", (int) $boundary ) ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
		}
		return $deleted;
	}

	/**
	 * Drops the table (uninstall).
	 */
	public function drop(): void {
		$this->wpdb->query( "DROP TABLE IF EXISTS {$this->table()}" ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared,WordPress.DB.DirectDatabaseQuery.SchemaChange
	}

	/**
	 * A row with typed values, code columns as lists and the detail decoded.
	 *
	 * @param array<string, mixed> $row Row.
	 * @return array<string, mixed>
	 */
	public static function row( array $row ): array {
		$list   = static function ( $value ): array {
			$value = trim( (string) $value, ',' );
			return '' === $value ? array() : explode( ',', $value );
		};
		$detail = json_decode( (string) ( $row['detail'] ?? '' ), true );
		return array(
			'id'              => (int) $row['id'],
			'created_at'      => (string) $row['created_at'],
			'klarna_order_id' => (string) $row['klarna_order_id'],
			'wc_version'      => (string) $row['wc_version'],
			'status'          => (string) $row['status'],
			'ours'            => $list( $row['ours'] ?? '' ),
			'woocommerce'     => $list( $row['woocommerce'] ?? '' ),
			'areas'           => $list( $row['areas'] ?? '' ),
			'detail'          => is_array( $detail ) ? $detail : array(),
			'duration_ms'     => (float) $row['duration_ms'],
		);
	}

	/**
	 * Codes as a `,a,b,` column (LIKE-searchable), cleaned and capped.
	 *
	 * @param list<string> $codes Codes.
	 * @param int          $max   Column width.
	 */
	private static function codes_column( array $codes, int $max ): string {
		$clean = array();
		foreach ( $codes as $code ) {
			$code = is_string( $code ) ? (string) preg_replace( '/[^a-z0-9_]/', '', strtolower( $code ) ) : '';
			if ( '' !== $code && ! in_array( $code, $clean, true ) ) {
				$clean[] = $code;
			}
		}
		return array() === $clean ? '' : substr( ',' . implode( ',', $clean ) . ',', 0, $max );
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
}
