<?php
/**
 * Builds the store snapshot of docs/contract.md §1 for one callback.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin\Snapshot;

use KcoValidation\Plugin\Claims\ClaimStore;
use KcoValidation\Plugin\Integration\CartStamp;
use KcoValidation\Plugin\Multilingual\NoTranslations;
use KcoValidation\Plugin\Multilingual\Translations;
use KcoValidation\Plugin\Settings;

defined( 'ABSPATH' ) || exit;

/**
 * Puts the sections together, each gathered by its own class, in a fixed number of queries (the session itself,
 * query 0, was read by SessionStore):
 * 1. products the order or the cart names, 2. their missing parents (only when a variation's parent was not
 *    loaded) — ReferenceResolver: `cart.lines`, which product each reference names;
 * 3. held stock (WooCommerce's holds and other Klarna orders' stock claims) — Stock: `products`;
 * 4. coupons — Coupons: `coupons`, `cart.coupons`;
 * +1 the products' categories, only when an applied coupon has a category rule — Categories: `products.*.category_ids`;
 * 5. users — Customer: `customer`.
 * Shipping (`cart` shipping keys) and Pages (`urls`, `language`) run no query. Options come from get_option()
 * (autoloaded). The cart comes from the session as WooCommerce stored it; WC()->cart->calculate_totals() is never
 * called (no carrier APIs inside Klarna's 3 s).
 */
class SnapshotBuilder {

	/** Settings. */
	private Settings $settings;

	/** The shop's languages and translations. */
	private Translations $translations;

	/** Section: references and cart lines (queries 1, 2). */
	private ReferenceResolver $resolver;

	/** Section: product entries and held stock (query 3). */
	private Stock $stock;

	/** Section: coupons (query 4). */
	private Coupons $coupons;

	/** Section: the products' categories (one query, only for coupons with category rules). */
	private Categories $categories;

	/** Section: the customer (query 5). */
	private Customer $customer;

	/** Section: cart and checkout URLs and the shopper's language (no query). */
	private Pages $pages;

	/** The shop's shipping methods, when they changed since the cart was calculated (null: not read). */
	private ?ShippingMethods $methods;

	/**
	 * Constructor.
	 *
	 * @param ProductRepository  $products     Products.
	 * @param CouponRepository   $coupons      Coupons.
	 * @param CustomerRepository $customers    Users.
	 * @param Settings           $settings     Settings.
	 * @param Translations|null  $translations The shop's languages (default: one language).
	 * @param ClaimStore|null    $claims       Stock claims of Klarna orders, counted as held (default: not counted).
	 * @param ShippingMethods|null $methods    The shop's shipping methods (default: not read).
	 */
	public function __construct( ProductRepository $products, CouponRepository $coupons, CustomerRepository $customers, Settings $settings, ?Translations $translations = null, ?ClaimStore $claims = null, ?ShippingMethods $methods = null ) {
		$this->settings     = $settings;
		$this->translations = $translations ?? new NoTranslations();
		$this->resolver     = new ReferenceResolver( $products, $this->translations );
		$this->stock        = new Stock( $products, $this->translations, $claims );
		$this->coupons      = new Coupons( $coupons, $this->translations );
		$this->categories   = new Categories( $products, $this->translations );
		$this->customer     = new Customer( $customers );
		$this->pages        = new Pages( $this->translations );
		$this->methods      = $methods;
	}

	/**
	 * The builder on a database.
	 *
	 * @param Settings          $settings     Settings.
	 * @param Translations|null $translations The shop's languages (default: one language).
	 * @param \wpdb|object      $wpdb         WordPress database.
	 */
	public static function create( Settings $settings, ?Translations $translations, $wpdb ): self {
		return new self( new ProductRepository( $wpdb ), new CouponRepository( $wpdb ), new CustomerRepository( $wpdb ), $settings, $translations, new ClaimStore( $wpdb ), new ShippingMethods( $wpdb ) );
	}

