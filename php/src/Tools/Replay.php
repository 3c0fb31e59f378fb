<?php
/**
 * Runs a saved Klarna callback body against the live shop, as the endpoint would, without answering Klarna.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin\Tools;

use KcoValidation\Plugin\CouponRepository;
use KcoValidation\Plugin\CustomerRepository;
use KcoValidation\Plugin\Multilingual\Languages;
use KcoValidation\Plugin\ProductRepository;
use KcoValidation\Plugin\SessionStore;
use KcoValidation\Plugin\Settings;
use KcoValidation\Plugin\SnapshotBuilder;

defined( 'ABSPATH' ) || exit;

/**
 * The endpoint's decision path (Order::parse, SessionStore::load, SnapshotBuilder::build and the
 * `kco_validation_snapshot` filter, Order::validate and the `kco_validation_verdict` filter), minus the answer: it
 * sends nothing, fires no `kco_validation_decided` (so nothing is written to the decision log) and writes nothing.
 */
class Replay {

	/** Sessions. */
	private SessionStore $sessions;

	/** Snapshot builder. */
	private SnapshotBuilder $builder;

	/**
	 * Constructor.
	 *
	 * @param SessionStore    $sessions Sessions.
	 * @param SnapshotBuilder $builder  Builder.
	 */
	public function __construct( SessionStore $sessions, SnapshotBuilder $builder ) {
		$this->sessions = $sessions;
		$this->builder  = $builder;
	}

	/**
	 * Wired to WordPress's globals, as Endpoint::create() wires the endpoint.
	 */
	public static function create(): self {
		global $wpdb;
		$settings = Settings::load();
		return new self(
			new SessionStore( $wpdb ),
			new SnapshotBuilder( new ProductRepository( $wpdb ), new CouponRepository( $wpdb ), new CustomerRepository( $wpdb ), $settings, Languages::detect() )
		);
	}

	/**
	 * Decides a body.
	 *
	 * @param string      $body       Raw Klarna body.
	 * @param string|null $session_id WooCommerce session key (kco_session_id of the callback URL).
	 * @return array{ok: bool, error: string|null, order_id: string, session: array{key: string, found: bool, expired: bool}, approved: bool, codes: list<string>, failures: list<array<string, mixed>>, response: array<string, mixed>|null}
	 */
	public function run( string $body, ?string $session_id = null ): array {
		$result = array(
			'ok'       => false,
			'error'    => null,
			'order_id' => '',
			'session'  => array(
				'key'     => (string) $session_id,
				'found'   => false,
				'expired' => false,
			),
			'approved' => false,
			'codes'    => array(),
			'failures' => array(),
			'response' => null,
		);
		if ( ! class_exists( 'KcoValidation\\Order', false ) ) {
			$result['error'] = 'the kco_validation extension is not loaded';
			return $result;
		}
		try {
			$order = \KcoValidation\Order::parse( $body );
		} catch ( \KcoValidation\InvalidPayload $e ) {
			$result['error'] = 'not a Klarna order: ' . $e->getMessage();
			return $result;
		}
		$result['order_id'] = $order->id();
		try {
			$session                      = $this->sessions->load( $session_id ?? '' );
			$result['session']['found']   = $session->found;
			$result['session']['expired'] = $session->expired;
			/** This filter is documented in php/src/Endpoint.php. */
			$snapshot = apply_filters( 'kco_validation_snapshot', $this->builder->build( $order, $session ), $order, $session );
			if ( ! is_array( $snapshot ) ) {
				throw new \UnexpectedValueException( 'kco_validation_snapshot did not return an array' );
			}
			/** This filter is documented in php/src/Endpoint.php. */
			$verdict = apply_filters( 'kco_validation_verdict', $order->validate( $snapshot ), $order, $snapshot );
			if ( ! is_array( $verdict ) ) {
				throw new \UnexpectedValueException( 'kco_validation_verdict did not return an array' );
			}
		} catch ( \Throwable $e ) {
			$result['error'] = get_class( $e ) . ': ' . $e->getMessage();
			return $result;
		}
		$failures           = array_values( array_filter( is_array( $verdict['failures'] ?? null ) ? $verdict['failures'] : array(), 'is_array' ) );
		$result['ok']       = true;
		$result['approved'] = true === ( $verdict['approved'] ?? false ) && array() === $failures;
		$result['codes']    = array_values( array_filter( (array) ( $verdict['codes'] ?? array() ), 'is_string' ) );
		$result['failures'] = $failures;
		$result['response'] = is_array( $verdict['response'] ?? null ) ? $verdict['response'] : null;
		return $result;
	}

	/**
	 * Plain-text lines of a result, every reason included.
	 *
	 * @param array<string, mixed> $result run() result.
	 * @return list<string>
	 */
	public static function lines( array $result ): array {
		if ( null !== $result['error'] ) {
			return array( 'error: ' . $result['error'] );
		}
		$session = $result['session'];
		$lines   = array(
			'order:    ' . $result['order_id'],
			'session:  ' . ( '' === $session['key'] ? '(none given)' : $session['key'] ) . ' ' . ( $session['found'] ? ( $session['expired'] ? '(found, expired)' : '(found)' ) : '(not found)' ),
			'decision: ' . ( $result['approved'] ? 'approved' : 'denied' ),
			'status:   ' . ( is_array( $result['response'] ) ? (string) ( $result['response']['status'] ?? '-' ) : '-' ),
		);
		if ( is_array( $result['response'] ) && ! empty( $result['response']['location'] ) ) {
			$lines[] = 'location: ' . $result['response']['location'];
		}
		$lines[] = 'codes:    ' . ( array() === $result['codes'] ? '-' : implode( ', ', $result['codes'] ) );
		foreach ( $result['failures'] as $i => $failure ) {
			$lines[] = sprintf(
				'reason %d: [%s]%s %s',
				$i + 1,
				(string) ( $failure['code'] ?? '?' ),
				isset( $failure['reference'] ) && is_string( $failure['reference'] ) ? ' ' . $failure['reference'] . ':' : '',
				(string) ( $failure['message'] ?? '' )
			);
		}
		return $lines;
	}
}
