<?php
/**
 * The admin screen: rendered to HTML on the real MariaDB, checked as a DOM, then opened in headless Chromium
 * (Debian's chromium) which must show the rows and the chart; the screenshot is kept in tests/artifacts/.
 *
 * @package KcoValidation\Plugin\Tests\Tools
 */

namespace KcoValidation\Plugin\Tests\Tools;

use KcoValidation\Plugin\Tools\Chart;
use KcoValidation\Plugin\Tools\DecisionLog;
use KcoValidation\Plugin\Tools\LogScreen;
use KcoValidation\Plugin\Tools\Replay;
use KcoValidation\Plugin\Tools\ToolsBootstrap;

class LogScreenTest extends ToolsTestCase {

	const NOW = 1795478400 + 15 * 3600; // 2026-11-24 15:00 UTC.

	/** 40 decisions over the last 14 days: mostly approved, some denied, one rejected. */
	private static function seed(): DecisionLog {
		$log = self::install_log();
		for ( $i = 0; $i < 40; $i++ ) {
			$denied = 0 === $i % 4;
			$log->record(
				sprintf( 'a1b2c3d4-0000-4000-8000-%012d', $i ),
				39 === $i ? 'rejected' : ( $denied ? 'denied' : 'approved' ),
				39 === $i ? array( 'invalid_request' ) : ( $denied ? array( 0 === $i % 8 ? 'out_of_stock' : 'coupon_expired' ) : array() ),
				20.0 + ( $i * 37 ) % 300,
				39 === $i ? 400 : ( $denied ? 303 : 200 ),
				self::NOW - ( $i % 14 ) * DAY_IN_SECONDS - $i * 60
			);
		}
		return $log;
	}

	private static function dom( string $html ): \DOMXPath {
		$doc = new \DOMDocument();
		libxml_use_internal_errors( true );
		$doc->loadHTML( '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>' . $html . '</body></html>' );
		libxml_clear_errors();
		return new \DOMXPath( $doc );
	}

	private static function screen( array $factories = array() ): LogScreen {
		return new LogScreen( $factories );
	}

	public function test_submenu_under_woocommerce_for_shop_managers(): void {
		ToolsBootstrap::register();
		do_action( 'admin_menu' );
		$this->assertCount( 1, $GLOBALS['kco_test_submenus'] );
		$menu = $GLOBALS['kco_test_submenus'][0];
		$this->assertSame( 'woocommerce', $menu['parent_slug'] );
		$this->assertSame( 'manage_woocommerce', $menu['capability'] );
		$this->assertSame( LogScreen::SLUG, $menu['menu_slug'] );
		do_action( 'admin_enqueue_scripts', 'woocommerce_page_' . LogScreen::SLUG );
		$this->assertStringEndsWith( '/assets/log-screen.css', $GLOBALS['kco_test_styles']['kco-validation-log'] );
		$this->assertFileExists( KCO_TEST_ROOT . '/php/assets/log-screen.css' );
	}

	public function test_refused_without_manage_woocommerce(): void {
		self::seed();
		$html = self::screen()->html( array(), array(), false, self::NOW );
		$this->assertStringContainsString( 'not allowed', $html );
		$this->assertStringNotContainsString( '<table', $html );
	}

