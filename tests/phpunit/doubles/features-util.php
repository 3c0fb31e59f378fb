<?php
/**
 * Mirrors src/Utilities/FeaturesUtil.php declare_compatibility( $feature_id, $plugin_file, $positive_compatibility ):
 * records the declarations.
 *
 * @package KcoValidation\Plugin\Tests
 */

namespace Automattic\WooCommerce\Utilities;

class FeaturesUtil {
	/** @var list<array{0: string, 1: string, 2: bool}> */
	public static $declared = array();
	public static function declare_compatibility( string $feature_id, string $plugin_file, bool $positive_compatibility = true ): bool {
		self::$declared[] = array( $feature_id, $plugin_file, $positive_compatibility );
		return true;
	}
}
