<?php
/**
 * Sends a signed probe to the shop's own public validation URL and classifies the answer.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin\Tools;

defined( 'ABSPATH' ) || exit;

/**
 * The probe is sent as Klarna sends a callback, so that whatever stands in Klarna's way stands in the probe's: a POST
 * through wp_remote_post() (the WordPress HTTP API, so proxies and CA settings apply) to the validation URL the plugin
 * gives Klarna (KcoIntegration::validation_url(): the shop's address, kco_session_id of a throw-away session, its
 * token, an order id), with a Klarna order as JSON body (merchant_urls.validation included) and Klarna's headers;
 * without following redirects, waiting as long as Klarna waits at most. It also carries the signature ProbeResponder
 * checks, so the plugin answers it without deciding anything (no session is read, nothing is logged). The whole
 * answer is read, up to ProbeClassifier::BODY_BYTES.
 */
class Doctor {

	/** Seconds before the probe gives up: the longest Klarna waits (10 s with require_validate_callback_success). */
	const TIMEOUT = 10;

	/**
	 * The User-Agent of the probe. Klarna does not document the one its callbacks carry; this names Klarna the way a
	 * firewall's user-agent rule would see it (filter `kco_validation_doctor_request_args` to send another).
	 */
	const USER_AGENT = 'Klarna-Checkout-Callback (kco-validation doctor)';

	/** Prefix of the throw-away session key and order id the probe uses (no such session exists). */
	const PROBE_PREFIX = 'kco-doctor-';

	/**
	 * Sends the request: (string $url, array $args) => array|\WP_Error, as wp_remote_post().
	 *
	 * @var callable
	 */
	private $transport;

	/** Classifier. */
	private ProbeClassifier $classifier;

	/**
	 * Constructor.
	 *
	 * @param callable|null        $transport  As wp_remote_post() (tests).
	 * @param ProbeClassifier|null $classifier Classifier.
	 */
	public function __construct( ?callable $transport = null, ?ProbeClassifier $classifier = null ) {
		$this->transport  = $transport ?? 'wp_remote_post';
		$this->classifier = $classifier ?? new ProbeClassifier();
	}

	/**
	 * The URL Klarna is given for a callback, as the plugin builds it, for a throw-away session and order id.
	 */
	public static function probe_url(): string {
		$session = self::PROBE_PREFIX . bin2hex( random_bytes( 8 ) );
		$order   = self::PROBE_PREFIX . bin2hex( random_bytes( 8 ) );
		$url     = class_exists( \KcoValidation\Plugin\Integration\KcoIntegration::class )
			? str_replace( '{checkout.order.id}', $order, \KcoValidation\Plugin\Integration\KcoIntegration::validation_url( $session ) )
			: home_url( '/wc-api/KCO_WC_Validation/' ) . '?kco-action=validation';
		/**
		 * The URL the doctor probes.
		 *
		 * @param string $url The validation URL for a throw-away session (kco_session_id, token, kco_wc_order_id).
		 */
		return (string) apply_filters( 'kco_validation_doctor_url', $url );
	}

	/**
	 * A Klarna order as Klarna POSTs it to the validation URL (docs: the body is the order as fetched), for the
	 * throw-away session: what a firewall's body rules see in a real callback (addresses, an email, order lines).
	 *
	 * @param string $url The URL probed (merchant_urls.validation).
	 */
	public static function probe_body( string $url ): string {
		$currency = function_exists( 'get_woocommerce_currency' ) ? (string) get_woocommerce_currency() : 'SEK';
		$query    = (string) wp_parse_url( $url, PHP_URL_QUERY );
		parse_str( $query, $args );
		$order_id = isset( $args['kco_wc_order_id'] ) && is_string( $args['kco_wc_order_id'] ) ? $args['kco_wc_order_id'] : self::PROBE_PREFIX . 'order';
		$home     = rtrim( (string) home_url( '/' ), '/' );
		$address  = array(
			'given_name'      => 'Probe',
			'family_name'     => 'Klarna-Doctor',
			'email'           => 'probe@example.com',
			'street_address'  => 'Sveavägen 46',
			'postal_code'     => '111 34',
			'city'            => 'Stockholm',
			'phone'           => '+46701740615',
			'country'         => 'se',
		);
		$order    = array(
			'order_id'           => $order_id,
			'status'             => 'checkout_incomplete',
			'purchase_country'   => 'se',
			'purchase_currency'  => '' !== $currency ? $currency : 'SEK',
			'locale'             => 'sv-SE',
			'billing_address'    => $address,
			'shipping_address'   => $address,
			'order_amount'       => 10000,
			'order_tax_amount'   => 2000,
			'order_lines'        => array(
				array(
					'type'                  => 'physical',
					'reference'             => 'KCO-DOCTOR-PROBE',
					'name'                  => 'Probe (kco-validation doctor)',
					'quantity'              => 1,
					'quantity_unit'         => 'pcs',
					'unit_price'            => 10000,
					'tax_rate'              => 2500,
					'total_amount'          => 10000,
					'total_discount_amount' => 0,
					'total_tax_amount'      => 2000,
				),
			),
			'customer'           => array( 'type' => 'person' ),
			'merchant_urls'      => array(
				'terms'        => $home . '/',
				'checkout'     => $home . '/?kco-doctor',
				'confirmation' => $home . '/?kco-doctor-confirmation',
				'push'         => $home . '/?kco-doctor-push',
				'validation'   => $url,
			),
			'merchant_data'      => '',
			'options'            => array( 'require_validate_callback_success' => false ),
			'started_at'         => gmdate( 'Y-m-d\\TH:i:s.000\\Z' ),
			'last_modified_at'   => gmdate( 'Y-m-d\\TH:i:s.000\\Z' ),
		);
		return (string) wp_json_encode( $order, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE );
	}

