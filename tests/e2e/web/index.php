<?php
/**
 * Front controller of the end-to-end HTTP test (nginx + php-fpm send every path here).
 *
 * Boots what tests/phpunit/bootstrap.php boots (tests/phpunit/support/environment.php: Debian's real WordPress hook
 * API, WP_Error, formatting and kses from /usr/share/wordpress, the WooCommerce/WordPress doubles of
 * tests/phpunit/doubles, Debian's real wpdb on the private MariaDB, the plugin's main file as WordPress loads a
 * plugin) plus tests/e2e/doubles/http.php, reads the autoloaded options from wp_options, fires the load-time
 * actions in WordPress/WooCommerce order, then either
 *   - dispatches /wc-api/NAME/ and ?wc-api=NAME exactly like WooCommerce's WC_API::handle_api_requests() on
 *     parse_request (ob_start, no-cache headers, status 200/400 by has_action, do_action( 'woocommerce_api_'.$name ),
 *     ob_end_clean, die( '-1' )), or
 *   - serves /cart/ and /checkout/: 'wp', 'template_redirect' (where the plugin adds its notices), then the page
 *     template's woocommerce_before_cart / woocommerce_before_checkout_form, where WooCommerce prints the notices; or
 *   - serves a Cart / Checkout block page WooCommerce does not know as its own (option kco_e2e_block_pages, issue
 *     17): 'wp', 'template_redirect', the page's content through `the_content` in the main loop, then `wp_footer`.
 *
 * Language-prefix mode (the second run of scripts/test-e2e.sh, E2E_LANG_PREFIX=en): the tests write the option
 * kco_e2e_lang_prefix (synced to wp_options before every request, like every option); the shop then runs the WPML
 * double (tests/phpunit/doubles/multilingual.php) with language directories for every language, the default one
 * included (hide_default off), so home_url(), the cart and the checkout carry /en/. Requests are routed as WPML does
 * with directories: a leading /xx/ of a configured language is taken off the path and becomes the current language
 * (no directory: the default language), before the load-time actions; the rest is routed as without it
 * (WooCommerce's wc-api endpoint is EP_ALL, so /xx/wc-api/NAME/ reaches WC_API too).
 *
 * Test-only debug headers: X-KCO-Queries (SQL queries of the callback up to its answer, counted from wp_loaded,
 * where the plugin answers it, or from WC_API's dispatch), X-KCO-Handler-Ms (PHP time from that point to the answer),
 * X-KCO-Server-Ms (PHP time of the whole request), X-KCO-Plugin-Dir (the plugin folder the shop loaded: php/, or the unzipped plugin
 * zip with KCO_PLUGIN_DIR, scripts/test-dist.sh). With request header "X-KCO-E2E-Sql: 1" the handler's SQL and query times
 * (SAVEQUERIES) are appended to $KCO_E2E_LOG_DIR/sql.log; "X-KCO-E2E-Noise: 1" adds neighbours that print (see below);
 * "X-KCO-E2E-Delay-Ms: N" holds the request N ms before WordPress starts (see below).
 *
 * @package KcoValidation\Plugin\Tests\E2E
 */

error_reporting( E_ALL );
$kco_e2e_start = hrtime( true );
$kco_e2e_root  = (string) ( getenv( 'KCO_E2E_ROOT' ) ?: dirname( __DIR__, 3 ) );

/*
 * The PHPUnit suite's environment (tests/phpunit/support/environment.php, shared with tests/phpunit/bootstrap.php):
 * the WordPress files and doubles, wpdb on the test MariaDB (SAVEQUERIES on), the default options, and the plugin's
 * main file, included as WordPress includes an active plugin.
 */
require $kco_e2e_root . '/tests/phpunit/support/environment.php';
require $kco_e2e_root . '/tests/e2e/doubles/http.php';

$GLOBALS['kco_e2e_api_queries_from'] = null;

/**
 * Runs when PHP starts sending headers: the recorded status_header() code, and the debug headers.
 */
