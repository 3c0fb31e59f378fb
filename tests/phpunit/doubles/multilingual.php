<?php
/**
 * Test doubles of the multilingual plugins WPML and Polylang (only their documented public APIs), plus the few
 * WordPress / WooCommerce functions around pages, titles and locales that multilingual code calls. Loaded by
 * tests/phpunit/support/environment.php right after doubles/woocommerce.php, so the PHPUnit suite and the
 * end-to-end front controller (tests/e2e/web/index.php) share them.
 *
 * Sources followed (each function below names the one it mirrors):
 *  - WPML hooks reference, https://wpml.org/documentation/support/wpml-coding-api/wpml-hooks-reference/
 *    (one page per hook under https://wpml.org/wpml-hook/{name}/), WPML 3.2 … 5.0;
 *  - Polylang function reference, https://polylang.pro/doc/function-reference/, and its implementation
 *    polylang/polylang include/api.php (Polylang ≥ 3.4);
 *  - WordPress 6.1 (Debian's /usr/share/wordpress): wp-includes/l10n.php, class-wp-locale-switcher.php,
 *    link-template.php, post-template.php;
 *  - WooCommerce 9.x: includes/wc-core-functions.php, includes/wc-conditional-functions.php.
 *
 * State (every test starts from kco_test_ml_reset(), called by TestCase::setUp()):
 *  - $GLOBALS['kco_test_ml']: null (no multilingual plugin: the default) or the enabled configuration
 *    array( 'plugin' => 'wpml'|'polylang', 'languages' => code => locale, 'names' => code => name,
 *    'default' => code, 'current' => code, 'url_mode' => 'directory'|'parameter', 'hide_default' => bool,
 *    'switch_stack' => list of codes opened by wpml_switch_language ).
 *  - $GLOBALS['kco_test_ml_groups']: translation groups registered by kco_test_ml_translations() (kept when the
 *    plugin is disabled, invisible while it is).
 *  - $GLOBALS['kco_test_pages']: page id => slug, read by get_permalink().
 *  - $GLOBALS['kco_test_current_page']: 'cart' | 'checkout' | null, read by is_cart() / is_checkout(): the page being
 *    shown is WooCommerce's own cart or checkout page (is_page( wc_get_page_id( … ) )).
 *  - $GLOBALS['kco_test_shown_page']: the id of the page being shown (get_queried_object_id(), is_page(); 0: none) and
 *    $GLOBALS['kco_test_page_content']: page id => post_content (has_block(), and is_cart() / is_checkout() for a
 *    page carrying the shortcode); $GLOBALS['kco_test_in_loop']: the main loop is at the shown page (in_the_loop(),
 *    get_the_ID()); $GLOBALS['kco_test_block_theme']: wp_is_block_theme(). Set by kco_test_show_page().
 *  - $GLOBALS['kco_test_available_languages']: locales with installed translations (get_available_languages()),
 *    default array( 'de_DE', 'sv_SE' ); en_US is always available, as in WP_Locale_Switcher.
 *  - $GLOBALS['kco_test_locale_stack'] / ['kco_test_locale_original']: WP_Locale_Switcher's stack.
 *
 * Where the documentation differs from what one might expect (checked against the sources above):
 *  - wpml_object_id: the translation's id; if there is none, the given id when $return_original_if_missing is true,
 *    else NULL. An element in no translation group is treated as untranslated content (NULL unless
 *    return_original_if_missing).
 *  - wpml_get_element_translations: language code => stdClass whose values are STRINGS as WPML reads them from
 *    icl_translations: translation_id, language_code, element_id ("11"), source_language_code (NULL for the
 *    original), element_type, original ("1" / "0", not a bool), post_title, post_status (from wp_posts; one query).
 *  - wpml_active_languages (WPML 5.0 documentation): keys id, active (1/0), default_locale, native_name, missing,
 *    translated_name, language_code, country, display_code, country_flag_url, url. There is NO 'code' key in the
 *    documented 5.0 answer (WPML 4.x had one): use 'language_code'.
 *  - wpml_switch_language (WPML 5.0): a scope stack. A language code opens a scope; NULL closes the last open one
 *    (it does not mean "the default language"); with no scope open the request's language applies again.
 *  - Polylang ≥ 3.4: pll_get_post() returns 0 (int) when there is no translation, no current language, the post
 *    has no language or the language does not exist (before 3.4: false, and null without a current language).
 *    pll_current_language() / pll_default_language() / pll_get_post_language() return false when unset.
 *  - Polylang's `home_url` filter (PLL_Frontend_Filters_Links::home_url()) only touches the bare home URL (no path),
 *    after template_redirect, for callers on its white list (theme files, wp_nav_menu, login_footer,
 *    get_custom_logo, render_block_core_site_title; filter pll_home_url_white_list). home_url( '/wc-api/…' ) is
 *    never given a language by Polylang; WPML's filter (directory or parameter mode) converts every home_url().
 *  - Both plugins filter `locale` on the front end to the current language's locale (WPML_Locale::locale(),
 *    PLL_Frontend_Filters::get_locale()), so get_locale() follows the current language while one is enabled.
 *
 * Checked against the real Polylang 3.8.5 with WooCommerce 9.9.5 and WordPress 6.8.8 (a shop on loopback, Swedish
 * default + English, language directories, default hidden; issue 17):
 *  - pll_get_post(), pll_get_post_translations(), pll_home_url(), get_permalink() of a translated page and of a page
 *    with a hidden default language, pll_languages_list( fields ) answer as modelled here.
 *  - Polylang does not translate WooCommerce's page settings (only Polylang for WooCommerce does): wc_get_page_id()
 *    is the default language's page in every language, so on a translation of the Cart or Checkout block page
 *    is_cart() / is_checkout() are false. (WooCommerce 9.9 itself counts a page whose content carries the
 *    [woocommerce_cart] / [woocommerce_checkout] shortcode as its cart / checkout: is_cart() is true on a translated
 *    shortcode page; the doubles of is_cart() / is_checkout() did not model that, nor the woocommerce_is_cart
 *    filter, before issue 17.)
 *  - The request's language comes from its URL only: WooCommerce's `/?wc-ajax=…` requests (built on
 *    home_url( '/' ), which Polylang leaves alone) run in the default language even with the pll_language cookie
 *    of another; Store API requests (`/wp-json/wc/store/…`, Polylang's PLL_REST_Request) have no current language
 *    (pll_current_language() false) unless they carry `?lang=xx`. Tests model a request with
 *    kco_test_ml_set_current() (the default language, or '' for none).
 *
 * @package KcoValidation\Plugin\Tests
 */

