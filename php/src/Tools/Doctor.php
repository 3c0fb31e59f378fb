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
 * The probe goes out through wp_remote_post() (the WordPress HTTP API, so proxies and CA settings apply) to
 * home_url( '/wc-api/KCO_WC_Validation/' ) with the query Klarna uses, without following redirects, with a short
 * timeout, and with the signature ProbeResponder checks.
 */
class Doctor {

	/** Seconds before the probe gives up (Klarna waits 3 s, then 10 s with require_validate_callback_success). */
	const TIMEOUT = 6;

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
	 * The URL Klarna is given, as KCO 1.x builds it, without the per-session arguments.
	 */
	public static function probe_url(): string {
		/**
		 * The URL the doctor probes.
		 *
		 * @param string $url home_url( '/wc-api/KCO_WC_Validation/' ) with kco-action=validation.
		 */
		return (string) apply_filters( 'kco_validation_doctor_url', home_url( '/wc-api/KCO_WC_Validation/' ) . '?kco-action=validation' );
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
	 * Sends the probe and records what came back.
	 *
	 * @param string $url URL.
	 * @return array<string, mixed>
	 */
	public function observe( string $url ): array {
		$args = array(
			'method'      => 'POST',
			'timeout'     => self::TIMEOUT,
			'redirection' => 0,
			'httpversion' => '1.1',
			'user-agent'  => 'KCO-Validation-Doctor/' . ( defined( 'KCO_VALIDATION_PLUGIN_VERSION' ) ? KCO_VALIDATION_PLUGIN_VERSION : '0' ),
			'headers'     => ProbeSignature::headers() + array( 'Content-Type' => 'application/json' ),
			'body'        => '{"probe":true}',
			'sslverify'   => true,
			'blocking'    => true,
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
		return $base + array(
			'status'  => isset( $response['response']['code'] ) ? (int) $response['response']['code'] : null,
			'headers' => $headers,
			'body'    => substr( (string) ( $response['body'] ?? '' ), 0, ProbeClassifier::BODY_BYTES ),
			'error'   => null,
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
