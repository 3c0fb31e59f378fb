<?php
/**
 * The hostile corpus of tests/hostile (manifest.json, bodies/, generate.php; owned by another suite) POSTed over
 * HTTP to a shop equivalent to the corpus' store (examples/store.json: the example order's two products, its
 * matching guest session; a case's own store switches error_json mode or binds the session to the example's
 * Klarna order).
 *
 * Every case: never a 5xx; status 200, 303 or 400; every header line one printable line with a name the server
 * is expected to send (no header built from input); one log line whose outcome matches the status (never an
 * internal fault); a 400 has a short JSON error; a 303 goes to our cart or checkout page with nothing but flags and
 * known codes, and that page shows every reason; the PHP error log stays empty. The manifest's HTTP answer
 * (`http`: status, and location or error_type/error_text; see tests/hostile/README.md) must be exactly that, with
 * the store's cart/checkout URLs standing for this shop's /cart/ and /checkout/ (under shop_url()). The same request run in-process
 * through the plugin's Endpoint must give the same answer.
 *
 * Run only when tests/hostile/manifest.json exists (scripts/test-e2e.sh excludes the group otherwise).
 *
 * @group hostile
 * @package KcoValidation\Plugin\Tests\E2E
 */

namespace KcoValidation\Plugin\Tests\E2E;

use KcoValidation\Plugin\Tests\Shop;

/**
 * The hostile corpus (see the file comment). PHPUnit reads @group from the class's own doc comment, not the file's.
 *
 * @group hostile
 */
class HostileE2eTest extends E2eTestCase {

	const DIR = KCO_TEST_ROOT . '/tests/hostile';

	/** The plugin's body cap (Settings::DEFAULT_MAX_BODY_BYTES). */
	const CAP = 1048576;

	public static function setUpBeforeClass(): void {
		parent::setUpBeforeClass();
		require_once self::DIR . '/generate.php';
	}

	public function cases(): array {
		$manifest = json_decode( (string) file_get_contents( self::DIR . '/manifest.json' ), true );
		$cases    = array();
		foreach ( is_array( $manifest ) ? ( $manifest['cases'] ?? array() ) : array() as $case ) {
			$cases[ $case['name'] ] = array( $case );
		}
		return $cases;
	}

	/** The HTTP status the manifest gives for a case, or null. */
	private static function expected_status( array $case, string $body ): ?int {
		$http = $case['http'] ?? null;
		if ( is_int( $http ) ) {
			return $http;
		}
		if ( is_array( $http ) && is_int( $http['status'] ?? null ) ) {
			return $http['status'];
		}
		return strlen( $body ) > self::CAP ? 400 : null;
	}

