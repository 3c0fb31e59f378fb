<?php
/**
 * The endpoint's request handling: method, size, payload, token, session, faults, hooks, logging, dispatch.
 *
 * @package KcoValidation\Plugin\Tests
 */

namespace KcoValidation\Plugin\Tests;

use KcoValidation\Plugin\Request\Endpoint;
use KcoValidation\Plugin\Integration\UrlToken;
use KcoValidation\Plugin\Plugin;

class EndpointTest extends TestCase {

	/** A shop with the two products of fixture 01 and a matching guest session. */
	private function shop_for_fixture_01( string $key = self::GUEST, array $extra = array() ): string {
		$cup   = Shop::product( array( 'sku' => 'KOPP-STG-01', 'manage_stock' => true, 'stock' => 10 ) );
		$linen = Shop::product( array( 'sku' => 'LINNE-150x250' ) );
		$json  = self::fixture( '01-se-sek-basic.json' );
		Shop::session( $key, self::cart_for( $json, array( 'KOPP-STG-01' => $cup, 'LINNE-150x250' => $linen ), $extra ) );
		return $json;
	}

	private function assert_invalid_request( CapturingResponse $r ): void {
		$this->assertSame( 400, $r->status );
		$this->assertSame( 'application/json', $r->header_value( 'Content-Type' ) );
		$this->assertNull( $r->header_value( 'Location' ) );
		$this->assertSame( 'invalid_request', $r->json()['error_type'] );
		$this->assertIsString( $r->json()['error_text'] );
		$lines = self::decision_lines();
		$this->assertCount( 1, $lines );
		$this->assertSame( 'warning', $lines[0]['level'] );
		$this->assertStringContainsString( 'outcome=rejected', $lines[0]['message'] );
		$this->assertStringContainsString( 'status=400', $lines[0]['message'] );
	}

	public function test_get_is_refused_with_400_json(): void {
		$json = $this->shop_for_fixture_01();
		self::reset_queries();
		$r = $this->post_callback( $json, array( 'kco_session_id' => self::GUEST ), 'GET' );
		$this->assert_invalid_request( $r );
		$this->assertSame( array(), self::queries(), 'no session is read for a refused request' );
	}

	public function test_oversized_body_by_content_length_is_refused(): void {
		add_filter( 'kco_validation_max_body_bytes', static fn () => 2048 );
		$r = $this->post_callback( str_repeat( ' ', 4096 ) . '{}', array( 'kco_session_id' => self::GUEST ) );
		$this->assert_invalid_request( $r );
		$this->assertSame( 'body too large', $r->json()['error_text'] );
	}

	public function test_oversized_body_without_content_length_is_refused_after_reading_at_most_the_cap(): void {
		add_filter( 'kco_validation_max_body_bytes', static fn () => 2048 );
		$file = tempnam( sys_get_temp_dir(), 'kco' );
		file_put_contents( $file, str_repeat( 'x', 10000 ) );
		$_SERVER['REQUEST_METHOD'] = 'POST';
		unset( $_SERVER['CONTENT_LENGTH'] );
		$r = new CapturingResponse();
		Endpoint::create( $r, $file )->handle();
		unlink( $file );
		$this->assert_invalid_request( $r );
	}

	public function test_the_default_cap_is_one_mebibyte_and_a_fixture_fits(): void {
		$json = $this->shop_for_fixture_01();
		$this->assertSame( 1048576, \KcoValidation\Plugin\Settings::load()->max_body_bytes() );
		$this->assertSame( 200, $this->post_callback( $json, array( 'kco_session_id' => self::GUEST ) )->status );
	}

	public function test_garbage_body_is_refused_and_logged_without_the_body(): void {
		$r = $this->post_callback( '{"order_id": [1,2,3], "secret":"sofia@example.se"}', array( 'kco_session_id' => self::GUEST ) );
		$this->assert_invalid_request( $r );
		$this->assertSame( 'not a Klarna order', $r->json()['error_text'] );
		$this->assertStringNotContainsString( 'sofia@example.se', json_encode( self::log_entries() ) );
		$this->assertSame( array(), self::queries() );
	}

	public function test_non_json_body_is_refused(): void {
		$this->assert_invalid_request( $this->post_callback( "\x00\xff<html>", array() ) );
	}

