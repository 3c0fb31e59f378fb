<?php
/**
 * What compare mode keeps of one callback until the answer has been sent.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin\Tools\Compare;

defined( 'ABSPATH' ) || exit;

/**
 * Captured on `kco_validation_decided` (before the answer), read at shutdown (after it): our verdict's codes, the
 * session the verdict was decided on, and the few facts of Klarna's body that WooCommerce's own checks need (the
 * amounts, the number of lines, the billing email and the address the shopper gave Klarna). The email and the
 * address stay in memory for the comparison: they are never recorded.
 */
final class CompareCase {

	/** Klarna's order id (recorded). */
	public string $order_id;

	/** The session key (`kco_session_id`; never recorded). */
	public string $session_key;

	/** Whether the session row was found and not expired. */
	public bool $session_usable;

	/** Our verdict: approved. */
	public bool $approved;

	/**
	 * Our verdict's distinct codes.
	 *
	 * @var list<string>
	 */
	public array $codes;

	/**
	 * Our failures' code and sub-reason.
	 *
	 * @var list<array{code: string, reason: string|null}>
	 */
	public array $failures;

	/** What our snapshot said of WC_Cart::needs_shipping() (null: unknown). */
	public ?bool $needs_shipping;

	/** The total tolerance in minor units (the shop's setting, as decided). */
	public int $tolerance;

	/** Klarna's purchase currency, upper case. */
	public string $currency;

	/** Klarna's order_amount in minor units (null: not in the body). */
	public ?int $order_amount;

	/** Klarna's order_tax_amount in minor units (null: not in the body). */
	public ?int $order_tax_amount;

	/** Klarna's number of order lines. */
	public int $line_count;

	/** The billing email (in memory only: WooCommerce's email checks need it). */
	public ?string $email;

	/**
	 * Billing and shipping location as Klarna has them: country, postcode, state, city (in memory only).
	 *
	 * @var array{billing: array<string, string>, shipping: array<string, string>}
	 */
	public array $address;

	/**
	 * Constructor (use capture()).
	 *
	 * @param array<string, mixed> $values Values by property name.
	 */
	public function __construct( array $values ) {
		$this->order_id         = (string) ( $values['order_id'] ?? '' );
		$this->session_key      = (string) ( $values['session_key'] ?? '' );
		$this->session_usable   = (bool) ( $values['session_usable'] ?? false );
		$this->approved         = (bool) ( $values['approved'] ?? false );
		$this->codes            = array_values( array_map( 'strval', (array) ( $values['codes'] ?? array() ) ) );
		$this->failures         = array_values( (array) ( $values['failures'] ?? array() ) );
		$this->needs_shipping   = isset( $values['needs_shipping'] ) ? (bool) $values['needs_shipping'] : null;
		$this->tolerance        = max( 0, (int) ( $values['tolerance'] ?? 0 ) );
		$this->currency         = strtoupper( (string) ( $values['currency'] ?? '' ) );
		$this->order_amount     = isset( $values['order_amount'] ) ? (int) $values['order_amount'] : null;
		$this->order_tax_amount = isset( $values['order_tax_amount'] ) ? (int) $values['order_tax_amount'] : null;
		$this->line_count       = max( 0, (int) ( $values['line_count'] ?? 0 ) );
		$this->email            = isset( $values['email'] ) && '' !== $values['email'] ? (string) $values['email'] : null;
		$this->address          = array(
			'billing'  => (array) ( $values['address']['billing'] ?? array() ),
			'shipping' => (array) ( $values['address']['shipping'] ?? array() ),
		);
	}

