<?php
/**
 * Replay: a saved Klarna body through the endpoint's snapshot builder and the extension, without answering Klarna
 * and without writing anything.
 *
 * @package KcoValidation\Plugin\Tests\Tools
 */

namespace KcoValidation\Plugin\Tests\Tools;

use KcoValidation\Plugin\Plugin;
use KcoValidation\Plugin\Tests\Shop;
use KcoValidation\Plugin\Tools\DecisionLog;
use KcoValidation\Plugin\Tools\Replay;
use KcoValidation\Plugin\Tools\ToolsBootstrap;

class ReplayTest extends ToolsTestCase {

	/** A shop with too little stock for the order, and the shopper's session. */
	private function short_of_stock(): string {
		$id   = Shop::product( array( 'sku' => 'MUG', 'name' => 'Blue mug', 'manage_stock' => true, 'stock' => 1 ) );
		$json = self::klarna_order( array( array( 'MUG', 2, 10000 ) ) );
		Shop::session( self::GUEST, self::cart_for( $json, array( 'MUG' => $id ) ) );
		return $json;
	}

	public function test_denied_body_prints_every_reason_and_writes_nothing(): void {
		ToolsBootstrap::register();
		( new Plugin() )->boot();
		$log  = self::install_log();
		$json = $this->short_of_stock();
		add_filter(
			'kco_validation_verdict',
			static function ( $verdict ) {
				$verdict['approved']   = false;
				$verdict['failures'][] = array( 'code' => 'shop_rule', 'message' => 'The shop added this reason.' );
				$verdict['codes'][]    = 'shop_rule';
				return $verdict;
			}
		);
		$decided = did_action( 'kco_validation_decided' );
		self::reset_queries();

		$result = Replay::create()->run( $json, self::GUEST );

		$this->assertTrue( $result['ok'] );
		$this->assertFalse( $result['approved'] );
		$this->assertSame( array( 'insufficient_stock', 'shop_rule' ), $result['codes'] );
		$this->assertTrue( $result['session']['found'] );
		$lines = Replay::lines( $result );
		$this->assertContains( 'decision: denied', $lines );
		$this->assertContains( 'status:   303', $lines );
		$this->assertMatchesRegularExpression( '/^reason 1: \[insufficient_stock\] MUG: .*Blue mug/', $lines[6] );
		$this->assertSame( 'reason 2: [shop_rule] The shop added this reason.', $lines[7] );

		$this->assertSame( $decided, did_action( 'kco_validation_decided' ), 'the decision is not announced' );
		$this->assertSame( 0, $log->query()['total'], 'nothing logged' );
		$this->assertSame( array(), self::decision_lines(), 'nothing in the WooCommerce log' );
		foreach ( self::queries() as $sql ) {
			$this->assertDoesNotMatchRegularExpression( '/^\s*(INSERT|UPDATE|DELETE|REPLACE)/i', $sql );
		}
	}

	public function test_approved_body(): void {
		$id   = Shop::product( array( 'sku' => 'MUG', 'manage_stock' => true, 'stock' => 10 ) );
		$json = self::klarna_order( array( array( 'MUG', 2, 10000 ) ) );
		Shop::session( self::GUEST, self::cart_for( $json, array( 'MUG' => $id ) ) );
		$result = Replay::create()->run( $json, self::GUEST );
		$this->assertTrue( $result['approved'], json_encode( $result ) );
		$this->assertSame( 200, $result['response']['status'] );
		$this->assertContains( 'codes:    -', Replay::lines( $result ) );
	}

	public function test_without_a_session_the_missing_cart_is_the_reason(): void {
		$json   = $this->short_of_stock();
		$result = Replay::create()->run( $json, null );
		$this->assertTrue( $result['ok'] );
		$this->assertFalse( $result['session']['found'] );
		$this->assertFalse( $result['approved'] );
		$this->assertSame( 'abc123', $result['session']['key'], 'the key Klarna was given, from the body\'s validation URL' );
		$this->assertSame( 'body', $result['session']['from'] );
		$this->assertStringContainsString( 'abc123 (kco_session_id of the body\'s merchant_urls.validation) (not found)', Replay::lines( $result )[1] );
	}

	public function test_a_body_that_is_not_a_klarna_order(): void {
		$result = Replay::create()->run( '{"hello":1}' );
		$this->assertFalse( $result['ok'] );
		$this->assertStringStartsWith( 'not a Klarna order: ', (string) $result['error'] );
		$this->assertSame( array( 'error: ' . $result['error'] ), Replay::lines( $result ) );
	}
}
