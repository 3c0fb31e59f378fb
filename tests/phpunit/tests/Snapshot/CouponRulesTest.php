<?php
/**
 * The snapshot keys of WooCommerce's category and sale-item coupon rules, from real rows: coupons'
 * product_categories / excluded_product_categories / exclude_sale_items, products' category_ids (with ancestors, a
 * variation's from its parent) and on_sale (WC_Product::is_on_sale() now), and what they cost in queries.
 *
 * @package KcoValidation\Plugin\Tests
 */

namespace KcoValidation\Plugin\Tests;

use KcoValidation\Order;
use KcoValidation\Plugin\Multilingual\Languages;
use KcoValidation\Plugin\Settings;
use KcoValidation\Plugin\Snapshot\CouponRepository;
use KcoValidation\Plugin\Snapshot\ProductRepository;
use KcoValidation\Plugin\Snapshot\SessionStore;
use KcoValidation\Plugin\Snapshot\SnapshotBuilder;

class CouponRulesTest extends TestCase {

	/** The snapshot's clock. */
	const NOW = 1764000000;

	/** One day. */
	const DAY = 86400;

	protected function setUp(): void {
		parent::setUp();
		Shop::clear_terms();
		self::reset_queries();
	}

	private function build( string $json, string $key = self::GUEST ): array {
		global $wpdb;
		$session = ( new SessionStore( $wpdb ) )->load( $key );
		return SnapshotBuilder::create( Settings::load(), Languages::detect(), $wpdb )->build( Order::parse( $json ), $session, self::NOW );
	}

	/** Queries that read the category tables. */
	private static function category_queries(): array {
		return array_values( array_filter( self::queries(), static fn ( $q ) => str_contains( $q, 'term_relationships' ) ) );
	}

	public function test_coupon_entries_carry_the_category_and_sale_item_rules_as_woocommerce_stores_them(): void {
		global $wpdb;
		// WC_Coupon_Data_Store_CPT::update_post_meta(): the category lists as arrays (serialized by update_post_meta()),
		// exclude_sale_items as wc_bool_to_string().
		Shop::coupon( 'cats', array( 'product_categories' => array( 12, 7 ), 'exclude_product_categories' => array( 3 ), 'exclude_sale_items' => 'yes' ) );
		// What WC_Coupon::set_*_categories() makes of odd values: absint() of each, zeros dropped, once each.
		Shop::coupon( 'odd', array( 'product_categories' => '5', 'exclude_product_categories' => array( '4', 0, '4', 'x', -2 ), 'exclude_sale_items' => 'no' ) );
		Shop::coupon( 'bare' );
		self::reset_queries();
		$c = ( new CouponRepository( $wpdb ) )->find( array( 'cats', 'odd', 'bare' ), self::NOW );
		$this->assertSame( 1, $wpdb->num_queries, 'the rules come with the one coupon query' );
		$rules = static fn ( array $coupon ): array => array( $coupon['product_categories'], $coupon['excluded_product_categories'], $coupon['exclude_sale_items'] );
		$this->assertSame( array( array( 12, 7 ), array( 3 ), true ), $rules( $c['cats'] ) );
		$this->assertSame( array( array( 5 ), array( 4, 2 ), false ), $rules( $c['odd'] ) );
		$this->assertSame( array( array(), array(), false ), $rules( $c['bare'] ), "no meta: WC_Coupon's defaults" );
	}

