<?php
/**
 * PHPUnit bootstrap of the shop-owner tools suite: the plugin suite's bootstrap (WordPress hook API, doubles,
 * the private MariaDB, the plugin's main file and autoloader), then what the tools need on top: a few more
 * WordPress function doubles, WordPress's real dbDelta() and HTTP API from Debian's wordpress package, a fake
 * WP-CLI, and the tools' test support.
 *
 * @package KcoValidation\Plugin\Tests\Tools
 */

require dirname( __DIR__ ) . '/phpunit/bootstrap.php';

require __DIR__ . '/support/wordpress.php';
require __DIR__ . '/support/wp-cli.php';
require __DIR__ . '/support/ToolsTestCase.php';
