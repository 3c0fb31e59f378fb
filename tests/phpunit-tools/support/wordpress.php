<?php
/**
 * WordPress pieces the tools call on top of tests/phpunit/doubles/wordpress.php.
 *
 * Real code from Debian's WordPress 6.1 (/usr/share/wordpress):
 * - dbDelta(), cut out of wp-admin/includes/upgrade.php (that file cannot be required without the whole admin);
 * - the HTTP API: wp-includes/http.php, class-wp-http.php and the Requests library, so the doctor's probes go
 *   through the genuine wp_remote_post() (fsockopen transport: Debian's php has no curl extension here).
 * Doubles (each mirrors the WordPress function it names, reduced to what the tools use): admin menu, nonces,
 * ajax answers, cron, URLs.
 *
 * @package KcoValidation\Plugin\Tests\Tools
 */

foreach ( array( 'MINUTE_IN_SECONDS' => 60, 'HOUR_IN_SECONDS' => 3600, 'DAY_IN_SECONDS' => 86400, 'WEEK_IN_SECONDS' => 604800 ) as $kco_name => $kco_value ) {
	if ( ! defined( $kco_name ) ) {
		define( $kco_name, $kco_value );
	}
}

/**
 * Defines the top-level functions of a WordPress core file that are not defined yet, from the file's own text
 * (for files that cannot be required whole because the plugin suite's doubles already define some of their
 * functions, or because they pull in the whole admin).
 *
 * @param string       $file  Path under ABSPATH.
 * @param list<string> $names Only these functions (empty: all).
 */
function kco_tools_load_core_functions( string $file, array $names = array() ): void {
	$text = (string) file_get_contents( ABSPATH . $file );
	if ( ! preg_match_all( '/^function (\w+)\(.*?^}\n/ms', $text, $matches, PREG_SET_ORDER ) ) {
		fwrite( STDERR, "no functions found in {$file}\n" );
		exit( 2 );
	}
	$found = array();
	foreach ( $matches as $match ) {
		$found[] = $match[1];
		if ( ( array() === $names || in_array( $match[1], $names, true ) ) && ! function_exists( $match[1] ) ) {
			eval( $match[0] ); // phpcs:ignore Squiz.PHP.Eval.Discouraged -- WordPress's own function text, unchanged.
		}
	}
	foreach ( array_diff( $names, $found ) as $missing ) {
		fwrite( STDERR, "{$missing}() not found in {$file}\n" );
		exit( 2 );
	}
}

// --- dbDelta() from wp-admin/includes/upgrade.php --------------------------------------------------------------
kco_tools_load_core_functions( 'wp-admin/includes/upgrade.php', array( 'dbDelta' ) );

// --- HTTP API ----------------------------------------------------------------------------------------------------
if ( ! function_exists( 'wp_parse_args' ) ) {
	/** Mirrors wp-includes/functions.php wp_parse_args(). */
	function wp_parse_args( $args, $defaults = array() ) {
		if ( is_object( $args ) ) {
			$parsed_args = get_object_vars( $args );
		} elseif ( is_array( $args ) ) {
			$parsed_args =& $args;
		} else {
			parse_str( (string) $args, $parsed_args );
		}
		if ( is_array( $defaults ) && $defaults ) {
			return array_merge( $defaults, $parsed_args );
		}
		return $parsed_args;
	}
}
if ( ! function_exists( 'get_bloginfo' ) ) {
	/** Mirrors wp-includes/general-template.php get_bloginfo() for the keys WP_Http reads (version, url). */
	function get_bloginfo( $show = '', $filter = 'raw' ) {
		return 'version' === $show ? '6.1.9' : home_url();
	}
}
// WP_HTTP_Requests_Response::to_array() names the status with it.
kco_tools_load_core_functions( WPINC . '/functions.php', array( 'get_status_header_desc' ) );
if ( ! function_exists( 'wp_remote_post' ) ) {
	// http.php defines wp_parse_url(), which the plugin suite's doubles already define (as parse_url()).
	kco_tools_load_core_functions( WPINC . '/http.php' );
	require ABSPATH . WPINC . '/class-wp-http.php';
	require ABSPATH . WPINC . '/class-wp-http-response.php';
	require ABSPATH . WPINC . '/class-wp-http-requests-response.php';
	require ABSPATH . WPINC . '/class-wp-http-requests-hooks.php';
	require ABSPATH . WPINC . '/class-wp-http-proxy.php';
	require ABSPATH . WPINC . '/class-wp-http-cookie.php';
	require ABSPATH . WPINC . '/class-wp-http-encoding.php';

	/*
	 * WordPress 6.1 bundles Requests 1.8, whose ArrayAccess/IteratorAggregate classes raise E_DEPRECATED
	 * ("Return type … should be compatible") when PHP 8.1+ declares them. A WordPress site logs that and goes on;
	 * PHPUnit would turn it into a fatal error at the first request. Declare every Requests class here, once, with
	 * deprecations muted for the declarations only (error_reporting is restored right after).
	 */
	$kco_level = error_reporting( E_ALL & ~E_DEPRECATED );
	$kco_dir   = ABSPATH . WPINC . '/Requests/';
	foreach ( new RecursiveIteratorIterator( new RecursiveDirectoryIterator( $kco_dir, FilesystemIterator::SKIP_DOTS ) ) as $kco_file ) {
		$kco_class = 'Requests_' . str_replace( '/', '_', substr( (string) $kco_file, strlen( $kco_dir ), -4 ) );
		class_exists( $kco_class ) || interface_exists( $kco_class );
	}
	error_reporting( $kco_level );
	unset( $kco_level, $kco_dir, $kco_file, $kco_class );
}

