<?php
/**
 * The plugin's settings: stored as autoloaded options, edited under WooCommerce › Settings › Advanced.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin;

use KcoValidation\Plugin\Snapshot\TimeBudget;

defined( 'ABSPATH' ) || exit;

/**
 * Immutable view of the settings for one request; also registers the settings section.
 */
class Settings {

	const PREFIX = 'kco_validation_';

	const SECTION = 'kco_validation';

	/** Default cap on the callback body, in bytes (filter `kco_validation_max_body_bytes`). */
	const DEFAULT_MAX_BODY_BYTES = 1048576;

	/**
	 * Allowed values per setting; the first is the default.
	 */
	const CHOICES = array(
		'response_mode'    => array( 'redirect', 'error_json' ),
		'unknown_products' => array( 'deny', 'ignore' ),
		'fault_policy'     => array( 'deny', 'approve' ),
		'log_level'        => array( 'info', 'debug', 'notice', 'warning', 'error', 'critical', 'none' ),
	);

	/** Response mode: redirect | error_json. */
	public string $response_mode;

	/** Allowed total difference, in minor units. */
	public int $total_tolerance;

	/** Unknown products: deny | ignore. */
	public string $unknown_products;

	/** Internal-fault policy: deny | approve. */
	public string $fault_policy;

	/** Logging threshold (a WC_Log_Levels level, or none). */
	public string $log_level;

	/**
	 * Builds from already sanitized values; use load().
	 *
	 * @param array<string, mixed> $values Values keyed by setting name.
	 */
	public function __construct( array $values = array() ) {
		foreach ( self::CHOICES as $key => $choices ) {
			$value      = isset( $values[ $key ] ) && is_string( $values[ $key ] ) ? $values[ $key ] : '';
			$this->$key = in_array( $value, $choices, true ) ? $value : $choices[0];
		}
		$tolerance             = $values['total_tolerance'] ?? 0;
		$this->total_tolerance = is_numeric( $tolerance ) ? max( 0, min( 1000000, (int) $tolerance ) ) : 0;
	}

	/**
	 * Reads the options (autoloaded, so no query).
	 */
	public static function load(): self {
		$values = array();
		foreach ( array_keys( self::CHOICES ) as $key ) {
			$values[ $key ] = get_option( self::PREFIX . $key, self::CHOICES[ $key ][0] );
		}
		$values['total_tolerance'] = get_option( self::PREFIX . 'total_tolerance', 0 );
		return new self( $values );
	}

	/**
	 * The `options` section of the store snapshot (docs/contract.md §1).
	 *
	 * @return array{response_mode: string, total_tolerance: int, unknown_products: string}
	 */
	public function snapshot_options(): array {
		return array(
			'response_mode'    => $this->response_mode,
			'total_tolerance'  => $this->total_tolerance,
			'unknown_products' => $this->unknown_products,
		);
	}

	/**
	 * The callback's time budget in milliseconds (TimeBudget).
	 */
	public function time_budget_ms(): int {
		/**
		 * The callback's time budget in milliseconds from the request's arrival (200–8000); past it, the answer is
		 * the internal-fault policy's. Klarna expects an answer within 3 s.
		 *
		 * @param int $ms Milliseconds (option kco_validation_time_budget_ms, default 2000).
		 */
		$ms = apply_filters( 'kco_validation_time_budget_ms', get_option( self::PREFIX . 'time_budget_ms', TimeBudget::DEFAULT_MS ) );
		return is_numeric( $ms ) ? max( TimeBudget::MIN_MS, min( TimeBudget::MAX_MS, (int) $ms ) ) : TimeBudget::DEFAULT_MS;
	}

	/**
	 * The body size cap in bytes, at least 1 KiB.
	 */
	public function max_body_bytes(): int {
		$max = apply_filters( 'kco_validation_max_body_bytes', self::DEFAULT_MAX_BODY_BYTES );
		return is_numeric( $max ) ? max( 1024, (int) $max ) : self::DEFAULT_MAX_BODY_BYTES;
	}

	/**
	 * Hooks the settings section into WooCommerce › Settings › Advanced.
	 */
	public static function register_hooks(): void {
		add_filter( 'woocommerce_get_sections_advanced', array( self::class, 'add_section' ) );
		add_filter( 'woocommerce_get_settings_advanced', array( self::class, 'section_settings' ), 10, 2 );
	}

