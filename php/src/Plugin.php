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
		( new ClaimReleaser() )->register();
		if ( null !== $problem ) {
			return false;
		}

		add_action( Endpoint::ACTION, array( self::class, 'handle_callback' ), Endpoint::PRIORITY );
		( new Notices() )->register();
		( new KcoIntegration() )->register();
		( new LanguageRecorder() )->register();
		return true;
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
