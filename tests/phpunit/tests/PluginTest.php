<?php
/**
 * Main file, Plugin boot, Requirements, HealthCheck, Response.
 *
 * @package KcoValidation\Plugin\Tests
 */

namespace KcoValidation\Plugin\Tests;

use KcoValidation\Plugin\Request\Endpoint;
use KcoValidation\Plugin\HealthCheck;
use KcoValidation\Plugin\Plugin;
use KcoValidation\Plugin\Requirements;
use KcoValidation\Plugin\Request\Response;

/** Requirements with a chosen extension version (null: not loaded) and WooCommerce state. */
class FakeRequirements extends Requirements {
	public $version;
	public $wc;
	public function __construct( ?string $version, bool $wc = true ) {
		$this->version = $version;
		$this->wc      = $wc;
	}
	public function woocommerce_active(): bool {
		return $this->wc;
	}
	public function extension_loaded(): bool {
		return null !== $this->version;
	}
	public function extension_version(): ?string {
		return $this->version;
	}
}

class PluginTest extends TestCase {

	private static function headers(): array {
		$text = (string) file_get_contents( KCO_TEST_ROOT . '/php/kco-validation.php', false, null, 0, 8192 );
		preg_match_all( '/^\s*\*\s*([A-Za-z ]+):\s*(.+)$/m', $text, $m );
		return array_combine( array_map( 'trim', $m[1] ), array_map( 'trim', $m[2] ) );
	}

	public function test_main_file_headers(): void {
		$h = self::headers();
		$this->assertSame( 'KCO Validation', $h['Plugin Name'] );
		$this->assertSame( '8.1', $h['Requires PHP'] );
		$this->assertSame( '3.9', $h['WC requires at least'] );
		$this->assertMatchesRegularExpression( '/^\d+\.\d+$/', $h['WC tested up to'] );
		$this->assertSame( 'kco-validation', $h['Text Domain'] );
		$this->assertSame( 'woocommerce', $h['Requires Plugins'] );
		$this->assertSame( KCO_VALIDATION_PLUGIN_VERSION, $h['Version'] );
		$readme = (string) file_get_contents( KCO_TEST_ROOT . '/php/readme.txt' );
		$this->assertStringContainsString( 'Stable tag: ' . $h['Version'], $readme );
		$this->assertStringContainsString( 'Requires PHP: 8.1', $readme );
	}

	public function test_main_file_hooks_and_hpos_declaration_and_no_translation_at_load(): void {
		$hooks = $GLOBALS['kco_test_main_file_hooks'];
		$this->assertArrayHasKey( 'plugins_loaded', $hooks );
		$this->assertArrayHasKey( 'before_woocommerce_init', $hooks );
		$GLOBALS['wp_filter']['before_woocommerce_init'] = clone $hooks['before_woocommerce_init'];
		do_action( 'before_woocommerce_init' );
		$this->assertSame( array( array( 'custom_order_tables', KCO_VALIDATION_PLUGIN_FILE, true ) ), \Automattic\WooCommerce\Utilities\FeaturesUtil::$declared );
		$this->assertSame( array(), $GLOBALS['kco_test_l10n_at_load'], 'no __() at file load' );
	}

	/**
	 * The .pot is made from php/ with GNU xgettext, from the repository root:
	 *
	 *     cd php && find . -name '*.php' -not -path './stubs/*' -not -path './bin/*' | sort > /tmp/kco-potfiles &&
	 *     xgettext --language=PHP --from-code=UTF-8 --keyword=__ --keyword=esc_html__ --keyword=esc_attr__ \
	 *       --keyword=_e --keyword=esc_html_e --keyword=_x:1,2c --keyword=_n:1,2 --add-comments=translators: \
	 *       --sort-by-file --package-name="KCO Validation" --package-version=0.1.0 -f /tmp/kco-potfiles \
	 *       -o languages/kco-validation.pot
	 *
	 * then set `charset=UTF-8` in its header.
	 */
	public function test_the_pot_file_holds_every_translatable_string(): void {
		$pot   = (string) file_get_contents( KCO_TEST_ROOT . '/php/languages/kco-validation.pot' );
		$found = 0;
		foreach ( array_merge( glob( KCO_TEST_ROOT . '/php/src/*.php' ), glob( KCO_TEST_ROOT . '/php/src/*/*.php' ) ) as $file ) {
			preg_match_all( "/__\\(\\s*'((?:[^'\\\\]|\\\\.)*)',\\s*'([a-z-]+)'\\s*\\)/", (string) file_get_contents( $file ), $m, PREG_SET_ORDER );
			foreach ( $m as $call ) {
				++$found;
				$this->assertSame( 'kco-validation', $call[2], $call[1] );
				$this->assertStringContainsString( 'msgid "' . addcslashes( stripslashes( $call[1] ), '"' ) . '"', str_replace( "\"\n\"", '', $pot ), 'php/languages/kco-validation.pot is stale (regenerate it as this test\'s doc says): ' . $call[1] );
			}
		}
		$this->assertGreaterThan( 40, $found );
	}

