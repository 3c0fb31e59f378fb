<?php
/**
 * The snapshot's `products` entries: stock owners, held stock, purchasability, subscription and sale facts.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin\Snapshot;

use KcoValidation\Plugin\Claims\ClaimStore;
use KcoValidation\Plugin\Multilingual\Translations;

defined( 'ABSPATH' ) || exit;

/**
 * Reads, for the products the references resolved to (ReferenceResolver, whose rows it gets):
 * - the stock owner of each: WC_Product_Variation::get_stock_managed_by_id() (the parent when a variation does not
 *   manage its own stock and the parent does), and the store-wide `woocommerce_manage_stock` option
 *   (WC_Product::managing_stock());
 * - in a multilingual shop, one owner for all translations of a product (WooCommerce Multilingual and Polylang for
 *   WooCommerce keep one stock): named by its canonical id (Translations::canonical()), stock held under any
 *   translation's id counts against it;
 * - held stock: query 3 (ProductRepository::held_stock()): what WooCommerce holds for other checkouts, as the
 *   running version's wc_get_held_stock_quantity() counts it (ReservedStock: 4.3+ the unexpired wc_reserved_stock
 *   rows of other pending or draft orders, filter `woocommerce_query_for_reserved_stock` included; 3.9–4.2 the
 *   `_qty` of other pending checkout orders), the shopper's own order excluded (session `order_awaiting_payment` /
 *   `store_api_draft_order`), plus the unexpired stock claims of other Klarna orders (Claims\ClaimStore); no query
 *   when no owner manages stock or nothing can be held;
 * - `on_sale`: WC_Product::is_on_sale() (includes/abstracts/abstract-wc-product.php) from the product's or
 *   variation's own `_sale_price`, `_regular_price`, `_sale_price_dates_from` and `_sale_price_dates_to` postmeta,
 *   read by query 1 (no query of its own);
 * - WooCommerce Subscriptions: active (filter `kco_validation_subscriptions_active`), `_subscription_period` and
 *   `_subscription_trial_length` (a variation falls back to its parent's).
 * One query (3) at most.
 */
final class Stock {

	/** Products and variations. */
	private ProductRepository $products;

	/** The shop's languages and translations. */
	private Translations $translations;

	/** The stock claims of Klarna orders (null: not counted). */
	private ?ClaimStore $claims;

	/**
	 * Per stock owner of the last entries(): its ids (every translation's in a multilingual shop), for its claim.
	 *
	 * @var array<int, list<int>>
	 */
	private array $groups = array();

	/**
	 * Constructor.
	 *
	 * @param ProductRepository $products     Products.
	 * @param Translations      $translations The shop's languages.
	 * @param ClaimStore|null   $claims       Stock claims, counted as held when the table is installed.
	 */
	public function __construct( ProductRepository $products, Translations $translations, ?ClaimStore $claims = null ) {
		$this->products     = $products;
		$this->translations = $translations;
		$this->claims       = $claims;
	}

	/**
	 * What the last entries() needs to read held stock later (held()): the owners' ids, each id's canonical owner,
	 * the shopper's own order and the Klarna order.
	 *
	 * @var array{owners: list<int>, group_of: array<int, int>, own_order: int, klarna_id: string}|null
	 */
	private ?array $pending = null;

	/**
	 * Per stock owner (canonical id) of the last entries() that manages stock: its ids.
	 *
	 * @return array<int, list<int>>
	 */
	public function groups(): array {
		return $this->groups;
	}

