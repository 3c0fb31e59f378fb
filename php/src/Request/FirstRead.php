<?php
/**
 * Reads in one query what every callback reads by key: the options the callback needs that WordPress did not
 * autoload, and the shopper's session row.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin\Request;

use KcoValidation\Plugin\Snapshot\CustomerRepository;
use KcoValidation\Plugin\Snapshot\SessionStore;

defined( 'ABSPATH' ) || exit;

/**
 * `get_option()` costs a query for every option that is not autoloaded — and for every option that does not exist
 * (WordPress then remembers it in `notoptions`). On a real shop (make test-real, WooCommerce 9.9.5) the callback paid
 * one each for the plugin's settings a shop never changed, WooCommerce's guest-checkout and signup settings, the cart
 * and checkout page ids, the shipping-method-count transient (`…_legacy` on 3.x) and WooCommerce's logger settings;
 * then one more for the session. This reads them all with one statement,
 *
 *     SELECT 'o', option_name, option_value FROM options WHERE option_name IN (…)
 *     UNION ALL SELECT 's', session_expiry, session_value FROM woocommerce_sessions WHERE session_key = …
 *     UNION ALL SELECT 'u', ID, user_email FROM users WHERE user_email = … [UNION ALL … WHERE ID = …]
 *
 * (binary strings: the tables may have different collations), fills WordPress's own option cache the way
 * get_option() does (`wp_cache_add( $name, $value, 'options' )`; the missing ones into `notoptions`), so the calls
 * that follow are answered from memory, and hands the session row to SessionStore (SessionStore::prefetched())
 * and the accounts of Klarna's billing email and of the session's user to CustomerRepository, which then read none. Options already autoloaded are left to WordPress. Nothing is done without WordPress's
 * object cache API, or when a persistent object cache holds the options anyway (the session is then read by
 * SessionStore, as without us). The session row is read before the URL's token is checked: it is only used after.
 */
final class FirstRead {

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
		'woocommerce_custom_orders_table_enabled',
		'woocommerce_logs_logging_enabled',
		'woocommerce_logs_default_handler',
		'woocommerce_logs_level_threshold',
		'woocommerce_logs_retention_period_days',
		'_transient_wc_shipping_method_count',
		'_transient_timeout_wc_shipping_method_count',
		// WooCommerce up to 4.x: wc_get_shipping_method_count( true ) keeps its count under its own name.
		'_transient_wc_shipping_method_count_legacy',
		'_transient_timeout_wc_shipping_method_count_legacy',
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
	 * Primes the option cache and, for a session key of WooCommerce's forms, hands SessionStore the session row;
	 * returns how many rows it asked for (0: nothing done).
	 *
	 * @param object|null $wpdb        Database (default: the global one).
	 * @param mixed       $session_key The URL's `kco_session_id` (null: none).
	 * @param string|null $email       Klarna's billing email: the accounts of that email and of the session's user
	 *                                 (a logged-in shopper's session key is their user id) are read too.
	 */
	public static function prime( $wpdb = null, $session_key = null, ?string $email = null ): int {
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
		$session = SessionStore::is_valid_key( $session_key ) ? (string) $session_key : null;
		$parts   = array();
		$args    = array();
		if ( array() !== $wanted ) {
			$parts[] = "SELECT 'o' AS t, CAST( option_name AS BINARY ) AS k, CAST( option_value AS BINARY ) AS v FROM {$wpdb->options} WHERE option_name IN (" . implode( ',', array_fill( 0, count( $wanted ), '%s' ) ) . ')';
			$args    = $wanted;
		}
		if ( null !== $session ) {
			$parts[] = "SELECT 's' AS t, CAST( session_expiry AS BINARY ) AS k, CAST( session_value AS BINARY ) AS v FROM {$wpdb->prefix}woocommerce_sessions WHERE session_key = %s";
			$args[]  = $session;
		}
		$email   = null === $email ? '' : trim( $email );
		$user_id = null !== $session && ctype_digit( $session ) && strlen( $session ) < 19 ? (int) $session : 0;
		if ( null !== $session ) {
			// CustomerRepository::find()'s own index lookups.
			list( $users_sql, $users_args ) = CustomerRepository::account_lookups( $wpdb, $email, $user_id, "'u'", true );
			$parts                          = array_merge( $parts, $users_sql );
			$args                           = array_merge( $args, $users_args );
		}
		if ( array() === $parts ) {
			return 0;
		}
		$rows = $wpdb->get_results( $wpdb->prepare( implode( ' UNION ALL ', $parts ), $args ), ARRAY_A ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- placeholders only.
		if ( ! is_array( $rows ) || '' !== (string) $wpdb->last_error ) {
			return 0; // get_option() and SessionStore will read them one by one, as without us.
		}
		$found = array();
		$row_s = null;
		$users = array();
		foreach ( $rows as $row ) {
			if ( 'u' === $row['t'] ) {
				$users[] = array(
					'id'    => (int) $row['k'],
					'email' => (string) $row['v'],
				);
				continue;
			}
			if ( 's' === $row['t'] ) {
				$row_s = array(
					'session_expiry' => (string) $row['k'],
					'session_value'  => (string) $row['v'],
				);
				continue;
			}
			$found[ (string) $row['k'] ] = true;
			wp_cache_add( (string) $row['k'], $row['v'], 'options' );
		}
		foreach ( $wanted as $name ) {
			if ( ! isset( $found[ $name ] ) ) {
				$notoptions[ $name ] = true;
			}
		}
		if ( array() !== $wanted ) {
			wp_cache_set( 'notoptions', $notoptions, 'options' );
		}
		if ( null !== $session ) {
			SessionStore::prefetched( $session, $row_s );
			if ( '' !== $email || $user_id > 0 ) {
				CustomerRepository::prefetched( $email, $user_id, $users );
			}
		}
		return count( $wanted ) + ( null === $session ? 0 : 1 );
	}
}
