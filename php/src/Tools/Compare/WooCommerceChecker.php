<?php
/**
 * What compare mode asks of WooCommerce.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin\Tools\Compare;

defined( 'ABSPATH' ) || exit;

/**
 * Runs WooCommerce's own checks on the shopper's cart and says what WooCommerce would refuse, in the plugin's
 * codes. The real one is {@see WooCommerceCartChecker}; tests (which cannot run WooCommerce) give a fake through
 * the `kco_validation_compare_checker` filter. An implementation must never write to the shopper's session or
 * cart; it may throw (compare mode records the fault and carries on).
 */
interface WooCommerceChecker {

	/**
	 * The WooCommerce version compared against ('' when WooCommerce is not loaded).
	 */
	public function version(): string;

	/**
	 * WooCommerce's findings for one callback's cart.
	 *
	 * @param CompareCase $case The callback.
	 * @throws \Throwable On any fault.
	 */
	public function check( CompareCase $case ): CheckResult;
}
