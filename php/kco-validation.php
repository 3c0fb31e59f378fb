<?php
/**
 * Plugin Name:          KCO Validation
 * Plugin URI:           https://github.com/kco-validation/kco-validation
 * Description:          Answers Klarna Checkout's validation callback (/wc-api/KCO_WC_Validation/) with the kco_validation PHP extension: stock, shipping, coupons, login and totals, every reason shown to the shopper.
 * Version:              0.1.0
 * Requires at least:    5.2
 * Requires PHP:         8.1
 * Requires Plugins:     woocommerce
 * WC requires at least: 3.9
 * WC tested up to:      10.3
 * Author:               kco-validation contributors
 * License:              GPL-3.0-or-later
 * License URI:          https://www.gnu.org/licenses/gpl-3.0.html
 * Text Domain:          kco-validation
 * Domain Path:          /languages
 *
 * @package KcoValidation\Plugin
 */

defined( 'ABSPATH' ) || exit;

define( 'KCO_VALIDATION_PLUGIN_FILE', __FILE__ );
define( 'KCO_VALIDATION_PLUGIN_VERSION', '0.1.0' );

/*
 * The plugin's own autoloader: KcoValidation\Plugin\Foo\Bar lives in src/Foo/Bar.php. The bare KcoValidation\
 * namespace belongs to the extension and is never loaded from here.
 */
spl_autoload_register(
	static function ( string $class_name ): void {
		$prefix = 'KcoValidation\\Plugin\\';
		if ( 0 !== strncmp( $class_name, $prefix, strlen( $prefix ) ) ) {
			return;
		}
		$relative = substr( $class_name, strlen( $prefix ) );
		if ( 1 !== preg_match( '/^[A-Za-z0-9_\\\\]+$/', $relative ) ) {
			return;
		}
		$file = __DIR__ . '/src/' . str_replace( '\\', '/', $relative ) . '.php';
		if ( is_readable( $file ) ) {
			require_once $file;
		}
	}
);

// The stock claims table (php/src/Claims/ClaimStore.php), created on activation; upgraded on admin_init (Plugin).
// The settings a shop never saved, stored with their defaults and autoloaded (no query to read them: Settings).
register_activation_hook( __FILE__, array( \KcoValidation\Plugin\Plugin::class, 'activate' ) );

// HPOS: the plugin reads orders only through the reserved-stock join, which follows the active order storage.
add_action(
	'before_woocommerce_init',
	static function (): void {
		if ( class_exists( \Automattic\WooCommerce\Utilities\FeaturesUtil::class ) ) {
			\Automattic\WooCommerce\Utilities\FeaturesUtil::declare_compatibility( 'custom_order_tables', KCO_VALIDATION_PLUGIN_FILE, true );
		}
	}
);

// The shopper-facing texts ship translated (php/languages: de_DE, sv_SE); translate.wordpress.org files win.
add_action(
	'init',
	static function (): void {
		load_plugin_textdomain( 'kco-validation', false, dirname( plugin_basename( KCO_VALIDATION_PLUGIN_FILE ) ) . '/languages' );
	}
);

add_action(
	'plugins_loaded',
	static function (): void {
		\KcoValidation\Plugin\Plugin::instance()->boot();
		// The shop-owner tools (doctor probe, decision log, replay) also run without the extension, to diagnose it.
		\KcoValidation\Plugin\Tools\ToolsBootstrap::register();
	},
	20
);
