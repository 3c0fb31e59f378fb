<?php
/**
 * Writes WooCommerce data into the test database the way WooCommerce stores it.
 *
 * @package KcoValidation\Plugin\Tests
 */

namespace KcoValidation\Plugin\Tests;

class Shop {

	/** Inserts a post. */
	public static function post( string $type, string $title, string $status = 'publish', int $parent = 0, string $date = '2026-01-01 00:00:00' ): int {
		global $wpdb;
		$wpdb->insert(
			$wpdb->posts,
			array(
				'post_type'             => $type,
				'post_title'            => $title,
				'post_status'           => $status,
				'post_parent'           => $parent,
				'post_date'             => $date,
				'post_date_gmt'         => $date,
				'post_content'          => '',
				'post_excerpt'          => '',
				'to_ping'               => '',
				'pinged'                => '',
				'post_content_filtered' => '',
			)
		);
		self::check();
		return (int) $wpdb->insert_id;
	}

	/** Adds post meta rows. */
	public static function meta( int $post_id, array $meta ): void {
		global $wpdb;
		foreach ( $meta as $key => $value ) {
			foreach ( is_array( $value ) && array_is_list( $value ) && str_starts_with( (string) $key, '_used_by' ) ? $value : array( $value ) as $single ) {
				$wpdb->insert(
					$wpdb->postmeta,
					array(
						'post_id'    => $post_id,
						'meta_key'   => (string) $key,
						'meta_value' => is_array( $single ) ? serialize( $single ) : (string) $single,
					)
				);
				self::check();
			}
		}
	}

	/**
	 * A simple product (or variation when $parent is given), with the postmeta WC_Product_Data_Store_CPT writes and
	 * the wc_product_meta_lookup row WC_Data_Store_WP::update_lookup_table() writes.
	 *
	 * @param array<string, mixed> $a sku, name, price, manage_stock, stock, stock_status, backorders, virtual, status.
	 */
	public static function product( array $a = array(), int $parent = 0 ): int {
		global $wpdb;
		$a  = array_merge(
			array(
				'sku'          => '',
				'name'         => 'Product',
				'price'        => '100',
				'manage_stock' => false,
				'stock'        => null,
				'stock_status' => 'instock',
				'backorders'   => 'no',
				'virtual'      => false,
				'status'       => 'publish',
				'meta'         => array(),
			),
			$a
		);
		$id = self::post( $parent > 0 ? 'product_variation' : 'product', $a['name'], $a['status'], $parent );
		self::meta(
			$id,
			array_merge(
				array(
					'_sku'          => $a['sku'],
					'_price'        => $a['price'],
					'_regular_price' => $a['price'],
					'_manage_stock' => $a['manage_stock'] ? 'yes' : 'no',
					'_stock'        => null === $a['stock'] ? '' : (string) $a['stock'],
					'_stock_status' => $a['stock_status'],
					'_backorders'   => $a['backorders'],
					'_virtual'      => $a['virtual'] ? 'yes' : 'no',
					'_downloadable' => 'no',
				),
				$a['meta']
			)
		);
		$wpdb->insert(
			$wpdb->prefix . 'wc_product_meta_lookup',
			array(
				'product_id'     => $id,
				'sku'            => $a['sku'],
				'virtual'        => $a['virtual'] ? 1 : 0,
				'stock_quantity' => $a['manage_stock'] ? $a['stock'] : null,
				'stock_status'   => $a['stock_status'],
				'min_price'      => $a['price'],
				'max_price'      => $a['price'],
			)
		);
		self::check();
		return $id;
	}

	/** A coupon post with its meta (WC_Coupon_Data_Store_CPT). */
	public static function coupon( string $code, array $meta = array(), string $date = '2026-01-01 00:00:00' ): int {
		$id = self::post( 'shop_coupon', $code, 'publish', 0, $date );
		self::meta(
			$id,
			array_merge(
				array(
					'discount_type'        => 'percent',
					'coupon_amount'        => '10',
					'usage_count'          => '0',
					'usage_limit'          => '0',
					'usage_limit_per_user' => '0',
					'date_expires'         => '',
					'customer_email'       => array(),
					'minimum_amount'       => '',
					'maximum_amount'       => '',
				),
				$meta
			)
		);
		return $id;
	}

	/**
	 * A product category (taxonomy `product_cat`) as wp_insert_term() stores it: a wp_terms row and its
	 * wp_term_taxonomy row. The term_taxonomy_id is made to differ from the term_id (term_id + 1000), so code that
	 * mixes the two up fails. Returns the term_id (what coupons and wc_get_product_cat_ids() use).
	 */
	public static function category( string $name, int $parent = 0 ): int {
		global $wpdb;
		$wpdb->insert(
			$wpdb->terms,
			array(
				'name' => $name,
				'slug' => trim( (string) preg_replace( '/[^a-z0-9]+/', '-', strtolower( $name ) ), '-' ),
			)
		);
		self::check();
		$term_id = (int) $wpdb->insert_id;
		$wpdb->insert(
			$wpdb->term_taxonomy,
			array(
				'term_taxonomy_id' => $term_id + 1000,
				'term_id'          => $term_id,
				'taxonomy'         => 'product_cat',
				'description'      => '',
				'parent'           => $parent,
			)
		);
		self::check();
		return $term_id;
	}

	/**
	 * Files a post under terms, as wp_set_object_terms() does (wp_term_relationships rows by term_taxonomy_id).
	 *
	 * @param list<int> $term_ids Term ids (Shop::category()).
	 * @param string    $taxonomy Taxonomy.
	 */
	public static function categorize( int $post_id, array $term_ids, string $taxonomy = 'product_cat' ): void {
		global $wpdb;
		foreach ( $term_ids as $term_id ) {
			$tt_id = (int) $wpdb->get_var( $wpdb->prepare( "SELECT term_taxonomy_id FROM {$wpdb->term_taxonomy} WHERE term_id = %d AND taxonomy = %s", $term_id, $taxonomy ) );
			$wpdb->insert(
				$wpdb->term_relationships,
				array(
					'object_id'        => $post_id,
					'term_taxonomy_id' => $tt_id,
				)
			);
			self::check();
		}
	}

