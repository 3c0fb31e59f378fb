<?php
/**
 * Router for PHP's built-in web server behind the test nginx (DoctorNginxTest): boots the plugin in the test
 * environment with the tools registered and dispatches /wc-api/NAME/ as WooCommerce's WC_API does
 * (includes/class-wc-api.php handle_api_requests(): buffer, status by has_action(), the action, discard, die('-1')).
 *
 * @package KcoValidation\Plugin\Tests\Tools
 */

error_reporting( E_ALL );

require dirname( __DIR__, 2 ) . '/phpunit/support/environment.php';

\KcoValidation\Plugin\Tools\ToolsBootstrap::register();
do_action( 'plugins_loaded' );

$kco_path = (string) parse_url( (string) $_SERVER['REQUEST_URI'], PHP_URL_PATH );
if ( 1 === preg_match( '#^/wc-api/([^/]+)/?$#', $kco_path, $kco_m ) ) {
	$kco_api = strtolower( sanitize_key( $kco_m[1] ) );
	ob_start();
	do_action( 'woocommerce_api_request', $kco_api );
	status_header( has_action( 'woocommerce_api_' . $kco_api ) ? 200 : 400 );
	do_action( 'woocommerce_api_' . $kco_api );
	ob_end_clean();
	die( '-1' );
}
http_response_code( 404 );
echo 'not found';