function kco_e2e_send_headers(): void {
	global $wpdb, $kco_e2e_start;
	kco_e2e_apply_status();
	if ( null !== $GLOBALS['kco_e2e_api_queries_from'] && isset( $wpdb ) ) {
		$from = $GLOBALS['kco_e2e_api_queries_from'];
		header( 'X-KCO-Queries: ' . (int) ( $wpdb->num_queries - $from ) );
		if ( ! empty( $_SERVER['HTTP_X_KCO_E2E_SQL'] ) && defined( 'SAVEQUERIES' ) && SAVEQUERIES && is_array( $wpdb->queries ) ) {
			$sql = '';
			foreach ( array_slice( $wpdb->queries, $from ) as $query ) {
				$sql .= sprintf( '[%.3f ms] ', 1000 * (float) $query[1] ) . preg_replace( '/\s+/', ' ', (string) $query[0] ) . "\n";
			}
			file_put_contents( getenv( 'KCO_E2E_LOG_DIR' ) . '/sql.log', "-- " . ( $_SERVER['REQUEST_URI'] ?? '' ) . "\n" . $sql, FILE_APPEND | LOCK_EX );
		}
	}
	header( 'X-KCO-Server-Ms: ' . sprintf( '%.3f', ( hrtime( true ) - $kco_e2e_start ) / 1e6 ) );
	if ( isset( $GLOBALS['kco_e2e_api_start'] ) ) {
		// From the moment the plugin may answer (wp_loaded) to the answer's headers.
		header( 'X-KCO-Handler-Ms: ' . sprintf( '%.3f', ( hrtime( true ) - $GLOBALS['kco_e2e_api_start'] ) / 1e6 ) );
	}
	header( 'X-KCO-Plugin-Dir: ' . KCO_TEST_PLUGIN_DIR );
}
header_register_callback( 'kco_e2e_send_headers' );

// wp_load_alloptions(): the autoloaded options, one query, into the doubles' option store.
$GLOBALS['kco_test_options'] = array();
foreach ( (array) $GLOBALS['wpdb']->get_results( "SELECT option_name, option_value FROM {$GLOBALS['wpdb']->options} WHERE autoload = 'yes'" ) as $kco_e2e_row ) {
	$kco_e2e_value = $kco_e2e_row->option_value;
	if ( is_string( $kco_e2e_value ) && 1 === preg_match( '/^(a|i|b|s):/', $kco_e2e_value ) ) {
		$kco_e2e_decoded = @unserialize( $kco_e2e_value, array( 'allowed_classes' => false ) ); // phpcs:ignore
		if ( false !== $kco_e2e_decoded || 'b:0;' === $kco_e2e_value ) {
			$kco_e2e_value = $kco_e2e_decoded;
		}
	}
	$GLOBALS['kco_test_options'][ $kco_e2e_row->option_name ] = $kco_e2e_value;
}

// Every other option is read from wp_options when asked for, one query each (remembered, found or not), as WordPress
// does without a persistent object cache (tests/phpunit/doubles/wordpress.php get_option()).
$GLOBALS['kco_test_options_from_db'] = true;

// The language-prefix mode: WPML with a directory for every language; the request's directory is its language.
$kco_e2e_path = (string) parse_url( (string) ( $_SERVER['REQUEST_URI'] ?? '/' ), PHP_URL_PATH );
$kco_e2e_lang = $GLOBALS['kco_test_options']['kco_e2e_lang_prefix'] ?? '';
if ( is_string( $kco_e2e_lang ) && '' !== $kco_e2e_lang ) {
	kco_test_ml_enable(
		'wpml',
		array(
			'url_mode'     => 'directory',
			'hide_default' => false,
		)
	);
	// The shop's cart and checkout pages and their translations (E2eTestCase::PREFIX_PAGES, via options).
	$GLOBALS['kco_test_pages'] = (array) ( $GLOBALS['kco_test_options']['kco_test_pages'] ?? array() );
	foreach ( (array) ( $GLOBALS['kco_test_options']['kco_e2e_translations'] ?? array() ) as $kco_e2e_group ) {
		kco_test_ml_translations( (array) $kco_e2e_group, 'page' );
	}
	$kco_e2e_codes = implode( '|', array_map( 'preg_quote', array_keys( $GLOBALS['kco_test_ml']['languages'] ) ) );
	if ( 1 === preg_match( '~^/(' . $kco_e2e_codes . ')(?=/|$)~', $kco_e2e_path, $kco_e2e_m ) ) {
		kco_test_ml_set_current( $kco_e2e_m[1] );
		$kco_e2e_path = (string) substr( $kco_e2e_path, strlen( $kco_e2e_m[0] ) );
		$kco_e2e_path = '' === $kco_e2e_path ? '/' : $kco_e2e_path;
	}
}

