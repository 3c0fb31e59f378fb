<?php
/**
 * Tells the shop about each callback: the log line and the hooks.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin\Decision;

use KcoValidation\Plugin\Answer\Codes;
use KcoValidation\Plugin\Logger;

defined( 'ABSPATH' ) || exit;

/**
 * One log line per callback (WC_Logger, emails masked), `kco_validation_decided` after a decision,
 * `kco_validation_refused` for a request answered without one, and KCO 1.x's `kco_validate_checkout` for shops
 * that still listen to it. Listeners never change the answer.
 */
final class Announcer {

	/** Logger. */
	private Logger $logger;

	/**
	 * Constructor.
	 *
	 * @param Logger $logger Logger.
	 */
	public function __construct( Logger $logger ) {
		$this->logger = $logger;
	}

	/**
	 * A decision was made (before the answer is sent).
	 *
	 * @param Decision             $decision The decision.
	 * @param \KcoValidation\Order $order    Parsed Klarna order.
	 * @param string               $body     Raw body (for the legacy action).
	 * @param float                $ms       Time taken so far, in milliseconds.
	 * @param float|null           $wait_ms  Since the request's arrival (REQUEST_TIME_FLOAT), in milliseconds.
	 */
	public function decided( Decision $decision, $order, string $body, float $ms, ?float $wait_ms = null ): void {
		$verdict = $decision->verdict;
		if ( has_action( 'kco_validate_checkout' ) ) {
			$this->fire_legacy_action( $body, $verdict['codes'] );
		}
		/**
		 * After each decision, before the answer is sent.
		 *
		 * @param array                $verdict  Verdict as answered.
		 * @param \KcoValidation\Order $order    Parsed Klarna order.
		 * @param array                $snapshot Snapshot.
		 * @param float                $ms       Time taken so far, in milliseconds.
		 * @param int                  $claimed  Units of stock claimed for the Klarna order (0: none).
		 * @param string               $body     Klarna's raw body (compare mode reads its amounts and address).
		 */
		do_action( 'kco_validation_decided', $verdict, $order, $decision->snapshot, $ms, $decision->claimed, $body );
		$this->logger->decision( $order->id(), $verdict['approved'] ? 'approved' : 'denied', $verdict['codes'], $ms, $verdict['response']['status'], $order->billingEmail(), 'info', '', $decision->references(), $wait_ms );
	}

	/**
	 * A request refused as not a valid callback (400 invalid_request).
	 *
	 * @param string $reason method | token | size | payload.
	 * @param string $detail Log detail.
	 * @param float  $ms     Time taken, in milliseconds.
	 * @param float|null $wait_ms Since the request's arrival, in milliseconds.
	 */
	public function rejected( string $reason, string $detail, float $ms, ?float $wait_ms = null ): void {
		$this->logger->decision( '', 'rejected', array( 'invalid_request' ), $ms, 400, null, 'warning', $detail, array(), $wait_ms );
		$this->refused( 'rejected', 400, $reason, $ms, '' );
	}

	/**
	 * An internal fault, answered by the fault policy.
	 *
	 * @param \Throwable  $e        What went wrong.
	 * @param bool        $approved Whether the policy approved.
	 * @param int         $status   HTTP status sent.
	 * @param string      $order_id Klarna order id, when known.
	 * @param string|null $email    Billing email, when known.
	 * @param float       $ms       Time taken, in milliseconds.
	 * @param float|null  $wait_ms  Since the request's arrival, in milliseconds.
	 */
	public function faulted( \Throwable $e, bool $approved, int $status, string $order_id, ?string $email, float $ms, ?float $wait_ms = null ): void {
		$outcome = $approved ? 'fault-approved' : 'fault-denied';
		$this->logger->decision( $order_id, $outcome, array( 'internal_error' ), $ms, $status, $email, 'critical', get_class( $e ) . ': ' . $e->getMessage(), array(), $wait_ms );
		$this->refused( $outcome, $status, 'internal_error', $ms, $order_id );
	}

	/**
	 * Fires `kco_validation_refused`; a listener that throws never changes the answer.
	 *
	 * @param string $outcome  rejected | fault-approved | fault-denied.
	 * @param int    $status   HTTP status sent.
	 * @param string $reason   method | token | size | payload (rejected), internal_error (faults).
	 * @param float  $ms       Time taken so far, in milliseconds.
	 * @param string $order_id Klarna order id, when known (else '').
	 */
	private function refused( string $outcome, int $status, string $reason, float $ms, string $order_id ): void {
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
	 * Fires `kco_validate_checkout( $data, $all_in_stock, $shipping_chosen )` with the values KCO 1.x passed: the
	 * decoded body, "no stock failure" (the code table's stock codes), "a shipping_fee line exists".
	 *
	 * @param string       $body  Raw body.
	 * @param list<string> $codes The verdict's codes.
	 */
	private function fire_legacy_action( string $body, array $codes ): void {
		$data = json_decode( $body, true );
		$data = is_array( $data ) ? $data : array();
		if ( isset( $data['html_snippet'] ) ) {
			$data['html_snippet'] = '';
		}
		$shipping = false;
		foreach ( is_array( $data['order_lines'] ?? null ) ? $data['order_lines'] : array() as $line ) {
			if ( is_array( $line ) && 'shipping_fee' === ( $line['type'] ?? null ) ) {
				$shipping = true;
				break;
			}
		}
		do_action( 'kco_validate_checkout', $data, ! Codes::any_stock( $codes ), $shipping );
	}
}
