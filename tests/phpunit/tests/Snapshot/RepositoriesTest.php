<?php
/**
 * ProductRepository, CouponRepository, CustomerRepository against the real schema.
 *
 * @package KcoValidation\Plugin\Tests
 */

namespace KcoValidation\Plugin\Tests;

use KcoValidation\Plugin\Snapshot\CouponRepository;
use KcoValidation\Plugin\Snapshot\CustomerRepository;
use KcoValidation\Plugin\Snapshot\ProductRepository;

class RepositoriesTest extends TestCase {

	public function test_products_by_id_and_sku_in_one_query_trash_by_id_only_no_other_post_types(): void {
		global $wpdb;
		$a      = Shop::product( array( 'sku' => 'A', 'name' => 'Alpha', 'manage_stock' => true, 'stock' => '3.7', 'backorders' => 'notify', 'virtual' => true ) );
		$b      = Shop::product( array( 'sku' => 'B' ) );
		$trash  = Shop::product( array( 'sku' => 'T', 'status' => 'trash' ) );
		$trash2 = Shop::product( array( 'sku' => 'U', 'status' => 'trash' ) );
		$page   = Shop::post( 'page', 'A page' );
		self::reset_queries();
		$rows = ( new ProductRepository( $wpdb ) )->find( array( $b, $trash, $page ), array( 'a', 'T', 'U', 'NONE' ) );
		$this->assertSame( 1, $wpdb->num_queries );
		// A trashed product by its id (a cart's item, which WooCommerce drops as not purchasable), never by its SKU.
		$this->assertSame( array( $a, $b, $trash ), array_keys( $rows ) );
		$this->assertSame( 'trash', $rows[ $trash ]['status'] );
		$this->assertArrayNotHasKey( $trash2, $rows );
		$this->assertSame( 'A', $rows[ $a ]['sku'], 'SKU match uses the column collation (case-insensitive), as wc_get_product_id_by_sku()' );
		$this->assertTrue( $rows[ $a ]['manage_stock'] );
		$this->assertSame( 3.7, $rows[ $a ]['stock'] );
		$this->assertSame( 'notify', $rows[ $a ]['backorders'] );
		$this->assertTrue( $rows[ $a ]['virtual'] );
		$this->assertSame( 'Alpha', $rows[ $a ]['name'] );
		$this->assertFalse( $rows[ $b ]['variation'] );
		$this->assertSame( array(), ( new ProductRepository( $wpdb ) )->find( array(), array() ) );
	}

	public function test_old_woocommerce_without_the_lookup_table_matches_skus_in_postmeta(): void {
		global $wpdb;
		update_option( 'woocommerce_db_version', '3.5.8' );
		$a = Shop::product( array( 'sku' => 'A' ) );
		$wpdb->query( "DELETE FROM {$wpdb->prefix}wc_product_meta_lookup" );
		$rows = ( new ProductRepository( $wpdb ) )->find( array(), array( 'A' ) );
		$this->assertSame( array( $a ), array_keys( $rows ) );
		$this->assertFalse( ProductRepository::has_lookup_table() );
	}

	public function test_values_come_from_postmeta_when_the_lookup_table_drifted(): void {
		global $wpdb;
		$a = Shop::product( array( 'sku' => 'A', 'manage_stock' => true, 'stock' => 1 ) );
		$wpdb->query( "UPDATE {$wpdb->prefix}wc_product_meta_lookup SET stock_quantity = 99, stock_status = 'instock'" );
		$wpdb->query( $wpdb->prepare( "UPDATE {$wpdb->postmeta} SET meta_value = 'outofstock' WHERE post_id = %d AND meta_key = '_stock_status'", $a ) );
		$rows = ( new ProductRepository( $wpdb ) )->find( array(), array( 'A' ) );
		$this->assertSame( 1.0, $rows[ $a ]['stock'] );
		$this->assertSame( 'outofstock', $rows[ $a ]['stock_status'] );
	}