$GLOBALS['kco_test_ml']        = null;
$GLOBALS['kco_test_ml_groups'] = array();
$GLOBALS['kco_test_pages']     = array();

/* ---------------------------------------------------------------------------------------------------------------
 * Test helpers
 * ------------------------------------------------------------------------------------------------------------- */

/**
 * Enables a multilingual plugin double.
 *
 * @param string               $plugin 'wpml' or 'polylang'.
 * @param array<string, mixed> $config languages (code => locale), names (code => name), default, current,
 *                                     url_mode ('directory' | 'parameter'), hide_default (bool).
 */
function kco_test_ml_enable( string $plugin, array $config = array() ): void {
	if ( ! in_array( $plugin, array( 'wpml', 'polylang' ), true ) ) {
		throw new InvalidArgumentException( "unknown multilingual plugin {$plugin}" );
	}
	kco_test_ml_disable();
	$config = array_merge(
		array(
			'languages'    => array(
				'en' => 'en_US',
				'de' => 'de_DE',
				'sv' => 'sv_SE',
			),
			'names'        => array(),
			'default'      => 'en',
			'current'      => 'en',
			'url_mode'     => 'directory',
			'hide_default' => true,
		),
		$config
	);
	if ( ! isset( $config['languages'][ $config['default'] ] ) ) {
		throw new InvalidArgumentException( 'the default language must be one of the languages' );
	}
	if ( '' !== $config['current'] && ! isset( $config['languages'][ $config['current'] ] ) ) {
		throw new InvalidArgumentException( 'the current language must be one of the languages' );
	}
	if ( ! in_array( $config['url_mode'], array( 'directory', 'parameter' ), true ) ) {
		throw new InvalidArgumentException( 'url_mode is directory or parameter' );
	}
	$names = array(
		'en' => 'English',
		'de' => 'Deutsch',
		'sv' => 'Svenska',
		'fr' => 'Français',
		'fi' => 'Suomi',
		'nb' => 'Norsk Bokmål',
		'da' => 'Dansk',
		'nl' => 'Nederlands',
	);
	foreach ( array_keys( $config['languages'] ) as $code ) {
		if ( ! isset( $config['names'][ $code ] ) ) {
			$config['names'][ $code ] = $names[ $code ] ?? (string) $code;
		}
	}
	$config['plugin']       = $plugin;
	$config['hide_default'] = (bool) $config['hide_default'];
	$config['switch_stack'] = array();
	$GLOBALS['kco_test_ml'] = $config;

	foreach ( kco_test_ml_hooks( $plugin ) as $hook ) {
		add_filter( $hook[0], $hook[1], $hook[2], $hook[3] );
	}
	// WP_Locale_Switcher's `locale` filter is added at init, after the plugins' own: keep it after ours.
	if ( false !== has_filter( 'locale', 'kco_test_locale_switcher_filter' ) ) {
		remove_filter( 'locale', 'kco_test_locale_switcher_filter', 10 );
		add_filter( 'locale', 'kco_test_locale_switcher_filter', 10 );
	}
}

/** Disables the multilingual double: state null, its hooks removed. Translation groups stay registered. */
function kco_test_ml_disable(): void {
	$ml = $GLOBALS['kco_test_ml'] ?? null;
	if ( is_array( $ml ) ) {
		foreach ( kco_test_ml_hooks( $ml['plugin'] ) as $hook ) {
			remove_filter( $hook[0], $hook[1], $hook[2] );
		}
	}
	$GLOBALS['kco_test_ml'] = null;
}

/** Everything the multilingual, page and locale doubles keep, back to a shop without multilingual plugin. */
function kco_test_ml_reset(): void {
	kco_test_ml_disable();
	$GLOBALS['kco_test_ml_groups']               = array();
	$GLOBALS['kco_test_pages']                   = array();
	$GLOBALS['kco_test_current_page']            = null;
	$GLOBALS['kco_test_shown_page']              = 0;
	$GLOBALS['kco_test_page_content']            = array();
	$GLOBALS['kco_test_in_loop']                 = false;
	$GLOBALS['kco_test_block_theme']             = false;
	$GLOBALS['kco_test_available_languages']     = array( 'de_DE', 'sv_SE' );
	$GLOBALS['kco_test_locale_stack']            = array();
	$GLOBALS['kco_test_locale_original']         = null;
	unset( $GLOBALS['locale'] );
}

/**
 * Registers one translation group (WPML: one trid in icl_translations; Polylang: one post_translations term).
 * The first entry is the original (WPML source_language_code NULL).
 *
 * @param array<string, int> $lang_to_post_id e.g. array( 'en' => 10, 'de' => 11 ).
 * @param string|null        $post_type       When given, WPML's element_type must be 'post_' . $post_type.
 * @return int The group's trid.
 */
function kco_test_ml_translations( array $lang_to_post_id, ?string $post_type = null ): int {
	$members = array();
	foreach ( $lang_to_post_id as $lang => $id ) {
		$members[ (string) $lang ] = (int) $id;
	}
	$trid                            = count( $GLOBALS['kco_test_ml_groups'] ) + 1;
	$GLOBALS['kco_test_ml_groups'][] = array(
		'trid'    => $trid,
		'members' => $members,
		'type'    => $post_type,
	);
	return $trid;
}

/**
 * The request shows a page: its id (get_queried_object_id(), is_page()), its content (has_block(), is_cart() /
 * is_checkout() for a page carrying their shortcode), whether WooCommerce knows it as its cart or checkout page, and
 * whether the main loop is at it (in_the_loop(), get_the_ID(), as while the template renders the content).
 *
 * @param int         $id       Page id (0: no page, e.g. an AJAX request).
 * @param string      $content  The page's post_content.
 * @param string|null $wc_page  'cart' | 'checkout' when it is WooCommerce's own page, else null.
 * @param bool        $in_loop  Whether the main loop is at the page.
 */
function kco_test_show_page( int $id, string $content = '', ?string $wc_page = null, bool $in_loop = false ): void {
	$GLOBALS['kco_test_shown_page']           = $id;
	$GLOBALS['kco_test_page_content'][ $id ]  = $content;
	$GLOBALS['kco_test_current_page']         = $wc_page;
	$GLOBALS['kco_test_in_loop']              = $in_loop;
}