	/**
	 * Per stock owner of the last snapshot that manages stock, its ids (its translations' too): what a claim of
	 * that owner covers.
	 *
	 * @return array<int, list<int>>
	 */
	public function stock_groups(): array {
		return $this->stock->groups();
	}

	/**
	 * The snapshot of the last build( held: false ) with its held stock read now (one query).
	 *
	 * @param array<string, mixed> $snapshot Snapshot.
	 * @return array<string, mixed>
	 */
	public function with_held( array $snapshot ): array {
		$snapshot['products'] = $this->stock->held( is_array( $snapshot['products'] ?? null ) ? $snapshot['products'] : array() );
		return $snapshot;
	}

	/**
	 * The shop's languages and translations this builder works with.
	 */
	public function translations(): Translations {
		return $this->translations;
	}

	/**
	 * The `urls` and `language` sections, on their own.
	 */
	public function pages(): Pages {
		return $this->pages;
	}

	/**
	 * The shopper's language (multilingual shops): the one recorded in their session, else Klarna's locale.
	 *
	 * @param \KcoValidation\Order $order   The parsed Klarna order.
	 * @param SessionData          $session The restored session.
	 */
	public function shopper_language( $order, SessionData $session ): ?string {
		if ( ! $this->translations->active() ) {
			return null;
		}
		return $this->pages->shopper_language( $session, (string) $order->locale() );
	}

	/**
	 * The snapshot.
	 *
	 * @param \KcoValidation\Order $order   The parsed Klarna order.
	 * @param SessionData          $session The restored session.
	 * @param int|null             $now     Unix time (tests).
	 * @param bool                 $held    False: held stock left at 0 for now (Decision\Decider: an approval's stock
	 *                                      claim checks it; a denial reads it with held()).
	 * @return array<string, mixed>
	 */
	public function build( $order, SessionData $session, ?int $now = null, bool $held = true ): array {
		$now        = $now ?? time();
		$lang       = $this->shopper_language( $order, $session );
		$references = array_values( array_map( 'strval', $order->references() ) );
		$cart_items = $session->get( 'cart', array() );
		$cart_items = is_array( $cart_items ) ? array_filter( $cart_items, 'is_array' ) : array();

		$resolved  = $this->resolver->resolve( $references, $cart_items, $lang );
		$rows      = $resolved['rows'];
		$subs_on   = Stock::subscriptions_active();
		$own_order = Stock::own_order_id( $session );
		$products  = $this->stock->entries( $resolved['map'], $resolved['keyed'], $rows, $own_order, $subs_on, $now, (string) $order->id(), $held );
		$applied   = Coupons::applied( $session );
		$coupons   = $this->coupons->find( $applied, $now, $own_order );
		$products  = $this->categories->add( $products, $rows, $coupons );
		$register  = (bool) apply_filters( 'woocommerce_checkout_registration_required', 'yes' !== get_option( 'woocommerce_enable_guest_checkout' ) );
		$has_sub   = array() !== array_filter( $products, static fn ( $p ): bool => is_array( $p ) && true === ( $p['subscription'] ?? false ) );
		$customer  = $this->customer->build( $order->billingEmail(), $session, $coupons, $register || $has_sub );

		$totals = $session->get( 'cart_totals', array() );
		$totals = is_array( $totals ) ? $totals : array();

		$shipping_enabled = Shipping::enabled();
		$needs_shipping   = Shipping::needs_shipping( $shipping_enabled, $resolved['lines'], $rows );
		$stamp            = $session->get( CartStamp::SESSION_KEY );
		$stamp            = is_array( $stamp ) ? $stamp : array();
		list( $packages, $available ) = $this->offered_now( $session, $stamp );
		if ( ! $needs_shipping && Money::is_positive( $totals['shipping_total'] ?? 0 ) ) {
			// The cart was calculated with shipping the shop no longer asks for (no method set up, shipping turned
			// off): WooCommerce's checkout calculates it again without, as the totals say here.
			$totals = Shipping::without_shipping( $totals );
		}
		$prices = is_array( $stamp['prices'] ?? null ) ? $stamp['prices'] : array();
		$keys   = array_keys( $cart_items );
		$lines  = $resolved['lines'];
		foreach ( $lines as $i => $line ) {
			$lines[ $i ]['price_then'] = Money::maybe( $prices[ (string) ( $keys[ $i ] ?? '' ) ] ?? null );
		}

		$klarna_id = $session->get( 'kco_wc_order_id' );

		return array(
			'currency'       => (string) get_woocommerce_currency(),
			'price_decimals' => (int) wc_get_price_decimals(),
			'now'            => $now,
			'session'        => array(
				'found'           => $session->found,
				'expired'         => $session->expired,
				'customer_id'     => $session->key,
				'own_order_id'    => $own_order,
				'klarna_order_id' => is_string( $klarna_id ) && '' !== $klarna_id ? $klarna_id : null,
			),
			'cart'           => array(
				'total'              => Money::decimal( $totals['total'] ?? 0 ),
				'total_tax'          => Money::decimal( $totals['total_tax'] ?? 0 ),
				'subtotal'           => self::coupon_subtotal( $totals ),
				'needs_shipping'     => $needs_shipping,
				'shipping_enabled'   => $shipping_enabled,
				'chosen_shipping'    => Shipping::chosen( $session ),
				'available_shipping' => $available,
				'packages'           => $packages,
				'lines'              => $lines,
				'coupons'            => $applied,
			),
			'products'       => $products,
			'coupons'        => $coupons,
			'customer'       => $customer,
			'checkout'       => array(
				'registration_required' => $register,
				'registration_enabled'  => (bool) apply_filters( 'woocommerce_checkout_registration_enabled', 'yes' === get_option( 'woocommerce_enable_signup_and_login_from_checkout' ) ),
				'subscriptions_active'  => $subs_on,
			),
			// Not read by the extension: the shopper's language, for the reasons shown to them (docs/contract.md).
			'language'       => $this->pages->language( $lang ),
			'options'        => $this->settings->snapshot_options(),
		);
	}