	public function test_autoloader_loads_plugin_classes_only(): void {
		$this->assertTrue( class_exists( 'KcoValidation\\Plugin\\Integration\\UrlToken' ) );
		$this->assertFalse( class_exists( 'KcoValidation\\Plugin\\..\\Nope' ) );
		$this->assertFalse( class_exists( 'KcoValidation\\Nope' ) );
	}

	public function test_every_plugin_file_lints_and_nothing_is_declared_in_the_bare_extension_namespace(): void {
		$files = array_merge( glob( KCO_TEST_ROOT . '/php/*.php' ), glob( KCO_TEST_ROOT . '/php/src/*.php' ), glob( KCO_TEST_ROOT . '/php/src/*/*.php' ) );
		$this->assertGreaterThan( 15, count( $files ) );
		foreach ( $files as $file ) {
			exec( escapeshellarg( PHP_BINARY ) . ' -n -l ' . escapeshellarg( $file ) . ' 2>&1', $out, $rc );
			$this->assertSame( 0, $rc, $file );
			$src = (string) file_get_contents( $file );
			$this->assertDoesNotMatchRegularExpression( '/^namespace\s+KcoValidation\s*[;{]/m', $src, $file );
			if ( str_contains( $file, '/src/' ) ) {
				$this->assertMatchesRegularExpression( '/^namespace KcoValidation\\\\Plugin(\\\\[A-Za-z]+)?;/m', $src, $file );
				$this->assertSame( 1, preg_match_all( '/^(final |abstract )?class /m', $src ), 'one class a file: ' . $file );
				$this->assertStringContainsString( "defined( 'ABSPATH' ) || exit;", $src, $file );
			}
		}
	}

	public function test_boot_with_the_extension_takes_over_the_endpoint_ahead_of_kco(): void {
		$plugin = new Plugin();
		$this->assertTrue( $plugin->boot() );
		$this->assertFalse( $plugin->boot(), 'boots once' );
		$this->assertSame( Endpoint::PRIORITY, has_action( 'woocommerce_api_kco_wc_validation', array( Plugin::class, 'handle_callback' ) ) );
		$this->assertLessThan( 10, Endpoint::PRIORITY );
		$this->assertNotFalse( has_filter( 'kco_wc_validation_url' ) );
		$this->assertNotFalse( has_filter( 'kco_wc_api_request_args' ) );
		$this->assertNotFalse( has_action( 'template_redirect' ) );
		$this->assertNotFalse( has_filter( 'site_status_tests' ) );
		$this->assertNotFalse( has_filter( 'woocommerce_get_settings_advanced' ) );
		$this->assertFalse( has_action( 'admin_notices' ) );
	}

	public function test_boot_without_the_extension_leaves_the_endpoint_alone_and_warns(): void {
		foreach ( array( null, '0.2.0', '0.0.9', '1.0.0' ) as $version ) {
			$GLOBALS['wp_filter'] = array();
			$this->assertFalse( ( new Plugin( new FakeRequirements( $version ) ) )->boot() );
			$this->assertFalse( has_action( 'woocommerce_api_kco_wc_validation' ), (string) $version );
			$this->assertFalse( has_filter( 'kco_wc_api_request_args' ) );
			$this->assertNotFalse( has_action( 'admin_notices' ) );
			$this->assertNotFalse( has_filter( 'site_status_tests' ) );
			$this->assertNotFalse( has_filter( 'woocommerce_get_settings_advanced' ), 'settings stay reachable' );
		}
	}

	public function test_boot_without_woocommerce(): void {
		$this->assertFalse( ( new Plugin( new FakeRequirements( '0.1.0', false ) ) )->boot() );
		$this->assertFalse( has_action( 'woocommerce_api_kco_wc_validation' ) );
		$this->assertFalse( has_filter( 'woocommerce_get_settings_advanced' ) );
		$this->assertNotFalse( has_action( 'admin_notices' ) );
	}

