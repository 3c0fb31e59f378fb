<?php
/**
 * Sell the last units once, over HTTP (issue 13): N callbacks of different shoppers sent at once to nginx + php-fpm
 * (every php-fpm worker deciding one at the same moment, each on its own database connection) for a product with K
 * units: exactly K approved, N − K denied out_of_stock / insufficient_stock, in every round; the same Klarna order
 * sent twice at once is approved twice and claims once. In-process with N separate PHP processes:
 * tests/phpunit/tests/Claims/ClaimConcurrencyTest.php.
 *
 * @package KcoValidation\Plugin\Tests\E2E
 */

namespace KcoValidation\Plugin\Tests\E2E;

use KcoValidation\Plugin\Claims\ClaimStore;
use KcoValidation\Plugin\Tests\Shop;

class ClaimsE2eTest extends E2eTestCase {

	/** Parallel callbacks. */
	const N = 20;

	/** Units in stock. */
	const K = 5;

	/** Rounds, each on fresh claims. */
	const ROUNDS = 3;

	/**
	 * A callback request as klarna_post() sends it (with the session's token), for Http::parallel().
	 *
	 * @return array{0: string, 1: string, 2: string, 3: array<string, string>}
	 */
	private static function callback_request( string $json, string $session ): array {
		$query = http_build_query(
			self::with_token(
				array(
					'kco-action'      => 'validation',
					'kco_wc_order_id' => json_decode( $json, true )['order_id'],
					'kco_session_id'  => $session,
				)
			)
		);
		return array( 'POST', self::shop_url( self::PATH ) . '?' . $query, $json, array( 'Content-Type' => 'application/json' ) );
	}

	/** Units claimed, by Klarna order id. */
	private static function claims(): array {
		global $wpdb;
		return array_map( 'intval', array_column( $wpdb->get_results( 'SELECT klarna_order_id, SUM( quantity ) AS q FROM ' . ( new ClaimStore() )->table() . ' GROUP BY klarna_order_id', ARRAY_A ), 'q', 'klarna_order_id' ) );
	}

	public function test_n_parallel_callbacks_for_k_units_approve_exactly_k(): void {
		global $wpdb;
		$mug      = Shop::product( array( 'sku' => 'MUG', 'name' => 'Last mugs', 'manage_stock' => true, 'stock' => self::K ) );
		$requests = array();
		$ids      = array();
		for ( $i = 0; $i < self::N; $i++ ) {
			$order             = json_decode( self::klarna_order( array( array( 'MUG', 1, 10000 ) ) ), true );
			$order['order_id'] = sprintf( '00000000-0000-4000-8000-%012d', $i );
			$json              = (string) json_encode( $order );
			$session           = 't_' . sprintf( '%030x', $i + 1 );
			Shop::session( $session, self::cart_for( $json, array( 'MUG' => $mug ) ) );
			$requests[] = self::callback_request( $json, $session );
			$ids[]      = $order['order_id'];
		}
		self::sync_options();
		for ( $round = 1; $round <= self::ROUNDS; $round++ ) {
			$wpdb->query( 'DELETE FROM ' . ( new ClaimStore() )->table() );
			$approved = array();
			foreach ( Http::parallel( $requests ) as $i => $r ) {
				$this->assert_clean_headers( $r );
				if ( 200 === $r->status ) {
					$approved[] = $ids[ $i ];
					continue;
				}
				$this->assertSame( 303, $r->status, "round {$round}: " . $r->describe() );
				$args = self::location_query( $r->header( 'Location' ) );
				$this->assertArrayHasKey( 'stock_validate_failed', $args, (string) $r->header( 'Location' ) );
				$this->assertContains( $args['kco_validation'], array( 'out_of_stock', 'insufficient_stock' ) );
			}
			$this->assertCount( self::K, $approved, "round {$round}: exactly K approved" );
			sort( $approved );
			$claims = self::claims();
			ksort( $claims );
			$this->assertSame( array_fill_keys( $approved, 1 ), $claims, "round {$round}: a unit claimed for each approved order, none for the others" );
			$lines = $this->new_log_lines();
			$this->assertCount( self::N, $lines, 'one log line per callback' );
			$this->assertSame( self::K, count( preg_grep( '/ outcome=approved /', $lines ) ) );
			$this->assertSame( self::N - self::K, count( preg_grep( '/ outcome=denied codes=(out_of_stock|insufficient_stock) /', $lines ) ) );
		}
	}

	public function test_the_same_klarna_order_sent_twice_at_once_is_approved_twice_and_claims_once(): void {
		$mug  = Shop::product( array( 'sku' => 'MUG', 'manage_stock' => true, 'stock' => 3 ) );
		$json = self::klarna_order( array( array( 'MUG', 2, 10000 ) ) );
		Shop::session( self::GUEST, self::cart_for( $json, array( 'MUG' => $mug ) ) );
		self::sync_options();
		$answers = Http::parallel( array( self::callback_request( $json, self::GUEST ), self::callback_request( $json, self::GUEST ) ) );
		$this->assertSame( array( 200, 200 ), array_map( static fn ( HttpResponse $r ) => $r->status, $answers ) );
		$this->assertSame( array( json_decode( $json, true )['order_id'] => 2 ), self::claims() );
		$this->assertCount( 2, $this->new_log_lines() );
	}
}