	/**
	 * The session's packages and available rates, less the rates WooCommerce would no longer offer when the shop's
	 * shipping changed since the cart was calculated (Integration\CartStamp's version differs from the shop's):
	 * one query then, none otherwise.
	 *
	 * @param SessionData          $session The restored session.
	 * @param array<string, mixed> $stamp   The cart's stamp.
	 * @return array{0: list<array{chosen: string|null, rates: list<string>}>, 1: list<string>}
	 */
	private function offered_now( SessionData $session, array $stamp ): array {
		$packages  = Shipping::packages( $session );
		$available = Shipping::available( $session );
		if ( null === $this->methods || ! isset( $stamp['shipping'] ) || (string) $stamp['shipping'] === CartStamp::shipping_version() ) {
			return array( $packages, $available );
		}
		$gone = $this->methods->gone( array_merge( $available, Shipping::chosen( $session ) ) );
		if ( array() === $gone ) {
			return array( $packages, $available );
		}
		foreach ( $packages as $i => $package ) {
			$packages[ $i ]['rates'] = array_values( array_diff( $package['rates'], $gone ) );
		}
		return array( $packages, array_values( array_diff( $available, $gone ) ) );
	}

	/**
	 * The subtotal coupons compare their minimum and maximum spend with (WC_Discounts::get_object_subtotal()):
	 * the items' subtotal, with tax when prices are displayed including tax.
	 *
	 * @param array<string, mixed> $totals Session cart_totals.
	 */
	private static function coupon_subtotal( array $totals ): string {
		$subtotal = $totals['subtotal'] ?? 0;
		if ( 'incl' === get_option( 'woocommerce_tax_display_cart' ) ) {
			return Money::add( $subtotal, $totals['subtotal_tax'] ?? 0 );
		}
		return Money::decimal( $subtotal );
	}
}