	public function test_rows_paging_filters_and_chart(): void {
		$GLOBALS['kco_test_caps'] = array( 'manage_woocommerce' );
		self::seed();
		$x = self::dom( self::screen()->html( array( 'page' => LogScreen::SLUG ), array(), false, self::NOW ) );

		$this->assertSame( LogScreen::PER_PAGE, $x->query( '//table[contains(@class,"kco-log-table")]/tbody/tr[contains(@class,"kco-log-row")]' )->length );
		$this->assertStringContainsString( '40 decisions, page 1 of 2', $x->query( '//span[@class="displaying-num"]' )->item( 0 )->textContent );
		$next = $x->query( '//a[contains(@class,"next-page")]' )->item( 0 );
		$this->assertStringContainsString( 'paged=2', $next->getAttribute( 'href' ) );
		$this->assertSame( 0, $x->query( '//a[contains(@class,"prev-page")]' )->length );
		$this->assertSame( array( '', 'coupon_expired', 'out_of_stock' ), array_map( static fn ( $o ) => $o->getAttribute( 'value' ), iterator_to_array( $x->query( '//select[@name="code"]/option' ) ) ), 'failure codes only' );

		// The chart: one bar segment per (day, outcome) with decisions, counts adding up to all 40.
		$bars  = $x->query( '//svg//rect[contains(@class,"kco-bar")]' );
		$total = 0;
		foreach ( $bars as $bar ) {
			$total += (int) $bar->getAttribute( 'data-count' );
		}
		$this->assertSame( 40, $total );
		$this->assertSame( 14, $x->query( '//svg//circle[contains(@class,"kco-p95")]' )->length, 'a p95 point per day with decisions' );
		$this->assertSame( 1, $x->query( '//svg//polyline[contains(@class,"kco-p95-line")]' )->length );

		$denied = self::dom( self::screen()->html( array( 'outcome' => 'denied', 'paged' => '1' ), array(), false, self::NOW ) );
		$rows   = $denied->query( '//tr[contains(@class,"kco-log-row")]' );
		$this->assertSame( 10, $rows->length );
		foreach ( $rows as $row ) {
			$this->assertSame( 'denied', trim( $denied->query( './/span[contains(@class,"kco-outcome")]', $row )->item( 0 )->textContent ) );
		}
		$coded = self::dom( self::screen()->html( array( 'code' => 'out_of_stock' ), array(), false, self::NOW ) );
		$this->assertSame( 5, $coded->query( '//tr[contains(@class,"kco-log-row")]' )->length );
		$page2 = self::dom( self::screen()->html( array( 'paged' => '2' ), array(), false, self::NOW ) );
		$this->assertSame( 15, $page2->query( '//tr[contains(@class,"kco-log-row")]' )->length );
		$this->assertSame( 1, $page2->query( '//a[contains(@class,"prev-page")]' )->length );
	}

	public function test_chart_follows_the_filters_refusals_apart_and_both_times_shown(): void {
		$GLOBALS['kco_test_caps'] = array( 'manage_woocommerce' );
		$log                      = self::seed();
		// Two requests refused as not valid callbacks, logged as the endpoint logs them; one decision with Klarna's wait.
		$log->record( 'r-1', 'rejected', array( 'invalid_request', 'token' ), 0.4, 400, self::NOW - 30 );
		$log->record( 'r-2', 'rejected', array( 'invalid_request', 'payload' ), 0.6, 400, self::NOW - 20 );
		$log->record( 'w-1', 'approved', array(), 8.0, 200, self::NOW - 10, 0, 96.5 );

		$x = self::dom( self::screen()->html( array( 'code' => 'out_of_stock' ), array(), false, self::NOW ) );
		$total = 0;
		foreach ( $x->query( '//svg//rect[contains(@class,"kco-bar")]' ) as $bar ) {
			$this->assertStringContainsString( 'kco-bar-denied', $bar->getAttribute( 'class' ) );
			$total += (int) $bar->getAttribute( 'data-count' );
		}
		$this->assertSame( 5, $total, 'the chart counts what the table lists' );

		$this->assertSame( array( '', 'token', 'payload' ), array_map( static fn ( $o ) => $o->getAttribute( 'value' ), iterator_to_array( $x->query( '//select[@name="refusal"]/option' ) ) ), 'refusal reasons in their own list, as seen' );
		$refused = self::dom( self::screen()->html( array( 'refusal' => 'token' ), array(), false, self::NOW ) );
		$rows    = $refused->query( '//tr[contains(@class,"kco-log-row")]' );
		$this->assertSame( 1, $rows->length );
		$this->assertStringContainsString( 'r-1', $rows->item( 0 )->textContent );
		$this->assertSame( 1, (int) $refused->query( '//svg//rect[contains(@class,"kco-bar")]' )->item( 0 )->getAttribute( 'data-count' ) );

		$all = self::dom( self::screen()->html( array(), array(), false, self::NOW ) );
		$heads = array_map( static fn ( $th ) => trim( $th->textContent ), iterator_to_array( $all->query( '//table[contains(@class,"kco-log-table")]/thead//th' ) ) );
		$this->assertContains( 'Klarna\'s wait', $heads );
		$this->assertContains( 'Our part', $heads );
		$first = $all->query( '//tr[contains(@class,"kco-log-row")][.//code[.="w-1"]]' )->item( 0 );
		$this->assertSame( '96.5 ms', trim( $all->query( './/td[contains(@class,"kco-wait")]', $first )->item( 0 )->textContent ) );
		$this->assertSame( '8.0 ms', trim( $all->query( './/td[contains(@class,"kco-own")]', $first )->item( 0 )->textContent ) );
		$this->assertStringContainsString( 'from the request\'s arrival', $all->query( '//p[contains(@class,"kco-times-note")]' )->item( 0 )->textContent );
		$this->assertSame( 1, $all->query( '//code[contains(@class,"kco-order-id")][.="w-1"]' )->length, 'order ids in a no-wrap cell' );
		$css = (string) file_get_contents( KCO_TEST_ROOT . '/php/assets/log-screen.css' );
		$this->assertMatchesRegularExpression( '/code\.kco-order-id \{[^}]*white-space: nowrap/', $css );
	}

