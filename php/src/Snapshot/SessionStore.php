<?php
/**
 * Reads a shopper's WooCommerce session by key, once, with its expiry.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin\Snapshot;

defined( 'ABSPATH' ) || exit;

/**
 * Reads `{$wpdb->prefix}woocommerce_sessions` (as WC_Session_Handler::get_session() does, but with expiry checked),
 * unless the callback's first query read the row already (Request\FirstRead).
 */
class SessionStore {

	/**
	 * Session rows read ahead for this request (Request\FirstRead), by key: the row, or null when none exists.
	 * Each is used once.
	 *
	 * @var array<string, array{session_value: string, session_expiry: string}|null>
	 */
	private static array $prefetched = array();

	/**
	 * Hands in a session row read ahead with the callback's options (one query for both).
	 *
	 * @param string                                                   $key Session key.
	 * @param array{session_value: string, session_expiry: string}|null $row The row (null: none exists).
	 */
	public static function prefetched( string $key, ?array $row ): void {
		self::$prefetched = array( $key => $row );
	}

	/**
	 * The database.
	 *
	 * @var \wpdb
	 */
	private $wpdb;

	/**
	 * Constructor.
	 *
	 * @param \wpdb $wpdb WordPress database.
	 */
	public function __construct( $wpdb ) {
		$this->wpdb = $wpdb;
	}

	/**
	 * Whether a key has one of the forms WooCommerce gives session keys: a user id (digits), 32 hex characters
	 * (guests on WooCommerce 3.x–8.x) or `t_` and 30 hex characters (guests on 9.x).
	 *
	 * @param mixed $key Candidate key.
	 */
	public static function is_valid_key( $key ): bool {
		return is_string( $key ) && 1 === preg_match( '/^(?:[1-9][0-9]{0,19}|[0-9a-f]{32}|t_[0-9a-f]{30})$/D', $key );
	}

	/**
	 * Loads a session. A malformed key is no session (no query is made).
	 *
	 * @param mixed    $key Session key from the request.
	 * @param int|null $now Unix time (tests).
	 * @throws \RuntimeException On a database error.
	 */
	public function load( $key, ?int $now = null ): SessionData {
		if ( ! self::is_valid_key( $key ) ) {
			return SessionData::missing();
		}
		if ( array_key_exists( $key, self::$prefetched ) ) {
			$row              = self::$prefetched[ $key ];
			self::$prefetched = array();
		} else {
			$wpdb = $this->wpdb;
			$row  = $wpdb->get_row(
				$wpdb->prepare( "SELECT session_value, session_expiry FROM {$wpdb->prefix}woocommerce_sessions WHERE session_key = %s", $key ),
				ARRAY_A
			);
			if ( '' !== (string) $wpdb->last_error ) {
				throw new \RuntimeException( 'database error reading the session: ' . $wpdb->last_error );
			}
		}
		if ( ! is_array( $row ) ) {
			return SessionData::missing( $key );
		}
		$expired = (int) $row['session_expiry'] < ( $now ?? time() );
		return new SessionData( $key, true, $expired, self::decode( (string) $row['session_value'] ) );
	}

	/**
	 * Decodes a session_value: a serialized array whose values are themselves maybe_serialize()d. Objects are
	 * never instantiated (allowed_classes false).
	 *
	 * @param string $value Column value.
	 * @return array<string, mixed>
	 */
	public static function decode( string $value ): array {
		$outer = self::unserialize( $value );
		if ( ! is_array( $outer ) ) {
			return array();
		}
		$data = array();
		foreach ( $outer as $name => $item ) {
			$data[ (string) $name ] = is_string( $item ) ? self::maybe_unserialize( $item ) : $item;
		}
		return $data;
	}

	/**
	 * As WordPress maybe_unserialize(), without instantiating classes.
	 *
	 * @param string $value Value.
	 * @return mixed
	 */
	public static function maybe_unserialize( string $value ) {
		if ( ! self::looks_serialized( $value ) ) {
			return $value;
		}
		$result = self::unserialize( $value );
		return ( false === $result && 'b:0;' !== $value ) ? $value : $result;
	}

	/**
	 * Whether a string has the shape of serialized data (as WordPress is_serialized(), strict).
	 *
	 * @param string $value Value.
	 */
	private static function looks_serialized( string $value ): bool {
		$value = trim( $value );
		if ( 'N;' === $value ) {
			return true;
		}
		return 1 === preg_match( '/^(?:[aOC]:[0-9]+:.*[;}]|s:[0-9]+:".*";|[bi]:-?[0-9]+;|d:[0-9.E+-]+;)$/s', $value );
	}

	/**
	 * unserialize() with classes disallowed and its notices kept out of the response.
	 *
	 * @param string $value Serialized data.
	 * @return mixed
	 */
	private static function unserialize( string $value ) {
		set_error_handler( static fn (): bool => true ); // phpcs:ignore WordPress.PHP.DevelopmentFunctions.error_log_set_error_handler
		try {
			return unserialize( $value, array( 'allowed_classes' => false ) ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.serialize_unserialize
		} finally {
			restore_error_handler();
		}
	}
}
