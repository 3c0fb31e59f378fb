<?php
/**
 * Which product each Klarna line reference names, and the snapshot's cart lines with KCO's references.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin\Snapshot;

use KcoValidation\Plugin\Multilingual\Translations;

defined( 'ABSPATH' ) || exit;

/**
 * Reads every product the order or the cart names: query 1 (ProductRepository::find(): ids of the session's cart
 * items, Klarna references that are digits, and Klarna references as SKUs, with the postmeta
 * WC_Product_Data_Store_CPT reads), and query 2 only when a variation found by SKU or id has a parent that is not
 * loaded yet (its parent's SKU, status and stock). The cart items come from the session as WC_Cart_Session stored
 * them (`cart`: product_id, variation_id, quantity, line_total, line_tax, line_subtotal, line_subtotal_tax).
 *
 * Reference rule (which product a Klarna line reference names):
 * 1. the cart line whose reference (as KCO builds it: the product's or variation's SKU, a variation without its
 *    own SKU showing its parent's, else the id; cut at 64 characters) equals it: server truth, so a variation is
 *    never resolved to its parent by accident (D3) and an id that is another product's SKU is not confused (D4);
 * 2. else the product or variation whose SKU equals it (of translations sharing a SKU, the shopper's own);
 * 3. else, when it is digits and no SKU matched, the product or variation with that id;
 * 4. else unknown (the extension applies the unknown-products setting).
 * A cart line whose reference another cart line shares, or a variation showing its parent's SKU, also gets an entry
 * of its own ("#<id>") named by the line's `product_key`, so Red and Blue of one T-shirt are each checked as
 * themselves (the extension pairs the n-th Klarna line with a reference with the n-th cart line with it).
 */
final class ReferenceResolver {

	/** KCO cuts references at 64 characters (order lines helper). */
	const REFERENCE_LENGTH = 64;

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
	 * Resolves the order's references against the session's cart. Queries 1 and (only when needed) 2.
	 *
	 * @param list<string>                           $references Klarna goods references.
	 * @param array<array-key, array<string, mixed>> $cart_items The session's cart items.
	 * @param string|null                            $lang       The shopper's language.
	 * @return array{rows: array<int, array<string, mixed>>, lines: list<array<string, mixed>>, map: array<string, int>, keyed: array<string, int>}
	 *         rows: products by id; lines: the snapshot's cart lines (with `product_key` where a line has an entry
	 *         of its own); map: product id per Klarna reference; keyed: product id per own entry ("#<id>").
	 */
	public function resolve( array $references, array $cart_items, ?string $lang ): array {
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

		$lines = self::cart_lines( $cart_items, $rows );
		$map   = $this->map( $references, $lines, $rows, $lang );
		$keyed = self::own_entries( $lines, $rows, $map );

		// D3: lines that cannot be told apart by their reference get an entry of their own and name it
		// (product_key); the extension matches the n-th Klarna line with a reference to the n-th cart line with it.
		// products[reference] stays (the first cart line's item) for Klarna lines beyond the cart's.
		$own_key = array_flip( $keyed );
		foreach ( $lines as $i => $line ) {
			unset( $lines[ $i ]['inherits'] );
			$id = $line['variation_id'] > 0 ? $line['variation_id'] : $line['product_id'];
			if ( isset( $own_key[ $id ] ) ) {
				$lines[ $i ]['product_key'] = (string) $own_key[ $id ];
			}
		}

		return array(
			'rows'  => $rows,
			'lines' => $lines,
			'map'   => $map,
			'keyed' => $keyed,
		);
	}

	/**
	 * The snapshot's cart lines, with the reference KCO sent for each.
	 *
	 * @param array<array-key, array<string, mixed>> $items Session cart items.
	 * @param array<int, array<string, mixed>>       $rows  Products by id.
	 * @return list<array<string, mixed>>
	 */
	private static function cart_lines( array $items, array $rows ): array {
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
				'name'         => $rows[ $variation_id > 0 ? $variation_id : $product_id ]['name'] ?? null,
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
	private function map( array $references, array $lines, array $rows, ?string $lang = null ): array {
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
}
