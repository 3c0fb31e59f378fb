<?php
/**
 * The shipping keys of the snapshot's `cart` section.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin\Snapshot;

defined( 'ABSPATH' ) || exit;

/**
 * Reads:
 * - `shipping_enabled`: wc_shipping_enabled() (option `woocommerce_ship_to_countries` not 'disabled');
 * - `needs_shipping`: WC_Cart::needs_shipping() without building the cart: shipping enabled and a cart line whose
 *   product is not virtual (a product that is gone counts as needing shipping: fail closed), then the
 *   `woocommerce_cart_needs_shipping` filter;
 * - `chosen_shipping`: the session's `chosen_shipping_methods` (WC_Cart_Session);
 * - `available_shipping`: the rate ids of the session's `shipping_for_package_N` caches, which
 *   WC_Shipping::calculate_shipping_for_package() stores keyed by rate id.
 * No query: the products come from query 1, the rest from the session and options. Rates are never calculated
 * again (no carrier APIs inside Klarna's time limit).
 */
final class Shipping {

	/**
	 * wc_shipping_enabled().
	 */
	public static function enabled(): bool {
		return function_exists( 'wc_shipping_enabled' ) ? (bool) wc_shipping_enabled() : 'disabled' !== get_option( 'woocommerce_ship_to_countries' );
	}

	/**
	 * WC_Cart::needs_shipping() for the cart lines.
	 *
	 * @param bool                             $enabled Shipping enabled.
	 * @param list<array<string, mixed>>       $lines   Cart lines (product_id, variation_id).
	 * @param array<int, array<string, mixed>> $rows    Products by id.
	 */
	public static function needs_shipping( bool $enabled, array $lines, array $rows ): bool {
		$needs = false;
		if ( $enabled ) {
			foreach ( $lines as $line ) {
				$row = $rows[ $line['variation_id'] > 0 ? $line['variation_id'] : $line['product_id'] ] ?? null;
				// A product that is gone is assumed to need shipping (fail closed).
				if ( null === $row || ! $row['virtual'] ) {
					$needs = true;
					break;
				}
			}
		}
		return (bool) apply_filters( 'woocommerce_cart_needs_shipping', $needs );
	}

	/**
	 * Chosen rate ids (session chosen_shipping_methods).
	 *
	 * @param SessionData $session Session.
	 * @return list<string>
	 */
	public static function chosen( SessionData $session ): array {
		$chosen = $session->get( 'chosen_shipping_methods', array() );
		$ids    = array();
		foreach ( is_array( $chosen ) ? $chosen : array() as $rate ) {
			if ( is_scalar( $rate ) && '' !== (string) $rate ) {
				$ids[] = (string) $rate;
			}
		}
		return $ids;
	}

	/**
	 * Rate ids WooCommerce calculated for the address, from the session's `shipping_for_package_N` caches
	 * (WC_Shipping::calculate_shipping_for_package() stores `rates` keyed by rate id).
	 *
	 * @param SessionData $session Session.
	 * @return list<string>
	 */
	public static function available( SessionData $session ): array {
		$ids = array();
		foreach ( $session->all() as $name => $value ) {
			if ( 1 !== preg_match( '/^shipping_for_package_[0-9]+$/D', (string) $name ) || ! is_array( $value ) ) {
				continue;
			}
			foreach ( is_array( $value['rates'] ?? null ) ? array_keys( $value['rates'] ) : array() as $rate_id ) {
				$ids[] = (string) $rate_id;
			}
		}
		return array_values( array_unique( $ids ) );
	}
}
