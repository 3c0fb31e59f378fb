<?php
/**
 * Wires the plugin into WordPress and WooCommerce.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin;

use KcoValidation\Plugin\Claims\ClaimReleaser;
use KcoValidation\Plugin\Claims\ClaimStore;
use KcoValidation\Plugin\Integration\KcoIntegration;
use KcoValidation\Plugin\Integration\CartStamp;
use KcoValidation\Plugin\Multilingual\LanguageRecorder;
use KcoValidation\Plugin\Request\Endpoint;
use KcoValidation\Plugin\Request\Response;
use KcoValidation\Plugin\ShopperPage\Notices;

defined( 'ABSPATH' ) || exit;

/**
 * Registers the hooks; takes over the endpoint only when WooCommerce is active and the extension is loaded and
 * compatible. Objects doing real work are built lazily, when their hook fires.
 */
final class Plugin {

	/**
	 * The instance.
	 *
	 * @var self|null
	 */
	private static ?Plugin $instance = null;

	/** Whether boot() ran. */
	private bool $booted = false;

	/** Requirements. */
	private Requirements $requirements;

	/**
	 * Constructor.
	 *
	 * @param Requirements|null $requirements Requirements.
	 */
	public function __construct( ?Requirements $requirements = null ) {
		$this->requirements = $requirements ?? new Requirements();
	}

	/**
	 * The shared instance.
	 */
	public static function instance(): self {
		if ( null === self::$instance ) {
			self::$instance = new self();
		}
		return self::$instance;
	}

	/**
	 * Registers the hooks (once). Returns whether the endpoint was taken over.
	 */
	public function boot(): bool {
		if ( $this->booted ) {
			return false;
		}
		$this->booted = true;

		( new HealthCheck( $this->requirements ) )->register();
		$problem = $this->requirements->problem();
		if ( 'woocommerce_missing' === $problem ) {
			return false;
		}
		Settings::register_hooks();
		// Stock claims: the table is created on activation and upgraded here; claims are released when WooCommerce's
		// order takes the stock, even while the extension is missing (none are made then).
		add_action( 'admin_init', array( ClaimStore::class, 'activate' ) );
		add_action( 'admin_init', array( Settings::class, 'store_defaults' ) );
		( new ClaimReleaser() )->register();
		if ( null !== $problem ) {
			return false;
		}

		// The callback is answered on wp_loaded, as soon as WordPress, WooCommerce and every plugin are loaded (a
		// firewall has seen the request; multilingual and currency plugins are set up), ahead of KCO 1.x's session
		// preparation there (priority 1) and of WC_API, which loads the payment gateways and shipping before it
		// fires its action — none of which the decision uses. WC_API's action stays hooked: the same answer when
		// the early one is switched off (filter kco_validation_answer_early) or the URL is one WooCommerce routes
		// but we do not recognise.
		add_action( 'wp_loaded', array( self::class, 'answer_early' ), Endpoint::EARLY_PRIORITY );
		add_action( Endpoint::ACTION, array( self::class, 'handle_callback' ), Endpoint::PRIORITY );
		( new Notices() )->register();
		( new KcoIntegration() )->register();
		( new LanguageRecorder() )->register();
		( new CartStamp() )->register();
		return true;
	}

	/**
	 * The plugin's activation hook: the claims table, and the settings' defaults stored (both again on admin_init
	 * after an update).
	 */
	public static function activate(): void {
		ClaimStore::activate();
		Settings::store_defaults();
	}

	/**
	 * On wp_loaded: answers a request to the validation URL there and then (Endpoint::is_validation_request()).
	 */
	public static function answer_early(): void {
		if ( ! Endpoint::is_validation_request() ) {
			return;
		}
		/**
		 * Whether the validation callback is answered on wp_loaded (true) or when WooCommerce's WC_API fires
		 * `woocommerce_api_kco_wc_validation` (false: after it loads the payment gateways and shipping). The answer is
		 * the same either way.
		 *
		 * @param bool $early Default true.
		 */
		if ( ! apply_filters( 'kco_validation_answer_early', true ) ) {
			return;
		}
		if ( function_exists( 'wc_nocache_headers' ) ) {
			wc_nocache_headers(); // As WC_API does: no page cache keeps the answer.
		}
		self::handle_callback();
	}

	/**
	 * The endpoint's hook callback.
	 */
	public static function handle_callback(): void {
		/**
		 * The object that sends the answer and ends the request (a Response subclass; tests capture with it).
		 *
		 * @param Response|null $response Null: the default sender.
		 */
		$response = apply_filters( 'kco_validation_response_sender', null );
		Endpoint::create( $response instanceof Response ? $response : null )->handle();
	}
}