	public function test_wrong_token_is_refused_without_touching_any_session(): void {
		$json = $this->shop_for_fixture_01();
		self::reset_queries();
		$r = $this->post_callback( $json, array( 'kco_session_id' => self::GUEST, UrlToken::QUERY_ARG => str_repeat( 'a', 64 ) ) );
		$this->assert_invalid_request( $r );
		$this->assertSame( 'invalid token', $r->json()['error_text'] );
		$this->assertSame( array(), self::queries() );
	}

	public function test_token_of_another_session_is_refused(): void {
		$json = $this->shop_for_fixture_01();
		$r    = $this->post_callback( $json, array( 'kco_session_id' => self::GUEST, UrlToken::QUERY_ARG => UrlToken::create( '17' ) ) );
		$this->assertSame( 400, $r->status );
	}

	public function test_right_token_is_accepted(): void {
		$json = $this->shop_for_fixture_01();
		$r    = $this->post_callback( $json, array( 'kco_session_id' => self::GUEST, UrlToken::QUERY_ARG => UrlToken::create( self::GUEST ) ) );
		$this->assertSame( 200, $r->status );
	}

	/**
	 * Locked by default (issue 13): a URL without the token is refused wherever the plugin builds the URLs (KCO
	 * 1.11+, Kustom Checkout 2.x, or no KCO at all), and accepted only while KCO 1.10 or older is active (it builds
	 * its URLs itself and cannot add one), unless the setting refuses those too. The filter has the last word.
	 */
	public function test_url_without_token_is_refused_unless_kco_1_10_or_older_is_active(): void {
		$json      = $this->shop_for_fixture_01();
		$untokened = array(
			'kco_session_id'   => self::GUEST,
			UrlToken::QUERY_ARG => null,
		);
		$version   = null;
		add_filter(
			'kco_validation_kco_version',
			static function () use ( &$version ) {
				return $version;
			}
		);
		foreach ( array( null, '1.11.0', '1.11.8', '2.14.4' ) as $version ) {
			$r = $this->post_callback( $json, $untokened );
			$this->assertSame( 400, $r->status, 'KCO ' . var_export( $version, true ) );
			$this->assertSame( 'invalid token', $r->json()['error_text'] );
			$this->assertSame( 200, $this->post_callback( $json, array( 'kco_session_id' => self::GUEST ) )->status, 'with the token' );
		}
		foreach ( array( '1.10.4', '1.0.0' ) as $version ) {
			$this->assertSame( 200, $this->post_callback( $json, $untokened )->status, "KCO {$version} cannot add the token" );
		}
		update_option( 'kco_validation_untokened_urls', 'never' );
		$this->assertSame( 400, $this->post_callback( $json, $untokened )->status, 'the setting refuses KCO 1.10 URLs too' );
		update_option( 'kco_validation_untokened_urls', 'kco_1_10' );
		add_filter( 'kco_validation_require_token', static fn () => true );
		$this->assertSame( 400, $this->post_callback( $json, $untokened )->status, 'the filter has the last word' );
		remove_all_filters( 'kco_validation_require_token' );
		$version = '1.11.8';
		add_filter( 'kco_validation_require_token', static fn () => false );
		$this->assertSame( 200, $this->post_callback( $json, $untokened )->status, 'both ways' );
		$this->assertSame( 400, $this->post_callback( $json, array( 'kco_session_id' => self::GUEST, UrlToken::QUERY_ARG => str_repeat( 'a', 64 ) ) )->status, 'a token that is present is always checked' );
	}

	public function test_missing_session_is_denied_with_session_missing(): void {
		$json = $this->shop_for_fixture_01();
		$r    = $this->post_callback( $json, array( 'kco_session_id' => 'ffffffffffffffffffffffffffffffff' ) );
		$this->assertSame( 303, $r->status );
		$this->assertContains( 'session_missing', explode( ',', self::location_query( $r->header_value( 'Location' ) )['kco_validation'] ) );
	}

	public function test_empty_session_id_is_denied_and_reads_no_session(): void {
		$json = $this->shop_for_fixture_01();
		self::reset_queries();
		// Without a session id there is no token: refused (locked by default), reading nothing.
		$r = $this->post_callback( $json, array() );
		$this->assertSame( 400, $r->status );
		$this->assertSame( array(), self::queries() );
		// Where such URLs are accepted (KCO 1.10 active): no session, and none read.
		add_filter( 'kco_validation_kco_version', static fn () => '1.10.4' );
		$r = $this->post_callback( $json, array() );
		$this->assertSame( 303, $r->status );
		$this->assertContains( 'session_missing', explode( ',', self::location_query( $r->header_value( 'Location' ) )['kco_validation'] ) );
		foreach ( self::queries() as $sql ) {
			$this->assertStringNotContainsString( 'woocommerce_sessions', $sql );
		}
	}