// --- admin, nonces, ajax, cron, URLs -----------------------------------------------------------------------------
$GLOBALS['kco_test_submenus'] = array();
$GLOBALS['kco_test_cron']     = array();
$GLOBALS['kco_test_styles']   = array();

if ( ! function_exists( 'add_submenu_page' ) ) {
	/** Mirrors wp-admin/includes/plugin.php add_submenu_page(): records; returns the hook suffix WordPress builds. */
	function add_submenu_page( $parent_slug, $page_title, $menu_title, $capability, $menu_slug, $callback = '', $position = null ) {
		$GLOBALS['kco_test_submenus'][] = compact( 'parent_slug', 'page_title', 'menu_title', 'capability', 'menu_slug', 'callback' );
		return 'woocommerce_page_' . $menu_slug;
	}
}
if ( ! function_exists( 'admin_url' ) ) {
	/** Mirrors wp-includes/link-template.php admin_url(). */
	function admin_url( $path = '', $scheme = 'admin' ) {
		return home_url( '/wp-admin/' . ltrim( (string) $path, '/' ) );
	}
}
if ( ! function_exists( 'plugins_url' ) ) {
	/** Mirrors wp-includes/link-template.php plugins_url() for a file inside the plugin. */
	function plugins_url( $path = '', $plugin = '' ) {
		return home_url( '/wp-content/plugins/' . basename( dirname( (string) $plugin ) ) . '/' . ltrim( (string) $path, '/' ) );
	}
}
if ( ! function_exists( 'wp_enqueue_style' ) ) {
	/** Mirrors wp-includes/functions.wp-styles.php wp_enqueue_style(): records. */
	function wp_enqueue_style( $handle, $src = '', $deps = array(), $ver = false, $media = 'all' ) {
		$GLOBALS['kco_test_styles'][ $handle ] = $src;
	}
}
if ( ! function_exists( 'add_query_arg' ) ) {
	/** Mirrors wp-includes/functions.php add_query_arg( array $args, string $url ) (the form the tools use). */
	function add_query_arg( ...$args ) {
		$params = $args[0];
		$url    = (string) $args[1];
		$query  = array();
		$parts  = explode( '?', $url, 2 );
		if ( isset( $parts[1] ) ) {
			parse_str( $parts[1], $query );
		}
		foreach ( $params as $key => $value ) {
			if ( false === $value ) {
				unset( $query[ $key ] );
			} else {
				$query[ $key ] = $value;
			}
		}
		return $parts[0] . ( $query ? '?' . http_build_query( $query ) : '' );
	}
}
if ( ! function_exists( 'wp_create_nonce' ) ) {
	/** Mirrors wp-includes/pluggable.php wp_create_nonce() for the test's current user (kco_test_user_id). */
	function wp_create_nonce( $action = -1 ) {
		$tick = (int) ceil( time() / ( DAY_IN_SECONDS / 2 ) );
		return substr( hash_hmac( 'md5', $tick . '|' . $action . '|' . ( $GLOBALS['kco_test_user_id'] ?? 1 ), wp_salt( 'auth' ) ), -12, 10 );
	}
}
if ( ! function_exists( 'wp_verify_nonce' ) ) {
	/** Mirrors wp-includes/pluggable.php wp_verify_nonce(): 1 (this tick), false otherwise. */
	function wp_verify_nonce( $nonce, $action = -1 ) {
		return is_string( $nonce ) && '' !== $nonce && hash_equals( wp_create_nonce( $action ), $nonce ) ? 1 : false;
	}
}
if ( ! function_exists( 'wp_nonce_field' ) ) {
	/** Mirrors wp-includes/functions.php wp_nonce_field() (no referer field when $referer is false). */
	function wp_nonce_field( $action = -1, $name = '_wpnonce', $referer = true, $display = true ) {
		$field = '<input type="hidden" id="' . esc_attr( $name ) . '" name="' . esc_attr( $name ) . '" value="' . wp_create_nonce( $action ) . '" />';
		if ( $referer ) {
			$field .= '<input type="hidden" name="_wp_http_referer" value="/wp-admin/admin.php?page=kco-validation-log" />';
		}
		if ( $display ) {
			echo $field; // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped
		}
		return $field;
	}
}
if ( ! function_exists( 'check_ajax_referer' ) ) {
	/** Mirrors wp-includes/pluggable.php check_ajax_referer(): dies with -1 (403) on a bad nonce. */
	function check_ajax_referer( $action = -1, $query_arg = false, $stop = true ) {
		$nonce  = $_REQUEST['_wpnonce'] ?? ( $_REQUEST['_ajax_nonce'] ?? '' ); // phpcs:ignore
		$result = wp_verify_nonce( $nonce, $action );
		if ( $stop && false === $result ) {
			throw new KcoTestAjaxExit( '-1', 403 );
		}
		return $result;
	}
}
/** Stands for the die() that ends an ajax request. */
class KcoTestAjaxExit extends RuntimeException {
	/** @var mixed */
	public $data;
	public function __construct( $data, int $code ) {
		parent::__construct( 'ajax exit', $code );
		$this->data = $data;
	}
}
if ( ! function_exists( 'wp_send_json_success' ) ) {
	/** Mirrors wp-includes/functions.php wp_send_json_success(): {success: true, data} then die. */
	function wp_send_json_success( $data = null, $status_code = null, $options = 0 ) {
		throw new KcoTestAjaxExit( array( 'success' => true, 'data' => $data ), 200 );
	}
}
if ( ! function_exists( 'wp_send_json_error' ) ) {
	/** Mirrors wp-includes/functions.php wp_send_json_error(): {success: false} then die. */
	function wp_send_json_error( $data = null, $status_code = null, $options = 0 ) {
		throw new KcoTestAjaxExit( array( 'success' => false, 'data' => $data ), (int) ( $status_code ?? 200 ) );
	}
}
if ( ! function_exists( 'wp_next_scheduled' ) ) {
	/** Mirrors wp-includes/cron.php wp_next_scheduled() over the test's cron array. */
	function wp_next_scheduled( $hook, $args = array() ) {
		return $GLOBALS['kco_test_cron'][ $hook ]['timestamp'] ?? false;
	}
}
if ( ! function_exists( 'wp_schedule_event' ) ) {
	/** Mirrors wp-includes/cron.php wp_schedule_event(): records timestamp and recurrence. */
	function wp_schedule_event( $timestamp, $recurrence, $hook, $args = array(), $wp_error = false ) {
		$GLOBALS['kco_test_cron'][ $hook ] = array(
			'timestamp'  => $timestamp,
			'recurrence' => $recurrence,
		);
		return true;
	}
}
if ( ! function_exists( 'get_site_option' ) ) {
	/** Mirrors wp-includes/option.php get_site_option() on a single site (reads the option). */
	function get_site_option( $option, $default_value = false ) {
		return get_option( $option, $default_value );
	}
}