/** Sets the request's current language ('' for none, as before Polylang defines one). */
function kco_test_ml_set_current( string $lang ): void {
	if ( ! is_array( $GLOBALS['kco_test_ml'] ?? null ) ) {
		throw new LogicException( 'enable a multilingual plugin first (kco_test_ml_enable)' );
	}
	if ( '' !== $lang && ! isset( $GLOBALS['kco_test_ml']['languages'][ $lang ] ) ) {
		throw new InvalidArgumentException( "{$lang} is not a configured language" );
	}
	$GLOBALS['kco_test_ml']['current'] = $lang;
}

/* ---------------------------------------------------------------------------------------------------------------
 * Internals
 * ------------------------------------------------------------------------------------------------------------- */

/**
 * The hooks each plugin double adds: list of array( hook, callback, priority, accepted args ).
 *
 * @return list<array{0: string, 1: string, 2: int, 3: int}>
 */
function kco_test_ml_hooks( string $plugin ): array {
	if ( 'wpml' === $plugin ) {
		return array(
			array( 'wpml_current_language', 'kco_test_wpml_current_language', 10, 1 ),
			array( 'wpml_default_language', 'kco_test_wpml_default_language', 10, 1 ),
			array( 'wpml_active_languages', 'kco_test_wpml_active_languages', 10, 2 ),
			array( 'wpml_object_id', 'kco_test_wpml_object_id', 10, 4 ),
			array( 'wpml_element_trid', 'kco_test_wpml_element_trid', 10, 3 ),
			array( 'wpml_get_element_translations', 'kco_test_wpml_get_element_translations', 10, 3 ),
			array( 'wpml_element_language_code', 'kco_test_wpml_element_language_code', 10, 2 ),
			array( 'wpml_permalink', 'kco_test_wpml_permalink', 10, 3 ),
			array( 'wpml_switch_language', 'kco_test_wpml_switch_language', 10, 1 ),
			array( 'home_url', 'kco_test_wpml_home_url', -10, 4 ),
			array( 'locale', 'kco_test_ml_locale_filter', 10, 1 ),
		);
	}
	return array(
		array( 'home_url', 'kco_test_pll_home_url_filter', 10, 2 ),
		array( 'locale', 'kco_test_ml_locale_filter', 10, 1 ),
	);
}

/** The enabled configuration of the given plugin, or null. */
function kco_test_ml_state( string $plugin ): ?array {
	$ml = $GLOBALS['kco_test_ml'] ?? null;
	return is_array( $ml ) && $plugin === $ml['plugin'] ? $ml : null;
}

/** The current language of the enabled plugin ('' when none): WPML's open switch scope, else the request's. */
function kco_test_ml_current(): string {
	$ml = $GLOBALS['kco_test_ml'] ?? null;
	if ( ! is_array( $ml ) ) {
		return '';
	}
	if ( array() !== $ml['switch_stack'] ) {
		return (string) end( $ml['switch_stack'] );
	}
	return (string) $ml['current'];
}

/** The translation group holding a post id, or null. */
function kco_test_ml_group_of( int $post_id ): ?array {
	foreach ( $GLOBALS['kco_test_ml_groups'] as $group ) {
		if ( in_array( $post_id, $group['members'], true ) ) {
			return $group;
		}
	}
	return null;
}

/** The language of a post in its group ('' when in none, or its language is not configured). */
function kco_test_ml_language_of( int $post_id ): string {
	$group = kco_test_ml_group_of( $post_id );
	$ml    = $GLOBALS['kco_test_ml'] ?? null;
	if ( null === $group || ! is_array( $ml ) ) {
		return '';
	}
	$lang = (string) array_search( $post_id, $group['members'], true );
	return isset( $ml['languages'][ $lang ] ) ? $lang : '';
}

/** Whether URLs in $lang carry the language (directory segment or ?lang=). */
function kco_test_ml_url_has_language( string $lang ): bool {
	$ml = $GLOBALS['kco_test_ml'] ?? null;
	return is_array( $ml ) && isset( $ml['languages'][ $lang ] ) && ! ( $lang === $ml['default'] && $ml['hide_default'] );
}

/**
 * A URL of this site in $lang: directory mode replaces or adds the /xx/ segment right after the home path (none
 * for a language without one), parameter mode sets or removes ?lang=xx. URLs of other sites are returned as they
 * are. The `home` option is the language-neutral base.
 */
function kco_test_ml_url_in_language( string $url, string $lang ): string {
	$ml = $GLOBALS['kco_test_ml'] ?? null;
	if ( ! is_array( $ml ) ) {
		return $url;
	}
	$home = rtrim( (string) get_option( 'home' ), '/' );
	if ( '' === $home || 0 !== strncmp( $url, $home, strlen( $home ) ) ) {
		return $url;
	}
	$rest = (string) substr( $url, strlen( $home ) );
	if ( '' !== $rest && ! in_array( $rest[0], array( '/', '?', '#' ), true ) ) {
		return $url; // Another host or path that merely starts like the home URL.
	}
	$fragment = '';
	$hash     = strpos( $rest, '#' );
	if ( false !== $hash ) {
		$fragment = substr( $rest, $hash );
		$rest     = substr( $rest, 0, $hash );
	}
	$query = null;
	$qmark = strpos( $rest, '?' );
	if ( false !== $qmark ) {
		$query = substr( $rest, $qmark + 1 );
		$rest  = substr( $rest, 0, $qmark );
	}
	$path = $rest;
	$with = kco_test_ml_url_has_language( $lang );
	if ( 'directory' === $ml['url_mode'] ) {
		$codes = implode( '|', array_map( static fn ( $c ) => preg_quote( (string) $c, '~' ), array_keys( $ml['languages'] ) ) );
		$path  = (string) preg_replace( '~^/(?:' . $codes . ')(?=/|$)~', '', $path );
		if ( $with ) {
			$path = '/' . $lang . $path;
		}
	} else {
		$pairs = null === $query || '' === $query ? array() : explode( '&', $query );
		$pairs = array_values( array_filter( $pairs, static fn ( $p ) => 'lang' !== strstr( $p . '=', '=', true ) ) );
		if ( $with ) {
			$pairs[] = 'lang=' . rawurlencode( $lang );
			if ( '' === $path ) {
				$path = '/';
			}
		}
		$query = array() === $pairs ? ( null === $query ? null : '' ) : implode( '&', $pairs );
		if ( '' === $query ) {
			$query = null;
		}
	}
	return $home . $path . ( null === $query ? '' : '?' . $query ) . $fragment;
}

