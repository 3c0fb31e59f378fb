<?php
/**
 * The validation callback: /wc-api/KCO_WC_Validation/.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin;

use KcoValidation\Plugin\Integration\UrlToken;
use KcoValidation\Plugin\Multilingual\Languages;

defined( 'ABSPATH' ) || exit;

/**
 * Hooked on `woocommerce_api_kco_wc_validation` ahead of KCO's own handler. Reads the raw body (capped), lets
 * the extension parse it, restores the shopper's session, builds the snapshot, asks the extension for the verdict,
 * sends exactly its answer and ends the request. Never a PHP fatal, never a 500.
 */
class Endpoint {

	const ACTION = 'woocommerce_api_kco_wc_validation';

	/** Ahead of KCO 1.x, which registers at the default 10. */
	const PRIORITY = 0;

	/** Failure codes that mean "not all in stock" for the legacy kco_validate_checkout action. */
	const STOCK_CODES = array( 'out_of_stock', 'insufficient_stock' );

	/** Settings. */
	private Settings $settings;

	/** Logger. */
	private Logger $logger;

	/** Session store. */
	private SessionStore $sessions;

	/** Snapshot builder. */
	private SnapshotBuilder $builder;

	/** Response sender. */
	private Response $response;

	/** Where the body is read from. */
	private string $input;

	/**
	 * Constructor.
	 *
	 * @param Settings        $settings Settings.
	 * @param Logger          $logger   Logger.
	 * @param SessionStore    $sessions Sessions.
	 * @param SnapshotBuilder $builder  Snapshot builder.
	 * @param Response        $response Response sender.
	 * @param string          $input    Stream the body is read from.
	 */
	public function __construct( Settings $settings, Logger $logger, SessionStore $sessions, SnapshotBuilder $builder, Response $response, string $input = 'php://input' ) {
		$this->settings = $settings;
		$this->logger   = $logger;
		$this->sessions = $sessions;
		$this->builder  = $builder;
		$this->response = $response;
		$this->input    = $input;
	}

	/**
	 * The endpoint wired to WordPress's globals.
	 *
	 * @param Response|null $response Response sender.
	 * @param string        $input    Body stream.
	 */
	public static function create( ?Response $response = null, string $input = 'php://input' ): self {
		global $wpdb;
		$settings = Settings::load();
		return new self(
			$settings,
			new Logger( $settings->log_level ),
			new SessionStore( $wpdb ),
			new SnapshotBuilder( new ProductRepository( $wpdb ), new CouponRepository( $wpdb ), new CustomerRepository( $wpdb ), $settings, Languages::detect() ),
			$response ?? new Response(),
			$input
		);
	}

	/**
	 * Handles one callback and ends the request.
	 */
	public function handle(): void {
		$answer = $this->decide();
		$this->response->send( $answer['status'], $answer['location'], $answer['content_type'], $answer['body'] );
	}

