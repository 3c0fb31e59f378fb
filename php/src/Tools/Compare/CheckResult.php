<?php
/**
 * What WooCommerce's own checks found for one cart.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin\Tools\Compare;

defined( 'ABSPATH' ) || exit;

/**
 * WooCommerce's findings in the plugin's codes (`out_of_stock`, `coupon_invalid`, …), each with WooCommerce's own
 * reasons (its error code, coupon error number, or what it did: `rate_switched`), plus facts that explain them
 * (counts and booleans only: no personal data). `skipped` says why nothing was checked.
 */
final class CheckResult {

	/**
	 * Reasons by code: code => list of WooCommerce reasons (may be empty).
	 *
	 * @var array<string, list<string>>
	 */
	private array $findings = array();

	/**
	 * Facts: name => scalar.
	 *
	 * @var array<string, bool|int|string|null>
	 */
	public array $facts = array();

	/** Why nothing was checked (null: checked). */
	public ?string $skipped = null;

	/**
	 * A result that checked nothing.
	 *
	 * @param string $why Reason (snake_case).
	 */
	public static function skipped( string $why ): self {
		$result          = new self();
		$result->skipped = $why;
		return $result;
	}

	/**
	 * Adds a finding.
	 *
	 * @param string      $code   One of our codes.
	 * @param string|null $reason WooCommerce's reason.
	 */
	public function add( string $code, ?string $reason = null ): self {
		if ( ! isset( $this->findings[ $code ] ) ) {
			$this->findings[ $code ] = array();
		}
		if ( null !== $reason && '' !== $reason && ! in_array( $reason, $this->findings[ $code ], true ) ) {
			$this->findings[ $code ][] = $reason;
		}
		return $this;
	}

	/**
	 * Sets a fact.
	 *
	 * @param string                $name  Name.
	 * @param bool|int|string|null  $value Value.
	 */
	public function fact( string $name, $value ): self {
		$this->facts[ $name ] = $value;
		return $this;
	}

	/**
	 * The codes found, in the order found.
	 *
	 * @return list<string>
	 */
	public function codes(): array {
		return array_keys( $this->findings );
	}

	/**
	 * WooCommerce's reasons for a code.
	 *
	 * @param string $code Code.
	 * @return list<string>
	 */
	public function reasons_of( string $code ): array {
		return $this->findings[ $code ] ?? array();
	}

	/**
	 * Whether WooCommerce said anything of a code.
	 *
	 * @param string $code Code.
	 */
	public function has( string $code ): bool {
		return isset( $this->findings[ $code ] );
	}
}