	/** Empties the term tables (TestCase::setUp() does not know them). */
	public static function clear_terms(): void {
		global $wpdb;
		foreach ( array( $wpdb->terms, $wpdb->term_taxonomy, $wpdb->term_relationships ) as $table ) {
			$wpdb->query( "DELETE FROM {$table}" );
		}
		self::check();
	}

	/** A user, optionally with a billing_email user meta. */
	public static function user( string $email, ?string $billing_email = null ): int {
		global $wpdb;
		$wpdb->insert(
			$wpdb->users,
			array(
				'user_login' => 'u' . substr( md5( $email . microtime() ), 0, 10 ),
				'user_email' => $email,
			)
		);
		self::check();
		$id = (int) $wpdb->insert_id;
		if ( null !== $billing_email ) {
			$wpdb->insert(
				$wpdb->usermeta,
				array(
					'user_id'    => $id,
					'meta_key'   => 'billing_email',
					'meta_value' => $billing_email,
				)
			);
			self::check();
		}
		return $id;
	}

	/** A pending order (posts or HPOS table) holding stock in wc_reserved_stock (ReserveStock::reserve_stock_for_order()). */
	public static function reservation( int $product_id, int $quantity, int $expires_in = 600, string $status = 'wc-pending', bool $hpos = false ): int {
		global $wpdb;
		if ( $hpos ) {
			$order_id = 900000 + (int) $wpdb->get_var( "SELECT COUNT(*) FROM {$wpdb->prefix}wc_orders" ) + 1;
			$wpdb->insert(
				$wpdb->prefix . 'wc_orders',
				array(
					'id'     => $order_id,
					'status' => $status,
					'type'   => 'shop_order',
				)
			);
		} else {
			$order_id = self::post( 'shop_order', 'Order', $status );
		}
		self::check();
		$wpdb->query(
			$wpdb->prepare(
				"INSERT INTO {$wpdb->prefix}wc_reserved_stock (order_id, product_id, stock_quantity, timestamp, expires) VALUES (%d, %d, %d, NOW(), DATE_ADD(NOW(), INTERVAL %d SECOND))",
				$order_id,
				$product_id,
				$quantity,
				$expires_in
			)
		);
		self::check();
		return $order_id;
	}

	/**
	 * Stores a session as WC_Session_Handler::save_data() does: each value maybe_serialize()d by set(), the array
	 * maybe_serialize()d again.
	 *
	 * @param array<string, mixed> $data Session values.
	 */
	public static function session( string $key, array $data, int $expiry = 0 ): void {
		global $wpdb;
		$stored = array();
		foreach ( $data as $name => $value ) {
			$stored[ $name ] = is_array( $value ) || is_object( $value ) ? serialize( $value ) : $value;
		}
		$wpdb->insert(
			$wpdb->prefix . 'woocommerce_sessions',
			array(
				'session_key'    => $key,
				'session_value'  => serialize( $stored ),
				'session_expiry' => $expiry > 0 ? $expiry : time() + 172800,
			)
		);
		self::check();
	}

	/**
	 * The session's shipping for an order whose shipping was chosen inside Klarna's checkout (its
	 * `selected_shipping_option`): with Klarna's shipping service (KSS: the option has a `tms_reference`)
	 * WooCommerce's rate is the service's own, `klarna_kss:<instance>` (KCO 2.x), never the option's id; with
	 * WooCommerce's own rates shown in the iframe the option's id is the rate id (KCO_Request_Shipping_Options).
	 * Empty for an order without such an option.
	 *
	 * @param array<string, mixed> $order Klarna order.
	 * @return array<string, mixed> chosen_shipping_methods and shipping_for_package_0.
	 */
	public static function iframe_shipping( array $order ): array {
		if ( ! isset( $order['selected_shipping_option']['id'] ) ) {
			return array();
		}
		$rate = isset( $order['selected_shipping_option']['tms_reference'] ) ? 'klarna_kss:2' : (string) $order['selected_shipping_option']['id'];
		return array(
			'chosen_shipping_methods' => array( $rate ),
			'shipping_for_package_0'  => self::shipping_package( array( $rate ) ),
		);
	}

	/**
	 * The session's `shipping_for_package_0` as WC_Shipping::calculate_shipping_for_package() stores it: `rates`
	 * keyed by rate id, holding WC_Shipping_Rate objects.
	 *
	 * @param list<string> $rate_ids Rate ids.
	 */
	public static function shipping_package( array $rate_ids ): string {
		$rates = array();
		foreach ( $rate_ids as $rate_id ) {
			$rate       = new \stdClass();
			$rate->data = array(
				'id'    => $rate_id,
				'cost'  => '39.2',
				'label' => 'Rate ' . $rate_id,
			);
			$rates[ $rate_id ] = $rate;
		}
		$serialized = serialize(
			array(
				'package_hash' => 'wc_ship_' . md5( implode( ',', $rate_ids ) ),
				'rates'        => $rates,
			)
		);
		return str_replace( 'O:8:"stdClass"', 'O:16:"WC_Shipping_Rate"', $serialized );
	}

	/** Fails loudly on a database error. */
	private static function check(): void {
		global $wpdb;
		if ( '' !== $wpdb->last_error ) {
			throw new \RuntimeException( 'fixture SQL failed: ' . $wpdb->last_error );
		}
	}
}
