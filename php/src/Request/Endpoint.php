<?php
/**
 * The validation callback: /wc-api/KCO_WC_Validation/.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin\Request;

use KcoValidation\Plugin\Decision\Announcer;
use KcoValidation\Plugin\Decision\Decider;
use KcoValidation\Plugin\Integration\UrlToken;
use KcoValidation\Plugin\Logger;
use KcoValidation\Plugin\Settings;

defined( 'ABSPATH' ) || exit;

/**
 * Transport and authentication: hooked on `woocommerce_api_kco_wc_validation` ahead of KCO's own handler, it
 * accepts only a POST, checks the URL's token, reads the raw body (capped) and lets the extension parse it; the
 * decision is Decider's, the answer the extension's. It sends exactly that answer and ends the request. Never a PHP
 * fatal, never a 500.
 */
class Endpoint {

	const ACTION = 'woocommerce_api_kco_wc_validation';

	/** Ahead of KCO 1.x, which registers at the default 10. */
	const PRIORITY = 0;

	/** On wp_loaded: ahead of KCO 1.x's session preparation (priority 1) and WooCommerce's cart (10). */
	const EARLY_PRIORITY = 0;

	/** The WC-API name of the validation callback, as WC_API lowercases it. */
	const API_NAME = 'kco_wc_validation';

	/** Settings. */
	private Settings $settings;

	/** The decision path. */
	private Decider $decider;

	/** Log line and hooks. */
	private Announcer $announcer;

	/** Response sender. */
	private Response $response;

	/** Where the body is read from. */
	private string $input;

	/**
	 * Constructor.
	 *
	 * @param Settings  $settings  Settings.
	 * @param Decider   $decider   The decision path.
	 * @param Announcer $announcer Log line and hooks.
	 * @param Response  $response  Response sender.
	 * @param string    $input     Stream the body is read from.
	 */
	public function __construct( Settings $settings, Decider $decider, Announcer $announcer, Response $response, string $input = 'php://input' ) {
		$this->settings  = $settings;
		$this->decider   = $decider;
		$this->announcer = $announcer;
		$this->response  = $response;
		$this->input     = $input;
	}

	/**
	 * The endpoint wired to WordPress's globals.
	 *
	 * @param Response|null $response Response sender.
	 * @param string        $input    Body stream.
	 */
	public static function create( ?Response $response = null, string $input = 'php://input' ): self {
		$settings = Settings::load();
		return new self( $settings, Decider::create( $settings ), new Announcer( new Logger( $settings->log_level ) ), $response ?? new Response(), $input );
	}

	/**
	 * Whether this request is one WooCommerce's WC_API would dispatch to `woocommerce_api_kco_wc_validation`:
	 * `?wc-api=` (sanitize_key()d, which wins over the path, as in WC_API::handle_api_requests()) or a path ending in
	 * `/wc-api/KCO_WC_Validation/` (WooCommerce's rewrite endpoint `wc-api` is EP_ALL: after any permalink, a
	 * language directory or a sub-directory install; its value lowercased).
	 */
	public static function is_validation_request(): bool {
		// phpcs:disable WordPress.Security.NonceVerification.Recommended,WordPress.Security.ValidatedSanitizedInput -- compared only.
		if ( isset( $_GET['wc-api'] ) && '' !== $_GET['wc-api'] ) {
			return is_string( $_GET['wc-api'] ) && self::API_NAME === sanitize_key( wp_unslash( $_GET['wc-api'] ) );
		}
		$uri = isset( $_SERVER['REQUEST_URI'] ) && is_string( $_SERVER['REQUEST_URI'] ) ? $_SERVER['REQUEST_URI'] : '';
		// phpcs:enable WordPress.Security.NonceVerification.Recommended,WordPress.Security.ValidatedSanitizedInput
		$path = (string) wp_parse_url( $uri, PHP_URL_PATH );
		return 1 === preg_match( '~/wc-api/' . self::API_NAME . '/?$~iD', rawurldecode( $path ) );
	}

	/**
	 * Handles one callback and ends the request.
	 */
	public function handle(): void {
		$answer = $this->answer();
		$this->response->send( $answer['status'], $answer['location'], $answer['content_type'], $answer['body'] );
	}

