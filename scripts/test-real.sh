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

# shellcheck source=../tests/e2e/stack.sh
. "$ROOT/tests/e2e/stack.sh"
# shellcheck source=lib/real-shop.sh
. "$ROOT/scripts/lib/real-shop.sh"
real_shop_check "$WP_DIR" "$WC_DIR"
stack_install_deps
stack_check_extension
e2e_say "WordPress $wp_version from $WP_DIR, WooCommerce $wc_version from $WC_DIR"

# --- the stack (scripts/lib/real-shop.sh): tests/e2e/stack.sh's MariaDB and php-fpm, nginx configured for WordPress
real_shop_copy
cp "$ROOT/tests/real/mu-plugin/kco-real-test.php" "$REAL_WP/wp-content/mu-plugins/kco-real-test.php"
real_shop_serve

# --- install: WordPress into the private database, WooCommerce and this plugin active, the shop set up --------------
real_shop_setup
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
