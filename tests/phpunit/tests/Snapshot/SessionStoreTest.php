<?php
/**
 * SessionStore / SessionData: key forms, one read, expiry, decoding without instantiating classes.
 *
 * @package KcoValidation\Plugin\Tests
 */

namespace KcoValidation\Plugin\Tests;

use KcoValidation\Plugin\Snapshot\SessionData;
use KcoValidation\Plugin\Snapshot\SessionStore;

class SessionStoreTest extends TestCase {

	public function keys(): array {
		return array(
			'user id'               => array( '17', true ),
			'big user id'           => array( '18446744073709551615', true ),
			'WC 3.x-8.x guest'      => array( 'a3f5c0e1b2d4968778695a4b3c2d1e0f', true ),
			'WC 9.x guest'          => array( 't_0123456789abcdef0123456789abcd', true ),
			'empty'                 => array( '', false ),
			'zero'                  => array( '0', false ),
			'leading zero'          => array( '017', false ),
			'upper-case hex'        => array( 'A3F5C0E1B2D4968778695A4B3C2D1E0F', false ),
			'31 hex'                => array( 'a3f5c0e1b2d4968778695a4b3c2d1e0', false ),
			't_ with 31 hex'        => array( 't_0123456789abcdef0123456789abcde', false ),
			'sql'                   => array( "17' OR '1'='1", false ),
			'trailing newline'      => array( "17\n", false ),
			'array'                 => array( array( '17' ), false ),
		);
	}

	/**
	 * @dataProvider keys
	 */
	public function test_key_forms( $key, bool $valid ): void {
		$this->assertSame( $valid, SessionStore::is_valid_key( $key ) );
	}

	public function test_malformed_key_is_no_session_without_a_query(): void {
		global $wpdb;
		$s = ( new SessionStore( $wpdb ) )->load( "x' OR 1=1 -- " );
		$this->assertFalse( $s->found );
		$this->assertSame( '', $s->key );
		$this->assertSame( 0, $wpdb->num_queries );
	}

	public function test_found_session_is_read_in_one_query_and_decoded(): void {
		global $wpdb;
		Shop::session(
			self::GUEST,
			array(
				'cart'                   => array( 'k' => array( 'product_id' => 5, 'quantity' => 2 ) ),
				'applied_coupons'        => array( 'a' ),
				'kco_wc_order_id'        => 'abc',
				'shipping_for_package_0' => Shop::shipping_package( array( 'flat_rate:1' ) ),
			)
		);
		self::reset_queries();
		$s = ( new SessionStore( $wpdb ) )->load( self::GUEST );
		$this->assertSame( 1, $wpdb->num_queries );
		$this->assertTrue( $s->found );
		$this->assertFalse( $s->expired );
		$this->assertTrue( $s->usable() );
		$this->assertSame( array( 'k' => array( 'product_id' => 5, 'quantity' => 2 ) ), $s->get( 'cart' ) );
		$this->assertSame( array( 'a' ), $s->get( 'applied_coupons' ) );
		$this->assertSame( 'abc', $s->get( 'kco_wc_order_id' ) );
		$this->assertSame( 'dflt', $s->get( 'nope', 'dflt' ) );
		$rates = $s->get( 'shipping_for_package_0' )['rates'];
		$this->assertSame( array( 'flat_rate:1' ), array_keys( $rates ) );
		$this->assertInstanceOf( \__PHP_Incomplete_Class::class, $rates['flat_rate:1'], 'classes are never instantiated' );
	}

	public function test_expired_session_is_found_but_unusable(): void {
		global $wpdb;
		Shop::session( self::GUEST, array( 'cart' => array( 'x' => array() ) ), 1000 );
		$s = ( new SessionStore( $wpdb ) )->load( self::GUEST );
		$this->assertTrue( $s->found );
		$this->assertTrue( $s->expired );
		$this->assertFalse( $s->usable() );
		$this->assertNull( $s->get( 'cart' ) );
		$this->assertSame( array(), $s->all() );
		$this->assertFalse( ( new SessionStore( $wpdb ) )->load( self::GUEST, 999 )->expired );
	}

	public function test_user_id_only_for_digit_keys(): void {
		$this->assertSame( 17, ( new SessionData( '17', true, false, array() ) )->user_id() );
		$this->assertSame( 0, ( new SessionData( self::GUEST, true, false, array() ) )->user_id() );
		$this->assertSame( 0, SessionData::missing( '17' )->user_id() );
	}

	public function test_decode_tolerates_garbage_without_warnings(): void {
		$this->assertSame( array(), SessionStore::decode( 'not serialized' ) );
		$this->assertSame( array(), SessionStore::decode( 'a:1:{s:1:"a";' ) );
		$this->assertSame( array(), SessionStore::decode( 's:3:"abc";' ) );
		$this->assertSame( array( 'a' => 'a:1:{broken', 'b' => false, 'c' => 'plain' ), SessionStore::decode( serialize( array( 'a' => 'a:1:{broken', 'b' => 'b:0;', 'c' => 'plain' ) ) ) );
		$decoded = SessionStore::decode( serialize( array( 'o' => 'O:8:"WP_Error":0:{}' ) ) );
		$this->assertInstanceOf( \__PHP_Incomplete_Class::class, $decoded['o'] );
	}

	public function test_database_error_throws(): void {
		global $wpdb;
		$broken = clone $wpdb;
		$broken->set_prefix( 'missing_' );
		$this->expectException( \RuntimeException::class );
		$this->expect_database_errors( "/^Table '[^']+\\.missing_woocommerce_sessions' doesn't exist$/", fn () => ( new SessionStore( $broken ) )->load( self::GUEST ), array( $broken ) );
	}
}