// WooCommerce's shared objects: the logger with a file handler, the main object with payment_gateways().
$GLOBALS['kco_test_logger'] = new Kco_E2E_File_Logger( (string) getenv( 'KCO_E2E_LOG_DIR' ) );
WooCommerce::$instance      = new Kco_E2E_WooCommerce();

// WooCommerce's own hooks that matter here (woocommerce.php / class-woocommerce.php, wc-template-hooks.php).
add_action(
	'init',
	static function () {
		do_action( 'before_woocommerce_init' );
		do_action( 'woocommerce_init' );
	},
	0
);
add_action( 'woocommerce_before_cart', 'woocommerce_output_all_notices', 10 );
add_action( 'woocommerce_before_checkout_form', 'woocommerce_output_all_notices', 10 );

/**
 * Mirrors includes/class-wc-api.php WC_API::handle_api_requests() (WooCommerce 3.9 … 10.x), hooked on
 * parse_request at priority 0.
 *
 * @param object $wp The WP object (query_vars).
 */
function kco_e2e_handle_api_requests( $wp ) {
	if ( ! empty( $_GET['wc-api'] ) ) {
		$wp->query_vars['wc-api'] = sanitize_key( wp_unslash( $_GET['wc-api'] ) );
	}
	if ( ! empty( $wp->query_vars['wc-api'] ) ) {
		ob_start();
		wc_nocache_headers();
		$api_request = strtolower( wc_clean( $wp->query_vars['wc-api'] ) );
		WC()->payment_gateways();
		do_action( 'woocommerce_api_request', $api_request );
		status_header( has_action( 'woocommerce_api_' . $api_request ) ? 200 : 400 );
		if ( null === $GLOBALS['kco_e2e_api_queries_from'] ) {
			$GLOBALS['kco_e2e_api_queries_from'] = $GLOBALS['wpdb']->num_queries;
		}
		do_action( 'woocommerce_api_' . $api_request );
		ob_end_clean();
		die( '-1' );
	}
}
add_action( 'parse_request', 'kco_e2e_handle_api_requests', 0 );

/*
 * Test-only neighbours, on request header "X-KCO-E2E-Noise: 1": code that prints before our handler (another
 * plugin on woocommerce_api_request, and one on our action ahead of us), and a stand-in for KCO 1.x's own handler
 * (registered at the default priority 10, as KCO_WC_API_Callbacks does), which must never run.
 */
if ( ! empty( $_SERVER['HTTP_X_KCO_E2E_NOISE'] ) ) {
	add_action( 'woocommerce_api_request', static function () { echo 'NOISE-BEFORE'; } );
	add_action( 'woocommerce_api_kco_wc_validation', static function () { echo 'NOISE-AHEAD'; }, -1 );
	add_action(
		'woocommerce_api_kco_wc_validation',
		static function () {
			header( 'X-KCO-Legacy-Handler: ran' );
			echo 'KCO-1X-HANDLER';
		},
		10
	);
}

/*
 * Test-only, on request header "X-KCO-E2E-Delay-Ms: N" (at most 5 000): the request is held N ms before WordPress's
 * load-time actions, as on a busy server (waiting for a worker, a slow start). The time counts against Klarna's
 * deadline, which starts at the request's arrival (tests/e2e/tests/DeadlineE2eTest.php).
 */
if ( isset( $_SERVER['HTTP_X_KCO_E2E_DELAY_MS'] ) && is_numeric( $_SERVER['HTTP_X_KCO_E2E_DELAY_MS'] ) ) {
	usleep( 1000 * max( 0, min( 5000, (int) $_SERVER['HTTP_X_KCO_E2E_DELAY_MS'] ) ) );
}

