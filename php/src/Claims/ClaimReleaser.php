<?php
/**
 * Releases a Klarna order's stock claim when WooCommerce's order for it takes the stock, fails or is cancelled.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin\Claims;

defined( 'ABSPATH' ) || exit;

/**
 * A claim holds the stock from Klarna's approval until WooCommerce's own order takes it. Hooks, for both ways the
 * order comes about:
 *
 * - KCO 1.x creates the WooCommerce order after Klarna completed the purchase (the confirmation page submits the
 *   checkout; the push callback's fallback creates it otherwise) and stores the Klarna order id as
 *   `_wc_klarna_order_id` (Klarna_Checkout_For_WooCommerce_Confirmation::save_kco_order_id_field() on
 *   `woocommerce_checkout_order_processed`; create-local-order-fallback), then `payment_complete()` (gateway
 *   process_payment_handler()).
 * - Kustom Checkout 2.x creates the order before Klarna's callback (the checkout form is submitted on Klarna's
 *   client-side `validation_callback`) and stores `_wc_klarna_order_id` when the payment is processed
 *   (KCO_Gateway::save_metadata_to_order()); the claim names that order (the session's `order_awaiting_payment`).
 *
 * Either way WooCommerce then reduces the stock (wc_maybe_reduce_stock_levels() on `woocommerce_payment_complete`
 * and the processing / completed / on-hold status changes; wc_reduce_stock_levels() fires
 * `woocommerce_reduce_order_stock`), and releases its own reservation on the same hooks (wc_release_stock_for_order(),
 * priority 11). The claim is released on `woocommerce_reduce_order_stock`, on those hooks too (priority 20, after
 * WooCommerce), and when the order fails or is cancelled. Only orders paid with Klarna (payment method `kco`) or
 * naming a Klarna order are looked at; each release is one DELETE by the Klarna order id and the order id.
 */
final class ClaimReleaser {

	/** The WooCommerce hooks that release, with the priority used. */
	const HOOKS = array(
		'woocommerce_reduce_order_stock'       => 20,
		'woocommerce_payment_complete'         => 20,
		'woocommerce_order_status_processing'  => 20,
		'woocommerce_order_status_completed'   => 20,
		'woocommerce_order_status_on-hold'     => 20,
		'woocommerce_order_status_failed'      => 20,
		'woocommerce_order_status_cancelled'   => 20,
	);

	/** The claims table (built on first use). */
	private ?ClaimStore $store;

	/**
	 * Constructor.
	 *
	 * @param ClaimStore|null $store The claims table (default: on the global database, when needed).
	 */
	public function __construct( ?ClaimStore $store = null ) {
		$this->store = $store;
	}

	/**
	 * Hooks.
	 */
	public function register(): void {
		foreach ( self::HOOKS as $hook => $priority ) {
			add_action( $hook, array( $this, 'release' ), $priority, 2 );
		}
	}

	/**
	 * Releases the claims of a WooCommerce order's Klarna order (and any claim naming the order itself). Never
	 * throws: a failed release leaves a claim that expires on its own.
	 *
	 * @param mixed $order A WC_Order or an order id: `woocommerce_reduce_order_stock` passes the order, the status
	 *                     hooks ( $order_id, $order ), `woocommerce_payment_complete` ( $order_id, $transaction_id ).
	 * @param mixed $other The hook's second argument.
	 * @return int Claims released.
	 */
	public function release( $order, $other = null ): int {
		if ( ! ClaimStore::installed() ) {
			return 0;
		}
		try {
			if ( ! is_object( $order ) && is_object( $other ) && method_exists( $other, 'get_id' ) ) {
				$order = $other;
			}
			if ( ! is_object( $order ) && is_numeric( $order ) && function_exists( 'wc_get_order' ) ) {
				$order = wc_get_order( (int) $order );
			}
			if ( ! is_object( $order ) || ! method_exists( $order, 'get_id' ) ) {
				return 0;
			}
			$klarna_order_id = self::klarna_order_id( $order );
			if ( '' === $klarna_order_id && ! self::paid_with_klarna( $order ) ) {
				return 0;
			}
			$this->store = $this->store ?? new ClaimStore();
			return $this->store->release( $klarna_order_id, (int) $order->get_id() );
		} catch ( \Throwable $e ) {
			return 0;
		}
	}

	/**
	 * The Klarna order id a WooCommerce order was made for: `_wc_klarna_order_id` (KCO 1.x, Kustom 2.x), else the
	 * transaction id of an order paid with Klarna ('' when none).
	 *
	 * @param object $order WC_Order.
	 */
	public static function klarna_order_id( $order ): string {
		$id = method_exists( $order, 'get_meta' ) ? $order->get_meta( '_wc_klarna_order_id', true ) : '';
		if ( ( ! is_string( $id ) || '' === $id ) && self::paid_with_klarna( $order ) && method_exists( $order, 'get_transaction_id' ) ) {
			$id = $order->get_transaction_id();
		}
		return is_string( $id ) ? substr( trim( $id ), 0, 64 ) : '';
	}

	/**
	 * Whether the order's payment method is Klarna's (`kco`, both KCO 1.x and Kustom 2.x).
	 *
	 * @param object $order WC_Order.
	 */
	private static function paid_with_klarna( $order ): bool {
		return method_exists( $order, 'get_payment_method' ) && 'kco' === $order->get_payment_method();
	}
}
