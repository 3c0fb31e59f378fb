<?php
/**
 * One validation callback in a process of its own, for ClaimConcurrencyTest: boots what the suite boots
 * (environment.php: WordPress's hook API and wpdb on the test MariaDB, the doubles, the plugin), prints "ready",
 * waits for a line on stdin (the start signal every worker gets at the same moment), then runs the endpoint for the
 * request given in argv and prints the answer as one JSON line: status, Location, codes.
 *
 * Usage: php -d extension=… claim-worker.php BODY_FILE SESSION_KEY
 *
 * @package KcoValidation\Plugin\Tests
 */

error_reporting( E_ALL );
require __DIR__ . '/environment.php';
require __DIR__ . '/CapturingResponse.php';

$kco_body_file = (string) ( $argv[1] ?? '' );
$kco_session   = (string) ( $argv[2] ?? '' );
$kco_codes     = null;
add_action(
	'kco_validation_decided',
	static function ( $verdict ) use ( &$kco_codes ) {
		$kco_codes = $verdict['codes'];
	}
);
// Connect now, so the start signal finds every worker ready to query.
$GLOBALS['wpdb']->get_var( 'SELECT 1' );
fwrite( STDOUT, "ready\n" );
// Never wait for ever: without a start signal within a minute the worker gives up (and the test fails).
stream_set_timeout( STDIN, 60 );
if ( "go\n" !== fgets( STDIN ) ) {
	fwrite( STDERR, "claim-worker: no start signal\n" );
	exit( 3 );
}

$_GET                      = array(
	'kco_session_id'                                        => $kco_session,
	\KcoValidation\Plugin\Integration\UrlToken::QUERY_ARG => \KcoValidation\Plugin\Integration\UrlToken::create( $kco_session ),
);
$_SERVER['REQUEST_METHOD'] = 'POST';
$_SERVER['CONTENT_LENGTH'] = (string) filesize( $kco_body_file );
$kco_response              = new \KcoValidation\Plugin\Tests\CapturingResponse();
\KcoValidation\Plugin\Request\Endpoint::create( $kco_response, $kco_body_file )->handle();
fwrite(
	STDOUT,
	json_encode(
		array(
			'status'   => $kco_response->status,
			'location' => $kco_response->header_value( 'Location' ),
			'codes'    => $kco_codes,
		)
	) . "\n"
);