// The load-time actions in WordPress order (the plugin's main file was included by the environment).
do_action( 'plugins_loaded' );
do_action( 'setup_theme' );
do_action( 'after_setup_theme' );
do_action( 'init' );
// A WC-API request (the path's /wc-api/NAME/ or ?wc-api=): its queries are counted from here, where the plugin
// answers the validation callback (wp_loaded), else from WC_API's dispatch below. Nothing of the doubles queries in
// between: every query counted is the plugin's.
if ( 1 === preg_match( '~/wc-api/~', $kco_e2e_path ) || isset( $_GET['wc-api'] ) ) {
	$GLOBALS['kco_e2e_api_queries_from'] = $GLOBALS['wpdb']->num_queries;
	$GLOBALS['kco_e2e_api_start']        = hrtime( true );
}
// Test-only, with the option kco_e2e_log_prune_one_in set: the decision log's chance of trimming itself after an
// insert (filter kco_validation_log_prune_probability; 0: never), so that a test counting queries is not one in a
// hundred times two DELETEs over.
if ( isset( $GLOBALS['kco_test_options']['kco_e2e_log_prune_one_in'] ) ) {
	add_filter( 'kco_validation_log_prune_probability', static fn () => (int) $GLOBALS['kco_test_options']['kco_e2e_log_prune_one_in'] );
}
// Test-only, on the query argument kco_e2e_fault (scripts/bench-http.sh's faulted outcome): the snapshot filter
// throws, as a faulty extension of the shop would; the plugin answers by its internal-fault policy.
if ( isset( $_GET['kco_e2e_fault'] ) ) {
	add_filter(
		'kco_validation_snapshot',
		static function () {
			throw new RuntimeException( 'a fault for the bench (kco_e2e_fault)' );
		}
	);
}
/*
 * Test-only, on request header "X-KCO-E2E-Request-Id: ID": when the request ends (after the answer was handed over
 * and the plugin's own after-answer work, the decision log, ran), one line "ID<TAB>queries<TAB>statements" is
 * appended to $KCO_E2E_LOG_DIR/queries.log: every query of the callback, the ones after the answer included.
 */
if ( isset( $_SERVER['HTTP_X_KCO_E2E_REQUEST_ID'] ) && is_string( $_SERVER['HTTP_X_KCO_E2E_REQUEST_ID'] ) ) {
	register_shutdown_function(
		static function () {
			global $wpdb;
			$from = $GLOBALS['kco_e2e_api_queries_from'];
			if ( null === $from ) {
				return;
			}
			$sql = array();
			foreach ( array_slice( is_array( $wpdb->queries ) ? $wpdb->queries : array(), $from ) as $query ) {
				$sql[] = preg_replace( '/\s+/', ' ', (string) $query[0] );
			}
			$id = preg_replace( '/[^A-Za-z0-9_-]/', '', (string) $_SERVER['HTTP_X_KCO_E2E_REQUEST_ID'] );
			file_put_contents( getenv( 'KCO_E2E_LOG_DIR' ) . '/queries.log', $id . "\t" . ( $wpdb->num_queries - $from ) . "\t" . implode( ' | ', $sql ) . "\n", FILE_APPEND | LOCK_EX );
		}
	);
}
do_action( 'wp_loaded' );

// WP::main(): parse_request. WooCommerce's rewrite endpoint (add_rewrite_endpoint( 'wc-api', EP_ALL )) maps
// /wc-api/NAME/ to the query var wc-api=NAME ($kco_e2e_path: the request path, language directory taken off).
$wp             = new stdClass();
$wp->query_vars = array();
$wp->request    = trim( $kco_e2e_path, '/' );
if ( 1 === preg_match( '~^/wc-api(?:/(.*?))?/?$~', $kco_e2e_path, $kco_e2e_m ) ) {
	$wp->query_vars['wc-api'] = $kco_e2e_m[1] ?? '';
} elseif ( isset( $_GET['wc-api'] ) && is_string( $_GET['wc-api'] ) ) {
	$wp->query_vars['wc-api'] = $_GET['wc-api'];
}
do_action_ref_array( 'parse_request', array( &$wp ) );