	public function test_held_stock_groups_by_owner_and_skips_when_the_table_is_absent(): void {
		global $wpdb;
		$a    = Shop::product( array( 'sku' => 'A' ) );
		$b    = Shop::product( array( 'sku' => 'B' ) );
		$mine = Shop::reservation( $a, 4 );
		Shop::reservation( $a, 2 );
		Shop::reservation( $a, 1, 600, 'wc-checkout-draft' );
		Shop::reservation( $b, 3, -1 );
		$repo = new ProductRepository( $wpdb );
		$this->assertSame( array( $a => 7 ), $repo->held_stock( array( $a, $b ), 0 ) );
		$this->assertSame( array( $a => 3 ), $repo->held_stock( array( $a, $b ), $mine ) );
		update_option( 'woocommerce_schema_version', '420' );
		self::reset_queries();
		$this->assertSame( array(), $repo->held_stock( array( $a ), 0 ) );
		$this->assertSame( 0, $wpdb->num_queries );
	}

	public function test_coupons_in_one_query_newest_wins_unknown_does_not_exist(): void {
		global $wpdb;
		Shop::coupon( 'dup', array( 'usage_limit' => '1' ), '2025-01-01 00:00:00' );
		Shop::coupon( 'dup', array( 'usage_limit' => '9' ), '2026-02-01 00:00:00' );
		$id = Shop::coupon( 'Held', array( 'usage_count' => '2', '_used_by' => array( '17', 'A@B.se' ), 'customer_email' => array( 'X@Y.se ', '' ), 'maximum_amount' => '500.5' ) );
		Shop::meta( $id, array( '_coupon_held_' . ( time() + 60 ) . '_aaaaaa' => '1', '_coupon_held_' . ( time() - 60 ) . '_bbbbbb' => '2' ) );
		self::reset_queries();
		$c = ( new CouponRepository( $wpdb ) )->find( array( 'DUP', 'held', 'ghost', '', 'held' ), time() );
		$this->assertSame( 1, $wpdb->num_queries );
		$this->assertSame( array( 'dup', 'held', 'ghost' ), array_keys( $c ) );
		$this->assertSame( 9, $c['dup']['usage_limit'] );
		$this->assertSame( 3, $c['held']['usage_count'], 'two uses plus one unexpired hold' );
		$this->assertSame( array( '17', 'A@B.se' ), $c['held']['used_by'] );
		$this->assertSame( array( 'x@y.se' ), $c['held']['email_restrictions'] );
		$this->assertSame( '500.5', $c['held']['maximum_amount'] );
		$this->assertNull( $c['held']['minimum_amount'] );
		$this->assertSame( array( 'exists' => false ), $c['ghost'] );
		self::reset_queries();
		$this->assertSame( array(), ( new CouponRepository( $wpdb ) )->find( array(), time() ) );
		$this->assertSame( 0, $wpdb->num_queries );
	}

	public function test_coupons_carry_their_type_and_product_rules_without_another_query(): void {
		global $wpdb;
		Shop::coupon( 'shoes', array( 'discount_type' => 'fixed_product', 'product_ids' => '12,34, 56,,34', 'exclude_product_ids' => '7' ) );
		Shop::coupon( 'cart', array( 'discount_type' => 'fixed_cart', 'product_ids' => '', 'exclude_product_ids' => '0,-5,abc,9 , 11' ) );
		$bare = Shop::coupon( 'bare' );
		$wpdb->query( $wpdb->prepare( "DELETE FROM {$wpdb->postmeta} WHERE post_id = %d AND meta_key = 'discount_type'", $bare ) );
		Shop::coupon( 'blank', array( 'discount_type' => ' ' ) );
		self::reset_queries();
		$c = ( new CouponRepository( $wpdb ) )->find( array( 'shoes', 'cart', 'bare', 'blank' ), time() );
		$this->assertSame( 1, $wpdb->num_queries, 'the product rules come with the one coupon query' );
		$this->assertSame( 'fixed_product', $c['shoes']['discount_type'] );
		$this->assertSame( array( 12, 34, 56 ), $c['shoes']['product_ids'] );
		$this->assertSame( array( 7 ), $c['shoes']['excluded_product_ids'] );
		$this->assertSame( 'fixed_cart', $c['cart']['discount_type'] );
		$this->assertSame( array(), $c['cart']['product_ids'], 'an empty meta value is no restriction' );
		$this->assertSame( array( 9, 11 ), $c['cart']['excluded_product_ids'], 'positive ids only' );
		$this->assertSame( array( 'fixed_cart', array(), array() ), array( $c['bare']['discount_type'], $c['bare']['product_ids'], $c['bare']['excluded_product_ids'] ), "no meta: WC_Coupon's defaults" );
		$this->assertSame( 'fixed_cart', $c['blank']['discount_type'] );
	}

