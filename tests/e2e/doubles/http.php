<?php
/**
 * What the end-to-end front controller needs on top of the PHPUnit doubles (tests/phpunit/doubles), because a real
 * HTTP response has to leave PHP: each mirrors the WordPress or WooCommerce source it names. Loaded by
 * tests/e2e/web/index.php only, after the PHPUnit doubles.
 *
 * @package KcoValidation\Plugin\Tests\E2E
 */

/*
 * status_header(): the PHPUnit double (tests/phpunit/doubles/wordpress.php) only records the code in
 * $GLOBALS['kco_test_status_header'] and cannot be redefined. WordPress's real one (wp-includes/functions.php)
 * sends `header( "$protocol $code $description", true, $code )` at once; here the recorded code is applied when PHP
 * starts sending headers (header_register_callback), which gives the client the same status line: the last
 * status_header() call wins, and a later header( 'Location: …' ) cannot turn a 303 into PHP's automatic 302.
 */
function kco_e2e_apply_status(): void {
	if ( isset( $GLOBALS['kco_test_status_header'] ) && is_int( $GLOBALS['kco_test_status_header'] ) ) {
		http_response_code( $GLOBALS['kco_test_status_header'] );
	}
}

if ( ! function_exists( 'wp_get_nocache_headers' ) ) {
	/** Mirrors wp-includes/functions.php wp_get_nocache_headers() (WordPress 6.1). */
	function wp_get_nocache_headers() {
		$headers                  = array(
			'Expires'       => 'Wed, 11 Jan 1984 05:00:00 GMT',
			'Cache-Control' => 'no-cache, must-revalidate, max-age=0',
		);
		$headers                  = (array) apply_filters( 'nocache_headers', $headers );
		$headers['Last-Modified'] = false;
		return $headers;
	}
}

if ( ! function_exists( 'nocache_headers' ) ) {
	/** Mirrors wp-includes/functions.php nocache_headers() (WordPress 6.1). */
	function nocache_headers() {
		if ( headers_sent() ) {
			return;
		}
		$headers = wp_get_nocache_headers();
		unset( $headers['Last-Modified'] );
		header_remove( 'Last-Modified' );
		foreach ( $headers as $name => $field_value ) {
			header( "{$name}: {$field_value}" );
		}
	}
}

if ( ! function_exists( 'wc_nocache_headers' ) ) {
	/** Mirrors includes/wc-core-functions.php wc_nocache_headers(): WC_Cache_Helper::set_nocache_constants(), nocache_headers(). */
	function wc_nocache_headers() {
		foreach ( array( 'DONOTCACHEPAGE', 'DONOTCACHEOBJECT', 'DONOTCACHEDB' ) as $constant ) {
			if ( ! defined( $constant ) ) {
				define( $constant, true );
			}
		}
		nocache_headers();
	}
}

if ( ! function_exists( 'wc_clean' ) ) {
	/** Mirrors includes/wc-formatting-functions.php wc_clean(). */
	function wc_clean( $var ) {
		if ( is_array( $var ) ) {
			return array_map( 'wc_clean', $var );
		}
		return is_scalar( $var ) ? sanitize_text_field( $var ) : $var;
	}
}

if ( ! function_exists( 'woocommerce_output_all_notices' ) ) {
	/** Mirrors includes/wc-template-functions.php woocommerce_output_all_notices() (hooked on woocommerce_before_cart / _before_checkout_form at 10). */
	function woocommerce_output_all_notices() {
		echo '<div class="woocommerce-notices-wrapper">';
		wc_print_notices();
		echo '</div>';
	}
}

/**
 * The main WooCommerce object with payment_gateways(), which WC_API::handle_api_requests() calls before
 * dispatching (includes/class-woocommerce.php payment_gateways() returns WC_Payment_Gateways::instance()); the
 * PHPUnit double has no such method. No gateway registers anything here.
 */
class Kco_E2E_WooCommerce extends WooCommerce {
	/** @var object|null */
	private $gateways = null;
	/** @return object */
	public function payment_gateways() {
		if ( null === $this->gateways ) {
			$this->gateways = new class() {
				/** @return array */
				public function payment_gateways() {
					return array();
				}
			};
		}
		return $this->gateways;
	}
}

/**
 * The logger with WooCommerce's default file handler: WC_Log_Handler_File writes one line per entry,
 * "{ISO 8601 time} {LEVEL} {message}", to wc-logs/{source}-{date}-{hash}.log (includes/log-handlers/
 * class-wc-log-handler-file.php, format_entry() and get_log_file_name()). The hash is left out so the tests can
 * find the file. Entries are also kept in memory, as the PHPUnit double does.
 */
class Kco_E2E_File_Logger extends WC_Logger {
	/** @var string */
	private $dir;
	/** @param string $dir Log directory. */
	public function __construct( string $dir ) {
		$this->dir = rtrim( $dir, '/' );
	}
	public function log( $level, $message, $context = array() ) {
		parent::log( $level, $message, $context );
		$source = isset( $context['source'] ) && is_string( $context['source'] ) ? preg_replace( '/[^A-Za-z0-9_-]/', '', $context['source'] ) : 'log';
		$line   = gmdate( 'c' ) . ' ' . strtoupper( (string) $level ) . ' ' . $message . "\n";
		file_put_contents( $this->dir . '/' . $source . '-' . gmdate( 'Y-m-d' ) . '.log', $line, FILE_APPEND | LOCK_EX );
	}
}
