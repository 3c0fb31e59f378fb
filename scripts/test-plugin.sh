#!/usr/bin/env bash
# Runs the WordPress plugin's PHPUnit suite against the built extension and a private MariaDB.
#
# Usage: scripts/test-plugin.sh [extra phpunit args]
# Env:   KCO_EXT       path of the extension (default: target/release/libkco_validation.so)
#        KCO_FIXTURES  Klarna sample bodies (default: ../shared/fixtures/klarna beside the repo)
# Exits non-zero on any failure, error, skipped, incomplete or risky test, or when the extension does not load.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

EXT="${KCO_EXT:-$ROOT/target/release/libkco_validation.so}"
export KCO_EXT="$EXT"
export KCO_FIXTURES="${KCO_FIXTURES:-$ROOT/../shared/fixtures/klarna}"

say() { printf 'test-plugin: %s\n' "$*" >&2; }

# --- 1. packages (Debian bookworm) ---------------------------------------------------------------------------
# shellcheck source=lib/test-env.sh
. "$ROOT/scripts/lib/test-env.sh"
kco_install_missing test-plugin phpunit mariadb-server php8.2-mysql wordpress

# --- 2. the extension must load --------------------------------------------------------------------------------
ver="$(kco_extension_version "$EXT")" || { say "FATAL: see above"; exit 2; }
say "extension $ver loaded from $EXT"
[ -d "$KCO_FIXTURES" ] || { say "FATAL: fixtures not found at $KCO_FIXTURES"; exit 2; }

# --- 3. a private MariaDB ----------------------------------------------------------------------------------------
TMP="$(mktemp -d "${TMPDIR:-/tmp}/kco-plugin-test.XXXXXX")"
# shellcheck source=lib/private-mariadb.sh
. "$ROOT/scripts/lib/private-mariadb.sh"
cleanup() {
	kco_db_stop
	rm -rf "$TMP"
}
trap cleanup EXIT
kco_db_start "$TMP" || { say "FATAL: MariaDB did not start"; exit 3; }
say "MariaDB up at $KCO_DB_SOCKET"

# --- 4. PHPUnit ------------------------------------------------------------------------------------------------
# --fail-on-* turn skipped/incomplete/risky/warnings into a non-zero exit; the config forbids tests without assertions.
set +e
php -d "extension=$EXT" -d error_reporting=-1 -d display_errors=1 /usr/bin/phpunit -c "$ROOT/phpunit.xml.dist" \
	--fail-on-skipped --fail-on-incomplete --fail-on-risky --fail-on-warning "$@"
rc=$?
set -e
[ "$rc" -eq 0 ] && say "PHPUnit passed" || say "PHPUnit FAILED (exit $rc)"
exit "$rc"
