#!/usr/bin/env bash
# End-to-end HTTP test of the plugin: nginx (nginx-light) + php-fpm 8.2 with the built extension + a private
# MariaDB, all on loopback under a temp dir (tests/e2e/stack.sh); tests/e2e/web/index.php boots the plugin as the
# PHPUnit suite does and dispatches /wc-api/KCO_WC_Validation/ like WooCommerce's WC_API. The PHPUnit suite
# tests/e2e/phpunit.e2e.xml POSTs the Klarna fixtures, scenarios, bad requests and (when tests/hostile/manifest.json
# exists) the hostile corpus, following every 303 to the page that shows the reasons.
#
# Usage: scripts/test-e2e.sh [extra phpunit args, e.g. --filter coupon]
# Env:   KCO_EXT (default target/release/libkco_validation.so; nothing is built), KCO_FIXTURES, E2E_KEEP=1
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

args=()
if [ -f "$ROOT/tests/hostile/manifest.json" ]; then
	e2e_say "hostile corpus: tests/hostile/manifest.json"
else
	e2e_say "hostile corpus: tests/hostile/manifest.json does not exist yet; group 'hostile' excluded"
	args+=(--exclude-group hostile)
fi

set +e
stack_php /usr/bin/phpunit -c "$ROOT/tests/e2e/phpunit.e2e.xml" --fail-on-skipped --fail-on-incomplete --fail-on-risky \
	--fail-on-warning "${args[@]}" "$@"
rc=$?
set -e

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
