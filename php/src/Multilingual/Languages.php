<?php
/**
 * Which multilingual plugin the shop runs.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin\Multilingual;

defined( 'ABSPATH' ) || exit;

/**
 * Picks WPML, else Polylang, else a one-language shop, per request (both plugins set themselves up on
 * plugins_loaded, before any of our hooks run).
 */
final class Languages {

	/**
	 * The shop's translations.
	 */
	public static function detect(): Translations {
		if ( Wpml::detected() ) {
			$found = new Wpml();
		} elseif ( Polylang::detected() ) {
			$found = new Polylang();
		} else {
			$found = new NoTranslations();
		}
		/**
		 * The multilingual adapter (e.g. one of a shop's own for another plugin).
		 *
		 * @param Translations $found WPML, Polylang or none.
		 */
		$filtered = apply_filters( 'kco_validation_translations', $found );
		return $filtered instanceof Translations ? $filtered : $found;
	}
}
