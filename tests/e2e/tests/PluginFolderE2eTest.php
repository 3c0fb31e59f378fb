<?php
/**
 * The shop runs the plugin from the folder it was given: php/ of the repository, or (scripts/test-dist.sh) the plugin
 * zip of `make dist` unpacked into a plugins folder as wp-admin › Plugins › Add New unpacks it. The suite's other tests
 * then test that copy; this one proves it is the copy served, and that the copy is a whole plugin (its translations).
 *
 * @package KcoValidation\Plugin\Tests\E2E
 */

namespace KcoValidation\Plugin\Tests\E2E;

use KcoValidation\Plugin\Tests\Shop;

class PluginFolderE2eTest extends E2eTestCase {

	public function test_the_shop_serves_the_plugin_from_the_folder_it_was_given(): void {
		$json = self::fixture( '01-se-sek-basic.json' );
		Shop::session( self::GUEST, self::cart_for( $json, self::products_for( $json ) ) );
		self::sync_options();
		$r = $this->klarna_post( $json );
		$this->assert_approved( $r );
		$expected = realpath( (string) ( getenv( 'KCO_PLUGIN_DIR' ) ?: KCO_TEST_ROOT . '/php' ) );
		$this->assertSame( $expected, $r->header( 'X-KCO-Plugin-Dir' ), 'php-fpm loaded the plugin from KCO_PLUGIN_DIR' );
		$this->assertSame( $expected . '/kco-validation.php', realpath( KCO_VALIDATION_PLUGIN_FILE ), 'and so did the test process' );
		$this->assertSame( basename( $expected ) . '/kco-validation.php', plugin_basename( KCO_VALIDATION_PLUGIN_FILE ) );
		foreach ( array( 'kco-validation.pot', 'kco-validation-de_DE.mo', 'kco-validation-sv_SE.mo' ) as $file ) {
			$this->assertFileExists( $expected . '/languages/' . $file );
		}
	}
}
