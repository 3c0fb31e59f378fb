<?php
/**
 * Settings (options, section, sanitizing) and Logger (threshold, source, masking).
 *
 * @package KcoValidation\Plugin\Tests
 */

namespace KcoValidation\Plugin\Tests;

use KcoValidation\Plugin\Logger;
use KcoValidation\Plugin\Settings;

class SettingsLoggerTest extends TestCase {

	public function test_defaults(): void {
		$s = Settings::load();
		$this->assertSame( array( 'redirect', 0, 'deny', 'deny', 'info' ), array( $s->response_mode, $s->total_tolerance, $s->unknown_products, $s->fault_policy, $s->log_level ) );
		$this->assertSame( array( 'response_mode' => 'redirect', 'total_tolerance' => 0, 'unknown_products' => 'deny' ), $s->snapshot_options() );
	}

	public function test_options_are_read_and_sanitized(): void {
		update_option( 'kco_validation_response_mode', 'error_json' );
		update_option( 'kco_validation_total_tolerance', '3' );
		update_option( 'kco_validation_unknown_products', 'ignore' );
		update_option( 'kco_validation_fault_policy', 'approve' );
		update_option( 'kco_validation_log_level', 'debug' );
		$s = Settings::load();
		$this->assertSame( array( 'error_json', 3, 'ignore', 'approve', 'debug' ), array( $s->response_mode, $s->total_tolerance, $s->unknown_products, $s->fault_policy, $s->log_level ) );

		update_option( 'kco_validation_response_mode', 'teapot' );
		update_option( 'kco_validation_total_tolerance', '-5' );
		update_option( 'kco_validation_fault_policy', array( 'approve' ) );
		$s = Settings::load();
		$this->assertSame( array( 'redirect', 0, 'deny' ), array( $s->response_mode, $s->total_tolerance, $s->fault_policy ) );
		update_option( 'kco_validation_total_tolerance', 'lots' );
		$this->assertSame( 0, Settings::load()->total_tolerance );
	}

	public function test_tolerance_reaches_the_extension(): void {
		update_option( 'kco_validation_total_tolerance', '5' );
		$mug  = Shop::product( array( 'sku' => 'MUG' ) );
		$json = self::klarna_order( array( array( 'MUG', 1, 10000 ) ) );
		$cart = self::cart_for( $json, array( 'MUG' => $mug ) );
		$cart['cart_totals']['total'] = '148.97';
		Shop::session( self::GUEST, $cart );
		$this->assertSame( 200, $this->post_callback( $json, array( 'kco_session_id' => self::GUEST ) )->status );
		update_option( 'kco_validation_total_tolerance', '2' );
		$this->assertSame( 303, $this->post_callback( $json, array( 'kco_session_id' => self::GUEST ) )->status );
	}

	public function test_body_cap_is_filterable_with_a_floor(): void {
		add_filter( 'kco_validation_max_body_bytes', static fn () => 10 );
		$this->assertSame( 1024, Settings::load()->max_body_bytes() );
		$GLOBALS['wp_filter'] = array();
		add_filter( 'kco_validation_max_body_bytes', static fn () => 'x' );
		$this->assertSame( 1048576, Settings::load()->max_body_bytes() );
	}

	public function test_section_on_the_advanced_tab(): void {
		Settings::register_hooks();
		$this->assertSame( array( '' => 'Advanced', 'kco_validation' => 'Klarna validation' ), apply_filters( 'woocommerce_get_sections_advanced', array( '' => 'Advanced' ) ) );
		$this->assertSame( array( 'other' ), apply_filters( 'woocommerce_get_settings_advanced', array( 'other' ), 'features' ) );
		$fields = apply_filters( 'woocommerce_get_settings_advanced', array( 'other' ), 'kco_validation' );
		$ids    = array_column( $fields, 'id' );
		foreach ( array( 'response_mode', 'total_tolerance', 'unknown_products', 'fault_policy', 'log_level' ) as $key ) {
			$this->assertContains( 'kco_validation_' . $key, $ids );
		}
		foreach ( $fields as $field ) {
			if ( isset( $field['options'] ) ) {
				$name = substr( $field['id'], strlen( 'kco_validation_' ) );
				$this->assertEqualsCanonicalizing( Settings::CHOICES[ $name ], array_keys( $field['options'] ), $name );
				$this->assertSame( Settings::CHOICES[ $name ][0], $field['default'] );
			}
		}
		$this->assertSame( array( 'kco-validation' ), array_values( array_unique( array_column( $GLOBALS['kco_test_l10n'], 1 ) ) ) );
	}