	public function test_products_are_on_sale_as_is_on_sale_sees_them_now(): void {
		$sale   = static fn ( string $regular, string $price, ?int $from = null, ?int $to = null ): array => array(
			'meta' => array(
				'_regular_price'         => $regular,
				'_sale_price'            => $price,
				'_price'                 => $price,
				'_sale_price_dates_from' => null === $from ? '' : (string) $from,
				'_sale_price_dates_to'   => null === $to ? '' : (string) $to,
			),
		);
		$ids    = array(
			'PLAIN'  => Shop::product( array( 'sku' => 'PLAIN' ) ),
			'SALE'   => Shop::product( array( 'sku' => 'SALE' ) + $sale( '100', '80' ) ),
			'PAST'   => Shop::product( array( 'sku' => 'PAST' ) + $sale( '100', '80', self::NOW - 20 * self::DAY, self::NOW - 10 * self::DAY ) ),
			'FUTURE' => Shop::product( array( 'sku' => 'FUTURE' ) + $sale( '100', '80', self::NOW + 10 * self::DAY, self::NOW + 20 * self::DAY ) ),
			'WINDOW' => Shop::product( array( 'sku' => 'WINDOW' ) + $sale( '100', '80', self::NOW - self::DAY, self::NOW + self::DAY ) ),
			'ENDED'  => Shop::product( array( 'sku' => 'ENDED' ) + $sale( '100', '80', null, self::NOW - 1 ) ),
			'SAME'   => Shop::product( array( 'sku' => 'SAME' ) + $sale( '80', '80' ) ),
			'NUMBER' => Shop::product( array( 'sku' => 'NUMBER' ) + $sale( '9', '10' ) ),
			'EMPTY'  => Shop::product( array( 'sku' => 'EMPTY' ) + $sale( '100', '' ) ),
		);
		$parent = Shop::product( array( 'sku' => 'TEE' ) );
		$red    = Shop::product( array( 'sku' => 'TEE-RED' ) + $sale( '100', '50' ), $parent );
		$ids['TEE-RED'] = array( $parent, $red );
		$ids['TEE']     = $parent;
		$goods = array();
		foreach ( array_keys( $ids ) as $ref ) {
			$goods[] = array( $ref, 1, 10000 );
		}
		$json = self::klarna_order( $goods );
		Shop::session( self::GUEST, self::cart_for( $json, $ids ) );
		self::reset_queries();
		$s = $this->build( $json );

		$on_sale = array();
		foreach ( array_keys( $ids ) as $ref ) {
			$on_sale[ $ref ] = $s['products'][ $ref ]['on_sale'];
		}
		$this->assertSame(
			array(
				'PLAIN'   => false,
				'SALE'    => true,
				'PAST'    => false,
				'FUTURE'  => false,
				'WINDOW'  => true,
				'ENDED'   => false,
				'SAME'    => false,
				'NUMBER'  => false, // 9 > 10 compared as numbers, as PHP compares WooCommerce's two price strings.
				'EMPTY'   => false,
				'TEE-RED' => true,  // The variation's own sale price.
				'TEE'     => false,
			),
			$on_sale
		);
		$this->assertArrayNotHasKey( 'category_ids', $s['products']['SALE'], 'no coupon with a category rule: categories are not read' );
		$this->assertSame( array(), self::category_queries() );
		$this->assertCount( 2, self::queries(), 'session, products (the sale meta included): no query for the sale facts (and none for a guest\'s account: it cannot matter)' );
		$this->assertIsBool( Order::parse( $json )->validate( $s )['approved'] );
	}

