<?php
/**
 * Test doubles of exactly the WooCommerce functions and classes the plugin calls. Each follows the WooCommerce
 * source it names (woocommerce/woocommerce, plugins/woocommerce/…); state lives in globals the tests control.
 *
 * @package KcoValidation\Plugin\Tests
 */

$GLOBALS['kco_test_notices'] = array();

/** Mirrors includes/class-woocommerce.php: the main class; `session`, `cart` and `version` properties. */
class WooCommerce {
	/** @var string */
	public $version = '9.4.0';
	/** @var object|null */
	public $session = null;
	/** @var object|null */
	public $cart = null;
	/** @var WooCommerce|null */
	public static $instance = null;
}

/** Mirrors woocommerce.php WC(): the singleton. */
function WC() { // phpcs:ignore WordPress.NamingConventions.ValidFunctionName
	if ( null === WooCommerce::$instance ) {
		WooCommerce::$instance = new WooCommerce();
	}
	return WooCommerce::$instance;
}

/**
 * Mirrors includes/abstracts/abstract-wc-session.php WC_Session (3.9 … 10.x): the key (`_customer_id`), the data
 * (`_data`, each value maybe_serialize()d by set() and maybe_unserialize()d by get()), `_dirty`, the magic
 * properties. `$dirty` is a test-only public mirror of `_dirty` (tests read it; WooCommerce has no such property).
 */
abstract class WC_Session {
	/** @var string|int|null */
	protected $_customer_id; // phpcs:ignore PSR2.Classes.PropertyDeclaration.Underscore
	/** @var array<string, mixed> */
	protected $_data = array(); // phpcs:ignore PSR2.Classes.PropertyDeclaration.Underscore
	/** @var bool */
	protected $_dirty = false; // phpcs:ignore PSR2.Classes.PropertyDeclaration.Underscore
	/** @var bool Test-only mirror of _dirty. */
	public $dirty = false;
	public function init() {
	}
	public function cleanup_sessions() {
	}
	public function __get( $key ) {
		return $this->get( $key );
	}
	public function __set( $key, $value ) {
		$this->set( $key, $value );
	}
	public function __isset( $key ) {
		return isset( $this->_data[ sanitize_title( $key ) ] );
	}
	public function __unset( $key ) {
		if ( isset( $this->_data[ $key ] ) ) {
			unset( $this->_data[ $key ] );
			$this->_dirty = true;
			$this->dirty  = true;
		}
	}
	public function get( $key, $default = null ) {
		$key = sanitize_key( $key );
		return isset( $this->_data[ $key ] ) ? maybe_unserialize( $this->_data[ $key ] ) : $default;
	}
	public function set( $key, $value ) {
		if ( $value !== $this->get( $key ) ) {
			$this->_data[ sanitize_key( $key ) ] = maybe_serialize( $value );
			$this->_dirty                        = true;
			$this->dirty                         = true;
		}
	}
	public function get_customer_id() {
		return $this->_customer_id;
	}
}

/**
 * Mirrors includes/class-wc-session-handler.php WC_Session_Handler (3.9 … 10.x) where it touches the database: the
 * row of `{prefix}woocommerce_sessions` is written by save_data() (INSERT … ON DUPLICATE KEY UPDATE, only when
 * dirty, hooked on `shutdown` by init()), read by get_session(), deleted by delete_session()/destroy_session(), its
 * expiry updated by update_session_timestamp(). Cookies and the object cache are left out. The real constructor
 * takes no argument (init() reads the key from the cookie); tests pass the key the cookie would carry.
 */
