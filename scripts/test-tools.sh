#!/usr/bin/env bash
# Runs the shop-owner tools' PHPUnit suite (php/src/Tools): the probe classifier on recorded blocker answers, the
# doctor against a real nginx (nginx-light, loopback, its own config/pid/logs in a temp dir, reconfigured by the
# test), the decision log on a private MariaDB, the admin screen in headless Chromium, replay and the CLI commands.
#
# Usage: scripts/test-tools.sh [extra phpunit args]
# Env:   KCO_EXT       path of the extension (default: target/release/libkco_validation.so; nothing is built)
#        KCO_FIXTURES  Klarna sample bodies (default: ../shared/fixtures/klarna beside the repo)
# Artifacts: tests/artifacts/log-screen.{html,png} and tests/artifacts/doctor-*.txt (kept after the run).
# Exits non-zero on any failure, error, skipped, incomplete or risky test, or when a requirement is missing.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

EXT="${KCO_EXT:-$ROOT/target/release/libkco_validation.so}"
export KCO_EXT="$EXT"
export KCO_FIXTURES="${KCO_FIXTURES:-$ROOT/../shared/fixtures/klarna}"

say() { printf 'test-tools: %s\n' "$*" >&2; }

# --- 1. packages (Debian bookworm) ---------------------------------------------------------------------------
# shellcheck source=lib/test-env.sh
. "$ROOT/scripts/lib/test-env.sh"
nginx=()
# nginx-light, nginx-core or nginx-full: any /usr/sbin/nginx will do.
[ -x /usr/sbin/nginx ] || nginx=(nginx-light)
kco_install_missing test-tools phpunit mariadb-server php8.2-mysql php8.2-cli wordpress openssl chromium "${nginx[@]}"
for bin in /usr/sbin/nginx /usr/bin/chromium /usr/bin/openssl /usr/bin/phpunit; do
	[ -x "$bin" ] || { say "FATAL: $bin missing after install"; exit 2; }
done

# --- 2. the extension must load --------------------------------------------------------------------------------
ver="$(kco_extension_version "$EXT")" || { say "FATAL: see above"; exit 2; }
say "extension $ver loaded from $EXT"
[ -d "$KCO_FIXTURES" ] || { say "FATAL: fixtures not found at $KCO_FIXTURES"; exit 2; }

# --- 3. a private MariaDB ----------------------------------------------------------------------------------------
TMP="$(mktemp -d "${TMPDIR:-/tmp}/kco-tools-test.XXXXXX")"
# shellcheck source=lib/private-mariadb.sh
. "$ROOT/scripts/lib/private-mariadb.sh"
cleanup() {
	kco_db_stop
	rm -rf "$TMP"
}
trap cleanup EXIT
kco_db_start "$TMP" || { say "FATAL: MariaDB did not start"; exit 3; }
export KCO_TOOLS_TMP="$TMP"
say "MariaDB up at $KCO_DB_SOCKET"

# --- 4. PHPUnit ------------------------------------------------------------------------------------------------
mkdir -p "$ROOT/tests/artifacts"
say "artifacts go to tests/artifacts/ (log-screen.png, log-screen.html, doctor-*.txt)"
set +e
php -d "extension=$EXT" -d error_reporting=-1 -d display_errors=1 /usr/bin/phpunit -c "$ROOT/phpunit-tools.xml.dist" \
	--fail-on-skipped --fail-on-incomplete --fail-on-risky --fail-on-warning "$@"
rc=$?
set -e
# No output after PHPUnit's closing line: the exit status tells the rest.
exit "$rc"
