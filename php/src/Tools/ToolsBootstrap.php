<?php
/**
 * Hooks the shop-owner tools: probe answer, doctor (Site Health, WP-CLI), decision log, log screen, replay.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin\Tools;

use KcoValidation\Plugin\Request\Endpoint;

defined( 'ABSPATH' ) || exit;

/**
 * One entry point, called once from the plugin's plugins_loaded callback. Registers hooks only; nothing runs
 * until its hook fires.
 */
final class ToolsBootstrap {

	/** Whether register() ran. */
	private static bool $registered = false;

	/**
	 * Registers every hook (once). Returns false when already registered.
	 */
	public static function register(): bool {
		if ( self::$registered ) {
			return false;
		}
		self::$registered = true;

		/*
		 * The doctor's probe: answered ahead of the endpoint, without touching any session or order. Hooked only
		 * on requests that carry the probe header, so for Klarna's own callbacks has_action() — and with it the
		 * status WC_API answers when nothing else is hooked (400) — stays exactly as without the tools.
		 */
		if ( ProbeSignature::present( $_SERVER ) ) { // phpcs:ignore WordPress.Security.ValidatedSanitizedInput -- presence only.
			add_action( Endpoint::ACTION, array( ProbeResponder::class, 'handle_request' ), ProbeResponder::PRIORITY );
		}

		// Decision log: written from the endpoint's announcement, trimmed daily.
		// Rows are written once the answer is on its way, never before it (DecisionLog::queue_decided()).
		add_action( 'kco_validation_decided', array( DecisionLog::class, 'queue_decided' ), 10, 5 );
		add_action( 'kco_validation_refused', array( DecisionLog::class, 'queue_refused' ), 10, 5 );
		add_action( 'kco_validation_answer_sent', array( DecisionLog::class, 'flush' ) );
		// Compare mode (off by default): keeps the case now, asks WooCommerce at shutdown, after the answer.
		add_action( 'kco_validation_decided', array( Compare\CompareMode::class, 'on_decided' ), 20, 6 );
		add_action( DecisionLog::CRON_HOOK, array( DecisionLog::class, 'cron_prune' ) );
		add_action( 'init', array( self::class, 'schedule' ) );
		add_action( 'admin_init', array( self::class, 'maybe_install' ) );
		add_filter( 'woocommerce_get_settings_advanced', array( LogSettings::class, 'add_fields' ), 20, 2 );

		// Site Health.
		$health = new SiteHealth();
		add_filter( 'site_status_tests', array( $health, 'add_test' ) );
		add_action( 'wp_ajax_' . SiteHealth::AJAX_ACTION, array( $health, 'ajax' ) );

		// The admin screen.
		$screen = new LogScreen();
		add_action( 'admin_menu', array( $screen, 'add_menu' ), 60 );
		add_action( 'admin_enqueue_scripts', array( $screen, 'enqueue' ) );

		// WP-CLI is optional (not packaged for Debian): register only when it runs.
		if ( defined( 'WP_CLI' ) && WP_CLI && class_exists( 'WP_CLI' ) ) {
			\WP_CLI::add_command( 'kco-validation', new CliCommand() );
		}
		return true;
	}

	/**
	 * Creates or upgrades the log table when its schema version changed (admin_init).
	 */
	public static function maybe_install(): void {
		( new DecisionLog() )->maybe_install();
	}

	/**
	 * Schedules the daily trim (init).
	 */
	public static function schedule(): void {
		if ( function_exists( 'wp_next_scheduled' ) && false === wp_next_scheduled( DecisionLog::CRON_HOOK ) ) {
			wp_schedule_event( time() + HOUR_IN_SECONDS, 'daily', DecisionLog::CRON_HOOK );
		}
	}

	/**
	 * Forgets registration (tests).
	 */
	public static function reset(): void {
		self::$registered = false;
	}
}
