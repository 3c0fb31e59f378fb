<?php
/**
 * A WooCommerce session that reads one shopper's row and never writes anything.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin\Tools\Compare;

defined( 'ABSPATH' ) || exit;

/**
 * WC_Session_Handler (3.9 … 10.x) holding a copy of one session row's data: WooCommerce's own get()/set() work
 * on it as on any session (so WC_Cart_Session, WC_Customer's session store, notices and shipping keep their
 * state in it), but every method that would write — to the sessions table, the object cache or a cookie — does
 * nothing, and it registers no hook (no save at shutdown). Loaded only when WooCommerce is.
 */
class ReadOnlySession extends \WC_Session_Handler {

	/**
	 * Constructor. The parent's is not called: it only names the cookie and the table, neither of which is used.
	 *
	 * @param string              $key        Session key (customer id).
	 * @param array<string,mixed> $data       The row's session_value, unserialized once (values still serialized).
	 * @param int                 $expiration The row's session_expiry.
	 */
	public function __construct( string $key, array $data, int $expiration ) { // phpcs:ignore Generic.CodeAnalysis.UselessOverridingMethod
		$this->_customer_id        = $key;
		$this->_data               = $data;
		$this->_dirty              = false;
		$this->_session_expiration = $expiration;
		$this->_session_expiring   = $expiration;
		$this->_has_cookie         = true;
	}

	/** No hooks: no cookie, no save at shutdown. */
	public function init() {
	}

	/** No cookie is read. */
	public function init_session_cookie() {
	}

	/** No cookie is set. */
	public function maybe_set_customer_session_cookie() {
	}

	/**
	 * No cookie is set.
	 *
	 * @param bool $set Set or not.
	 */
	public function set_customer_session_cookie( $set ) {
	}

	/** It is a session. */
	public function has_session() {
		return true;
	}

	/** The data held. */
	public function get_session_data() {
		return $this->_data;
	}

	/**
	 * Never written: the changes stay in memory and are dropped with the object.
	 *
	 * @param mixed $old_session_key Unused.
	 */
	public function save_data( $old_session_key = '' ) {
		$this->_dirty = false;
	}

	/** Forgets the data in memory only (the row and the cookie stay). */
	public function destroy_session() {
		$this->_data  = array();
		$this->_dirty = false;
	}

	/** Forgets the data in memory only (no cookie, no wc_empty_cart()). */
	public function forget_session() {
		$this->_data  = array();
		$this->_dirty = false;
	}

	/** Nothing to clean up. */
	public function cleanup_sessions() {
	}

	/**
	 * This session's data; no other session is read, and the cache is not touched.
	 *
	 * @param mixed $customer_id   Customer id.
	 * @param mixed $default_value Default.
	 * @return mixed
	 */
	public function get_session( $customer_id, $default_value = false ) {
		return (string) $customer_id === (string) $this->_customer_id ? $this->_data : $default_value;
	}

	/**
	 * Nothing is deleted.
	 *
	 * @param mixed $customer_id Customer id.
	 */
	public function delete_session( $customer_id ) {
	}

	/**
	 * Nothing is updated.
	 *
	 * @param mixed $customer_id Customer id.
	 * @param mixed $timestamp   Timestamp.
	 */
	public function update_session_timestamp( $customer_id, $timestamp ) {
	}

	/**
	 * Whether anything was set since the copy was taken (tests).
	 */
	public function changed_in_memory(): bool {
		return (bool) $this->_dirty;
	}
}