	/**
	 * The `products` map: an entry per Klarna reference, then one per own entry ("#<id>"). Query 3.
	 *
	 * @param array<string, int>               $map       Product id per Klarna reference.
	 * @param array<string, int>               $keyed     Product id per own entry.
	 * @param array<int, array<string, mixed>> $rows      Products by id.
	 * @param int                              $own_order The shopper's own pending order (0: none).
	 * @param bool                             $subs_on   WooCommerce Subscriptions active.
	 * @param int                              $now       Unix time (sale dates).
	 * @param string                           $klarna_id The Klarna order being decided (its own claims are not held against it).
	 * @param bool                             $read_held False: held stock is left at 0, to be read by held() only if
	 *                                                    the decision needs it (an approval's stock claim checks it).
	 * @return array<array-key, array<string, mixed>>
	 */
	public function entries( array $map, array $keyed, array $rows, int $own_order, bool $subs_on, int $now, string $klarna_id = '', bool $read_held = true ): array {
		$manage = 'yes' === get_option( 'woocommerce_manage_stock', 'yes' );

		// Query 3: held stock of the stock owners that manage stock. In a multilingual shop the translations of a
		// product share one stock (WooCommerce Multilingual, Polylang for WooCommerce): they are one owner, named
		// by its canonical id, and stock held under any translation's id counts against it.
		$owners       = array();
		$canonical    = array();
		$group_of     = array();
		$this->groups = array();
		foreach ( array_merge( array_values( $map ), array_values( $keyed ) ) as $id ) {
			$owner = self::stock_owner( $rows[ $id ], $rows );
			if ( isset( $canonical[ $owner['id'] ] ) ) {
				continue;
			}
			$type                      = $owner['variation'] ? 'product_variation' : 'product';
			$canonical[ $owner['id'] ] = $this->translations->canonical( $owner['id'], $type );
			if ( $manage && $owner['manage_stock'] ) {
				$group = $this->translations->group( $owner['id'], $type );
				foreach ( array() === $group ? array( $owner['id'] ) : array_values( $group ) as $member ) {
					$owners[]            = $member;
					$group_of[ $member ] = $canonical[ $owner['id'] ];
					$this->groups[ $canonical[ $owner['id'] ] ][] = (int) $member;
				}
			}
		}
		$this->pending = array(
			'owners'    => $owners,
			'group_of'  => $group_of,
			'own_order' => $own_order,
			'klarna_id' => $klarna_id,
		);
		$held = $read_held ? $this->read_held() : array();

		$products = array();
		foreach ( $map as $reference => $id ) {
			$products[ $reference ] = self::entry( $rows[ $id ], $rows, $held, $canonical, $manage, $subs_on, $now );
		}
		foreach ( $keyed as $key => $id ) {
			$products[ (string) $key ] = self::entry( $rows[ $id ], $rows, $held, $canonical, $manage, $subs_on, $now );
		}
		return $products;
	}

	/**
	 * The `products` map of the last entries(read_held: false) with its held stock read now (query 3).
	 *
	 * @param array<array-key, mixed> $products The `products` map.
	 * @return array<array-key, mixed>
	 */
	public function held( array $products ): array {
		$held = $this->read_held();
		foreach ( $products as $key => $product ) {
			if ( is_array( $product ) && true === ( $product['manage_stock'] ?? false ) ) {
				$products[ $key ]['held'] = $held[ (int) ( $product['stock_owner_id'] ?? 0 ) ] ?? 0;
			}
		}
		return $products;
	}

	/**
	 * Held stock by canonical owner id, for the owners of the last entries(): one query (none without owners).
	 *
	 * @return array<int, int>
	 */
	private function read_held(): array {
		if ( null === $this->pending ) {
			return array();
		}
		$owners  = $this->pending['owners'];
		$claimed = null !== $this->claims && ClaimStore::installed() ? $this->claims->held( array_values( array_unique( $owners ) ), $this->pending['klarna_id'], $this->pending['own_order'] ) : null;
		$held    = array();
		foreach ( $this->products->held_stock( $owners, $this->pending['own_order'], $claimed ) as $member => $quantity ) {
			$key          = $this->pending['group_of'][ $member ] ?? $member;
			$held[ $key ] = ( $held[ $key ] ?? 0 ) + $quantity;
		}
		return $held;
	}

	/**
	 * The shopper's own pending order (classic checkout: order_awaiting_payment; block checkout:
	 * store_api_draft_order), excluded from held stock.
	 *
	 * @param SessionData $session Session.
	 */
	public static function own_order_id( SessionData $session ): int {
		foreach ( array( 'order_awaiting_payment', 'store_api_draft_order' ) as $key ) {
			$value = $session->get( $key );
			if ( is_numeric( $value ) && (int) $value > 0 ) {
				return (int) $value;
			}
		}
		return 0;
	}

	/**
	 * Whether WooCommerce Subscriptions is active.
	 */
	public static function subscriptions_active(): bool {
		return (bool) apply_filters( 'kco_validation_subscriptions_active', class_exists( 'WC_Subscriptions', false ) || class_exists( 'WC_Subscriptions_Core_Plugin', false ) );
	}

