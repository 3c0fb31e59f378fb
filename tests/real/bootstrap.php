<?php
/**
 * Bootstrap of the real-shop suite (tests/real/phpunit.real.xml), run by scripts/test-real.sh once the shop is up:
 * loads that shop's WordPress (wp-load.php: WooCommerce, kco-validation and the test mu-plugin, on the private
 * database), the e2e suite's raw HTTP client and the real-shop test support.
 *
 * @package KcoValidation\Plugin\Tests\Real
 */

foreach ( array( 'REAL_WP', 'E2E_URL', 'E2E_TMP', 'REAL_SCENARIO_MAP' ) as $kco_real_var ) {
	if ( false === getenv( $kco_real_var ) ) {
		fwrite( STDERR, "{$kco_real_var} is not set: run the real-shop suite through scripts/test-real.sh (make test-real).\n" );
		exit( 2 );
	}
}
$kco_real_url              = (string) getenv( 'E2E_URL' );
$_SERVER['HTTP_HOST']      = (string) parse_url( $kco_real_url, PHP_URL_HOST ) . ':' . (int) parse_url( $kco_real_url, PHP_URL_PORT );
$_SERVER['SERVER_NAME']    = (string) parse_url( $kco_real_url, PHP_URL_HOST );
$_SERVER['REQUEST_URI']    = '/';
$_SERVER['REQUEST_METHOD'] = 'GET';

require getenv( 'REAL_WP' ) . '/wp-load.php';
if ( ! function_exists( 'WC' ) || ! class_exists( \KcoValidation\Plugin\Tools\Compare\CompareMode::class ) ) {
	fwrite( STDERR, "WooCommerce or kco-validation is not active in the shop.\n" );
	exit( 2 );
}
if ( ! class_exists( 'PHPUnit\\Framework\\TestCase' ) ) {
	require_once '/usr/share/php/PHPUnit/Autoload.php';
}
require dirname( __DIR__ ) . '/e2e/support/Http.php';
require __DIR__ . '/support/Browser.php';
require __DIR__ . '/support/RealTestCase.php';
