<?php
/**
 * Stock claims (issue 13, point 1) through the endpoint, against the real extension and MariaDB: an approval claims
 * what it takes, once per Klarna order; other orders' claims are held stock; a claim lost to another callback is
 * decided again; a database that cannot claim answers by the fault policy; WooCommerce's order releases the claim.
 * Real parallel callbacks: tests/e2e/tests/ClaimsE2eTest.php.
 *
 * @package KcoValidation\Plugin\Tests
 */

namespace KcoValidation\Plugin\Tests;

use KcoValidation\Plugin\Claims\ClaimReleaser;
use KcoValidation\Plugin\Claims\ClaimStore;

class ClaimsTest extends TestCase {

	/** Klarna's order id of fixture 01 (TestCase::klarna_order()). */
	const ORDER = '107afe44-4e7a-566e-96f9-96f73a1ebfc3';

	/** A second shopper's session key. */
	const OTHER = 't_fedcba9876543210fedcba98765432';

	/** Failures of every verdict answered in this test (kco_validation_decided). @var list<array<string, mixed>> */
	private $verdicts = array();

	protected function setUp(): void {
		parent::setUp();
		$this->verdicts = array();
		add_action(
			'kco_validation_decided',
			function ( $verdict ) {
				foreach ( $verdict['failures'] as $failure ) {
					$this->verdicts[] = $failure;
				}
			}
		);
	}

	/** The claims table. */
	private static function table(): string {
		return ( new ClaimStore() )->table();
	}

	/**
	 * The claims, by Klarna order id and product id.
	 *
	 * @return array<string, int> "order/product" => quantity.
	 */
	private static function claims(): array {
		global $wpdb;
		$out = array();
		foreach ( $wpdb->get_results( 'SELECT klarna_order_id, product_id, quantity FROM ' . self::table() . ' ORDER BY klarna_order_id, product_id', ARRAY_A ) as $row ) {
			$out[ $row['klarna_order_id'] . '/' . $row['product_id'] ] = (int) $row['quantity'];
		}
		return $out;
	}

	/** A Klarna body of one line, under another Klarna order id when given. */
	private static function order_of( string $sku, int $quantity, string $klarna_order_id = self::ORDER ): string {
		$order             = json_decode( self::klarna_order( array( array( $sku, $quantity, 10000 ) ) ), true );
		$order['order_id'] = $klarna_order_id;
		return (string) json_encode( $order );
	}

	/** A shopper whose cart is that order, under a session key. */
	private static function shopper( string $key, string $json, array $ids, array $extra = array() ): void {
		Shop::session( $key, self::cart_for( $json, $ids, $extra ) );
	}

	public function test_an_approval_claims_what_it_takes_per_stock_owner_and_nothing_else(): void {
		$mug    = Shop::product( array( 'sku' => 'MUG', 'manage_stock' => true, 'stock' => 5 ) );
		$poster = Shop::product( array( 'sku' => 'POSTER' ) );
		$pre    = Shop::product( array( 'sku' => 'PRE', 'manage_stock' => true, 'stock' => 0, 'backorders' => 'notify', 'stock_status' => 'onbackorder' ) );
		$parent = Shop::product( array( 'sku' => 'TEE', 'manage_stock' => true, 'stock' => 9 ) );
		$small  = Shop::product( array( 'sku' => 'TEE-S' ), $parent );
		$large  = Shop::product( array( 'sku' => 'TEE-L' ), $parent );
		$json   = self::klarna_order( array( array( 'MUG', 2, 10000 ), array( 'POSTER', 1, 5000 ), array( 'PRE', 3, 1000 ), array( 'TEE-S', 1, 2000 ), array( 'TEE-L', 2, 2000 ) ) );
		self::shopper(
			self::GUEST,
			$json,
			array(
				'MUG'    => $mug,
				'POSTER' => $poster,
				'PRE'    => $pre,
				'TEE-S'  => array( $parent, $small ),
				'TEE-L'  => array( $parent, $large ),
			)
		);
		$claimed = null;
		add_action(
			'kco_validation_decided',
			static function ( $verdict, $order, $snapshot, $ms, $units ) use ( &$claimed ) {
				$claimed = $units;
			},
			10,
			5
		);
		$r = $this->post_callback( $json, array( 'kco_session_id' => self::GUEST ) );
		$this->assertSame( 200, $r->status, (string) $r->header_value( 'Location' ) );
		$this->assertSame(
			array(
				self::ORDER . '/' . $mug    => 2,
				self::ORDER . '/' . $parent => 3,
			),
			self::claims(),
			'managed stock without backorders only, per stock owner (the variations share their parent\'s)'
		);
		$this->assertSame( 5, $claimed, 'the decision tells how many units it claimed' );
		global $wpdb;
		$minutes = (int) $wpdb->get_var( 'SELECT TIMESTAMPDIFF( SECOND, NOW(), expires ) FROM ' . self::table() . ' LIMIT 1' );
		$this->assertEqualsWithDelta( 600, $minutes, 5, 'claims last 10 minutes by default' );
	}

