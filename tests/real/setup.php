<?php
/**
 * Installs the throw-away real shop of scripts/test-real.sh, in three processes (as WP-CLI's `core install`,
 * `plugin activate` and a first page load would):
 *   php setup.php install    WordPress into the private database, pretty permalinks, a customer account;
 *   php setup.php activate   WooCommerce (its activation runs WC_Install), then this plugin;
 *   php setup.php configure  with both loaded: orders in HPOS tables (WooCommerce 8.2+, REAL_HPOS=no to keep
 *                            posts), a Swedish shop (SEK, prices incl. 25 % VAT, guest checkout, stock managed,
 *                            stock held 60 min), shipping zones, out of "coming soon", the decision log installed
 *                            and compare mode on; rewrite rules flushed.
 * Env: REAL_WP (the copy of WordPress), E2E_URL (http://127.0.0.1:PORT), REAL_HPOS.
 *
 * @package KcoValidation\Plugin\Tests\Real
 */

require __DIR__ . '/support/cli.php';
list( $kco_phase, $kco_wp, $kco_url ) = kco_real_cli( array( 'install', 'activate', 'configure' ), 'php setup.php install|activate|configure' );

/** Fails the phase. */
function kco_real_fail( string $message ): void {
	fwrite( STDERR, "setup: {$message}\n" );
	exit( 1 );
}

if ( 'install' === $kco_phase ) {
	define( 'WP_INSTALLING', true );
	require $kco_wp . '/wp-load.php';
	require_once ABSPATH . 'wp-admin/includes/upgrade.php';
	$result = wp_install( 'KCO real shop', 'admin', 'admin@shop.test', true, '', 'admin-password-0123' );
	if ( empty( $result['user_id'] ) ) {
		kco_real_fail( 'wp_install() failed' );
	}
	update_option( 'permalink_structure', '/%postname%/' );
	update_option( 'timezone_string', 'Europe/Stockholm' );
	$user = wp_insert_user(
		array(
			'user_login' => 'shopper',
			'user_pass'  => 'shopper-password-0123',
			'user_email' => 'shopper@example.se',
			'role'       => 'subscriber',
		)
	);
	if ( is_wp_error( $user ) ) {
		kco_real_fail( 'customer account: ' . $user->get_error_message() );
	}
	echo 'WordPress ' . get_bloginfo( 'version' ) . " installed\n";
	exit( 0 );
}

require $kco_wp . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/plugin.php';

if ( 'activate' === $kco_phase ) {
	foreach ( array( 'woocommerce/woocommerce.php', 'kco-validation/kco-validation.php' ) as $plugin ) {
		$result = activate_plugin( $plugin );
		if ( is_wp_error( $result ) ) {
			kco_real_fail( "activate {$plugin}: " . $result->get_error_message() );
		}
	}
	echo "WooCommerce and kco-validation activated\n";
	exit( 0 );
}

// --- configure: WooCommerce and this plugin are loaded ---------------------------------------------------------
if ( ! function_exists( 'WC' ) ) {
	kco_real_fail( 'WooCommerce is not loaded after activation (see the WordPress debug log)' );
}
if ( ! class_exists( \KcoValidation\Plugin\Tools\DecisionLog::class ) ) {
	kco_real_fail( 'kco-validation is not loaded after activation' );
}
if ( class_exists( 'WC_Install' ) ) {
	WC_Install::install(); // Idempotent; makes sure every table and page exists in this version's shape.
}

// A Swedish shop.
$kco_options = array(
	'woocommerce_currency'                    => 'SEK',
	'woocommerce_currency_pos'                => 'right_space',
	'woocommerce_price_thousand_sep'          => ' ',
	'woocommerce_price_decimal_sep'           => ',',
	'woocommerce_price_num_decimals'          => '2',
	'woocommerce_default_country'             => 'SE',
	'woocommerce_store_address'               => 'Sveavägen 1',
	'woocommerce_store_city'                  => 'Stockholm',
	'woocommerce_store_postcode'              => '111 34',
	'woocommerce_allowed_countries'           => 'specific',
	'woocommerce_specific_allowed_countries'  => array( 'SE', 'NO', 'DK', 'FI' ),
	'woocommerce_ship_to_countries'           => '',
	'woocommerce_calc_taxes'                  => 'yes',
	'woocommerce_prices_include_tax'          => 'yes',
	'woocommerce_tax_display_shop'            => 'incl',
	'woocommerce_tax_display_cart'            => 'incl',
	'woocommerce_tax_based_on'                => 'shipping',
	'woocommerce_tax_round_at_subtotal'       => 'no',
	'woocommerce_enable_guest_checkout'       => 'yes',
	'woocommerce_enable_signup_and_login_from_checkout' => 'yes',
	'woocommerce_enable_coupons'              => 'yes',
	'woocommerce_manage_stock'                => 'yes',
	'woocommerce_hold_stock_minutes'          => '60',
	'woocommerce_notify_no_stock_amount'      => '0',
	'woocommerce_shipping_cost_requires_address' => 'no',
	'woocommerce_coming_soon'                 => 'no',
	'woocommerce_store_pages_only'            => 'no',
	'woocommerce_onboarding_profile'          => array( 'skipped' => true ),
	'woocommerce_task_list_hidden'            => 'yes',
	'woocommerce_allow_tracking'              => 'no',
	'woocommerce_show_marketplace_suggestions' => 'no',
	'woocommerce_feature_order_attribution_enabled' => 'no',
);
foreach ( $kco_options as $name => $value ) {
	update_option( $name, $value );
}

