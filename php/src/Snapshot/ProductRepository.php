<?php
/**
 * Products, their stock owners and held stock, read in batched queries.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin\Snapshot;

defined( 'ABSPATH' ) || exit;

/**
 * Reads product rows straight from posts/postmeta (the values WC_Product_Data_Store_CPT reads), using
 * wc_product_meta_lookup only as the SKU index (as wc_get_product_id_by_sku() does on WooCommerce 3.6+; older
 * WooCommerce: the `_sku` postmeta); the sale meta (`_regular_price`, `_sale_price`, `_sale_price_dates_from`,
 * `_sale_price_dates_to`) comes with the same query. Products' `product_cat` terms with their ancestors
 * (wc_get_product_cat_ids()) from term_relationships/term_taxonomy. One query per call whatever the number of
 * products.
 */
class ProductRepository {

	/** Post meta read for each product. */
	const META = array(
		'sku'                 => '_sku',
		'virtual'             => '_virtual',
		'manage_stock'        => '_manage_stock',
		'stock'               => '_stock',
		'stock_status'        => '_stock_status',
		'backorders'          => '_backorders',
		'price'               => '_price',
		'subscription_period' => '_subscription_period',
		'trial_length'        => '_subscription_trial_length',
		'regular_price'       => '_regular_price',
		'sale_price'          => '_sale_price',
		'sale_from'           => '_sale_price_dates_from',
		'sale_to'             => '_sale_price_dates_to',
	);

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
	 * Whether WooCommerce's product lookup table exists (created by the 3.6 update).
	 */
	public static function has_lookup_table(): bool {
		$version = (string) get_option( 'woocommerce_db_version', '' );
		return '' !== $version && version_compare( $version, '3.6.0', '>=' );
	}

	/**
	 * Whether WooCommerce's reserved-stock table exists (schema 430, WooCommerce 4.3+).
	 */
	public static function has_reserved_stock_table(): bool {
		return (int) get_option( 'woocommerce_schema_version', 0 ) >= 430;
	}

