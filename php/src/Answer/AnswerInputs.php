<?php
/**
 * What the plugin contributes to the answer: page URLs, response mode, the details key, the shopper's texts.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin\Answer;

use KcoValidation\Plugin\Settings;
use KcoValidation\Plugin\ShopperPage\ReasonDetails;
use KcoValidation\Plugin\ShopperPage\Reasons;
use KcoValidation\Plugin\Snapshot\Pages;

defined( 'ABSPATH' ) || exit;

/**
 * The extension owns the answer (src/answer/): status, Location with flag, codes and signed details, JSON body.
 * The plugin never edits it; it hands in, as the snapshot's keys `currency`, `urls`, `options` and `answer`
 * (docs/contract.md §1), what only WordPress knows: the shopper's cart and checkout pages in their language, the
 * response mode, the key that signs the details, and — when Klarna will show our text (error_json mode) to a shopper
 * whose language is not English — the translated templates and the shop's price format. The same inputs answer a
 * verdict a filter changed and the internal-fault policy, through `KcoValidation\answer()`.
 */
final class AnswerInputs {

	/** Settings. */
	private Settings $settings;

	/** The shop's pages in the shopper's language. */
	private Pages $pages;

	/**
	 * Constructor.
	 *
	 * @param Settings $settings Settings.
	 * @param Pages    $pages    Pages.
	 */
	public function __construct( Settings $settings, Pages $pages ) {
		$this->settings = $settings;
		$this->pages    = $pages;
	}

	/**
	 * The snapshot's `answer` section, for the shopper whose language the snapshot names.
	 *
	 * @param array<string, mixed> $snapshot The snapshot (its `language` and `products`).
	 * @return array{details_key: string, texts?: array<string, mixed>}
	 */
	public function section( array $snapshot ): array {
		$section = array( 'details_key' => ReasonDetails::key() );
		$texts   = $this->texts_for_klarna( $snapshot );
		if ( null !== $texts ) {
			$section['texts'] = $texts;
		}
		return $section;
	}

	/**
	 * Inputs for an answer without a snapshot (the internal-fault policy): the snapshot's keys `currency`,
	 * `urls`, `options` and `answer`. Falls back to the home URL when WooCommerce's pages cannot be read (a
	 * database that fails), so an answer can always be built.
	 *
	 * @param string|null $lang The shopper's language, when known.
	 * @return array<string, mixed>
	 */
	public function standalone( ?string $lang = null ): array {
		try {
			$urls = $this->pages->urls( $lang );
		} catch ( \Throwable $e ) {
			$home = (string) home_url( '/' );
			$urls = array(
				'cart'     => $home,
				'checkout' => $home,
			);
		}
		return array(
			'currency' => function_exists( 'get_woocommerce_currency' ) ? (string) get_woocommerce_currency() : '',
			'urls'     => $urls,
			'options'  => $this->settings->snapshot_options(),
			'answer'   => array( 'details_key' => ReasonDetails::key() ),
		);
	}

	/**
	 * The texts Klarna shows in error_json mode, in the shopper's locale; null when the extension's own English
	 * text is what the shopper should read (redirect mode: the page renders its own; an English locale: the
	 * extension's text says the same with more detail).
	 *
	 * @param array<string, mixed> $snapshot The snapshot.
	 * @return array<string, mixed>|null
	 */
	private function texts_for_klarna( array $snapshot ): ?array {
		if ( 'error_json' !== $this->settings->response_mode ) {
			return null;
		}
		$language = is_array( $snapshot['language'] ?? null ) ? $snapshot['language'] : array();
		$locale = isset( $language['locale'] ) && is_string( $language['locale'] ) && '' !== $language['locale'] ? $language['locale'] : null;
		$target = $locale ?? ( function_exists( 'determine_locale' ) ? (string) determine_locale() : 'en_US' );
		if ( str_starts_with( strtolower( $target ), 'en' ) ) {
			return null;
		}
		$switched = null !== $locale && function_exists( 'switch_to_locale' ) && function_exists( 'determine_locale' ) && determine_locale() !== $locale && switch_to_locale( $locale );
		try {
			// Product names as the shopper reads them: their translation's, in a multilingual shop.
			$ids = array();
			foreach ( is_array( $snapshot['products'] ?? null ) ? $snapshot['products'] : array() as $product ) {
				if ( is_array( $product ) && isset( $product['id'] ) && is_int( $product['id'] ) ) {
					$ids[] = $product['id'];
				}
			}
			$lang = isset( $language['code'] ) && is_string( $language['code'] ) ? $language['code'] : null;
			return Reasons::texts( ReasonDetails::names( $ids, $this->pages->translations(), $lang ) );
		} finally {
			if ( $switched ) {
				restore_previous_locale();
			}
		}
	}
}
