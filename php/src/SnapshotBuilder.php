<?php
/**
 * Builds the store snapshot of docs/contract.md §1 for one callback.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin;

use KcoValidation\Plugin\Multilingual\LanguageRecorder;
use KcoValidation\Plugin\Multilingual\NoTranslations;
use KcoValidation\Plugin\Multilingual\Translations;

defined( 'ABSPATH' ) || exit;

/**
 * Gathers only what the Klarna order and the restored cart reference, in a fixed number of queries: products
 * (1), missing parents/stock owners (1, only when a variation's parent was not loaded), held stock (1), coupons (1),
 * users (1). Options come from get_option() (autoloaded). The cart comes from the session as WooCommerce stored it;
 * WC()->cart->calculate_totals() is never called (no carrier APIs inside Klarna's 3 s).
 *
 * Reference rule (which product a Klarna line reference names):
 * 1. the cart line whose reference (as KCO builds it: the product's or variation's SKU, a variation without its
 *    own SKU showing its parent's, else the id; cut at 64 characters) equals it: server truth, so a variation is
 *    never resolved to its parent by accident (D3) and an id that is another product's SKU is not confused (D4);
 * 2. else the product or variation whose SKU equals it;
 * 3. else, when it is digits and no SKU matched, the product or variation with that id;
 * 4. else unknown (the extension applies the unknown-products setting).
 * A cart line whose reference another cart line shares, or a variation showing its parent's SKU, also gets an entry
 * of its own ("#<id>") named by the line's `product_key`, so Red and Blue of one T-shirt are each checked as
 * themselves (the extension pairs the n-th Klarna line with a reference with the n-th cart line with it).
 */
class SnapshotBuilder {

	/** KCO cuts references at 64 characters (order lines helper). */
	const REFERENCE_LENGTH = 64;

	/** Products and variations. */
	private ProductRepository $products;

	/** Coupons. */
	private CouponRepository $coupons;

	/** Users. */
	private CustomerRepository $customers;

	/** Settings. */
	private Settings $settings;

	/** The shop's languages and translations. */
	private Translations $translations;

	/**
	 * Constructor.
	 *
	 * @param ProductRepository  $products  Products.
	 * @param CouponRepository   $coupons   Coupons.
	 * @param CustomerRepository $customers Users.
	 * @param Settings           $settings  Settings.
	 * @param Translations|null  $translations The shop's languages (default: one language).
	 */
	public function __construct( ProductRepository $products, CouponRepository $coupons, CustomerRepository $customers, Settings $settings, ?Translations $translations = null ) {
		$this->products     = $products;
		$this->coupons      = $coupons;
		$this->customers    = $customers;
		$this->settings     = $settings;
		$this->translations = $translations ?? new NoTranslations();
	}

	/**
	 * The shop's languages and translations this builder works with.
	 */
	public function translations(): Translations {
		return $this->translations;
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
		return $this->translations->shopper_language( $session->get( LanguageRecorder::SESSION_KEY ), (string) $order->locale() );
	}

