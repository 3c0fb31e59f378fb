<?php
/**
 * Run in a child PHP by CliCommandTest: the plugin's environment with WP_CLI defined (as under `wp`), then
 * ToolsBootstrap::register(); prints the commands registered, as JSON.
 *
 * @package KcoValidation\Plugin\Tests\Tools
 */

define( 'WP_CLI', true );
require __DIR__ . '/wp-cli.php';
require dirname( __DIR__, 2 ) . '/phpunit/support/environment.php';
\KcoValidation\Plugin\Tools\ToolsBootstrap::register();
echo json_encode( array_map( static fn ( $c ) => is_object( $c ) ? get_class( $c ) : $c, WP_CLI::$commands ) );
