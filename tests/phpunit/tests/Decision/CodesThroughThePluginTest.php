<?php
/**
 * Every failure code and sub-reason through the plugin (issue 12, point 7): the session's cart is WooCommerce's own
 * shape, and differs from Klarna's body the way it does in a real shop (another tab, a currency switcher, an
 * account created meanwhile), instead of being built from the body.
 *
 * @package KcoValidation\Plugin\Tests
 */

namespace KcoValidation\Plugin\Tests;

class CodesThroughThePluginTest extends TestCase {

	/** @var list<array<string, mixed>> Verdicts answered. */
	private array $verdicts = array();

	protected function setUp(): void {
		parent::setUp();
		$this->verdicts = array();
		add_action(
			'kco_validation_decided',
			function ( $verdict ) {
				$this->verdicts[] = $verdict;
			}
		);
	}

	/** The (code, reason) pairs of the last verdict. */
	private function pairs(): array {
		$verdict = end( $this->verdicts );
		$this->assertIsArray( $verdict, 'a decision was made' );
		return array_map( static fn ( array $f ): string => $f['code'] . ( null === $f['reason'] ? '' : '.' . $f['reason'] ), $verdict['failures'] );
	}

	private function decide( string $json, array $session, string $key = self::GUEST ): CapturingResponse {
		Shop::session( $key, $session );
		return $this->post_callback( $json, array( 'kco_session_id' => $key ) );
	}

	public function test_the_cart_changed_in_another_tab(): void {
		$mug  = Shop::product( array( 'sku' => 'MUG', 'name' => 'Blue mug' ) );
		$cup  = Shop::product( array( 'sku' => 'CUP', 'name' => 'Red cup' ) );
		$both = self::klarna_order( array( array( 'MUG', 2, 10000 ), array( 'CUP', 1, 5000 ) ) );

		// The cup was removed from the cart after Klarna's order was last updated.
		$cart = self::cart_for( self::klarna_order( array( array( 'MUG', 2, 10000 ) ) ), array( 'MUG' => $mug ) );
		$r    = $this->decide( $both, $cart );
		$this->assertSame( 303, $r->status );
		$this->assertContains( 'cart_mismatch.extra_item', $this->pairs() );

		// A cup was added to the cart; Klarna's order has only the mugs.
		$cart = self::cart_for( $both, array( 'MUG' => $mug, 'CUP' => $cup ) );
		$this->decide( self::klarna_order( array( array( 'MUG', 2, 10000 ) ) ), $cart, 't_' . str_repeat( 'b', 30 ) );
		$this->assertContains( 'cart_mismatch.missing_item', $this->pairs() );

		// One more mug in the cart.
		$cart = self::cart_for( self::klarna_order( array( array( 'MUG', 3, 10000 ), array( 'CUP', 1, 5000 ) ) ), array( 'MUG' => $mug, 'CUP' => $cup ) );
		$this->decide( $both, $cart, 't_' . str_repeat( 'c', 30 ) );
		$this->assertContains( 'cart_mismatch.quantity', $this->pairs() );
	}

	public function test_the_cart_is_in_another_currency(): void {
		$mug = Shop::product( array( 'sku' => 'MUG' ) );
		$json = self::klarna_order( array( array( 'MUG', 1, 10000 ) ) );
		update_option( 'woocommerce_currency', 'EUR' );
		$r = $this->decide( $json, self::cart_for( $json, array( 'MUG' => $mug ) ) );
		$this->assertSame( array( 'currency_mismatch' ), $this->pairs() );
		$this->assertArrayHasKey( 'unable_to_process', self::location_query( (string) $r->header_value( 'Location' ) ) );
	}

	public function test_amounts_that_differ(): void {
		$mug  = Shop::product( array( 'sku' => 'MUG' ) );
		$json = self::klarna_order( array( array( 'MUG', 2, 10000 ) ) );

		// WooCommerce's tax total differs (a tax rate changed).
		$cart                             = self::cart_for( $json, array( 'MUG' => $mug ) );
		$cart['cart_totals']['total_tax'] = 10.0;
		$this->decide( $json, $cart );
		$this->assertContains( 'tax_mismatch.tax_total', $this->pairs() );

		// The mug's line costs less in the cart than in Klarna's order, the totals agree.
		$cart                      = self::cart_for( $json, array( 'MUG' => $mug ) );
		$key                       = array_key_first( $cart['cart'] );
		$cart['cart'][ $key ]['line_total'] -= 10;
		$cart['cart'][ $key ]['line_subtotal'] -= 10;
		$this->decide( $json, $cart, 't_' . str_repeat( 'b', 30 ) );
		$this->assertContains( 'totals_mismatch.line', $this->pairs() );

		// Klarna's own arithmetic: a line whose total is not quantity × unit price, and an order total that is not
		// the sum of its lines.
		$broken                                   = json_decode( $json, true );
		$broken['order_lines'][0]['total_amount'] = 15000;
		$broken['order_amount']                  -= 5000;
		$broken                                   = (string) json_encode( $broken );
		$this->decide( $broken, self::cart_for( $broken, array( 'MUG' => $mug ) ), 't_' . str_repeat( 'c', 30 ) );
		$this->assertContains( 'totals_mismatch.line_arithmetic', $this->pairs() );

		$json = self::klarna_order( array( array( 'MUG', 2, 10000 ) ), array( 'order_amount_delta' => 100 ) );
		$this->decide( $json, self::cart_for( $json, array( 'MUG' => $mug ) ), 't_' . str_repeat( 'd', 30 ) );
		$this->assertContains( 'totals_mismatch.order_sum', $this->pairs() );

		$broken                     = json_decode( $json, true );
		$broken['order_amount']    -= 100;
		$broken['order_tax_amount'] += 7;
		$broken                     = (string) json_encode( $broken );
		$cart                       = self::cart_for( $broken, array( 'MUG' => $mug ) );
		$this->decide( $broken, $cart, 't_' . str_repeat( 'e', 30 ) );
		$this->assertContains( 'tax_mismatch.order_sum', $this->pairs() );
	}

	public function test_subscriptions_need_an_account(): void {
		add_filter( 'kco_validation_subscriptions_active', static fn () => true );
		Shop::user( 'sofia.lindqvist@example.se' );
		$box  = Shop::product( array( 'sku' => 'BOX', 'meta' => array( '_subscription_period' => 'month' ) ) );
		$json = self::klarna_order( array( array( 'BOX', 1, 10000 ) ) );

		// Signup at checkout allowed, but the email already has an account.
		update_option( 'woocommerce_enable_signup_and_login_from_checkout', 'yes' );
		$this->decide( $json, self::cart_for( $json, array( 'BOX' => $box ) ) );
		$this->assertSame( array( 'email_exists' ), $this->pairs() );

		// Signup at checkout off: a guest cannot buy a subscription.
		update_option( 'woocommerce_enable_signup_and_login_from_checkout', 'no' );
		$this->decide( $json, self::cart_for( $json, array( 'BOX' => $box ) ), 't_' . str_repeat( 'b', 30 ) );
		$this->assertSame( array( 'login_required.subscription', 'email_exists' ), $this->pairs() );
	}
}
