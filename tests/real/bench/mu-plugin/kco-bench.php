<?php
/**
 * Plugin Name: KCO validation — real-shop bench helper
 * Description: Test-only (scripts/bench-real.sh copies it into a throw-away shop's mu-plugins; never install it in a real shop). Loads the real-shop test helper only for its own endpoints, tells the bench KCO's merchant URLs, and records the queries of each validation callback when SAVEQUERIES is on.
 *
 * @package KcoValidation\Plugin\Tests\Real
 */

defined( 'ABSPATH' ) || exit;

// Deterministic shop, as in tests/real/mu-plugin: no loopback requests from Action Scheduler, no mail server.
add_filter( 'action_scheduler_allow_async_request_runner', '__return_false' );
add_filter( 'pre_wp_mail', '__return_false' );

// The real-shop helper (?kco-real=state|order: the Klarna order built from the cart) is loaded for its own endpoints
// only, so that timed callbacks carry none of its hooks.
if ( isset( $_GET['kco-real'] ) ) { // phpcs:ignore WordPress.Security.NonceVerification
	require WP_CONTENT_DIR . '/kco-bench/kco-real-test.php';
}

/*
 * ?kco-bench=urls: the merchant URLs Klarna Checkout for WooCommerce builds for this browser (its session cookie),
 * after every plugin's filters (kco-validation adds its token through kco_wc_validation_url). null without KCO.
 */
add_action(
	'wp_loaded',
	static function () {
		if ( ! isset( $_GET['kco-bench'] ) || 'urls' !== $_GET['kco-bench'] ) { // phpcs:ignore WordPress.Security.NonceVerification
			return;
		}
		nocache_headers();
		header( 'Content-Type: application/json; charset=utf-8' );
		$kco = function_exists( 'KCO_WC' ) ? KCO_WC() : null;
		echo wp_json_encode( $kco && isset( $kco->merchant_urls ) ? $kco->merchant_urls->get_urls() : null );
		exit;
	},
	20
);

/*
 * The queries of one whole validation callback (every query of the request through $wpdb, from WordPress's first to
 * the last one at shutdown), with SAVEQUERIES on (the bench's short query pass): one JSON line per callback in
 * wp-content/kco-bench-queries.jsonl — HTTP status, $wpdb->num_queries, whether kco-validation answered, and each
 * statement with its time and caller. Written after every other shutdown function.
 */
if ( defined( 'SAVEQUERIES' ) && SAVEQUERIES && isset( $_GET['kco-action'] ) && 'validation' === $_GET['kco-action'] ) { // phpcs:ignore WordPress.Security.NonceVerification
	add_action(
		'shutdown',
		static function () {
			register_shutdown_function(
				static function () {
					global $wpdb;
					$queries = array();
					foreach ( is_array( $wpdb->queries ) ? $wpdb->queries : array() as $query ) {
						$queries[] = array(
							'sql'    => preg_replace( '/\s+/', ' ', trim( (string) $query[0] ) ),
							'ms'     => round( (float) $query[1] * 1000, 3 ),
							'caller' => (string) $query[2],
						);
					}
					$line = array(
						'status'      => http_response_code(),
						'num_queries' => (int) $wpdb->num_queries,
						'ours'        => did_action( 'kco_validation_answer_sent' ) > 0,
						'queries'     => $queries,
					);
					file_put_contents( WP_CONTENT_DIR . '/kco-bench-queries.jsonl', wp_json_encode( $line ) . "\n", FILE_APPEND | LOCK_EX );
				}
			);
		},
		PHP_INT_MAX
	);
}