	public function test_malformed_session_ids_are_no_session(): void {
		$json = $this->shop_for_fixture_01();
		foreach ( array( "1 OR 1=1", 'T_0123456789ABCDEF0123456789ABCD', '../../etc', 'abc' ) as $bad ) {
			$r = $this->post_callback( $json, array( 'kco_session_id' => $bad ) );
			$this->assertSame( 303, $r->status, $bad );
			$this->assertStringNotContainsString( 'etc', (string) $r->header_value( 'Location' ) );
		}
	}

	public function test_expired_session_is_denied(): void {
		$cup   = Shop::product( array( 'sku' => 'KOPP-STG-01' ) );
		$linen = Shop::product( array( 'sku' => 'LINNE-150x250' ) );
		$json  = self::fixture( '01-se-sek-basic.json' );
		Shop::session( self::GUEST, self::cart_for( $json, array( 'KOPP-STG-01' => $cup, 'LINNE-150x250' => $linen ) ), time() - 60 );
		$r = $this->post_callback( $json, array( 'kco_session_id' => self::GUEST ) );
		$this->assertSame( 303, $r->status );
		$this->assertContains( 'session_missing', explode( ',', self::location_query( $r->header_value( 'Location' ) )['kco_validation'] ) );
	}

	public function test_extension_throwing_invalid_argument_follows_the_deny_policy(): void {
		$json = $this->shop_for_fixture_01();
		add_filter(
			'kco_validation_snapshot',
			static function ( array $s ) {
				unset( $s['cart']['total'] );
				return $s;
			}
		);
		$r = $this->post_callback( $json, array( 'kco_session_id' => self::GUEST ) );
		$this->assertSame( 303, $r->status );
		$this->assertSame( 'https://shop.example/checkout/?unable_to_process&kco_validation=internal_error', $r->header_value( 'Location' ) );
		$lines = self::decision_lines();
		$this->assertCount( 1, $lines );
		$this->assertSame( 'critical', $lines[0]['level'] );
		$this->assertStringContainsString( 'InvalidArgumentException', $lines[0]['message'] );
		$this->assertStringContainsString( 'InvalidArgumentException: cart', $lines[0]['message'] );
		$this->assertStringContainsString( 'total', $lines[0]['message'] );
	}

	public function test_internal_fault_with_the_approve_policy_answers_200(): void {
		update_option( 'kco_validation_fault_policy', 'approve' );
		$json = $this->shop_for_fixture_01();
		add_filter(
			'kco_validation_snapshot',
			static function () {
				throw new \RuntimeException( 'Deadlock found when trying to get lock' );
			}
		);
		$r = $this->post_callback( $json, array( 'kco_session_id' => self::GUEST ) );
		$this->assertSame( 200, $r->status );
		$this->assertSame( '', $r->body );
		$this->assertSame( 'critical', self::decision_lines()[0]['level'] );
		$this->assertStringContainsString( 'outcome=fault-approved', self::decision_lines()[0]['message'] );
	}

	public function test_database_error_is_an_internal_fault_never_a_500(): void {
		global $wpdb;
		$json = $this->shop_for_fixture_01();
		$wpdb->query( "RENAME TABLE {$wpdb->prefix}wc_product_meta_lookup TO {$wpdb->prefix}lookup_away" );
		try {
			$r = $this->expect_database_errors( "/^Table '[^']+\\.wp_wc_product_meta_lookup' doesn't exist$/", fn () => $this->post_callback( $json, array( 'kco_session_id' => self::GUEST ) ) );
		} finally {
			$wpdb->query( "RENAME TABLE {$wpdb->prefix}lookup_away TO {$wpdb->prefix}wc_product_meta_lookup" );
		}
		$this->assertSame( 303, $r->status );
		$this->assertStringEndsWith( 'kco_validation=internal_error', (string) $r->header_value( 'Location' ) );
		$this->assertStringContainsString( 'database error reading products', self::decision_lines()[0]['message'] );
	}

