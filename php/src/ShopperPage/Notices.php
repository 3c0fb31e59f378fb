<?php
/**
 * Shows the shopper every reason after a denied validation, on the page the 303 leads to.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin\ShopperPage;

use KcoValidation\Plugin\Answer\Codes;
use KcoValidation\Plugin\Multilingual\Translations;

defined( 'ABSPATH' ) || exit;

/**
 * On `template_redirect` (before the cart or checkout template prints notices, unlike KCO 1.x: D17) it reads
 * `kco_validation=code1,code2` and the KCO 1.x flags (`?stock_validate_failed` …) and adds one translated error
 * notice per reason, in the page's language. With `kco_validation_details` (signed by the callback,
 * ReasonDetails) each failure is told with its parameters ("Only 2 of “Blue mug” …"), product names read in the
 * page's language; without it, or when it was altered, each code's general text. Only known codes are shown;
 * nothing unsigned from the query string is echoed.
 *
 * WooCommerce prints queued notices only where it knows it is on its cart or checkout: the shortcodes' templates
 * (`woocommerce_before_cart`, `woocommerce_before_checkout_form`, also on a page WooCommerce does not know) and, in
 * block themes, the Store Notices block of its own Cart and Checkout templates. The Cart and Checkout blocks print
 * none themselves, so on a translated Cart block page WooCommerce does not know (Polylang without Polylang for
 * WooCommerce) or a block cart in a classic theme the notices would stay queued and show up later, out of context.
 * ShopperPage\PagePrinter makes sure they are shown on this page load, once (see there).
 */
class Notices {

	/** The query argument carrying our codes. */
	const QUERY_ARG = 'kco_validation';

	/** Prints the notices WooCommerce leaves queued on this page. */
	private PagePrinter $printer;

	/**
	 * Constructor.
	 *
	 * @param PagePrinter|null $printer Prints what WooCommerce leaves queued (default: a new one).
	 */
	public function __construct( ?PagePrinter $printer = null ) {
		$this->printer = $printer ?? new PagePrinter();
	}

	/** The printer of this page's notices. */
	public function printer(): PagePrinter {
		return $this->printer;
	}

	/**
	 * The codes each KCO 1.x flag stands for, from the extension's code table: a flag on the URL whose codes are all
	 * explained by our own notices adds nothing; `unable_to_process` also stands for any code the table does not
	 * know (a shop's own), so it is covered by any code.
	 *
	 * @return array<string, list<string>>
	 */
	public static function flags(): array {
		$flags = array();
		foreach ( array_keys( self::flag_messages() ) as $flag ) {
			$flags[ $flag ] = 'unable_to_process' === $flag ? array( '*' ) : Codes::with_flag( $flag );
		}
		return $flags;
	}

	/**
	 * Hooks.
	 */
	public function register(): void {
		add_action( 'template_redirect', array( $this, 'add_notices' ), 5 );
		$this->printer->register();
	}

	/**
	 * Each code's general text (Reasons::general()).
	 *
	 * @return array<string, string>
	 */
	public static function code_messages(): array {
		return Reasons::general();
	}

	/**
	 * Translated texts of the KCO 1.x flags.
	 *
	 * @return array<string, string>
	 */
	public static function flag_messages(): array {
		return array(
			'stock_validate_failed' => __( 'Not all products are in stock.', 'kco-validation' ),
			'no_shipping'           => __( 'No shipping was selected.', 'kco-validation' ),
			'invalid_coupon'        => __( 'Invalid coupon.', 'kco-validation' ),
			'needs_login'           => __( 'You must be logged in to checkout.', 'kco-validation' ),
			'email_exists'          => __( 'An account is already registered with your email address. Please log in.', 'kco-validation' ),
			'totals_dont_match'     => __( 'A mismatch in order totals between WooCommerce and Klarna was detected. Please try again.', 'kco-validation' ),
			'unable_to_process'     => __( 'We were unable to process your order, please try again.', 'kco-validation' ),
		);
	}

	/**
	 * The texts for a query string, in order: our codes first, then flags no code already explains.
	 *
	 * @param array<string, mixed> $query        The query arguments ($_GET).
	 * @param Translations|null    $translations The shop's languages (default: detected).
	 * @return list<string>
	 */
	public static function messages_for( array $query, ?Translations $translations = null ): array {
		$code_texts = self::code_messages();
		$codes      = array();
		$unknown    = false;
		if ( isset( $query[ self::QUERY_ARG ] ) && is_string( $query[ self::QUERY_ARG ] ) ) {
			foreach ( explode( ',', substr( $query[ self::QUERY_ARG ], 0, 1000 ) ) as $code ) {
				$code = trim( $code );
				if ( '' === $code ) {
					continue;
				}
				if ( isset( $code_texts[ $code ] ) && is_string( $code_texts[ $code ] ) ) {
					$codes[ $code ] = true;
				} else {
					$unknown = true;
				}
			}
		}
		$texts   = array();
		$details = isset( $query[ ReasonDetails::QUERY_ARG ] ) ? ReasonDetails::decode( $query[ ReasonDetails::QUERY_ARG ] ) : null;
		$explained = array();
		if ( null !== $details ) {
			// Each failure with its parameters (product names in this page's language), for the codes it explains.
			$details   = array_values( array_filter( $details, static fn ( array $f ): bool => isset( $codes[ $f['code'] ] ) ) );
			$texts     = ReasonDetails::texts( $details, $translations );
			$explained = array_column( $details, 'code' );
		}
		foreach ( array_keys( $codes ) as $code ) {
			if ( ! in_array( $code, $explained, true ) ) {
				$texts[] = $code_texts[ $code ];
			}
		}
		$flags = self::flags();
		foreach ( self::flag_messages() as $flag => $text ) {
			if ( ! array_key_exists( $flag, $query ) ) {
				continue;
			}
			$covered = array( '*' ) === $flags[ $flag ] ? array() !== $codes : array() !== array_intersect( $flags[ $flag ], array_keys( $codes ) );
			if ( ! $covered ) {
				$texts[] = $text;
			}
		}
		if ( $unknown && array() === $texts ) {
			$texts[] = self::flag_messages()['unable_to_process'];
		}
		return array_values( array_unique( $texts ) );
	}

	/**
	 * Adds the notices for the current request (front end only).
	 */
	public function add_notices(): void {
		if ( ( function_exists( 'is_admin' ) && is_admin() ) || ! function_exists( 'wc_add_notice' ) ) {
			return;
		}
		// KCO 1.x would queue its single flag notice late (after the notices were printed): ours replace it.
		remove_action( 'kco_wc_before_checkout_form', 'kco_wc_print_notices' );
		$query = wp_unslash( $_GET ); // phpcs:ignore WordPress.Security.NonceVerification.Recommended -- read-only display of whitelisted texts.
		$texts = self::messages_for( is_array( $query ) ? $query : array() );
		foreach ( $texts as $text ) {
			if ( ! function_exists( 'wc_has_notice' ) || ! wc_has_notice( $text, 'error' ) ) {
				wc_add_notice( $text, 'error' );
			}
		}
		$this->printer->expect( $texts );
	}
}