/** `locale` filter of both plugins on the front end: the current language's locale. */
function kco_test_ml_locale_filter( $locale ) {
	$ml   = $GLOBALS['kco_test_ml'] ?? null;
	$lang = kco_test_ml_current();
	return is_array( $ml ) && isset( $ml['languages'][ $lang ] ) ? $ml['languages'][ $lang ] : $locale;
}

/* ---------------------------------------------------------------------------------------------------------------
 * WPML: filters and actions (added by kco_test_ml_enable( 'wpml' ); absent otherwise, so apply_filters() returns
 * the value passed in, exactly as on a site without WPML)
 * ------------------------------------------------------------------------------------------------------------- */

/**
 * apply_filters( 'wpml_current_language', NULL ): the current language code.
 * https://wpml.org/wpml-hook/wpml_current_language/ (WPML 3.2).
 */
function kco_test_wpml_current_language( $empty_value = null ) {
	return kco_test_ml_current();
}

/**
 * apply_filters( 'wpml_default_language', NULL ): the site's default language code.
 * https://wpml.org/wpml-hook/wpml_default_language/ (WPML 3.2).
 */
function kco_test_wpml_default_language( $empty_value = null ) {
	return kco_test_ml_state( 'wpml' )['default'];
}

/**
 * apply_filters( 'wpml_active_languages', NULL, $args ): code => language information, in the documented shape of
 * WPML 5.0 (id, active, default_locale, native_name, missing, translated_name, language_code, country,
 * display_code, country_flag_url, url). `url` is the home page in that language (the page being translated, when
 * there is one, is not known here). $args (skip_missing, orderby, order, link_empty_to) are accepted and ignored.
 * https://wpml.org/wpml-hook/wpml_active_languages/ (WPML 3.2).
 */
function kco_test_wpml_active_languages( $empty_value = null, $args = array() ) {
	$ml      = kco_test_ml_state( 'wpml' );
	$home    = rtrim( (string) get_option( 'home' ), '/' );
	$current = kco_test_ml_current();
	$out     = array();
	$id      = 0;
	foreach ( $ml['languages'] as $code => $locale ) {
		++$id;
		$country      = false !== strpos( (string) $locale, '_' ) ? substr( (string) $locale, strrpos( (string) $locale, '_' ) + 1 ) : '';
		$out[ $code ] = array(
			'id'               => $id,
			'active'           => $code === $current ? 1 : 0,
			'default_locale'   => $locale,
			'native_name'      => $ml['names'][ $code ],
			'missing'          => 0,
			'translated_name'  => $ml['names'][ $code ],
			'language_code'    => (string) $code,
			'country'          => $country,
			'display_code'     => (string) $code,
			'country_flag_url' => $home . '/wp-content/plugins/sitepress-multilingual-cms/res/flags/' . ( '' === $country ? 'language/' . $code : 'country/' . strtolower( $country ) ) . '.svg',
			'url'              => kco_test_ml_url_in_language( $home . '/', (string) $code ),
		);
	}
	return $out;
}

/**
 * apply_filters( 'wpml_object_id', $element_id, $element_type, $return_original_if_missing = false,
 * $ulanguage_code = null ): the element's id in $ulanguage_code (NULL: the current language); when that translation
 * is missing, the original $element_id if $return_original_if_missing, else NULL.
 * https://wpml.org/wpml-hook/wpml_object_id/ (WPML 3.2).
 */
function kco_test_wpml_object_id( $element_id, $element_type = 'post', $return_original_if_missing = false, $ulanguage_code = null ) {
	$lang  = null === $ulanguage_code || '' === $ulanguage_code ? kco_test_ml_current() : (string) $ulanguage_code;
	$group = kco_test_ml_group_of( (int) $element_id );
	if ( null !== $group && ( null === $group['type'] || in_array( (string) $element_type, array( $group['type'], 'any' ), true ) ) && isset( $group['members'][ $lang ] ) ) {
		return $group['members'][ $lang ];
	}
	return $return_original_if_missing ? $element_id : null;
}

/** Whether a WPML element_type ('post_product', or 'product' where WPML accepts both) names the group's type. */
function kco_test_wpml_type_matches( ?array $group, $element_type ): bool {
	if ( null === $group ) {
		return false;
	}
	if ( null === $group['type'] ) {
		return true;
	}
	$type = (string) $element_type;
	return 'post_' . $group['type'] === $type || ( '' === $type && 'post' === $group['type'] );
}

/**
 * apply_filters( 'wpml_element_trid', NULL, $element_id, $element_type = 'post_post' ): the id of the element's
 * translation group, NULL when it has none.
 * https://wpml.org/wpml-hook/wpml_element_trid/ (WPML 3.3.5).
 */
function kco_test_wpml_element_trid( $empty_value, $element_id = 0, $element_type = 'post_post' ) {
	$group = kco_test_ml_group_of( (int) $element_id );
	return kco_test_wpml_type_matches( $group, $element_type ) ? $group['trid'] : null;
}

/**
 * apply_filters( 'wpml_get_element_translations', NULL, $trid, $element_type = 'post_post' ): language code =>
 * stdClass( translation_id, language_code, element_id, source_language_code, element_type, original,
 * post_title, post_status ), values as strings as in the documented example; post_title / post_status come from
 * wp_posts (one query, as WPML's join does). An unknown trid gives an empty array.
 * https://wpml.org/wpml-hook/wpml_get_element_translations/ (WPML 3.3.5).
 */
function kco_test_wpml_get_element_translations( $empty_value, $trid = 0, $element_type = 'post_post' ) {
	global $wpdb;
	$group = null;
	foreach ( $GLOBALS['kco_test_ml_groups'] as $candidate ) {
		if ( (int) $trid === $candidate['trid'] ) {
			$group = $candidate;
		}
	}
	if ( ! kco_test_wpml_type_matches( $group, $element_type ) ) {
		return array();
	}
	$ids   = array_map( 'intval', array_values( $group['members'] ) );
	$posts = array();
	foreach ( (array) $wpdb->get_results( "SELECT ID, post_title, post_status FROM {$wpdb->posts} WHERE ID IN (" . implode( ',', $ids ) . ')' ) as $row ) {
		$posts[ (int) $row->ID ] = $row;
	}
	$original = (string) array_key_first( $group['members'] );
	$out      = array();
	foreach ( $group['members'] as $lang => $id ) {
		$out[ $lang ] = (object) array(
			'translation_id'       => (string) ( 1000 * $group['trid'] + count( $out ) + 1 ),
			'language_code'        => (string) $lang,
			'element_id'           => (string) $id,
			'source_language_code' => $lang === $original ? null : $original,
			'element_type'         => (string) $element_type,
			'original'             => $lang === $original ? '1' : '0',
			'post_title'           => isset( $posts[ $id ] ) ? (string) $posts[ $id ]->post_title : '',
			'post_status'          => isset( $posts[ $id ] ) ? (string) $posts[ $id ]->post_status : '',
		);
	}
	return $out;
}

