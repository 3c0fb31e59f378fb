<?php
/**
 * Every Klarna sample body in shared/fixtures/klarna, POSTed to the endpoint of a shop whose cart matches it.
 *
 * @package KcoValidation\Plugin\Tests
 */

namespace KcoValidation\Plugin\Tests;

class FixturesTest extends TestCase {

	public function fixtures(): array {
		$cases = array();
		foreach ( glob( KCO_TEST_FIXTURES . '*.json' ) as $file ) {
			$cases[ basename( $file ) ] = array( basename( $file ) );
		}
		return $cases;
	}

	/**
	 * @dataProvider fixtures
	 */
	public function test_fixture_with_a_matching_shop_is_approved( string $name ): void {
		$json  = self::fixture( $name );
		$order = json_decode( $json, true );
		$ids   = array();
		foreach ( $order['order_lines'] as $line ) {
			if ( in_array( $line['type'], array( 'physical', 'digital' ), true ) ) {
				$ids[ $line['reference'] ] = Shop::product(
					array(
						'sku'          => $line['reference'],
						'name'         => $line['name'],
						'virtual'      => 'digital' === $line['type'],
						'manage_stock' => true,
						'stock'        => 50,
					)
				);
			}
		}
		$merchant = json_decode( $order['merchant_data'] ?? '', true );
		$coupons  = is_array( $merchant ) ? ( $merchant['coupons'] ?? array() ) : array();
		foreach ( $coupons as $code ) {
			Shop::coupon( $code );
		}
		update_option( 'woocommerce_currency', $order['purchase_currency'] );
		$extra = Shop::iframe_shipping( $order ) + array( 'applied_coupons' => $coupons );
		$session = self::cart_for( $json, $ids, $extra );
		if ( isset( $order['selected_shipping_option']['price'] ) && array_sum( array_column( $order['order_lines'], 'total_amount' ) ) === $order['order_amount'] ) {
			// The shipping option chosen in the iframe is not an order line; WooCommerce's cart total includes it.
			$session['cart_totals']['total']     = (string) ( ( $order['order_amount'] + $order['selected_shipping_option']['price'] ) / 100 );
			$session['cart_totals']['total_tax'] = ( $order['order_tax_amount'] + $order['selected_shipping_option']['tax_amount'] ) / 100;
		}
		Shop::session( self::GUEST, $session );

		$r = $this->post_callback( $json, array( 'kco_session_id' => self::GUEST ) );

		$this->assertSame( 200, $r->status, (string) $r->header_value( 'Location' ) . ' ' . json_encode( self::log_entries() ) );
		$this->assertSame( '', $r->body );
		$this->assertCount( 1, self::decision_lines() );
		$this->assertStringContainsString( 'order_id=' . $order['order_id'] . ' outcome=approved', self::decision_lines()[0]['message'] );
	}

	/**
	 * @dataProvider fixtures
	 */
	public function test_fixture_without_a_session_is_denied_with_every_reason( string $name ): void {
		$r = $this->post_callback( self::fixture( $name ), array( 'kco_session_id' => self::GUEST ) );
		$this->assertSame( 303, $r->status );
		$codes = explode( ',', self::location_query( $r->header_value( 'Location' ) )['kco_validation'] );
		$this->assertContains( 'session_missing', $codes );
	}
}