class WC_Session_Handler extends WC_Session {
	/** @var string */
	protected $_cookie; // phpcs:ignore PSR2.Classes.PropertyDeclaration.Underscore
	/** @var int */
	protected $_session_expiring; // phpcs:ignore PSR2.Classes.PropertyDeclaration.Underscore
	/** @var int */
	protected $_session_expiration; // phpcs:ignore PSR2.Classes.PropertyDeclaration.Underscore
	/** @var bool */
	protected $_has_cookie = false; // phpcs:ignore PSR2.Classes.PropertyDeclaration.Underscore
	/** @var string */
	protected $_table; // phpcs:ignore PSR2.Classes.PropertyDeclaration.Underscore
	/** @param string|null $customer_id The key the cookie would carry (test convenience). */
	public function __construct( $customer_id = null ) {
		$this->_cookie = 'wp_woocommerce_session_test';
		$this->_table  = $GLOBALS['wpdb']->prefix . 'woocommerce_sessions';
		if ( null !== $customer_id ) {
			$this->_customer_id        = (string) $customer_id;
			$this->_has_cookie         = '' !== (string) $customer_id;
			$this->_session_expiration = time() + 2 * 86400;
			$this->_session_expiring   = time() + 47 * 3600;
		}
	}
	public function init() {
		add_action( 'shutdown', array( $this, 'save_data' ), 20 );
	}
	public function init_session_cookie() {
	}
	public function maybe_set_customer_session_cookie() {
	}
	public function set_customer_session_cookie( $set ) {
	}
	public function has_session() {
		return $this->_has_cookie;
	}
	public function get_session_data() {
		return $this->has_session() ? (array) $this->get_session( $this->_customer_id, array() ) : array();
	}
	public function save_data( $old_session_key = '' ) {
		if ( $this->_dirty && $this->has_session() ) {
			global $wpdb;
			$wpdb->query( $wpdb->prepare( "INSERT INTO {$this->_table} (`session_key`, `session_value`, `session_expiry`) VALUES (%s, %s, %d) ON DUPLICATE KEY UPDATE `session_value` = VALUES(`session_value`), `session_expiry` = VALUES(`session_expiry`)", $this->_customer_id, maybe_serialize( $this->_data ), $this->_session_expiration ) );
			$this->_dirty = false;
			$this->dirty  = false;
		}
	}
	public function destroy_session() {
		$this->delete_session( $this->_customer_id );
		$this->forget_session();
	}
	public function forget_session() {
		$this->_data  = array();
		$this->_dirty = false;
		$this->dirty  = false;
	}
	public function get_session( $customer_id, $default = false ) {
		global $wpdb;
		$value = $wpdb->get_var( $wpdb->prepare( "SELECT session_value FROM {$this->_table} WHERE session_key = %s", $customer_id ) );
		return maybe_unserialize( null === $value ? $default : $value );
	}
	public function delete_session( $customer_id ) {
		$GLOBALS['wpdb']->delete( $this->_table, array( 'session_key' => $customer_id ) );
	}
	public function update_session_timestamp( $customer_id, $timestamp ) {
		$GLOBALS['wpdb']->update( $this->_table, array( 'session_expiry' => $timestamp ), array( 'session_key' => $customer_id ), array( '%d' ) );
	}
	public function cleanup_sessions() {
		global $wpdb;
		$wpdb->query( $wpdb->prepare( "DELETE FROM {$this->_table} WHERE session_expiry < %d", time() ) );
	}
}

/** Mirrors includes/class-wc-log-levels.php (levels, severities, get_level_severity()). */
abstract class WC_Log_Levels {
	const EMERGENCY = 'emergency';
	const ALERT     = 'alert';
	const CRITICAL  = 'critical';
	const ERROR     = 'error';
	const WARNING   = 'warning';
	const NOTICE    = 'notice';
	const INFO      = 'info';
	const DEBUG     = 'debug';
	/** @var array<string,int> */
	protected static $level_to_severity = array(
		self::EMERGENCY => 800,
		self::ALERT     => 700,
		self::CRITICAL  => 600,
		self::ERROR     => 500,
		self::WARNING   => 400,
		self::NOTICE    => 300,
		self::INFO      => 200,
		self::DEBUG     => 100,
	);
	public static function is_valid_level( $level ) {
		return array_key_exists( strtolower( $level ), self::$level_to_severity );
	}
	public static function get_level_severity( $level ) {
		return self::is_valid_level( $level ) ? self::$level_to_severity[ strtolower( $level ) ] : 0;
	}
}

/**
 * Mirrors includes/class-wc-logger.php WC_Logger::log( $level, $message, $context ) and the level shortcuts;
 * records entries instead of writing files (the `source` context names the log file in WooCommerce).
 */
class WC_Logger {
	/** @var list<array{level: string, message: string, context: array}> */
	public $entries = array();
	public function log( $level, $message, $context = array() ) {
		if ( ! WC_Log_Levels::is_valid_level( $level ) ) {
			throw new InvalidArgumentException( 'WC_Logger::log was called with an invalid level' );
		}
		$this->entries[] = array(
			'level'   => $level,
			'message' => $message,
			'context' => $context,
		);
	}
	public function critical( $message, $context = array() ) {
		$this->log( WC_Log_Levels::CRITICAL, $message, $context );
	}
	public function info( $message, $context = array() ) {
		$this->log( WC_Log_Levels::INFO, $message, $context );
	}
}

