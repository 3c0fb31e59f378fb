<?php
/**
 * The shopper's text for one failure, translated, with its parameters.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin;

defined( 'ABSPATH' ) || exit;

/**
 * The extension's verdict carries each failure's code, sub-reason and parameters (docs/contract.md §2); its
 * `message` is plain English for logs. What the shopper reads is rendered here with the plugin's text domain, in the
 * locale WordPress runs in at that moment (the shopper's page, or the callback switched to the shopper's locale),
 * so every message is in languages/kco-validation.pot. A code with nothing more specific to say, or parameters
 * missing, falls back to the code's general text (Notices::code_messages()).
 */
class Reasons {

	/**
	 * The text, or null for a code without a text (a shop's own code without a `kco_validation_notice_messages`
	 * entry).
	 *
	 * @param string               $code     Failure code.
	 * @param string|null          $reason   Sub-reason (coupon_invalid, …).
	 * @param array<string, mixed> $params   Parameters (product name, quantities, amounts, coupon).
	 * @param string               $currency ISO currency of the amounts.
	 * @param bool                 $html     Escape parameters for HTML (notices) or not (Klarna's error_text).
	 */
	public static function text( string $code, ?string $reason, array $params, string $currency = '', bool $html = true ): ?string {
		$p = static function ( string $key ) use ( $params, $html ): ?string {
			$value = $params[ $key ] ?? null;
			if ( ! is_scalar( $value ) || '' === (string) $value ) {
				return null;
			}
			$value = mb_substr( (string) $value, 0, 200 );
			return $html ? esc_html( $value ) : $value;
		};
		$amount = static function ( string $key ) use ( $p, $currency, $html ): ?string {
			$value = $p( $key );
			if ( null === $value || 1 !== preg_match( '/^-?[0-9]+(\.[0-9]+)?$/D', $value ) ) {
				return null;
			}
			$code = 1 === preg_match( '/^[A-Z]{3}$/D', $currency ) ? $currency : '';
			return trim( $value . ' ' . ( $html ? esc_html( $code ) : $code ) );
		};
		$name = $p( 'name' );
		$text = null;
		switch ( $code ) {
			case 'unknown_product':
				/* translators: %s: product name. */
				$text = null !== $name ? sprintf( __( '“%s” is no longer available.', 'kco-validation' ), $name ) : null;
				break;
			case 'out_of_stock':
				/* translators: %s: product name. */
				$text = null !== $name ? sprintf( __( '“%s” is out of stock.', 'kco-validation' ), $name ) : null;
				break;
			case 'insufficient_stock':
				$available = $p( 'available' );
				$requested = $p( 'requested' );
				if ( null !== $name && null !== $available && null !== $requested ) {
					/* translators: 1: product name, 2: quantity in stock, 3: quantity in the order. */
					$text = sprintf( __( 'Not enough “%1$s” in stock: %2$s available, %3$s in your order.', 'kco-validation' ), $name, $available, $requested );
				}
				break;
			case 'not_purchasable':
				/* translators: %s: product name. */
				$text = null !== $name ? sprintf( __( '“%s” can no longer be purchased.', 'kco-validation' ), $name ) : null;
				break;
			case 'shipping_unavailable':
				/* translators: %s: shipping method name. */
				$text = null !== $name ? sprintf( __( 'The shipping method “%s” is not available for your address.', 'kco-validation' ), $name ) : null;
				break;
			case 'cart_mismatch':
				/* translators: %s: product name. */
				$text = null !== $name ? sprintf( __( '“%s” in your order does not match your cart. Please review your order and try again.', 'kco-validation' ), $name ) : null;
				break;
			case 'currency_mismatch':
				$order = $p( 'order_currency' );
				$cart  = $p( 'cart_currency' );
				if ( null !== $order && null !== $cart ) {
					/* translators: 1: currency of the Klarna order, 2: currency of the cart. */
					$text = sprintf( __( 'Your order is in %1$s but your cart is in %2$s. Please review your order and try again.', 'kco-validation' ), $order, $cart );
				}
				break;
			case 'totals_mismatch':
				if ( 'line' === $reason && null !== $name ) {
					/* translators: %s: product name. */
					$text = sprintf( __( 'The price of “%s” in your order does not match your cart. Please review your order and try again.', 'kco-validation' ), $name );
					break;
				}
				$order = $amount( 'order_total' );
				$cart  = $amount( 'cart_total' );
				if ( null !== $order && null !== $cart ) {
					/* translators: 1: order total, 2: cart total. */
					$text = sprintf( __( 'The order total (%1$s) does not match your cart (%2$s). Please review your order and try again.', 'kco-validation' ), $order, $cart );
				}
				break;
			case 'tax_mismatch':
				$order = $amount( 'order_tax' );
				$cart  = $amount( 'cart_tax' );
				if ( null !== $order && null !== $cart ) {
					/* translators: 1: tax in the order, 2: tax in the cart. */
					$text = sprintf( __( 'The tax in your order (%1$s) does not match your cart (%2$s). Please review your order and try again.', 'kco-validation' ), $order, $cart );
				}
				break;
			case 'coupon_invalid':
				$text = self::coupon( (string) $reason, $p( 'coupon' ), $amount( 'amount' ), $name );
				break;
		}
		if ( null !== $text ) {
			return $text;
		}
		$general = Notices::code_messages();
		return isset( $general[ $code ] ) && is_string( $general[ $code ] ) ? $general[ $code ] : null;
	}

