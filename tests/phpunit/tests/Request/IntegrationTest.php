<?php
/**
 * UrlToken and KcoIntegration: the validation URL KCO 1.11+ and Kustom Checkout 2.x send to Klarna.
 *
 * @package KcoValidation\Plugin\Tests
 */

namespace KcoValidation\Plugin\Tests;

use KcoValidation\Plugin\Integration\KcoIntegration;
use KcoValidation\Plugin\Integration\UrlToken;

class IntegrationTest extends TestCase {

	public function test_token_is_the_hmac_of_the_session_id_with_the_auth_salt(): void {
		$this->assertSame( hash_hmac( 'sha256', 'kco-validation|17', AUTH_KEY . AUTH_SALT ), UrlToken::create( '17' ) );
		$this->assertNotSame( UrlToken::create( '17' ), UrlToken::create( '18' ) );
		$this->assertTrue( UrlToken::verify( '17', UrlToken::create( '17' ) ) );
		$this->assertFalse( UrlToken::verify( '18', UrlToken::create( '17' ) ) );
		$this->assertFalse( UrlToken::verify( '17', strtoupper( UrlToken::create( '17' ) ) ) );
		$this->assertFalse( UrlToken::verify( '17', substr( UrlToken::create( '17' ), 0, 63 ) ) );
		$this->assertFalse( UrlToken::verify( '17', array( UrlToken::create( '17' ) ) ) );
		$this->assertFalse( UrlToken::verify( '17', null ) );
		add_filter( 'salt', static fn () => 'rotated' );
		$this->assertFalse( UrlToken::verify( '17', hash_hmac( 'sha256', 'kco-validation|17', AUTH_KEY . AUTH_SALT ) ), 'rotating the salts invalidates tokens' );
	}

	public function test_kco_1_11_validation_url_gets_the_token(): void {
		( new KcoIntegration() )->register();
		$url = 'https://shop.example/wc-api/KCO_WC_Validation/?kco-action=validation&kco_wc_order_id={checkout.order.id}&kco_session_id=' . self::GUEST;
		$out = apply_filters( 'kco_wc_validation_url', $url );
		$this->assertSame( $url . '&kco_validation_token=' . UrlToken::create( self::GUEST ), $out );
		$this->assertSame( $out, apply_filters( 'kco_wc_validation_url', $out ), 'a token is added once' );
	}

	public function test_kco_url_without_a_valid_session_id_is_left_alone(): void {
		$integration = new KcoIntegration();
		foreach ( array( 'https://shop.example/wc-api/KCO_WC_Validation/?kco_session_id=', 'https://shop.example/wc-api/KCO_WC_Validation/?kco_session_id=abc', 42 ) as $url ) {
			$this->assertSame( $url, $integration->filter_validation_url( $url ) );
		}
	}

	public function test_kustom_2x_request_gets_our_validation_url_and_requires_its_success(): void {
		add_filter( 'kco_validation_kco_version', static fn () => '2.14.0' );
		WC()->session = new \WC_Session_Handler( self::GUEST );
		add_filter( 'home_url', static fn ( $url ) => str_replace( 'shop.example', 'shop.example/sv', $url ) ); // A language plugin.
		( new KcoIntegration() )->register();
		$args = apply_filters( 'kco_wc_api_request_args', array( 'merchant_urls' => array( 'terms' => 'https://shop.example/terms/' ), 'options' => array( 'allow_separate_shipping_address' => true ) ) );
		$this->assertSame(
			'https://shop.example/wc-api/KCO_WC_Validation/?kco-action=validation&kco_wc_order_id={checkout.order.id}&kco_session_id=' . self::GUEST . '&kco_validation_token=' . UrlToken::create( self::GUEST ),
			$args['merchant_urls']['validation']
		);
		$this->assertSame( 'https://shop.example/terms/', $args['merchant_urls']['terms'] );
		$this->assertTrue( $args['options']['require_validate_callback_success'] );
		$this->assertTrue( $args['options']['allow_separate_shipping_address'] );
	}

	public function test_plain_permalinks_use_the_query_form_and_http_is_not_rewritten(): void {
		update_option( 'permalink_structure', '' );
		update_option( 'home', 'http://shop.example/' );
		$this->assertStringStartsWith( 'http://shop.example/?wc-api=KCO_WC_Validation&kco-action=validation&', KcoIntegration::validation_url( '17' ) );
	}

	public function test_request_args_are_left_alone_for_kco_1x_block_checkout_and_shoppers_without_a_session(): void {
		$integration = new KcoIntegration();
		$args        = array( 'merchant_urls' => array() );
		$this->assertSame( $args, $integration->filter_request_args( $args ), 'KCO inactive' );
		add_filter( 'kco_validation_kco_version', static fn () => '1.11.8' );
		WC()->session = new \WC_Session_Handler( self::GUEST );
		$this->assertSame( $args, $integration->filter_request_args( $args ), 'KCO 1.x sends its own URL' );
		$GLOBALS['wp_filter'] = array();
		add_filter( 'kco_validation_kco_version', static fn () => '2.16.0' );
		$block = array( 'merchant_urls' => array( 'validation' => 'https://shop.example/wp-json/kco-block/order/{checkout.order.id}/validate' ) );
		$this->assertSame( $block, $integration->filter_request_args( $block ), 'block checkout has its own route' );
		WC()->session = new \WC_Session_Handler( '' );
		$this->assertSame( $args, $integration->filter_request_args( $args ), 'no session key yet' );
		$this->assertSame( 'x', $integration->filter_request_args( 'x' ) );
	}

	public function test_kco_version_comes_from_the_filter_or_null(): void {
		$this->assertNull( KcoIntegration::kco_version() );
		add_filter( 'kco_validation_kco_version', static fn () => '1.10.2' );
		$this->assertSame( '1.10.2', KcoIntegration::kco_version() );
	}

	public function test_a_url_the_plugin_built_round_trips_through_the_endpoint(): void {
		$mug  = Shop::product( array( 'sku' => 'MUG' ) );
		$json = self::klarna_order( array( array( 'MUG', 1, 10000 ) ) );
		Shop::session( self::GUEST, self::cart_for( $json, array( 'MUG' => $mug ) ) );
		parse_str( (string) parse_url( KcoIntegration::validation_url( self::GUEST ), PHP_URL_QUERY ), $get );
		$this->assertSame( 200, $this->post_callback( $json, $get )->status );
		$get['kco_session_id'] = 't_' . str_repeat( 'f', 30 );
		$this->assertSame( 400, $this->post_callback( $json, $get )->status, 'the token binds the session id' );
	}
}