/** Mirrors includes/wc-core-functions.php wc_get_logger(): the shared logger (filter `woocommerce_logging_class` ignored). */
function wc_get_logger() {
	if ( ! isset( $GLOBALS['kco_test_logger'] ) ) {
		$GLOBALS['kco_test_logger'] = new WC_Logger();
	}
	return $GLOBALS['kco_test_logger'];
}

/** Mirrors includes/wc-notice-functions.php wc_add_notice(): filter `woocommerce_add_{type}`, then queue. */
function wc_add_notice( $message, $notice_type = 'success', $data = array() ) {
	$message = apply_filters( 'woocommerce_add_' . $notice_type, $message );
	if ( '' !== $message ) {
		$GLOBALS['kco_test_notices'][ $notice_type ][] = array(
			'notice' => $message,
			'data'   => $data,
		);
	}
}

/** Mirrors includes/wc-notice-functions.php wc_has_notice(). */
function wc_has_notice( $message, $notice_type = 'success' ) {
	$notices = $GLOBALS['kco_test_notices'][ $notice_type ] ?? array();
	return in_array( $message, wp_list_pluck( $notices, 'notice' ), true );
}

/** Mirrors wp-includes/functions.php wp_list_pluck() for arrays of arrays. */
function wp_list_pluck( $input_list, $field ) {
	return array_map( static fn ( $item ) => $item[ $field ], $input_list );
}

/** Mirrors includes/wc-notice-functions.php wc_get_notices(). */
function wc_get_notices( $notice_type = '' ) {
	$all = $GLOBALS['kco_test_notices'];
	return '' === $notice_type ? $all : ( $all[ $notice_type ] ?? array() );
}

/** Mirrors includes/wc-notice-functions.php wc_set_notices(): replaces the queue. */
function wc_set_notices( $notices ) {
	$GLOBALS['kco_test_notices'] = is_array( $notices ) ? $notices : array();
}

/** Mirrors includes/wc-notice-functions.php wc_print_notices(): prints every queued notice once, then clears them. */
function wc_print_notices( $return = false ) {
	$html = '';
	foreach ( $GLOBALS['kco_test_notices'] as $type => $notices ) {
		foreach ( $notices as $notice ) {
			$html .= '<div class="woocommerce-' . esc_attr( 'success' === $type ? 'message' : $type ) . '" role="alert">' . wp_kses_post( $notice['notice'] ) . "</div>\n";
		}
	}
	$GLOBALS['kco_test_notices'] = array();
	if ( $return ) {
		return $html;
	}
	echo $html; // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped
}

/** Mirrors includes/wc-core-functions.php wc_get_page_permalink() for the cart and checkout pages. */
function wc_get_page_permalink( $page ) {
	return (string) get_option( 'kco_test_' . $page . '_permalink', home_url( '/' . $page . '/' ) );
}

/** Mirrors includes/wc-core-functions.php wc_get_cart_url(): filter `woocommerce_get_cart_url`. */
function wc_get_cart_url() {
	return apply_filters( 'woocommerce_get_cart_url', wc_get_page_permalink( 'cart' ) );
}

/** Mirrors includes/wc-core-functions.php wc_get_checkout_url(): filter `woocommerce_get_checkout_url`. */
function wc_get_checkout_url() {
	return apply_filters( 'woocommerce_get_checkout_url', wc_get_page_permalink( 'checkout' ) );
}

/** Mirrors includes/wc-core-functions.php get_woocommerce_currency(): filter `woocommerce_currency`. */
function get_woocommerce_currency() {
	return apply_filters( 'woocommerce_currency', get_option( 'woocommerce_currency' ) );
}

/** Mirrors includes/wc-core-functions.php wc_get_price_decimals(). */
function wc_get_price_decimals() {
	return absint( apply_filters( 'wc_get_price_decimals', get_option( 'woocommerce_price_num_decimals', 2 ) ) );
}

/** Mirrors includes/wc-core-functions.php wc_shipping_enabled(). */
function wc_shipping_enabled() {
	return apply_filters( 'woocommerce_shipping_enabled', 'disabled' !== get_option( 'woocommerce_ship_to_countries' ) );
}

/**
 * Mirrors includes/wc-core-functions.php get_woocommerce_price_format() (3.9 … 10.x): from the
 * `woocommerce_currency_pos` option, filter `woocommerce_price_format`.
 */
