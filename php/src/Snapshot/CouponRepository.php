<?php
/**
 * The session's applied coupons with their limits, usage, email, product, category and sale-item rules, in one query.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin\Snapshot;

defined( 'ABSPATH' ) || exit;

/**
 * Reads shop_coupon posts by code (post_title, as WC_Coupon_Data_Store_CPT::get_ids_by_code()) and their meta, as
 * WC_Coupon_Data_Store_CPT::read() reads it (includes/data-stores/class-wc-coupon-data-store-cpt.php): `product_ids`
 * and `exclude_product_ids` comma-separated, `customer_email`, `product_categories` and
 * `exclude_product_categories` serialized arrays (update_post_meta() of an array), `exclude_sale_items` 'yes'/'no'.
 * Uses held by checkouts in progress come with the same query: `_coupon_held_<expiry>_…` (global uses, added to
 * `usage_count`) and `_maybe_used_by_<expiry>_…` (a use by one user alias, `held_by`), unexpired, except the holds
 * of the shopper's own pending order — read from that order's `_coupon_held_keys(_for_users)` meta in one more
 * query, only when an applied coupon carries holds at all.
 */
class CouponRepository {

	/** Meta read for each coupon. */
	const META = array( 'date_expires', 'usage_limit', 'usage_count', 'usage_limit_per_user', '_used_by', 'customer_email', 'minimum_amount', 'maximum_amount', 'discount_type', 'product_ids', 'exclude_product_ids', 'product_categories', 'exclude_product_categories', 'exclude_sale_items' );

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
	 * The snapshot's `coupons` map for the given codes: every code gets an entry, `exists` false when unknown.
	 *
	 * @param list<string> $codes     Coupon codes (any case).
	 * @param int          $now       Unix time (for tentative "held" uses).
	 * @param int          $own_order The shopper's own pending order (its holds are not another checkout's).
	 * @return array<string, array<string, mixed>>
	 * @throws \RuntimeException On a database error.
	 */
	public function find( array $codes, int $now, int $own_order = 0 ): array {
		$codes = array_values( array_unique( array_filter( array_map( static fn ( $c ): string => self::format_code( (string) $c ), $codes ), static fn ( string $c ): bool => '' !== $c ) ) );
		if ( array() === $codes ) {
			return array();
		}
		$wpdb = $this->wpdb;
		$sql  = "SELECT p.ID AS id, p.post_title AS code, m.meta_key AS meta_key, m.meta_value AS meta_value FROM {$wpdb->posts} p"
			. " LEFT JOIN {$wpdb->postmeta} m ON m.post_id = p.ID AND ( m.meta_key IN (" . implode( ',', array_fill( 0, count( self::META ), '%s' ) ) . ") OR m.meta_key LIKE '\\\\_coupon\\\\_held\\\\_%%' OR m.meta_key LIKE '\\\\_maybe\\\\_used\\\\_by\\\\_%%' )"
			. " WHERE p.post_type = 'shop_coupon' AND p.post_status = 'publish' AND p.post_title IN (" . implode( ',', array_fill( 0, count( $codes ), '%s' ) ) . ')'
			. ' ORDER BY p.post_date DESC, p.ID DESC, m.meta_id ASC';
		$rows = $wpdb->get_results( $wpdb->prepare( $sql, array_merge( self::META, $codes ) ), ARRAY_A ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- placeholders only.
		if ( '' !== (string) $wpdb->last_error ) {
			throw new \RuntimeException( 'database error reading coupons: ' . $wpdb->last_error );
		}

		// The newest published coupon with the code wins, as in WooCommerce.
		$by_code = array();
		$chosen  = array();
		foreach ( (array) $rows as $row ) {
			$code = self::format_code( (string) $row['code'] );
			$id   = (int) $row['id'];
			if ( ! isset( $chosen[ $code ] ) ) {
				$chosen[ $code ]  = $id;
				$by_code[ $code ] = array();
			}
			if ( $chosen[ $code ] !== $id || null === $row['meta_key'] ) {
				continue;
			}
			$by_code[ $code ][] = array( (string) $row['meta_key'], $row['meta_value'] );
		}

		// The shopper's own checkout in progress holds its uses too (KCO 2.x creates the order before Klarna
		// validates): those are not another checkout's, so they are left out, as WooCommerce's own check ran before
		// the hold was made. Read only when an applied coupon carries holds.
		$own_keys = array();
		if ( $own_order > 0 && self::has_holds( $by_code, $now ) ) {
			$own_keys = $this->held_keys_of_order( $own_order );
		}
		$coupons = array();
		foreach ( $codes as $code ) {
			$coupons[ $code ] = isset( $by_code[ $code ] ) ? self::coupon( $by_code[ $code ], $now, $own_keys ) : array( 'exists' => false );
		}
		return $coupons;
	}

	/**
	 * Whether any coupon has an unexpired hold.
	 *
	 * @param array<string, list<array{0: string, 1: mixed}>> $by_code Meta by code.
	 * @param int                                              $now     Unix time.
	 */
	private static function has_holds( array $by_code, int $now ): bool {
		foreach ( $by_code as $meta ) {
			foreach ( $meta as list( $key ) ) {
				if ( null !== self::hold_kind( $key, $now ) ) {
					return true;
				}
			}
		}
		return false;
	}

	/**
	 * `coupon` for a `_coupon_held_<expiry>_…` key (a hold of a global use), `user` for `_maybe_used_by_<expiry>_…` (a
	 * hold of a use by one user alias), when it has not expired (WC_Coupon_Data_Store_CPT::get_tentative_usage_query()
	 * and get_tentative_usage_query_for_user(): keys sort after the prefix plus now); else null.
	 *
	 * @param string $key Meta key.
	 * @param int    $now Unix time.
	 */
	private static function hold_kind( string $key, int $now ): ?string {
		foreach ( array( 'coupon' => '_coupon_held_', 'user' => '_maybe_used_by_' ) as $kind => $prefix ) {
			if ( str_starts_with( $key, $prefix ) ) {
				return strcmp( $key, $prefix . $now ) > 0 ? $kind : null;
			}
		}
		return null;
	}

	/**
	 * The hold keys an order made (`_coupon_held_keys` and `_coupon_held_keys_for_users`: coupon id => meta key,
	 * WC_Order_Data_Store_CPT / OrdersTableDataStore set_coupon_held_keys()), from the order storage in use.
	 *
	 * @param int $order_id Order id.
	 * @return array<string, true> Meta keys.
	 */
	private function held_keys_of_order( int $order_id ): array {
		$wpdb  = $this->wpdb;
		$table = 'yes' === get_option( 'woocommerce_custom_orders_table_enabled' ) ? "{$wpdb->prefix}wc_orders_meta" : $wpdb->postmeta;
		$id    = 'yes' === get_option( 'woocommerce_custom_orders_table_enabled' ) ? 'order_id' : 'post_id';
		$rows  = $wpdb->get_col( $wpdb->prepare( "SELECT meta_value FROM {$table} WHERE {$id} = %d AND meta_key IN ( '_coupon_held_keys', '_coupon_held_keys_for_users' )", $order_id ) ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- table names only.
		if ( '' !== (string) $wpdb->last_error ) {
			throw new \RuntimeException( 'database error reading coupon holds: ' . $wpdb->last_error );
		}
		$keys = array();
		foreach ( (array) $rows as $value ) {
			$held = is_string( $value ) ? SessionStore::maybe_unserialize( $value ) : null;
			foreach ( is_array( $held ) ? $held : array() as $key ) {
				if ( is_string( $key ) ) {
					$keys[ $key ] = true;
				}
			}
		}
		return $keys;
	}

	/**
	 * As wc_format_coupon_code() followed by wc_strtolower(): the form WooCommerce keys coupons by.
	 *
	 * @param string $code Code.
	 */
	public static function format_code( string $code ): string {
		return mb_strtolower( trim( html_entity_decode( $code, ENT_QUOTES, 'UTF-8' ) ), 'UTF-8' );
	}

	/**
	 * One coupon's snapshot entry from its meta rows.
	 *
	 * @param list<array{0: string, 1: mixed}> $meta     Meta key/value pairs.
	 * @param int                              $now      Unix time.
	 * @param array<string, true>              $own_keys Hold keys of the shopper's own order (left out).
	 * @return array<string, mixed>
	 */
	private static function coupon( array $meta, int $now, array $own_keys = array() ): array {
		$single  = array();
		$used_by = array();
		$held_by = array();
		$held    = 0;
		foreach ( $meta as list( $key, $value ) ) {
			if ( '_used_by' === $key ) {
				if ( null !== $value && '' !== $value ) {
					$used_by[] = (string) $value;
				}
			} elseif ( str_starts_with( $key, '_coupon_held_' ) || str_starts_with( $key, '_maybe_used_by_' ) ) {
				$kind = isset( $own_keys[ $key ] ) ? null : self::hold_kind( $key, $now );
				if ( 'coupon' === $kind ) {
					++$held;
				} elseif ( 'user' === $kind && null !== $value && '' !== $value ) {
					$held_by[] = (string) $value;
				}
			} elseif ( ! array_key_exists( $key, $single ) ) {
				$single[ $key ] = $value;
			}
		}
		$emails = array();
		if ( isset( $single['customer_email'] ) && is_string( $single['customer_email'] ) ) {
			$decoded = SessionStore::maybe_unserialize( $single['customer_email'] );
			foreach ( is_array( $decoded ) ? $decoded : array() as $email ) {
				if ( is_string( $email ) && '' !== trim( $email ) ) {
					$emails[] = mb_strtolower( trim( $email ), 'UTF-8' );
				}
			}
		}
		return array(
			'exists'                      => true,
			'expires'                     => self::int_or_null( $single['date_expires'] ?? null ),
			'usage_limit'                 => self::int_or_null( $single['usage_limit'] ?? null ),
			'usage_count'                 => max( 0, (int) ( $single['usage_count'] ?? 0 ) ) + $held,
			'usage_limit_per_user'        => self::int_or_null( $single['usage_limit_per_user'] ?? null ),
			'used_by'                     => $used_by,
			'held_by'                     => $held_by,
			'email_restrictions'          => $emails,
			'minimum_amount'              => self::money_or_null( $single['minimum_amount'] ?? null ),
			'maximum_amount'              => self::money_or_null( $single['maximum_amount'] ?? null ),
			'discount_type'               => self::discount_type( $single['discount_type'] ?? null ),
			'product_ids'                 => self::id_list( $single['product_ids'] ?? null ),
			'excluded_product_ids'        => self::id_list( $single['exclude_product_ids'] ?? null ),
			'product_categories'          => self::term_list( $single['product_categories'] ?? null ),
			'excluded_product_categories' => self::term_list( $single['exclude_product_categories'] ?? null ),
			'exclude_sale_items'          => 'yes' === ( $single['exclude_sale_items'] ?? null ),
		);
	}

	/**
	 * Category ids as WC_Coupon reads `product_categories` / `exclude_product_categories`:
	 * array_filter( (array) get_post_meta() ) (a serialized array, maybe_unserialize()d), then set_product_categories()'s
	 * array_filter( wp_parse_id_list() ): absint() of each, once each, zeros dropped, in order.
	 *
	 * @param mixed $value Meta value.
	 * @return list<int>
	 */
	private static function term_list( $value ): array {
		if ( null === $value ) {
			return array();
		}
		$value = is_string( $value ) ? SessionStore::maybe_unserialize( $value ) : $value;
		$ids   = array();
		foreach ( (array) $value as $item ) {
			if ( ! is_scalar( $item ) ) {
				continue;
			}
			$id = abs( (int) $item );
			if ( $id > 0 ) {
				$ids[ $id ] = $id;
			}
		}
		return array_values( $ids );
	}

	/**
	 * The coupon's type as stored; WC_Coupon's default `fixed_cart` when the meta is missing or empty.
	 *
	 * @param mixed $value Meta value.
	 */
	private static function discount_type( $value ): string {
		$type = is_string( $value ) ? trim( $value ) : '';
		return '' === $type ? 'fixed_cart' : $type;
	}

	/**
	 * A comma-separated id list as WC_Coupon_Data_Store_CPT stores `product_ids` and `exclude_product_ids` ("12,34",
	 * possibly empty): the positive ids, once each, in order.
	 *
	 * @param mixed $value Meta value.
	 * @return list<int>
	 */
	private static function id_list( $value ): array {
		if ( ! is_string( $value ) && ! is_int( $value ) ) {
			return array();
		}
		$ids = array();
		foreach ( preg_split( '/[\s,]+/', (string) $value, -1, PREG_SPLIT_NO_EMPTY ) ?: array() as $part ) {
			if ( ctype_digit( $part ) && strlen( ltrim( $part, '0' ) ) <= 18 && (int) $part > 0 ) {
				$ids[] = (int) $part;
			}
		}
		return array_values( array_unique( $ids ) );
	}

	/**
	 * An int, or null for an empty value.
	 *
	 * @param mixed $value Meta value.
	 */
	private static function int_or_null( $value ): ?int {
		return ( null === $value || '' === $value || ! is_numeric( $value ) ) ? null : (int) $value;
	}

	/**
	 * A money string, or null for an empty or malformed value.
	 *
	 * @param mixed $value Meta value.
	 */
	private static function money_or_null( $value ): ?string {
		try {
			return Money::nullable( $value );
		} catch ( \UnexpectedValueException $e ) {
			return null;
		}
	}
}