	public function test_internal_fault_in_error_json_mode_answers_400_approval_failed(): void {
		update_option( 'kco_validation_response_mode', 'error_json' );
		$json = $this->shop_for_fixture_01();
		add_filter( 'kco_validation_snapshot', static fn () => 'not an array' );
		$r = $this->post_callback( $json, array( 'kco_session_id' => self::GUEST ) );
		$this->assertSame( 400, $r->status );
		$this->assertSame( 'approval_failed', $r->json()['error_type'] );
	}

	public function test_error_json_mode_sends_the_verdicts_json(): void {
		update_option( 'kco_validation_response_mode', 'error_json' );
		$id   = Shop::product( array( 'sku' => 'MUG', 'manage_stock' => true, 'stock' => 1 ) );
		$json = self::klarna_order( array( array( 'MUG', 2, 10000 ) ) );
		Shop::session( self::GUEST, self::cart_for( $json, array( 'MUG' => $id ) ) );
		$r = $this->post_callback( $json, array( 'kco_session_id' => self::GUEST ) );
		$this->assertSame( 400, $r->status );
		$this->assertStringStartsWith( 'application/json', (string) $r->header_value( 'Content-Type' ) );
		$this->assertNull( $r->header_value( 'Location' ) );
		$this->assertSame( 'approval_failed', $r->json()['error_type'] );
	}

	public function test_the_answer_is_exactly_the_verdicts_response(): void {
		$json = $this->shop_for_fixture_01();
		$seen = null;
		add_filter(
			'kco_validation_verdict',
			static function ( $v ) use ( &$seen ) {
				$seen = $v;
				return $v;
			}
		);
		$r = $this->post_callback( $json, array( 'kco_session_id' => self::GUEST ) );
		$this->assertTrue( $seen['approved'] );
		$this->assertSame( $seen['response']['status'], $r->status );
		$this->assertSame( $seen['response']['body'], $r->body );
		$this->assertSame( 1, $r->discarded, 'buffered output of other code is dropped' );
	}

	public function test_verdict_filter_adding_a_failure_turns_200_into_the_policy_deny(): void {
		$json = $this->shop_for_fixture_01();
		add_filter(
			'kco_validation_verdict',
			static function ( array $v ) {
				$v['approved']   = false;
				$v['failures'][] = array( 'code' => 'no_delivery_to_box', 'message' => 'We cannot deliver to a parcel box.' );
				return $v;
			}
		);
		$r = $this->post_callback( $json, array( 'kco_session_id' => self::GUEST ) );
		$this->assertSame( 303, $r->status );
		$this->assertSame( 'https://shop.example/checkout/?unable_to_process&kco_validation=no_delivery_to_box', $r->header_value( 'Location' ) );
		$this->assertStringContainsString( 'outcome=denied codes=no_delivery_to_box', self::decision_lines()[0]['message'] );
	}

	public function test_verdict_filter_adding_a_failure_in_error_json_mode_sends_its_message(): void {
		update_option( 'kco_validation_response_mode', 'error_json' );
		$json = $this->shop_for_fixture_01();
		add_filter(
			'kco_validation_verdict',
			static function ( array $v ) {
				$v['failures'][] = array( 'code' => 'no_delivery_to_box', 'message' => 'We cannot deliver to a parcel box.' );
				return $v;
			}
		);
		$r = $this->post_callback( $json, array( 'kco_session_id' => self::GUEST ) );
		$this->assertSame( 400, $r->status );
		$this->assertSame( array( 'error_type' => 'approval_failed', 'error_text' => 'We cannot deliver to a parcel box.' ), $r->json() );
	}

	/** The filter changes the verdict, never the answer: the extension answers a denial without reasons itself. */
	public function test_verdict_filter_cannot_write_the_answer(): void {
		$json = $this->shop_for_fixture_01();
		add_filter(
			'kco_validation_verdict',
			static function ( array $v ) {
				$v['approved'] = false;
				$v['response'] = array( 'status' => 303, 'location' => "https://x.example/\r\nSet-Cookie: a=b", 'content_type' => null, 'body' => '' );
				return $v;
			}
		);
		$r = $this->post_callback( $json, array( 'kco_session_id' => self::GUEST ) );
		$this->assertSame( 303, $r->status );
		$this->assertSame( 'https://shop.example/checkout/?unable_to_process&kco_validation=unable_to_process', $r->header_value( 'Location' ) );
		foreach ( $r->headers as $line ) {
			$this->assertStringNotContainsString( 'Set-Cookie', $line );
		}
	}

