<?php
/**
 * What the real shop's command-line scripts (tests/real/setup.php, tests/real/bench/shop.php) share before they load
 * WordPress: their phase from argv, the shop from the environment, and the request WordPress expects.
 *
 * @package KcoValidation\Plugin\Tests\Real
 */

/**
 * The phase (argv[1]), checked; REAL_WP and E2E_URL from the environment; $_SERVER as for a GET of the shop's home.
 * Exits 2 with the usage line when something is missing.
 *
 * @param list<string> $phases The phases the script knows.
 * @param string       $usage  Its usage line.
 * @return array{0: string, 1: string, 2: string} Phase, WordPress's folder, the shop's URL.
 */
function kco_real_cli( array $phases, string $usage ): array {
	$phase = $GLOBALS['argv'][1] ?? '';
	$wp    = (string) getenv( 'REAL_WP' );
	$url   = (string) getenv( 'E2E_URL' );
	if ( '' === $wp || '' === $url || ! in_array( $phase, $phases, true ) ) {
		fwrite( STDERR, "usage: REAL_WP=… E2E_URL=… {$usage}\n" );
		exit( 2 );
	}
	$_SERVER['HTTP_HOST']      = (string) parse_url( $url, PHP_URL_HOST ) . ':' . (int) parse_url( $url, PHP_URL_PORT );
	$_SERVER['SERVER_NAME']    = (string) parse_url( $url, PHP_URL_HOST );
	$_SERVER['SERVER_PORT']    = (string) parse_url( $url, PHP_URL_PORT );
	$_SERVER['REQUEST_URI']    = '/';
	$_SERVER['REQUEST_METHOD'] = 'GET';
	return array( $phase, $wp, $url );
}
