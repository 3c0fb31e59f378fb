<?php
/**
 * The decision log's retention settings, in the plugin's section of WooCommerce › Settings › Advanced.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin\Tools;

use KcoValidation\Plugin\Settings;
use KcoValidation\Plugin\Tools\Compare\CompareMode;

defined( 'ABSPATH' ) || exit;

/**
 * Inserts two number fields and compare mode's checkbox before the section's end (filter
 * `woocommerce_get_settings_advanced`, after the plugin's own callback).
 */
class LogSettings {

	/**
	 * Adds the fields to the plugin's section.
	 *
	 * @param mixed  $settings        Settings of the current section.
	 * @param string $current_section Section id.
	 * @return mixed
	 */
	public static function add_fields( $settings, $current_section = '' ) {
		if ( Settings::SECTION !== $current_section || ! is_array( $settings ) ) {
			return $settings;
		}
		$fields = array(
			array(
				'title'             => __( 'Keep logged decisions for', 'kco-validation' ),
				'desc'              => __( 'days (WooCommerce › Klarna validation).', 'kco-validation' ),
				'id'                => DecisionLog::DAYS_OPTION,
				'type'              => 'number',
				'default'           => (string) DecisionLog::DEFAULT_DAYS,
				'custom_attributes' => array(
					'min'  => '1',
					'max'  => '3650',
					'step' => '1',
				),
			),
			array(
				'title'             => __( 'Keep at most', 'kco-validation' ),
				'desc'              => __( 'logged decisions (older ones are removed daily).', 'kco-validation' ),
				'id'                => DecisionLog::ROWS_OPTION,
				'type'              => 'number',
				'default'           => (string) DecisionLog::DEFAULT_ROWS,
				'custom_attributes' => array(
					'min'  => '100',
					'step' => '100',
				),
			),
			array(
				'title'    => __( 'Compare with WooCommerce', 'kco-validation' ),
				'desc'     => __( 'After each answer has been sent to Klarna, run WooCommerce\'s own checks on the shopper\'s cart and record where they would have decided otherwise (WooCommerce › Klarna validation, or wp kco-validation compare). Never changes the answer and never writes to the shopper\'s cart.', 'kco-validation' ),
				'id'       => CompareMode::OPTION,
				'type'     => 'checkbox',
				'default'  => 'no',
				'autoload' => true,
			),
		);
		$end = null;
		foreach ( $settings as $i => $field ) {
			if ( is_array( $field ) && 'sectionend' === ( $field['type'] ?? '' ) ) {
				$end = $i;
			}
		}
		if ( null === $end ) {
			return array_merge( $settings, $fields );
		}
		array_splice( $settings, (int) $end, 0, $fields );
		return $settings;
	}
}
