<?php
/**
 * Reads every option the callback needs that WordPress did not autoload, in one query.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin\Request;

defined( 'ABSPATH' ) || exit;

/**
 * `get_option()` costs a query for every option that is not autoloaded — and for every option that does not exist
 * (WordPress then remembers it in `notoptions`). On a real shop (make test-real, WooCommerce 9.9.5) the callback paid
 * one each for the plugin's settings a shop never changed, WooCommerce's guest-checkout and signup settings, the cart
 * and checkout page ids, the shipping-method-count transient and WooCommerce's logger settings. This reads them all
 * with one `SELECT … WHERE option_name IN (…)` and fills WordPress's own option cache the way get_option() does
 * (`wp_cache_add( $name, $value, 'options' )`; the missing ones into `notoptions`), so the calls that follow are
 * answered from memory. Options already autoloaded are left to WordPress. Nothing is done without WordPress's object
 * cache API (the tests' doubles), or when a persistent object cache holds the options anyway.
 */
final class OptionPrimer {

	/**
	 * WooCommerce's options (and transients) a callback reads that are stored without autoload.
	 */
	const WOOCOMMERCE = array(
		'woocommerce_enable_guest_checkout',
		'woocommerce_enable_signup_and_login_from_checkout',
		'woocommerce_cart_page_id',
		'woocommerce_checkout_page_id',
		'woocommerce_hold_stock_minutes',
		'woocommerce_schema_version',
		'woocommerce_logs_logging_enabled',
		'woocommerce_logs_default_handler',
		'woocommerce_logs_level_threshold',
		'woocommerce_logs_retention_period_days',
		'_transient_wc_shipping_method_count',
		'_transient_timeout_wc_shipping_method_count',
	);

	/**
	 * The plugin's own options the callback reads.
	 */
	const OWN = array(
		'kco_validation_response_mode',
		'kco_validation_unknown_products',
		'kco_validation_fault_policy',
		'kco_validation_log_level',
		'kco_validation_total_tolerance',
		'kco_validation_time_budget_ms',
		'kco_validation_claim_minutes',
		'kco_validation_untokened_urls',
		'kco_validation_log_schema',
		'kco_validation_claims_schema',
		'kco_validation_compare',
	);

	/**
	 * Primes the option cache; returns how many options it read from the database (0: nothing done).
	 *
	 * @param object|null $wpdb Database (default: the global one).
	 */
	public static function prime( $wpdb = null ): int {
		$wpdb = $wpdb ?? ( $GLOBALS['wpdb'] ?? null );
		if ( ! is_object( $wpdb ) || ! function_exists( 'wp_cache_add' ) || ! function_exists( 'wp_load_alloptions' ) || ( function_exists( 'wp_using_ext_object_cache' ) && wp_using_ext_object_cache() ) ) {
			return 0;
		}
		$alloptions = wp_load_alloptions();
		$notoptions = wp_cache_get( 'notoptions', 'options' );
		$notoptions = is_array( $notoptions ) ? $notoptions : array();
		$wanted     = array();
		foreach ( array_merge( self::OWN, self::WOOCOMMERCE ) as $name ) {
			if ( ! isset( $alloptions[ $name ] ) && ! isset( $notoptions[ $name ] ) && false === wp_cache_get( $name, 'options' ) ) {
				$wanted[] = $name;
			}
		}
		if ( array() === $wanted ) {
			return 0;
		}
		$rows = $wpdb->get_results( $wpdb->prepare( "SELECT option_name, option_value FROM {$wpdb->options} WHERE option_name IN (" . implode( ',', array_fill( 0, count( $wanted ), '%s' ) ) . ')', $wanted ), ARRAY_A ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- placeholders only.
		if ( ! is_array( $rows ) || '' !== (string) $wpdb->last_error ) {
			return 0; // get_option() will read them one by one, as without us.
		}
		$found = array();
		foreach ( $rows as $row ) {
			$found[ (string) $row['option_name'] ] = true;
			wp_cache_add( (string) $row['option_name'], $row['option_value'], 'options' );
		}
		foreach ( $wanted as $name ) {
			if ( ! isset( $found[ $name ] ) ) {
				$notoptions[ $name ] = true;
			}
		}
		wp_cache_set( 'notoptions', $notoptions, 'options' );
		// The cart and checkout pages (their URLs are the 303's), in one query instead of one each.
		if ( function_exists( '_prime_post_caches' ) ) {
			$pages = array_values( array_filter( array( (int) get_option( 'woocommerce_cart_page_id' ), (int) get_option( 'woocommerce_checkout_page_id' ) ) ) );
			if ( array() !== $pages ) {
				_prime_post_caches( $pages, false, false );
			}
		}
		return count( $wanted );
	}
}
