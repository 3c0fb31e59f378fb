<?php
/**
 * Money: WooCommerce's floats and strings as exact decimal strings.
 *
 * @package KcoValidation\Plugin\Tests
 */

namespace KcoValidation\Plugin\Tests;

use KcoValidation\Plugin\Snapshot\Money;

class MoneyTest extends TestCase {

	public function values(): array {
		return array(
			array( 12, '12' ),
			array( '1234.50', '1234.50' ),
			array( '-3', '-3' ),
			array( 238.4, '238.4' ),
			array( 0.1 + 0.2, '0.3' ),
			array( 1e-7, '0' ),
			array( -0.0, '0' ),
			array( 12.3456789, '12.345679' ),
			array( '', '0' ),
			array( null, '0' ),
			array( ' 5.5 ', '5.5' ),
			array( '1e3', '1000' ),
			array( 1.0E+25, '10000000000000000905969664' ),
		);
	}

	/**
	 * @dataProvider values
	 */
	public function test_decimal( $in, string $out ): void {
		$this->assertSame( $out, Money::decimal( $in ) );
	}

	public function test_nullable(): void {
		$this->assertNull( Money::nullable( '' ) );
		$this->assertNull( Money::nullable( null ) );
		$this->assertSame( '0', Money::nullable( '0' ) );
	}

	public function test_add_is_exact(): void {
		$this->assertSame( '797', Money::add( 637.6, 159.4 ) );
		$this->assertSame( '0.3', Money::add( 0.1, 0.2 ) );
		$this->assertSame( '-1.25', Money::add( '-2', '0.75' ) );
		$this->assertSame( '0', Money::add( '-0.5', 0.5 ) );
		$this->assertSame( '1.000001', Money::add( '1.0000005', '0' ) );
	}

	public function invalid(): array {
		return array( array( 'abc' ), array( NAN ), array( INF ), array( array() ), array( true ) );
	}

	/**
	 * @dataProvider invalid
	 */
	public function test_non_numbers_throw( $value ): void {
		$this->expectException( \UnexpectedValueException::class );
		Money::decimal( $value );
	}
}
