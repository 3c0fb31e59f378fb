<?php
/**
 * Bootstrap of the end-to-end suite (tests/e2e/phpunit.e2e.xml), run by scripts/test-e2e.sh after it started
 * MariaDB, php-fpm and nginx. The test process loads exactly what the PHPUnit suite loads (its bootstrap, which
 * creates the WooCommerce tables and brings Shop and the TestCase helpers) to seed the shop; the server side is
 * tests/e2e/web/index.php.
 *
 * @package KcoValidation\Plugin\Tests\E2E
 */

foreach ( array( 'E2E_URL', 'E2E_LOG_DIR', 'E2E_PHP_ERROR_LOG', 'KCO_DB_SOCKET' ) as $kco_e2e_var ) {
	if ( false === getenv( $kco_e2e_var ) ) {
		fwrite( STDERR, "{$kco_e2e_var} is not set: run the end-to-end tests through scripts/test-e2e.sh, which starts the stack.\n" );
		exit( 2 );
	}
}
if ( ! class_exists( 'PHPUnit\\Framework\\TestCase' ) ) {
	require_once '/usr/share/php/PHPUnit/Autoload.php';
}

require dirname( __DIR__ ) . '/phpunit/bootstrap.php';
require __DIR__ . '/support/Http.php';
require __DIR__ . '/support/E2eTestCase.php';