	public function test_chart_numbers(): void {
		$days = array(
			array( 'day' => '2026-11-23', 'counts' => array( 'approved' => 3, 'denied' => 1 ), 'total' => 4, 'p95_ms' => 120.5 ),
			array( 'day' => '2026-11-24', 'counts' => array( 'approved' => 0, 'denied' => 2 ), 'total' => 2, 'p95_ms' => 3500.0 ),
			array( 'day' => '2026-11-25', 'counts' => array(), 'total' => 0, 'p95_ms' => null ),
		);
		$svg = new \DOMDocument();
		$this->assertTrue( $svg->loadXML( Chart::svg( $days ) ), 'well-formed SVG' );
		$x = new \DOMXPath( $svg );
		$x->registerNamespace( 's', 'http://www.w3.org/2000/svg' );
		$bars = array();
		foreach ( $x->query( '//s:rect' ) as $rect ) {
			$bars[] = array( $rect->getAttribute( 'data-day' ), $rect->getAttribute( 'class' ), (int) $rect->getAttribute( 'data-count' ), (float) $rect->getAttribute( 'height' ) );
		}
		// Axis maximum nice(4) = 5 decisions over a 188 px plot: 3 → 112.8 px, 1 → 37.6, 2 → 75.2.
		$this->assertSame(
			array(
				array( '2026-11-23', 'kco-bar kco-bar-approved', 3, 112.8 ),
				array( '2026-11-23', 'kco-bar kco-bar-denied', 1, 37.6 ),
				array( '2026-11-24', 'kco-bar kco-bar-denied', 2, 75.2 ),
			),
			$bars
		);
		$this->assertSame( array( '120.5', '3500' ), array_map( static fn ( $c ) => $c->getAttribute( 'data-p95' ), iterator_to_array( $x->query( '//s:circle' ) ) ) );
		$this->assertSame( 1, $x->query( '//s:line[@class="kco-budget"]' )->length, 'Klarna\'s 3 s marked when a p95 reaches it' );

		$days[1]['p95_ms'] = 80.0;
		$svg->loadXML( Chart::svg( $days ) );
		$this->assertSame( 0, ( new \DOMXPath( $svg ) )->query( '//*[@class="kco-budget"]' )->length );
		$this->assertSame( 5.0, Chart::nice( 4 ) );
		$this->assertSame( 200.0, Chart::nice( 101 ) );
	}

