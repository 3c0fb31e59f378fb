<?php
/**
 * Runs a saved Klarna callback body against the live shop, as the endpoint would, without answering Klarna.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin\Tools;

use KcoValidation\Plugin\Decision\Decider;

defined( 'ABSPATH' ) || exit;

/**
 * The endpoint's own decision path (Decision\Decider: session, snapshot and its filter, the extension's verdict,
 * the verdict filter, the extension's answer) for a saved body, minus the sending: it answers nobody, fires no
 * `kco_validation_decided` (so nothing is written to the decision log) and writes nothing. So its status and
 * Location — signed details included — are the ones the shop gave, as long as the shop is still in the state it was.
 * Without a session key it takes the one Klarna was given: `kco_session_id` of the body's
 * `merchant_urls.validation`.
 */
class Replay {

	/** The decision path. */
	private Decider $decider;

	/**
	 * Constructor.
	 *
	 * @param Decider $decider The decision path.
	 */
	public function __construct( Decider $decider ) {
		$this->decider = $decider;
	}

	/**
	 * Replay wired to WordPress's globals.
	 */
	public static function create(): self {
		return new self( Decider::create() );
	}

	/**
	 * The session key a body's own validation URL names, or null.
	 *
	 * @param string $body Klarna's body.
	 */
	public static function session_from_body( string $body ): ?string {
		$data = json_decode( $body, true );
		$url  = is_array( $data ) && is_array( $data['merchant_urls'] ?? null ) ? ( $data['merchant_urls']['validation'] ?? null ) : null;
		if ( ! is_string( $url ) ) {
			return null;
		}
		$query = wp_parse_url( $url, PHP_URL_QUERY );
		if ( ! is_string( $query ) ) {
			return null;
		}
		parse_str( $query, $args );
		return isset( $args['kco_session_id'] ) && is_string( $args['kco_session_id'] ) && '' !== $args['kco_session_id'] ? $args['kco_session_id'] : null;
	}

	/**
	 * Decides a body.
	 *
	 * @param string      $body       Raw Klarna body.
	 * @param string|null $session_id WooCommerce session key (kco_session_id of the callback URL).
	 * @return array{ok: bool, error: string|null, order_id: string, session: array{key: string, from: string, found: bool, expired: bool}, approved: bool, codes: list<string>, failures: list<array<string, mixed>>, response: array<string, mixed>|null}
	 */
	public function run( string $body, ?string $session_id = null ): array {
		$result = array(
			'ok'       => false,
			'error'    => null,
			'order_id' => '',
			'session'  => array(
				'key'     => (string) $session_id,
				'from'    => null === $session_id ? 'none' : 'given',
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
		$result['order_id']       = $order->id();
		if ( null === $session_id ) {
			$session_id                = self::session_from_body( $body );
			$result['session']['from'] = null === $session_id ? 'none' : 'body';
		}
		$result['session']['key'] = (string) $session_id;
		try {
			$decision = $this->decider->decide( $order, (string) $session_id );
		} catch ( \Throwable $e ) {
			$result['error'] = get_class( $e ) . ': ' . $e->getMessage();
			return $result;
		}
		$result['session']['found']   = $decision->session['found'];
		$result['session']['expired'] = $decision->session['expired'];
		$result['ok']                 = true;
		$result['approved']           = $decision->approved();
		$result['codes']              = $decision->verdict['codes'];
		$result['failures']           = $decision->verdict['failures'];
		$result['response']           = $decision->response();
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
			'session:  ' . ( '' === $session['key'] ? '(none given, and the body\'s merchant_urls.validation has no kco_session_id)' : $session['key'] ) . ( 'body' === ( $session['from'] ?? '' ) ? ' (kco_session_id of the body\'s merchant_urls.validation)' : '' ) . ' ' . ( $session['found'] ? ( $session['expired'] ? '(found, expired)' : '(found)' ) : '(not found)' ),
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