	public function test_the_same_klarna_order_validated_twice_keeps_one_claim(): void {
		$mug  = Shop::product( array( 'sku' => 'MUG', 'manage_stock' => true, 'stock' => 3 ) );
		$json = self::order_of( 'MUG', 2 );
		self::shopper( self::GUEST, $json, array( 'MUG' => $mug ) );
		$this->assertSame( 200, $this->post_callback( $json, array( 'kco_session_id' => self::GUEST ) )->status );
		$this->assertSame( 200, $this->post_callback( $json, array( 'kco_session_id' => self::GUEST ) )->status, 'its own claim is never held against it' );
		$this->assertSame( array( self::ORDER . '/' . $mug => 2 ), self::claims() );

		// The shopper changed the cart: the order's claim follows it.
		$json = self::order_of( 'MUG', 3 );
		global $wpdb;
		$wpdb->query( "DELETE FROM {$wpdb->prefix}woocommerce_sessions" );
		self::shopper( self::GUEST, $json, array( 'MUG' => $mug ) );
		$this->assertSame( 200, $this->post_callback( $json, array( 'kco_session_id' => self::GUEST ) )->status );
		$this->assertSame( array( self::ORDER . '/' . $mug => 3 ), self::claims() );
	}

	public function test_an_order_that_changed_its_products_leaves_no_claim_on_the_old_ones_in_one_statement(): void {
		global $wpdb;
		$mug  = Shop::product( array( 'sku' => 'MUG', 'manage_stock' => true, 'stock' => 2 ) );
		$cup  = Shop::product( array( 'sku' => 'CUP', 'manage_stock' => true, 'stock' => 2 ) );
		$json = self::order_of( 'MUG', 2 );
		self::shopper( self::GUEST, $json, array( 'MUG' => $mug ) );
		$this->assertSame( 200, $this->post_callback( $json, array( 'kco_session_id' => self::GUEST ) )->status );

		// The same Klarna order now has the cup instead of the mug.
		$json = self::order_of( 'CUP', 2 );
		$wpdb->query( "DELETE FROM {$wpdb->prefix}woocommerce_sessions" );
		self::shopper( self::GUEST, $json, array( 'CUP' => $cup ) );
		self::reset_queries();
		$this->assertSame( 200, $this->post_callback( $json, array( 'kco_session_id' => self::GUEST ) )->status );
		$writes = array_values( array_filter( self::queries(), static fn ( string $q ): bool => 1 !== preg_match( '/^\s*(SET STATEMENT [^ ]+ FOR )?SELECT\b/i', $q ) ) );
		$this->assertCount( 1, $writes, 'the claim is one statement: ' . implode( "\n", $writes ) );
		$this->assertStringStartsWith( 'SET STATEMENT max_statement_time=', $writes[0], 'limited by the time guard' );
		$this->assertStringContainsString( 'INSERT INTO ' . self::table(), $writes[0] );
		$this->assertSame( array( self::ORDER . '/' . $mug => 0, self::ORDER . '/' . $cup => 2 ), self::claims(), 'the mug\'s row is expired, not counted' );

		// Another shopper gets both mugs.
		$other = self::order_of( 'MUG', 2, 'another-klarna-order' );
		self::shopper( 't_fedcba9876543210fedcba98765432', $other, array( 'MUG' => $mug ) );
		$this->assertSame( 200, $this->post_callback( $other, array( 'kco_session_id' => 't_fedcba9876543210fedcba98765432' ) )->status );
	}