	public function test_replay_form_needs_its_nonce_and_escapes_the_pasted_body(): void {
		$GLOBALS['kco_test_caps'] = array( 'manage_woocommerce' );
		self::install_log();
		$calls  = 0;
		$replay = function () use ( &$calls ): Replay {
			++$calls;
			return Replay::create();
		};
		$evil = '</textarea><script>alert(1)</script>{"order_id":"x"}';

		$forged = self::dom( self::screen( array( 'replay' => $replay ) )->html( array(), array( 'kco_validation_replay' => '1', '_wpnonce' => 'nope', 'kco_body' => $evil ), true, self::NOW ) );
		$this->assertSame( 0, $calls, 'no replay without the nonce' );
		$this->assertStringContainsString( 'expired', $forged->query( '//div[contains(@class,"notice-error")]' )->item( 0 )->textContent );

		$post = array( 'kco_validation_replay' => '1', '_wpnonce' => wp_create_nonce( LogScreen::NONCE_REPLAY ), 'kco_body' => $evil, 'kco_session' => '' );
		$x    = self::dom( self::screen( array( 'replay' => $replay ) )->html( array(), $post, true, self::NOW ) );
		$this->assertSame( 1, $calls );
		$this->assertSame( 0, $x->query( '//script' )->length, 'the pasted body is text, never markup' );
		$this->assertSame( $evil, $x->query( '//textarea[@name="kco_body"]' )->item( 0 )->textContent );
		$this->assertStringContainsString( 'error: not a Klarna order', $x->query( '//div[contains(@class,"kco-replay-result")]//pre' )->item( 0 )->textContent );
	}

	public function test_replay_form_shows_every_reason(): void {
		$GLOBALS['kco_test_caps'] = array( 'manage_woocommerce' );
		self::install_log();
		$id   = \KcoValidation\Plugin\Tests\Shop::product( array( 'sku' => 'MUG', 'name' => 'Blue mug', 'manage_stock' => true, 'stock' => 1 ) );
		$json = self::klarna_order( array( array( 'MUG', 2, 10000 ) ) );
		\KcoValidation\Plugin\Tests\Shop::session( self::GUEST, self::cart_for( $json, array( 'MUG' => $id ) ) );
		$post = array( 'kco_validation_replay' => '1', '_wpnonce' => wp_create_nonce( LogScreen::NONCE_REPLAY ), 'kco_body' => $json, 'kco_session' => self::GUEST );
		$x    = self::dom( self::screen()->html( array(), $post, true, self::NOW ) );
		$text = $x->query( '//div[contains(@class,"kco-replay-result")]//pre' )->item( 0 )->textContent;
		$this->assertStringContainsString( 'decision: denied', $text );
		$this->assertMatchesRegularExpression( '/reason 1: \[insufficient_stock\] MUG: .*Blue mug/', $text );
		$this->assertSame( 0, ( new DecisionLog() )->query()['total'], 'replay writes no log row' );
	}

	public function test_check_now_runs_the_doctor_with_its_nonce(): void {
		$GLOBALS['kco_test_caps'] = array( 'manage_woocommerce' );
		self::install_log();
		$doctor = static fn () => new \KcoValidation\Plugin\Tools\Doctor( static fn () => array( 'headers' => array( 'cf-ray' => '1-ARN', 'cf-mitigated' => 'challenge' ), 'body' => '', 'response' => array( 'code' => 403 ) ) );
		$post   = array( 'kco_validation_doctor' => '1', '_wpnonce' => wp_create_nonce( LogScreen::NONCE_DOCTOR ) );
		$x      = self::dom( self::screen( array( 'doctor' => $doctor ) )->html( array(), $post, true, self::NOW ) );
		$this->assertStringContainsString( 'blocker:  cloudflare', $x->query( '//div[contains(@class,"kco-doctor-result")]' )->item( 0 )->textContent );
	}