/**
 * apply_filters( 'wpml_element_language_code', NULL, array( 'element_id' => …, 'element_type' => … ) ): the
 * element's language code, NULL when it has none. element_type as documented (post, page, {custom post type}) or
 * prefixed (post_product).
 * https://wpml.org/wpml-hook/wpml_element_language_code/ (WPML 3.2).
 */
function kco_test_wpml_element_language_code( $language_code, $args = array() ) {
	$args  = is_array( $args ) ? $args : array();
	$id    = (int) ( $args['element_id'] ?? 0 );
	$type  = (string) ( $args['element_type'] ?? 'post' );
	$group = kco_test_ml_group_of( $id );
	if ( null === $group ) {
		return null;
	}
	if ( null !== $group['type'] && ! in_array( $type, array( $group['type'], 'post_' . $group['type'] ), true ) ) {
		return null;
	}
	$lang = kco_test_ml_language_of( $id );
	return '' === $lang ? null : $lang;
}

/**
 * apply_filters( 'wpml_permalink', $url, $language_code = null, $full_resolution = false ): $url converted to the
 * language's URL format (directory segment or ?lang=; none for the default language when it is hidden). NULL:
 * the current language. Translated slugs ($full_resolution) are not resolved: the path is kept.
 * https://wpml.org/wpml-hook/wpml_permalink/ (WPML 3.2).
 */
function kco_test_wpml_permalink( $url, $language_code = null, $full_resolution = false ) {
	$lang = null === $language_code || '' === $language_code ? kco_test_ml_current() : (string) $language_code;
	return kco_test_ml_url_in_language( (string) $url, $lang );
}

/**
 * do_action( 'wpml_switch_language', $language_code = null ): a language code opens a language scope (WPML 5.0:
 * scopes nest on a stack); NULL closes the last open scope; with none open, the request's language applies.
 * Only NULL closes: '', false and 0 open a scope that keeps the language.
 * https://wpml.org/wpml-hook/wpml_switch_language/ (WPML 3.2.2; stack since 5.0).
 */
function kco_test_wpml_switch_language( $language_code = null ) {
	if ( ! is_array( $GLOBALS['kco_test_ml'] ?? null ) ) {
		return;
	}
	if ( null === $language_code ) {
		array_pop( $GLOBALS['kco_test_ml']['switch_stack'] );
		return;
	}
	$code = is_string( $language_code ) && ( 'all' === $language_code || isset( $GLOBALS['kco_test_ml']['languages'][ $language_code ] ) ) ? $language_code : kco_test_ml_current();
	$GLOBALS['kco_test_ml']['switch_stack'][] = $code;
}

/**
 * WPML's `home_url` filter (WPML_URL_Filters::home_url_filter, priority -10): home_url() in the current language,
 * the language directory after the home path or ?lang=. The `home` option itself stays language-neutral.
 */
function kco_test_wpml_home_url( $url, $path = '', $orig_scheme = null, $blog_id = null ) {
	$lang = kco_test_ml_current();
	return 'all' === $lang ? $url : kco_test_ml_url_in_language( (string) $url, $lang );
}

/* ---------------------------------------------------------------------------------------------------------------
 * Polylang: the API functions (always defined, as PHP cannot undefine them; without kco_test_ml_enable(
 * 'polylang' ) they answer like Polylang with no language configured)
 * ------------------------------------------------------------------------------------------------------------- */

/** A Polylang language field: slug, locale, name (PLL_Language properties), or 'OBJECT' for the language object. */
function kco_test_pll_field( string $lang, $field ) {
	$ml     = kco_test_ml_state( 'polylang' );
	$object = (object) array(
		'slug'     => $lang,
		'locale'   => $ml['languages'][ $lang ],
		'name'     => $ml['names'][ $lang ],
		'home_url' => kco_test_ml_url_in_language( rtrim( (string) get_option( 'home' ), '/' ) . '/', $lang ),
	);
	if ( 'OBJECT' === $field ) {
		return $object;
	}
	return isset( $object->$field ) ? $object->$field : false;
}

if ( ! function_exists( 'pll_current_language' ) ) {
	/**
	 * pll_current_language( $field = 'slug' ): the current language's field ('slug', 'locale', 'name'; OBJECT for the
	 * object), false when no current language is defined.
	 * https://polylang.pro/doc/function-reference/#pll_current_language (include/api.php).
	 */
	function pll_current_language( $field = 'slug' ) {
		$lang = null === kco_test_ml_state( 'polylang' ) ? '' : kco_test_ml_current();
		return '' === $lang ? false : kco_test_pll_field( $lang, $field );
	}
}

if ( ! function_exists( 'pll_default_language' ) ) {
	/**
	 * pll_default_language( $field = 'slug' ): the default language's field, false when no language exists yet.
	 * https://polylang.pro/doc/function-reference/#pll_default_language (include/api.php).
	 */
	function pll_default_language( $field = 'slug' ) {
		$ml = kco_test_ml_state( 'polylang' );
		return null === $ml ? false : kco_test_pll_field( $ml['default'], $field );
	}
}

if ( ! function_exists( 'pll_languages_list' ) ) {
	/**
	 * pll_languages_list( $args = array() ): the languages' 'fields' (default 'slug'; 'locale', 'name'; an empty
	 * fields gives the language objects), array() when no language is configured. hide_empty is ignored (every
	 * language counts as having posts). A field languages lack is skipped, as wp_list_pluck() does.
	 * https://polylang.pro/doc/function-reference/#pll_languages_list (include/api.php).
	 */
	function pll_languages_list( $args = array() ) {
		$ml = kco_test_ml_state( 'polylang' );
		if ( null === $ml ) {
			return array();
		}
		$args  = array_merge( array( 'fields' => 'slug' ), is_array( $args ) ? $args : array() );
		$field = empty( $args['fields'] ) ? 'OBJECT' : (string) $args['fields'];
		$out   = array();
		foreach ( array_keys( $ml['languages'] ) as $code ) {
			$value = kco_test_pll_field( (string) $code, $field );
			if ( false !== $value ) {
				$out[] = $value;
			}
		}
		return $out;
	}
}