	public function test_decided_and_legacy_actions_fire_once_with_the_reference_values(): void {
		$id   = Shop::product( array( 'sku' => 'MUG', 'manage_stock' => true, 'stock' => 1 ) );
		$json = self::klarna_order( array( array( 'MUG', 2, 10000 ) ) );
		Shop::session( self::GUEST, self::cart_for( $json, array( 'MUG' => $id ) ) );
		$legacy  = array();
		$decided = array();
		add_action(
			'kco_validate_checkout',
			static function ( $data, $in_stock, $shipping ) use ( &$legacy ) {
				$legacy[] = array( $data, $in_stock, $shipping );
			},
			10,
			3
		);
		add_action(
			'kco_validation_decided',
			static function ( $verdict, $order, $snapshot, $ms ) use ( &$decided ) {
				$decided[] = array( $verdict, $order, $snapshot, $ms );
			},
			10,
			4
		);
		$r = $this->post_callback( $json, array( 'kco_session_id' => self::GUEST ) );
		$this->assertSame( 303, $r->status );
		$this->assertCount( 1, $legacy );
		$this->assertSame( json_decode( $json, true )['order_id'], $legacy[0][0]['order_id'] );
		$this->assertSame( '', $legacy[0][0]['html_snippet'] );
		$this->assertFalse( $legacy[0][1], 'not all in stock' );
		$this->assertTrue( $legacy[0][2], 'a shipping_fee line exists' );
		$this->assertCount( 1, $decided );
		$this->assertSame( array( 'insufficient_stock' ), $decided[0][0]['codes'] );
		$this->assertInstanceOf( \KcoValidation\Order::class, $decided[0][1] );
		$this->assertSame( 'SEK', $decided[0][2]['currency'] );
		$this->assertIsFloat( $decided[0][3] );
	}

	public function test_refused_action_fires_once_for_rejected_requests_and_faults_without_personal_data(): void {
		$json    = $this->shop_for_fixture_01();
		$refused = array();
		$decided = 0;
		add_action(
			'kco_validation_refused',
			static function ( ...$args ) use ( &$refused ) {
				$refused[] = $args;
				throw new \RuntimeException( 'a listener that fails changes nothing' );
			},
			10,
			5
		);
		add_action(
			'kco_validation_decided',
			static function () use ( &$decided ) {
				++$decided;
			}
		);

		$r = $this->post_callback( $json, array( 'kco_session_id' => self::GUEST ), 'GET' );
		$this->assert_invalid_request( $r );
		$r = $this->post_callback( '{"not":"klarna"}', array( 'kco_session_id' => self::GUEST ) );
		$this->assertSame( 400, $r->status );
		add_filter( 'kco_validation_max_body_bytes', static fn () => 16 );
		$this->post_callback( $json, array( 'kco_session_id' => self::GUEST ) );
		remove_all_filters( 'kco_validation_max_body_bytes' );
		$this->post_callback(
			$json,
			array(
				'kco_session_id'    => self::GUEST,
				UrlToken::QUERY_ARG => null,
			)
		);

		$throw = static function () {
			throw new \RuntimeException( 'Deadlock found when trying to get lock' );
		};
		add_filter( 'kco_validation_snapshot', $throw );
		$r = $this->post_callback( $json, array( 'kco_session_id' => self::GUEST ) );
		$this->assertSame( 303, $r->status );
		update_option( 'kco_validation_fault_policy', 'approve' );
		$r = $this->post_callback( $json, array( 'kco_session_id' => self::GUEST ) );
		$this->assertSame( 200, $r->status );

		$order_id = json_decode( $json, true )['order_id'];
		$this->assertSame(
			array(
				array( 'rejected', 400, 'method', '' ),
				array( 'rejected', 400, 'payload', '' ),
				array( 'rejected', 400, 'size', '' ),
				array( 'rejected', 400, 'token', '' ),
				array( 'fault-denied', 303, 'internal_error', $order_id ),
				array( 'fault-approved', 200, 'internal_error', $order_id ),
			),
			array_map( static fn ( $a ) => array( $a[0], $a[1], $a[2], $a[4] ), $refused )
		);
		foreach ( $refused as $args ) {
			$this->assertCount( 5, $args );
			$this->assertIsFloat( $args[3] );
			$this->assertGreaterThanOrEqual( 0.0, $args[3] );
			$this->assertStringNotContainsString( '@', (string) json_encode( $args ), 'no email or other personal data' );
		}
		$this->assertSame( 0, $decided, 'refusals are not decisions' );
		$this->assertCount( 6, self::decision_lines(), 'one log line each, as before' );
	}

