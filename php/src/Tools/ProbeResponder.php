<?php
/**
 * Answers the doctor's signed probe on the validation endpoint.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin\Tools;

use KcoValidation\Plugin\Request\Endpoint;
use KcoValidation\Plugin\Requirements;
use KcoValidation\Plugin\Request\Response;

defined( 'ABSPATH' ) || exit;

/**
 * Hooked on `woocommerce_api_kco_wc_validation` one priority ahead of the endpoint. A request with a valid probe
 * signature is answered `200 {"probe":"ok","extension":"<version>|null"}` and the request ends: no body is read, no
 * session, order, option or table is touched. Anything else (Klarna's callbacks, a probe with a bad or stale
 * signature) is left to the endpoint untouched.
 */
class ProbeResponder {

	/** Ahead of the endpoint. */
	const PRIORITY = Endpoint::PRIORITY - 1;

	/** Requirements (extension version). */
	private Requirements $requirements;

	/** Sender. */
	private Response $response;

	/**
	 * Constructor.
	 *
	 * @param Requirements $requirements Requirements.
	 * @param Response     $response     Sender.
	 */
	public function __construct( Requirements $requirements, Response $response ) {
		$this->requirements = $requirements;
		$this->response     = $response;
	}

	/**
	 * The hook callback: builds the responder with the plugin's sender (filter `kco_validation_response_sender`).
	 */
	public static function handle_request(): void {
		// phpcs:ignore WordPress.Security.ValidatedSanitizedInput.InputNotSanitized -- only header presence is checked here.
		if ( ! ProbeSignature::present( $_SERVER ) ) {
			return;
		}
		/** This filter is documented in php/src/Plugin.php. */
		$response = apply_filters( 'kco_validation_response_sender', null );
		( new self( new Requirements(), $response instanceof Response ? $response : new Response() ) )->maybe_answer( $_SERVER );
	}

	/**
	 * Answers a validly signed probe and ends the request; returns false (and does nothing) otherwise.
	 *
	 * @param array<string, mixed> $server $_SERVER.
	 * @param int|null             $now    Unix time (tests).
	 */
	public function maybe_answer( array $server, ?int $now = null ): bool {
		if ( ! ProbeSignature::verify( $server, $now ) ) {
			return false;
		}
		$body = (string) wp_json_encode(
			array(
				'probe'     => 'ok',
				'extension' => $this->requirements->extension_version(),
			)
		);
		$this->response->send( 200, null, 'application/json', $body );
		return true;
	}
}