	public function test_rendered_in_headless_chromium(): void {
		$GLOBALS['kco_test_caps'] = array( 'manage_woocommerce' );
		self::seed();
		$css  = (string) file_get_contents( KCO_TEST_ROOT . '/php/assets/log-screen.css' );
		$page = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Klarna validation log</title>"
			. '<style>body{font-family:sans-serif;font-size:13px;background:#f0f0f1;color:#1d2327;margin:16px}table.widefat{border-collapse:collapse;background:#fff;width:100%;max-width:980px}table.widefat td,table.widefat th{border-bottom:1px solid #dcdcde;padding:6px 8px;text-align:left}.striped>tbody>tr:nth-child(odd){background:#f6f7f7}.button{display:inline-block;padding:2px 10px;border:1px solid #2271b1;color:#2271b1;background:#f6f7f7;border-radius:3px;text-decoration:none}</style>'
			. '<style>' . $css . '</style></head><body class="wp-admin">' . self::screen()->html( array( 'page' => LogScreen::SLUG ), array(), false, self::NOW ) . '</body></html>';
		$html = self::artifact( 'log-screen.html', $page );
		$png  = self::ARTIFACTS . '/log-screen.png';
		@unlink( $png );

		$dom = self::chromium( array( '--dump-dom', 'file://' . $html ) );
		$this->assertSame( 0, $dom[0], $dom[2] );
		$x = self::dom( $dom[1] );
		$this->assertSame( LogScreen::PER_PAGE, $x->query( '//tr[contains(@class,"kco-log-row")]' )->length, 'Chromium\'s DOM has the rows' );
		$this->assertGreaterThan( 0, $x->query( '//svg//rect[contains(@class,"kco-bar")]' )->length, 'and the chart' );

		$shot = self::chromium( array( '--screenshot=' . $png, '--window-size=1000,1300', '--hide-scrollbars', 'file://' . $html ) );
		$this->assertSame( 0, $shot[0], $shot[2] );
		$this->assertFileExists( $png );
		$info = getimagesize( $png );
		$this->assertSame( array( 1000, 1300 ), array( $info[0], $info[1] ) );
		$this->assertSame( 'image/png', $info['mime'] );

		// The chart was painted: the approved and denied bar colours and the p95 line colour are on the screenshot.
		$image = imagecreatefrompng( $png );
		$seen  = array();
		for ( $y = 0; $y < 1300; $y += 2 ) {
			for ( $xx = 0; $xx < 1000; $xx += 2 ) {
				$rgb = imagecolorat( $image, $xx, $y );
				$seen[ sprintf( '#%06x', $rgb & 0xFFFFFF ) ] = true;
			}
		}
		foreach ( array( Chart::COLOURS['approved'], Chart::COLOURS['denied'], Chart::LINE ) as $colour ) {
			$this->assertArrayHasKey( $colour, $seen, "colour {$colour} painted" );
		}
	}

	/**
	 * Runs headless Chromium with a fresh profile; returns [exit code, stdout, stderr]. Killed after 90 s.
	 *
	 * @param list<string> $args Extra arguments.
	 * @return array{0: int, 1: string, 2: string}
	 */
	private static function chromium( array $args ): array {
		$profile = sys_get_temp_dir() . '/kco-chromium-' . bin2hex( random_bytes( 6 ) );
		mkdir( $profile );
		$cmd = array_merge(
			array( 'timeout', '-k', '5', '90', '/usr/bin/chromium', '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage', '--user-data-dir=' . $profile ),
			$args
		);
		$p   = proc_open( $cmd, array( 0 => array( 'file', '/dev/null', 'r' ), 1 => array( 'pipe', 'w' ), 2 => array( 'pipe', 'w' ) ), $pipes, null, array( 'HOME' => $profile, 'PATH' => (string) getenv( 'PATH' ) ) );
		$out = stream_get_contents( $pipes[1] );
		$err = stream_get_contents( $pipes[2] );
		fclose( $pipes[1] );
		fclose( $pipes[2] );
		$code = proc_close( $p );
		exec( 'rm -rf ' . escapeshellarg( $profile ) );
		return array( $code, (string) $out, (string) $err );
	}
}
