<?php
/**
 * The `category_ids` of the snapshot's product entries, read only when a coupon's category rule needs them.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin\Snapshot;

use KcoValidation\Plugin\Multilingual\Translations;

defined( 'ABSPATH' ) || exit;

/**
 * Reads, for every `products` entry, what wc_get_product_cat_ids() (includes/wc-product-functions.php) returns for
 * the product WooCommerce's coupon rules check: its `product_cat` terms (get_the_terms()) and every ancestor of each
 * (get_ancestors()). For a variation that is its parent's categories, as WC_Coupon::is_valid_for_product() asks
 * (WC_Discounts also merges the variation's own terms, which WooCommerce never assigns). In a multilingual shop the
 * categories of all the product's translations are merged, so a coupon that names the English category applies to
 * the German translation filed under the German one (WooCommerce Multilingual and Polylang for WooCommerce apply a
 * coupon's categories in every language).
 *
 * One query (ProductRepository::category_ids()), only when an applied coupon that exists has product_categories or
 * excluded_product_categories; otherwise none, and the entries carry no `category_ids` (the extension's default).
 * It runs after the coupons (query 4) and before the users (query 5).
 */
final class Categories {

	/** Products and variations. */
	private ProductRepository $products;

	/** The shop's languages and translations. */
	private Translations $translations;

	/**
	 * Constructor.
	 *
	 * @param ProductRepository $products     Products.
	 * @param Translations      $translations The shop's languages.
	 */
	public function __construct( ProductRepository $products, Translations $translations ) {
		$this->products     = $products;
		$this->translations = $translations;
	}

	/**
	 * The entries with `category_ids` appended, when a coupon has a category rule; else unchanged (no query).
	 *
	 * @param array<array-key, array<string, mixed>> $entries The `products` map (Stock::entries()).
	 * @param array<int, array<string, mixed>>       $rows    Products by id.
	 * @param array<string, array<string, mixed>>    $coupons The `coupons` map (Coupons::find()).
	 * @return array<array-key, array<string, mixed>>
	 */
	public function add( array $entries, array $rows, array $coupons ): array {
		if ( array() === $entries || ! Coupons::have_category_rules( $coupons ) ) {
			return $entries;
		}
		$sources = array();
		foreach ( $entries as $entry ) {
			$id = (int) $entry['id'];
			if ( ! isset( $sources[ $id ] ) ) {
				$sources[ $id ] = $this->sources( $id, $rows );
			}
		}
		$by_object = $this->products->category_ids( array_merge( ...array_values( $sources ) ) );
		foreach ( $entries as $key => $entry ) {
			$ids = array();
			foreach ( $sources[ (int) $entry['id'] ] as $source ) {
				foreach ( $by_object[ $source ] ?? array() as $term_id ) {
					$ids[ $term_id ] = $term_id;
				}
			}
			ksort( $ids );
			$entries[ $key ]['category_ids'] = array_values( $ids );
		}
		return $entries;
	}

	/**
	 * The posts whose categories are the product's: the product (a variation: its parent) and, in a multilingual
	 * shop, its translations.
	 *
	 * @param int                              $id   Product or variation id.
	 * @param array<int, array<string, mixed>> $rows Products by id.
	 * @return list<int>
	 */
	private function sources( int $id, array $rows ): array {
		$row = $rows[ $id ] ?? null;
		if ( null !== $row && $row['variation'] && $row['parent_id'] > 0 ) {
			$id = (int) $row['parent_id'];
		}
		$ids = array( $id );
		if ( $this->translations->active() ) {
			foreach ( $this->translations->group( $id, 'product' ) as $member ) {
				if ( $member > 0 && $member !== $id ) {
					$ids[] = (int) $member;
				}
			}
		}
		return $ids;
	}
}
