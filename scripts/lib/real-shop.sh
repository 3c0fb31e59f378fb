# shellcheck shell=bash
# A throw-away real shop on loopback, sourced by scripts/test-real.sh and scripts/bench-real.sh (after setting
# E2E_NAME and sourcing tests/e2e/stack.sh): a WordPress and a built WooCommerce that the user points at, copied into
# one temp dir (theirs stay untouched; nothing is downloaded), installed into tests/e2e/stack.sh's private MariaDB,
# served by its php-fpm 8.2 (with the built extension) and an nginx configured for WordPress on a free port of
# 127.0.0.1, and set up by tests/real/setup.php (WooCommerce and php/ active, the Swedish shop). Nothing under /etc is
# written; everything is stopped by an EXIT trap.
#
#   real_shop_check WP_DIR WC_DIR   checks both folders (exit 2 with a message) and sets WP_DIR and WC_DIR (absolute),
#                                   wp_version and wc_version
#   real_shop_copy                  the temp dir (E2E_TMP, REAL_WP, the logs, the port and URL, exported), the EXIT
#                                   trap, WordPress, WooCommerce and the plugin (KCO_PLUGIN_DIR) copied into it;
#                                   the caller may add more to $REAL_WP (mu-plugins, other plugins) after this
#   real_shop_serve                 MariaDB, wp-config.php, php-fpm and nginx started
#   real_shop_setup                 tests/real/setup.php install, activate, configure
# Env read: REAL_KEEP=1 (keep the temp dir), E2E_ACCESS_LOG, and what wp-config.php gets: REAL_SAVEQUERIES (a PHP
# expression for SAVEQUERIES; default true), REAL_WP_DEBUG (true|false; default true).

REAL_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

real_shop_check() {
	WP_DIR="$1"
	WC_DIR="$2"
	if [ -z "$WP_DIR" ] || [ -z "$WC_DIR" ]; then usage; fi
	[ -f "$WP_DIR/wp-settings.php" ] || { echo "$E2E_NAME: $WP_DIR is not a WordPress (no wp-settings.php)" >&2; exit 2; }
	[ -f "$WC_DIR/woocommerce.php" ] || { echo "$E2E_NAME: $WC_DIR is not WooCommerce (no woocommerce.php)" >&2; exit 2; }
	[ -f "$WC_DIR/vendor/autoload.php" ] || { echo "$E2E_NAME: $WC_DIR has no vendor/: a built release is needed (not a source checkout)" >&2; exit 2; }
	WP_DIR="$(cd "$WP_DIR" && pwd -P)"
	WC_DIR="$(cd "$WC_DIR" && pwd -P)"
	wp_version="$(sed -n "s/^\$wp_version = '\([^']*\)';/\1/p" "$WP_DIR/wp-includes/version.php")"
	wc_version="$(sed -n 's/^ \* Version: *\([0-9][0-9.a-z-]*\).*/\1/p' "$WC_DIR/woocommerce.php" | head -n1)"
	[ -n "$wc_version" ] || wc_version=unknown
	export WP_DIR WC_DIR wp_version wc_version
}

real_stop() {
	local rc=$?
	if [ "${REAL_KEEP:-0}" = 1 ]; then
		# shellcheck disable=SC2034 # read by stack_stop
		E2E_KEEP=1
		e2e_say "kept the shop in $E2E_TMP (wp/, logs); it is stopped now"
	fi
	stack_stop
	return "$rc"
}

real_shop_copy() {
	stack_make_tmp real_stop
	REAL_WP="$E2E_TMP/wp"
	export REAL_WP

	# A copy of each (cp -aL: Debian's WordPress is made of symlinks into /etc and /var/lib); yours stay untouched.
	e2e_say "copying WordPress and WooCommerce into $E2E_TMP"
	cp -aL "$WP_DIR" "$REAL_WP"
	rm -f "$REAL_WP/wp-config.php" "$REAL_WP/.htaccess"
	mkdir -p "$REAL_WP/wp-content/plugins" "$REAL_WP/wp-content/mu-plugins" "$REAL_WP/wp-content/uploads" "$REAL_WP/wp-content/themes"
	rm -rf "$REAL_WP/wp-content/plugins/woocommerce" "$REAL_WP/wp-content/plugins/kco-validation"
	cp -a "$WC_DIR" "$REAL_WP/wp-content/plugins/woocommerce"
	# The WP-a2z mirror of the wordpress.org builds lost a case-only rename (real-woocommerce.md); WooCommerce dies on
	# it when it flushes its cache. Fixed in the copy only.
	if [ -f "$REAL_WP/wp-content/plugins/woocommerce/src/Caching/WpCacheEngine.php" ] && [ ! -f "$REAL_WP/wp-content/plugins/woocommerce/src/Caching/WPCacheEngine.php" ]; then
		mv "$REAL_WP/wp-content/plugins/woocommerce/src/Caching/WpCacheEngine.php" "$REAL_WP/wp-content/plugins/woocommerce/src/Caching/WPCacheEngine.php"
		e2e_say "note: renamed src/Caching/WpCacheEngine.php to WPCacheEngine.php in the copy (case lost in the mirror)"
	fi
	cp -a "$KCO_PLUGIN_DIR" "$REAL_WP/wp-content/plugins/kco-validation"
	# A theme, when the copy has none (Debian's package ships its themes separately).
	if ! ls "$REAL_WP"/wp-content/themes/*/style.css >/dev/null 2>&1; then
		for t in /usr/share/wordpress/wp-content/themes/twentytwentythree /usr/share/wordpress/wp-content/themes/twentytwentytwo; do
			[ -d "$t" ] && { cp -aL "$t" "$REAL_WP/wp-content/themes/"; break; }
		done
	fi
	ls "$REAL_WP"/wp-content/themes/*/style.css >/dev/null 2>&1 || e2e_say "note: no theme in $WP_DIR (Debian: apt-get install wordpress-theme-twentytwentythree); pages render without one"
}

