<?php
/**
 * Deadline, not queue time (issue 13, point 2), over HTTP: a callback held back before WordPress starts (a server
 * under load: waiting for a php-fpm worker, a slow start; the test's front controller holds it on the request header
 * X-KCO-E2E-Delay-Ms) is decided as long as Klarna still waits for it (10 s with
 * require_validate_callback_success, which the integration sets); an order Klarna waits only 3 s for is answered by
 * the fault policy once its deadline (3 s less the margin) has passed.
 *
 * @package KcoValidation\Plugin\Tests\E2E
 */

namespace KcoValidation\Plugin\Tests\E2E;

use KcoValidation\Plugin\Tests\Shop;

class DeadlineE2eTest extends E2eTestCase {

	/** Fixture 01 with its shop; `require_validate_callback_success` as given. */
	private function shop( bool $requires_success ): string {
		$order = json_decode( self::fixture( '01-se-sek-basic.json' ), true );
		$order['options']['require_validate_callback_success'] = $requires_success;
		$json = (string) json_encode( $order );
		Shop::session( self::GUEST, self::cart_for( $json, self::products_for( $json ) ) );
		return $json;
	}

	/** Posts a callback held back $ms before WordPress starts; returns it and the milliseconds it took. */
	private function post_held( string $json, int $ms ): array {
		self::sync_options();
		$query = http_build_query(
			self::with_token(
				array(
					'kco-action'      => 'validation',
					'kco_wc_order_id' => json_decode( $json, true )['order_id'],
					'kco_session_id'  => self::GUEST,
				)
			)
		);
		$t0 = microtime( true );
		$r  = Http::request( 'POST', self::shop_url( self::PATH ) . '?' . $query, $json, array( 'Content-Type' => 'application/json', 'X-KCO-E2E-Delay-Ms' => (string) $ms ) );
		return array( $r, ( microtime( true ) - $t0 ) * 1000 );
	}

	public function test_a_callback_that_waited_longer_than_the_old_2_second_budget_is_still_decided(): void {
		list( $r, $ms ) = $this->post_held( $this->shop( true ), 2500 );
		$this->assertGreaterThan( 2500, $ms, 'it was held back' );
		$this->assert_approved( $r );
		$this->assert_one_decision_line( 'info', 'approved', 200, '107afe44-4e7a-566e-96f9-96f73a1ebfc3', array() );
	}

	public function test_an_order_klarna_waits_3_seconds_for_is_answered_by_policy_once_its_deadline_passed(): void {
		list( $r ) = $this->post_held( $this->shop( false ), 2500 );
		$this->assertSame( 303, $r->status, $r->describe() );
		$this->assertSame( self::shop_url( '/checkout/?unable_to_process&kco_validation=internal_error' ), $r->header( 'Location' ) );
		$line = $this->assert_one_decision_line( 'critical', 'fault-denied', 303, '107afe44-4e7a-566e-96f9-96f73a1ebfc3', array( 'internal_error' ) );
		$this->assertStringContainsString( "TimeBudgetExceeded: deadline of 2000 ms after the request's arrival passed before a query could run", $line );
	}
}
