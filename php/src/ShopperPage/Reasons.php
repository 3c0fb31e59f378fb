<?php
/**
 * The shopper's texts: one translatable sentence per (code, reason), and the code's general text.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin\ShopperPage;

defined( 'ABSPATH' ) || exit;

/**
 * The sentences live here, with the plugin's text domain, so gettext sees them (languages/kco-validation.pot); the
 * extension fills them in (`KcoValidation\render_reasons()`, src/answer/texts.rs) with each failure's parameters —
 * amounts in the shop's price format — both for the notices on the shopper's page and for the text Klarna shows in
 * `error_json` mode. A template is keyed `code.reason` or `code` and names the parameters it takes, in order; a
 * failure without one of them gets the code's general text. tests/phpunit/tests/ShopperPage/ReasonsAuditTest.php
 * renders every pair the extension can produce, in every shipped language, and fails on any general text.
 */
final class Reasons {

	/**
	 * The templates, in the current locale.
	 *
	 * @return array<string, array{text: string, params: list<string>}>
	 */
	public static function templates(): array {
		$t = static fn ( string $text, string ...$params ): array => array(
			'text'   => $text,
			'params' => $params,
		);
		return array(
			/* translators: 1: currency of the Klarna order, 2: currency of the cart. */
			'currency_mismatch'                   => $t( __( 'Your order is in %1$s but your cart is in %2$s. Please review your order and try again.', 'kco-validation' ), 'order_currency', 'cart_currency' ),
			'session_missing.not_found'           => $t( __( 'Your checkout session could not be found. Please review your cart and try again.', 'kco-validation' ) ),
			'session_missing.expired'             => $t( __( 'Your checkout session has expired. Please review your cart and try again.', 'kco-validation' ) ),
			'session_mismatch'                    => $t( __( 'Your checkout session changed. Please review your order and try again.', 'kco-validation' ) ),
			/* translators: 1: the item's name in the order, 2: its item number (reference), which the shop does not know. */
			'unknown_product'                     => $t( __( 'We could not find “%1$s” (item %2$s) in this shop. Please review your order and try again.', 'kco-validation' ), 'name', 'reference' ),
			/* translators: %s: product name. */
			'out_of_stock'                        => $t( __( '“%s” is out of stock.', 'kco-validation' ), 'name' ),
			/* translators: 1: product name, 2: quantity in stock, 3: quantity in the order. */
			'insufficient_stock'                  => $t( __( 'Not enough “%1$s” in stock: %2$s available, %3$s in your order.', 'kco-validation' ), 'name', 'available', 'requested' ),
			/* translators: %s: product name. */
			'not_purchasable'                     => $t( __( '“%s” can no longer be purchased.', 'kco-validation' ), 'name' ),
			'shipping_missing'                    => $t( __( 'No shipping method was selected.', 'kco-validation' ) ),
			/* translators: %s: shipping method name. */
			'shipping_unavailable'                => $t( __( 'The shipping method “%s” is not available for your address.', 'kco-validation' ), 'name' ),
			/* translators: %s: coupon code. */
			'coupon_invalid.not_found'            => $t( __( 'The coupon “%s” does not exist.', 'kco-validation' ), 'coupon' ),
			/* translators: %s: coupon code. */
			'coupon_invalid.expired'              => $t( __( 'The coupon “%s” has expired.', 'kco-validation' ), 'coupon' ),
			/* translators: %s: coupon code. */
			'coupon_invalid.usage_limit'          => $t( __( 'The coupon “%s” has been used the maximum number of times.', 'kco-validation' ), 'coupon' ),
			/* translators: %s: coupon code. */
			'coupon_invalid.usage_limit_per_user' => $t( __( 'You have already used the coupon “%s” the maximum number of times.', 'kco-validation' ), 'coupon' ),
			/* translators: %s: coupon code. */
			'coupon_invalid.email_restricted'     => $t( __( 'The coupon “%s” is not valid for your email address.', 'kco-validation' ), 'coupon' ),
			/* translators: 1: coupon code, 2: amount. */
			'coupon_invalid.minimum_amount'       => $t( __( 'The minimum spend for the coupon “%1$s” is %2$s.', 'kco-validation' ), 'coupon', 'amount' ),
			/* translators: 1: coupon code, 2: amount. */
			'coupon_invalid.maximum_amount'       => $t( __( 'The maximum spend for the coupon “%1$s” is %2$s.', 'kco-validation' ), 'coupon', 'amount' ),
			/* translators: %s: coupon code. */
			'coupon_invalid.not_applicable'       => $t( __( 'The coupon “%s” does not apply to the products in your cart.', 'kco-validation' ), 'coupon' ),
			/* translators: 1: coupon code, 2: product name. */
			'coupon_invalid.excluded_product'     => $t( __( 'The coupon “%1$s” cannot be used with “%2$s”.', 'kco-validation' ), 'coupon', 'name' ),
			/* translators: 1: coupon code, 2: product name. */
			'coupon_invalid.excluded_category'    => $t( __( 'The coupon “%1$s” cannot be used with products in the category of “%2$s”.', 'kco-validation' ), 'coupon', 'name' ),
			/* translators: %s: coupon code. */
			'coupon_invalid.sale_items'           => $t( __( 'The coupon “%s” is not valid for sale items.', 'kco-validation' ), 'coupon' ),
			'login_required.account_exists'       => $t( __( 'An account is already registered with your email address. Please log in to continue.', 'kco-validation' ) ),
			'login_required.subscription'         => $t( __( 'Please log in or create an account to buy a subscription.', 'kco-validation' ) ),
			'email_exists'                        => $t( __( 'An account is already registered with your email address. Please log in.', 'kco-validation' ) ),
			/* translators: %s: product name. */
			'cart_mismatch'                       => $t( __( '“%s” in your order does not match your cart. Please review your order and try again.', 'kco-validation' ), 'name' ),
			/* translators: 1: order total, 2: cart total. */
			'totals_mismatch.grand_total'         => $t( __( 'The order total (%1$s) does not match your cart (%2$s). Please review your order and try again.', 'kco-validation' ), 'order_total', 'cart_total' ),
			/* translators: %s: product name. */
			'totals_mismatch.line'                => $t( __( 'The price of “%s” in your order does not match your cart. Please review your order and try again.', 'kco-validation' ), 'name' ),
			/* translators: %s: product name. */
			'totals_mismatch.line_arithmetic'     => $t( __( 'The amounts of “%s” in your order do not add up. Please review your order and try again.', 'kco-validation' ), 'name' ),
			/* translators: 1: product name, 2: its price now. */
			'totals_mismatch.price_changed'       => $t( __( 'The price of “%1$s” has changed to %2$s since your cart was calculated. Please review your order and try again.', 'kco-validation' ), 'name', 'price_now' ),
			/* translators: 1: order total, 2: sum of the order's lines. */
			'totals_mismatch.order_sum'           => $t( __( 'The order total (%1$s) is not the sum of its lines (%2$s). Please review your order and try again.', 'kco-validation' ), 'order_total', 'lines_total' ),
			/* translators: 1: tax in the order, 2: tax in the cart. */
			'tax_mismatch.tax_total'              => $t( __( 'The tax in your order (%1$s) does not match your cart (%2$s). Please review your order and try again.', 'kco-validation' ), 'order_tax', 'cart_tax' ),
			/* translators: 1: tax in the order, 2: sum of the tax of the order's lines. */
			'tax_mismatch.order_sum'              => $t( __( 'The tax in your order (%1$s) is not the sum of its lines (%2$s). Please review your order and try again.', 'kco-validation' ), 'order_tax', 'lines_tax' ),
			'internal_error'                      => $t( __( 'We were unable to process your order, please try again.', 'kco-validation' ) ),
		);
	}

