<?php
/**
 * Site Health test and admin notice about the extension.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin;

defined( 'ABSPATH' ) || exit;

/**
 * Tells the shop owner when the plugin cannot take over the validation callback.
 */
class HealthCheck {

	const TEST = 'kco_validation_extension';

	/** Requirements. */
	private Requirements $requirements;

	/**
	 * Constructor.
	 *
	 * @param Requirements $requirements Requirements.
	 */
	public function __construct( Requirements $requirements ) {
		$this->requirements = $requirements;
	}

	/**
	 * Hooks.
	 */
	public function register(): void {
		add_filter( 'site_status_tests', array( $this, 'add_test' ) );
		if ( null !== $this->requirements->problem() ) {
			add_action( 'admin_notices', array( $this, 'admin_notice' ) );
		}
	}

	/**
	 * Adds the direct test.
	 *
	 * @param mixed $tests Site Health tests.
	 * @return mixed
	 */
	public function add_test( $tests ) {
		if ( is_array( $tests ) ) {
			$tests['direct'][ self::TEST ] = array(
				'label' => __( 'Klarna validation extension', 'kco-validation' ),
				'test'  => array( $this, 'run' ),
			);
		}
		return $tests;
	}

	/**
	 * The test result.
	 *
	 * @return array<string, mixed>
	 */
	public function run(): array {
		$problem = $this->requirements->problem();
		$result  = array(
			'label'       => __( 'Klarna Checkout orders are validated by the kco_validation extension', 'kco-validation' ),
			'status'      => 'good',
			'badge'       => array(
				'label' => __( 'Klarna validation', 'kco-validation' ),
				'color' => 'blue',
			),
			'description' => '<p>' . esc_html(
				sprintf(
					/* translators: %s: extension version */
					__( 'The kco_validation extension %s is loaded and answers the validation callback.', 'kco-validation' ),
					(string) $this->requirements->extension_version()
				)
			) . '</p>',
			'actions'     => '',
			'test'        => self::TEST,
		);
		if ( null !== $problem ) {
			$result['status']         = 'critical';
			$result['badge']['color'] = 'red';
			$result['label']          = __( 'Klarna Checkout orders are not validated by the kco_validation extension', 'kco-validation' );
			$result['description']    = '<p>' . esc_html( $this->problem_text( $problem ) ) . '</p>';
		}
		return $result;
	}

	/**
	 * Prints the admin notice for shop managers.
	 */
	public function admin_notice(): void {
		$problem = $this->requirements->problem();
		if ( null === $problem || ( function_exists( 'current_user_can' ) && ! current_user_can( 'manage_woocommerce' ) ) ) {
			return;
		}
		printf( '<div class="notice notice-error"><p>%s</p></div>', esc_html( $this->problem_text( $problem ) ) );
	}

	/**
	 * The explanation of a problem.
	 *
	 * @param string $problem Problem code from Requirements::problem().
	 */
	public function problem_text( string $problem ): string {
		switch ( $problem ) {
			case 'woocommerce_missing':
				return __( 'KCO Validation needs WooCommerce to be active.', 'kco-validation' );
			case 'extension_incompatible':
				return sprintf(
					/* translators: 1: loaded version, 2: lowest supported version, 3: first unsupported version */
					__( 'KCO Validation is inactive: the kco_validation PHP extension %1$s is not compatible (needs %2$s or later, before %3$s). Klarna validation callbacks are answered as without this plugin.', 'kco-validation' ),
					(string) $this->requirements->extension_version(),
					Requirements::MIN_EXTENSION_VERSION,
					Requirements::MAX_EXTENSION_VERSION
				);
			default:
				return __( 'KCO Validation is inactive: the kco_validation PHP extension is not loaded. Klarna validation callbacks are answered as without this plugin.', 'kco-validation' );
		}
	}
}