	public function test_other_orders_claims_are_held_stock_until_they_expire(): void {
		global $wpdb;
		$mug   = Shop::product( array( 'sku' => 'MUG', 'name' => 'Blue mug', 'manage_stock' => true, 'stock' => 5 ) );
		$first = self::order_of( 'MUG', 4, 'aaaaaaaa-0000-4000-8000-000000000001' );
		self::shopper( self::GUEST, $first, array( 'MUG' => $mug ) );
		$this->assertSame( 200, $this->post_callback( $first, array( 'kco_session_id' => self::GUEST ) )->status );

		$second = self::order_of( 'MUG', 2, 'bbbbbbbb-0000-4000-8000-000000000002' );
		self::shopper( self::OTHER, $second, array( 'MUG' => $mug ) );
		$r = $this->post_callback( $second, array( 'kco_session_id' => self::OTHER ) );
		$this->assertSame( 303, $r->status );
		$this->assertSame( 'insufficient_stock', self::location_query( $r->header_value( 'Location' ) )['kco_validation'] );
		$this->assertSame( array( 'name' => 'Blue mug', 'available' => 1, 'requested' => 2 ), end( $this->verdicts )['params'], '5 − 4 claimed = 1 left' );
		$this->assertSame( array( 'aaaaaaaa-0000-4000-8000-000000000001/' . $mug => 4 ), self::claims(), 'a denial claims nothing' );

		// The first claim expires: the stock is free again.
		$wpdb->query( 'UPDATE ' . self::table() . ' SET expires = NOW() - INTERVAL 1 SECOND' );
		$this->assertSame( 200, $this->post_callback( $second, array( 'kco_session_id' => self::OTHER ) )->status );
	}

	/**
	 * Another callback claims the last units between this callback's snapshot and its claim: the claim is refused,
	 * and the order is decided again on the stock and held quantities as they stood then.
	 */
	public function test_a_claim_lost_to_another_callback_is_decided_again_on_the_stock_as_it_stood(): void {
		global $wpdb;
		$mug  = Shop::product( array( 'sku' => 'MUG', 'name' => 'Blue mug', 'manage_stock' => true, 'stock' => 5 ) );
		$json = self::order_of( 'MUG', 2 );
		self::shopper( self::GUEST, $json, array( 'MUG' => $mug ) );
		$other = new \mysqli( 'localhost', (string) getenv( 'KCO_DB_USER' ), (string) getenv( 'KCO_DB_PASSWORD' ), (string) getenv( 'KCO_DB_NAME' ), 0, (string) getenv( 'KCO_DB_SOCKET' ) );
		$table = self::table();
		add_filter(
			'kco_validation_verdict',
			static function ( $verdict ) use ( $other, $table, $mug ) {
				// The extension has approved on 5 left; now another order takes 4 of them.
				$other->query( "INSERT INTO {$table} ( klarna_order_id, product_id, quantity, wc_order_id, created_at, expires ) VALUES ( 'cccccccc-0000-4000-8000-000000000003', {$mug}, 4, 0, NOW(), NOW() + INTERVAL 5 MINUTE )" );
				return $verdict;
			}
		);
		try {
			$r = $this->post_callback( $json, array( 'kco_session_id' => self::GUEST ) );
		} finally {
			$other->close();
		}
		$this->assertSame( 303, $r->status );
		$this->assertSame( 'https://shop.example/cart/', strtok( (string) $r->header_value( 'Location' ), '?' ) );
		$failure = end( $this->verdicts );
		$this->assertSame( 'insufficient_stock', $failure['code'] );
		$this->assertSame( array( 'name' => 'Blue mug', 'available' => 1, 'requested' => 2 ), $failure['params'], 'the numbers as they stood when the claim was refused' );
		$this->assertSame( array( 'cccccccc-0000-4000-8000-000000000003/' . $mug => 4 ), self::claims(), 'nothing claimed for the refused order' );
		$this->assertStringContainsString( 'outcome=denied', self::decision_lines()[0]['message'] );
	}

