#!/usr/bin/env bash
# The plugin against a REAL WordPress + WooCommerce that you point it at (not part of `make test`: CI has no
# WooCommerce, and no package registry reachable from here ships it). Nothing is downloaded and nothing of yours is
# changed: WP_DIR and WC_DIR are copied into a temp dir, where WordPress is installed into a private MariaDB, served
# by nginx + php-fpm 8.2 (with the built extension) on a free port of 127.0.0.1, with WooCommerce and this plugin
# (php/) active and compare mode on (docs/compare-mode.md). tests/real/ then runs its real-shop scenarios over HTTP
# as a browser and Klarna would (products, coupons and shipping zones made with WooCommerce's own CRUD; carts made
# with ?wc-ajax=add_to_cart and friends; the Klarna body built from the cart as KCO builds it; the callback POSTed
# to /wc-api/KCO_WC_Validation/), and reports every disagreement compare mode recorded between our verdict and
# WooCommerce's own checks.
#
# Usage:  make test-real WP_DIR=/path/to/wordpress WC_DIR=/path/to/woocommerce [REAL_ARGS='--filter coupon']
#         scripts/test-real.sh WP_DIR WC_DIR [phpunit args]      (or WP_DIR=… WC_DIR=… scripts/test-real.sh)
#   WP_DIR  a WordPress release (wp-settings.php at its top), e.g. Debian's /usr/share/wordpress (6.1) or an
#           export of johnpbloch/wordpress-core 6.8.8
#   WC_DIR  a built WooCommerce release (woocommerce.php and vendor/ at its top), e.g. 3.9.3 or 9.9.5
# Env:    KCO_EXT (default target/release/libkco_validation.so; nothing is built), KCO_PLUGIN_DIR (the plugin
#         folder installed as wp-content/plugins/kco-validation; default php/), REAL_HPOS (yes|no, default yes on
#         WooCommerce 8.2+: orders in wc_orders), REAL_KEEP=1 (keep the temp dir and print its path),
#         REAL_REPORT (default tests/artifacts/real-<WooCommerce version>.md), REAL_STRICT=1 (a disagreement fails),
#         REAL_HOLD=1 (set the shop up, then keep it running for a look in a browser instead of testing)
# Exit:   0 when every scenario passed (our answer, compare mode wrote its row, the shopper's session row is
#         byte-identical after the comparison, the answer was not delayed by it, no PHP error from this plugin);
#         disagreements are findings, listed in the report, and fail the run only with REAL_STRICT=1.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
E2E_NAME=test-real

WP_DIR="${WP_DIR:-${1:-}}"
WC_DIR="${WC_DIR:-${2:-}}"
[ $# -ge 1 ] && [ "${1:-}" = "$WP_DIR" ] && shift
[ $# -ge 1 ] && [ "${1:-}" = "$WC_DIR" ] && shift
usage() { echo "usage: make test-real WP_DIR=/path/to/wordpress WC_DIR=/path/to/woocommerce" >&2; exit 2; }
[ -n "$WP_DIR" ] && [ -n "$WC_DIR" ] || usage
[ -f "$WP_DIR/wp-settings.php" ] || { echo "test-real: $WP_DIR is not a WordPress (no wp-settings.php)" >&2; exit 2; }
[ -f "$WC_DIR/woocommerce.php" ] || { echo "test-real: $WC_DIR is not WooCommerce (no woocommerce.php)" >&2; exit 2; }
[ -f "$WC_DIR/vendor/autoload.php" ] || { echo "test-real: $WC_DIR has no vendor/: a built release is needed (not a source checkout)" >&2; exit 2; }
WP_DIR="$(cd "$WP_DIR" && pwd -P)"
WC_DIR="$(cd "$WC_DIR" && pwd -P)"

# shellcheck source=../tests/e2e/stack.sh
. "$ROOT/tests/e2e/stack.sh"
stack_install_deps
stack_check_extension

wp_version="$(sed -n "s/^\$wp_version = '\([^']*\)';/\1/p" "$WP_DIR/wp-includes/version.php")"
wc_version="$(sed -n 's/^ \* Version: *\([0-9][0-9.a-z-]*\).*/\1/p' "$WC_DIR/woocommerce.php" | head -n1)"
[ -n "$wc_version" ] || wc_version=unknown
e2e_say "WordPress $wp_version from $WP_DIR, WooCommerce $wc_version from $WC_DIR"

