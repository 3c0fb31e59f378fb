<?php
/**
 * Minimal doubles of the WordPress functions the plugin (and Debian's class-wpdb.php / formatting.php) call that
 * cannot be loaded from /usr/share/wordpress without a database. The hook API (plugin.php), formatting.php,
 * kses.php, class-wp-error.php and class-wpdb.php are the real Debian WordPress 6.1 files, loaded by bootstrap.php.
 *
 * Options: WordPress serves autoloaded options from the `alloptions` cache without a query
 * (wp-includes/option.php get_option() → wp_load_alloptions()); the doubles keep them in memory the same way. Every
 * other option costs WordPress a query the first time it is asked for, found or not (then remembered in the
 * `options` cache group, or in `notoptions`): the end-to-end shop (tests/e2e/web/index.php), whose memory holds only
 * the autoloaded rows, sets $GLOBALS['kco_test_options_from_db'] and pays that query here as a real shop does (the
 * PHPUnit suites keep every option in memory and pay none).
 *
 * @package KcoValidation\Plugin\Tests
 */

$GLOBALS['kco_test_options'] = array();
$GLOBALS['kco_test_l10n']    = array();

/** Mirrors wp-includes/option.php get_option(): pre_option_/option_/default_option_ filters around the alloptions value. */
function get_option( $option, $default_value = false ) {
	$option = trim( (string) $option );
	$pre    = apply_filters( "pre_option_{$option}", false, $option, $default_value );
	if ( false !== $pre ) {
		return $pre;
	}
	if ( array_key_exists( $option, $GLOBALS['kco_test_options'] ) ) {
		return apply_filters( "option_{$option}", $GLOBALS['kco_test_options'][ $option ], $option );
	}
	if ( ! empty( $GLOBALS['kco_test_options_from_db'] ) && isset( $GLOBALS['wpdb'] ) ) {
		// WordPress: notoptions, then the options cache group, then one query (and the answer remembered).
		$notoptions = wp_cache_get( 'notoptions', 'options' );
		if ( ! is_array( $notoptions ) || ! isset( $notoptions[ $option ] ) ) {
			$value = wp_cache_get( $option, 'options' );
			if ( false === $value ) {
				$row = $GLOBALS['wpdb']->get_row( $GLOBALS['wpdb']->prepare( "SELECT option_value FROM {$GLOBALS['wpdb']->options} WHERE option_name = %s LIMIT 1", $option ) );
				if ( is_object( $row ) ) {
					$value = $row->option_value;
					wp_cache_add( $option, $value, 'options' );
				} else {
					$notoptions            = is_array( $notoptions ) ? $notoptions : array();
					$notoptions[ $option ] = true;
					wp_cache_set( 'notoptions', $notoptions, 'options' );
				}
			}
			if ( false !== $value ) {
				return apply_filters( "option_{$option}", maybe_unserialize( $value ), $option );
			}
		}
	}
	return apply_filters( "default_option_{$option}", $default_value, $option, false );
}

/**
 * Mirrors wp-includes/post.php get_post_meta() → get_metadata(): the post's meta read once (update_meta_cache(): one
 * query for all its keys, kept in the `post_meta` cache group), values maybe_unserialize()d.
 */
function get_post_meta( $post_id, $key = '', $single = false ) {
	global $wpdb;
	$post_id = (int) $post_id;
	$meta    = wp_cache_get( $post_id, 'post_meta' );
	if ( false === $meta ) {
		$meta = array();
		foreach ( (array) $wpdb->get_results( $wpdb->prepare( "SELECT meta_key, meta_value FROM {$wpdb->postmeta} WHERE post_id = %d ORDER BY meta_id ASC", $post_id ), ARRAY_A ) as $row ) {
			$meta[ $row['meta_key'] ][] = $row['meta_value'];
		}
		wp_cache_add( $post_id, $meta, 'post_meta' );
	}
	if ( '' === $key ) {
		return $meta;
	}
	if ( ! isset( $meta[ $key ] ) ) {
		return $single ? '' : array();
	}
	return $single ? maybe_unserialize( $meta[ $key ][0] ) : array_map( 'maybe_unserialize', $meta[ $key ] );
}

/** Mirrors wp-includes/pluggable.php wp_rand() (random_int). The decision log's trim chance uses it. */
function wp_rand( $min = 0, $max = 0 ) {
	return random_int( (int) $min, (int) $max );
}

/** Mirrors wp-includes/option.php get_transient() without an object cache: the `_transient_` option (expiry not kept). */
function get_transient( $transient ) {
	$pre = apply_filters( "pre_transient_{$transient}", false, $transient );
	if ( false !== $pre ) {
		return $pre;
	}
	return apply_filters( "transient_{$transient}", get_option( '_transient_' . $transient ), $transient );
}