	/**
	 * The answer (logged). Every fault ends here as the internal-fault policy's answer; sending happens outside,
	 * so a sender that fails is never answered twice.
	 *
	 * @return array{status: int, location: string|null, content_type: string|null, body: string}
	 */
	private function answer(): array {
		$start    = hrtime( true );
		$order_id = '';
		$email    = null;
		try {
			$method = isset( $_SERVER['REQUEST_METHOD'] ) && is_string( $_SERVER['REQUEST_METHOD'] ) ? strtoupper( $_SERVER['REQUEST_METHOD'] ) : ''; // phpcs:ignore WordPress.Security.ValidatedSanitizedInput.InputNotSanitized -- compared only.
			if ( 'POST' !== $method ) {
				return $this->reject( 'only POST is accepted', 'method', $start );
			}

			// phpcs:disable WordPress.Security.NonceVerification.Recommended -- Klarna's server-to-server callback; authenticated by the token.
			$session_id = isset( $_GET['kco_session_id'] ) && is_string( $_GET['kco_session_id'] ) ? wp_unslash( $_GET['kco_session_id'] ) : ''; // phpcs:ignore WordPress.Security.ValidatedSanitizedInput.InputNotSanitized -- checked against a strict pattern in SessionStore.
			$has_token  = isset( $_GET[ UrlToken::QUERY_ARG ] );
			$token      = $has_token ? wp_unslash( $_GET[ UrlToken::QUERY_ARG ] ) : null; // phpcs:ignore WordPress.Security.ValidatedSanitizedInput.InputNotSanitized -- compared with hash_equals only.
			// phpcs:enable WordPress.Security.NonceVerification.Recommended
			// Locked by default: see UrlToken::required() (a token that is present is always checked).
			$require = UrlToken::required( $this->settings );
			if ( ( $has_token || $require ) && ! ( is_string( $session_id ) && UrlToken::verify( $session_id, $token ) ) ) {
				return $this->reject( 'invalid token', 'token', $start );
			}

			$body = $this->read_body();
			if ( null === $body ) {
				return $this->reject( 'body too large', 'size', $start );
			}

			if ( ! class_exists( 'KcoValidation\\Order', false ) ) {
				throw new \LogicException( 'the kco_validation extension is not loaded' );
			}
			try {
				$order = \KcoValidation\Order::parse( $body );
			} catch ( \KcoValidation\InvalidPayload $e ) {
				return $this->reject( 'not a Klarna order', 'payload', $start, 'payload: ' . $e->getMessage() );
			}
			$order_id = $order->id();
			$email    = $order->billingEmail();
			// The options WordPress did not autoload, the session row and the accounts of the email and the session's
			// user, in one query (a refused request reads nothing).
			FirstRead::prime( null, $session_id, $email );

			// Stock is claimed only for a callback whose URL carried our token (bound to the session by the site's salt):
			// a URL without one (KCO 1.10 and older) could come from anyone, who could then hold stock with made-up orders.
			$decision = $this->decider->decide( $order, (string) $session_id, $has_token );
			$this->announcer->decided( $decision, $order, $body, self::elapsed( $start ), self::since_arrival() );
			return $decision->response();
		} catch ( \Throwable $e ) {
			$response = $this->decider->fault();
			$this->announcer->faulted( $e, 200 === $response['status'], $response['status'], $order_id, $email, self::elapsed( $start ), self::since_arrival() );
			return $response;
		}
	}

	/**
	 * The raw body, or null when it is larger than the cap.
	 */
	private function read_body(): ?string {
		$max    = $this->settings->max_body_bytes();
		$length = isset( $_SERVER['CONTENT_LENGTH'] ) && is_numeric( $_SERVER['CONTENT_LENGTH'] ) ? (int) $_SERVER['CONTENT_LENGTH'] : 0;
		if ( $length > $max ) {
			return null;
		}
		$handle = fopen( $this->input, 'rb' ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_operations_fopen
		if ( false === $handle ) {
			throw new \RuntimeException( 'cannot read the request body' );
		}
		try {
			$body = stream_get_contents( $handle, $max + 1 );
		} finally {
			fclose( $handle ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_operations_fclose
		}
		if ( false === $body ) {
			throw new \RuntimeException( 'cannot read the request body' );
		}
		return strlen( $body ) > $max ? null : $body;
	}

	/**
	 * Answers 400 `invalid_request` (fixed English, never request input): not a callback we decide on.
	 *
	 * @param string      $text   error_text.
	 * @param string      $reason method | token | size | payload.
	 * @param int         $start  hrtime at start.
	 * @param string|null $detail Log detail (default the reason).
	 * @return array{status: int, location: null, content_type: string, body: string}
	 */
	private function reject( string $text, string $reason, int $start, ?string $detail = null ): array {
		$this->announcer->rejected( $reason, $detail ?? $reason, self::elapsed( $start ), self::since_arrival() );
		return array(
			'status'       => 400,
			'location'     => null,
			'content_type' => 'application/json',
			'body'         => (string) wp_json_encode(
				array(
					'error_type' => 'invalid_request',
					'error_text' => $text,
				)
			),
		);
	}

	/**
	 * Milliseconds since the request arrived at PHP (REQUEST_TIME_FLOAT: what Klarna has waited so far, less the
	 * network and the web server's queue), or null without it.
	 */
	private static function since_arrival(): ?float {
		$arrival = $_SERVER['REQUEST_TIME_FLOAT'] ?? null; // phpcs:ignore WordPress.Security.ValidatedSanitizedInput -- a number set by PHP.
		return is_numeric( $arrival ) && (float) $arrival > 0 ? max( 0.0, ( microtime( true ) - (float) $arrival ) * 1000 ) : null;
	}

	/**
	 * Milliseconds since $start.
	 *
	 * @param int $start hrtime( true ) value.
	 */
	private static function elapsed( int $start ): float {
		return ( hrtime( true ) - $start ) / 1e6;
	}
}