// Not an API request: the cart and checkout pages (permalinks /cart/ and /checkout/; in the language-prefix mode
// also their translations' slugs, e.g. /de/kasse/).
$kco_e2e_pages = array(
	'cart'     => array( 'Cart', 'woocommerce_before_cart' ),
	'checkout' => array( 'Checkout', 'woocommerce_before_checkout_form' ),
);
$kco_e2e_page = isset( $kco_e2e_pages[ $wp->request ] ) ? $wp->request : null;
if ( null === $kco_e2e_page && is_array( $GLOBALS['kco_test_ml'] ) ) {
	$kco_e2e_id = array_search( $wp->request, $GLOBALS['kco_test_pages'], true );
	foreach ( array_keys( $kco_e2e_pages ) as $kco_e2e_name ) {
		$kco_e2e_group = false === $kco_e2e_id ? null : kco_test_ml_group_of( (int) $kco_e2e_id );
		if ( null !== $kco_e2e_group && in_array( wc_get_page_id( $kco_e2e_name ), $kco_e2e_group['members'], true ) ) {
			$kco_e2e_page = $kco_e2e_name;
		}
	}
}
// A page with the Cart or Checkout block that WooCommerce does not know as its own (a translation made with Polylang
// without Polylang for WooCommerce, issue 17): option kco_e2e_block_pages, page id => 'cart' | 'checkout'.
// WooCommerce prints no notice there (the blocks print none; its Store Notices block is only in its own templates):
// the theme renders the page's content in the main loop (`the_content`), then the footer (`wp_footer`).
$kco_e2e_block_pages = (array) ( $GLOBALS['kco_test_options']['kco_e2e_block_pages'] ?? array() );
$kco_e2e_block_id    = array_search( $wp->request, (array) $GLOBALS['kco_test_pages'], true );
if ( false !== $kco_e2e_block_id && isset( $kco_e2e_block_pages[ $kco_e2e_block_id ] ) ) {
	$kco_e2e_kind    = 'checkout' === $kco_e2e_block_pages[ $kco_e2e_block_id ] ? 'checkout' : 'cart';
	$kco_e2e_content = '<!-- wp:woocommerce/' . $kco_e2e_kind . " -->\n<div class=\"wp-block-woocommerce-" . $kco_e2e_kind . "\"></div>\n<!-- /wp:woocommerce/" . $kco_e2e_kind . ' -->';
	kco_test_show_page( (int) $kco_e2e_block_id, $kco_e2e_content );
	do_action( 'wp', $wp );
	do_action( 'template_redirect' );
	header( 'Content-Type: text/html; charset=UTF-8' );
	nocache_headers();
	echo "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head>\n<body class=\"woocommerce-" . esc_attr( $kco_e2e_kind ) . "\">\n";
	$GLOBALS['kco_test_in_loop'] = true;
	echo apply_filters( 'the_content', $kco_e2e_content ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped
	$GLOBALS['kco_test_in_loop'] = false;
	do_action( 'wp_footer' );
	echo "\n</body></html>\n";
	exit;
}
if ( 'e2e-canary' === $wp->request ) {
	// Proves the error-log check is live: a warning and a deprecation must reach the PHP error log (E_ALL).
	echo $kco_e2e_undefined_on_purpose; // phpcs:ignore
	trigger_error( 'kco-e2e canary deprecation', E_USER_DEPRECATED ); // phpcs:ignore
	exit;
}
if ( null === $kco_e2e_page ) {
	http_response_code( '' === $wp->request ? 200 : 404 );
	header( 'Content-Type: text/html; charset=UTF-8' );
	echo '' === $wp->request ? "<!DOCTYPE html>\n<title>Shop</title><h1>Shop</h1>\n" : "<!DOCTYPE html>\n<title>Not found</title><h1>Not found</h1>\n";
	exit;
}
// is_cart() / is_checkout() (tests/phpunit/doubles/multilingual.php) answer for the page being served.
$GLOBALS['kco_test_current_page'] = $kco_e2e_page;
do_action( 'wp', $wp );
do_action( 'template_redirect' );
list( $kco_e2e_title, $kco_e2e_hook ) = $kco_e2e_pages[ $kco_e2e_page ];
header( 'Content-Type: text/html; charset=UTF-8' );
nocache_headers();
echo "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" . esc_html( $kco_e2e_title ) . "</title></head>\n<body class=\"woocommerce-" . esc_attr( $kco_e2e_page ) . "\">\n<h1>" . esc_html( $kco_e2e_title ) . "</h1>\n";
do_action( $kco_e2e_hook );
echo "\n</body></html>\n";