	/**
	 * The case of one decision, from what `kco_validation_decided` passes. Reads arrays only: no query, no
	 * object of WooCommerce. Null when the arguments are not a decision.
	 *
	 * @param mixed       $verdict  Verdict (docs/contract.md §2).
	 * @param mixed       $order    \KcoValidation\Order.
	 * @param mixed       $snapshot Snapshot (docs/contract.md §1).
	 * @param string|null $body     Klarna's raw body.
	 */
	public static function capture( $verdict, $order, $snapshot, ?string $body ): ?self {
		if ( ! is_array( $verdict ) || ! is_array( $snapshot ) ) {
			return null;
		}
		$session = is_array( $snapshot['session'] ?? null ) ? $snapshot['session'] : array();
		$cart    = is_array( $snapshot['cart'] ?? null ) ? $snapshot['cart'] : array();
		$options = is_array( $snapshot['options'] ?? null ) ? $snapshot['options'] : array();
		$data    = null === $body ? null : json_decode( $body, true );
		$data    = is_array( $data ) ? $data : array();

		$failures = array();
		foreach ( is_array( $verdict['failures'] ?? null ) ? $verdict['failures'] : array() as $failure ) {
			if ( is_array( $failure ) && isset( $failure['code'] ) && is_string( $failure['code'] ) ) {
				$failures[] = array(
					'code'   => $failure['code'],
					'reason' => isset( $failure['reason'] ) && is_string( $failure['reason'] ) ? $failure['reason'] : null,
				);
			}
		}
		$email = is_object( $order ) && method_exists( $order, 'billingEmail' ) ? $order->billingEmail() : null;
		return new self(
			array(
				'order_id'         => is_object( $order ) && method_exists( $order, 'id' ) ? (string) $order->id() : (string) ( $data['order_id'] ?? '' ),
				'session_key'      => is_string( $session['customer_id'] ?? null ) ? $session['customer_id'] : '',
				'session_usable'   => true === ( $session['found'] ?? false ) && true !== ( $session['expired'] ?? false ),
				'approved'         => true === ( $verdict['approved'] ?? false ),
				'codes'            => is_array( $verdict['codes'] ?? null ) ? $verdict['codes'] : array(),
				'failures'         => $failures,
				'needs_shipping'   => is_bool( $cart['needs_shipping'] ?? null ) ? $cart['needs_shipping'] : null,
				'tolerance'        => is_int( $options['total_tolerance'] ?? null ) ? $options['total_tolerance'] : 0,
				'currency'         => is_object( $order ) && method_exists( $order, 'currency' ) ? (string) $order->currency() : (string) ( $data['purchase_currency'] ?? '' ),
				'order_amount'     => is_int( $data['order_amount'] ?? null ) ? $data['order_amount'] : null,
				'order_tax_amount' => is_int( $data['order_tax_amount'] ?? null ) ? $data['order_tax_amount'] : null,
				'line_count'       => is_array( $data['order_lines'] ?? null ) ? count( $data['order_lines'] ) : 0,
				'email'            => is_string( $email ) ? $email : null,
				'address'          => array(
					'billing'  => self::location( $data['billing_address'] ?? null ),
					'shipping' => self::location( $data['shipping_address'] ?? ( $data['billing_address'] ?? null ) ),
				),
			)
		);
	}

	/**
	 * The location part of a Klarna address (what WooCommerce's shipping zones and taxes use).
	 *
	 * @param mixed $address Klarna address.
	 * @return array<string, string>
	 */
	private static function location( $address ): array {
		if ( ! is_array( $address ) ) {
			return array();
		}
		$out = array();
		foreach ( array(
			'country'     => 'country',
			'postcode'    => 'postal_code',
			'state'       => 'region',
			'city'        => 'city',
		) as $wc => $klarna ) {
			if ( isset( $address[ $klarna ] ) && is_string( $address[ $klarna ] ) && '' !== $address[ $klarna ] ) {
				$out[ $wc ] = 'country' === $wc ? strtoupper( $address[ $klarna ] ) : $address[ $klarna ];
			}
		}
		return $out;
	}

	/**
	 * Our failures' sub-reasons for a code, each once.
	 *
	 * @param string $code Failure code.
	 * @return list<string>
	 */
	public function reasons_of( string $code ): array {
		$reasons = array();
		foreach ( $this->failures as $failure ) {
			if ( $code === $failure['code'] && null !== $failure['reason'] && ! in_array( $failure['reason'], $reasons, true ) ) {
				$reasons[] = $failure['reason'];
			}
		}
		return $reasons;
	}
}