// 25 % VAT in Sweden, on goods and shipping.
global $wpdb;
$wpdb->query( "DELETE FROM {$wpdb->prefix}woocommerce_tax_rates" );
WC_Tax::_insert_tax_rate(
	array(
		'tax_rate_country'  => 'SE',
		'tax_rate_state'    => '',
		'tax_rate'          => '25.0000',
		'tax_rate_name'     => 'Moms',
		'tax_rate_priority' => 1,
		'tax_rate_compound' => 0,
		'tax_rate_shipping' => 1,
		'tax_rate_order'    => 0,
		'tax_rate_class'    => '',
	)
);

// Orders in the HPOS tables on WooCommerce 8.2+ (REAL_HPOS=no: posts).
$kco_hpos = 'no' !== strtolower( (string) getenv( 'REAL_HPOS' ) );
if ( class_exists( \Automattic\WooCommerce\Internal\DataStores\Orders\DataSynchronizer::class ) && function_exists( 'wc_get_container' ) ) {
	$sync = wc_get_container()->get( \Automattic\WooCommerce\Internal\DataStores\Orders\DataSynchronizer::class );
	if ( ! $sync->check_orders_table_exists() ) {
		$sync->create_database_tables();
	}
	update_option( 'woocommerce_custom_orders_table_data_sync_enabled', 'no' );
	update_option( 'woocommerce_custom_orders_table_enabled', $kco_hpos ? 'yes' : 'no' );
	update_option( 'woocommerce_custom_orders_table_created', 'yes' );
}
$kco_hpos_on = class_exists( \Automattic\WooCommerce\Utilities\OrderUtil::class ) && \Automattic\WooCommerce\Utilities\OrderUtil::custom_orders_table_usage_is_enabled();

// Shipping: Sweden — PostNord 49 kr incl. VAT (39.20 + 25 %), Express 99 kr (79.20), free over 2 000 kr;
// Norway — 99 kr. The test names each rate (kco_real_zones: country => name => rate id).
$wpdb->query( "DELETE FROM {$wpdb->prefix}woocommerce_shipping_zone_methods" );
$wpdb->query( "DELETE FROM {$wpdb->prefix}woocommerce_shipping_zone_locations" );
$wpdb->query( "DELETE FROM {$wpdb->prefix}woocommerce_shipping_zones" );
$kco_zones = array();
foreach ( array(
	'SE' => array(
		'Sverige',
		array(
			'postnord' => array( 'flat_rate', array( 'title' => 'PostNord', 'cost' => '39.20' ) ),
			'express'  => array( 'flat_rate', array( 'title' => 'Express', 'cost' => '79.20' ) ),
			'free'     => array( 'free_shipping', array( 'title' => 'Fri frakt', 'requires' => 'min_amount', 'min_amount' => '2000' ) ),
		),
	),
	'NO' => array( 'Norge', array( 'postnord' => array( 'flat_rate', array( 'title' => 'Posten', 'cost' => '99' ) ) ) ),
) as $country => list( $name, $methods ) ) {
	$zone = new WC_Shipping_Zone();
	$zone->set_zone_name( $name );
	$zone->add_location( $country, 'country' );
	$zone->save();
	foreach ( $methods as $key => list( $method, $settings ) ) {
		$instance = $zone->add_shipping_method( $method );
		update_option( "woocommerce_{$method}_{$instance}_settings", array_merge( array( 'tax_status' => 'taxable' ), $settings ) );
		$kco_zones[ $country ][ $key ] = $method . ':' . $instance;
	}
}
update_option( 'kco_real_zones', $kco_zones );
if ( class_exists( 'WC_Cache_Helper' ) ) {
	WC_Cache_Helper::get_transient_version( 'shipping', true );
}
delete_transient( 'wc_shipping_method_count_legacy' );
delete_transient( 'wc_shipping_method_count' );

// The plugin: the decision log (and compare mode's table), compare mode on, every decision logged.
( new \KcoValidation\Plugin\Tools\DecisionLog() )->install();
update_option( \KcoValidation\Plugin\Tools\Compare\CompareMode::OPTION, 'yes', true );
update_option( 'kco_validation_log_level', 'info' );

flush_rewrite_rules( false );

printf(
	"shop configured: WooCommerce %s, WordPress %s, orders in %s, zones %s, compare mode %s\n",
	WC()->version,
	get_bloginfo( 'version' ),
	$kco_hpos_on ? 'HPOS tables (wc_orders)' : 'posts',
	wp_json_encode( $kco_zones ),
	\KcoValidation\Plugin\Tools\Compare\CompareMode::enabled() ? 'on' : 'OFF'
);
