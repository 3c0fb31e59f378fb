#!/usr/bin/env bash
# End-to-end HTTP test of the plugin: nginx (nginx-light) + php-fpm 8.2 with the built extension + a private
# MariaDB, all on loopback under a temp dir (tests/e2e/stack.sh); tests/e2e/web/index.php boots the plugin as the
# PHPUnit suite does and dispatches /wc-api/KCO_WC_Validation/ like WooCommerce's WC_API. The PHPUnit suite
# tests/e2e/phpunit.e2e.xml POSTs the Klarna fixtures, scenarios, bad requests and (when tests/hostile/manifest.json
# exists) the hostile corpus, following every 303 to the page that shows the reasons.
#
# The suite runs twice on the same stack: first on a plain shop, then once more on a shop whose URLs carry a language
# prefix (E2E_LANG_PREFIX=en: the WPML double with a directory for every language, so home_url(), the cart and the
# checkout are /en/…, and Klarna POSTs to /en/wc-api/KCO_WC_Validation/). The group lang-prefix (tests that only make
# sense with the prefix) runs only in the second run; the second run leaves out the group hostile (the corpus does not
# depend on the URLs and takes most of the time). The script fails when either run fails.
#
# Usage: scripts/test-e2e.sh [extra phpunit args for both runs, e.g. --filter coupon]
# Env:   KCO_EXT (default target/release/libkco_validation.so; nothing is built), KCO_FIXTURES, E2E_KEEP=1,
#        KCO_PLUGIN_DIR (the plugin folder the shop loads; default php/; scripts/test-dist.sh passes the unzipped
#        plugin zip, which is how `make test` runs this suite)
# Exit:  0 when every test passed and the PHP error log, php-fpm log and nginx error log show no problem.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
E2E_NAME=test-e2e
# shellcheck source=../tests/e2e/stack.sh
. "$ROOT/tests/e2e/stack.sh"

stack_install_deps
stack_check_extension
stack_start
workers_before="$(stack_fpm_workers | paste -sd' ' -)"

exclude1="lang-prefix"
if [ -f "$ROOT/tests/hostile/manifest.json" ]; then
	e2e_say "hostile corpus: tests/hostile/manifest.json"
else
	e2e_say "hostile corpus: tests/hostile/manifest.json does not exist yet; group 'hostile' excluded"
	exclude1="$exclude1,hostile"
fi

run_suite() { # label, E2E_LANG_PREFIX ('' = none), groups to exclude, phpunit args…
	local label="$1" prefix="$2" exclude="$3"
	shift 3
	e2e_say "$label"
	(
		if [ -n "$prefix" ]; then export E2E_LANG_PREFIX="$prefix"; else unset E2E_LANG_PREFIX; fi
		stack_php /usr/bin/phpunit -c "$ROOT/tests/e2e/phpunit.e2e.xml" --fail-on-skipped --fail-on-incomplete \
			--fail-on-risky --fail-on-warning --exclude-group "$exclude" "$@"
	)
}

set +e
run_suite "run 1 of 2: plain shop URLs" "" "$exclude1" "$@"
rc1=$?
# The same stack, a fresh database (the suite's bootstrap creates the tables): the same grants, now empty.
mariadb --no-defaults -uroot --socket="$KCO_DB_SOCKET" -e "DROP DATABASE $KCO_DB_NAME; CREATE DATABASE $KCO_DB_NAME;"
# Hostile corpus left out of the second run to save time: it exercises bodies, not URLs.
run_suite "run 2 of 2: language prefix /en/ (E2E_LANG_PREFIX=en)" en hostile "$@"
rc2=$?
set -e
rc=0
[ "$rc1" -eq 0 ] || { e2e_say "run 1 (plain shop URLs) FAILED (exit $rc1)"; rc="$rc1"; }
[ "$rc2" -eq 0 ] || { e2e_say "run 2 (language prefix) FAILED (exit $rc2)"; [ "$rc" -ne 0 ] || rc="$rc2"; }

# The suite checks the PHP error log, the php-fpm log and the nginx error log after every test; once more here
# (quietly when clean, so PHPUnit's closing line stays the last line of a passing run).
if ! stack_log_problems; then
	e2e_say "FAILED: server logs show problems"
	[ "$rc" -eq 0 ] && rc=1
fi
workers_after="$(stack_fpm_workers | paste -sd' ' -)"
if [ -z "$workers_after" ] || [ "$workers_before" != "$workers_after" ]; then
	e2e_say "FAILED: php-fpm workers changed during the suite (pm.max_requests=0): '$workers_before' -> '$workers_after'"
	rc=1
fi
[ "$rc" -eq 0 ] || e2e_say "end-to-end tests FAILED (exit $rc)"
exit "$rc"
