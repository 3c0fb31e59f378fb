<?php
/**
 * Removes the plugin's options when it is deleted.
 *
 * @package KcoValidation\Plugin
 */

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;

foreach ( array( 'response_mode', 'total_tolerance', 'unknown_products', 'fault_policy', 'log_level', 'time_budget_ms', 'log_schema', 'log_days', 'log_max_rows', 'untokened_urls', 'claim_minutes', 'claims_schema', 'compare', 'settings_stored' ) as $kco_validation_key ) {
	delete_option( 'kco_validation_' . $kco_validation_key );
}

global $wpdb;
$wpdb->query( "DROP TABLE IF EXISTS {$wpdb->prefix}kco_validation_log" ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery.SchemaChange
$wpdb->query( "DROP TABLE IF EXISTS {$wpdb->prefix}kco_validation_compare" ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery.SchemaChange
$wpdb->query( "DROP TABLE IF EXISTS {$wpdb->prefix}kco_validation_claims" ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery.SchemaChange
wp_clear_scheduled_hook( 'kco_validation_log_prune' );