	/**
	 * Adds the section link.
	 *
	 * @param mixed $sections Sections of the Advanced tab.
	 * @return mixed
	 */
	public static function add_section( $sections ) {
		if ( is_array( $sections ) ) {
			$sections[ self::SECTION ] = __( 'Klarna validation', 'kco-validation' );
		}
		return $sections;
	}

	/**
	 * The fields of our section (WooCommerce settings API format), or the given settings for other sections.
	 *
	 * @param mixed  $settings        Settings of the current section.
	 * @param string $current_section Current section id.
	 * @return mixed
	 */
	public static function section_settings( $settings, $current_section = '' ) {
		if ( self::SECTION !== $current_section ) {
			return $settings;
		}
		return self::fields();
	}

	/**
	 * The settings fields.
	 *
	 * @return list<array<string, mixed>>
	 */
	public static function fields(): array {
		return array(
			array(
				'title' => __( 'Klarna Checkout validation', 'kco-validation' ),
				'type'  => 'title',
				'desc'  => __( 'How the validation callback answers Klarna when an order cannot be accepted.', 'kco-validation' ),
				'id'    => self::PREFIX . 'section',
			),
			array(
				'title'   => __( 'Response mode', 'kco-validation' ),
				'id'      => self::PREFIX . 'response_mode',
				'type'    => 'select',
				'default' => 'redirect',
				'options' => array(
					'redirect'   => __( 'Redirect the shopper to the cart or checkout page with the reasons (303)', 'kco-validation' ),
					'error_json' => __( 'Show the reason inside the Klarna checkout (400 with error text)', 'kco-validation' ),
				),
			),
			array(
				'title'             => __( 'Total tolerance', 'kco-validation' ),
				'desc'              => __( 'Allowed difference between the Klarna and WooCommerce totals, in minor units (öre, cents).', 'kco-validation' ),
				'id'                => self::PREFIX . 'total_tolerance',
				'type'              => 'number',
				'default'           => '0',
				'custom_attributes' => array(
					'min'  => '0',
					'step' => '1',
				),
			),
			array(
				'title'             => __( 'Time limit', 'kco-validation' ),
				'desc'              => __( 'Milliseconds from the arrival of Klarna\'s request; when the shop cannot decide in time (a slow database), the answer is the one chosen under "When validation itself fails". Klarna expects an answer within 3 seconds.', 'kco-validation' ),
				'id'                => self::PREFIX . 'time_budget_ms',
				'type'              => 'number',
				'default'           => (string) TimeBudget::DEFAULT_MS,
				'custom_attributes' => array(
					'min'  => (string) TimeBudget::MIN_MS,
					'max'  => (string) TimeBudget::MAX_MS,
					'step' => '100',
				),
			),
			array(
				'title'   => __( 'Unknown products', 'kco-validation' ),
				'id'      => self::PREFIX . 'unknown_products',
				'type'    => 'select',
				'default' => 'deny',
				'options' => array(
					'deny'   => __( 'Deny the order', 'kco-validation' ),
					'ignore' => __( 'Ignore the line', 'kco-validation' ),
				),
			),
			array(
				'title'   => __( 'When validation itself fails', 'kco-validation' ),
				'desc'    => __( 'What to answer Klarna when the shop cannot decide (database error, extension missing or failing).', 'kco-validation' ),
				'id'      => self::PREFIX . 'fault_policy',
				'type'    => 'select',
				'default' => 'deny',
				'options' => array(
					'deny'    => __( 'Deny the order (the shopper sees "unable to process")', 'kco-validation' ),
					'approve' => __( 'Approve the order', 'kco-validation' ),
				),
			),
			array(
				'title'   => __( 'Logging', 'kco-validation' ),
				'desc'    => __( 'Debug logging writes email addresses unmasked.', 'kco-validation' ),
				'id'      => self::PREFIX . 'log_level',
				'type'    => 'select',
				'default' => 'info',
				'options' => array(
					'debug'    => __( 'Debug', 'kco-validation' ),
					'info'     => __( 'Every decision', 'kco-validation' ),
					'notice'   => __( 'Notices and worse', 'kco-validation' ),
					'warning'  => __( 'Rejected requests and worse', 'kco-validation' ),
					'error'    => __( 'Errors only', 'kco-validation' ),
					'critical' => __( 'Internal faults only', 'kco-validation' ),
					'none'     => __( 'Off', 'kco-validation' ),
				),
			),
			array(
				'type' => 'sectionend',
				'id'   => self::PREFIX . 'section',
			),
		);
	}
}