	public function test_nothing_is_claimed_when_claims_are_off_or_not_installed(): void {
		$mug  = Shop::product( array( 'sku' => 'MUG', 'manage_stock' => true, 'stock' => 5 ) );
		$json = self::order_of( 'MUG', 2 );
		self::shopper( self::GUEST, $json, array( 'MUG' => $mug ) );

		// A URL without the token (accepted only while KCO 1.10 or older runs) could come from anyone: it is decided,
		// but claims nothing (else made-up orders could hold the shop's stock).
		add_filter( 'kco_validation_kco_version', static fn () => '1.10.4' );
		$this->assertSame( 200, $this->post_callback( $json, array( 'kco_session_id' => self::GUEST, \KcoValidation\Plugin\Integration\UrlToken::QUERY_ARG => null ) )->status );
		$this->assertSame( array(), self::claims(), 'no token: no claim' );
		remove_all_filters( 'kco_validation_kco_version' );

		update_option( 'kco_validation_claim_minutes', '0' );
		$this->assertSame( 200, $this->post_callback( $json, array( 'kco_session_id' => self::GUEST ) )->status );
		$this->assertSame( array(), self::claims(), 'setting 0: off' );

		update_option( 'kco_validation_claim_minutes', '10' );
		add_filter( 'kco_validation_claim_minutes', static fn () => 0 );
		$this->assertSame( 200, $this->post_callback( $json, array( 'kco_session_id' => self::GUEST ) )->status );
		$this->assertSame( array(), self::claims(), 'the filter says 0' );
		remove_all_filters( 'kco_validation_claim_minutes' );

		delete_option( ClaimStore::SCHEMA_OPTION );
		self::reset_queries();
		$this->assertSame( 200, $this->post_callback( $json, array( 'kco_session_id' => self::GUEST ) )->status );
		$queries = self::queries();
		foreach ( $queries as $sql ) {
			$this->assertStringNotContainsString( 'kco_validation_claims', $sql, 'not installed: neither read nor written' );
		}
		$this->assertCount( 3, $queries, 'and the callback runs its reads only (session, products, held stock: no coupon applied, a guest)' );
		$this->assertSame( array(), self::claims() );
	}

	/**
	 * The claim cannot be made: another client holds the product's stock row (an import, a stuck transaction). The
	 * claim waits only up to the query limit, then the internal-fault policy answers.
	 */
	public function test_a_claim_that_cannot_be_made_is_answered_by_the_fault_policy(): void {
		global $wpdb;
		$mug  = Shop::product( array( 'sku' => 'MUG', 'manage_stock' => true, 'stock' => 5 ) );
		$json = self::order_of( 'MUG', 2 );
		self::shopper( self::GUEST, $json, array( 'MUG' => $mug ) );
		update_option( 'kco_validation_time_budget_ms', '300' );
		$other = new \mysqli( 'localhost', (string) getenv( 'KCO_DB_USER' ), (string) getenv( 'KCO_DB_PASSWORD' ), (string) getenv( 'KCO_DB_NAME' ), 0, (string) getenv( 'KCO_DB_SOCKET' ) );
		$other->query( 'START TRANSACTION' );
		$other->query( "SELECT meta_value FROM {$wpdb->postmeta} WHERE post_id = {$mug} AND meta_key = '_stock' FOR UPDATE" );
		try {
			$t0 = microtime( true );
			$r  = $this->expect_database_errors( '/^Query execution was interrupted \(max_statement_time exceeded\)$/', fn () => $this->post_callback( $json, array( 'kco_session_id' => self::GUEST ) ) );
			$ms = ( microtime( true ) - $t0 ) * 1000;
			update_option( 'kco_validation_fault_policy', 'approve' );
			$approved = $this->expect_database_errors( '/^Query execution was interrupted \(max_statement_time exceeded\)$/', fn () => $this->post_callback( $json, array( 'kco_session_id' => self::GUEST ) ) );
		} finally {
			$other->query( 'ROLLBACK' );
			$other->close();
		}
		$this->assertSame( 303, $r->status );
		$this->assertSame( 'https://shop.example/checkout/?unable_to_process&kco_validation=internal_error', $r->header_value( 'Location' ) );
		$this->assertGreaterThan( 250, $ms, 'it waited for the lock' );
		$this->assertLessThan( 1500, $ms, 'up to the query limit only' );
		$line = self::decision_lines()[0]['message'];
		$this->assertStringContainsString( 'outcome=fault-denied', $line );
		$this->assertStringContainsString( 'query time limit of 300 ms exceeded while claiming the stock', $line );
		$this->assertSame( 200, $approved->status, 'the approve policy approves' );
		$this->assertSame( array(), self::claims(), 'and nothing is left claimed' );
		$this->assertSame( '0.000000', (string) $wpdb->get_var( 'SELECT @@SESSION.max_statement_time' ), 'the session limit is put back' );
		$this->assertSame( 'REPEATABLE-READ', (string) $wpdb->get_var( 'SELECT @@SESSION.tx_isolation' ), 'READ COMMITTED was for the claim only' );
	}

