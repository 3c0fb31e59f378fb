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
		'untokened_urls'   => array( 'kco_1_10', 'never' ),
	);

	/** Default minutes a stock claim lasts (Claims\ClaimStore); 0 turns claims off. */
	const DEFAULT_CLAIM_MINUTES = 10;

	/** Longest a claim may be set to last, minutes. */
	const MAX_CLAIM_MINUTES = 1440;

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
	 * Validation URLs without our token: kco_1_10 (accepted only while KCO 1.10 or older is active, which cannot
	 * add one) | never.
	 */
	public string $untokened_urls;

	/** Minutes a stock claim lasts (0: no claims). */
	public int $claim_minutes;

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
		$minutes               = $values['claim_minutes'] ?? self::DEFAULT_CLAIM_MINUTES;
		$this->claim_minutes   = is_numeric( $minutes ) ? max( 0, min( self::MAX_CLAIM_MINUTES, (int) $minutes ) ) : self::DEFAULT_CLAIM_MINUTES;
	}

	/** Option naming the plugin version whose defaults were stored (autoloaded). */
	const STORED_OPTION = 'kco_validation_settings_stored';

	/**
	 * Stores every setting a shop never saved, with its default and autoloaded, on activation and on the first
	 * admin_init of a new plugin version (WordPress runs no activation hook on an update). A setting that was never
	 * written costs WordPress a query on every read (get_option() of a missing option, then remembered as missing
	 * for that request only): stored, the callback reads all of them from the autoloaded options, with no query.
	 * Saved settings are left as they are (add_option() never overwrites).
	 */
	public static function store_defaults(): void {
		$version = defined( 'KCO_VALIDATION_PLUGIN_VERSION' ) ? (string) KCO_VALIDATION_PLUGIN_VERSION : '0';
		if ( $version === (string) get_option( self::STORED_OPTION, '' ) ) {
			return;
		}
		$defaults = array( 'kco_validation_compare' => 'no' );
		foreach ( self::fields() as $field ) {
			if ( isset( $field['id'], $field['default'] ) && str_starts_with( (string) $field['id'], self::PREFIX ) ) {
				$defaults[ (string) $field['id'] ] = (string) $field['default'];
			}
		}
		foreach ( $defaults as $name => $value ) {
			add_option( $name, $value, '', 'yes' );
		}
		update_option( self::STORED_OPTION, $version, true );
	}

	/**
	 * Reads the options (autoloaded, so no query: store_defaults()).
	 */
	public static function load(): self {
		$values = array();
		foreach ( array_keys( self::CHOICES ) as $key ) {
			$values[ $key ] = get_option( self::PREFIX . $key, self::CHOICES[ $key ][0] );
		}
		$values['total_tolerance'] = get_option( self::PREFIX . 'total_tolerance', 0 );
		$values['claim_minutes']   = get_option( self::PREFIX . 'claim_minutes', self::DEFAULT_CLAIM_MINUTES );
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
	 * The limit of one query of the callback, in milliseconds (TimeBudget): a query that runs into it (a stalled or
	 * locked database) ends the callback in the internal-fault policy's answer.
	 */
	public function query_limit_ms(): int {
		/**
		 * The limit of one database query of the callback, milliseconds (200–8000). The callback itself may take
		 * until shortly before Klarna gives up (TimeBudget).
		 *
		 * @param int $ms Milliseconds (option kco_validation_time_budget_ms, default 2000).
		 */
		$ms = apply_filters( 'kco_validation_time_budget_ms', get_option( self::PREFIX . 'time_budget_ms', TimeBudget::DEFAULT_MS ) );
		return is_numeric( $ms ) ? max( TimeBudget::MIN_MS, min( TimeBudget::MAX_MS, (int) $ms ) ) : TimeBudget::DEFAULT_MS;
	}

	/**
	 * Milliseconds from the request's arrival until the callback must have its answer: Klarna's own limit for the
	 * order (10 s with `require_validate_callback_success`, else 3 s) less a margin for the answer's way back.
	 *
	 * @param bool $requires_success Order::requiresValidateSuccess().
	 */
	public function deadline_ms( bool $requires_success ): int {
		$limit = TimeBudget::klarna_limit_ms( $requires_success );
		/**
		 * Milliseconds kept free before Klarna's limit (default 1000), for the answer's way back to Klarna.
		 *
		 * @param int  $margin           Milliseconds.
		 * @param int  $limit            Klarna's limit for this order: 10000 or 3000 milliseconds.
		 * @param bool $requires_success Whether the order requires a successful validation.
		 */
		$margin = apply_filters( 'kco_validation_deadline_margin_ms', TimeBudget::DEFAULT_MARGIN_MS, $limit, $requires_success );
		$margin = is_numeric( $margin ) ? max( 0, min( $limit, (int) $margin ) ) : TimeBudget::DEFAULT_MARGIN_MS;
		return $limit - $margin;
	}

	/**
	 * Minutes an approval's stock claim lasts, for this Klarna order (0: no claim).
	 *
	 * @param string $klarna_order_id Klarna's order id.
	 */
	public function claim_minutes( string $klarna_order_id = '' ): int {
		/**
		 * Minutes the stock an approved Klarna order takes stays claimed for it, unless WooCommerce creates the order
		 * and reduces stock first (0: claim nothing).
		 *
		 * @param int    $minutes         Minutes (option kco_validation_claim_minutes, default 10).
		 * @param string $klarna_order_id Klarna's order id.
		 */
		$minutes = apply_filters( 'kco_validation_claim_minutes', $this->claim_minutes, $klarna_order_id );
		return is_numeric( $minutes ) ? max( 0, min( self::MAX_CLAIM_MINUTES, (int) $minutes ) ) : $this->claim_minutes;
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
				'title'             => __( 'Query time limit', 'kco-validation' ),
				'desc'              => __( 'Longest one database query of the callback may take, in milliseconds. The callback is decided whenever it can be before Klarna gives up (10 seconds with this plugin\'s integration, else 3, counted from Klarna\'s request); a query that runs into this limit (a stalled or locked database) ends in the answer chosen under "When validation itself fails".', 'kco-validation' ),
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
				'title'             => __( 'Stock claims (minutes)', 'kco-validation' ),
				'desc'              => __( 'When an order is approved, its quantities of products with managed stock (and no backorders) are claimed for it for this many minutes, or until WooCommerce creates the order and reduces stock, so no other shopper is approved for the same units. 0 turns claims off.', 'kco-validation' ),
				'id'                => self::PREFIX . 'claim_minutes',
				'type'              => 'number',
				'default'           => (string) self::DEFAULT_CLAIM_MINUTES,
				'custom_attributes' => array(
					'min'  => '0',
					'max'  => (string) self::MAX_CLAIM_MINUTES,
					'step' => '1',
				),
			),
			array(
				'title'   => __( 'Callbacks without a token', 'kco-validation' ),
				'desc'    => __( 'The validation URLs this plugin builds (KCO 1.11 and later, Kustom Checkout 2.x) carry a token that binds them to the shopper\'s session; a callback without it could come from anyone. KCO 1.10 and older build their URLs without one.', 'kco-validation' ),
				'id'      => self::PREFIX . 'untokened_urls',
				'type'    => 'select',
				'default' => 'kco_1_10',
				'options' => array(
					'kco_1_10' => __( 'Refuse them, unless KCO 1.10 or older is active (it cannot add the token)', 'kco-validation' ),
					'never'    => __( 'Always refuse them', 'kco-validation' ),
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