	/**
	 * Probes and classifies.
	 *
	 * @param string|null $url URL (default probe_url()).
	 */
	public function run( ?string $url = null ): Diagnosis {
		$url = $url ?? self::probe_url();
		return $this->classifier->classify( $this->observe( $url ), self::active_plugins() );
	}

	/**
	 * Sends the probe and records what came back: status, headers, the whole body up to the cap and its full length.
	 *
	 * @param string $url URL.
	 * @return array<string, mixed>
	 */
	public function observe( string $url ): array {
		$args = array(
			'method'              => 'POST',
			'timeout'             => self::TIMEOUT,
			'redirection'         => 0,
			'httpversion'         => '1.1',
			'user-agent'          => self::USER_AGENT,
			'headers'             => ProbeSignature::headers() + array(
				'Content-Type' => 'application/json',
				'Accept'       => '*/*',
			),
			'body'                => self::probe_body( $url ),
			'sslverify'           => true,
			'blocking'            => true,
			'limit_response_size' => ProbeClassifier::BODY_BYTES,
		);
		/**
		 * The doctor's request arguments (wp_remote_post() format).
		 *
		 * @param array  $args Arguments.
		 * @param string $url  URL.
		 */
		$args  = (array) apply_filters( 'kco_validation_doctor_request_args', $args, $url );
		$start = hrtime( true );
		try {
			$response = call_user_func( $this->transport, $url, $args );
		} catch ( \Throwable $e ) {
			$response = new \WP_Error( 'http_request_failed', $e->getMessage() );
		}
		$elapsed = ( hrtime( true ) - $start ) / 1e6;
		$base    = array(
			'url'        => $url,
			'elapsed_ms' => $elapsed,
		);
		if ( $response instanceof \WP_Error ) {
			return $base + array(
				'status'  => null,
				'headers' => array(),
				'body'    => '',
				'error'   => $response->get_error_message(),
			);
		}
		if ( ! is_array( $response ) ) {
			return $base + array(
				'status'  => null,
				'headers' => array(),
				'body'    => '',
				'error'   => 'no response',
			);
		}
		$headers = array();
		$raw     = $response['headers'] ?? array();
		if ( is_iterable( $raw ) ) {
			foreach ( $raw as $name => $value ) {
				$headers[ strtolower( (string) $name ) ] = is_array( $value ) ? implode( ', ', $value ) : (string) $value;
			}
		}
		$body   = (string) ( $response['body'] ?? '' );
		$length = strlen( $body );
		if ( isset( $headers['content-length'] ) && is_numeric( $headers['content-length'] ) ) {
			$length = max( $length, (int) $headers['content-length'] );
		}
		return $base + array(
			'status'     => isset( $response['response']['code'] ) ? (int) $response['response']['code'] : null,
			'headers'    => $headers,
			'body'       => substr( $body, 0, ProbeClassifier::BODY_BYTES ),
			'body_bytes' => $length,
			'error'      => null,
		);
	}

	/**
	 * Active plugins of the site and the network.
	 *
	 * @return list<string>
	 */
	public static function active_plugins(): array {
		$plugins = get_option( 'active_plugins', array() );
		$plugins = is_array( $plugins ) ? array_values( array_map( 'strval', $plugins ) ) : array();
		if ( function_exists( 'is_multisite' ) && is_multisite() && function_exists( 'get_site_option' ) ) {
			$network = get_site_option( 'active_sitewide_plugins', array() );
			if ( is_array( $network ) ) {
				$plugins = array_merge( $plugins, array_map( 'strval', array_keys( $network ) ) );
			}
		}
		return array_values( array_unique( $plugins ) );
	}
}
