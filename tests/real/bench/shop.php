<?php
/**
 * The bench's changes to the real shop of scripts/bench-real.sh, each in a process of its own that loads the shop's
 * WordPress (as tests/real/setup.php does):
 *   php shop.php prepare     compare mode off and the plugin's log level at its default (as a shop runs it); a
 *                            product with plenty of stock (repeated approvals keep approving); prints JSON
 *                            {product_id, rate} (rate: the PostNord rate for Sweden, setup.php's zones);
 *   php shop.php kco         activates Klarna Checkout for WooCommerce (wp-content/plugins/klarna-checkout-for-
 *                            woocommerce) with fake test credentials for Sweden (never used: WP_HTTP_BLOCK_EXTERNAL),
 *                            its logging as BENCH_KCO_LOGGING (yes|no, default no); prints its version;
 *   php shop.php plugin on|off  activates or deactivates kco-validation (configuration B or A);
 *   php shop.php counts      prints JSON {claims, decisions}: rows of the plugin's claims table and decision log.
 * Env: REAL_WP (the copy of WordPress), E2E_URL (http://127.0.0.1:PORT).
 *
 * @package KcoValidation\Plugin\Tests\Real
 */

require dirname( __DIR__ ) . '/support/cli.php';
list( $kco_phase, $kco_wp, $kco_url ) = kco_real_cli( array( 'prepare', 'kco', 'plugin', 'counts' ), 'php shop.php prepare|kco|plugin on|off|counts' );

/** Fails the phase. */
function kco_bench_fail( string $message ): void {
	fwrite( STDERR, "shop: {$message}\n" );
	exit( 1 );
}

/**
 * Activates a plugin. Output while it loads (PHP 8.2 deprecation notices of old releases, shown by the CLI) is
 * reported on stderr, not a failure: WordPress has activated the plugin by then.
 */
function kco_bench_activate( string $plugin ): void {
	$result = activate_plugin( $plugin );
	if ( is_wp_error( $result ) && 'unexpected_output' === $result->get_error_code() ) {
		fwrite( STDERR, "shop: note: {$plugin} printed output while activated (kept in the error log)\n" );
		$result = null;
	}
	if ( is_wp_error( $result ) ) {
		kco_bench_fail( "activate {$plugin}: " . $result->get_error_message() );
	}
	wp_cache_delete( 'alloptions', 'options' );
	if ( ! in_array( $plugin, (array) get_option( 'active_plugins', array() ), true ) ) {
		kco_bench_fail( "{$plugin} is not active after activation" );
	}
}

require $kco_wp . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/plugin.php';

const KCO_BENCH_KCO    = 'klarna-checkout-for-woocommerce/klarna-checkout-for-woocommerce.php';
const KCO_BENCH_PLUGIN = 'kco-validation/kco-validation.php';

if ( 'plugin' === $kco_phase ) {
	$on = 'on' === ( $argv[2] ?? '' );
	if ( $on ) {
		kco_bench_activate( KCO_BENCH_PLUGIN );
	} else {
		deactivate_plugins( KCO_BENCH_PLUGIN );
	}
	// A fresh read, not this process's cache: what the next request will load.
	wp_cache_delete( 'alloptions', 'options' );
	$active = in_array( KCO_BENCH_PLUGIN, (array) get_option( 'active_plugins', array() ), true );
	if ( $active !== $on ) {
		kco_bench_fail( 'kco-validation is still ' . ( $active ? 'active' : 'inactive' ) );
	}
	echo 'kco-validation ' . ( $on ? 'active' : 'inactive' ) . "\n";
	exit( 0 );
}

if ( 'kco' === $kco_phase ) {
	$logging = 'yes' === getenv( 'BENCH_KCO_LOGGING' ) ? 'yes' : 'no';
	// The gateway's settings (Klarna_Checkout_For_WooCommerce_Fields; credentials read by
	// Klarna_Checkout_For_WooCommerce_Credentials: test_merchant_id_eu / test_shared_secret_eu for a Swedish store).
	update_option(
		'woocommerce_kco_settings',
		array(
			'enabled'                    => 'yes',
			'title'                      => 'Klarna',
			'description'                => '',
			'select_another_method_text' => '',
			'testmode'                   => 'yes',
			'logging'                    => $logging,
			'merchant_id_eu'             => '',
			'shared_secret_eu'           => '',
			'test_merchant_id_eu'        => 'PK00000_fake',
			'test_shared_secret_eu'      => 'fake-shared-secret-0123',
			'merchant_id_us'             => '',
			'shared_secret_us'           => '',
			'test_merchant_id_us'        => '',
			'test_shared_secret_us'      => '',
		)
	);
	kco_bench_activate( KCO_BENCH_KCO );
	$data = get_plugin_data( WP_PLUGIN_DIR . '/' . KCO_BENCH_KCO, false, false );
	echo wp_json_encode(
		array(
			'version' => (string) $data['Version'],
			'name'    => (string) $data['Name'],
			'logging' => $logging,
		)
	) . "\n";
	exit( 0 );
}

if ( 'counts' === $kco_phase ) {
	global $wpdb;
	$count = static function ( string $table ) use ( $wpdb ): ?int {
		$name = $wpdb->prefix . $table;
		if ( $name !== $wpdb->get_var( $wpdb->prepare( 'SHOW TABLES LIKE %s', $name ) ) ) {
			return null;
		}
		return (int) $wpdb->get_var( "SELECT COUNT(*) FROM {$name}" ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
	};
	echo wp_json_encode(
		array(
			'claims'    => $count( 'kco_validation_claims' ),
			'decisions' => $count( 'kco_validation_log' ),
		)
	) . "\n";
	exit( 0 );
}

// --- prepare ------------------------------------------------------------------------------------------------------
if ( ! function_exists( 'WC' ) ) {
	kco_bench_fail( 'WooCommerce is not loaded' );
}
// Compare mode off and the plugin's log level at its default (tests/real/setup.php sets them for its scenarios),
// stored as the plugin's activation stores its defaults: autoloaded.
update_option( 'kco_validation_compare', 'no', true );
update_option( 'kco_validation_log_level', 'info', true );

$product = new WC_Product_Simple();
$product->set_name( 'Kaffemugg' );
$product->set_sku( 'BENCH-MUG' );
$product->set_regular_price( '125.00' );
$product->set_status( 'publish' );
$product->set_manage_stock( true );
$product->set_stock_quantity( 1000000 );
$product->save();

$zones = get_option( 'kco_real_zones' );
$rate  = (string) ( $zones['SE']['postnord'] ?? '' );
if ( '' === $rate ) {
	kco_bench_fail( 'no PostNord rate for Sweden (tests/real/setup.php configure)' );
}
echo wp_json_encode(
	array(
		'product_id' => $product->get_id(),
		'rate'       => $rate,
	)
) . "\n";