	public function test_the_extension_decides_the_product_rules_the_repository_reads(): void {
		global $wpdb;
		Shop::coupon( 'excl', array( 'discount_type' => 'fixed_cart', 'exclude_product_ids' => '101' ) );
		Shop::coupon( 'only', array( 'discount_type' => 'percent', 'product_ids' => '999' ) );
		$coupons = ( new CouponRepository( $wpdb ) )->find( array( 'excl', 'only' ), time() );
		$body    = (string) file_get_contents( dirname( __DIR__, 3 ) . '/fixtures/klarna/02-se-sek-percentage-discount.json' );
		$store   = json_decode( (string) file_get_contents( dirname( __DIR__, 3 ) . '/fixtures/stores/02-se-sek-percentage-discount.store.json' ), true );
		$store['coupons']         = $coupons;
		$store['cart']['coupons'] = array( 'excl', 'only' );
		$verdict = \KcoValidation\Order::parse( $body )->validate( $store );
		$this->assertSame(
			array( array( 'excl', 'excluded_product' ), array( 'only', 'not_applicable' ) ),
			array_map( static fn ( array $f ): array => array( $f['reference'], $f['reason'] ), $verdict['failures'] )
		);
	}

	public function test_format_code_mirrors_wc_format_coupon_code(): void {
		$this->assertSame( 'säljö & co', CouponRepository::format_code( ' SÄLJÖ &amp; Co ' ) );
	}

	public function test_customers_by_email_and_billing_email_in_one_query(): void {
		global $wpdb;
		$u1 = Shop::user( 'Sofia@Example.se' );
		$u2 = Shop::user( 'other@example.se', 'sofia@example.se' );
		$u3 = Shop::user( 'third@example.se', 'sofia@example.se' );
		self::reset_queries();
		$c = ( new CustomerRepository( $wpdb ) )->find( 'sofia@example.se', $u2, array( (string) $u2, 'x@y.se', ' 0', 'abc' ) );
		$this->assertSame( 1, $wpdb->num_queries );
		// get_user_ids_for_billing_email(): users whose billing email is the order's (u2); u1 only has it as its
		// account email, which WooCommerce's checkout does not count as an alias.
		$this->assertSame( array( 'email_exists' => true, 'user_ids_for_email' => array( $u2 ), 'user_exists' => true, 'account_email' => 'other@example.se' ), $c, 'billing_email is read only for the ids asked about' );
		$this->assertSame( array( $u2, $u3 ), ( new CustomerRepository( $wpdb ) )->find( 'sofia@example.se', 0, array( $u2, (string) $u3 ) )['user_ids_for_email'] );
		// A user whose billing email is the logged-in shopper's account email is an alias too.
		$u4 = Shop::user( 'fourth@example.se', 'OTHER@example.se' );
		$this->assertSame( array( $u4 ), ( new CustomerRepository( $wpdb ) )->find( 'new@example.se', $u2, array( $u4, $u3 ) )['user_ids_for_email'] );
		self::reset_queries();
		$plain = ( new CustomerRepository( $wpdb ) )->find( 'sofia@example.se', 0 );
		$this->assertSame( array(), $plain['user_ids_for_email'] );
		$this->assertStringNotContainsString( 'usermeta', self::queries()[0], 'no per-user coupon: usermeta is not read' );
		$none = ( new CustomerRepository( $wpdb ) )->find( 'new@example.se', 0, array( $u2 ) );
		$this->assertFalse( $none['email_exists'] );
		$this->assertSame( array(), $none['user_ids_for_email'] );
		$own = ( new CustomerRepository( $wpdb ) )->find( null, $u3 );
		$this->assertTrue( $own['user_exists'] );
		$this->assertSame( 'third@example.se', $own['account_email'] );
		self::reset_queries();
		( new CustomerRepository( $wpdb ) )->find( null, 0 );
		$this->assertSame( 0, $wpdb->num_queries );
	}

