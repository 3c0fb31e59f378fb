<?php
/**
 * The stock claims table: what approved Klarna orders take from stock until WooCommerce creates their orders.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin\Claims;

use KcoValidation\Plugin\Snapshot\ReservedStock;
use KcoValidation\Plugin\Snapshot\TimeBudget;

defined( 'ABSPATH' ) || exit;

/**
 * `{$wpdb->prefix}kco_validation_claims`: one row per Klarna order and stock owner: the quantity an approval took,
 * the shopper's own pending WooCommerce order when there was one (Kustom Checkout 2.x creates it before Klarna's
 * callback), and when the claim expires.
 *
 * A claim is made the way WooCommerce's own ReserveStock::reserve_stock_for_product() reserves stock
 * (src/Checkout/Helpers/ReserveStock.php): `INSERT … SELECT … FROM DUAL WHERE (stock FOR UPDATE) − (held FOR
 * UPDATE) >= quantity`, which inserts only while the stock left covers the quantity — one such SELECT per stock
 * owner, joined with UNION ALL into one INSERT, inside one transaction that keeps all rows or none (claim()). Held, here and in every decision's snapshot (held()), is what
 * WooCommerce holds for other checkouts (ReservedStock) plus the unexpired claims of other Klarna orders; a claim
 * whose own WooCommerce order already holds WooCommerce's reservation for the same product counts only for what that
 * reservation does not cover (never twice).
 *
 * Created and upgraded with dbDelta() on activation and on admin_init when the stored schema version differs
 * (as Tools\DecisionLog); until then nothing is claimed and nothing is read.
 */
class ClaimStore {

	/** Bump when the CREATE TABLE below changes. */
	const SCHEMA_VERSION = '1';

