<?php
/**
 * Site Health: "Klarna can reach the validation callback", run asynchronously.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin\Tools;

defined( 'ABSPATH' ) || exit;

/**
 * An async test (the probe takes a round trip through the public internet, too slow for a direct test): the Site
 * Health screen calls admin-ajax action `health-check-kco-validation-callback` (WordPress prefixes the test slug
 * with "health-check-" and sends the `health-check-site-status` nonce); the weekly cron calls async_direct_test.
 */
class SiteHealth {

	/** Test slug (also the ajax action after "health-check-"). */
	const TEST = 'kco-validation-callback';

	/** The admin-ajax action WordPress's site-health.js posts to. */
	const AJAX_ACTION = 'health-check-kco-validation-callback';

	/**
	 * The doctor factory.
	 *
	 * @var callable(): Doctor
	 */
	private $doctor;

	/**
	 * Constructor.
	 *
	 * @param callable|null $doctor Returns a Doctor (tests).
	 */
	public function __construct( ?callable $doctor = null ) {
		$this->doctor = $doctor ?? static fn (): Doctor => new Doctor();
	}

	/**
	 * Adds the async test.
	 *
	 * @param mixed $tests Site Health tests.
	 * @return mixed
	 */
	public function add_test( $tests ) {
		if ( is_array( $tests ) ) {
			$tests['async'][ self::TEST ] = array(
				'label'             => __( 'Klarna can reach the validation callback', 'kco-validation' ),
				'test'              => self::TEST,
				'has_rest'          => false,
				'async_direct_test' => array( $this, 'run' ),
			);
		}
		return $tests;
	}

	/**
	 * The admin-ajax handler.
	 */
	public function ajax(): void {
		check_ajax_referer( 'health-check-site-status' );
		if ( ! current_user_can( 'view_site_health_checks' ) ) {
			wp_send_json_error();
		}
		wp_send_json_success( $this->run() );
	}

	/**
	 * Runs the probe and returns a Site Health result.
	 *
	 * @return array<string, mixed>
	 */
	public function run(): array {
		$diagnosis = ( $this->doctor )()->run();
		return self::result( $diagnosis );
	}

	/**
	 * A Site Health result for a diagnosis.
	 *
	 * @param Diagnosis $diagnosis Diagnosis.
	 * @return array<string, mixed>
	 */
	public static function result( Diagnosis $diagnosis ): array {
		// Critical only when Klarna's callback does not reach the endpoint; a reachable endpoint with a problem is a
		// recommendation, and the heading says which it is.
		switch ( $diagnosis->state ) {
			case 'reachable':
				$status = $diagnosis->slow() ? 'recommended' : 'good';
				$label  = $diagnosis->slow()
					? __( 'Klarna reaches the validation callback, but it answers slowly', 'kco-validation' )
					: __( 'Klarna can reach the validation callback', 'kco-validation' );
				break;
			case 'not_https':
				$status = 'recommended';
				$label  = __( 'The validation callback is reachable, but over plain http', 'kco-validation' );
				break;
			case 'extension_missing':
			case 'extension_incompatible':
				$status = 'recommended';
				$label  = __( 'Klarna reaches the validation callback, but the plugin cannot decide it', 'kco-validation' );
				break;
			default:
				$status = 'critical';
				$label  = __( 'Klarna cannot reach the validation callback', 'kco-validation' );
		}
		$description = '<p>' . esc_html( $diagnosis->summary ) . '</p><p>' . esc_html( $diagnosis->explanation ) . '</p>';
		if ( null !== $diagnosis->blocker || null !== $diagnosis->answered_by ) {
			$description .= '<p>' . esc_html(
				sprintf(
					/* translators: 1: what answered, 2: evidence */
					__( 'Seen in the answer: %1$s (%2$s).', 'kco-validation' ),
					null !== $diagnosis->blocker ? $diagnosis->blocker : (string) $diagnosis->answered_by,
					'' !== $diagnosis->evidence ? $diagnosis->evidence : __( 'nothing in the answer names it', 'kco-validation' )
				)
			) . '</p>';
		}
		foreach ( $diagnosis->hints as $hint ) {
			$description .= '<p>' . esc_html( $hint ) . '</p>';
		}
		if ( '' !== $diagnosis->fix ) {
			$description .= '<p><strong>' . esc_html__( 'What to change:', 'kco-validation' ) . '</strong> ' . esc_html( $diagnosis->fix ) . '</p>';
		}
		return array(
			'label'       => $label,
			'status'      => $status,
			'badge'       => array(
				'label' => __( 'Klarna validation', 'kco-validation' ),
				'color' => 'good' === $status ? 'blue' : ( 'recommended' === $status ? 'orange' : 'red' ),
			),
			'description' => $description,
			'actions'     => '',
			'test'        => self::TEST,
		);
	}
}