if ( ! function_exists( 'pll_get_post' ) ) {
	/**
	 * pll_get_post( $post_id, $lang = '' ): among the post and its translations, the id of the one in $lang (default:
	 * the current language); 0 when not translated, when the post has no language, when there is no current
	 * language or the language does not exist (Polylang ≥ 3.4; before: false).
	 * https://polylang.pro/doc/function-reference/#pll_get_post (include/api.php).
	 */
	function pll_get_post( $post_id, $lang = '' ) {
		$ml   = kco_test_ml_state( 'polylang' );
		$lang = '' === (string) $lang || null === $lang ? (string) pll_current_language() : (string) $lang;
		if ( null === $ml || '' === $lang || ! isset( $ml['languages'][ $lang ] ) ) {
			return 0;
		}
		if ( '' === kco_test_ml_language_of( (int) $post_id ) ) {
			return 0;
		}
		$group = kco_test_ml_group_of( (int) $post_id );
		return (int) ( $group['members'][ $lang ] ?? 0 );
	}
}

if ( ! function_exists( 'pll_get_post_translations' ) ) {
	/**
	 * pll_get_post_translations( $post_id ): language code => post id of the post's translations (itself included),
	 * array() when the post has no language.
	 * https://polylang.pro/doc/function-reference/#pll_get_post_translations (include/api.php).
	 */
	function pll_get_post_translations( $post_id ) {
		$ml = kco_test_ml_state( 'polylang' );
		if ( null === $ml || '' === kco_test_ml_language_of( (int) $post_id ) ) {
			return array();
		}
		return array_intersect_key( kco_test_ml_group_of( (int) $post_id )['members'], $ml['languages'] );
	}
}

if ( ! function_exists( 'pll_get_post_language' ) ) {
	/**
	 * pll_get_post_language( $post_id, $field = 'slug' ): the post's language field, false when the post has none.
	 * https://polylang.pro/doc/function-reference/#pll_get_post_language (include/api.php).
	 */
	function pll_get_post_language( $post_id, $field = 'slug' ) {
		if ( null === kco_test_ml_state( 'polylang' ) ) {
			return false;
		}
		$lang = kco_test_ml_language_of( (int) $post_id );
		return '' === $lang ? false : kco_test_pll_field( $lang, $field );
	}
}

if ( ! function_exists( 'pll_home_url' ) ) {
	/**
	 * pll_home_url( $lang = '' ): the home URL in $lang (default: the current language): home/xx/ in directory mode,
	 * home/?lang=xx in parameter mode, home/ for the default language when hidden; home_url( '/' ) when there is no
	 * language.
	 * https://polylang.pro/doc/function-reference/#pll_home_url (include/api.php).
	 */
	function pll_home_url( $lang = '' ) {
		$ml   = kco_test_ml_state( 'polylang' );
		$lang = empty( $lang ) ? (string) pll_current_language() : (string) $lang;
		if ( null === $ml || '' === $lang || ! isset( $ml['languages'][ $lang ] ) ) {
			return home_url( '/' );
		}
		return kco_test_ml_url_in_language( rtrim( (string) get_option( 'home' ), '/' ) . '/', $lang );
	}
}

/**
 * Polylang's `home_url` filter (PLL_Frontend_Filters_Links::home_url( $url, $path )): only the bare home URL, only
 * after template_redirect, only for callers on the white list (filter pll_home_url_white_list; the theme's files
 * are not modelled): everything else, home_url( '/wc-api/…' ) included, is returned unchanged.
 */
function kco_test_pll_home_url_filter( $url, $path = '' ) {
	if ( ! did_action( 'template_redirect' ) || rtrim( (string) $url, '/' ) !== rtrim( (string) get_option( 'home' ), '/' ) ) {
		return $url;
	}
	$white_list = apply_filters(
		'pll_home_url_white_list',
		array(
			array( 'function' => 'wp_nav_menu' ),
			array( 'function' => 'login_footer' ),
			array( 'function' => 'get_custom_logo' ),
			array( 'function' => 'render_block_core_site_title' ),
		)
	);
	foreach ( debug_backtrace( DEBUG_BACKTRACE_IGNORE_ARGS ) as $frame ) { // phpcs:ignore WordPress.PHP.DevelopmentFunctions
		foreach ( (array) $white_list as $entry ) {
			$fn_ok   = ! isset( $entry['function'] ) || ( isset( $frame['function'] ) && $frame['function'] === $entry['function'] );
			$file_ok = ! isset( $entry['file'] ) || ( isset( $frame['file'] ) && false !== strpos( $frame['file'], (string) $entry['file'] ) );
			if ( ( isset( $entry['function'] ) || isset( $entry['file'] ) ) && $fn_ok && $file_ok ) {
				return pll_home_url();
			}
		}
	}
	return $url;
}

/* ---------------------------------------------------------------------------------------------------------------
 * WordPress and WooCommerce functions around pages, titles and locales
 * ------------------------------------------------------------------------------------------------------------- */

if ( ! function_exists( 'get_permalink' ) ) {
	/**
	 * Mirrors wp-includes/link-template.php get_permalink() → get_page_link() for the pages of
	 * $GLOBALS['kco_test_pages'] (id => slug), permalinks /%postname%/: home + the language of the page
	 * (directory /xx/ or ?lang=xx, as WPML's / Polylang's `page_link` filters make it; a page without a language
	 * gets WPML's current language from home_url(), none under Polylang) + /slug/, then the `page_link` filter.
	 * False for an unknown id, as WordPress returns for a post that does not exist.
	 *
	 * @param int|WP_Post|object $post Post id or object with ID.
	 * @param bool               $leavename Ignored.
	 * @return string|false
	 */
	function get_permalink( $post = 0, $leavename = false ) {
		$id = is_object( $post ) ? (int) ( $post->ID ?? 0 ) : (int) $post;
		if ( $id <= 0 || ! isset( $GLOBALS['kco_test_pages'][ $id ] ) ) {
			return false;
		}
		$link = rtrim( (string) get_option( 'home' ), '/' ) . '/' . trim( (string) $GLOBALS['kco_test_pages'][ $id ], '/' ) . '/';
		$ml   = $GLOBALS['kco_test_ml'] ?? null;
		if ( is_array( $ml ) ) {
			$lang = kco_test_ml_language_of( $id );
			if ( '' === $lang && 'wpml' === $ml['plugin'] ) {
				$lang = kco_test_ml_current();
			}
			if ( '' !== $lang && 'all' !== $lang ) {
				$link = kco_test_ml_url_in_language( $link, $lang );
			}
		}
		return apply_filters( 'page_link', $link, $id, false );
	}
}