	/** Option holding the installed schema version (autoloaded: reading it costs no query). */
	const SCHEMA_OPTION = 'kco_validation_claims_schema';

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
		return $this->wpdb->prefix . 'kco_validation_claims';
	}

	/**
	 * Whether the table is installed in its current shape.
	 */
	public static function installed(): bool {
		return self::SCHEMA_VERSION === (string) get_option( self::SCHEMA_OPTION, '' );
	}

	/**
	 * The dbDelta() SQL: two spaces after PRIMARY KEY, one field per line, KEY not INDEX.
	 */
	public function schema(): string {
		$collate = $this->wpdb->get_charset_collate();
		return "CREATE TABLE {$this->table()} (
  klarna_order_id varchar(64) NOT NULL,
  product_id bigint(20) unsigned NOT NULL,
  quantity bigint(20) NOT NULL DEFAULT '0',
  wc_order_id bigint(20) unsigned NOT NULL DEFAULT '0',
  created_at datetime NOT NULL,
  expires datetime NOT NULL,
  PRIMARY KEY  (klarna_order_id,product_id),
  KEY product_expires (product_id,expires),
  KEY wc_order_id (wc_order_id)
) {$collate};";
	}

	/**
	 * Creates or upgrades the table when the stored schema version differs. Returns whether it ran dbDelta().
	 */
	public function maybe_install(): bool {
		if ( self::installed() ) {
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
		dbDelta( $this->schema() );
		update_option( self::SCHEMA_OPTION, self::SCHEMA_VERSION, true );
	}

	/**
	 * The plugin's activation hook and admin_init: creates or upgrades the table.
	 */
	public static function activate(): void {
		( new self() )->maybe_install();
	}

	/**
	 * Drops the table and forgets its schema version (uninstall).
	 */
	public function uninstall(): void {
		$this->wpdb->query( "DROP TABLE IF EXISTS {$this->table()}" ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared,WordPress.DB.DirectDatabaseQuery.SchemaChange
		delete_option( self::SCHEMA_OPTION );
	}

	/**
	 * A prepared statement of `product_id`, `held` rows: the unexpired claims of other Klarna orders on these stock
	 * owners (query 3 of the snapshot joins it to WooCommerce's own holds: Snapshot\ProductRepository::held_stock()).
	 *
	 * @param list<int> $owner_ids       Stock owner ids (with every translation's id in a multilingual shop).
	 * @param string    $klarna_order_id The order being decided (its own claims are not held against it).
	 * @param int       $own_order       The shopper's own pending WooCommerce order (0: none).
	 */
	public function held( array $owner_ids, string $klarna_order_id, int $own_order ): ?string {
		if ( array() === $owner_ids ) {
			return null;
		}
		return 'SELECT c.product_id AS product_id, ' . $this->counted( 'c' ) . ' AS held FROM ' . $this->table() . ' c WHERE '
			. $this->others( 'c', $owner_ids, $klarna_order_id, $own_order ) . ' GROUP BY c.product_id';
	}

	/**
	 * Claims, for one Klarna order, the quantity of each stock owner, atomically: all or none, in ONE statement
	 * (a callback's own queries are few: issue 14). The order's earlier claim is replaced in the same statement: its
	 * rows for these owners are updated (ON DUPLICATE KEY UPDATE), its rows for owners it no longer has are
	 * expired (never counted again, deleted with the expired ones), so a second validation of the same order claims
	 * afresh and is never counted twice.
	 *
	 *     INSERT INTO claims (…)
	 *       SELECT x.* FROM ( wanted rows UNION ALL the order's other rows, expired ) x
	 *       JOIN ( SELECT MIN( ok ) AS ok FROM ( SELECT available(owner 1) >= quantity 1 UNION ALL … ) g ) gate ON gate.ok = 1
	 *     ON DUPLICATE KEY UPDATE …
	 *
	 * The gate is one derived table of one row, materialized once, that reads each owner's stock, WooCommerce's holds and
	 * the other orders' claims with locking reads, owners in ascending id order: whoever claims the same owner waits
	 * on its stock row until this statement ends (InnoDB ends an autocommitted statement's locks with it). No
	 * transaction, no isolation change, no lock statement: the statement is atomic on its own. A deadlock (two
	 * claims' gap locks on the claims table) fails one statement at once; it is run again, once. The statement is
	 * limited by the budget (MariaDB: SET STATEMENT max_statement_time; MySQL: the session's lock wait, put back when
	 * the budget is detached).
	 *
	 * Returns null when claimed; otherwise, for every owner, the stock and the held quantity as they stand after the
	 * refusal (one more statement), so the order can be decided again on them.
	 *
	 * @param string                                               $klarna_order_id Klarna's order id.
	 * @param array<int, array{quantity: int, members: list<int>}> $owners          Per stock owner id: the quantity, and its ids (its translations' too).
	 * @param int                                                  $own_order       The shopper's own pending WooCommerce order (0: none).
	 * @param int                                                  $minutes         How long the claim lasts.
	 * @param TimeBudget|null                                      $budget          The callback's time guard.
	 * @return array<int, array{stock: int, held: int}>|null
	 * @throws \RuntimeException On a database error (a lock wait cut by its limit included).
	 */
	public function claim( string $klarna_order_id, array $owners, int $own_order, int $minutes, ?TimeBudget $budget = null ): ?array {
		$wpdb = $this->wpdb;
		ksort( $owners );
		$table  = $this->table();
		$wanted = array();
		$gate   = array();
		foreach ( $owners as $owner => $want ) {
			$wanted[] = (string) $wpdb->prepare( 'SELECT %s AS k, %d AS p, %d AS q', $klarna_order_id, $owner, $want['quantity'] );
			$gate[]   = 'SELECT ( ' . $this->available( $owner, $want['members'], $klarna_order_id, $own_order ) . ' >= ' . (int) $want['quantity'] . ' ) AS ok';
		}
		$ids   = implode( ',', array_map( 'intval', array_keys( $owners ) ) );
		// The order's rows for owners it no longer has: expired by the same statement (quantity 0, expires now).
		$stale = (string) $wpdb->prepare( "SELECT s.klarna_order_id, s.product_id, 0, %d, NOW(), NOW() FROM {$table} s WHERE s.klarna_order_id = %s AND s.product_id NOT IN ({$ids}) AND s.expires > NOW()", max( 0, $own_order ), $klarna_order_id ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
		$sql   = "INSERT INTO {$table} ( klarna_order_id, product_id, quantity, wc_order_id, created_at, expires ) "
			. 'SELECT x.* FROM ( SELECT r.k, r.p, r.q, ' . max( 0, $own_order ) . ' AS w, NOW() AS c, NOW() + INTERVAL ' . max( 1, $minutes ) . ' MINUTE AS e FROM ( ' . implode( ' UNION ALL ', $wanted ) . ' ) r'
			. ' UNION ALL ' . $stale . ' ) x'
			// The gate as a one-row derived table: materialized once (a subquery in WHERE ran once per row: 100 owners
			// made it 100 × 100 stock reads, 30 ms instead of 0.5).
			. ' JOIN ( SELECT MIN( g.ok ) AS ok FROM ( ' . implode( ' UNION ALL ', $gate ) . ' ) g ) gate ON gate.ok = 1'
			. ' ON DUPLICATE KEY UPDATE quantity = VALUES( quantity ), wc_order_id = VALUES( wc_order_id ), created_at = VALUES( created_at ), expires = VALUES( expires )';
		$sql = null === $budget ? $sql : $budget->limit_write( $sql );
		for ( $attempt = 1; ; $attempt++ ) {
			$result = $wpdb->query( $sql ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- prepared above.
			if ( false !== $result && '' === (string) $wpdb->last_error ) {
				break;
			}
			if ( $attempt < 2 && str_contains( (string) $wpdb->last_error, 'Deadlock found' ) ) {
				continue;
			}
			throw new \RuntimeException( 'database error claiming stock: ' . $wpdb->last_error );
		}
		$passed = self::rows_selected( $wpdb );
		if ( true === $passed ) {
			return null;
		}
		// Refused, or not known (without mysqli's report): nothing written is a refusal — or the same claim made again
		// within the same second (every value unchanged); the stock as it stands tells.
		$standing = $this->standing( $owners, $klarna_order_id, $own_order );
		if ( false === $passed ) {
			return $standing;
		}
		foreach ( $owners as $owner => $want ) {
			if ( ! isset( $standing[ $owner ] ) || $standing[ $owner ]['stock'] - $standing[ $owner ]['held'] < $want['quantity'] ) {
				return $standing;
			}
		}
		return null;
	}

	/**
	 * Whether the claim's gate let its rows through: the server's report of the last INSERT … SELECT ("Records: N
	 * Duplicates: D Warnings: W", mysqli_info()) counts the rows the SELECT gave, whether they were inserted or
	 * updated, or left unchanged. Null when there is no such report (another driver): the caller then reads the stock.
	 *
	 * @param object $wpdb Database.
	 */
	private static function rows_selected( $wpdb ): ?bool {
		$dbh  = $wpdb instanceof \wpdb ? $wpdb->dbh : null;
		$info = $dbh instanceof \mysqli ? mysqli_info( $dbh ) : null;
		if ( ! is_string( $info ) || 1 !== preg_match( '/Records:\s*(\d+)/', $info, $m ) ) {
			return null;
		}
		return (int) $m[1] > 0;
	}

	/**
	 * Releases the claims of a Klarna order and of a WooCommerce order (WooCommerce created it and took the stock,
	 * or it failed or was cancelled). One statement. Returns the number of rows released.
	 *
	 * @param string $klarna_order_id Klarna's order id ('' : none).
	 * @param int    $wc_order_id     WooCommerce's order id (0: none).
	 */
	public function release( string $klarna_order_id, int $wc_order_id = 0 ): int {
		if ( '' === $klarna_order_id && $wc_order_id <= 0 ) {
			return 0;
		}
		$sql = $this->wpdb->prepare( "DELETE FROM {$this->table()} WHERE klarna_order_id = %s OR ( wc_order_id > 0 AND wc_order_id = %d )", $klarna_order_id, max( 0, $wc_order_id ) ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
		return (int) $this->wpdb->query( $sql ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- prepared above.
	}

	/**
	 * The claims, newest first (WP-CLI `claims list`).
	 *
	 * @param bool $expired Include expired claims.
	 * @param int  $limit   At most this many.
	 * @return list<array{klarna_order_id: string, product_id: int, quantity: int, wc_order_id: int, created_at: string, expires: string, expired: bool}>
	 */
	public function rows( bool $expired = false, int $limit = 100 ): array {
		$where = $expired ? '' : 'WHERE expires > NOW() ';
		$rows  = $this->wpdb->get_results(
			$this->wpdb->prepare( "SELECT klarna_order_id, product_id, quantity, wc_order_id, created_at, expires, expires <= NOW() AS expired FROM {$this->table()} {$where}ORDER BY created_at DESC, klarna_order_id, product_id LIMIT %d", max( 1, min( 10000, $limit ) ) ), // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
			ARRAY_A
		);
		$out = array();
		foreach ( is_array( $rows ) ? $rows : array() as $row ) {
			$out[] = array(
				'klarna_order_id' => (string) $row['klarna_order_id'],
				'product_id'      => (int) $row['product_id'],
				'quantity'        => (int) $row['quantity'],
				'wc_order_id'     => (int) $row['wc_order_id'],
				'created_at'      => (string) $row['created_at'],
				'expires'         => (string) $row['expires'],
				'expired'         => (bool) (int) $row['expired'],
			);
		}
		return $out;
	}

	/**
	 * Deletes claims (WP-CLI `claims clear`): those of one Klarna order, the expired ones, or all. Returns the
	 * number deleted.
	 *
	 * @param string|null $klarna_order_id Only this order's.
	 * @param bool        $expired_only    Only the expired ones.
	 */
	public function clear( ?string $klarna_order_id = null, bool $expired_only = false ): int {
		$table = $this->table();
		if ( null !== $klarna_order_id ) {
			return (int) $this->wpdb->query( $this->wpdb->prepare( "DELETE FROM {$table} WHERE klarna_order_id = %s", $klarna_order_id ) ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
		}
		return (int) $this->wpdb->query( "DELETE FROM {$table}" . ( $expired_only ? ' WHERE expires <= NOW()' : '' ) ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
	}

	/**
	 * `(stock FOR UPDATE) - (held by WooCommerce FOR UPDATE) - (claimed by other orders FOR UPDATE)` of one owner, as
	 * a prepared SQL expression: the stock a new claim may take.
	 *
	 * @param int       $owner           Stock owner id (its `_stock` counts).
	 * @param list<int> $members         Its ids (its translations' too).
	 * @param string    $klarna_order_id The order claiming.
	 * @param int       $own_order       Its WooCommerce order (0: none).
	 */
	private function available( int $owner, array $members, string $klarna_order_id, int $own_order ): string {
		list( $stock, $held, $claimed ) = $this->parts( $owner, $members, $klarna_order_id, $own_order );
		return "( ( {$stock} FOR UPDATE ) - ( {$held} ) - ( {$claimed} FOR UPDATE ) )";
	}

	/**
	 * The stock and held quantity of each owner, read with locks inside the claim's transaction (after a refusal).
	 *
	 * @param array<int, array{quantity: int, members: list<int>}> $owners          Owners.
	 * @param string                                               $klarna_order_id The order claiming.
	 * @param int                                                  $own_order       Its WooCommerce order (0: none).
	 * @return array<int, array{stock: int, held: int}>
	 * @throws \RuntimeException On a database error.
	 */
	private function standing( array $owners, string $klarna_order_id, int $own_order ): array {
		$selects = array();
		foreach ( $owners as $owner => $want ) {
			list( $stock, $held, $claimed ) = $this->parts( $owner, $want['members'], $klarna_order_id, $own_order );
			$selects[]                      = 'SELECT ' . (int) $owner . " AS owner, ( {$stock} FOR UPDATE ) AS stock, ( {$held} ) AS reserved, ( {$claimed} FOR UPDATE ) AS claimed";
		}
		$rows = $this->read( implode( ' UNION ALL ', $selects ) );
		$out  = array();
		foreach ( $rows as $row ) {
			$out[ (int) $row['owner'] ] = array(
				'stock' => (int) floor( (float) $row['stock'] ),
				'held'  => max( 0, (int) ceil( (float) $row['reserved'] ) ) + max( 0, (int) ceil( (float) $row['claimed'] ) ),
			);
		}
		return $out;
	}

	/**
	 * The three scalar SELECTs of one owner: its stock (WooCommerce's product data store's
	 * get_query_for_stock(), as ReserveStock uses it; the `_stock` post meta without WooCommerce), what WooCommerce
	 * holds for other checkouts (with `FOR UPDATE` where it holds reservations), and what other Klarna orders claimed.
	 *
	 * @param int       $owner           Stock owner id.
	 * @param list<int> $members         Its ids.
	 * @param string    $klarna_order_id The order claiming.
	 * @param int       $own_order       Its WooCommerce order (0: none).
	 * @return array{0: string, 1: string, 2: string}
	 */
	private function parts( int $owner, array $members, string $klarna_order_id, int $own_order ): array {
		$wpdb    = $this->wpdb;
		$members = array() === $members ? array( $owner ) : $members;
		$stock   = null;
		if ( class_exists( 'WC_Data_Store' ) ) {
			$store = \WC_Data_Store::load( 'product' );
			if ( is_callable( array( $store, 'get_query_for_stock' ) ) ) {
				$stock = rtrim( trim( (string) $store->get_query_for_stock( $owner ) ), ';' );
			}
		}
		if ( null === $stock || '' === $stock ) {
			$stock = (string) $wpdb->prepare( "SELECT COALESCE( MAX( meta_table.meta_value ), 0 ) FROM {$wpdb->postmeta} meta_table WHERE meta_table.meta_key = '_stock' AND meta_table.post_id = %d", $owner ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
		}
		$held    = ( new ReservedStock( $wpdb ) )->scalar( $members, $own_order, true );
		$claimed = 'SELECT COALESCE( ' . $this->counted( 'c' ) . ', 0 ) FROM ' . $this->table() . ' c WHERE ' . $this->others( 'c', $members, $klarna_order_id, $own_order );
		return array( $stock, $held, $claimed );
	}

	/**
	 * The SQL sum of the claims' quantities that count: each less what WooCommerce already reserves for the same
	 * product under the claim's own WooCommerce order (4.3+), never below 0.
	 *
	 * @param string $alias Alias of the claims table.
	 */
	private function counted( string $alias ): string {
		if ( 'reserved' !== ReservedStock::mode() ) {
			return "SUM( {$alias}.quantity )";
		}
		$reserved = "{$this->wpdb->prefix}wc_reserved_stock";
		return "SUM( GREATEST( 0, {$alias}.quantity - COALESCE( ( SELECT SUM( rs.stock_quantity ) FROM {$reserved} rs WHERE {$alias}.wc_order_id > 0 AND rs.order_id = {$alias}.wc_order_id AND rs.product_id = {$alias}.product_id AND rs.expires > NOW() ), 0 ) ) )";
	}

	/**
	 * The prepared WHERE condition of the claims that count against an order: on these owners, unexpired, of
	 * another Klarna order and not of the shopper's own WooCommerce order.
	 *
	 * @param string    $alias           Alias of the claims table.
	 * @param list<int> $owner_ids       Stock owner ids.
	 * @param string    $klarna_order_id The order being decided.
	 * @param int       $own_order       Its WooCommerce order (0: none).
	 */
	private function others( string $alias, array $owner_ids, string $klarna_order_id, int $own_order ): string {
		$ids = implode( ',', array_map( 'intval', $owner_ids ) );
		$sql = "{$alias}.product_id IN ({$ids}) AND {$alias}.expires > NOW() AND " . $this->wpdb->prepare( "{$alias}.klarna_order_id <> %s", $klarna_order_id ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
		if ( $own_order > 0 ) {
			$sql .= ' AND ' . $this->wpdb->prepare( "{$alias}.wc_order_id <> %d", $own_order ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
		}
		return $sql;
	}

	/**
	 * Runs a SELECT; returns its rows.
	 *
	 * @param string $sql Prepared SQL.
	 * @return list<array<string, mixed>>
	 * @throws \RuntimeException On a database error.
	 */
	private function read( string $sql ): array {
		$rows = $this->wpdb->get_results( $sql, ARRAY_A ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- prepared by the caller.
		if ( '' !== (string) $this->wpdb->last_error ) {
			throw new \RuntimeException( 'database error claiming stock: ' . $this->wpdb->last_error );
		}
		return is_array( $rows ) ? array_values( $rows ) : array();
	}
}
