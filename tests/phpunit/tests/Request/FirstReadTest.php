<?php
/**
 * FirstRead: the options WordPress did not autoload and the shopper's session row, in one query; what
 * get_option() and SessionStore then read comes from memory.
 *
 * @package KcoValidation\Plugin\Tests
 */

namespace KcoValidation\Plugin\Tests;

use KcoValidation\Plugin\Request\FirstRead;
use KcoValidation\Plugin\Snapshot\SessionStore;

class FirstReadTest extends TestCase {

	/** The shop reads options from its database, as WordPress without a persistent object cache (doubles/wordpress.php). */
	private function real_options(): void {
		global $wpdb;
		$GLOBALS['kco_test_options_from_db'] = true;
		// In memory: only what WordPress autoloads.
		unset( $GLOBALS['kco_test_options']['woocommerce_enable_guest_checkout'], $GLOBALS['kco_test_options']['kco_validation_response_mode'] );
		foreach ( array( 'woocommerce_enable_guest_checkout' => 'no', 'kco_validation_response_mode' => 'error_json' ) as $name => $value ) {
			$wpdb->insert( $wpdb->options, array( 'option_name' => $name, 'option_value' => $value, 'autoload' => 'no' ) );
		}
	}

	public function test_options_and_the_session_come_in_one_query_and_are_then_read_from_memory(): void {
		global $wpdb;
		$this->real_options();
		Shop::session( self::GUEST, array( 'cart' => array( 'k' => array( 'product_id' => 5 ) ), 'kco_wc_order_id' => 'abc' ) );
		// Without FirstRead, each is a query of its own (what the doubles now charge, as WordPress does).
		self::reset_queries();
		$this->assertSame( 'no', get_option( 'woocommerce_enable_guest_checkout' ) );
		$this->assertFalse( get_option( 'kco_validation_fault_policy' ) );
		$this->assertFalse( get_option( 'kco_validation_fault_policy' ), 'a missing option is remembered' );
		$this->assertCount( 2, self::queries() );

		$GLOBALS['kco_test_cache'] = array();
		self::reset_queries();
		$this->assertGreaterThan( 1, FirstRead::prime( $wpdb, self::GUEST ) );
		$this->assertCount( 1, self::queries(), 'one statement' );
		$this->assertStringContainsString( 'UNION ALL', self::queries()[0] );
		$this->assertSame( 'no', get_option( 'woocommerce_enable_guest_checkout' ) );
		$this->assertSame( 'error_json', get_option( 'kco_validation_response_mode' ) );
		$this->assertFalse( get_option( 'kco_validation_fault_policy' ) );
		$this->assertFalse( get_option( '_transient_wc_shipping_method_count_legacy' ) );
		$session = ( new SessionStore( $wpdb ) )->load( self::GUEST );
		$this->assertTrue( $session->found );
		$this->assertFalse( $session->expired );
		$this->assertSame( 'abc', $session->get( 'kco_wc_order_id' ) );
		$this->assertSame( array( 'k' => array( 'product_id' => 5 ) ), $session->get( 'cart' ) );
		$this->assertCount( 1, self::queries(), 'nothing more was read' );

		// Read ahead once: a second load reads the table.
		( new SessionStore( $wpdb ) )->load( self::GUEST );
		$this->assertCount( 2, self::queries() );
	}

	public function test_a_session_that_does_not_exist_is_known_missing_without_another_query(): void {
		global $wpdb;
		$this->real_options();
		self::reset_queries();
		FirstRead::prime( $wpdb, 't_ffffffffffffffffffffffffffffff' );
		$session = ( new SessionStore( $wpdb ) )->load( 't_ffffffffffffffffffffffffffffff' );
		$this->assertFalse( $session->found );
		$this->assertCount( 1, self::queries() );
	}

	public function test_a_malformed_key_is_not_read_and_a_persistent_cache_reads_nothing(): void {
		global $wpdb;
		$this->real_options();
		self::reset_queries();
		FirstRead::prime( $wpdb, "17' OR '1'='1" );
		$this->assertCount( 1, self::queries() );
		$this->assertStringNotContainsString( 'woocommerce_sessions', self::queries()[0] );

		$GLOBALS['kco_test_cache'] = array();
		unset( $GLOBALS['kco_test_options_from_db'] ); // The options are in memory (a persistent object cache).
		self::reset_queries();
		$this->assertSame( 0, FirstRead::prime( $wpdb, self::GUEST ) );
		$this->assertSame( array(), self::queries() );
	}
}
