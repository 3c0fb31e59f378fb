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
		$status = 'critical';
		if ( $diagnosis->ok() ) {
			$status = $diagnosis->slow() ? 'recommended' : 'good';
		}
		$description = '<p>' . esc_html( $diagnosis->summary ) . '</p><p>' . esc_html( $diagnosis->explanation ) . '</p>';
		if ( null !== $diagnosis->blocker ) {
			$description .= '<p>' . esc_html(
				sprintf(
					/* translators: 1: blocker, 2: evidence */
					__( 'Likely blocker: %1$s (%2$s).', 'kco-validation' ),
					$diagnosis->blocker,
					'' !== $diagnosis->evidence ? $diagnosis->evidence : __( 'no vendor named in the answer', 'kco-validation' )
				)
			) . '</p>';
		}
		if ( '' !== $diagnosis->fix ) {
			$description .= '<p><strong>' . esc_html__( 'What to change:', 'kco-validation' ) . '</strong> ' . esc_html( $diagnosis->fix ) . '</p>';
		}
		return array(
			'label'       => $diagnosis->ok()
				? __( 'Klarna can reach the validation callback', 'kco-validation' )
				: __( 'Klarna cannot use the validation callback', 'kco-validation' ),
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
