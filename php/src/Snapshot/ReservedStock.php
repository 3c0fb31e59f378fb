<?php
/**
 * Stock WooCommerce itself holds for checkouts in progress, as the running WooCommerce version counts it.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin\Snapshot;

defined( 'ABSPATH' ) || exit;

/**
 * The SQL of wc_get_held_stock_quantity() for the WooCommerce version the shop runs (issue 12, point 5):
 *
 * - WooCommerce 4.3+ (schema 430, the `wc_reserved_stock` table): ReserveStock::get_query_for_reserved_stock()
 *   (src/Checkout/Helpers/ReserveStock.php): the unexpired reservations of orders in `wc-checkout-draft` or
 *   `wc-pending` (joined to `wc_orders` with HPOS, to `posts` otherwise), other than the given order, after the
 *   `woocommerce_query_for_reserved_stock` filter; nothing when `woocommerce_hold_stock_for_checkout` (default:
 *   store-wide stock management) says no.
 * - WooCommerce 3.9–4.2: wc_get_held_stock_quantity() in includes/wc-stock-functions.php summed the `_qty` of the
 *   items of pending orders created by the checkout (`_created_via` = checkout) that name the stock owner
 *   (`_variation_id` for a variation, else `_product_id`), other than the given order; and
 *   WC_Cart::check_cart_item_stock() asked for it only when `woocommerce_hold_stock_minutes` is above 0.
 *
 * Two forms: grouped() for the snapshot (all stock owners in one statement), scalar() for one owner inside the
 * stock claim's INSERT … SELECT (Claims\ClaimStore), with `FOR UPDATE` as ReserveStock::reserve_stock_for_product()
 * writes it.
 */
final class ReservedStock {

	/** The WooCommerce filter over the per-product reserved-stock query (WooCommerce 4.5+). */
	const QUERY_FILTER = 'woocommerce_query_for_reserved_stock';

	/**
	 * The database.
	 *
	 * @var \wpdb
	 */
	private $wpdb;

	/**
	 * Constructor.
	 *
	 * @param \wpdb $wpdb WordPress database.
	 */
	public function __construct( $wpdb ) {
		$this->wpdb = $wpdb;
	}

	/**
	 * How the running WooCommerce holds stock: 'reserved' (4.3+), 'pending' (3.5–4.2, with a hold time), or ''
	 * (nothing held: stock management or holding turned off, or older WooCommerce).
	 */
	public static function mode(): string {
		$manage = 'yes' === get_option( 'woocommerce_manage_stock', 'yes' );
		if ( ProductRepository::has_reserved_stock_table() ) {
			/** This filter is documented in WooCommerce's includes/wc-stock-functions.php (wc_get_held_stock_quantity). */
			return apply_filters( 'woocommerce_hold_stock_for_checkout', $manage ) ? 'reserved' : '';
		}
		$version = (string) get_option( 'woocommerce_db_version', '' );
		if ( ! $manage || '' === $version || version_compare( $version, '3.5.0', '<' ) ) {
			return '';
		}
		return (int) get_option( 'woocommerce_hold_stock_minutes', 0 ) > 0 ? 'pending' : '';
	}

	/**
	 * One prepared statement giving `product_id`, `held` rows for the owners (absent: nothing held), or null when
	 * nothing is held at all.
	 *
	 * @param list<int> $owner_ids     Stock owner ids (positive, distinct).
	 * @param int       $exclude_order The shopper's own order (0: none).
	 */
	public function grouped( array $owner_ids, int $exclude_order ): ?string {
		$mode = self::mode();
		if ( array() === $owner_ids || '' === $mode ) {
			return null;
		}
		$wpdb = $this->wpdb;
		$in   = implode( ',', array_fill( 0, count( $owner_ids ), '%d' ) );
		if ( 'pending' === $mode ) {
			$types = self::order_types();
			return $this->prepare(
				'SELECT CAST( owner.meta_value AS SIGNED ) AS product_id, SUM( qty.meta_value ) AS held'
				. " FROM {$wpdb->posts} o"
				. " JOIN {$wpdb->postmeta} via ON via.post_id = o.ID AND via.meta_key = '_created_via' AND via.meta_value = 'checkout'"
				. " JOIN {$wpdb->prefix}woocommerce_order_items oi ON oi.order_id = o.ID"
				. " JOIN {$wpdb->prefix}woocommerce_order_itemmeta qty ON qty.order_item_id = oi.order_item_id AND qty.meta_key = '_qty'"
				. " JOIN {$wpdb->prefix}woocommerce_order_itemmeta owner ON owner.order_item_id = oi.order_item_id AND owner.meta_key IN ( '_product_id', '_variation_id' ) AND owner.meta_value IN ({$in})"
				. ' WHERE o.post_type IN (' . implode( ',', array_fill( 0, count( $types ), '%s' ) ) . ") AND o.post_status = 'wc-pending' AND o.ID != %d"
				. ' GROUP BY owner.meta_value',
				array_merge( $owner_ids, $types, array( $exclude_order ) )
			);
		}
		if ( has_filter( self::QUERY_FILTER ) ) {
			// A shop that changes WooCommerce's query gets its own query per owner, as WooCommerce would run it.
			$parts = array();
			foreach ( $owner_ids as $id ) {
				$parts[] = 'SELECT ' . (int) $id . ' AS product_id, ( ' . $this->reserved_query( $id, $exclude_order ) . ' ) AS held';
			}
			return implode( ' UNION ALL ', $parts );
		}
		list( $join, $status ) = $this->order_join();
		return $this->prepare(
			"SELECT rs.product_id AS product_id, COALESCE( SUM( rs.stock_quantity ), 0 ) AS held FROM {$wpdb->prefix}wc_reserved_stock rs"
			. " LEFT JOIN {$join}"
			. " WHERE {$status} IN ( 'wc-checkout-draft', 'wc-pending' ) AND rs.expires > NOW() AND rs.order_id != %d"
			. " AND rs.product_id IN ({$in})"
			. ' GROUP BY rs.product_id',
			array_merge( array( $exclude_order ), $owner_ids )
		);
	}