# --- the stack: tests/e2e/stack.sh's MariaDB and php-fpm, nginx configured for WordPress -------------------------
E2E_TMP="$(mktemp -d "${TMPDIR:-/tmp}/kco-test-real.XXXXXX")"
chmod 0755 "$E2E_TMP"
real_stop() {
	local rc=$?
	if [ "${REAL_KEEP:-0}" = 1 ]; then
		E2E_KEEP=1
		e2e_say "kept the shop in $E2E_TMP (wp/, logs); it is stopped now"
	fi
	stack_stop
	return "$rc"
}
trap real_stop EXIT
trap 'exit 130' INT TERM
E2E_LOG_DIR="$E2E_TMP/wc-logs"
E2E_PHP_ERROR_LOG="$E2E_TMP/php-error.log"
E2E_FPM_LOG="$E2E_TMP/php-fpm.log"
E2E_NGINX_ERROR_LOG="$E2E_TMP/nginx-error.log"
mkdir -p "$E2E_LOG_DIR"
: >"$E2E_PHP_ERROR_LOG"
chmod 0666 "$E2E_PHP_ERROR_LOG"
chmod 0777 "$E2E_LOG_DIR"
E2E_PORT="$(stack_free_port)" || e2e_die "no free port"
E2E_URL="http://127.0.0.1:$E2E_PORT"
REAL_WP="$E2E_TMP/wp"
export E2E_TMP E2E_URL E2E_PORT E2E_LOG_DIR E2E_PHP_ERROR_LOG E2E_FPM_LOG E2E_NGINX_ERROR_LOG REAL_WP

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
cp "$ROOT/tests/real/mu-plugin/kco-real-test.php" "$REAL_WP/wp-content/mu-plugins/kco-real-test.php"
# A theme, when the copy has none (Debian's package ships its themes separately).
if ! ls "$REAL_WP"/wp-content/themes/*/style.css >/dev/null 2>&1; then
	for t in /usr/share/wordpress/wp-content/themes/twentytwentythree /usr/share/wordpress/wp-content/themes/twentytwentytwo; do
		[ -d "$t" ] && { cp -aL "$t" "$REAL_WP/wp-content/themes/"; break; }
	done
fi
ls "$REAL_WP"/wp-content/themes/*/style.css >/dev/null 2>&1 || e2e_say "note: no theme in $WP_DIR (Debian: apt-get install wordpress-theme-twentytwentythree); pages render without one"

stack_start_db
salt() { head -c 48 /dev/urandom | base64 | tr -d '\n/+='; }
cat >"$REAL_WP/wp-config.php" <<-EOF
	<?php
	// Written by scripts/test-real.sh for one run (loopback, private database).
	define( 'DB_NAME', '$KCO_DB_NAME' );
	define( 'DB_USER', '$KCO_DB_USER' );
	define( 'DB_PASSWORD', '$KCO_DB_PASSWORD' );
	define( 'DB_HOST', 'localhost:$KCO_DB_SOCKET' );
	define( 'DB_CHARSET', 'utf8mb4' );
	define( 'DB_COLLATE', '' );
	define( 'AUTH_KEY', '$(salt)' );
	define( 'SECURE_AUTH_KEY', '$(salt)' );
	define( 'LOGGED_IN_KEY', '$(salt)' );
	define( 'NONCE_KEY', '$(salt)' );
	define( 'AUTH_SALT', '$(salt)' );
	define( 'SECURE_AUTH_SALT', '$(salt)' );
	define( 'LOGGED_IN_SALT', '$(salt)' );
	define( 'NONCE_SALT', '$(salt)' );
	define( 'WP_HOME', '$E2E_URL' );
	define( 'WP_SITEURL', '$E2E_URL' );
	define( 'WP_HTTP_BLOCK_EXTERNAL', true );
	define( 'DISABLE_WP_CRON', true );
	define( 'AUTOMATIC_UPDATER_DISABLED', true );
	define( 'WP_AUTO_UPDATE_CORE', false );
	define( 'FS_METHOD', 'direct' );
	define( 'WP_DEBUG', true );
	define( 'WP_DEBUG_DISPLAY', false );
	define( 'WP_DEBUG_LOG', '$E2E_TMP/wp-debug.log' );
	define( 'WC_LOG_DIR', '$E2E_LOG_DIR/' );
	define( 'SAVEQUERIES', true );
	\$table_prefix = 'wp_';
	if ( ! defined( 'ABSPATH' ) ) {
		define( 'ABSPATH', __DIR__ . '/' );
	}
	require_once ABSPATH . 'wp-settings.php';