	public function test_requirements_with_the_real_extension(): void {
		$r = new Requirements();
		$this->assertTrue( $r->woocommerce_active() );
		$this->assertTrue( $r->extension_loaded() );
		$this->assertSame( \KcoValidation\version(), $r->extension_version() );
		$this->assertTrue( $r->extension_compatible(), 'the built extension is in the supported range' );
		$this->assertNull( $r->problem() );
		$this->assertSame( 'extension_missing', ( new FakeRequirements( null ) )->problem() );
		$this->assertSame( 'extension_incompatible', ( new FakeRequirements( '0.2.0' ) )->problem() );
		$this->assertNull( ( new FakeRequirements( '0.1.9' ) )->problem() );
		$this->assertSame( 'woocommerce_missing', ( new FakeRequirements( '0.1.0', false ) )->problem() );
	}

	public function test_site_health_good_and_critical(): void {
		$health = new HealthCheck( new Requirements() );
		$health->register();
		$tests = apply_filters( 'site_status_tests', array( 'direct' => array(), 'async' => array() ) );
		$this->assertSame( array( $health, 'run' ), $tests['direct']['kco_validation_extension']['test'] );
		$good = $health->run();
		$this->assertSame( 'good', $good['status'] );
		$this->assertStringContainsString( \KcoValidation\version(), $good['description'] );
		$this->assertSame( 'kco_validation_extension', $good['test'] );

		$bad = ( new HealthCheck( new FakeRequirements( '<b>0.9</b>' ) ) )->run();
		$this->assertSame( 'critical', $bad['status'] );
		$this->assertSame( 'red', $bad['badge']['color'] );
		$this->assertStringContainsString( '&lt;b&gt;0.9&lt;/b&gt;', $bad['description'] );
		$this->assertSame( 'critical', ( new HealthCheck( new FakeRequirements( null ) ) )->run()['status'] );
	}

	public function test_admin_notice_for_shop_managers_only_escaped(): void {
		$health = new HealthCheck( new FakeRequirements( null ) );
		ob_start();
		$health->admin_notice();
		$this->assertSame( '', ob_get_clean() );
		$GLOBALS['kco_test_caps'] = array( 'manage_woocommerce' );
		ob_start();
		$health->admin_notice();
		$html = (string) ob_get_clean();
		$this->assertStringStartsWith( '<div class="notice notice-error"><p>', $html );
		$this->assertStringContainsString( 'extension is not loaded', $html );
		ob_start();
		( new HealthCheck( new Requirements() ) )->admin_notice();
		$this->assertSame( '', ob_get_clean() );
	}

	public function test_response_sends_status_headers_body_and_ends(): void {
		$r = new CapturingResponse();
		$r->send( 303, 'https://shop.example/cart/?a', null, '' );
		$this->assertSame( 303, $r->status );
		$this->assertSame( 'https://shop.example/cart/?a', $r->header_value( 'Location' ) );
		$this->assertNull( $r->header_value( 'Content-Type' ) );
		$this->assertSame( '0', $r->header_value( 'Content-Length' ) );
		$this->assertStringContainsString( 'no-store', (string) $r->header_value( 'Cache-Control' ) );
		$this->assertSame( 1, $r->terminated );
		$r = new CapturingResponse();
		$r->send( 400, null, 'application/json', '{"a":1}' );
		$this->assertSame( '{"a":1}', $r->body );
		$this->assertSame( '7', $r->header_value( 'Content-Length' ) );
		$this->assertNull( $r->header_value( 'Location' ) );
	}

	public function test_response_url_helpers(): void {
		$this->assertSame( 'https://s.example/c/?x', Response::append_query( 'https://s.example/c/', 'x' ) );
		$this->assertSame( 'https://s.example/?page_id=7&x', Response::append_query( 'https://s.example/?page_id=7', 'x' ) );
		$this->assertSame( 'https://s.example/?x#top', Response::append_query( 'https://s.example/#top', 'x' ) );
		$this->assertSame( 'https://s.example/?x', Response::append_query( 'https://s.example/?', 'x' ) );
		$this->assertTrue( Response::valid_location( 'https://s.example/?a=1#b' ) );
		$this->assertFalse( Response::valid_location( '/relative' ) );
		$this->assertFalse( Response::valid_location( 'javascript:alert(1)' ) );
		$this->assertFalse( Response::valid_location( "https://s.example/\nX: y" ) );
		$this->assertFalse( Response::valid_location( null ) );
	}
}
