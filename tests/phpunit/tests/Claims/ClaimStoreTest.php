<?php
/**
 * The claims table: the test schema is the plugin's own, it is created on activation, and the store's reads and
 * writes (held stock of other orders, release, list, clear).
 *
 * @package KcoValidation\Plugin\Tests
 */

namespace KcoValidation\Plugin\Tests;

use KcoValidation\Plugin\Claims\ClaimStore;

class ClaimStoreTest extends TestCase {

	/** SHOW CREATE TABLE, with the table's name taken out. */
	private static function shape( string $table ): string {
		global $wpdb;
		$row = $wpdb->get_row( "SHOW CREATE TABLE {$table}", ARRAY_N );
		return str_replace( $table, 'T', (string) $row[1] );
	}

	public function test_the_test_schema_is_the_plugins_own(): void {
		global $wpdb;
		$store = new ClaimStore();
		$copy  = $wpdb->prefix . 'kco_claims_shape';
		$wpdb->query( "DROP TABLE IF EXISTS {$copy}" );
		$wpdb->query( str_replace( $store->table(), $copy, $store->schema() ) );
		try {
			$this->assertSame( '', $wpdb->last_error );
			$this->assertSame( self::shape( $copy ), self::shape( $store->table() ), 'tests/phpunit/support/schema.sql creates the table ClaimStore::schema() describes' );
		} finally {
			$wpdb->query( "DROP TABLE IF EXISTS {$copy}" );
		}
	}

	public function test_the_table_is_created_on_activation_and_admin_init(): void {
		$this->assertSame( array( \KcoValidation\Plugin\Plugin::class, 'activate' ), $this->only_callback( 'activate_' . plugin_basename( KCO_VALIDATION_PLUGIN_FILE ), $GLOBALS['kco_test_main_file_hooks'] ) );
		( new \KcoValidation\Plugin\Plugin( new class() extends \KcoValidation\Plugin\Requirements {
			public function problem(): ?string {
				return null;
			}
		} ) )->boot();
		$this->assertSame( 10, has_action( 'admin_init', array( ClaimStore::class, 'activate' ) ) );
		$this->assertSame( 10, has_action( 'admin_init', array( \KcoValidation\Plugin\Settings::class, 'store_defaults' ) ), 'and the settings\' defaults after an update (SettingsLoggerTest)' );
		$this->assertTrue( ClaimStore::installed() );
		update_option( ClaimStore::SCHEMA_OPTION, '0' );
		$this->assertFalse( ClaimStore::installed(), 'an older schema: upgraded on the next admin page' );
	}

	/**
	 * The one callback registered on a hook.
	 *
	 * @param array<string, \WP_Hook> $hooks Hooks.
	 * @return mixed
	 */
	private function only_callback( string $hook, array $hooks ) {
		$this->assertArrayHasKey( $hook, $hooks );
		$callbacks = array();
		foreach ( $hooks[ $hook ]->callbacks as $by_priority ) {
			foreach ( $by_priority as $callback ) {
				$callbacks[] = $callback['function'];
			}
		}
		return 1 === count( $callbacks ) ? $callbacks[0] : $callbacks;
	}

	public function test_release_list_and_clear(): void {
		global $wpdb;
		$store = new ClaimStore();
		$table = $store->table();
		$wpdb->query( "INSERT INTO {$table} ( klarna_order_id, product_id, quantity, wc_order_id, created_at, expires ) VALUES ( 'k-1', 11, 2, 0, NOW(), NOW() + INTERVAL 5 MINUTE ), ( 'k-1', 12, 1, 0, NOW(), NOW() + INTERVAL 5 MINUTE ), ( 'k-2', 11, 3, 77, NOW(), NOW() + INTERVAL 5 MINUTE ), ( 'k-3', 11, 4, 0, NOW() - INTERVAL 20 MINUTE, NOW() - INTERVAL 10 MINUTE )" );
		$this->assertCount( 3, $store->rows() );
		$this->assertCount( 4, $store->rows( true ) );
		$this->assertSame( 2, $store->release( 'k-1' ) );
		$this->assertSame( 1, $store->release( '', 77 ), 'by the WooCommerce order the claim names' );
		$this->assertSame( 0, $store->release( '', 0 ), 'nothing named: nothing released' );
		$this->assertSame( 1, $store->clear( null, true ), 'the expired ones' );
		$this->assertSame( array(), $store->rows( true ) );
	}
}
