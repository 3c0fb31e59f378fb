<?php
/**
 * The callback answered on wp_loaded (issue 14): which requests are WooCommerce's WC-API requests for
 * KCO_WC_Validation (as WC_API::handle_api_requests() routes them), and that the answer there is the one WC_API's
 * action would give, or left to WC_API when the filter says so.
 *
 * @package KcoValidation\Plugin\Tests
 */

namespace KcoValidation\Plugin\Tests;

use KcoValidation\Plugin\Plugin;
use KcoValidation\Plugin\Request\Endpoint;

class EarlyAnswerTest extends TestCase {

	protected function tearDown(): void {
		unset( $_SERVER['REQUEST_URI'] );
		parent::tearDown();
	}

	public function requests(): array {
		return array(
			'the validation URL'                      => array( '/wc-api/KCO_WC_Validation/?kco-action=validation', array(), true ),
			'without the trailing slash'              => array( '/wc-api/KCO_WC_Validation', array(), true ),
			'lower case (WooCommerce lowercases it)'  => array( '/wc-api/kco_wc_validation/', array(), true ),
			'a language directory'                    => array( '/de/wc-api/KCO_WC_Validation/', array(), true ),
			'a sub-directory install'                 => array( '/shop/wc-api/KCO_WC_Validation/?x=1', array(), true ),
			'after another permalink (EP_ALL)'        => array( '/checkout/wc-api/KCO_WC_Validation/', array(), true ),
			'percent-encoded'                         => array( '/wc-api/KCO%5FWC%5FValidation/', array(), true ),
			'the query form'                          => array( '/?wc-api=KCO_WC_Validation', array( 'wc-api' => 'KCO_WC_Validation' ), true ),
			'the query form wins over the path'       => array( '/wc-api/KCO_WC_Validation/?wc-api=kco_wc_push', array( 'wc-api' => 'kco_wc_push' ), false ),
			'another callback'                        => array( '/wc-api/KCO_WC_Push/', array(), false ),
			'more after the name'                     => array( '/wc-api/KCO_WC_Validation/extra/', array(), false ),
			'a longer name'                           => array( '/wc-api/KCO_WC_ValidationX/', array(), false ),
			'a page'                                  => array( '/checkout/', array(), false ),
			'admin-ajax'                              => array( '/wp-admin/admin-ajax.php?action=x', array(), false ),
			'no request URI'                          => array( null, array(), false ),
		);
	}

	/**
	 * @dataProvider requests
	 */
	public function test_the_validation_requests_are_those_wc_api_routes_to_our_action( ?string $uri, array $get, bool $ours ): void {
		if ( null !== $uri ) {
			$_SERVER['REQUEST_URI'] = $uri;
		}
		$_GET = $get;
		$this->assertSame( $ours, Endpoint::is_validation_request() );
	}

	public function test_wp_loaded_answers_a_validation_request_once_and_the_filter_leaves_it_to_wc_api(): void {
		$sent = new CapturingResponse();
		add_filter( 'kco_validation_response_sender', static fn () => $sent );
		( new Plugin( new class() extends \KcoValidation\Plugin\Requirements {
			public function problem(): ?string {
				return null;
			}
		} ) )->boot();
		$this->assertSame( Endpoint::EARLY_PRIORITY, has_action( 'wp_loaded', array( Plugin::class, 'answer_early' ) ) );
		$this->assertSame( Endpoint::PRIORITY, has_action( Endpoint::ACTION, array( Plugin::class, 'handle_callback' ) ), 'WC_API\'s action stays hooked' );

		// Another request: nothing happens on wp_loaded.
		$_SERVER['REQUEST_URI'] = '/checkout/';
		do_action( 'wp_loaded' );
		$this->assertSame( 0, $sent->terminated );

		// The validation URL: answered there (a GET: refused by the transport layer, as it would be under WC_API).
		$_SERVER['REQUEST_URI']    = '/wc-api/KCO_WC_Validation/?kco-action=validation';
		$_SERVER['REQUEST_METHOD'] = 'GET';
		do_action( 'wp_loaded' );
		$this->assertSame( 1, $sent->terminated );
		$this->assertSame( 400, $sent->status );

		// Switched off: left to WC_API's action.
		add_filter( 'kco_validation_answer_early', static fn () => false );
		do_action( 'wp_loaded' );
		$this->assertSame( 1, $sent->terminated );
	}
}
