<?php
/**
 * Every (code, reason) the extension can produce, with the parameters it really produces, rendered through the
 * shopper's texts in every shipped language: no pair may fall back to its code's general sentence, and names and
 * amounts (in the shop's price format) must be in the text.
 *
 * @package KcoValidation\Plugin\Tests
 */

namespace KcoValidation\Plugin\Tests;

use KcoValidation\Order;
use KcoValidation\Plugin\Answer\Codes;
use KcoValidation\Plugin\ShopperPage\Reasons;

class ReasonsAuditTest extends TestCase {

	const LOCALES = array( 'en_US', 'de_DE', 'sv_SE' );

	/** Sample 01 (tests/fixtures): Klarna's body and the snapshot it approves with. */
	private static function base(): array {
		$body  = json_decode( (string) file_get_contents( KCO_TEST_FIXTURES . '01-se-sek-basic.json' ), true );
		$store = json_decode( (string) file_get_contents( KCO_TEST_ROOT . '/tests/fixtures/stores/01-se-sek-basic.store.json' ), true );
		return array( $body, $store );
	}

	/**
	 * One change to sample 01 for each pair, named by the pair it is meant to bring (a change may bring others too:
	 * everything produced is rendered).
	 *
	 * @return array<string, callable(array, array): array{0: array, 1: array}>
	 */
	private static function scenarios(): array {
		$coupon = static function ( array $rule ): callable {
			return static function ( array $b, array $s ) use ( $rule ): array {
				$s['cart']['coupons'] = array( 'summer10' );
				$s['coupons']         = array( 'summer10' => $rule + array( 'exists' => true ) );
				return array( $b, $s );
			};
		};
		$subscription = static function ( bool $signup, bool $account ): callable {
			return static function ( array $b, array $s ) use ( $signup, $account ): array {
				$s['checkout']['subscriptions_active']          = true;
				$s['checkout']['registration_enabled']          = $signup;
				$s['customer']['email_exists']                  = $account;
				$s['products']['KOPP-STG-01']['subscription'] = true;
				return array( $b, $s );
			};
		};
		return array(
			'currency_mismatch'                   => static fn ( $b, $s ) => array( $b, array( 'currency' => 'EUR' ) + $s ),
			'session_missing.not_found'           => static function ( $b, $s ) {
				$s['session']['found'] = false;
				return array( $b, $s );
			},
			'session_missing.expired'             => static function ( $b, $s ) {
				$s['session']['expired'] = true;
				return array( $b, $s );
			},
			'session_mismatch'                    => static function ( $b, $s ) {
				$s['session']['klarna_order_id'] = 'another-order';
				return array( $b, $s );
			},
			'unknown_product'                     => static function ( $b, $s ) {
				unset( $s['products']['LINNE-150x250'] );
				return array( $b, $s );
			},
			'out_of_stock'                        => static function ( $b, $s ) {
				$s['products']['KOPP-STG-01']['stock_status'] = 'outofstock';
				return array( $b, $s );
			},
			'insufficient_stock'                  => static function ( $b, $s ) {
				$s['products']['KOPP-STG-01']['stock_quantity'] = 2;
				return array( $b, $s );
			},
			'not_purchasable'                     => static function ( $b, $s ) {
				$s['products']['KOPP-STG-01']['purchasable'] = false;
				return array( $b, $s );
			},
			'shipping_missing'                    => static function ( $b, $s ) {
				array_pop( $b['order_lines'] );
				return array( $b, $s );
			},
			'shipping_unavailable'                => static function ( $b, $s ) {
				$s['cart']['available_shipping'] = array();
				$s['cart']['chosen_shipping']    = array();
				return array( $b, $s );
			},
			'coupon_invalid.not_found'            => static function ( $b, $s ) {
				$s['cart']['coupons'] = array( 'summer10' );
				return array( $b, $s );
			},
			'coupon_invalid.expired'              => $coupon( array( 'expires' => 1 ) ),
			'coupon_invalid.usage_limit'          => $coupon( array( 'usage_limit' => 1, 'usage_count' => 1 ) ),
			'coupon_invalid.usage_limit_per_user' => $coupon( array( 'usage_limit_per_user' => 1, 'used_by' => array( 'sofia.lindqvist@example.se' ) ) ),
			'coupon_invalid.email_restricted'     => $coupon( array( 'email_restrictions' => array( '*@elsewhere.se' ) ) ),
			'coupon_invalid.minimum_amount'       => $coupon( array( 'minimum_amount' => '1234.5' ) ),
			'coupon_invalid.maximum_amount'       => $coupon( array( 'maximum_amount' => '100' ) ),
			'coupon_invalid.not_applicable'       => $coupon( array( 'product_ids' => array( 999 ) ) ),
			'coupon_invalid.excluded_product'     => $coupon( array( 'excluded_product_ids' => array( 101 ) ) ),
			'coupon_invalid.excluded_category'    => static function ( $b, $s ) use ( $coupon ) {
				$s['products']['KOPP-STG-01']['category_ids'] = array( 15 );
				return $coupon( array( 'excluded_product_categories' => array( 15 ) ) )( $b, $s );
			},
			'coupon_invalid.sale_items'           => static function ( $b, $s ) use ( $coupon ) {
				$s['products']['KOPP-STG-01']['on_sale'] = true;
				return $coupon( array( 'exclude_sale_items' => true ) )( $b, $s );
			},
			'login_required.account_exists'       => static function ( $b, $s ) {
				$s['checkout']['registration_required'] = true;
				$s['customer']['email_exists']          = true;
				return array( $b, $s );
			},
			'login_required.subscription'         => $subscription( false, false ),
			'email_exists'                        => $subscription( true, true ),
			'cart_mismatch.extra_item'            => static function ( $b, $s ) {
				array_pop( $s['cart']['lines'] );
				return array( $b, $s );
			},
			'cart_mismatch.missing_item'          => static function ( $b, $s ) {
				$s['cart']['lines'][]      = array(
					'product_id'   => 103,
					'variation_id' => 0,
					'reference'    => 'SERVETT',
					'quantity'     => 1,
					'total'        => '10.00',
					'tax'          => '2.50',
				);
				$s['products']['SERVETT'] = array( 'id' => 103, 'name' => 'Servett' ) + $s['products']['LINNE-150x250'];
				return array( $b, $s );
			},
			'cart_mismatch.quantity'              => static function ( $b, $s ) {
				$s['cart']['lines'][0]['quantity'] = 3;
				return array( $b, $s );
			},
			'totals_mismatch.grand_total'         => static function ( $b, $s ) {
				$s['cart']['total'] = '1846.01';
				return array( $b, $s );
			},
			'totals_mismatch.line'                => static function ( $b, $s ) {
				$s['cart']['lines'][0]['total'] = '200.00';
				return array( $b, $s );
			},
			'totals_mismatch.line_arithmetic'     => static function ( $b, $s ) {
				$b['order_lines'][0]['unit_price'] = 10000;
				return array( $b, $s );
			},
			'totals_mismatch.order_sum'           => static function ( $b, $s ) {
				$b['order_amount'] = 84700;
				return array( $b, $s );
			},
			'totals_mismatch.price_changed'       => static function ( $b, $s ) {
				$s['cart']['lines'][0]['price_then']     = '149';
				$s['products']['KOPP-STG-01']['price'] = '169';
				return array( $b, $s );
			},
			'tax_mismatch.tax_total'              => static function ( $b, $s ) {
				$s['cart']['total_tax'] = '1169.20';
				return array( $b, $s );
			},
			'tax_mismatch.order_sum'              => static function ( $b, $s ) {
				$b['order_tax_amount'] = 17000;
				return array( $b, $s );
			},
		);
	}