function get_woocommerce_price_format() {
	$currency_pos = get_option( 'woocommerce_currency_pos' );
	$format       = '%1$s%2$s';
	switch ( $currency_pos ) {
		case 'left':
			$format = '%1$s%2$s';
			break;
		case 'right':
			$format = '%2$s%1$s';
			break;
		case 'left_space':
			$format = '%1$s&nbsp;%2$s';
			break;
		case 'right_space':
			$format = '%2$s&nbsp;%1$s';
			break;
	}
	return apply_filters( 'woocommerce_price_format', $format, $currency_pos );
}

/** Mirrors includes/wc-core-functions.php wc_get_price_thousand_separator(). */
function wc_get_price_thousand_separator() {
	return stripslashes( apply_filters( 'wc_get_price_thousand_separator', get_option( 'woocommerce_price_thousand_sep' ) ) );
}

/** Mirrors includes/wc-core-functions.php wc_get_price_decimal_separator(): '.' when the option is empty. */
function wc_get_price_decimal_separator() {
	$separator = apply_filters( 'wc_get_price_decimal_separator', get_option( 'woocommerce_price_decimal_sep' ) );
	return $separator ? stripslashes( $separator ) : '.';
}

/**
 * Mirrors includes/wc-core-functions.php get_woocommerce_currency_symbol() for the currencies the tests use (the
 * symbols as get_woocommerce_currency_symbols() lists them, HTML entities and all), filter
 * `woocommerce_currency_symbol`; an unlisted code is its own symbol ('').
 */
function get_woocommerce_currency_symbol( $currency = '' ) {
	if ( ! $currency ) {
		$currency = get_woocommerce_currency();
	}
	$symbols         = array(
		'SEK' => '&#107;&#114;',
		'NOK' => '&#107;&#114;',
		'DKK' => 'kr.',
		'EUR' => '&euro;',
		'GBP' => '&pound;',
		'USD' => '&#36;',
		'JPY' => '&yen;',
	);
	$currency_symbol = isset( $symbols[ $currency ] ) ? $symbols[ $currency ] : '';
	return apply_filters( 'woocommerce_currency_symbol', $currency_symbol, $currency );
}

/**
 * Stands for includes/wc-core-functions.php wc_get_shipping_method_count( $include_legacy, $enabled_only ) (9.x;
 * 3.9 has only the first argument): WooCommerce counts the rows of woocommerce_shipping_zone_methods (plus enabled
 * legacy methods) and caches the count in a transient (`_transient_wc_shipping_method_count`, not autoloaded: it
 * expires). The test shop has no zone tables: the count is that transient's option as the test sets it (default 1, a
 * shop with one method set up), read as get_transient() reads it (a query on a shop whose options are read from the
 * database, unless read ahead: Request\FirstRead).
 */
function wc_get_shipping_method_count( $include_legacy = false, $enabled_only = false ) {
	return absint( get_option( '_transient_wc_shipping_method_count', 1 ) );
}

/**
 * Stands for WC_Product as far as the `woocommerce_product_needs_shipping` filter sees it: the id and whether it
 * is virtual (includes/abstracts/abstract-wc-product.php get_id(), is_virtual()).
 */
class WC_Product {

	/** Id. */
	private int $id;

	/** Virtual. */
	private bool $virtual;

	public function __construct( int $id, bool $virtual ) {
		$this->id      = $id;
		$this->virtual = $virtual;
	}

	public function get_id() {
		return $this->id;
	}

	public function is_virtual() {
		return $this->virtual;
	}
}

/**
 * Stands for includes/wc-product-functions.php wc_get_product(): the product of a published or private product or
 * variation post, read from the test database (the post and its `_virtual` meta), else false.
 */
function wc_get_product( $the_product = false ) {
	global $wpdb;
	$id  = absint( $the_product );
	$row = $wpdb->get_row( $wpdb->prepare( "SELECT p.ID, m.meta_value AS virtual FROM {$wpdb->posts} p LEFT JOIN {$wpdb->postmeta} m ON m.post_id = p.ID AND m.meta_key = '_virtual' WHERE p.ID = %d AND p.post_type IN ( 'product', 'product_variation' )", $id ), ARRAY_A );
	return is_array( $row ) ? new WC_Product( (int) $row['ID'], 'yes' === $row['virtual'] ) : false;
}