/** Mirrors wp-includes/cache.php wp_cache_get() with WordPress's own non-persistent WP_Object_Cache. */
function wp_cache_get( $key, $group = '', $force = false, &$found = null ) {
	$group = '' === $group ? 'default' : $group;
	$found = isset( $GLOBALS['kco_test_cache'][ $group ] ) && array_key_exists( (string) $key, $GLOBALS['kco_test_cache'][ $group ] );
	return $found ? $GLOBALS['kco_test_cache'][ $group ][ (string) $key ] : false;
}

/** Mirrors wp-includes/cache.php wp_cache_set(). */
function wp_cache_set( $key, $data, $group = '', $expire = 0 ) {
	$GLOBALS['kco_test_cache'][ '' === $group ? 'default' : $group ][ (string) $key ] = $data;
	return true;
}

/** Mirrors wp-includes/cache.php wp_cache_add(): only a key that is not set yet. */
function wp_cache_add( $key, $data, $group = '', $expire = 0 ) {
	wp_cache_get( $key, $group, false, $found );
	return $found ? false : wp_cache_set( $key, $data, $group, $expire );
}

/** Mirrors wp-includes/cache.php wp_cache_delete(). */
function wp_cache_delete( $key, $group = '' ) {
	$group = '' === $group ? 'default' : $group;
	$found = isset( $GLOBALS['kco_test_cache'][ $group ] ) && array_key_exists( (string) $key, $GLOBALS['kco_test_cache'][ $group ] );
	unset( $GLOBALS['kco_test_cache'][ $group ][ (string) $key ] );
	return $found;
}

/**
 * Mirrors wp-includes/load.php wp_using_ext_object_cache(). The PHPUnit suites hold every option in memory, as a
 * persistent object cache would (true: nothing to read ahead); the end-to-end shop reads options from its database
 * as WordPress does without one (false).
 */
function wp_using_ext_object_cache( $using = null ) {
	return empty( $GLOBALS['kco_test_options_from_db'] );
}

/** Mirrors wp-includes/option.php update_option() (stores; no DB). */
function update_option( $option, $value, $autoload = null ) {
	$GLOBALS['kco_test_options'][ $option ] = $value;
	wp_cache_delete( $option, 'options' );
	return true;
}

/** Mirrors wp-includes/option.php add_option(): adds only an option that does not exist yet (no DB). */
function add_option( $option, $value = '', $deprecated = '', $autoload = 'yes' ) {
	if ( array_key_exists( $option, $GLOBALS['kco_test_options'] ) ) {
		return false;
	}
	$GLOBALS['kco_test_options'][ $option ] = $value;
	return true;
}

/** Mirrors wp-includes/option.php delete_option(). */
function delete_option( $option ) {
	$existed = array_key_exists( $option, $GLOBALS['kco_test_options'] );
	unset( $GLOBALS['kco_test_options'][ $option ] );
	return $existed;
}

/** Mirrors wp-includes/option.php wp_load_alloptions() (used by formatting.php for blog_charset). */
function wp_load_alloptions( $force_cache = false ) {
	return $GLOBALS['kco_test_options'];
}

/** Mirrors wp-includes/link-template.php home_url()/get_home_url(): the `home` option plus path, filtered. */
function home_url( $path = '', $scheme = null ) {
	$url = (string) get_option( 'home' );
	if ( $path && is_string( $path ) ) {
		$url .= '/' . ltrim( $path, '/' );
	}
	return apply_filters( 'home_url', $url, $path, $scheme, null );
}

/** Mirrors wp-includes/pluggable.php wp_salt(): {SCHEME}_KEY . {SCHEME}_SALT, filtered by `salt`. */
function wp_salt( $scheme = 'auth' ) {
	$key  = constant( strtoupper( $scheme ) . '_KEY' );
	$salt = constant( strtoupper( $scheme ) . '_SALT' );
	return apply_filters( 'salt', $key . $salt, $scheme );
}

/** Mirrors wp-includes/l10n.php __() → translate(): the loaded translation (doubles/l10n.php), then `gettext`; records the text domain. */
function __( $text, $domain = 'default' ) {
	$GLOBALS['kco_test_l10n'][] = array( $text, $domain );
	$translation                = function_exists( 'kco_test_translate' ) ? kco_test_translate( (string) $text, (string) $domain ) : $text;
	return apply_filters( 'gettext', $translation, $text, $domain );
}

/** Mirrors wp-includes/l10n.php esc_html__(). */
function esc_html__( $text, $domain = 'default' ) {
	return esc_html( __( $text, $domain ) );
}

/** Mirrors wp-includes/functions.php wp_json_encode() (PHP 5.5+ branch). */
function wp_json_encode( $data, $options = 0, $depth = 512 ) {
	return json_encode( $data, $options, $depth );
}

/** Mirrors wp-includes/functions.php absint(). */
function absint( $maybeint ) {
	return abs( (int) $maybeint );
}

/** Mirrors wp-includes/http.php wp_parse_url() (PHP ≥ 5.4.7: parse_url). */
function wp_parse_url( $url, $component = -1 ) {
	return parse_url( $url, $component );
}