	/**
	 * Every failure the scenarios produce, by pair, through the real extension.
	 *
	 * @return array<string, list<array<string, mixed>>>
	 */
	private static function produced(): array {
		[ $body, $store ] = self::base();
		$by_pair          = array();
		foreach ( self::scenarios() as $name => $change ) {
			[ $b, $s ] = $change( $body, $store );
			$verdict   = Order::parse( (string) json_encode( $b ) )->validate( $s );
			self::assertFalse( $verdict['approved'], "{$name} is denied" );
			foreach ( $verdict['failures'] as $failure ) {
				$pair               = $failure['code'] . ( null === $failure['reason'] ? '' : '.' . $failure['reason'] );
				$by_pair[ $pair ][] = $failure;
			}
		}
		// internal_error is the plugin's own (Decision\Decider::fault()): a code without parameters.
		$by_pair['internal_error'][] = array(
			'code'   => 'internal_error',
			'reason' => null,
			'params' => array(),
		);
		return $by_pair;
	}

	private static function use_locale( string $locale ): void {
		foreach ( $GLOBALS['kco_test_main_file_hooks']['init']->callbacks ?? array() as $callbacks ) {
			foreach ( $callbacks as $callback ) {
				call_user_func( $callback['function'] );
			}
		}
		update_option( 'WPLANG', 'en_US' === $locale ? '' : $locale );
		$GLOBALS['locale'] = null;
	}

