<?php
/**
 * The claim step of an approval: take the approved quantities from stock for the Klarna order, or decide again.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin\Claims;

use KcoValidation\Plugin\Decision\Decider;
use KcoValidation\Plugin\Decision\Decision;
use KcoValidation\Plugin\Settings;
use KcoValidation\Plugin\Snapshot\TimeBudget;

defined( 'ABSPATH' ) || exit;

/**
 * After the extension approved an order (Decider), claims what the approval takes (the verdict's `claims`: per stock
 * owner with managed stock and no backorders, the quantity ordered) for the Klarna order, atomically
 * (ClaimStore::claim()). When another callback claimed the same units first, the claim is refused: the order is
 * decided again by the extension on the stock and held quantities as they stood at that moment, and the answer is
 * that decision (out_of_stock / insufficient_stock, with the numbers the shopper should see). Nothing to claim (no
 * managed stock, claims off, the table not installed yet): the decision stands as it is.
 */
final class Claimer {

	/** The claims table. */
	private ClaimStore $store;

	/** Settings. */
	private Settings $settings;

	/**
	 * Constructor.
	 *
	 * @param ClaimStore $store    The claims table.
	 * @param Settings   $settings Settings.
	 */
	public function __construct( ClaimStore $store, Settings $settings ) {
		$this->store    = $store;
		$this->settings = $settings;
	}

	/**
	 * Whether claims are made and counted at all for this order.
	 *
	 * @param string $klarna_order_id Klarna's order id.
	 */
	public function active( string $klarna_order_id = '' ): bool {
		return ClaimStore::installed() && $this->settings->claim_minutes( $klarna_order_id ) > 0;
	}

	/**
	 * The decision as answered: the approval with its claim made, or the decision made again when the stock was
	 * claimed by another order in the meantime. A database error (a lock wait cut by its limit included) throws: the
	 * caller answers by the internal-fault policy.
	 *
	 * @param Decision                     $decision The extension's decision.
	 * @param \KcoValidation\Order         $order    The parsed Klarna order.
	 * @param array<int, list<int>>        $groups   Per stock owner id, its ids (its translations' too), from the snapshot's Stock section.
	 * @param TimeBudget|null              $budget   The callback's time guard.
	 * @throws \Throwable On a database error.
	 */
	public function settle( Decision $decision, $order, array $groups, ?TimeBudget $budget = null ): Decision {
		$klarna_order_id = (string) $order->id();
		if ( ! $decision->approved() || '' === $klarna_order_id || ! $this->active( $klarna_order_id ) ) {
			return $decision;
		}
		$owners = array();
		foreach ( is_array( $decision->verdict['claims'] ?? null ) ? $decision->verdict['claims'] : array() as $claim ) {
			$owner    = (int) ( $claim['stock_owner_id'] ?? 0 );
			$quantity = (int) ( $claim['quantity'] ?? 0 );
			if ( $owner > 0 && $quantity > 0 ) {
				$owners[ $owner ] = array(
					'quantity' => ( $owners[ $owner ]['quantity'] ?? 0 ) + $quantity,
					'members'  => array_values( array_unique( array_map( 'intval', $groups[ $owner ] ?? array( $owner ) ) ) ),
				);
			}
		}
		if ( array() === $owners ) {
			return $decision;
		}
		$own_order = (int) ( $decision->snapshot['session']['own_order_id'] ?? 0 );
		$standing  = $this->store->claim( $klarna_order_id, $owners, $own_order, $this->settings->claim_minutes( $klarna_order_id ), $budget );
		if ( null === $standing ) {
			$decision->claimed = array_sum( array_column( $owners, 'quantity' ) );
			return $decision;
		}
		return Decider::decide_snapshot( $order, self::restated( $decision->snapshot, $standing ), $decision->session );
	}

	/**
	 * The snapshot with the stock and held quantities of the claimed owners as they stood when the claim was refused.
	 *
	 * @param array<string, mixed>                     $snapshot Snapshot.
	 * @param array<int, array{stock: int, held: int}> $standing Per stock owner id.
	 * @return array<string, mixed>
	 */
	private static function restated( array $snapshot, array $standing ): array {
		foreach ( is_array( $snapshot['products'] ?? null ) ? $snapshot['products'] : array() as $key => $product ) {
			$owner = is_array( $product ) ? (int) ( $product['stock_owner_id'] ?? 0 ) : 0;
			if ( isset( $standing[ $owner ] ) && true === ( $product['manage_stock'] ?? false ) ) {
				$snapshot['products'][ $key ]['stock_quantity'] = $standing[ $owner ]['stock'];
				$snapshot['products'][ $key ]['held']           = $standing[ $owner ]['held'];
			}
		}
		return $snapshot;
	}
}