	public function test_one_log_line_per_decision_with_id_outcome_codes_time_status_and_masked_email(): void {
		$json = $this->shop_for_fixture_01();
		$this->post_callback( $json, array( 'kco_session_id' => self::GUEST ) );
		$entries = self::log_entries();
		$this->assertCount( 1, $entries );
		$this->assertSame( 'info', $entries[0]['level'] );
		$this->assertSame( 'kco-validation', $entries[0]['context']['source'] );
		$this->assertMatchesRegularExpression( '/^decision order_id=107afe44-4e7a-566e-96f9-96f73a1ebfc3 outcome=approved codes=- status=200 time_ms=[0-9]+\.[0-9]{2} wait_ms=[0-9]+\.[0-9]{2} email=s\*\*\*@example\.se$/', $entries[0]['message'] );
		$this->assertStringNotContainsString( 'Sveavägen', json_encode( $entries ) );
	}

	public function test_debug_logging_shows_the_email(): void {
		update_option( 'kco_validation_log_level', 'debug' );
		$json = $this->shop_for_fixture_01();
		$this->post_callback( $json, array( 'kco_session_id' => self::GUEST ) );
		$this->assertStringContainsString( 'email=sofia.lindqvist@example.se', self::decision_lines()[0]['message'] );
	}

	public function test_wc_api_dispatch_our_handler_answers_and_kcos_never_runs(): void {
		$json = $this->shop_for_fixture_01();
		( new Plugin() )->boot();
		$kco_ran = false;
		add_action(
			'woocommerce_api_kco_wc_validation',
			static function () use ( &$kco_ran ) {
				$kco_ran = true;
			}
		); // KCO 1.x: default priority 10.
		$response                     = new CapturingResponse();
		$response->throw_on_terminate = true;
		add_filter( 'kco_validation_response_sender', static fn () => $response );
		$file = tempnam( sys_get_temp_dir(), 'kco' );
		file_put_contents( $file, $json );
		add_filter(
			'kco_validation_snapshot',
			static fn ( $s ) => $s
		);
		$_GET                      = self::with_token( array( 'kco_session_id' => self::GUEST ) );
		$_SERVER['REQUEST_METHOD'] = 'POST';
		// WC_API::handle_api_requests(): status by has_action, then the action, then die( '-1' ).
		status_header( has_action( 'woocommerce_api_kco_wc_validation' ) ? 200 : 400 );
		$ended = false;
		try {
			// php://input is empty in the CLI: feed the body through the stream the endpoint reads.
			add_filter( 'kco_validation_max_body_bytes', static fn () => 1048576 );
			$GLOBALS['kco_test_input'] = $file;
			stream_wrapper_unregister( 'php' );
			stream_wrapper_register( 'php', PhpInputStream::class );
			do_action( 'woocommerce_api_kco_wc_validation' );
		} catch ( Terminated $e ) {
			$ended = true;
		} finally {
			stream_wrapper_restore( 'php' );
			unlink( $file );
		}
		$this->assertTrue( $ended, 'the handler ended the request' );
		$this->assertSame( array(), array_filter( self::log_entries(), static fn ( $e ) => 'info' !== $e['level'] ), json_encode( self::log_entries() ) );
		$this->assertFalse( $kco_ran, "KCO's handler never ran" );
		$this->assertSame( 200, $response->status );
		$this->assertSame( 0, has_action( 'woocommerce_api_kco_wc_validation', array( Plugin::class, 'handle_callback' ) ) );
	}
}

/** Serves php://input from a file for the dispatch test (php:// is the CLI's and has no body). */
class PhpInputStream {
	/** @var resource|null */
	public $context;
	/** @var resource */
	private $handle;
	public function stream_open( $path, $mode, $options, &$opened ) {
		if ( 'php://input' !== $path ) {
			return false;
		}
		$this->handle = fopen( $GLOBALS['kco_test_input'], 'rb' );
		return false !== $this->handle;
	}
	public function stream_read( $count ) {
		return fread( $this->handle, $count );
	}
	public function stream_eof() {
		return feof( $this->handle );
	}
	public function stream_close() {
		fclose( $this->handle );
	}
	public function stream_stat() {
		return fstat( $this->handle );
	}
}
