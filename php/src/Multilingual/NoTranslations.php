<?php
/**
 * A shop in one language.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin\Multilingual;

defined( 'ABSPATH' ) || exit;

/**
 * Neither WPML nor Polylang: no languages, no translations; every rule falls back to what WooCommerce gives.
 */
class NoTranslations extends Translations {

	/** {@inheritDoc} */
	public function name(): string {
		return 'none';
	}

	/** {@inheritDoc} */
	public function languages(): array {
		return array();
	}

	/** {@inheritDoc} */
	public function default_language(): ?string {
		return null;
	}

	/** {@inheritDoc} */
	public function current_language(): ?string {
		return null;
	}

	/** {@inheritDoc} */
	public function group( int $id, string $type ): array {
		return array();
	}

	/** {@inheritDoc} */
	public function page_url( int $page_id, string $lang ): ?string {
		return null;
	}

	/** {@inheritDoc} */
	public function home_url_in( string $lang ): string {
		return (string) get_option( 'home' );
	}
}
