<?php
/**
 * Which of a cart's shipping rates WooCommerce's shipping methods still offer, after the shop changed them.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin\Snapshot;

defined( 'ABSPATH' ) || exit;

/**
 * A rate id of a zone method is `<method_id>:<instance_id>` (`flat_rate:3`; WC_Shipping_Method::get_rate_id()); its
 * method instance is a row of `{prefix}woocommerce_shipping_zone_methods` (instance_id, method_id, is_enabled), in
 * WooCommerce 3.x as in 9.x. WooCommerce's checkout calculates the rates again and refuses a chosen rate it no longer
 * offers; the session keeps the rates of the last calculation. Read only when the shop's shipping changed since the
 * cart was calculated (Integration\CartStamp), in one query by primary key: a rate is gone when its instance is
 * disabled, belongs to another method, or no longer exists and its method is one of WooCommerce's own zone methods
 * (a rate of another plugin whose id only looks alike is left alone).
 */
class ShippingMethods {

	/** WooCommerce's own zone methods: their rates always have an instance row. */
	const CORE = array( 'flat_rate', 'free_shipping', 'local_pickup' );

	/**
	 * The database.
	 *
	 * @var \wpdb
	 */
	private $wpdb;

	/**
	 * Constructor.
	 *
	 * @param \wpdb|object $wpdb WordPress database.
	 */
	public function __construct( $wpdb ) {
		$this->wpdb = $wpdb;
	}

	/**
	 * The rate ids among these that WooCommerce would no longer offer. One query (none without a zone method's rate).
	 *
	 * @param list<string> $rate_ids Rate ids.
	 * @return list<string>
	 * @throws \RuntimeException On a database error.
	 */
	public function gone( array $rate_ids ): array {
		$instances = array();
		foreach ( array_unique( $rate_ids ) as $rate_id ) {
			if ( 1 === preg_match( '/^([a-z0-9_-]+):([0-9]{1,18})$/D', $rate_id, $m ) ) {
				$instances[ $rate_id ] = array( $m[1], (int) $m[2] );
			}
		}
		if ( array() === $instances ) {
			return array();
		}
		$wpdb = $this->wpdb;
		$ids  = array_values( array_unique( array_column( $instances, 1 ) ) );
		$rows = $wpdb->get_results(
			$wpdb->prepare( "SELECT instance_id, method_id, is_enabled FROM {$wpdb->prefix}woocommerce_shipping_zone_methods WHERE instance_id IN (" . implode( ',', array_fill( 0, count( $ids ), '%d' ) ) . ')', $ids ), // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
			ARRAY_A
		);
		if ( '' !== (string) $wpdb->last_error ) {
			throw new \RuntimeException( 'database error reading shipping methods: ' . $wpdb->last_error );
		}
		$by_id = array();
		foreach ( (array) $rows as $row ) {
			$by_id[ (int) $row['instance_id'] ] = $row;
		}
		$gone = array();
		foreach ( $instances as $rate_id => list( $method, $instance ) ) {
			$row = $by_id[ $instance ] ?? null;
			if ( null === $row ) {
				if ( in_array( $method, self::CORE, true ) ) {
					$gone[] = $rate_id;
				}
			} elseif ( (string) $row['method_id'] !== $method || ! (bool) (int) $row['is_enabled'] ) {
				$gone[] = $rate_id;
			}
		}
		return $gone;
	}
}
