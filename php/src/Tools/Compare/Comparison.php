<?php
/**
 * Where our verdict and WooCommerce's own checks disagree.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin\Tools\Compare;

defined( 'ABSPATH' ) || exit;

/**
 * Compares by area: in each area the codes we gave and the codes WooCommerce's checks gave must be the same set.
 * Only what both sides can see is compared: our codes about Klarna's body itself (`cart_mismatch`, `session_*`,
 * `login_required`, `email_exists`, `currency_mismatch`) have no counterpart in WooCommerce's checks of the cart
 * and are not compared. Also compared: what each side took WC_Cart::needs_shipping() to be.
 *
 * What follows from a change WooCommerce itself made to the cart is not compared again: when WooCommerce drops an
 * item (`not_purchasable`), stops discounting an invalid coupon (WC_Cart_Totals applies coupons with validation:
 * `coupon_invalid`) or switches the chosen rate (`rate_switched`), its recalculated totals differ from Klarna's by
 * that change, and the area that made it already says so; without the item, needs_shipping may change too. Those
 * are listed under `not_compared` in the detail.
 */
final class Comparison {

	/** Areas and the codes each holds (the plugin's code table). */
	const AREAS = array(
		'stock'       => array( 'out_of_stock', 'insufficient_stock' ),
		'purchasable' => array( 'not_purchasable', 'unknown_product' ),
		'coupons'     => array( 'coupon_invalid' ),
		'shipping'    => array( 'shipping_missing', 'shipping_unavailable' ),
		'totals'      => array( 'totals_mismatch', 'tax_mismatch' ),
	);

	/** The fact compared besides the areas. */
	const NEEDS_SHIPPING = 'needs_shipping';

	/**
	 * Every code compared.
	 *
	 * @return list<string>
	 */
	public static function compared_codes(): array {
		return array_merge( ...array_values( self::AREAS ) );
	}

	/**
	 * The disagreements, area by area: kind `ours_only` (we refused, WooCommerce would not), `woocommerce_only`
	 * (WooCommerce would refuse, we did not) or `codes_differ` (both refused, for other codes).
	 *
	 * @param CompareCase $case Our side.
	 * @param CheckResult $wc   WooCommerce's side.
	 * @return list<array{area: string, kind: string, ours: list<string>, woocommerce: list<string>, ours_reasons: list<string>, woocommerce_reasons: list<string>}>
	 */
	public static function disagreements( CompareCase $case, CheckResult $wc ): array {
		$out     = array();
		$skipped = self::not_compared( $wc );
		foreach ( self::AREAS as $area => $codes ) {
			if ( isset( $skipped[ $area ] ) ) {
				continue;
			}
			$ours   = array_values( array_intersect( $codes, $case->codes ) );
			$theirs = array_values( array_intersect( $codes, $wc->codes() ) );
			if ( $ours === $theirs ) {
				continue;
			}
			$ours_reasons   = array();
			$theirs_reasons = array();
			foreach ( $ours as $code ) {
				foreach ( $case->reasons_of( $code ) as $reason ) {
					$ours_reasons[] = $code . ':' . $reason;
				}
			}
			foreach ( $theirs as $code ) {
				foreach ( $wc->reasons_of( $code ) as $reason ) {
					$theirs_reasons[] = $code . ':' . $reason;
				}
			}
			$out[] = array(
				'area'                => $area,
				'kind'                => array() === $theirs ? 'ours_only' : ( array() === $ours ? 'woocommerce_only' : 'codes_differ' ),
				'ours'                => $ours,
				'woocommerce'         => $theirs,
				'ours_reasons'        => $ours_reasons,
				'woocommerce_reasons' => $theirs_reasons,
			);
		}
		$wc_needs = $wc->facts[ self::NEEDS_SHIPPING ] ?? null;
		if ( ! isset( $skipped[ self::NEEDS_SHIPPING ] ) && null !== $case->needs_shipping && is_bool( $wc_needs ) && $wc_needs !== $case->needs_shipping ) {
			$out[] = array(
				'area'                => self::NEEDS_SHIPPING,
				'kind'                => $case->needs_shipping ? 'ours_only' : 'woocommerce_only',
				'ours'                => array( $case->needs_shipping ? 'needs_shipping' : 'no_shipping_needed' ),
				'woocommerce'         => array( $wc_needs ? 'needs_shipping' : 'no_shipping_needed' ),
				'ours_reasons'        => array(),
				'woocommerce_reasons' => array(),
			);
		}
		return $out;
	}

	/**
	 * The areas not compared because they follow from a change WooCommerce made to the cart: area => why.
	 *
	 * @param CheckResult $wc WooCommerce's side.
	 * @return array<string, string>
	 */
	public static function not_compared( CheckResult $wc ): array {
		$changes = array();
		if ( $wc->has( 'not_purchasable' ) ) {
			$changes[] = 'not_purchasable';
		}
		if ( $wc->has( 'coupon_invalid' ) ) {
			$changes[] = 'coupon_invalid';
		}
		if ( true === ( $wc->facts['rate_switched'] ?? false ) ) {
			$changes[] = 'rate_switched';
		}
		if ( array() === $changes ) {
			return array();
		}
		$out = array( 'totals' => 'follows ' . implode( '+', $changes ) );
		if ( in_array( 'not_purchasable', $changes, true ) ) {
			$out[ self::NEEDS_SHIPPING ] = 'follows not_purchasable';
		}
		return $out;
	}

	/**
	 * Our codes that are compared, in our order.
	 *
	 * @param CompareCase $case Our side.
	 * @return list<string>
	 */
	public static function ours( CompareCase $case ): array {
		return array_values( array_intersect( $case->codes, self::compared_codes() ) );
	}
}
