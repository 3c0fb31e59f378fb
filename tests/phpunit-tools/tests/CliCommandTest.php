<?php
/**
 * `wp kco-validation doctor|replay|log`, through the command class with a fake WP-CLI (WP-CLI is not packaged
 * for Debian), and its registration only under WP-CLI.
 *
 * @package KcoValidation\Plugin\Tests\Tools
 */

namespace KcoValidation\Plugin\Tests\Tools;

use KcoValidation\Plugin\Claims\ClaimStore;
use KcoValidation\Plugin\Tests\Shop;
use KcoValidation\Plugin\Tools\CliCommand;
use KcoValidation\Plugin\Tools\Doctor;
use KcoValidation\Plugin\Tools\ToolsBootstrap;

class CliCommandTest extends ToolsTestCase {

	/** A doctor whose transport answers with a fixture. */
	private static function doctor( string $fixture ): CliCommand {
		$case = json_decode( self::tools_fixture( 'responses/' . $fixture . '.json' ), true );
		return new CliCommand(
			array(
				'doctor' => static fn () => new Doctor(
					static fn () => array(
						'headers'  => $case['observed']['headers'],
						'body'     => $case['observed']['body'],
						'response' => array( 'code' => $case['observed']['status'] ),
					)
				),
			)
		);
	}

	public function test_not_registered_without_wp_cli(): void {
		$this->assertFalse( defined( 'WP_CLI' ) );
		ToolsBootstrap::register();
		$this->assertSame( array(), \WP_CLI::$commands );
	}

	public function test_registered_under_wp_cli(): void {
		$cmd = array( PHP_BINARY, '-d', 'extension=' . getenv( 'KCO_EXT' ), '-d', 'error_reporting=-1', '-d', 'display_errors=stderr', dirname( __DIR__ ) . '/support/cli-registration.php' );
		$p   = proc_open( $cmd, array( 1 => array( 'pipe', 'w' ), 2 => array( 'pipe', 'w' ) ), $pipes );
		$out = stream_get_contents( $pipes[1] );
		$err = stream_get_contents( $pipes[2] );
		fclose( $pipes[1] );
		fclose( $pipes[2] );
		$this->assertSame( 0, proc_close( $p ), $err );
		$this->assertSame( '', $err );
		$this->assertSame( array( 'kco-validation' => CliCommand::class ), json_decode( $out, true ) );
	}

	public function test_doctor_exit_codes_and_output(): void {
		[ $code, $out ] = self::cli( fn () => self::doctor( 'healthy-200' )->doctor( array(), array() ) );
		$this->assertSame( 0, $code );
		$this->assertSame( 'state:    reachable', $out[0] );

		[ $code, $out ] = self::cli( fn () => self::doctor( 'sucuri-403' )->doctor( array(), array() ) );
		$this->assertSame( 1, $code );
		$this->assertSame( 'state:    blocked', $out[0] );
		$this->assertContains( 'blocker:  sucuri', $out );
		$this->assertContains( 'evidence: header x-sucuri-block: BLK01', $out );
		$this->assertStringStartsWith( 'Fix: ', end( $out ) );

		[ $code, $out ] = self::cli( fn () => self::doctor( 'redirect-trailing-slash' )->doctor( array(), array( 'format' => 'json' ) ) );
		$this->assertSame( 1, $code );
		$json = json_decode( implode( "\n", $out ), true );
		$this->assertSame( 'redirected', $json['state'] );
		$this->assertSame( 'trailing_slash', $json['redirect_kind'] );
	}

	public function test_replay_prints_reasons_with_exit_codes(): void {
		$id   = Shop::product( array( 'sku' => 'MUG', 'name' => 'Blue mug', 'manage_stock' => true, 'stock' => 1 ) );
		$json = self::klarna_order( array( array( 'MUG', 2, 10000 ) ) );
		Shop::session( self::GUEST, self::cart_for( $json, array( 'MUG' => $id ) ) );
		$file = tempnam( sys_get_temp_dir(), 'kco-replay' );
		file_put_contents( $file, $json );
		try {
			[ $code, $out ] = self::cli( fn () => ( new CliCommand() )->replay( array( $file ), array( 'session' => self::GUEST ) ) );
			$this->assertSame( 1, $code, implode( "\n", $out ) );
			$this->assertContains( 'decision: denied', $out );
			$this->assertMatchesRegularExpression( '/^reason 1: \[insufficient_stock\] MUG: /', implode( "\n", preg_grep( '/^reason/', $out ) ) );

			global $wpdb;
			$wpdb->query( $wpdb->prepare( "UPDATE {$wpdb->prefix}wc_product_meta_lookup SET stock_quantity = 5 WHERE product_id = %d", $id ) );
			$wpdb->query( $wpdb->prepare( "UPDATE {$wpdb->postmeta} SET meta_value = '5' WHERE post_id = %d AND meta_key = '_stock'", $id ) );
			[ $code, $out ] = self::cli( fn () => ( new CliCommand() )->replay( array( $file ), array( 'session' => self::GUEST, 'format' => 'json' ) ) );
			$this->assertSame( 0, $code, implode( "\n", $out ) );
			$this->assertTrue( json_decode( implode( "\n", $out ), true )['approved'] );

			file_put_contents( $file, 'not json' );
			[ $code ] = self::cli( fn () => ( new CliCommand() )->replay( array( $file ), array() ) );
			$this->assertSame( 2, $code );
		} finally {
			unlink( $file );
		}
		[ $code, , $err ] = self::cli( fn () => ( new CliCommand() )->replay( array( '/nonexistent/body.json' ), array() ) );
		$this->assertSame( 1, $code );
		$this->assertSame( array( 'Error: Cannot read /nonexistent/body.json.' ), $err );
	}