if ( ! function_exists( 'get_the_title' ) ) {
	/**
	 * Mirrors wp-includes/post-template.php get_the_title(): the post's post_title from wp_posts (one query for an
	 * id; an object is used as it is), "Protected: %s" / "Private: %s" on the front end, filtered by `the_title`.
	 * '' for a post that does not exist.
	 *
	 * @param int|WP_Post|object $post Post id or object.
	 */
	function get_the_title( $post = 0 ) {
		global $wpdb;
		if ( ! is_object( $post ) ) {
			$post = (int) $post > 0 ? $wpdb->get_row( $wpdb->prepare( "SELECT ID, post_title, post_status, post_password FROM {$wpdb->posts} WHERE ID = %d", (int) $post ) ) : null;
		}
		$title = isset( $post->post_title ) ? (string) $post->post_title : '';
		$id    = isset( $post->ID ) ? (int) $post->ID : 0;
		if ( ! is_admin() ) {
			if ( ! empty( $post->post_password ) ) {
				$format = apply_filters( 'protected_title_format', __( 'Protected: %s' ), $post );
				$title  = sprintf( $format, $title );
			} elseif ( isset( $post->post_status ) && 'private' === $post->post_status ) {
				$format = apply_filters( 'private_title_format', __( 'Private: %s' ), $post );
				$title  = sprintf( $format, $title );
			}
		}
		return apply_filters( 'the_title', $title, $id );
	}
}

if ( ! function_exists( 'wc_get_page_id' ) ) {
	/**
	 * Mirrors includes/wc-core-functions.php wc_get_page_id(): option woocommerce_{page}_page_id filtered by
	 * woocommerce_get_{page}_page_id; -1 when unset ('pay'/'thanks' read the checkout, 'change_password',
	 * 'edit_address', 'lost_password' the my-account page).
	 */
	function wc_get_page_id( $page ) {
		if ( 'pay' === $page || 'thanks' === $page ) {
			$page = 'checkout';
		}
		if ( 'change_password' === $page || 'edit_address' === $page || 'lost_password' === $page ) {
			$page = 'myaccount';
		}
		$page = apply_filters( 'woocommerce_get_' . $page . '_page_id', get_option( 'woocommerce_' . $page . '_page_id' ) );
		return $page ? absint( $page ) : -1;
	}
}

/**
 * Mirrors WooCommerce 9.9's src/Blocks/Utils/CartCheckoutUtils::is_page_type(): WooCommerce's own page
 * ($GLOBALS['kco_test_current_page'], standing for is_page( wc_get_page_id( $type ) )), or a shown page whose content
 * carries the [woocommerce_cart] / [woocommerce_checkout] shortcode (wc_post_content_has_shortcode()) or the
 * classic-shortcode block set to it. A page with the Cart or Checkout block is not counted.
 */
function kco_test_is_wc_page_type( string $type ): bool {
	if ( $type === ( $GLOBALS['kco_test_current_page'] ?? null ) ) {
		return true;
	}
	$content = (string) ( $GLOBALS['kco_test_page_content'][ (int) ( $GLOBALS['kco_test_shown_page'] ?? 0 ) ] ?? '' );
	return false !== strpos( $content, '[woocommerce_' . $type ) || 1 === preg_match( '/<!-- wp:woocommerce\/classic-shortcode \{[^}]*"shortcode":"' . $type . '"/', $content );
}

if ( ! function_exists( 'is_cart' ) ) {
	/**
	 * Mirrors includes/wc-conditional-functions.php is_cart() (WooCommerce 9.9): the woocommerce_is_cart filter,
	 * WOOCOMMERCE_CART defined, or CartCheckoutUtils::is_cart_page() (kco_test_is_wc_page_type()).
	 */
	function is_cart() {
		return (bool) apply_filters( 'woocommerce_is_cart', false ) || defined( 'WOOCOMMERCE_CART' ) || kco_test_is_wc_page_type( 'cart' );
	}
}

if ( ! function_exists( 'is_checkout' ) ) {
	/**
	 * Mirrors includes/wc-conditional-functions.php is_checkout() (WooCommerce 9.9): the woocommerce_is_checkout
	 * filter, WOOCOMMERCE_CHECKOUT defined, or CartCheckoutUtils::is_checkout_page() (kco_test_is_wc_page_type()).
	 */
	function is_checkout() {
		return (bool) apply_filters( 'woocommerce_is_checkout', false ) || defined( 'WOOCOMMERCE_CHECKOUT' ) || kco_test_is_wc_page_type( 'checkout' );
	}
}

if ( ! function_exists( 'is_page' ) ) {
	/**
	 * Mirrors wp-includes/query.php is_page() (no argument, or one id): a page is shown ($GLOBALS['kco_test_shown_page'],
	 * or WooCommerce's own cart / checkout page), and it is that one.
	 *
	 * @param int|string|array $page Page id (or ids) to check.
	 */
	function is_page( $page = '' ) {
		$shown = (int) ( $GLOBALS['kco_test_shown_page'] ?? 0 );
		if ( $shown <= 0 ) {
			return null !== ( $GLOBALS['kco_test_current_page'] ?? null ) && '' === $page;
		}
		return '' === $page || in_array( $shown, array_map( 'intval', (array) $page ), true );
	}
}

if ( ! function_exists( 'get_queried_object_id' ) ) {
	/** Mirrors wp-includes/query.php get_queried_object_id(): the shown page's id, 0 when none. */
	function get_queried_object_id() {
		return (int) ( $GLOBALS['kco_test_shown_page'] ?? 0 );
	}
}

if ( ! function_exists( 'has_block' ) ) {
	/**
	 * Mirrors wp-includes/blocks.php has_block( $block_name, $post ): whether the content (a string with "<!--", else
	 * the post of that id, default the shown page) has the block's opening comment; a name without a namespace is
	 * core/.
	 *
	 * @param string                $block_name Block name.
	 * @param int|string|object|null $post      Post id, content or object.
	 */
	function has_block( $block_name, $post = null ) {
		if ( is_string( $post ) && false !== strpos( $post, '<!--' ) ) {
			$content = $post;
		} else {
			$id      = is_object( $post ) ? (int) ( $post->ID ?? 0 ) : ( null === $post ? (int) ( $GLOBALS['kco_test_shown_page'] ?? 0 ) : (int) $post );
			$content = (string) ( $GLOBALS['kco_test_page_content'][ $id ] ?? '' );
		}
		if ( false === strpos( $block_name, '/' ) ) {
			$block_name = 'core/' . $block_name;
		}
		$name = 0 === strpos( $block_name, 'core/' ) ? substr( $block_name, 5 ) : $block_name;
		return false !== strpos( $content, '<!-- wp:' . $name . ' ' ) || false !== strpos( $content, '<!-- wp:' . $name . ' -->' );
	}
}