	public function test_category_ids_hold_every_ancestor_and_a_variation_has_its_parents(): void {
		$kitchen  = Shop::category( 'Kitchen' );
		$mugs     = Shop::category( 'Mugs', $kitchen );
		$espresso = Shop::category( 'Espresso cups', $mugs );
		$garden   = Shop::category( 'Garden' );
		$cup      = Shop::product( array( 'sku' => 'CUP' ) );
		$red      = Shop::product( array( 'sku' => 'CUP-RED' ), $cup );
		$blue     = Shop::product( array(), $cup ); // No SKU of its own: shows its parent's, gets an entry "#<id>".
		$pot      = Shop::product( array( 'sku' => 'POT' ) );
		$bare     = Shop::product( array( 'sku' => 'BARE' ) );
		Shop::categorize( $cup, array( $espresso ) );
		Shop::categorize( $pot, array( $garden, $mugs ) );
		Shop::coupon( 'mugs10', array( 'discount_type' => 'percent', 'product_categories' => array( $mugs ) ) );
		$json = self::klarna_order( array( array( 'CUP-RED', 1, 10000 ), array( 'CUP', 1, 10000 ), array( 'POT', 1, 10000 ), array( 'BARE', 1, 10000 ) ) );
		Shop::session(
			self::GUEST,
			self::cart_for(
				$json,
				array(
					'CUP-RED' => array( $cup, $red ),
					'CUP'     => array( $cup, $blue ),
					'POT'     => $pot,
					'BARE'    => $bare,
				),
				array( 'applied_coupons' => array( 'mugs10' ) )
			)
		);
		self::reset_queries();
		$s = $this->build( $json );

		$chain = array( $kitchen, $mugs, $espresso );
		sort( $chain );
		$this->assertSame( $chain, $s['products']['CUP-RED']['category_ids'], "the parent's category and its ancestors" );
		$this->assertSame( $blue, $s['products'][ '#' . $blue ]['id'] );
		$this->assertSame( $chain, $s['products'][ '#' . $blue ]['category_ids'] );
		$this->assertSame( $chain, $s['products']['CUP']['category_ids'] );
		$pot_ids = array( $kitchen, $mugs, $garden );
		sort( $pot_ids );
		$this->assertSame( $pot_ids, $s['products']['POT']['category_ids'] );
		$this->assertSame( array(), $s['products']['BARE']['category_ids'] );
		$this->assertSame( array( $mugs ), $s['coupons']['mugs10']['product_categories'] );
		$this->assertCount( 1, self::category_queries(), 'all entries in one query' );
		$this->assertIsBool( Order::parse( $json )->validate( $s )['approved'] );
	}

	public function test_the_repository_walks_the_category_tree_as_get_ancestors(): void {
		global $wpdb;
		$a = Shop::category( 'A' );
		$b = Shop::category( 'B', $a );
		$c = Shop::category( 'C', $b );
		// A loop in the tree (a bad import) ends the walk instead of hanging it, as get_ancestors() does.
		$x = Shop::category( 'X' );
		$y = Shop::category( 'Y', $x );
		$wpdb->update( $wpdb->term_taxonomy, array( 'parent' => $y ), array( 'term_id' => $x ) );
		$tag = Shop::category( 'Not a category' );
		$wpdb->update( $wpdb->term_taxonomy, array( 'taxonomy' => 'product_tag' ), array( 'term_id' => $tag ) );
		$p = Shop::product( array( 'sku' => 'P' ) );
		$q = Shop::product( array( 'sku' => 'Q' ) );
		$r = Shop::product( array( 'sku' => 'R' ) );
		Shop::categorize( $p, array( $c ) );
		Shop::categorize( $q, array( $y ) );
		Shop::categorize( $r, array( $tag ), 'product_tag' );
		self::reset_queries();
		$ids = ( new ProductRepository( $wpdb ) )->category_ids( array( $p, $q, $r, 0, $p ) );
		$this->assertSame( 1, $wpdb->num_queries );
		$this->assertSame( array( $a, $b, $c ), $ids[ $p ] );
		$loop = array( $x, $y );
		sort( $loop );
		$this->assertSame( $loop, $ids[ $q ] );
		$this->assertArrayNotHasKey( $r, $ids, 'only product_cat terms' );
		self::reset_queries();
		$this->assertSame( array(), ( new ProductRepository( $wpdb ) )->category_ids( array() ) );
		$this->assertSame( 0, $wpdb->num_queries );
	}

