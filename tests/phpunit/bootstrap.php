<?php
/**
 * PHPUnit bootstrap: the plugin's environment (support/environment.php), the schema on the private MariaDB
 * started by scripts/test-plugin.sh, and the test support classes.
 *
 * @package KcoValidation\Plugin\Tests
 */

error_reporting( E_ALL );

require __DIR__ . '/support/environment.php';

$kco_schema = str_replace(
	array( '{prefix}', '{collate}' ),
	array( 'wp_', $GLOBALS['wpdb']->get_charset_collate() ),
	(string) file_get_contents( __DIR__ . '/support/schema.sql' )
);
foreach ( array_filter( array_map( 'trim', explode( ';', (string) preg_replace( '/^--.*$/m', '', $kco_schema ) ) ) ) as $kco_sql ) {
	$GLOBALS['wpdb']->query( $kco_sql );
	if ( '' !== $GLOBALS['wpdb']->last_error ) {
		fwrite( STDERR, 'schema: ' . $GLOBALS['wpdb']->last_error . "\n" );
		exit( 2 );
	}
}

// The main file's hooks, kept for the main-file tests (every test starts with an empty hook table).
$GLOBALS['kco_test_main_file_hooks'] = array();
foreach ( $GLOBALS['wp_filter'] as $kco_hook => $kco_wp_hook ) {
	$GLOBALS['kco_test_main_file_hooks'][ $kco_hook ] = clone $kco_wp_hook;
}

require __DIR__ . '/support/CapturingResponse.php';
require __DIR__ . '/support/Shop.php';
require __DIR__ . '/support/TestCase.php';
