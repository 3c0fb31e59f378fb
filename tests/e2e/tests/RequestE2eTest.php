<?php
/**
 * Requests that are not a Klarna order, over HTTP: GET, oversized, garbage, empty, and WooCommerce's own answer for
 * an API name nobody handles. Never a 500, never a PHP warning (checked after every test), one log line each.
 *
 * @package KcoValidation\Plugin\Tests\E2E
 */

namespace KcoValidation\Plugin\Tests\E2E;

use KcoValidation\Plugin\Tests\Shop;

class RequestE2eTest extends E2eTestCase {

	private function fixture_01_shop(): string {
		$json = self::fixture( '01-se-sek-basic.json' );
		Shop::session( self::GUEST, self::cart_for( $json, self::products_for( $json ) ) );
		return $json;
	}

	public function test_get_is_refused_with_400_json(): void {
		$json = $this->fixture_01_shop();
		$r    = $this->klarna_post( $json, self::GUEST, array(), self::PATH, 'GET' );
		$this->assert_invalid_request( $r, 'only POST is accepted' );
		$this->assertSame( '0', $r->header( 'X-KCO-Queries' ), 'a refused request reads nothing' );
		$line = $this->assert_one_decision_line( 'warning', 'rejected', 400, null, array( 'invalid_request' ) );
		$this->assertStringContainsString( 'detail="method"', $line );
	}

	public function test_put_and_head_are_refused(): void {
		$json = $this->fixture_01_shop();
		$this->assert_invalid_request( $this->klarna_post( $json, self::GUEST, array(), self::PATH, 'PUT' ), 'only POST is accepted' );
		$this->assert_one_decision_line( 'warning', 'rejected', 400 );
		$head = $this->http( 'HEAD', self::shop_url( self::PATH . '?kco_session_id=' . self::GUEST ) );
		$this->assertSame( 400, $head->status );
		$this->assertSame( '', $head->body );
		$this->assert_one_decision_line( 'warning', 'rejected', 400 );
	}

	public function test_body_over_the_one_mebibyte_cap_is_refused(): void {
		$this->fixture_01_shop();
		$order                  = json_decode( self::fixture( '01-se-sek-basic.json' ), true );
		$order['merchant_data'] = str_repeat( 'x', 1048576 );
		$body                   = json_encode( $order );
		$this->assertGreaterThan( 1048576, strlen( $body ) );
		$r = $this->klarna_post( $body );
		$this->assert_invalid_request( $r, 'body too large' );
		$this->assertSame( '0', $r->header( 'X-KCO-Queries' ) );
		$line = $this->assert_one_decision_line( 'warning', 'rejected', 400, null, array( 'invalid_request' ) );
		$this->assertStringContainsString( 'detail="size"', $line );
	}

	public function test_body_of_exactly_the_cap_is_read(): void {
		$json  = $this->fixture_01_shop();
		$body  = $json . str_repeat( ' ', 1048576 - strlen( $json ) );
		$this->assertSame( 1048576, strlen( $body ) );
		$this->assert_approved( $this->klarna_post( $body ) );
		$this->assert_one_decision_line( 'info', 'approved', 200, json_decode( $json, true )['order_id'] );
	}

	public function test_ten_megabyte_body_is_refused_by_the_plugin_not_the_server(): void {
		$r = $this->klarna_post( '{"order_id":"x","pad":"' . str_repeat( 'A', 10 * 1024 * 1024 ) . '"}' );
		$this->assert_invalid_request( $r, 'body too large' );
		$this->assert_one_decision_line( 'warning', 'rejected', 400 );
	}

	public function test_garbage_is_refused_with_400_json_and_the_body_is_not_logged(): void {
		$r = $this->klarna_post( '{"order_id": [1,2,3], "secret":"sofia@example.se"}' );
		$this->assert_invalid_request( $r, 'not a Klarna order' );
		$this->assertSame( '0', $r->header( 'X-KCO-Queries' ) );
		$line = $this->assert_one_decision_line( 'warning', 'rejected', 400, null, array( 'invalid_request' ) );
		$this->assertStringContainsString( 'detail="payload: ', $line );
		$this->assertStringNotContainsString( 'sofia@example.se', $line );
	}

	/**
	 * @dataProvider bad_bodies
	 */
	public function test_bodies_that_are_not_a_klarna_order_are_refused( string $body ): void {
		$this->assert_invalid_request( $this->klarna_post( $body ), 'not a Klarna order' );
		$this->assert_one_decision_line( 'warning', 'rejected', 400, null, array( 'invalid_request' ) );
	}

	public function bad_bodies(): array {
		$truncated = substr( (string) file_get_contents( KCO_TEST_FIXTURES . '01-se-sek-basic.json' ), 0, 300 );
		return array(
			'empty'         => array( '' ),
			'html'          => array( "\x00\xff<html>" ),
			'truncated'     => array( $truncated ),
			'array'         => array( '[1,2,3]' ),
			'string'        => array( '"order"' ),
			'wrong types'   => array( '{"order_id":42,"purchase_currency":7,"order_amount":"lots","order_lines":{}}' ),
			'form encoded'  => array( 'order_id=1&order_amount=100' ),
		);
	}

	public function test_the_php_error_log_check_is_live(): void {
		$r = $this->http( 'GET', '/e2e-canary/' );
		$this->assertSame( 200, $r->status );
		$file = (string) getenv( 'E2E_PHP_ERROR_LOG' );
		clearstatcache();
		$log = (string) file_get_contents( $file );
		$this->assertStringContainsString( 'PHP Warning:  Undefined variable $kco_e2e_undefined_on_purpose', $log );
		$this->assertStringContainsString( 'PHP Deprecated:  kco-e2e canary deprecation', $log );
		$this->assertStringNotContainsString( 'Undefined variable', $r->body, 'display_errors is off' );
		file_put_contents( $file, '' );
	}

	public function test_an_api_name_nobody_handles_gets_woocommerces_400_and_minus_one(): void {
		$r = $this->http( 'POST', self::shop_url( '/wc-api/Nobody_Home/' ), '{}', array( 'Content-Type' => 'application/json' ) );
		$this->assertSame( 400, $r->status, $r->describe() );
		$this->assertSame( '-1', $r->body );
		$this->assertSame( array(), $this->new_log_lines(), 'our handler did not run' );
	}

	public function test_output_of_other_code_is_discarded_and_kco_1x_handler_never_runs(): void {
		$json = $this->fixture_01_shop();
		// The front controller adds code that prints before our handler and a KCO 1.x stand-in after it.
		self::sync_options();
		$r = $this->http(
			'POST',
			self::shop_url( self::PATH . '?kco-action=validation&kco_session_id=' . self::GUEST . '&' . \KcoValidation\Plugin\Integration\UrlToken::QUERY_ARG . '=' . \KcoValidation\Plugin\Integration\UrlToken::create( self::GUEST ) ),
			$json,
			array( 'Content-Type' => 'application/json', 'X-KCO-E2E-Noise' => '1' )
		);
		$this->assert_approved( $r );
		$this->assertNull( $r->header( 'X-KCO-Legacy-Handler' ), 'KCO 1.x handler never ran' );
		$this->assert_one_decision_line( 'info', 'approved', 200, json_decode( $json, true )['order_id'] );
	}
}