	/**
	 * The snapshot.
	 *
	 * @param \KcoValidation\Order $order   The parsed Klarna order.
	 * @param SessionData          $session The restored session.
	 * @param int|null             $now     Unix time (tests).
	 * @return array<string, mixed>
	 */
	public function build( $order, SessionData $session, ?int $now = null ): array {
		$now        = $now ?? time();
		$lang       = $this->shopper_language( $order, $session );
		$references = array_values( array_map( 'strval', $order->references() ) );
		$cart_items = $session->get( 'cart', array() );
		$cart_items = is_array( $cart_items ) ? array_filter( $cart_items, 'is_array' ) : array();

		// Query 1: every product the order or the cart names.
		$ids = array();
		foreach ( $cart_items as $item ) {
			$ids[] = (int) ( $item['product_id'] ?? 0 );
			$ids[] = (int) ( $item['variation_id'] ?? 0 );
		}
		foreach ( $references as $reference ) {
			if ( ctype_digit( $reference ) && strlen( $reference ) < 19 ) {
				$ids[] = (int) $reference;
			}
		}
		$rows = $this->products->find( $ids, $references );

		// Query 2 (only when needed): parents of variations found by SKU or id whose parent is not loaded yet.
		$parents = array();
		foreach ( $rows as $row ) {
			if ( $row['variation'] && $row['parent_id'] > 0 && ! isset( $rows[ $row['parent_id'] ] ) ) {
				$parents[] = $row['parent_id'];
			}
		}
		if ( array() !== $parents ) {
			$rows += $this->products->find( $parents );
		}

		$lines   = $this->cart_lines( $cart_items, $rows );
		$map     = $this->resolve( $references, $lines, $rows, $lang );
		$keyed   = self::own_entries( $lines, $rows, $map );
		$manage  = 'yes' === get_option( 'woocommerce_manage_stock', 'yes' );
		$subs_on = self::subscriptions_active();

		// Query 3: held stock of the stock owners that manage stock. In a multilingual shop the translations of a
		// product share one stock (WooCommerce Multilingual, Polylang for WooCommerce): they are one owner, named
		// by its canonical id, and stock held under any translation's id counts against it.
		$owners    = array();
		$canonical = array();
		$group_of  = array();
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
					$owners[]              = $member;
					$group_of[ $member ] = $canonical[ $owner['id'] ];
				}
			}
		}
		$own_order = self::own_order_id( $session );
		$held      = array();
		foreach ( $this->products->held_stock( $owners, $own_order ) as $member => $quantity ) {
			$key          = $group_of[ $member ] ?? $member;
			$held[ $key ] = ( $held[ $key ] ?? 0 ) + $quantity;
		}

		$products = array();
		foreach ( $map as $reference => $id ) {
			$products[ $reference ] = self::product_entry( $rows[ $id ], $rows, $held, $canonical, $manage, $subs_on );
		}
		// D3: lines that cannot be told apart by their reference get an entry of their own and name it
		// (product_key); the extension matches the n-th Klarna line with a reference to the n-th cart line with it.
		// products[reference] stays (the first cart line's item) for Klarna lines beyond the cart's.
		$own_key = array_flip( $keyed );
		foreach ( $lines as $i => $line ) {
			$id = $line['variation_id'] > 0 ? $line['variation_id'] : $line['product_id'];
			if ( isset( $own_key[ $id ] ) ) {
				$lines[ $i ]['product_key'] = (string) $own_key[ $id ];
			}
		}
		foreach ( $keyed as $key => $id ) {
			$products[ (string) $key ] = self::product_entry( $rows[ $id ], $rows, $held, $canonical, $manage, $subs_on );
		}

		// Query 4: the session's applied coupons (server truth, never merchant_data).
		$applied = $session->get( 'applied_coupons', array() );
		$applied = is_array( $applied ) ? array_values( array_filter( $applied, 'is_scalar' ) ) : array();
		$applied = array_values( array_unique( array_map( static fn ( $c ): string => CouponRepository::format_code( (string) $c ), $applied ) ) );
		$applied = array_values( array_filter( $applied, static fn ( string $c ): bool => '' !== $c ) );
		$coupons = $this->translated_coupon_rules( $this->coupons->find( $applied, $now ) );

		// Query 5: the billing email's accounts and the session's user. Accounts by billing_email matter only for
		// per-user coupon limits, and only those the coupon lists as users (CustomerRepository).
		$email       = $order->billingEmail();
		$user_id     = $session->usable() ? $session->user_id() : 0;
		$billing_ids = array();
		foreach ( $coupons as $coupon ) {
			if ( true === ( $coupon['exists'] ?? false ) && (int) ( $coupon['usage_limit_per_user'] ?? 0 ) > 0 ) {
				$billing_ids = array_merge( $billing_ids, (array) ( $coupon['used_by'] ?? array() ) );
			}
		}
		$customer = $this->customers->find( $email, $user_id, $billing_ids );
		$logged   = $user_id > 0 && $customer['user_exists'];

		$totals = $session->get( 'cart_totals', array() );
		$totals = is_array( $totals ) ? $totals : array();

		$shipping_enabled = function_exists( 'wc_shipping_enabled' ) ? (bool) wc_shipping_enabled() : 'disabled' !== get_option( 'woocommerce_ship_to_countries' );
		$needs_shipping   = false;
		if ( $shipping_enabled ) {
			foreach ( $lines as $line ) {
				$row = $rows[ $line['variation_id'] > 0 ? $line['variation_id'] : $line['product_id'] ] ?? null;
				// A product that is gone is assumed to need shipping (fail closed).
				if ( null === $row || ! $row['virtual'] ) {
					$needs_shipping = true;
					break;
				}
			}
		}
		$needs_shipping = (bool) apply_filters( 'woocommerce_cart_needs_shipping', $needs_shipping );

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
				'chosen_shipping'    => self::chosen_shipping( $session ),
				'available_shipping' => self::available_shipping( $session ),
				'lines'              => array_map(
					static function ( array $line ): array {
						unset( $line['inherits'] );
						return $line;
					},
					$lines
				),
				'coupons'            => $applied,
			),
			'products'       => $products,
			'coupons'        => $coupons,
			'customer'       => array(
				'logged_in'          => $logged,
				'user_id'            => $logged ? $user_id : 0,
				'email_exists'       => $customer['email_exists'],
				'user_ids_for_email' => $customer['user_ids_for_email'],
				'account_email'      => $logged ? $customer['account_email'] : null,
			),
			'checkout'       => array(
				'registration_required' => (bool) apply_filters( 'woocommerce_checkout_registration_required', 'yes' !== get_option( 'woocommerce_enable_guest_checkout' ) ),
				'registration_enabled'  => (bool) apply_filters( 'woocommerce_checkout_registration_enabled', 'yes' === get_option( 'woocommerce_enable_signup_and_login_from_checkout' ) ),
				'subscriptions_active'  => $subs_on,
			),
			'urls'           => array(
				'cart'     => $this->page_url( 'cart', $lang ),
				'checkout' => $this->page_url( 'checkout', $lang ),
			),
			// Not read by the extension: the shopper's language, for the reasons shown to them (docs/contract.md).
			'language'       => array(
				'code'   => $lang,
				'locale' => null === $lang ? null : $this->translations->locale_of( $lang ),
			),
			'options'        => $this->settings->snapshot_options(),
		);
	}

	/**
	 * WooCommerce's cart or checkout URL; in a multilingual shop, the page's translation in the shopper's language
	 * (asked of the plugin even when the callback runs in that language: what wc_get_checkout_url() gives during a
	 * server-to-server callback depends on how WooCommerce Multilingual or Polylang for WooCommerce filter it),
	 * else WooCommerce's URL. The URL's own query string (a ?lang= argument, plain permalinks) is kept; the
	 * extension appends its own.
	 *
	 * @param string      $page 'cart' or 'checkout'.
	 * @param string|null $lang The shopper's language.
	 */
	private function page_url( string $page, ?string $lang ): string {
		$url = 'cart' === $page ? (string) wc_get_cart_url() : (string) wc_get_checkout_url();
		if ( null === $lang ) {
			return $url;
		}
		$translated = $this->translations->shop_page_url( $page, $lang );
		return null !== $translated && '' !== $translated ? $translated : $url;
	}

	/**
	 * Coupon product rules in a multilingual shop: a coupon that names a product names all its translations (as
	 * WooCommerce Multilingual and Polylang for WooCommerce apply it), so a cart holding the German translation of
	 * a product the coupon lists in English is one product to the rule, not another.
	 *
	 * @param array<string, array<string, mixed>> $coupons Coupons by code.
	 * @return array<string, array<string, mixed>>
	 */
	private function translated_coupon_rules( array $coupons ): array {
		if ( ! $this->translations->active() ) {
			return $coupons;
		}
		foreach ( $coupons as $code => $coupon ) {
			foreach ( array( 'product_ids', 'excluded_product_ids' ) as $field ) {
				if ( ! isset( $coupon[ $field ] ) || ! is_array( $coupon[ $field ] ) || array() === $coupon[ $field ] ) {
					continue;
				}
				$ids = array();
				foreach ( $coupon[ $field ] as $id ) {
					$id    = (int) $id;
					$ids[] = $id;
					$group = $this->translations->group( $id, 'product' );
					if ( array() === $group ) {
						$group = $this->translations->group( $id, 'product_variation' );
					}
					foreach ( $group as $member ) {
						$ids[] = $member;
					}
				}
				$coupons[ $code ][ $field ] = array_values( array_unique( $ids ) );
			}
		}
		return $coupons;
	}

	/**
	 * The snapshot's cart lines, with the reference KCO sent for each.
	 *
	 * @param array<array-key, array<string, mixed>> $items Session cart items.
	 * @param array<int, array<string, mixed>>       $rows  Products by id.
	 * @return list<array<string, mixed>>
	 */
	private function cart_lines( array $items, array $rows ): array {
		$lines = array();
		foreach ( $items as $item ) {
			$product_id   = (int) ( $item['product_id'] ?? 0 );
			$variation_id = (int) ( $item['variation_id'] ?? 0 );
			$lines[]      = array(
				'inherits'     => self::inherits_sku( $variation_id, $rows ),
				'product_id'   => $product_id,
				'variation_id' => $variation_id,
				'reference'    => self::kco_reference( $variation_id > 0 ? $variation_id : $product_id, $rows ),
				'quantity'     => max( 0, (int) ( $item['quantity'] ?? 0 ) ),
				'total'        => Money::decimal( $item['line_total'] ?? 0 ),
				'tax'          => Money::decimal( $item['line_tax'] ?? 0 ),
				'subtotal'     => Money::nullable( $item['line_subtotal'] ?? null ),
				'subtotal_tax' => Money::nullable( $item['line_subtotal_tax'] ?? null ),
			);
		}
		return $lines;
	}

	/**
	 * Whether a variation shows its parent's SKU (it has none of its own and the parent has one).
	 *
	 * @param int                              $variation_id Variation id (0: not a variation).
	 * @param array<int, array<string, mixed>> $rows         Products by id.
	 */
	private static function inherits_sku( int $variation_id, array $rows ): bool {
		$row = $variation_id > 0 ? ( $rows[ $variation_id ] ?? null ) : null;
		return null !== $row && $row['variation'] && '' === $row['sku'] && '' !== ( $rows[ $row['parent_id'] ]['sku'] ?? '' );
	}

	/**
	 * The cart lines that need an entry of their own (D3): a reference shared with another cart line, or a
	 * variation showing its parent's SKU. Keyed "#<id>" (with more "#" appended in the unlikely case that a Klarna
	 * reference, e.g. a SKU "#21", already names an entry with that key), value the product or variation id.
	 *
	 * @param list<array<string, mixed>>       $lines Cart lines (with `inherits`: shows its parent's SKU).
	 * @param array<int, array<string, mixed>> $rows  Products by id.
	 * @param array<string, int>               $map   Entries keyed by Klarna reference.
	 * @return array<string, int>
	 */
	private static function own_entries( array $lines, array $rows, array $map ): array {
		$count = array();
		foreach ( $lines as $line ) {
			$count[ $line['reference'] ] = ( $count[ $line['reference'] ] ?? 0 ) + 1;
		}
		$keyed = array();
		$done  = array();
		foreach ( $lines as $line ) {
			$id = $line['variation_id'] > 0 ? $line['variation_id'] : $line['product_id'];
			if ( isset( $done[ $id ] ) || ! isset( $rows[ $id ] ) || ! ( $line['inherits'] || $count[ $line['reference'] ] > 1 ) ) {
				continue;
			}
			$key = '#' . $id;
			while ( isset( $map[ $key ] ) ) {
				$key .= '#';
			}
			$keyed[ $key ] = $id;
			$done[ $id ]   = true;
		}
		return $keyed;
	}

	/**
	 * The reference KCO 1.x sends for a product: its SKU (a variation without one shows its parent's, as
	 * WC_Product_Variation::get_sku() does), else its id; at most 64 characters.
	 *
	 * @param int                              $id   Product or variation id.
	 * @param array<int, array<string, mixed>> $rows Products by id.
	 */
	private static function kco_reference( int $id, array $rows ): string {
		$row = $rows[ $id ] ?? null;
		$sku = null === $row ? '' : $row['sku'];
		if ( null !== $row && '' === $sku && $row['variation'] ) {
			$sku = $rows[ $row['parent_id'] ]['sku'] ?? '';
		}
		return substr( '' !== $sku ? $sku : (string) $id, 0, self::REFERENCE_LENGTH );
	}

	/**
	 * Maps each Klarna reference to a product id (see the class doc for the rule).
	 *
	 * @param list<string>                     $references Klarna goods references.
	 * @param list<array<string, mixed>>       $lines      Cart lines.
	 * @param array<int, array<string, mixed>> $rows       Products by id.
	 * @param string|null                      $lang       The shopper's language: of translations sharing a SKU,
	 *                                                     theirs is taken (its name is the one they read).
	 * @return array<string, int>
	 */
	private function resolve( array $references, array $lines, array $rows, ?string $lang = null ): array {
		$by_cart = array();
		foreach ( $lines as $line ) {
			$id = $line['variation_id'] > 0 ? $line['variation_id'] : $line['product_id'];
			if ( isset( $rows[ $id ] ) && ! isset( $by_cart[ $line['reference'] ] ) ) {
				$by_cart[ $line['reference'] ] = $id;
			}
		}
		$by_sku = array();
		foreach ( $rows as $id => $row ) {
			$key = mb_strtolower( $row['sku'], 'UTF-8' );
			if ( '' === $key ) {
				continue;
			}
			if ( ! isset( $by_sku[ $key ] ) ) {
				$by_sku[ $key ] = $id;
			} elseif ( null !== $lang && $this->in_language( $id, $row, $lang ) && ! $this->in_language( $by_sku[ $key ], $rows[ $by_sku[ $key ] ], $lang ) ) {
				$by_sku[ $key ] = $id;
			}
		}
		$map = array();
		foreach ( $references as $reference ) {
			if ( isset( $by_cart[ $reference ] ) ) {
				$map[ $reference ] = $by_cart[ $reference ];
			} elseif ( isset( $by_sku[ mb_strtolower( $reference, 'UTF-8' ) ] ) ) {
				$map[ $reference ] = $by_sku[ mb_strtolower( $reference, 'UTF-8' ) ];
			} elseif ( ctype_digit( $reference ) && isset( $rows[ (int) $reference ] ) ) {
				$map[ $reference ] = (int) $reference;
			}
		}
		return $map;
	}

	/**
	 * Whether a product row is the translation in a language.
	 *
	 * @param int                  $id   Product id.
	 * @param array<string, mixed> $row  Product row.
	 * @param string               $lang Language code.
	 */
	private function in_language( int $id, array $row, string $lang ): bool {
		return $id === $this->translations->translate( $id, $row['variation'] ? 'product_variation' : 'product', $lang );
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
	 * @param array<string, mixed>             $row     Product.
	 * @param array<int, array<string, mixed>> $rows    Products by id.
	 * @param array<int, int>                  $held    Held stock by canonical owner id.
	 * @param array<int, int>                  $canonical Canonical id of each stock owner (translations: one).
	 * @param bool                             $manage  Store-wide stock management on.
	 * @param bool                             $subs_on WooCommerce Subscriptions active.
	 * @return array<string, mixed>
	 */
	private static function product_entry( array $row, array $rows, array $held, array $canonical, bool $manage, bool $subs_on ): array {
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
		);
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

	/**
	 * Chosen rate ids (session chosen_shipping_methods).
	 *
	 * @param SessionData $session Session.
	 * @return list<string>
	 */
	private static function chosen_shipping( SessionData $session ): array {
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
	private static function available_shipping( SessionData $session ): array {
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

	/**
	 * The shopper's own pending order (classic checkout: order_awaiting_payment; block checkout:
	 * store_api_draft_order), excluded from held stock.
	 *
	 * @param SessionData $session Session.
	 */
	private static function own_order_id( SessionData $session ): int {
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
	private static function subscriptions_active(): bool {
		return (bool) apply_filters( 'kco_validation_subscriptions_active', class_exists( 'WC_Subscriptions', false ) || class_exists( 'WC_Subscriptions_Core_Plugin', false ) );
	}
}
