<?php
/**
 * What the plugin needs at run time: WooCommerce and a compatible kco_validation extension.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin;

defined( 'ABSPATH' ) || exit;

/**
 * Answers "can the plugin take over the validation endpoint?" without ever calling into a missing extension.
 */
class Requirements {

	/** Lowest extension version this plugin was written against (inclusive). */
	const MIN_EXTENSION_VERSION = '0.1.0';

	/** First extension version this plugin is not compatible with (exclusive): 0.x minors may break the API. */
	const MAX_EXTENSION_VERSION = '0.2.0';

	/**
	 * Whether WooCommerce is active.
	 */
	public function woocommerce_active(): bool {
		return class_exists( 'WooCommerce', false ) || function_exists( 'WC' );
	}

	/**
	 * Whether the extension is loaded (its API is present), whatever its version.
	 */
	public function extension_loaded(): bool {
		return function_exists( 'KcoValidation\\version' ) && class_exists( 'KcoValidation\\Order', false );
	}

	/**
	 * The loaded extension's version, or null when it is not loaded or does not answer.
	 */
	public function extension_version(): ?string {
		if ( ! $this->extension_loaded() ) {
			return null;
		}
		try {
			$version = \KcoValidation\version();
		} catch ( \Throwable $e ) {
			return null;
		}
		return is_string( $version ) && '' !== $version ? $version : null;
	}

	/**
	 * Whether the loaded extension's version is in [MIN_EXTENSION_VERSION, MAX_EXTENSION_VERSION).
	 */
	public function extension_compatible(): bool {
		$version = $this->extension_version();
		return null !== $version
			&& version_compare( $version, self::MIN_EXTENSION_VERSION, '>=' )
			&& version_compare( $version, self::MAX_EXTENSION_VERSION, '<' );
	}

	/**
	 * The first unmet requirement: 'woocommerce_missing', 'extension_missing', 'extension_incompatible', or null.
	 */
	public function problem(): ?string {
		if ( ! $this->woocommerce_active() ) {
			return 'woocommerce_missing';
		}
		if ( ! $this->extension_loaded() ) {
			return 'extension_missing';
		}
		if ( ! $this->extension_compatible() ) {
			return 'extension_incompatible';
		}
		return null;
	}
}
