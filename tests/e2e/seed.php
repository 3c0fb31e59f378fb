<?php
/**
 * Seeds the shop for scripts/bench-http.sh and scripts/load-test.sh (the stack must be up: tests/e2e/stack.sh) and
 * writes the requests to send into a directory, with a spec file the wrk Lua script reads:
 *   kind <TAB> method <TAB> path?query <TAB> expected status <TAB> body file ('-': no body)
 *
 * Usage: php -d extension=… tests/e2e/seed.php OUT_DIR
 *
 * Written: approved.json (fixture 01, its shop and matching session), lines-{1,10,30,100}.json (generated orders of
 * N distinct stock-managed products, a valid coupon and a matching session each), denied.json (a product out of
 * stock), garbage / truncated / wrong-types bodies, four cases of tests/hostile when present (CR/LF and SQL in a
 * reference, overlong UTF-8, nesting 10 000 deep); spec-bench.tsv, spec-load.tsv, spec-lines-N.tsv, spec-good.tsv
 * (the approved body and the four lines-N bodies: every answer 200).
 *
 * @package KcoValidation\Plugin\Tests\E2E
 */

if ( 2 !== $argc ) {
	fwrite( STDERR, "usage: seed.php OUT_DIR\n" );
	exit( 2 );
}
require __DIR__ . '/bootstrap.php';

use KcoValidation\Plugin\Tests\Shop;

/** Reaches the suite's protected helpers (setUp, klarna_order, cart_for, fixture). */
final class Kco_E2E_Seeder extends \KcoValidation\Plugin\Tests\E2E\E2eTestCase {

	/** @var string */
	private $out;

	/** @var list<string> */
	private $spec = array();

