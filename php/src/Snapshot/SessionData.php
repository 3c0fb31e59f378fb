<?php
/**
 * A shopper's WooCommerce session as read from the woocommerce_sessions table.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin\Snapshot;

defined( 'ABSPATH' ) || exit;

/**
 * Value object: whether the row was found, whether it expired, and its unserialized values.
 */
final class SessionData {

	/** The session key as given (empty when none or malformed). */
	public string $key;

	/** The row exists. */
	public bool $found;

	/** Its session_expiry is in the past. */
	public bool $expired;

	/**
	 * Unserialized session values (cart, cart_totals, applied_coupons, …).
	 *
	 * @var array<string, mixed>
	 */
	private array $data;

	/**
	 * Constructor.
	 *
	 * @param string               $key     Session key.
	 * @param bool                 $found   Row found.
	 * @param bool                 $expired Row expired.
	 * @param array<string, mixed> $data    Values.
	 */
	public function __construct( string $key, bool $found, bool $expired, array $data ) {
		$this->key     = $key;
		$this->found   = $found;
		$this->expired = $expired;
		$this->data    = $data;
	}

	/**
	 * No session.
	 *
	 * @param string $key The key that was looked for ('' when malformed).
	 */
	public static function missing( string $key = '' ): self {
		return new self( $key, false, false, array() );
	}

	/**
	 * Whether the cart can be taken from this session.
	 */
	public function usable(): bool {
		return $this->found && ! $this->expired;
	}

	/**
	 * One session value, or the default when the session is unusable or the key absent.
	 *
	 * @param string $name    Session key, e.g. 'cart'.
	 * @param mixed  $default Default.
	 * @return mixed
	 */
	public function get( string $name, $default = null ) {
		if ( ! $this->usable() || ! array_key_exists( $name, $this->data ) ) {
			return $default;
		}
		return $this->data[ $name ];
	}

	/**
	 * All values (empty when unusable).
	 *
	 * @return array<string, mixed>
	 */
	public function all(): array {
		return $this->usable() ? $this->data : array();
	}

	/**
	 * The logged-in user id the key names (digits), else 0.
	 */
	public function user_id(): int {
		return ( $this->found && 1 === preg_match( '/^[1-9][0-9]{0,19}$/', $this->key ) ) ? (int) $this->key : 0;
	}
}