	public function test_log_formats_and_filters(): void {
		$log = self::install_log();
		$log->record( 'k-1', 'approved', array(), 12.345, 200, strtotime( '2026-11-20 10:00:00 UTC' ) );
		$log->record( 'k-2', 'denied', array( 'out_of_stock', 'coupon_expired' ), 40.5, 303, strtotime( '2026-11-22 10:00:00 UTC' ) );
		$log->record( 'k-3', 'denied', array( 'totals_mismatch' ), 7, 303, strtotime( '2026-11-23 10:00:00 UTC' ) );

		[ $code, $out ] = self::cli( fn () => ( new CliCommand() )->log( array(), array( 'format' => 'json', 'outcome' => 'denied' ) ) );
		$this->assertSame( 0, $code );
		$rows = json_decode( $out[0], true );
		$this->assertSame( array( 'k-3', 'k-2' ), array_column( $rows, 'klarna_order_id' ) );
		$this->assertSame( 'out_of_stock coupon_expired', $rows[1]['codes'] );
		$this->assertSame( 303, $rows[1]['status_sent'] );

		[ , $out ] = self::cli( fn () => ( new CliCommand() )->log( array(), array( 'format' => 'csv', 'since' => '2026-11-21' ) ) );
		$this->assertSame(
			"created_at,klarna_order_id,outcome,codes,wait_ms,duration_ms,status_sent,claimed\n" .
			"\"2026-11-23 10:00:00\",k-3,denied,totals_mismatch,,7,303,0\n" .
			"\"2026-11-22 10:00:00\",k-2,denied,\"out_of_stock coupon_expired\",,40.5,303,0",
			$out[0]
		);

		[ , $out ] = self::cli( fn () => ( new CliCommand() )->log( array(), array( 'code' => 'coupon_expired' ) ) );
		$this->assertSame( array( implode( "\t", CliCommand::LOG_FIELDS ), "2026-11-22 10:00:00\tk-2\tdenied\tout_of_stock coupon_expired\t\t40.5\t303\t0" ), $out );

		[ $code, , $err ] = self::cli( fn () => ( new CliCommand() )->log( array(), array( 'format' => 'yaml' ) ) );
		$this->assertSame( 1, $code );
		$this->assertStringContainsString( 'table, json or csv', $err[0] );
		[ $code ] = self::cli( fn () => ( new CliCommand() )->log( array(), array( 'outcome' => 'maybe' ) ) );
		$this->assertSame( 1, $code );
		[ $code ] = self::cli( fn () => ( new CliCommand() )->log( array(), array( 'since' => 'not a date at all' ) ) );
		$this->assertSame( 1, $code );
	}

	public function test_claims_are_listed_and_cleared(): void {
		global $wpdb;
		$store = new ClaimStore();
		$table = $store->table();
		$wpdb->query( "INSERT INTO {$table} ( klarna_order_id, product_id, quantity, wc_order_id, created_at, expires ) VALUES ( 'k-1', 11, 2, 0, NOW() - INTERVAL 1 MINUTE, NOW() + INTERVAL 9 MINUTE ), ( 'k-1', 12, 1, 0, NOW() - INTERVAL 1 MINUTE, NOW() + INTERVAL 9 MINUTE ), ( 'k-2', 11, 3, 77, NOW() - INTERVAL 20 MINUTE, NOW() - INTERVAL 10 MINUTE )" );

		[ $code, $out ] = self::cli( fn () => ( new CliCommand() )->claims( array(), array( 'format' => 'json' ) ) );
		$this->assertSame( 0, $code );
		$rows = json_decode( $out[0], true );
		$this->assertSame( array( 'k-1', 'k-1' ), array_column( $rows, 'klarna_order_id' ), 'unexpired only by default' );
		$this->assertSame( array( 11, 12 ), array_column( $rows, 'product_id' ) );
		$this->assertSame( array( 2, 1 ), array_column( $rows, 'quantity' ) );

		[ , $out ] = self::cli( fn () => ( new CliCommand() )->claims( array( 'list' ), array( 'expired' => true ) ) );
		$this->assertSame( implode( "\t", CliCommand::CLAIM_FIELDS ), $out[0] );
		$this->assertCount( 4, $out );
		$this->assertStringStartsWith( "k-2\t11\t3\t77\t", $out[3] );
		$this->assertStringEndsWith( "\tyes", $out[3] );

		[ $code, , $err ] = self::cli( fn () => ( new CliCommand() )->claims( array( 'clear' ), array() ) );
		$this->assertSame( 1, $code, 'clear says which' );
		$this->assertStringContainsString( '--order', $err[0] );

		[ , $out ] = self::cli( fn () => ( new CliCommand() )->claims( array( 'clear' ), array( 'expired' => true ) ) );
		$this->assertSame( array( 'Success: Cleared 1 claim(s).' ), $out );
		[ , $out ] = self::cli( fn () => ( new CliCommand() )->claims( array( 'clear' ), array( 'order' => 'k-1' ) ) );
		$this->assertSame( array( 'Success: Cleared 2 claim(s).' ), $out );
		$this->assertSame( '0', $wpdb->get_var( "SELECT COUNT(*) FROM {$table}" ) );

		update_option( ClaimStore::SCHEMA_OPTION, '0' );
		[ $code, , $err ] = self::cli( fn () => ( new CliCommand() )->claims( array(), array() ) );
		$this->assertSame( 1, $code );
		$this->assertStringContainsString( 'not installed', $err[0] );
	}
}