	/**
	 * A coupon's text by its reason.
	 *
	 * @param string      $reason Sub-reason.
	 * @param string|null $coupon Coupon code.
	 * @param string|null $amount Minimum or maximum spend.
	 * @param string|null $name   Product name (excluded_product).
	 */
	private static function coupon( string $reason, ?string $coupon, ?string $amount, ?string $name ): ?string {
		if ( null === $coupon ) {
			return null;
		}
		switch ( $reason ) {
			case 'not_found':
				/* translators: %s: coupon code. */
				return sprintf( __( 'The coupon “%s” does not exist.', 'kco-validation' ), $coupon );
			case 'expired':
				/* translators: %s: coupon code. */
				return sprintf( __( 'The coupon “%s” has expired.', 'kco-validation' ), $coupon );
			case 'usage_limit':
				/* translators: %s: coupon code. */
				return sprintf( __( 'The coupon “%s” has been used the maximum number of times.', 'kco-validation' ), $coupon );
			case 'usage_limit_per_user':
				/* translators: %s: coupon code. */
				return sprintf( __( 'You have already used the coupon “%s” the maximum number of times.', 'kco-validation' ), $coupon );
			case 'email_restricted':
				/* translators: %s: coupon code. */
				return sprintf( __( 'The coupon “%s” is not valid for your email address.', 'kco-validation' ), $coupon );
			case 'minimum_amount':
				/* translators: 1: coupon code, 2: amount. */
				return null === $amount ? null : sprintf( __( 'The minimum spend for the coupon “%1$s” is %2$s.', 'kco-validation' ), $coupon, $amount );
			case 'maximum_amount':
				/* translators: 1: coupon code, 2: amount. */
				return null === $amount ? null : sprintf( __( 'The maximum spend for the coupon “%1$s” is %2$s.', 'kco-validation' ), $coupon, $amount );
			case 'not_applicable':
				/* translators: %s: coupon code. */
				return sprintf( __( 'The coupon “%s” does not apply to the products in your cart.', 'kco-validation' ), $coupon );
			case 'excluded_product':
				/* translators: 1: coupon code, 2: product name. */
				return null === $name ? null : sprintf( __( 'The coupon “%1$s” cannot be used with “%2$s”.', 'kco-validation' ), $coupon, $name );
		}
		return null;
	}
}
