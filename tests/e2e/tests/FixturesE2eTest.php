<?php
/**
 * Every Klarna sample body POSTed over HTTP as Klarna sends it: approved for a shop whose cart matches it, and
 * denied with session_missing (every reason shown on the checkout page) without a session.
 *
 * @package KcoValidation\Plugin\Tests\E2E
 */

namespace KcoValidation\Plugin\Tests\E2E;

use KcoValidation\Plugin\Tests\Shop;

class FixturesE2eTest extends E2eTestCase {

	public function fixtures(): array {
		$cases = array();
		foreach ( glob( KCO_TEST_FIXTURES . '*.json' ) as $file ) {
			$cases[ basename( $file ) ] = array( basename( $file ) );
		}
		return $cases;
	}

	/**
	 * The shop of a fixture, as the PHPUnit suite's FixturesTest builds it: its products (stock 50), its coupons,
	 * its currency, and the guest session whose cart matches the body.
	 */
	private function shop_for( string $json ): void {
		$order    = json_decode( $json, true );
		$ids      = self::products_for( $json );
		$merchant = json_decode( $order['merchant_data'] ?? '', true );
		$coupons  = is_array( $merchant ) ? ( $merchant['coupons'] ?? array() ) : array();
		foreach ( $coupons as $code ) {
			Shop::coupon( $code );
		}
		update_option( 'woocommerce_currency', $order['purchase_currency'] );
		$extra = Shop::iframe_shipping( $order ) + array( 'applied_coupons' => $coupons );
		$session = self::cart_for( $json, $ids, $extra );
		if ( isset( $order['selected_shipping_option']['price'] ) && array_sum( array_column( $order['order_lines'], 'total_amount' ) ) === $order['order_amount'] ) {
			$session['cart_totals']['total']     = (string) ( ( $order['order_amount'] + $order['selected_shipping_option']['price'] ) / 100 );
			$session['cart_totals']['total_tax'] = ( $order['order_tax_amount'] + $order['selected_shipping_option']['tax_amount'] ) / 100;
		}
		Shop::session( self::GUEST, $session );
	}

	/**
	 * @dataProvider fixtures
	 */
	public function test_fixture_with_a_matching_shop_is_approved_over_http( string $name ): void {
		$json  = self::fixture( $name );
		$order = json_decode( $json, true );
		$this->shop_for( $json );

		$r = $this->klarna_post( $json );

		$this->assert_approved( $r );
		$this->assertStringContainsString( 'no-cache', (string) $r->header( 'Cache-Control' ) );
		$this->assertMatchesRegularExpression( '/^\d+$/', (string) $r->header( 'X-KCO-Queries' ) );
		// Six reads at most, and the approval's stock claim: eight statements (its limit, SET TRANSACTION, START
		// TRANSACTION, the stock rows' lock, DELETE, INSERT, COMMIT, the limit put back), issue 13.
		$this->assertLessThanOrEqual( 6, (int) $r->header( 'X-KCO-Queries' ), 'options + session + accounts, products (+ parents), coupons, held stock (a denial); the claim (an approval)' );
		$line = $this->assert_one_decision_line( 'info', 'approved', 200, $order['order_id'], array() );
		$this->assertStringNotContainsString( (string) $order['billing_address']['email'], $line, 'the email is masked at info level' );
	}

	/**
	 * @dataProvider fixtures
	 */
	public function test_fixture_without_a_session_is_denied_and_the_checkout_shows_why( string $name ): void {
		$json  = self::fixture( $name );
		$order = json_decode( $json, true );
		update_option( 'woocommerce_currency', $order['purchase_currency'] );

		$r = $this->klarna_post( $json );

		$this->assertSame( 303, $r->status, $r->describe() );
		$location = (string) $r->header( 'Location' );
		// Without a session the shopper's language is Klarna's locale (in the language-prefix shop: en, de, sv).
		$lang = self::lang_prefix();
		if ( '' !== $lang ) {
			$klarna = strtolower( substr( (string) ( $order['locale'] ?? '' ), 0, 2 ) );
			$lang   = in_array( $klarna, array( 'en', 'de', 'sv' ), true ) ? $klarna : $lang;
		}
		$this->assertStringStartsWith( self::base() . ( '' === $lang ? '' : '/' . $lang ) . '/', $location );
		$codes = explode( ',', self::location_query( $location )['kco_validation'] ?? '' );
		$this->assertContains( 'session_missing', $codes );
		$this->assert_one_decision_line( 'info', 'denied', 303, $order['order_id'] );
		// Stock reasons lead to the cart (whatever its slug in the language: /sv/varukorg/), the others to the checkout.
		$this->assert_page_shows_reasons( $location, array_key_exists( 'stock_validate_failed', self::location_query( $location ) ) ? 'cart' : 'checkout' );
	}
}