	/**
	 * A logged-in shopper's approval runs four queries (session, products, coupons, users) and the one statement of
	 * its stock claim, which checks held stock itself (issue 14; SnapshotBuilderTest counts them); an applied coupon
	 * with a category rule costs one more, and only then.
	 */
	public function test_the_category_query_runs_only_for_an_applied_coupon_with_a_category_rule(): void {
		global $wpdb;
		// Applied coupons => [queries of the callback, of them reading categories].
		$cases  = array(
			'no coupon (no coupon query)'    => array( array(), array( 4, 0 ) ),
			'no category rule'               => array( array( 'plain', 'nosale' ), array( 5, 0 ) ),
			'a rule on a coupon not applied' => array( array( 'plain' ), array( 5, 0 ) ),
			'product_categories'             => array( array( 'plain', 'cats' ), array( 6, 1 ) ),
			'excluded_product_categories'    => array( array( 'excl' ), array( 6, 1 ) ),
			'both rules, two coupons'        => array( array( 'cats', 'excl' ), array( 6, 1 ) ),
		);
		$want   = array();
		$counts = array();
		foreach ( $cases as $name => list( $applied, $expected ) ) {
			$this->setUp();
			$user  = (string) Shop::user( 'sofia.lindqvist@example.se' );
			$mugs  = Shop::category( 'Mugs' );
			$other = Shop::category( 'Garden' );
			Shop::coupon( 'plain' );
			Shop::coupon( 'nosale', array( 'exclude_sale_items' => 'yes' ) );
			Shop::coupon( 'cats', array( 'product_categories' => array( $mugs ) ) );
			Shop::coupon( 'excl', array( 'exclude_product_categories' => array( $other ) ) );
			$parent = Shop::product( array( 'sku' => 'TEE', 'manage_stock' => true, 'stock' => 50 ) );
			$var    = Shop::product( array( 'sku' => 'TEE-S' ), $parent );
			$mug    = Shop::product( array( 'sku' => 'MUG', 'manage_stock' => true, 'stock' => 50 ) );
			Shop::categorize( $parent, array( $mugs ) );
			Shop::categorize( $mug, array( $mugs ) );
			Shop::reservation( $mug, 1 );
			$json = self::klarna_order( array( array( 'TEE-S', 1, 1000 ), array( 'MUG', 2, 1000 ) ) );
			Shop::session( $user, self::cart_for( $json, array( 'TEE-S' => array( $parent, $var ), 'MUG' => $mug ), array( 'applied_coupons' => $applied ) ) );
			self::reset_queries();
			$r = $this->post_callback( $json, array( 'kco_session_id' => $user ) );
			$this->assertSame( 200, $r->status, $name . ': ' . $r->header_value( 'Location' ) );
			$want[ $name ]   = $expected;
			$counts[ $name ] = array( $wpdb->num_queries, count( self::category_queries() ) );
		}
		$this->assertSame( $want, $counts );
	}

	public function test_in_a_multilingual_shop_a_translation_has_the_categories_of_all_its_translations(): void {
		kco_test_ml_enable( 'wpml' );
		$mugs_en = Shop::category( 'Mugs' );
		$mugs_de = Shop::category( 'Tassen' );
		$en      = Shop::product( array( 'name' => 'Mug', 'sku' => 'MUG' ) );
		$de      = Shop::product( array( 'name' => 'Tasse', 'sku' => 'MUG' ) );
		kco_test_ml_translations( array( 'en' => $en, 'de' => $de ), 'product' );
		Shop::categorize( $en, array( $mugs_en ) );
		Shop::categorize( $de, array( $mugs_de ) );
		Shop::coupon( 'mugs10', array( 'product_categories' => array( $mugs_en ) ) );
		$json = self::klarna_order( array( array( 'MUG', 1, 10000 ) ) );
		Shop::session( self::GUEST, self::cart_for( $json, array( 'MUG' => $de ), array( 'applied_coupons' => array( 'mugs10' ), 'kco_validation_language' => 'de' ) ) );
		self::reset_queries();
		$s = $this->build( $json );
		$this->assertSame( $de, $s['products']['MUG']['id'] );
		$both = array( $mugs_en, $mugs_de );
		sort( $both );
		$this->assertSame( $both, $s['products']['MUG']['category_ids'], 'the English category the coupon names applies to the German translation' );
		$this->assertCount( 1, self::category_queries() );
	}
}