if ( ! function_exists( 'in_the_loop' ) ) {
	/** Mirrors wp-includes/query.php in_the_loop(): the main loop is running ($GLOBALS['kco_test_in_loop']). */
	function in_the_loop() {
		return (bool) ( $GLOBALS['kco_test_in_loop'] ?? false );
	}
}

if ( ! function_exists( 'is_main_query' ) ) {
	/** Mirrors wp-includes/query.php is_main_query(): no secondary query is modelled. */
	function is_main_query() {
		return true;
	}
}

if ( ! function_exists( 'get_the_ID' ) ) {
	/** Mirrors wp-includes/post-template.php get_the_ID(): the loop's post (the shown page while in the loop), else false. */
	function get_the_ID() { // phpcs:ignore WordPress.NamingConventions.ValidFunctionName
		return ! empty( $GLOBALS['kco_test_in_loop'] ) && (int) ( $GLOBALS['kco_test_shown_page'] ?? 0 ) > 0 ? (int) $GLOBALS['kco_test_shown_page'] : false;
	}
}

if ( ! function_exists( 'wp_doing_ajax' ) ) {
	/**
	 * Mirrors wp-includes/load.php wp_doing_ajax(): DOING_AJAX (WooCommerce defines it on init for `?wc-ajax=`
	 * requests: WC_AJAX::define_ajax()), filtered by `wp_doing_ajax` (where tests make a request an AJAX one).
	 */
	function wp_doing_ajax() {
		return (bool) apply_filters( 'wp_doing_ajax', defined( 'DOING_AJAX' ) && DOING_AJAX );
	}
}

if ( ! function_exists( 'wp_is_block_theme' ) ) {
	/** Mirrors wp-includes/theme.php wp_is_block_theme(): $GLOBALS['kco_test_block_theme']. */
	function wp_is_block_theme() {
		return (bool) ( $GLOBALS['kco_test_block_theme'] ?? false );
	}
}

if ( ! function_exists( 'get_locale' ) ) {
	/**
	 * Mirrors wp-includes/l10n.php get_locale(): the global $locale once known, else the WPLANG option, else
	 * 'en_US' (kept in the global, as WordPress does), always filtered by `locale` (where WP_Locale_Switcher and the
	 * multilingual plugins hook).
	 */
	function get_locale() {
		global $locale;
		if ( isset( $locale ) ) {
			return apply_filters( 'locale', $locale );
		}
		$db_locale = get_option( 'WPLANG' );
		if ( false !== $db_locale ) {
			$locale = $db_locale;
		}
		if ( empty( $locale ) ) {
			$locale = 'en_US';
		}
		return apply_filters( 'locale', $locale );
	}
}

if ( ! function_exists( 'determine_locale' ) ) {
	/**
	 * Mirrors wp-includes/l10n.php determine_locale() (6.1): `pre_determine_locale` may short-circuit; else
	 * get_locale() (on admin screens the user's locale, which is the site's here: the doubles have no user locale),
	 * filtered by `determine_locale`. The wp-login.php `wp_lang` case does not apply.
	 */
	function determine_locale() {
		$determined_locale = apply_filters( 'pre_determine_locale', null );
		if ( ! empty( $determined_locale ) && is_string( $determined_locale ) ) {
			return $determined_locale;
		}
		$determined_locale = get_locale();
		return apply_filters( 'determine_locale', $determined_locale );
	}
}

/** WP_Locale_Switcher::filter_locale(): the switched locale, when one is. */
function kco_test_locale_switcher_filter( $locale ) {
	$stack = $GLOBALS['kco_test_locale_stack'] ?? array();
	$top   = end( $stack );
	return $top ? $top : $locale;
}

if ( ! function_exists( 'switch_to_locale' ) ) {
	/**
	 * Mirrors wp-includes/l10n.php switch_to_locale() → WP_Locale_Switcher::switch_to_locale() (6.1): false when the
	 * locale is already determine_locale() or not available (en_US + $GLOBALS['kco_test_available_languages']);
	 * else pushes it, fires `switch_locale` and returns true. Translations are not reloaded (the doubles' __() has
	 * none).
	 */
	function switch_to_locale( $locale ) {
		if ( determine_locale() === $locale ) {
			return false;
		}
		$available = array_merge( array( 'en_US' ), (array) ( $GLOBALS['kco_test_available_languages'] ?? array() ) );
		if ( ! in_array( $locale, $available, true ) ) {
			return false;
		}
		if ( empty( $GLOBALS['kco_test_locale_stack'] ) ) {
			$GLOBALS['kco_test_locale_original'] = determine_locale();
		}
		if ( false === has_filter( 'locale', 'kco_test_locale_switcher_filter' ) ) {
			add_filter( 'locale', 'kco_test_locale_switcher_filter', 10 );
		}
		$GLOBALS['kco_test_locale_stack'][] = $locale;
		do_action( 'switch_locale', $locale );
		return true;
	}
}

if ( ! function_exists( 'restore_previous_locale' ) ) {
	/**
	 * Mirrors wp-includes/l10n.php restore_previous_locale() → WP_Locale_Switcher::restore_previous_locale(): pops
	 * the stack; false when it was empty; else fires `restore_previous_locale` ( $locale, $previous_locale ) and
	 * returns the locale now in effect (the one below, or the original one).
	 */
	function restore_previous_locale() {
		$stack    = $GLOBALS['kco_test_locale_stack'] ?? array();
		$previous = array_pop( $stack );
		if ( null === $previous ) {
			return false;
		}
		$GLOBALS['kco_test_locale_stack'] = $stack;
		$locale                           = end( $stack );
		if ( ! $locale ) {
			$locale = (string) $GLOBALS['kco_test_locale_original'];
		}
		do_action( 'restore_previous_locale', $locale, $previous );
		return $locale;
	}
}

if ( ! function_exists( 'is_locale_switched' ) ) {
	/** Mirrors wp-includes/l10n.php is_locale_switched() → WP_Locale_Switcher::is_switched(). */
	function is_locale_switched() {
		return ! empty( $GLOBALS['kco_test_locale_stack'] );
	}
}

kco_test_ml_reset();
