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
 * - `needs_shipping`: WC_Cart::needs_shipping() (3.9 … 10.x) without building the cart: false when shipping is
 *   disabled or no shipping method is set up (`wc_get_shipping_method_count( true )`, WooCommerce's transient), else
 *   whether a cart line's product needs shipping (not virtual, through `woocommerce_product_needs_shipping` when a
 *   shop filters it; a product that is gone counts as needing shipping: fail closed), then the
 *   `woocommerce_cart_needs_shipping` filter. The extension takes the result as WooCommerce's answer;
 * - `chosen_shipping`: the session's `chosen_shipping_methods` (WC_Cart_Session);
 * - `available_shipping`: the rate ids of the session's `shipping_for_package_N` caches, which
 *   WC_Shipping::calculate_shipping_for_package() stores keyed by rate id;
 * - `packages`: each package's rates and its chosen rate (`chosen_shipping_methods[N]`), for WooCommerce's checkout
 *   rule that every package's chosen rate is one of its rates (WC_Checkout::validate_checkout()).
 * No query of our own: the products come from query 1, the rest from the session and options
 * (wc_get_shipping_method_count() reads its transient, and counts the zone methods when it has expired). Rates are
 * never calculated again (no carrier APIs inside Klarna's time limit).
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
		// As WC_Cart::needs_shipping(): neither the items nor the filter are asked when no method is set up.
		if ( ! $enabled || 0 === self::method_count() ) {
			return false;
		}
		$filtered = has_filter( 'woocommerce_product_needs_shipping' ) && function_exists( 'wc_get_product' );
		$needs    = false;
		foreach ( $lines as $line ) {
			$id  = $line['variation_id'] > 0 ? $line['variation_id'] : $line['product_id'];
			$row = $rows[ $id ] ?? null;
			// A product that is gone is assumed to need shipping (fail closed).
			$item = null === $row || ! $row['virtual'];
			if ( $filtered && null !== $row ) {
				// WC_Product::needs_shipping(): the filter gets the product object (loaded only for shops that filter).
				$product = wc_get_product( $id );
				if ( $product ) {
					$item = (bool) apply_filters( 'woocommerce_product_needs_shipping', ! $row['virtual'], $product );
				}
			}
			if ( $item ) {
				$needs = true;
				break;
			}
		}
		return (bool) apply_filters( 'woocommerce_cart_needs_shipping', $needs );
	}

	/**
	 * wc_get_shipping_method_count( true ): zone methods (enabled or not, as WooCommerce counts them) plus enabled
	 * legacy methods. Shops without the function count as having one.
	 */
	private static function method_count(): int {
		return function_exists( 'wc_get_shipping_method_count' ) ? (int) wc_get_shipping_method_count( true ) : 1;
	}

	/**
	 * The session's cart totals as WooCommerce calculates them without shipping (WC_Cart_Totals: the shipping lines
	 * and their tax are left out of the total and the tax total).
	 *
	 * @param array<string, mixed> $totals Session cart_totals.
	 * @return array<string, mixed>
	 */
	public static function without_shipping( array $totals ): array {
		$shipping_tax             = $totals['shipping_tax'] ?? 0;
		$totals['total']          = Money::subtract( Money::subtract( $totals['total'] ?? 0, $totals['shipping_total'] ?? 0 ), $shipping_tax );
		$totals['total_tax']      = Money::subtract( $totals['total_tax'] ?? 0, $shipping_tax );
		$totals['shipping_total'] = '0';
		$totals['shipping_tax']   = '0';
		return $totals;
	}

	/**
	 * Each shipping package's rates and chosen rate, in package order.
	 *
	 * @param SessionData $session Session.
	 * @return list<array{chosen: string|null, rates: list<string>}>
	 */
	public static function packages( SessionData $session ): array {
		$chosen   = $session->get( 'chosen_shipping_methods', array() );
		$chosen   = is_array( $chosen ) ? $chosen : array();
		$packages = array();
		foreach ( $session->all() as $name => $value ) {
			if ( 1 !== preg_match( '/^shipping_for_package_([0-9]+)$/D', (string) $name, $m ) || ! is_array( $value ) ) {
				continue;
			}
			$rate  = $chosen[ (int) $m[1] ] ?? null;
			$rates = array();
			foreach ( is_array( $value['rates'] ?? null ) ? array_keys( $value['rates'] ) : array() as $rate_id ) {
				$rates[] = (string) $rate_id;
			}
			$packages[ (int) $m[1] ] = array(
				'chosen' => is_scalar( $rate ) && '' !== (string) $rate ? (string) $rate : null,
				'rates'  => $rates,
			);
		}
		ksort( $packages );
		return array_values( $packages );
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
