<?php
/**
 * The snapshot's `coupons` section and the cart's applied coupon codes.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin\Snapshot;

use KcoValidation\Plugin\Multilingual\Translations;

defined( 'ABSPATH' ) || exit;

/**
 * Reads the session's `applied_coupons` (WC_Cart_Session: WC()->cart->get_applied_coupons(), server truth, never
 * Klarna's merchant_data) and, in query 4 (CouponRepository::find()), those coupons' posts and meta as
 * WC_Coupon_Data_Store_CPT::read() reads them: limits, usage, emails, spend, type, product and category rules,
 * exclude_sale_items. In a multilingual shop a coupon that lists a product lists all its translations (as
 * WooCommerce Multilingual and Polylang for WooCommerce apply it); category rules are matched across translations
 * on the products' side (Categories). One query (none when no coupon is applied).
 */
final class Coupons {

	/** Coupons. */
	private CouponRepository $coupons;

	/** The shop's languages and translations. */
	private Translations $translations;

	/**
	 * Constructor.
	 *
	 * @param CouponRepository $coupons      Coupons.
	 * @param Translations     $translations The shop's languages.
	 */
	public function __construct( CouponRepository $coupons, Translations $translations ) {
		$this->coupons      = $coupons;
		$this->translations = $translations;
	}

	/**
	 * The cart's applied coupon codes: the session's `applied_coupons`, formatted as WooCommerce keys them, once each.
	 *
	 * @param SessionData $session The restored session.
	 * @return list<string>
	 */
	public static function applied( SessionData $session ): array {
		$applied = $session->get( 'applied_coupons', array() );
		$applied = is_array( $applied ) ? array_values( array_filter( $applied, 'is_scalar' ) ) : array();
		$applied = array_values( array_unique( array_map( static fn ( $c ): string => CouponRepository::format_code( (string) $c ), $applied ) ) );
		return array_values( array_filter( $applied, static fn ( string $c ): bool => '' !== $c ) );
	}

	/**
	 * The `coupons` map for the applied codes. Query 4.
	 *
	 * @param list<string> $applied   Applied codes.
	 * @param int          $now       Unix time.
	 * @param int          $own_order The shopper's own pending order (its coupon holds are left out).
	 * @return array<string, array<string, mixed>>
	 */
	public function find( array $applied, int $now, int $own_order = 0 ): array {
		return $this->translated_rules( $this->coupons->find( $applied, $now, $own_order ) );
	}

	/**
	 * Whether an existing coupon restricts product categories (product_categories or excluded_product_categories):
	 * only then do the products' categories matter.
	 *
	 * @param array<string, array<string, mixed>> $coupons Coupons by code.
	 */
	public static function have_category_rules( array $coupons ): bool {
		foreach ( $coupons as $coupon ) {
			if ( true !== ( $coupon['exists'] ?? false ) ) {
				continue;
			}
			foreach ( array( 'product_categories', 'excluded_product_categories' ) as $field ) {
				if ( is_array( $coupon[ $field ] ?? null ) && array() !== $coupon[ $field ] ) {
					return true;
				}
			}
		}
		return false;
	}

	/**
	 * The `_used_by` entries of per-user-limited coupons: the accounts whose billing email query 5 compares.
	 *
	 * @param array<string, array<string, mixed>> $coupons Coupons by code.
	 * @return list<mixed>
	 */
	public static function per_user_used_by( array $coupons ): array {
		$used_by = array();
		foreach ( $coupons as $coupon ) {
			if ( true === ( $coupon['exists'] ?? false ) && (int) ( $coupon['usage_limit_per_user'] ?? 0 ) > 0 ) {
				$used_by = array_merge( $used_by, (array) ( $coupon['used_by'] ?? array() ), (array) ( $coupon['held_by'] ?? array() ) );
			}
		}
		return $used_by;
	}

	/**
	 * Coupon product rules in a multilingual shop: a coupon that names a product names all its translations (as
	 * WooCommerce Multilingual and Polylang for WooCommerce apply it), so a cart holding the German translation of
	 * a product the coupon lists in English is one product to the rule, not another.
	 *
	 * @param array<string, array<string, mixed>> $coupons Coupons by code.
	 * @return array<string, array<string, mixed>>
	 */
	private function translated_rules( array $coupons ): array {
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
}
