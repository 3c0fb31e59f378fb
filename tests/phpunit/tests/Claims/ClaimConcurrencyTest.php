<?php
/**
 * Sell the last units once (issue 13): N callbacks of different shoppers for a product with K units left, each in a
 * PHP process of its own with its own database connection (tests/phpunit/support/claim-worker.php), released at the
 * same moment: exactly K are approved and claim a unit each, the other N − K are denied out_of_stock or
 * insufficient_stock; the same Klarna order validated twice at once is approved twice and claims once. The same
 * over HTTP (nginx + php-fpm): tests/e2e/tests/ClaimsE2eTest.php.
 *
 * @package KcoValidation\Plugin\Tests
 */

namespace KcoValidation\Plugin\Tests;

use KcoValidation\Plugin\Claims\ClaimStore;

class ClaimConcurrencyTest extends TestCase {

	/** Parallel callbacks. */
	const N = 20;

	/** Units in stock. */
	const K = 5;

	/** Rounds, each on fresh claims. */
	const ROUNDS = 3;

	/**
	 * Starts one worker per request, waits until every one is ready, releases them at once, and returns their
	 * answers in request order.
	 *
	 * @param list<array{0: string, 1: string}> $requests [body file, session key].
	 * @return list<array{status: int, location: ?string, codes: ?list<string>}>
	 */
	private function race( array $requests ): array {
		$workers = array();
		foreach ( $requests as list( $file, $session ) ) {
			$cmd   = array( PHP_BINARY, '-d', 'extension=' . getenv( 'KCO_EXT' ), '-d', 'error_reporting=-1', '-d', 'display_errors=stderr', KCO_TEST_ROOT . '/tests/phpunit/support/claim-worker.php', $file, $session );
			$proc  = proc_open( $cmd, array( 0 => array( 'pipe', 'r' ), 1 => array( 'pipe', 'w' ), 2 => array( 'pipe', 'w' ) ), $pipes );
			$this->assertIsResource( $proc );
			$workers[] = array( $proc, $pipes );
		}
		foreach ( $workers as list( $proc, $pipes ) ) {
			$ready = fgets( $pipes[1] );
			if ( "ready\n" !== $ready ) {
				// It died booting: its stderr says why (read only now: a live worker's stderr never ends).
				fclose( $pipes[0] );
				$this->fail( 'worker did not boot: ' . stream_get_contents( $pipes[2] ) );
			}
		}
		// The start signal, to every worker in turn as fast as PHP writes: they all query at once.
		foreach ( $workers as list( , $pipes ) ) {
			fwrite( $pipes[0], "go\n" );
			fflush( $pipes[0] );
		}
		$answers = array();
		foreach ( $workers as list( $proc, $pipes ) ) {
			$out = (string) stream_get_contents( $pipes[1] );
			$err = (string) stream_get_contents( $pipes[2] );
			foreach ( $pipes as $pipe ) {
				fclose( $pipe );
			}
			$this->assertSame( 0, proc_close( $proc ), $err );
			$this->assertSame( '', $err, 'no PHP error or warning in a worker' );
			$answers[] = json_decode( trim( $out ), true );
		}
		return $answers;
	}

	/** The claims, by Klarna order id. */
	private static function claims(): array {
		global $wpdb;
		return array_map( 'intval', array_column( $wpdb->get_results( 'SELECT klarna_order_id, SUM( quantity ) AS q FROM ' . ( new ClaimStore() )->table() . ' GROUP BY klarna_order_id', ARRAY_A ), 'q', 'klarna_order_id' ) );
	}

	/** Writes a body to a temp file (removed after the test). */
	private function body_file( string $json ): string {
		$file = tempnam( sys_get_temp_dir(), 'kco-race' );
		file_put_contents( $file, $json );
		$this->files[] = $file;
		return $file;
	}

	/** @var list<string> */
	private $files = array();

	protected function tearDown(): void {
		foreach ( $this->files as $file ) {
			@unlink( $file );
		}
		parent::tearDown();
	}

	public function test_n_parallel_callbacks_for_k_units_approve_exactly_k(): void {
		global $wpdb;
		$mug      = Shop::product( array( 'sku' => 'MUG', 'name' => 'Last mugs', 'manage_stock' => true, 'stock' => self::K ) );
		$requests = array();
		for ( $i = 0; $i < self::N; $i++ ) {
			$order             = json_decode( self::klarna_order( array( array( 'MUG', 1, 10000 ) ) ), true );
			$order['order_id'] = sprintf( '00000000-0000-4000-8000-%012d', $i );
			$json              = (string) json_encode( $order );
			$session           = 't_' . sprintf( '%030x', $i + 1 );
			Shop::session( $session, self::cart_for( $json, array( 'MUG' => $mug ) ) );
			$requests[] = array( $this->body_file( $json ), $session, $order['order_id'] );
		}
		for ( $round = 1; $round <= self::ROUNDS; $round++ ) {
			$wpdb->query( 'DELETE FROM ' . ( new ClaimStore() )->table() );
			$answers  = $this->race( $requests );
			$approved = array();
			$denied   = array();
			foreach ( $answers as $i => $answer ) {
				if ( 200 === $answer['status'] ) {
					$approved[] = $requests[ $i ][2];
				} else {
					$this->assertSame( 303, $answer['status'], "round {$round}: " . json_encode( $answer ) );
					$this->assertStringStartsWith( 'https://shop.example/cart/?stock_validate_failed&kco_validation=', (string) $answer['location'] );
					$this->assertContains( $answer['codes'], array( array( 'out_of_stock' ), array( 'insufficient_stock' ) ), json_encode( $answer ) );
					$denied[] = $requests[ $i ][2];
				}
			}
			$this->assertCount( self::K, $approved, "round {$round}: exactly K approved" );
			$this->assertCount( self::N - self::K, $denied, "round {$round}: N − K denied" );
			$claims = self::claims();
			ksort( $claims );
			sort( $approved );
			$this->assertSame( array_fill_keys( $approved, 1 ), $claims, "round {$round}: one unit claimed for each approved order, none for the others" );
		}
	}

	public function test_the_same_klarna_order_validated_twice_at_once_is_approved_twice_and_claims_once(): void {
		$mug  = Shop::product( array( 'sku' => 'MUG', 'manage_stock' => true, 'stock' => 3 ) );
		$json = self::klarna_order( array( array( 'MUG', 2, 10000 ) ) );
		Shop::session( self::GUEST, self::cart_for( $json, array( 'MUG' => $mug ) ) );
		$file    = $this->body_file( $json );
		$answers = $this->race( array( array( $file, self::GUEST ), array( $file, self::GUEST ) ) );
		$this->assertSame( array( 200, 200 ), array_column( $answers, 'status' ) );
		$this->assertSame( array( json_decode( $json, true )['order_id'] => 2 ), self::claims() );
	}
}