	public function seed( string $out ): void {
		$this->out = rtrim( $out, '/' );
		$this->setUp();
		update_option( 'woocommerce_currency', 'SEK' );

		// Fixture 01 with its shop: the approved body of the benches.
		$json  = self::fixture( '01-se-sek-basic.json' );
		$key   = 't_' . str_repeat( 'a', 30 );
		Shop::session( $key, self::cart_for( $json, self::products_for( $json ) ) );
		$this->add( 'approved', 'POST', $key, $json, 200 );
		file_put_contents( "{$this->out}/spec-bench.tsv", $this->spec[0] . "\n" );

		// Generated orders of N lines, a valid coupon applied.
		Shop::coupon( 'bench10', array( 'usage_limit' => '1000000', 'usage_count' => '3', 'minimum_amount' => '1' ) );
		foreach ( array( 1, 10, 30, 100 ) as $n ) {
			$goods = array();
			$prods = array();
			for ( $i = 1; $i <= $n; $i++ ) {
				$sku           = sprintf( 'L%03d-%03d', $n, $i );
				$goods[]       = array( $sku, 1 + $i % 3, 1000 + 10 * $i );
				$prods[ $sku ] = Shop::product(
					array(
						'sku'          => $sku,
						'name'         => "Bench product {$sku}",
						'manage_stock' => true,
						'stock'        => 100000,
					)
				);
			}
			// An order of its own (Klarna order id), so each body claims for itself (issue 13).
			$order             = json_decode( self::klarna_order( $goods ), true );
			$order['order_id'] = sprintf( 'be0c0000-0000-4000-8000-%012d', $n );
			$order             = (string) json_encode( $order );
			$key               = sprintf( '%032x', 0xbe0c0000 + $n );
			Shop::session( $key, self::cart_for( $order, $prods, array( 'applied_coupons' => array( 'bench10' ) ) ) );
			$start = count( $this->spec );
			$this->add( "lines-{$n}", 'POST', $key, $order, 200 );
			file_put_contents( "{$this->out}/spec-lines-{$n}.tsv", $this->spec[ $start ] . "\n" );
		}
		// Good bodies only (every answer 200): the load test's LOAD_MIX=good.
		file_put_contents( "{$this->out}/spec-good.tsv", implode( "\n", array_slice( $this->spec, 0, 5 ) ) . "\n" );

		// The load mix.
		$sold = Shop::product( array( 'sku' => 'SOLD-OUT', 'name' => 'Sold out', 'stock_status' => 'outofstock' ) );
		$deny = self::klarna_order( array( array( 'SOLD-OUT', 1, 10000 ) ) );
		$key  = sprintf( '%032x', 0xde11ed );
		Shop::session( $key, self::cart_for( $deny, array( 'SOLD-OUT' => $sold ) ) );
		$load   = array( $this->spec[0] );
		$load[] = $this->add( 'denied', 'POST', $key, $deny, 303 );
		// One request per outcome (scripts/bench-http.sh: queries and time of each): approved, denied, and faulted
		// (the front controller's test-only kco_e2e_fault argument makes the snapshot filter throw; the internal-fault
		// policy denies with 303).
		file_put_contents( "{$this->out}/spec-outcome-approved.tsv", $this->spec[0] . "\n" );
		file_put_contents( "{$this->out}/spec-outcome-denied.tsv", end( $load ) . "\n" );
		$faulted = explode( "\t", $this->spec[0] );
		$faulted[0] = 'faulted';
		$faulted[2] .= '&kco_e2e_fault=1';
		$faulted[3] = '303';
		file_put_contents( "{$this->out}/spec-outcome-faulted.tsv", implode( "\t", $faulted ) . "\n" );
		$load[] = $this->add( 'garbage', 'POST', $key, "\x00\xff<html>garbage", 400 );
		$load[] = $this->add( 'truncated', 'POST', $key, substr( $json, 0, (int) ( strlen( $json ) / 2 ) ), 400 );
		$load[] = $this->add( 'wrong-types', 'POST', $key, '{"order_id":42,"purchase_currency":7,"order_amount":"lots","order_lines":{}}', 400 );
		$load[] = $this->add( 'get', 'GET', $key, null, 400 );

		// A few cases of the hostile corpus (tests/hostile, when present), against fixture 01's session (the corpus'
		// example order), with the status its manifest gives for HTTP.
		$hostile = KCO_TEST_ROOT . '/tests/hostile/manifest.json';
		if ( is_readable( $hostile ) ) {
			require_once KCO_TEST_ROOT . '/tests/hostile/generate.php';
			$wanted = array( 'crlf-reference', 'sql-reference', 'invalid-utf8-overlong', 'nesting-10000-body' );
			foreach ( (array) ( json_decode( (string) file_get_contents( $hostile ), true )['cases'] ?? array() ) as $case ) {
				if ( ! in_array( $case['name'] ?? '', $wanted, true ) || isset( $case['store'] ) || ! is_int( $case['http']['status'] ?? null ) ) {
					continue;
				}
				$body   = isset( $case['file'] ) ? (string) file_get_contents( KCO_TEST_ROOT . '/tests/hostile/' . $case['file'] ) : kco_hostile_generate( $case['generate'] );
				$load[] = $this->add( 'hostile-' . $case['name'], 'POST', 't_' . str_repeat( 'a', 30 ), $body, $case['http']['status'] );
			}
		}
		file_put_contents( "{$this->out}/spec-load.tsv", implode( "\n", $load ) . "\n" );

		self::sync_options();
	}

	/** Writes one request; returns its spec line. */
	private function add( string $kind, string $method, string $key, ?string $body, int $expected ): string {
		$order    = null === $body ? null : json_decode( $body, true );
		$order_id = is_array( $order ) && is_string( $order['order_id'] ?? null ) ? $order['order_id'] : 'x';
		// With the session's token, as the plugin's validation URLs carry it (required by default).
		$path     = self::PATH . '?' . http_build_query(
			self::with_token(
				array(
					'kco-action'      => 'validation',
					'kco_wc_order_id' => $order_id,
					'kco_session_id'  => $key,
				)
			)
		);
		$file = '-';
		if ( null !== $body ) {
			$file = "{$this->out}/{$kind}.json";
			file_put_contents( $file, $body );
		}
		$line         = implode( "\t", array( $kind, $method, $path, (string) $expected, $file ) );
		$this->spec[] = $line;
		return $line;
	}
}

$kco_e2e_out = $argv[1];
if ( ! is_dir( $kco_e2e_out ) && ! mkdir( $kco_e2e_out, 0755, true ) ) {
	fwrite( STDERR, "cannot create {$kco_e2e_out}\n" );
	exit( 2 );
}
( new Kco_E2E_Seeder( 'seed' ) )->seed( $kco_e2e_out );
fwrite( STDERR, "seeded; requests in {$kco_e2e_out}\n" );