EOF
stack_start_fpm

access="off"
[ "${E2E_ACCESS_LOG:-1}" = 1 ] && access="$E2E_TMP/nginx-access.log"
user=""
[ "$(id -u)" = 0 ] && user="user root root;"
mkdir -p "$E2E_TMP/nginx"
fastcgi_params=""
for p in "QUERY_STRING \$query_string" "REQUEST_METHOD \$request_method" "CONTENT_TYPE \$content_type" \
	"CONTENT_LENGTH \$content_length" "REQUEST_URI \$request_uri" "DOCUMENT_URI \$document_uri" \
	"DOCUMENT_ROOT \$document_root" "SERVER_PROTOCOL \$server_protocol" "REQUEST_SCHEME \$scheme" \
	"GATEWAY_INTERFACE CGI/1.1" "SERVER_SOFTWARE nginx" "REMOTE_ADDR \$remote_addr" "REMOTE_PORT \$remote_port" \
	"SERVER_ADDR \$server_addr" "SERVER_PORT \$server_port" "SERVER_NAME \$server_name" 'HTTP_PROXY ""'; do
	fastcgi_params+="            fastcgi_param $p;"$'\n'
done
cat >"$E2E_TMP/nginx.conf" <<EOF
$user
worker_processes 1;
daemon off;
pid $E2E_TMP/nginx.pid;
error_log $E2E_NGINX_ERROR_LOG warn;
events { worker_connections 256; }
http {
    access_log $access;
    client_body_temp_path $E2E_TMP/nginx/body;
    fastcgi_temp_path $E2E_TMP/nginx/fastcgi;
    proxy_temp_path $E2E_TMP/nginx/proxy;
    scgi_temp_path $E2E_TMP/nginx/scgi;
    uwsgi_temp_path $E2E_TMP/nginx/uwsgi;
    client_max_body_size 8m;
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
/usr/sbin/nginx -e "$E2E_NGINX_ERROR_LOG" -p "$E2E_TMP/nginx" -c "$E2E_TMP/nginx.conf" >"$E2E_TMP/nginx.out" 2>&1 &
NGINX_PID=$!
for _ in $(seq 1 100); do
	php -r '$s = @fsockopen("127.0.0.1", (int) $argv[1], $e, $m, 0.2); exit($s ? 0 : 1);' "$E2E_PORT" && break
	kill -0 "$NGINX_PID" 2>/dev/null || { cat "$E2E_TMP/nginx.out" "$E2E_NGINX_ERROR_LOG" >&2 2>/dev/null; e2e_die "nginx exited"; }
	sleep 0.1
done
e2e_say "nginx up at $E2E_URL (master $NGINX_PID)"

# --- install: WordPress into the private database, WooCommerce and this plugin active, the shop set up --------------
e2e_say "installing WordPress, activating WooCommerce and kco-validation (compare mode on)"
for phase in install activate configure; do
	stack_php "$ROOT/tests/real/setup.php" "$phase" || e2e_die "setup ($phase) failed (see above; WordPress debug log: $E2E_TMP/wp-debug.log)"
done
if [ "${REAL_HOLD:-0}" = 1 ]; then
	e2e_say "REAL_HOLD=1: the shop runs at $E2E_URL (wp-admin: admin / admin-password-0123) until you stop this script"
	sleep infinity &
	wait $!
fi

# --- the scenarios ---------------------------------------------------------------------------------------------
REAL_REPORT="${REAL_REPORT:-$ROOT/tests/artifacts/real-$wc_version.md}"
mkdir -p "$(dirname "$REAL_REPORT")"
export REAL_REPORT REAL_SCENARIO_MAP="$E2E_TMP/scenarios.tsv"
: >"$REAL_SCENARIO_MAP"
set +e
stack_php /usr/bin/phpunit -c "$ROOT/tests/real/phpunit.real.xml" --fail-on-risky --fail-on-warning "$@"
rc=$?
stack_php "$ROOT/tests/real/report.php" "$REAL_REPORT"
report_rc=$?
set -e
if [ "${REAL_STRICT:-0}" = 1 ] && [ "$report_rc" -ne 0 ] && [ "$rc" -eq 0 ]; then
	e2e_say "REAL_STRICT=1: disagreements fail the run"
	rc=1
fi
[ "$rc" -eq 0 ] || e2e_say "real-shop scenarios FAILED (exit $rc)"
exit "$rc"