	/**
	 * Big-shop guard: rows the server reads for a query (Handler_read_* deltas), on a shop seeded with thousands of
	 * posts, SKUs, users and billing_email meta. A query that scans a table reads thousands; an index lookup a few.
	 */
	public function test_product_and_customer_queries_read_only_the_wanted_rows_of_a_big_shop(): void {
		global $wpdb;
		$n = 4000;
		$this->seed_big_shop( $n );
		$mug    = Shop::product( array( 'sku' => 'MUG', 'manage_stock' => true, 'stock' => 3 ) );
		$parent = Shop::product( array( 'sku' => 'TEE' ) );
		$red    = Shop::product( array( 'sku' => '' ), $parent );
		$sofia  = Shop::user( 'sofia@example.se', 'sofia.billing@example.se' );
		$wpdb->query( "ANALYZE TABLE {$wpdb->posts}, {$wpdb->postmeta}, {$wpdb->prefix}wc_product_meta_lookup, {$wpdb->users}, {$wpdb->usermeta}" );
		$products  = new ProductRepository( $wpdb );
		$customers = new CustomerRepository( $wpdb );

		$rows = null;
		$read = $this->rows_read( static function () use ( $products, $parent, $red, &$rows ) { $rows = $products->find( array( $parent, $red, 99999999 ), array( 'MUG', 'BULK-7', 'NONE' ) ); } );
		$this->assertSame( array( $mug, $parent, $red ), array_values( array_diff( array_keys( $rows ), array_keys( array_filter( $rows, static fn ( $r ) => str_starts_with( $r['sku'], 'BULK-' ) ) ) ) ) );
		$this->assertCount( 4, $rows, 'MUG, TEE, its variation and BULK-7' );
		$this->assertLessThan( 300, $read, "products: {$read} rows read of {$n}+ posts" );

		update_option( 'woocommerce_db_version', '3.5.8' );
		// Old WooCommerce: postmeta.meta_value has no index (wc_get_product_id_by_sku() then read it the same way);
		// correct results are what counts there.
		$rows = $products->find( array( $red ), array( 'MUG', 'NONE' ) );
		$this->assertSame( array( $mug, $red ), array_keys( $rows ), 'old WooCommerce: SKUs from postmeta' );
		update_option( 'woocommerce_db_version', '9.4.0' );

		$c    = null;
		$read = $this->rows_read( static function () use ( $customers, $sofia, &$c ) { $c = $customers->find( 'bulk7@example.com', $sofia ); } );
		$this->assertTrue( $c['email_exists'] );
		$this->assertTrue( $c['user_exists'] );
		$this->assertLessThan( 50, $read, "email_exists and the own user by index: {$read} rows read of {$n}+ users" );

		$bulk7 = (int) $wpdb->get_var( "SELECT ID FROM {$wpdb->users} WHERE user_login = 'bulk7'" );
		$read  = $this->rows_read( static function () use ( $customers, $bulk7, $sofia, &$c ) { $c = $customers->find( 'sofia.billing@example.se', 0, array( $bulk7, $sofia, '17' ) ); } );
		$this->assertSame( array( $sofia ), $c['user_ids_for_email'] );
		$this->assertLessThan( 100, $read, "billing_email by user id: {$read} rows read of {$n}+ usermeta rows" );
	}

