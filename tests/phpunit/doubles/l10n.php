<?php
/**
 * Doubles of WordPress's plugin translation loading, with the real .mo reader: load_plugin_textdomain() registers
 * the plugin's languages folder and __() (doubles/wordpress.php) translates through WordPress's own MO class
 * (Debian's wp-includes/pomo/mo.php) from `{domain}-{locale}.mo` for the locale in force at the call.
 *
 * WordPress loads a plugin's .mo for determine_locale() when load_plugin_textdomain() runs, and
 * switch_to_locale() / restore_previous_locale() reload it for the new locale (WP_Locale_Switcher::change_locale()
 * → load_default_textdomain() and the registry of loaded domains); reading the file of the locale in force at each
 * call gives the same texts. The plugins folder (WP_PLUGIN_DIR) is the folder holding the plugin's (KCO_TEST_PLUGIN_DIR,
 * support/environment.php): the repository root, so the plugin's basename is `php/kco-validation.php`, or, for the
 * unzipped plugin, the folder it was unzipped into (`kco-validation/kco-validation.php`, as in a shop).
 *
 * @package KcoValidation\Plugin\Tests
 */

require_once ABSPATH . WPINC . '/pomo/mo.php';

$GLOBALS['kco_test_textdomain_paths'] = array();
$GLOBALS['kco_test_mo_cache']         = array();

// The real plugin_basename() (wp-includes/plugin.php) reads these; the plugins folder holds the plugin's folder.
if ( ! defined( 'WP_PLUGIN_DIR' ) ) {
	define( 'WP_PLUGIN_DIR', dirname( KCO_TEST_PLUGIN_DIR ) );
}
if ( ! defined( 'WPMU_PLUGIN_DIR' ) ) {
	define( 'WPMU_PLUGIN_DIR', KCO_TEST_ROOT . '/mu-plugins' );
}
$GLOBALS['wp_plugin_paths'] = $GLOBALS['wp_plugin_paths'] ?? array();

if ( ! function_exists( 'wp_normalize_path' ) ) {
	/** Mirrors wp-includes/functions.php wp_normalize_path() (6.1). */
	function wp_normalize_path( $path ) {
		$wrapper = '';
		if ( function_exists( 'wp_is_stream' ) && wp_is_stream( $path ) ) {
			list( $wrapper, $path ) = explode( '://', $path, 2 );
			$wrapper               .= '://';
		}
		$path = str_replace( '\\', '/', $path );
		$path = preg_replace( '|(?<=.)/+|', '/', $path );
		if ( ':' === substr( $path, 1, 1 ) ) {
			$path = ucfirst( $path );
		}
		return $wrapper . $path;
	}
}

/**
 * Mirrors wp-includes/l10n.php load_plugin_textdomain() (6.1): the locale is determine_locale() filtered by
 * `plugin_locale`; the file is WP_PLUGIN_DIR/{rel path}/{domain}-{locale}.mo; true when it exists and loads.
 */
function load_plugin_textdomain( $domain, $deprecated = false, $plugin_rel_path = false ) {
	$path = WP_PLUGIN_DIR . '/' . trim( (string) $plugin_rel_path, '/' );
	$GLOBALS['kco_test_textdomain_paths'][ $domain ] = $path;
	$locale = apply_filters( 'plugin_locale', determine_locale(), $domain );
	return null !== kco_test_mo( $domain, $locale );
}

/** The MO of a domain for a locale, or null when none is registered or on disk. */
function kco_test_mo( string $domain, string $locale ): ?MO {
	$path = $GLOBALS['kco_test_textdomain_paths'][ $domain ] ?? null;
	if ( null === $path ) {
		return null;
	}
	$file = "{$path}/{$domain}-{$locale}.mo";
	if ( ! array_key_exists( $file, $GLOBALS['kco_test_mo_cache'] ) ) {
		$mo                                    = new MO();
		$GLOBALS['kco_test_mo_cache'][ $file ] = is_readable( $file ) && $mo->import_from_file( $file ) ? $mo : null;
	}
	return $GLOBALS['kco_test_mo_cache'][ $file ];
}

/** The translation of a text in the locale in force (WP's translate() before the `gettext` filter). */
function kco_test_translate( string $text, string $domain ): string {
	$locale = function_exists( 'determine_locale' ) ? (string) determine_locale() : 'en_US';
	$mo     = kco_test_mo( $domain, $locale );
	return null === $mo ? $text : (string) $mo->translate( $text );
}