	/**
	 * WC_Product::is_on_sale( 'view' ) from the product's own meta: a sale price is set and lower than the regular
	 * price (compared as WooCommerce compares the two strings), and now is inside the sale's dates (from ≤ now,
	 * to ≥ now; a date that is empty or 0 is no bound). The `woocommerce_product_is_on_sale` filter is not applied
	 * (it expects a WC_Product).
	 *
	 * @param array<string, mixed> $row Product row (sale_price, regular_price, sale_from, sale_to).
	 * @param int                  $now Unix time.
	 */
	public static function on_sale( array $row, int $now ): bool {
		$sale    = (string) ( $row['sale_price'] ?? '' );
		$regular = (string) ( $row['regular_price'] ?? '' );
		if ( '' === $sale || ! ( $regular > $sale ) ) {
			return false;
		}
		$from = $row['sale_from'] ?? null;
		$to   = $row['sale_to'] ?? null;
		if ( null !== $from && $from > $now ) {
			return false;
		}
		return ! ( null !== $to && $to < $now );
	}

	/**
	 * The row whose stock counts (WC_Product_Variation::get_stock_managed_by_id()): the parent when a variation
	 * does not manage its own stock and the parent does.
	 *
	 * @param array<string, mixed>             $row  Product.
	 * @param array<int, array<string, mixed>> $rows Products by id.
	 * @return array<string, mixed>
	 */
	private static function stock_owner( array $row, array $rows ): array {
		if ( $row['variation'] && ! $row['manage_stock'] ) {
			$parent = $rows[ $row['parent_id'] ] ?? null;
			if ( null !== $parent && $parent['manage_stock'] ) {
				return $parent;
			}
		}
		return $row;
	}

	/**
	 * One `products` entry.
	 *
	 * @param array<string, mixed>             $row       Product.
	 * @param array<int, array<string, mixed>> $rows      Products by id.
	 * @param array<int, int>                  $held      Held stock by canonical owner id.
	 * @param array<int, int>                  $canonical Canonical id of each stock owner (translations: one).
	 * @param bool                             $manage    Store-wide stock management on.
	 * @param bool                             $subs_on   WooCommerce Subscriptions active.
	 * @param int                              $now       Unix time.
	 * @return array<string, mixed>
	 */
	private static function entry( array $row, array $rows, array $held, array $canonical, bool $manage, bool $subs_on, int $now ): array {
		$owner    = self::stock_owner( $row, $rows );
		$owner_id = $canonical[ $owner['id'] ] ?? $owner['id'];
		$parent   = $row['variation'] ? ( $rows[ $row['parent_id'] ] ?? null ) : null;
		$managed  = $manage && $owner['manage_stock'];
		$status   = in_array( $row['stock_status'], array( 'instock', 'outofstock', 'onbackorder' ), true ) ? $row['stock_status'] : 'instock';
		$back     = in_array( $owner['backorders'], array( 'no', 'notify', 'yes' ), true ) ? $owner['backorders'] : 'no';
		$buyable  = 'publish' === $row['status'] && '' !== $row['price'];
		$period   = '' !== $row['subscription_period'] ? $row['subscription_period'] : ( $parent['subscription_period'] ?? '' );
		$is_sub   = $subs_on && '' !== $period;
		if ( $row['variation'] ) {
			$buyable = $buyable && null !== $parent && 'publish' === $parent['status'];
		}
		return array(
			'id'             => $row['id'],
			'stock_owner_id' => $owner_id,
			'purchasable'    => $buyable,
			'virtual'        => $row['virtual'],
			'manage_stock'   => $managed,
			'stock_quantity' => $managed ? (int) floor( (float) ( $owner['stock'] ?? 0 ) ) : null,
			'held'           => $managed ? ( $held[ $owner_id ] ?? 0 ) : 0,
			'stock_status'   => $status,
			'backorders'     => $back,
			'name'           => $row['name'],
			'subscription'   => $is_sub,
			'trial_length'   => $is_sub ? max( 0, $row['trial_length'] > 0 ? $row['trial_length'] : (int) ( $parent['trial_length'] ?? 0 ) ) : 0,
			'on_sale'        => self::on_sale( $row, $now ),
			// The stored price now (`_price`), against the one the cart was calculated with (cart.lines[].price_then).
			'price'          => Money::maybe( $row['price'] ?? null ),
		);
	}
}