/** Mirrors wp-includes/functions.php status_header(): sets the status (under a web server) and records it. */
function status_header( $code, $description = '' ) {
	$GLOBALS['kco_test_status_header'] = (int) $code;
	if ( 'cli' !== PHP_SAPI && ! headers_sent() ) {
		http_response_code( (int) $code );
	}
}

/** Mirrors wp-includes/load.php is_admin(): true on admin screens (tests set kco_test_is_admin). */
function is_admin() {
	return ! empty( $GLOBALS['kco_test_is_admin'] );
}

/** Mirrors wp-includes/capabilities.php current_user_can() for the test's current user capabilities. */
function current_user_can( $capability, ...$args ) {
	return in_array( $capability, $GLOBALS['kco_test_caps'] ?? array(), true );
}

/** Mirrors wp-includes/load.php is_multisite() on a single site (used by class-wpdb.php). */
function is_multisite() {
	return false;
}

/** Mirrors wp-includes/load.php wp_load_translations_early() (nothing to load here). */
function wp_load_translations_early() {
}

/** Mirrors wp-includes/functions.php dead_db(): never reached unless the test DB is down. */
function dead_db() {
	throw new RuntimeException( 'database connection failed' );
}

/** Mirrors wp-includes/functions.php wp_die() by throwing, so a test sees it. */
function wp_die( $message = '', $title = '', $args = array() ) {
	throw new RuntimeException( 'wp_die: ' . ( is_string( $message ) ? $message : 'error' ) );
}

/** Mirrors wp-includes/load.php is_wp_error(). */
function is_wp_error( $thing ) {
	return $thing instanceof WP_Error;
}

/** Mirrors wp-includes/functions.php mbstring_binary_safe_encoding() (no mbstring.func_overload on PHP 8). */
function mbstring_binary_safe_encoding( $reset = false ) {
}

/** Mirrors wp-includes/functions.php reset_mbstring_encoding(). */
function reset_mbstring_encoding() {
}

/** Mirrors wp-includes/functions.php wp_debug_backtrace_summary() (class-wpdb.php calls it with SAVEQUERIES). */
function wp_debug_backtrace_summary( $ignore_class = null, $skip_frames = 0, $pretty = true ) {
	return '';
}

/** Mirrors wp-includes/functions.php wp_allowed_protocols() (kses.php calls it), with its filter. */
function wp_allowed_protocols() {
	static $protocols = array();
	if ( empty( $protocols ) ) {
		$protocols = array( 'http', 'https', 'ftp', 'ftps', 'mailto', 'news', 'irc', 'irc6', 'ircs', 'gopher', 'nntp', 'feed', 'telnet', 'mms', 'rtsp', 'sms', 'svn', 'tel', 'fax', 'xmpp', 'webcal', 'urn' );
	}
	return apply_filters( 'kses_allowed_protocols', $protocols );
}

/** Mirrors wp-includes/functions.php is_serialized() (6.1). */
function is_serialized( $data, $strict = true ) {
	if ( ! is_string( $data ) ) {
		return false;
	}
	$data = trim( $data );
	if ( 'N;' === $data ) {
		return true;
	}
	if ( strlen( $data ) < 4 || ':' !== $data[1] ) {
		return false;
	}
	if ( $strict ) {
		$lastc = substr( $data, -1 );
		if ( ';' !== $lastc && '}' !== $lastc ) {
			return false;
		}
	} else {
		$semicolon = strpos( $data, ';' );
		$brace     = strpos( $data, '}' );
		if ( ( false === $semicolon && false === $brace ) || ( false !== $semicolon && $semicolon < 3 ) || ( false !== $brace && $brace < 4 ) ) {
			return false;
		}
	}
	$token = $data[0];
	switch ( $token ) {
		case 's':
			if ( $strict ) {
				if ( '"' !== substr( $data, -2, 1 ) ) {
					return false;
				}
			} elseif ( false === strpos( $data, '"' ) ) {
				return false;
			}
			// Or else fall through.
		case 'a':
		case 'O':
		case 'E':
			return (bool) preg_match( "/^{$token}:[0-9]+:/s", $data );
		case 'b':
		case 'i':
		case 'd':
			$end = $strict ? '$' : '';
			return (bool) preg_match( "/^{$token}:[0-9.E+-]+;$end/", $data );
	}
	return false;
}

/** Mirrors wp-includes/functions.php maybe_serialize(). */
function maybe_serialize( $data ) {
	if ( is_array( $data ) || is_object( $data ) ) {
		return serialize( $data );
	}
	if ( is_serialized( $data, false ) ) {
		return serialize( $data );
	}
	return $data;
}

/** Mirrors wp-includes/functions.php maybe_unserialize(). */
function maybe_unserialize( $data ) {
	if ( is_serialized( $data ) ) {
		return @unserialize( trim( $data ) ); // phpcs:ignore
	}
	return $data;
}
