<?php
/**
 * Router for PHP's built-in web server in the end-to-end test: boots the plugin in the test environment and
 * dispatches like WordPress + WooCommerce would:
 * - /wc-api/NAME/ or ?wc-api=NAME: as WC_API::handle_api_requests() (includes/class-wc-api.php): buffer, status
 *   by has_action(), do_action( 'woocommerce_api_' . strtolower( NAME ) ), discard the buffer, die( '-1' );
 * - /cart/ and /checkout/: a front-end page load: template_redirect, then the template printing the notices.
 *
 * @package KcoValidation\Plugin\Tests
 */

error_reporting( E_ALL );

require __DIR__ . '/environment.php';

/** Writes each log entry as a JSON line for the test to read. */
class KcoE2eLogger extends WC_Logger {
	public function log( $level, $message, $context = array() ) {
		parent::log( $level, $message, $context );
		file_put_contents( (string) getenv( 'KCO_E2E_LOG' ), json_encode( array( 'level' => $level, 'message' => $message, 'context' => $context ) ) . "\n", FILE_APPEND | LOCK_EX );
	}
}
$GLOBALS['kco_test_logger'] = new KcoE2eLogger();

do_action( 'plugins_loaded' );

$kco_path = (string) parse_url( (string) $_SERVER['REQUEST_URI'], PHP_URL_PATH );
$kco_api  = null;
if ( 1 === preg_match( '#^/wc-api/([^/]+)/?$#', $kco_path, $kco_m ) ) {
	$kco_api = $kco_m[1];
} elseif ( isset( $_GET['wc-api'] ) && is_string( $_GET['wc-api'] ) ) {
	$kco_api = $_GET['wc-api'];
}

if ( null !== $kco_api ) {
	$kco_api = strtolower( sanitize_key( $kco_api ) );
	ob_start();
	do_action( 'woocommerce_api_request', $kco_api );
	status_header( has_action( 'woocommerce_api_' . $kco_api ) ? 200 : 400 );
	do_action( 'woocommerce_api_' . $kco_api );
	ob_end_clean();
	die( '-1' );
}

if ( '/cart/' === $kco_path || '/checkout/' === $kco_path ) {
	do_action( 'template_redirect' );
	header( 'Content-Type: text/html; charset=UTF-8' );
	echo "<!DOCTYPE html>\n<html><body><div class=\"woocommerce-notices-wrapper\">\n";
	wc_print_notices();
	echo "</div></body></html>\n";
	exit;
}

if ( '/e2e-warning/' === $kco_path ) {
	// Proves the error log check is live: an undefined variable is a warning under E_ALL.
	echo $kco_undefined_on_purpose; // phpcs:ignore
	exit;
}

http_response_code( 404 );
echo 'not found';