	public function test_the_scenarios_produce_every_pair_of_the_code_table(): void {
		$produced = array_keys( self::produced() );
		$pairs    = Codes::pairs();
		sort( $produced );
		sort( $pairs );
		$this->assertGreaterThanOrEqual( 34, count( $pairs ), 'the code table as the extension reports it' );
		$this->assertSame( $pairs, $produced, 'every pair of KcoValidation\codes() is produced, and nothing else' );
	}

	public function test_every_pair_renders_its_own_text_in_every_shipped_language(): void {
		update_option( 'woocommerce_currency', 'SEK' );
		update_option( 'woocommerce_price_decimal_sep', ',' );
		update_option( 'woocommerce_price_thousand_sep', ' ' );
		update_option( 'woocommerce_currency_pos', 'right_space' );
		$produced = self::produced();
		foreach ( self::LOCALES as $locale ) {
			self::use_locale( $locale );
			$general = Reasons::general();
			foreach ( $produced as $pair => $failures ) {
				foreach ( Reasons::rendered( $failures, false ) as $i => $rendered ) {
					$this->assertNotNull( $rendered['template'], "{$locale} {$pair}: fell back to the general text “{$rendered['text']}”" );
					$this->assertNotSame( '', $rendered['text'], "{$locale} {$pair}" );
					$this->assertStringNotContainsString( '%', $rendered['text'], "{$locale} {$pair}: a placeholder was left" );
					foreach ( $failures[ $i ]['params'] as $key => $value ) {
						if ( 'reference' === $key ) {
							continue; // Which line it was, for the log: the shopper reads the product's name.
						}
						if ( is_string( $value ) || is_int( $value ) ) {
							$this->assertStringContainsString( (string) $value, $rendered['text'], "{$locale} {$pair}: {$key}" );
						} elseif ( is_array( $value ) ) {
							$this->assertMatchesRegularExpression( '/\d,\d\d\x{a0}kr/u', $rendered['text'], "{$locale} {$pair}: {$key} in the shop's price format" );
						}
					}
				}
				if ( 'en_US' !== $locale ) {
					// Translated: not the English template.
					$english = $this->english( $failures );
					$this->assertNotSame( $english, Reasons::render( $failures, false ), "{$locale} {$pair} is translated" );
				}
			}
			$this->assertArrayHasKey( 'internal_error', $general );
		}
	}

	public function test_amounts_are_written_as_the_shop_writes_prices(): void {
		update_option( 'woocommerce_currency', 'SEK' );
		update_option( 'woocommerce_price_decimal_sep', ',' );
		update_option( 'woocommerce_price_thousand_sep', '.' );
		update_option( 'woocommerce_currency_pos', 'right_space' );
		self::use_locale( 'sv_SE' );
		$texts = Reasons::render( array_slice( self::produced()['totals_mismatch.grand_total'], 0, 1 ), false );
		$this->assertSame( array( "Beställningens totalbelopp (846,00\u{a0}kr) stämmer inte med din varukorg (1.846,01\u{a0}kr). Granska din beställning och försök igen." ), $texts );
		update_option( 'woocommerce_currency_pos', 'left' );
		update_option( 'woocommerce_price_num_decimals', 0 );
		$this->assertSame( array( 'Beställningens totalbelopp (kr846) stämmer inte med din varukorg (kr1.846). Granska din beställning och försök igen.' ), Reasons::render( array_slice( self::produced()['totals_mismatch.grand_total'], 0, 1 ), false ) );
	}

	/** The English texts of these failures. */
	private function english( array $failures ): array {
		$was = get_option( 'WPLANG' );
		self::use_locale( 'en_US' );
		$texts = Reasons::render( $failures, false );
		update_option( 'WPLANG', $was );
		$GLOBALS['locale'] = null;
		return $texts;
	}
}