	/**
	 * Kustom Checkout 2.x creates the WooCommerce order (pending, with WooCommerce's own reservation) before Klarna's
	 * callback: the claim names that order, and counts for others only beyond what its reservation already holds.
	 */
	public function test_a_claim_of_an_order_that_woocommerce_already_reserves_for_is_not_held_twice(): void {
		$mug   = Shop::product( array( 'sku' => 'MUG', 'name' => 'Blue mug', 'manage_stock' => true, 'stock' => 5 ) );
		$own   = Shop::reservation( $mug, 3 );
		$first = self::order_of( 'MUG', 3, 'aaaaaaaa-0000-4000-8000-000000000001' );
		self::shopper( self::GUEST, $first, array( 'MUG' => $mug ), array( 'order_awaiting_payment' => $own ) );
		$this->assertSame( 200, $this->post_callback( $first, array( 'kco_session_id' => self::GUEST ) )->status, 'its own reservation is not held against it' );
		global $wpdb;
		$this->assertSame( (string) $own, $wpdb->get_var( 'SELECT wc_order_id FROM ' . self::table() ) );

		$second = self::order_of( 'MUG', 2, 'bbbbbbbb-0000-4000-8000-000000000002' );
		self::shopper( self::OTHER, $second, array( 'MUG' => $mug ) );
		$this->assertSame( 200, $this->post_callback( $second, array( 'kco_session_id' => self::OTHER ) )->status, '5 − 3 held once = 2 left' );
		$third = self::order_of( 'MUG', 1, 'dddddddd-0000-4000-8000-000000000004' );
		self::shopper( 't_' . str_repeat( 'd', 30 ), $third, array( 'MUG' => $mug ) );
		$this->assertSame( 303, $this->post_callback( $third, array( 'kco_session_id' => 't_' . str_repeat( 'd', 30 ) ) )->status, 'and then none' );
	}

	/** A WooCommerce order as the hooks pass it (WC_Order: id, meta, payment method, transaction id). */
	private static function wc_order( int $id, string $klarna_order_id, string $method = 'kco', string $transaction = '' ): object {
		return new class( $id, $klarna_order_id, $method, $transaction ) {
			public function __construct( private int $id, private string $klarna, private string $method, private string $transaction ) {}
			public function get_id() {
				return $this->id;
			}
			public function get_meta( $key, $single = true ) {
				return '_wc_klarna_order_id' === $key ? $this->klarna : '';
			}
			public function get_payment_method() {
				return $this->method;
			}
			public function get_transaction_id() {
				return $this->transaction;
			}
		};
	}

	public function test_the_claim_is_released_when_woocommerces_order_takes_the_stock_fails_or_is_cancelled(): void {
		global $wpdb;
		$table = self::table();
		$claim = static function ( string $klarna, int $wc_order = 0 ) use ( $wpdb, $table ) {
			$wpdb->query( $wpdb->prepare( "INSERT INTO {$table} ( klarna_order_id, product_id, quantity, wc_order_id, created_at, expires ) VALUES ( %s, 11, 1, %d, NOW(), NOW() + INTERVAL 5 MINUTE )", $klarna, $wc_order ) );
		};
		( new ClaimReleaser() )->register();

		// KCO 1.x: the order names its Klarna order; WooCommerce reduces its stock.
		$claim( 'k-reduced' );
		do_action( 'woocommerce_reduce_order_stock', self::wc_order( 501, 'k-reduced' ) );
		// Kustom 2.x: the claim names the WooCommerce order; payment complete (the hook passes the id only: the
		// order is then looked up, here through the claim's own order id).
		$claim( 'k-kustom', 502 );
		do_action( 'woocommerce_order_status_processing', 502, self::wc_order( 502, '' ) );
		// Failed, cancelled.
		$claim( 'k-failed' );
		do_action( 'woocommerce_order_status_failed', 503, self::wc_order( 503, 'k-failed' ) );
		$claim( 'k-cancelled' );
		do_action( 'woocommerce_order_status_cancelled', 504, self::wc_order( 504, '', 'kco', 'k-cancelled' ) );
		// Another payment method's order touches nothing (no query either).
		$claim( 'k-kept' );
		self::reset_queries();
		do_action( 'woocommerce_reduce_order_stock', self::wc_order( 505, '', 'bacs' ) );
		$this->assertSame( array(), self::queries() );

		$this->assertSame( array( 'k-kept/11' => 1 ), self::claims() );
	}
}