	/**
	 * A prepared scalar SELECT of the stock held for one stock owner (its translations summed), other than by the
	 * given order; with `FOR UPDATE` (ReserveStock::reserve_stock_for_product()) when $lock. '0' when nothing is held.
	 *
	 * @param list<int> $member_ids    The owner's ids (the owner, or every translation of it).
	 * @param int       $exclude_order The shopper's own order (0: none).
	 * @param bool      $lock          Lock what is read (inside the claim's transaction).
	 */
	public function scalar( array $member_ids, int $exclude_order, bool $lock ): string {
		$mode = self::mode();
		if ( array() === $member_ids || '' === $mode ) {
			return '0';
		}
		$lock_sql = $lock ? ' FOR UPDATE' : '';
		$parts    = array();
		foreach ( $member_ids as $id ) {
			if ( 'pending' === $mode ) {
				$parts[] = '( SELECT COALESCE( SUM( g.held ), 0 ) FROM ( ' . $this->grouped( array( $id ), $exclude_order ) . ' ) g )';
			} else {
				$parts[] = '( ' . $this->reserved_query( $id, $exclude_order ) . $lock_sql . ' )';
			}
		}
		return implode( ' + ', $parts );
	}

	/**
	 * ReserveStock::get_query_for_reserved_stock() for one product, after WooCommerce's filter.
	 *
	 * @param int $product_id    Stock owner id.
	 * @param int $exclude_order Order to leave out (0: none).
	 */
	private function reserved_query( int $product_id, int $exclude_order ): string {
		$wpdb                  = $this->wpdb;
		list( $join, $status ) = $this->order_join( 'stock_table' );
		$query                 = $wpdb->prepare(
			"SELECT COALESCE( SUM( stock_table.`stock_quantity` ), 0 ) FROM {$wpdb->prefix}wc_reserved_stock stock_table"
			. " LEFT JOIN {$join}"
			. " WHERE {$status} IN ( 'wc-checkout-draft', 'wc-pending' )"
			. ' AND stock_table.`expires` > NOW()'
			. ' AND stock_table.`product_id` = %d'
			. ' AND stock_table.`order_id` != %d',
			$product_id,
			$exclude_order
		);
		/** This filter is documented in WooCommerce's src/Checkout/Helpers/ReserveStock.php. */
		$filtered = apply_filters( self::QUERY_FILTER, $query, $product_id, $exclude_order );
		return is_string( $filtered ) && '' !== trim( $filtered ) ? rtrim( trim( $filtered ), ';' ) : $query;
	}

	/**
	 * The orders table the reservations belong to, and its status column (HPOS: wc_orders; else posts).
	 *
	 * @param string $alias Alias of the reserved-stock table.
	 * @return array{0: string, 1: string}
	 */
	private function order_join( string $alias = 'rs' ): array {
		$wpdb = $this->wpdb;
		if ( 'yes' === get_option( 'woocommerce_custom_orders_table_enabled' ) ) {
			return array( "{$wpdb->prefix}wc_orders o ON o.id = {$alias}.order_id", 'o.status' );
		}
		return array( "{$wpdb->posts} o ON o.ID = {$alias}.order_id", 'o.post_status' );
	}

	/**
	 * WooCommerce's order post types (wc_get_order_types()), as the 3.5–4.2 query reads them.
	 *
	 * @return list<string>
	 */
	private static function order_types(): array {
		$types = function_exists( 'wc_get_order_types' ) ? (array) wc_get_order_types() : array( 'shop_order' );
		$types = array_values( array_filter( array_map( 'strval', $types ), static fn ( string $t ): bool => '' !== $t ) );
		return array() === $types ? array( 'shop_order' ) : $types;
	}

	/**
	 * $wpdb->prepare() of a statement whose text holds nothing but placeholders for values.
	 *
	 * @param string     $sql  SQL with %d / %s placeholders.
	 * @param list<mixed> $args Values.
	 */
	private function prepare( string $sql, array $args ): string {
		return (string) $this->wpdb->prepare( $sql, $args ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- placeholders only.
	}
}
