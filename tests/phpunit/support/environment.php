<?php
/**
 * The WordPress + WooCommerce-double environment the plugin runs in, shared by the PHPUnit bootstrap and the
 * end-to-end test's web server router: real hook API, formatting and wpdb from Debian's wordpress package,
 * WooCommerce doubles, WPML / Polylang doubles (off unless a test enables one), Debian's wpdb on the test
 * MariaDB, then the plugin's main file.
 *
 * @package KcoValidation\Plugin\Tests
 */

if ( ! function_exists( 'KcoValidation\\version' ) ) {
	fwrite( STDERR, "The kco_validation extension is not loaded: run scripts/test-plugin.sh (php -d extension=target/release/libkco_validation.so).\n" );
	exit( 2 );
}
foreach ( array( 'KCO_DB_SOCKET', 'KCO_DB_NAME', 'KCO_DB_USER' ) as $kco_var ) {
	if ( false === getenv( $kco_var ) ) {
		fwrite( STDERR, "{$kco_var} is not set: run the tests through scripts/test-plugin.sh, which starts the database.\n" );
		exit( 2 );
	}
}

define( 'ABSPATH', '/usr/share/wordpress/' );
define( 'WPINC', 'wp-includes' );
define( 'WP_DEBUG', true );
define( 'WP_DEBUG_DISPLAY', false );
define( 'SAVEQUERIES', true );
define( 'AUTH_KEY', 'test-auth-key-0123456789abcdef0123456789abcdef' );
define( 'AUTH_SALT', 'test-auth-salt-fedcba9876543210fedcba9876543210' );
define( 'KCO_TEST_ROOT', dirname( __DIR__, 3 ) );
define( 'KCO_TEST_FIXTURES', rtrim( (string) ( getenv( 'KCO_FIXTURES' ) ?: KCO_TEST_ROOT . '/../shared/fixtures/klarna' ), '/' ) . '/' );
// The plugin's folder: php/ of the repository, or (KCO_PLUGIN_DIR) a copy unpacked from the plugin zip, as in
// wp-content/plugins/kco-validation/ (scripts/test-dist.sh runs the end-to-end suite so). Its parent is the plugins
// folder (WP_PLUGIN_DIR, doubles/l10n.php).
define( 'KCO_TEST_PLUGIN_DIR', rtrim( (string) ( getenv( 'KCO_PLUGIN_DIR' ) ?: KCO_TEST_ROOT . '/php' ), '/' ) );

require ABSPATH . WPINC . '/plugin.php';
require ABSPATH . WPINC . '/class-wp-error.php';
require dirname( __DIR__ ) . '/doubles/wordpress.php';
require ABSPATH . WPINC . '/formatting.php';
require ABSPATH . WPINC . '/kses.php';
require dirname( __DIR__ ) . '/doubles/woocommerce.php';
require dirname( __DIR__ ) . '/doubles/multilingual.php';
require dirname( __DIR__ ) . '/doubles/l10n.php';
require dirname( __DIR__ ) . '/doubles/features-util.php';
require ABSPATH . WPINC . '/class-wpdb.php';

$GLOBALS['wpdb'] = new wpdb(
	(string) getenv( 'KCO_DB_USER' ),
	(string) getenv( 'KCO_DB_PASSWORD' ),
	(string) getenv( 'KCO_DB_NAME' ),
	'localhost:' . getenv( 'KCO_DB_SOCKET' )
);
$GLOBALS['wpdb']->hide_errors();
$GLOBALS['wpdb']->set_prefix( 'wp_' );

/** The shop's options (autoloaded in WordPress). */
function kco_test_default_options(): array {
	return array(
		'blog_charset'                                      => 'UTF-8',
		'home'                                              => 'https://shop.example',
		'permalink_structure'                               => '/%postname%/',
		'kco_test_cart_permalink'                           => 'https://shop.example/cart/',
		'kco_test_checkout_permalink'                       => 'https://shop.example/checkout/',
		'woocommerce_currency'                              => 'SEK',
		'woocommerce_price_num_decimals'                    => '2',
		'woocommerce_manage_stock'                          => 'yes',
		'woocommerce_db_version'                            => '9.4.0',
		'woocommerce_schema_version'                        => '920',
		'woocommerce_enable_guest_checkout'                 => 'yes',
		'woocommerce_enable_signup_and_login_from_checkout' => 'yes',
		'woocommerce_ship_to_countries'                     => '',
		'woocommerce_tax_display_cart'                      => 'excl',
		// The plugin was activated: its stock claims table exists (tests/phpunit/support/schema.sql).
		'kco_validation_claims_schema'                      => '1',
	);
}
$GLOBALS['kco_test_options'] = kco_test_default_options();

// The plugin's main file, as WordPress loads it.
$GLOBALS['kco_test_l10n'] = array();
require KCO_TEST_PLUGIN_DIR . '/kco-validation.php';
$GLOBALS['kco_test_l10n_at_load'] = $GLOBALS['kco_test_l10n'];