	/**
	 * @dataProvider cases
	 */
	public function test_hostile_body_over_http( array $case ): void {
		$body  = isset( $case['file'] ) ? (string) file_get_contents( self::DIR . '/' . $case['file'] ) : kco_hostile_generate( $case['generate'] );
		$store = json_decode( (string) file_get_contents( self::DIR . '/' . ( $case['store'] ?? json_decode( (string) file_get_contents( self::DIR . '/manifest.json' ), true )['store'] ) ), true );

		// The example store as rows: KOPP-STG-01 managed (12, one held by another order), LINNE-150x250 unmanaged.
		$example = (string) file_get_contents( KCO_TEST_ROOT . '/examples/order.json' );
		$cup     = Shop::product( array( 'sku' => 'KOPP-STG-01', 'name' => 'Kaffekopp i stengods, 30 cl', 'manage_stock' => true, 'stock' => 12 ) );
		$linen   = Shop::product( array( 'sku' => 'LINNE-150x250', 'name' => 'Linneduk 150x250 cm, naturvit' ) );
		Shop::reservation( $cup, 1 );
		$extra = array( 'shipping_for_package_0' => Shop::shipping_package( array( 'flat_rate:3', 'local_pickup:4' ) ) );
		$bound = $store['session']['klarna_order_id'] ?? null;
		$extra['kco_wc_order_id'] = is_string( $bound ) ? $bound : null;
		$session = self::cart_for( $example, array( 'KOPP-STG-01' => $cup, 'LINNE-150x250' => $linen ), $extra );
		if ( null === $session['kco_wc_order_id'] ) {
			unset( $session['kco_wc_order_id'] );
		}
		Shop::session( self::GUEST, $session );
		$error_json = 'error_json' === ( $store['options']['response_mode'] ?? 'redirect' );
		if ( $error_json ) {
			update_option( 'kco_validation_response_mode', 'error_json' );
		}

		$r    = $this->klarna_post( $body );
		$info = $case['name'] . ': ' . ( $case['exercises'] ?? '' ) . "\n" . $r->describe();

		$this->assertContains( $r->status, array( 200, 303, 400 ), $info );
		$expected = self::expected_status( $case, $body );
		if ( null !== $expected ) {
			$this->assertSame( $expected, $r->status, $info );
		}
		// The manifest's answer names the store's cart/checkout URLs; this shop's are /cart/ and /checkout/ here.
		$http = is_array( $case['http'] ?? null ) ? $case['http'] : array();
		if ( isset( $http['location'] ) ) {
			$location = $http['location'];
			foreach ( array( 'cart', 'checkout' ) as $page ) {
				$url = $store['urls'][ $page ] ?? null;
				if ( is_string( $url ) && str_starts_with( $location, $url ) ) {
					$location = self::shop_url( '/' . $page . '/' ) . substr( $location, strlen( $url ) );
					break;
				}
			}
			$this->assertSame( $location, $this->without_details( $r->header( 'Location' ) ), $info );
		}
		foreach ( array( 'error_type', 'error_text' ) as $key ) {
			if ( isset( $http[ $key ] ) ) {
				$this->assertSame( $http[ $key ], $r->json()[ $key ] ?? null, $info );
			}
		}

		// An invalid payload (the extension refuses to parse it) or an oversized body is a 400 invalid_request;
		// anything the extension parses is a decision, never invalid_request.
		$invalid = strlen( $body ) > self::CAP;
		if ( ! $invalid ) {
			try {
				\KcoValidation\Order::parse( $body );
			} catch ( \KcoValidation\InvalidPayload $e ) {
				$invalid = true;
			}
		}
		if ( $invalid ) {
			$this->assert_invalid_request( $r, strlen( $body ) > self::CAP ? 'body too large' : 'not a Klarna order' );
		} else {
			$this->assertNotSame( 'invalid_request', $r->json()['error_type'] ?? null, $info );
			$this->assertContains( $r->status, $error_json ? array( 200, 400 ) : array( 200, 303 ), $info );
		}

		// The same request handled in this process by the plugin's Endpoint (same database, same options) gives
		// the same answer: the HTTP stack adds nothing and loses nothing.
		$local = $this->post_callback( $body, array( 'kco-action' => 'validation', 'kco_session_id' => self::GUEST ) );
		$this->assertSame( $local->status, $r->status, 'HTTP and in-process answers agree: ' . $info );
		$this->assertSame( $local->header_value( 'Location' ), $r->header( 'Location' ) );
		$this->assertSame( $local->body, $r->body );

		$lines = $this->new_log_lines();
		$this->assertCount( 1, $lines, "one log line:\n" . implode( "\n", $lines ) . "\n" . $info );
		$this->assertDoesNotMatchRegularExpression( '/ outcome=fault/', $lines[0], 'hostile input is not an internal fault: ' . $info );
		$this->assertStringContainsString( ' status=' . $r->status . ' ', $lines[0] );

		if ( 200 === $r->status ) {
			$this->assertStringContainsString( ' outcome=approved ', $lines[0] );
			$this->assertSame( '', $r->body );
			return;
		}
		if ( 303 === $r->status ) {
			$this->assertStringContainsString( ' outcome=denied ', $lines[0] );
			$this->assertFalse( $error_json, 'error_json mode never redirects' );
			$location = (string) $r->header( 'Location' );
			$this->assertMatchesRegularExpression( '~^' . preg_quote( self::shop_url(), '~' ) . '/(cart|checkout)/\?[a-z_]+&kco_validation=[a-z_]+(,[a-z_]+)*$~D', (string) $this->without_details( $location ), $info );
			$this->assertSame( '', $r->body );
			$this->assert_page_shows_reasons( $location, str_contains( $location, '/cart/' ) ? 'cart' : 'checkout' );
			return;
		}
		$json = $r->json();
		$this->assertIsArray( $json, $info );
		$this->assertStringStartsWith( 'application/json', (string) $r->header( 'Content-Type' ) );
		$this->assertContains( $json['error_type'] ?? null, array( 'invalid_request', 'approval_failed', 'address_error', 'shipping_error' ), $info );
		$this->assertIsString( $json['error_text'] ?? null );
		if ( 'invalid_request' === $json['error_type'] ) {
			$this->assertLessThan( 200, strlen( $r->body ), 'a short JSON error' );
			$this->assertStringContainsString( ' outcome=rejected ', $lines[0] );
		} else {
			$this->assertTrue( $error_json, 'a denial answers 400 only in error_json mode: ' . $info );
			$this->assertStringContainsString( ' outcome=denied ', $lines[0] );
		}
	}
}