	/**
	 * Decides the answer (and logs it). Every fault ends here as the internal-fault policy's answer; sending
	 * happens outside, so a sender that fails is never answered twice.
	 *
	 * @return array{status: int, location: string|null, content_type: string|null, body: string}
	 */
	private function decide(): array {
		$start    = hrtime( true );
		$order_id = '';
		$email    = null;
		$budget   = null;
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
			/**
			 * Whether a validation URL must carry our token (default false: URLs built by KCO 1.10 have none).
			 *
			 * @param bool $require Require the token.
			 */
			$require = (bool) apply_filters( 'kco_validation_require_token', false );
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

			// From here on the database is read: every SELECT gets the time left (TimeBudget).
			$budget = TimeBudget::start( $this->settings->time_budget_ms(), $GLOBALS['wpdb'] ?? null );
			$budget->attach();
			$session = $this->sessions->load( $session_id );
			/**
			 * The store snapshot before the extension sees it (docs/contract.md §1).
			 *
			 * @param array                $snapshot Snapshot.
			 * @param \KcoValidation\Order $order    Parsed Klarna order.
			 * @param SessionData          $session  Restored session.
			 */
			$snapshot = apply_filters( 'kco_validation_snapshot', $this->builder->build( $order, $session ), $order, $session );
			if ( ! is_array( $snapshot ) ) {
				throw new \UnexpectedValueException( 'kco_validation_snapshot did not return an array' );
			}
			$budget->detach();
			$budget->check( 'while building the snapshot' );
			/**
			 * The verdict (docs/contract.md §2). A shop may add failures; a denial answered with 200 becomes the
			 * policy's deny.
			 *
			 * @param array                $verdict  Verdict.
			 * @param \KcoValidation\Order $order    Parsed Klarna order.
			 * @param array                $snapshot Snapshot.
			 */
			$verdict = $this->normalize( apply_filters( 'kco_validation_verdict', $order->validate( $snapshot ), $order, $snapshot ) );
			if ( ! $verdict['approved'] ) {
				$verdict['response'] = $this->in_shoppers_language( $verdict['response'], $verdict['failures'], $snapshot );
			}

			if ( has_action( 'kco_validate_checkout' ) ) {
				$this->fire_legacy_action( $body, $verdict );
			}
			$ms = self::elapsed( $start );
			/**
			 * After each decision, before the answer is sent.
			 *
			 * @param array                $verdict  Verdict as answered.
			 * @param \KcoValidation\Order $order    Parsed Klarna order.
			 * @param array                $snapshot Snapshot.
			 * @param float                $ms       Time taken so far, in milliseconds.
			 */
			do_action( 'kco_validation_decided', $verdict, $order, $snapshot, $ms );

			$refs = array();
			foreach ( $verdict['failures'] as $failure ) {
				if ( is_array( $failure ) && isset( $failure['reference'] ) && is_string( $failure['reference'] ) && ! in_array( $failure['reference'], $refs, true ) ) {
					$refs[] = $failure['reference'];
				}
			}
			$this->logger->decision( $order_id, $verdict['approved'] ? 'approved' : 'denied', $verdict['codes'], $ms, $verdict['response']['status'], $email, 'info', '', $refs );
			return $verdict['response'];
		} catch ( \Throwable $e ) {
			if ( null !== $budget ) {
				$budget->detach();
			}
			if ( null !== $budget && ! $e instanceof TimeBudgetExceeded && $budget->explains( $e ) ) {
				// A query cut short by its limit surfaces as a database error: say why.
				$e = new TimeBudgetExceeded( $budget->message( 'while building the snapshot' ) . ' (' . $e->getMessage() . ')', 0, $e );
			}
			return $this->fault( $e, $order_id, $email, $start );
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
	 * A denial as the shopper will read it: the 303 carries the reasons with their parameters (ReasonDetails) for
	 * the page to render in its language; in error_json mode the text Klarna shows is rendered here, under the
	 * shopper's locale. Never changes the decision; on any problem the answer stays as it was.
	 *
	 * @param array{status: int, location: string|null, content_type: string|null, body: string} $response Answer.
	 * @param list<mixed>                                                                        $failures Failures.
	 * @param array<string, mixed>                                                               $snapshot Snapshot.
	 * @return array{status: int, location: string|null, content_type: string|null, body: string}
	 */
	private function in_shoppers_language( array $response, array $failures, array $snapshot ): array {
		try {
			if ( 303 === $response['status'] && null !== $response['location'] ) {
				$details  = ReasonDetails::encode( $failures, $snapshot );
				$location = null === $details ? $response['location'] : Response::append_query( $response['location'], ReasonDetails::QUERY_ARG . '=' . $details );
				if ( Response::valid_location( $location ) ) {
					$response['location'] = $location;
				}
				return $response;
			}
			if ( 400 !== $response['status'] ) {
				return $response;
			}
			$body = json_decode( $response['body'], true );
			if ( ! is_array( $body ) || ! in_array( $body['error_type'] ?? null, array( 'approval_failed', 'address_error' ), true ) ) {
				return $response;
			}
			$language = is_array( $snapshot['language'] ?? null ) ? $snapshot['language'] : array();
			$locale   = isset( $language['locale'] ) && is_string( $language['locale'] ) && '' !== $language['locale'] ? $language['locale'] : null;
			$target   = $locale ?? ( function_exists( 'determine_locale' ) ? (string) determine_locale() : 'en_US' );
			if ( str_starts_with( strtolower( $target ), 'en' ) ) {
				// English: the extension's own text says the same, with more detail (quantities in the cart).
				return $response;
			}
			$switched = null !== $locale && function_exists( 'switch_to_locale' ) && function_exists( 'determine_locale' ) && determine_locale() !== $locale && switch_to_locale( $locale );
			try {
				$texts = ReasonDetails::texts( ReasonDetails::collect( $failures, $snapshot ), $this->builder->translations(), false, isset( $language['code'] ) && is_string( $language['code'] ) ? $language['code'] : null );
			} finally {
				if ( $switched ) {
					restore_previous_locale();
				}
			}
			if ( array() !== $texts ) {
				$body['error_text'] = implode( ' ', $texts );
				$response['body']   = (string) wp_json_encode( $body, JSON_UNESCAPED_UNICODE );
			}
		} catch ( \Throwable $e ) {
			$this->logger->log( 'warning', 'reasons could not be rendered: ' . get_class( $e ) . ': ' . $e->getMessage() );
		}
		return $response;
	}

	/**
	 * Checks the verdict's shape after the filter and makes a denial without a deny answer into the policy's deny
	 * (a shop added its own failure).
	 *
	 * @param mixed $verdict Filtered verdict.
	 * @return array{approved: bool, codes: list<string>, failures: list<mixed>, response: array{status: int, location: string|null, content_type: string|null, body: string}}
	 * @throws \UnexpectedValueException When the verdict cannot be answered.
	 */
	private function normalize( $verdict ): array {
		if ( ! is_array( $verdict ) || ! isset( $verdict['response'] ) || ! is_array( $verdict['response'] ) ) {
			throw new \UnexpectedValueException( 'the verdict has no response' );
		}
		$failures = isset( $verdict['failures'] ) && is_array( $verdict['failures'] ) ? array_values( $verdict['failures'] ) : array();
		$codes    = array();
		foreach ( array_merge( (array) ( $verdict['codes'] ?? array() ), array_map( static fn ( $f ) => is_array( $f ) ? ( $f['code'] ?? null ) : null, $failures ) ) as $code ) {
			if ( is_string( $code ) && '' !== $code && ! in_array( $code, $codes, true ) ) {
				$codes[] = $code;
			}
		}
		$approved = true === ( $verdict['approved'] ?? false ) && array() === $failures;
		$response = $verdict['response'];
		$status   = isset( $response['status'] ) && is_int( $response['status'] ) ? $response['status'] : 0;

		if ( ! $approved && 200 === $status ) {
			$text     = '';
			$first    = $failures[0] ?? null;
			$text     = is_array( $first ) && isset( $first['message'] ) && is_string( $first['message'] ) ? $first['message'] : '';
			$response = $this->deny_response( array() === $codes ? array( 'unable_to_process' ) : $codes, $text );
		}
		$response = array(
			'status'       => isset( $response['status'] ) && is_int( $response['status'] ) ? $response['status'] : 0,
			'location'     => isset( $response['location'] ) && is_string( $response['location'] ) ? $response['location'] : null,
			'content_type' => isset( $response['content_type'] ) && is_string( $response['content_type'] ) ? $response['content_type'] : null,
			'body'         => isset( $response['body'] ) && is_string( $response['body'] ) ? $response['body'] : '',
		);
		if ( ! in_array( $response['status'], array( 200, 303, 400 ), true ) ) {
			throw new \UnexpectedValueException( 'the verdict answers with status ' . $response['status'] );
		}
		if ( 303 === $response['status'] && ! Response::valid_location( $response['location'] ) ) {
			throw new \UnexpectedValueException( 'the verdict answers 303 without a valid Location' );
		}
		if ( 303 !== $response['status'] ) {
			$response['location'] = null;
		}
		if ( null !== $response['content_type'] && ! Response::header_safe( $response['content_type'] ) ) {
			throw new \UnexpectedValueException( 'the verdict has an invalid content type' );
		}
		return array(
			'approved' => $approved,
			'codes'    => $codes,
			'failures' => $failures,
			'response' => $response,
		) + $verdict;
	}

	/**
	 * The policy's deny answer: 303 to the checkout with `unable_to_process` and our codes, or in error_json mode
	 * 400 with approval_failed.
	 *
	 * @param list<string> $codes Codes for the shopper's page.
	 * @param string       $text  Text for Klarna's iframe (error_json mode).
	 * @return array{status: int, location: string|null, content_type: string|null, body: string}
	 */
	private function deny_response( array $codes, string $text = '' ): array {
		if ( 'error_json' === $this->settings->response_mode ) {
			return array(
				'status'       => 400,
				'location'     => null,
				'content_type' => 'application/json',
				'body'         => (string) wp_json_encode(
					array(
						'error_type' => 'approval_failed',
						'error_text' => '' !== $text ? $text : 'We were unable to process your order, please try again.',
					)
				),
			);
		}
		$codes = array_values( array_filter( array_map( static fn ( string $c ): string => (string) preg_replace( '/[^a-z0-9_]/', '', strtolower( $c ) ), $codes ) ) );
		return array(
			'status'       => 303,
			'location'     => Response::append_query( (string) wc_get_checkout_url(), 'unable_to_process&kco_validation=' . implode( ',', $codes ) ),
			'content_type' => null,
			'body'         => '',
		);
	}

	/**
	 * Fires `kco_validate_checkout( $data, $all_in_stock, $shipping_chosen )` with the values KCO 1.x passed: the
	 * decoded body, "no stock failure", "a shipping_fee line exists".
	 *
	 * @param string               $body    Raw body.
	 * @param array<string, mixed> $verdict Verdict.
	 */
	private function fire_legacy_action( string $body, array $verdict ): void {
		$data = json_decode( $body, true );
		$data = is_array( $data ) ? $data : array();
		if ( isset( $data['html_snippet'] ) ) {
			$data['html_snippet'] = '';
		}
		$in_stock = array() === array_intersect( $verdict['codes'], self::STOCK_CODES );
		$shipping = false;
		foreach ( is_array( $data['order_lines'] ?? null ) ? $data['order_lines'] : array() as $line ) {
			if ( is_array( $line ) && 'shipping_fee' === ( $line['type'] ?? null ) ) {
				$shipping = true;
				break;
			}
		}
		do_action( 'kco_validate_checkout', $data, $in_stock, $shipping );
	}

	/**
	 * Answers 400 `invalid_request`, logs one line and fires `kco_validation_refused`.
	 *
	 * @param string      $text   error_text (fixed English, never request input).
	 * @param string      $reason method | token | size | payload.
	 * @param int         $start  hrtime at start.
	 * @param string|null $detail Log detail (default the reason).
	 * @return array{status: int, location: null, content_type: string, body: string}
	 */
	private function reject( string $text, string $reason, int $start, ?string $detail = null ): array {
		$body = (string) wp_json_encode(
			array(
				'error_type' => 'invalid_request',
				'error_text' => $text,
			)
		);
		$ms = self::elapsed( $start );
		$this->logger->decision( '', 'rejected', array( 'invalid_request' ), $ms, 400, null, 'warning', $detail ?? $reason );
		$this->announce_refusal( 'rejected', 400, $reason, $ms, '' );
		return array(
			'status'       => 400,
			'location'     => null,
			'content_type' => 'application/json',
			'body'         => $body,
		);
	}

	/**
	 * The internal-fault policy: deny (303 with unable_to_process, or 400 in error_json mode) or approve (200).
	 * Logged as critical; fires `kco_validation_refused`.
	 *
	 * @param \Throwable  $e        What went wrong.
	 * @param string      $order_id Klarna order id, when known.
	 * @param string|null $email    Billing email, when known.
	 * @param int         $start    hrtime at start.
	 * @return array{status: int, location: string|null, content_type: string|null, body: string}
	 */
	private function fault( \Throwable $e, string $order_id, ?string $email, int $start ): array {
		if ( 'approve' === $this->settings->fault_policy ) {
			$response = array(
				'status'       => 200,
				'location'     => null,
				'content_type' => null,
				'body'         => '',
			);
		} else {
			try {
				$response = $this->deny_response( array( 'internal_error' ) );
			} catch ( \Throwable $ignored ) {
				$response = array(
					'status'       => 400,
					'location'     => null,
					'content_type' => 'application/json',
					'body'         => '{"error_type":"approval_failed","error_text":"We were unable to process your order, please try again."}',
				);
			}
		}
		$outcome = 'approve' === $this->settings->fault_policy ? 'fault-approved' : 'fault-denied';
		$ms      = self::elapsed( $start );
		$this->logger->decision( $order_id, $outcome, array( 'internal_error' ), $ms, $response['status'], $email, 'critical', get_class( $e ) . ': ' . $e->getMessage() );
		$this->announce_refusal( $outcome, $response['status'], 'internal_error', $ms, $order_id );
		return $response;
	}

	/**
	 * Fires `kco_validation_refused` for a request answered without a verdict (rejected, or an internal fault). A
	 * listener that throws never changes the answer.
	 *
	 * @param string $outcome  rejected | fault-approved | fault-denied.
	 * @param int    $status   HTTP status sent.
	 * @param string $reason   method | token | size | payload (rejected), internal_error (faults).
	 * @param float  $ms       Time taken so far, in milliseconds.
	 * @param string $order_id Klarna order id, when known (else '').
	 */
	private function announce_refusal( string $outcome, int $status, string $reason, float $ms, string $order_id ): void {
		try {
			/**
			 * A callback answered without a verdict: refused as not a valid request (400 invalid_request), or an
			 * internal fault answered by the fault policy. Carries no personal data.
			 *
			 * @param string $outcome  rejected | fault-approved | fault-denied.
			 * @param int    $status   HTTP status sent.
			 * @param string $reason   method | token | size | payload | internal_error.
			 * @param float  $ms       Time taken, in milliseconds.
			 * @param string $order_id Klarna order id when known, else ''.
			 */
			do_action( 'kco_validation_refused', $outcome, $status, $reason, $ms, $order_id );
		} catch ( \Throwable $ignored ) { // phpcs:ignore Generic.CodeAnalysis.EmptyStatement.DetectedCatch -- listeners never change the answer.
		}
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