	/**
	 * Each code's general text (a failure whose parameters are missing, or a code without a template), filtered by
	 * `kco_validation_notice_messages` (a shop's own codes add theirs there).
	 *
	 * @return array<string, string>
	 */
	public static function general(): array {
		$messages = array(
			'currency_mismatch'    => __( 'The currency of your order changed during checkout. Please review your order and try again.', 'kco-validation' ),
			'session_missing'      => __( 'Your checkout session has expired. Please review your cart and try again.', 'kco-validation' ),
			'session_mismatch'     => __( 'Your checkout session changed. Please review your order and try again.', 'kco-validation' ),
			'unknown_product'      => __( 'A product in your order is no longer available.', 'kco-validation' ),
			'out_of_stock'         => __( 'A product in your order is out of stock.', 'kco-validation' ),
			'insufficient_stock'   => __( 'There is not enough stock for a product in your order.', 'kco-validation' ),
			'not_purchasable'      => __( 'A product in your order can no longer be purchased.', 'kco-validation' ),
			'shipping_missing'     => __( 'No shipping method was selected.', 'kco-validation' ),
			'shipping_unavailable' => __( 'The selected shipping method is not available for your address.', 'kco-validation' ),
			'coupon_invalid'       => __( 'A coupon in your order is not valid.', 'kco-validation' ),
			'login_required'       => __( 'An account is already registered with your email address. Please log in to continue.', 'kco-validation' ),
			'email_exists'         => __( 'An account is already registered with your email address. Please log in.', 'kco-validation' ),
			'cart_mismatch'        => __( 'Your cart changed during checkout. Please review your order and try again.', 'kco-validation' ),
			'totals_mismatch'      => __( 'The order total does not match your cart. Please review your order and try again.', 'kco-validation' ),
			'tax_mismatch'         => __( 'The tax in your order does not match your cart. Please review your order and try again.', 'kco-validation' ),
			'internal_error'       => __( 'We were unable to process your order, please try again.', 'kco-validation' ),
		);
		/**
		 * The shopper-facing general text of each failure code (shown when a failure's details are not available).
		 * Add a text for a code of your own here.
		 *
		 * @param array<string, string> $messages Texts by code.
		 */
		$filtered = apply_filters( 'kco_validation_notice_messages', $messages );
		return is_array( $filtered ) ? array_filter( $filtered, 'is_string' ) : $messages;
	}