	/** Rows read by the server (sum of Handler_read_* deltas) while $run runs, less the status query's own reads. */
	private function rows_read( callable $run ): int {
		$before   = $this->handler_reads();
		$overhead = $this->handler_reads() - $before;
		$before   = $this->handler_reads();
		$run();
		return $this->handler_reads() - $before - $overhead;
	}

	private function handler_reads(): int {
		global $wpdb;
		$rows = $wpdb->get_results( "SHOW SESSION STATUS LIKE 'Handler_read%'", ARRAY_N );
		return (int) array_sum( array_map( static fn ( $r ) => (int) $r[1], (array) $rows ) );
	}

	/** $n products with a SKU (posts, _sku meta, lookup rows) and $n users with billing_email and first_name meta. */
	private function seed_big_shop( int $n ): void {
		global $wpdb;
		$queries = array(
			"INSERT INTO {$wpdb->posts} (post_type, post_title, post_status, post_content, post_excerpt, to_ping, pinged, post_content_filtered, post_date, post_date_gmt, post_modified, post_modified_gmt)
				SELECT ELT(1 + seq % 2, 'product', 'shop_order'), CONCAT('bulk-', seq), 'publish', '', '', '', '', '', NOW(), NOW(), NOW(), NOW() FROM seq_1_to_{$n}",
			"INSERT INTO {$wpdb->postmeta} (post_id, meta_key, meta_value) SELECT ID, '_sku', CONCAT('BULK-', ID) FROM {$wpdb->posts} WHERE post_title LIKE 'bulk-%' AND post_type = 'product'",
			"INSERT INTO {$wpdb->postmeta} (post_id, meta_key, meta_value) SELECT ID, '_price', '10' FROM {$wpdb->posts} WHERE post_title LIKE 'bulk-%'",
			"INSERT INTO {$wpdb->prefix}wc_product_meta_lookup (product_id, sku) SELECT ID, CONCAT('BULK-', ID) FROM {$wpdb->posts} WHERE post_title LIKE 'bulk-%' AND post_type = 'product'",
			"INSERT INTO {$wpdb->users} (user_login, user_email) SELECT CONCAT('bulk', seq), CONCAT('bulk', seq, '@example.com') FROM seq_1_to_{$n}",
			"INSERT INTO {$wpdb->usermeta} (user_id, meta_key, meta_value) SELECT ID, 'billing_email', user_email FROM {$wpdb->users} WHERE user_login LIKE 'bulk%'",
			"INSERT INTO {$wpdb->usermeta} (user_id, meta_key, meta_value) SELECT ID, 'first_name', 'Bulk' FROM {$wpdb->users} WHERE user_login LIKE 'bulk%'",
		);
		foreach ( $queries as $sql ) {
			$wpdb->query( $sql );
			$this->assertSame( '', $wpdb->last_error, $sql );
		}
		// BULK-7 names post 7 of the seed only if ids start at 1; name one product for certain.
		$wpdb->query( "UPDATE {$wpdb->prefix}wc_product_meta_lookup SET sku = 'BULK-7' WHERE product_id = ( SELECT MIN( ID ) FROM {$wpdb->posts} WHERE post_type = 'product' AND post_title LIKE 'bulk-%' )" );
	}

	public function test_database_errors_throw(): void {
		global $wpdb;
		$broken = clone $wpdb;
		$broken->set_prefix( 'missing_' );
		foreach ( array(
			static fn () => ( new ProductRepository( $broken ) )->find( array( 1 ) ),
			static fn () => ( new ProductRepository( $broken ) )->held_stock( array( 1 ), 0 ),
			static fn () => ( new CouponRepository( $broken ) )->find( array( 'x' ), 0 ),
			static fn () => ( new CustomerRepository( $broken ) )->find( 'a@b.se', 0 ),
		) as $i => $call ) {
			try {
				$this->expect_database_errors( "/^Table '[^']+\\.missing_[a-z_]+' doesn't exist$/", $call, array( $broken ) );
				$this->fail( "call {$i} did not throw" );
			} catch ( \RuntimeException $e ) {
				$this->assertStringContainsString( 'database error', $e->getMessage() );
			}
		}
	}
}