	/**
	 * Products and variations with one of the ids or one of the SKUs, keyed by id. One query. A trashed one is found
	 * by its id (the cart's item: WooCommerce drops it from the cart as no longer purchasable, `status` says so), never
	 * by its SKU (a SKU a trashed product kept may be another product's now).
	 *
	 * @param list<int>    $ids  Post ids.
	 * @param list<string> $skus SKUs (exact, compared with the column's collation as WooCommerce does).
	 * @return array<int, array<string, mixed>>
	 * @throws \RuntimeException On a database error.
	 */
	public function find( array $ids, array $skus = array() ): array {
		$ids  = array_values( array_unique( array_filter( array_map( 'intval', $ids ), static fn ( int $id ): bool => $id > 0 ) ) );
		$skus = array_values( array_unique( array_filter( array_map( 'strval', $skus ), static fn ( string $s ): bool => '' !== $s ) ) );
		if ( array() === $ids && array() === $skus ) {
			return array();
		}
		$wpdb    = $this->wpdb;
		$args    = array();
		$columns = array();
		foreach ( self::META as $alias => $meta_key ) {
			$columns[] = "MAX( CASE WHEN m.meta_key = %s THEN m.meta_value END ) AS {$alias}";
			$args[]    = $meta_key;
		}
		// The wanted ids first (a derived table of primary-key and SKU-index lookups), then their rows: an
		// `p.ID IN (…) OR p.ID IN (subquery)` makes MariaDB scan all of wp_posts (454 ms with 200 000 posts).
		$keys = array();
		if ( array() !== $ids ) {
			$keys[] = "SELECT i.ID AS kid, 1 AS by_id FROM {$wpdb->posts} i WHERE i.ID IN (" . implode( ',', array_fill( 0, count( $ids ), '%d' ) ) . ')';
			$args   = array_merge( $args, $ids );
		}
		if ( array() !== $skus ) {
			$in = implode( ',', array_fill( 0, count( $skus ), '%s' ) );
			if ( self::has_lookup_table() ) {
				$keys[] = "SELECT l.product_id AS kid, 0 AS by_id FROM {$wpdb->prefix}wc_product_meta_lookup l WHERE l.sku IN ({$in})";
			} else {
				// WooCommerce before 3.6: the `_sku` meta (meta_key index) as wc_get_product_id_by_sku() read it.
				$keys[] = "SELECT s.post_id AS kid, 0 AS by_id FROM {$wpdb->postmeta} s WHERE s.meta_key = '_sku' AND s.meta_value IN ({$in})";
			}
			$args = array_merge( $args, $skus );
		}
		$meta_keys = array_values( self::META );
		$args      = array_merge( $args, $meta_keys );
		$sql       = 'SELECT p.ID AS id, p.post_parent AS parent_id, p.post_type AS type, p.post_status AS status, p.post_title AS name, '
			. implode( ', ', $columns )
			. ' FROM ( ' . implode( ' UNION ', $keys ) . ' ) k'
			. " JOIN {$wpdb->posts} p ON p.ID = k.kid"
			. " LEFT JOIN {$wpdb->postmeta} m ON m.post_id = p.ID AND m.meta_key IN (" . implode( ',', array_fill( 0, count( $meta_keys ), '%s' ) ) . ')'
			. " WHERE p.post_type IN ('product', 'product_variation') AND ( p.post_status <> 'trash' OR k.by_id = 1 )"
			. ' GROUP BY p.ID ORDER BY p.ID';
		$rows = $wpdb->get_results( $wpdb->prepare( $sql, $args ), ARRAY_A ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- placeholders only.
		$this->check_error();
		$products = array();
		foreach ( (array) $rows as $row ) {
			$products[ (int) $row['id'] ] = self::normalize( $row );
		}
		return $products;
	}

	/**
	 * Held stock per stock owner, for all owners in one query: what WooCommerce itself holds for other checkouts
	 * (ReservedStock: wc_get_held_stock_quantity() of the running WooCommerce version) and, when given, the stock
	 * other Klarna orders claimed (Claims\ClaimStore::held()).
	 *
	 * @param list<int>   $owner_ids     Stock owner ids.
	 * @param int         $exclude_order The shopper's own order (0: none).
	 * @param string|null $claims        A prepared statement of `product_id`, `held` rows for the same owners, or null.
	 * @return array<int, int> Held quantity per owner id (absent: 0).
	 * @throws \RuntimeException On a database error.
	 */
	public function held_stock( array $owner_ids, int $exclude_order, ?string $claims = null ): array {
		$owner_ids = array_values( array_unique( array_filter( array_map( 'intval', $owner_ids ), static fn ( int $id ): bool => $id > 0 ) ) );
		if ( array() === $owner_ids ) {
			return array();
		}
		$parts = array_values( array_filter( array( ( new ReservedStock( $this->wpdb ) )->grouped( $owner_ids, $exclude_order ), $claims ) ) );
		if ( array() === $parts ) {
			return array();
		}
		$sql  = 1 === count( $parts ) ? $parts[0] : 'SELECT h.product_id AS product_id, SUM( h.held ) AS held FROM ( ' . implode( ' UNION ALL ', $parts ) . ' ) h GROUP BY h.product_id';
		$rows = $this->wpdb->get_results( $sql, ARRAY_A ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- prepared by its parts.
		$this->check_error();
		$held = array();
		foreach ( (array) $rows as $row ) {
			$quantity = max( 0, (int) ceil( (float) $row['held'] ) );
			if ( $quantity > 0 ) {
				$held[ (int) $row['product_id'] ] = ( $held[ (int) $row['product_id'] ] ?? 0 ) + $quantity;
			}
		}
		return $held;
	}

	/**
	 * The `product_cat` terms of each post with every ancestor of each, as wc_get_product_cat_ids() returns them
	 * (get_the_terms() + get_ancestors()), for all posts in one query: the posts' terms, and the parent of every
	 * product category that has one (the category tree, which get_ancestors() walks term by term).
	 *
	 * @param list<int> $ids Post ids.
	 * @return array<int, list<int>> Term ids per post id, ascending (absent: none).
	 * @throws \RuntimeException On a database error.
	 */
	public function category_ids( array $ids ): array {
		$ids = array_values( array_unique( array_filter( array_map( 'intval', $ids ), static fn ( int $id ): bool => $id > 0 ) ) );
		if ( array() === $ids ) {
			return array();
		}
		$wpdb = $this->wpdb;
		$sql  = "SELECT tr.object_id AS object_id, tt.term_id AS term_id, tt.parent AS parent FROM {$wpdb->term_relationships} tr"
			. " JOIN {$wpdb->term_taxonomy} tt ON tt.term_taxonomy_id = tr.term_taxonomy_id"
			. ' WHERE tr.object_id IN (' . implode( ',', array_fill( 0, count( $ids ), '%d' ) ) . ") AND tt.taxonomy = 'product_cat'"
			. " UNION ALL SELECT 0 AS object_id, c.term_id AS term_id, c.parent AS parent FROM {$wpdb->term_taxonomy} c"
			. " WHERE c.taxonomy = 'product_cat' AND c.parent <> 0";
		$rows = $wpdb->get_results( $wpdb->prepare( $sql, $ids ), ARRAY_A ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- placeholders only.
		if ( '' !== (string) $wpdb->last_error ) {
			throw new \RuntimeException( 'database error reading product categories: ' . $wpdb->last_error );
		}
		$parent_of = array();
		$terms     = array();
		foreach ( (array) $rows as $row ) {
			$term_id = (int) $row['term_id'];
			if ( 0 === (int) $row['object_id'] ) {
				$parent_of[ $term_id ] = (int) $row['parent'];
			} else {
				$terms[ (int) $row['object_id'] ][] = $term_id;
			}
		}
		$categories = array();
		foreach ( $terms as $object_id => $term_ids ) {
			$all = array();
			foreach ( $term_ids as $term_id ) {
				$all[ $term_id ] = $term_id;
				foreach ( self::ancestors( $term_id, $parent_of ) as $ancestor ) {
					$all[ $ancestor ] = $ancestor;
				}
			}
			ksort( $all );
			$categories[ $object_id ] = array_values( $all );
		}
		return $categories;
	}

	/**
	 * get_ancestors( $term_id, 'product_cat' ): the parent, its parent and so on, each once (a loop in the tree
	 * ends the walk, as WordPress's in_array() check does; a parent that is no category is still listed).
	 *
	 * @param int             $term_id   Term id.
	 * @param array<int, int> $parent_of Parent of every category that has one.
	 * @return list<int>
	 */
	private static function ancestors( int $term_id, array $parent_of ): array {
		$ancestors = array();
		$parent    = $parent_of[ $term_id ] ?? 0;
		while ( $parent > 0 && ! in_array( $parent, $ancestors, true ) ) {
			$ancestors[] = $parent;
			$parent      = $parent_of[ $parent ] ?? 0;
		}
		return $ancestors;
	}

	/**
	 * Typed row.
	 *
	 * @param array<string, mixed> $row Raw row.
	 * @return array<string, mixed>
	 */
	private static function normalize( array $row ): array {
		return array(
			'id'                  => (int) $row['id'],
			'parent_id'           => (int) $row['parent_id'],
			'variation'           => 'product_variation' === $row['type'],
			'status'              => (string) $row['status'],
			'name'                => (string) $row['name'],
			'sku'                 => (string) ( $row['sku'] ?? '' ),
			'virtual'             => 'yes' === ( $row['virtual'] ?? '' ),
			'manage_stock'        => 'yes' === ( $row['manage_stock'] ?? '' ),
			'stock'               => ( null === $row['stock'] || '' === $row['stock'] ) ? null : (float) $row['stock'],
			'stock_status'        => (string) ( $row['stock_status'] ?? '' ),
			'backorders'          => (string) ( $row['backorders'] ?? '' ),
			'price'               => (string) ( $row['price'] ?? '' ),
			'subscription_period' => (string) ( $row['subscription_period'] ?? '' ),
			'trial_length'        => (int) ( $row['trial_length'] ?? 0 ),
			'regular_price'       => (string) ( $row['regular_price'] ?? '' ),
			'sale_price'          => (string) ( $row['sale_price'] ?? '' ),
			'sale_from'           => self::date_or_null( $row['sale_from'] ?? null ),
			'sale_to'             => self::date_or_null( $row['sale_to'] ?? null ),
		);
	}

	/**
	 * A sale date as WC_Data::set_date_prop() reads `_sale_price_dates_from` / `_to`: empty or 0 is no date, digits
	 * a unix timestamp (what WooCommerce stores), another text a date (read as UTC; WooCommerce would read it in the
	 * site's time zone).
	 *
	 * @param mixed $value Meta value.
	 */
	private static function date_or_null( $value ): ?int {
		if ( null === $value || ! is_scalar( $value ) || empty( $value ) ) {
			return null;
		}
		if ( is_numeric( $value ) ) {
			return (int) $value;
		}
		$time = strtotime( (string) $value . ' UTC' );
		return false === $time ? null : $time;
	}

	/**
	 * Turns a wpdb error into an exception (an internal fault).
	 *
	 * @throws \RuntimeException On a database error.
	 */
	private function check_error(): void {
		if ( '' !== (string) $this->wpdb->last_error ) {
			throw new \RuntimeException( 'database error reading products: ' . $this->wpdb->last_error );
		}
	}
}