	public function test_logger_threshold_source_and_masking(): void {
		( new Logger( 'warning' ) )->log( 'info', 'hidden' );
		( new Logger( 'warning' ) )->log( 'error', 'shown' );
		( new Logger( 'none' ) )->log( 'emergency', 'off' );
		( new Logger( 'info' ) )->log( 'bogus', 'ignored' );
		$this->assertSame( array( 'shown' ), array_column( self::log_entries(), 'message' ) );
		$this->assertSame( 'kco-validation', self::log_entries()[0]['context']['source'] );
		$this->assertFalse( ( new Logger( 'bogus' ) )->is_debug() );
		$this->assertSame( 's***@example.se', Logger::mask_email( 'sofia@example.se' ) );
		$this->assertSame( '***', Logger::mask_email( 'no-at-sign' ) );
		$this->assertSame( '***', Logger::mask_email( '@example.se' ) );
	}

	public function test_decision_line_keeps_to_one_line(): void {
		( new Logger( 'info' ) )->decision( "id\nwith newline", 'denied', array( 'a', 'b' ), 1.234, 303, 'x@y.se', 'info', "detail \"quoted\"\r\n", array( 'SKU-1' ) );
		$this->assertSame( 'decision order_id=id with newline outcome=denied codes=a,b status=303 time_ms=1.23 refs=SKU-1 email=x***@y.se detail="detail  quoted "', self::log_entries()[0]['message'] );
	}

	public function test_emails_in_exception_details_are_masked_unless_debug(): void {
		( new Logger( 'info' ) )->decision( '', 'rejected', array(), 1.0, 400, null, 'warning', 'order_amount: invalid type: string "sofia@example.se", expected i64' );
		( new Logger( 'debug' ) )->decision( '', 'rejected', array(), 1.0, 400, null, 'warning', 'x: "sofia@example.se"' );
		$this->assertStringContainsString( 'string  s***@example.se ,', self::log_entries()[0]['message'] );
		$this->assertStringNotContainsString( 'sofia@', self::log_entries()[0]['message'] );
		$this->assertStringContainsString( 'sofia@example.se', self::log_entries()[1]['message'] );
	}

	public function test_a_failing_logger_never_breaks_the_answer(): void {
		$GLOBALS['kco_test_logger'] = new class() extends \WC_Logger {
			public function log( $level, $message, $context = array() ) {
				throw new \RuntimeException( 'disk full' );
			}
		};
		( new Logger( 'info' ) )->log( 'info', 'x' );
		$this->assertInstanceOf( \WC_Logger::class, $GLOBALS['kco_test_logger'] );
		$mug  = Shop::product( array( 'sku' => 'MUG' ) );
		$json = self::klarna_order( array( array( 'MUG', 1, 10000 ) ) );
		Shop::session( self::GUEST, self::cart_for( $json, array( 'MUG' => $mug ) ) );
		$this->assertSame( 200, $this->post_callback( $json, array( 'kco_session_id' => self::GUEST ) )->status );
	}

	public function test_unsaved_settings_are_stored_with_their_defaults_once_per_version_and_saved_ones_are_kept(): void {
		$GLOBALS['kco_test_options'] = array( 'kco_validation_fault_policy' => 'approve' );
		Settings::store_defaults();
		$stored = $GLOBALS['kco_test_options'];
		$this->assertSame( 'approve', $stored['kco_validation_fault_policy'], 'a saved setting is kept' );
		foreach ( Settings::fields() as $field ) {
			if ( isset( $field['default'] ) ) {
				$this->assertArrayHasKey( $field['id'], $stored );
			}
		}
		$this->assertSame( 'redirect', $stored['kco_validation_response_mode'] );
		$this->assertSame( '10', $stored['kco_validation_claim_minutes'] );
		$this->assertSame( 'no', $stored['kco_validation_compare'] );
		$this->assertSame( KCO_VALIDATION_PLUGIN_VERSION, $stored[ Settings::STORED_OPTION ] );
		$this->assertSame( 'approve', Settings::load()->fault_policy );

		// Done for this version: a setting deleted afterwards is not written again until the next version.
		unset( $GLOBALS['kco_test_options']['kco_validation_log_level'] );
		Settings::store_defaults();
		$this->assertArrayNotHasKey( 'kco_validation_log_level', $GLOBALS['kco_test_options'] );
		update_option( Settings::STORED_OPTION, '0.0.1' );
		Settings::store_defaults();
		$this->assertSame( 'info', $GLOBALS['kco_test_options']['kco_validation_log_level'] );
	}
}