	/**
	 * Everything the extension needs to write the shopper's texts in the current locale: templates, general texts
	 * and the shop's price format (`wc_price()`'s settings for the shop's currency).
	 *
	 * @param array<int, string> $names Product names in the shopper's language, by product id.
	 * @return array{templates: array<string, array{text: string, params: list<string>}>, general: array<string, string>, price: array<string, mixed>|null, names: array<string, string>}
	 */
	public static function texts( array $names = array() ): array {
		return array(
			'templates' => self::templates(),
			'general'   => self::general(),
			'price'     => self::price_format(),
			'names'     => $names,
		);
	}

	/**
	 * The shop's price format in plain text, or null outside WooCommerce.
	 *
	 * @return array{currency: string, decimals: int, decimal_separator: string, thousand_separator: string, format: string, symbol: string}|null
	 */
	public static function price_format(): ?array {
		if ( ! function_exists( 'get_woocommerce_currency' ) || ! function_exists( 'get_woocommerce_price_format' ) ) {
			return null;
		}
		$currency = (string) get_woocommerce_currency();
		$plain    = static fn ( $s ): string => html_entity_decode( (string) $s, ENT_QUOTES | ENT_HTML5, 'UTF-8' );
		$symbol   = $plain( get_woocommerce_currency_symbol( $currency ) );
		return array(
			'currency'           => $currency,
			'decimals'           => (int) wc_get_price_decimals(),
			'decimal_separator'  => $plain( wc_get_price_decimal_separator() ),
			'thousand_separator' => $plain( wc_get_price_thousand_separator() ),
			'format'             => $plain( get_woocommerce_price_format() ),
			'symbol'             => '' !== $symbol ? $symbol : $currency,
		);
	}

	/**
	 * The texts for these reasons (a verdict's failures, or carried details), in the current locale, without
	 * repeats.
	 *
	 * @param list<array<string, mixed>> $reasons Reasons (`code`, `reason`, `params`).
	 * @param bool                       $html    Escape the parameters for HTML.
	 * @param array<int, string>         $names   Product names in the page's language, by product id.
	 * @return list<string>
	 */
	public static function render( array $reasons, bool $html = true, array $names = array() ): array {
		$texts = array();
		foreach ( self::rendered( $reasons, $html, $names ) as $rendered ) {
			if ( ! in_array( $rendered['text'], $texts, true ) ) {
				$texts[] = $rendered['text'];
			}
		}
		return $texts;
	}

	/**
	 * Each reason's text and the template that made it (null: the code's general text).
	 *
	 * @param list<array<string, mixed>> $reasons Reasons.
	 * @param bool                       $html    Escape the parameters for HTML.
	 * @param array<int, string>         $names   Product names in the page's language, by product id.
	 * @return list<array{text: string, template: string|null}>
	 */
	public static function rendered( array $reasons, bool $html = true, array $names = array() ): array {
		$clean = array();
		foreach ( $reasons as $reason ) {
			if ( is_array( $reason ) && isset( $reason['code'] ) && is_string( $reason['code'] ) ) {
				$clean[] = array(
					'code'       => $reason['code'],
					'reason'     => isset( $reason['reason'] ) && is_string( $reason['reason'] ) ? $reason['reason'] : null,
					'params'     => self::params( $reason['params'] ?? array() ),
					'product_id' => isset( $reason['product_id'] ) && is_int( $reason['product_id'] ) ? $reason['product_id'] : 0,
				);
			}
		}
		return array() === $clean ? array() : \KcoValidation\render_reasons( $clean, self::texts( $names ), $html );
	}

	/**
	 * Parameters the extension can read: ints, strings, amounts (`['minor' => int, 'currency' => string]`).
	 *
	 * @param mixed $params Parameters.
	 * @return array<string, int|string|array{minor: int, currency: string}>
	 */
	public static function params( $params ): array {
		$out = array();
		foreach ( is_array( $params ) ? $params : array() as $key => $value ) {
			if ( ! is_string( $key ) ) {
				continue;
			}
			if ( is_int( $value ) || is_string( $value ) ) {
				$out[ $key ] = $value;
			} elseif ( is_array( $value ) && isset( $value['minor'], $value['currency'] ) && is_int( $value['minor'] ) && is_string( $value['currency'] ) ) {
				$out[ $key ] = array(
					'minor'    => $value['minor'],
					'currency' => $value['currency'],
				);
			}
		}
		return $out;
	}
}