real_salt() { head -c 48 /dev/urandom | base64 | tr -d '\n/+='; }

real_shop_serve() {
	stack_start_db
	cat >"$REAL_WP/wp-config.php" <<-EOF
		<?php
		// Written by scripts/$E2E_NAME.sh for one run (loopback, private database).
		define( 'DB_NAME', '$KCO_DB_NAME' );
		define( 'DB_USER', '$KCO_DB_USER' );
		define( 'DB_PASSWORD', '$KCO_DB_PASSWORD' );
		define( 'DB_HOST', 'localhost:$KCO_DB_SOCKET' );
		define( 'DB_CHARSET', 'utf8mb4' );
		define( 'DB_COLLATE', '' );
		define( 'AUTH_KEY', '$(real_salt)' );
		define( 'SECURE_AUTH_KEY', '$(real_salt)' );
		define( 'LOGGED_IN_KEY', '$(real_salt)' );
		define( 'NONCE_KEY', '$(real_salt)' );
		define( 'AUTH_SALT', '$(real_salt)' );
		define( 'SECURE_AUTH_SALT', '$(real_salt)' );
		define( 'LOGGED_IN_SALT', '$(real_salt)' );
		define( 'NONCE_SALT', '$(real_salt)' );
		define( 'WP_HOME', '$E2E_URL' );
		define( 'WP_SITEURL', '$E2E_URL' );
		define( 'WP_HTTP_BLOCK_EXTERNAL', true );
		define( 'DISABLE_WP_CRON', true );
		define( 'AUTOMATIC_UPDATER_DISABLED', true );
		define( 'WP_AUTO_UPDATE_CORE', false );
		define( 'FS_METHOD', 'direct' );
		define( 'WP_DEBUG', ${REAL_WP_DEBUG:-true} );
		define( 'WP_DEBUG_DISPLAY', false );
		define( 'WP_DEBUG_LOG', '$E2E_TMP/wp-debug.log' );
		define( 'WC_LOG_DIR', '$E2E_LOG_DIR/' );
		define( 'SAVEQUERIES', ${REAL_SAVEQUERIES:-true} );
		\$table_prefix = 'wp_';
		if ( ! defined( 'ABSPATH' ) ) {
			define( 'ABSPATH', __DIR__ . '/' );
		}
		require_once ABSPATH . 'wp-settings.php';
	EOF
	stack_start_fpm

	local fastcgi_params="" p
	for p in "QUERY_STRING \$query_string" "REQUEST_METHOD \$request_method" "CONTENT_TYPE \$content_type" \
		"CONTENT_LENGTH \$content_length" "REQUEST_URI \$request_uri" "DOCUMENT_URI \$document_uri" \
		"DOCUMENT_ROOT \$document_root" "SERVER_PROTOCOL \$server_protocol" "REQUEST_SCHEME \$scheme" \
		"GATEWAY_INTERFACE CGI/1.1" "SERVER_SOFTWARE nginx" "REMOTE_ADDR \$remote_addr" "REMOTE_PORT \$remote_port" \
		"SERVER_ADDR \$server_addr" "SERVER_PORT \$server_port" "SERVER_NAME \$server_name" 'HTTP_PROXY ""'; do
		fastcgi_params+="            fastcgi_param $p;"$'\n'
	done
	{
		stack_nginx_preamble 256
		cat <<-EOF
		    client_max_body_size 8m;
		    keepalive_requests 1000000;
		    server_tokens off;
		    types { text/css css; application/javascript js; image/png png; image/svg+xml svg; }
		    server {
		        listen 127.0.0.1:$E2E_PORT;
		        server_name 127.0.0.1;
		        root $REAL_WP;
		        index index.php;
		        # WordPress's pretty permalinks.
		        location / { try_files \$uri \$uri/ /index.php?\$args; }
		        location ~ \.php\$ {
		            try_files \$uri =404;
		            fastcgi_pass unix:$E2E_TMP/php-fpm.sock;
		            fastcgi_param SCRIPT_FILENAME \$document_root\$fastcgi_script_name;
		            fastcgi_param SCRIPT_NAME \$fastcgi_script_name;
		$fastcgi_params        }
		    }
		}
	EOF
	} >"$E2E_TMP/nginx.conf"
	stack_run_nginx
}

real_shop_setup() {
	e2e_say "installing WordPress, activating WooCommerce and kco-validation (compare mode on)"
	local phase
	for phase in install activate configure; do
		stack_php "$REAL_ROOT/tests/real/setup.php" "$phase" || e2e_die "setup ($phase) failed (see above; WordPress debug log: $E2E_TMP/wp-debug.log)"
	done
}
