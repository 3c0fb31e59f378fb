<?php
/**
 * Records, when WooCommerce calculates a shopper's cart, what that calculation rested on.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin\Integration;

use KcoValidation\Plugin\Request\Endpoint;

defined( 'ABSPATH' ) || exit;

/**
 * The callback decides on the cart as WooCommerce last calculated it (the session's totals and rates), but
 * WooCommerce's own checkout calculates it again: a product's price or the shop's shipping methods changed since
 * make its answer differ (make test-real: the price_changed and chosen_rate_no_longer_offered scenarios). So, in the
 * shopper's own requests — `woocommerce_after_calculate_totals`, whoever calculates (cart and checkout pages,
 * `?wc-ajax=`, the Store API, KCO updating the Klarna order) — the session records:
 *
 * - `prices`: per cart item key, the product's stored price (`_price`, the variation's for a variation: what the
 *   data store read, before any plugin changed the cart item's price for this request), and
 * - `shipping`: WooCommerce's shipping cache version (`shipping-transient-version`, bumped by WooCommerce whenever
 *   zones or methods change; it is part of every package's rate hash),
 *
 * which the snapshot compares with the shop's state at the callback (Snapshot\SnapshotBuilder). Nothing is written
 * when nothing changed (WC_Session::set() writes only a changed value); no query: the products' meta is cached by
 * WooCommerce's own loading, the version is an autoloaded transient. Never during the callback itself (it calculates
 * nothing) nor on admin screens.
 */
final class CartStamp {

	/** The session key. */
	const SESSION_KEY = 'kco_validation_cart_stamp';

	/**
	 * Hooks.
	 */
	public function register(): void {
		add_action( 'woocommerce_after_calculate_totals', array( self::class, 'record' ), PHP_INT_MAX );
	}

	/**
	 * Records the stamp of a cart just calculated.
	 *
	 * @param mixed $cart The WC_Cart.
	 */
	public static function record( $cart = null ): void {
		if ( ( function_exists( 'is_admin' ) && is_admin() && ! ( function_exists( 'wp_doing_ajax' ) && wp_doing_ajax() ) ) || ! function_exists( 'WC' ) ) {
			return;
		}
		if ( Endpoint::is_validation_request() ) {
			return; // The callback calculates nothing of the shopper's; compare mode's copy of their cart is not theirs.
		}
		$wc      = WC();
		$session = is_object( $wc ) && isset( $wc->session ) && is_object( $wc->session ) ? $wc->session : null;
		if ( null === $session || ! is_object( $cart ) || ! method_exists( $cart, 'get_cart' ) ) {
			return;
		}
		$stamp = self::stamp( (array) $cart->get_cart() );
		if ( $session->get( self::SESSION_KEY ) !== $stamp ) {
			$session->set( self::SESSION_KEY, $stamp );
		}
	}

	/**
	 * The stamp of cart items (key => item with product_id, variation_id).
	 *
	 * @param array<array-key, mixed> $items Cart items.
	 * @return array{prices: array<string, string>, shipping: string}
	 */
	public static function stamp( array $items ): array {
		$prices = array();
		foreach ( $items as $key => $item ) {
			if ( ! is_array( $item ) ) {
				continue;
			}
			$id = (int) ( $item['variation_id'] ?? 0 ) > 0 ? (int) $item['variation_id'] : (int) ( $item['product_id'] ?? 0 );
			if ( $id > 0 ) {
				$prices[ (string) $key ] = (string) get_post_meta( $id, '_price', true );
			}
		}
		return array(
			'prices'   => $prices,
			'shipping' => self::shipping_version(),
		);
	}

	/**
	 * WooCommerce's shipping cache version now (WC_Cache_Helper::get_transient_version( 'shipping' ) without
	 * creating it when missing: '' then).
	 */
	public static function shipping_version(): string {
		$version = function_exists( 'get_transient' ) ? get_transient( 'shipping-transient-version' ) : false;
		return is_scalar( $version ) && false !== $version ? (string) $version : '';
	}
}
