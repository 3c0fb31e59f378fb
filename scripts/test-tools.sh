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
need=()
for p in phpunit mariadb-server php8.2-mysql php8.2-cli wordpress openssl chromium; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need+=("$p")
done
# nginx-light, nginx-core or nginx-full: any /usr/sbin/nginx will do.
[ -x /usr/sbin/nginx ] || need+=(nginx-light)
if [ "${#need[@]}" -gt 0 ]; then
	say "installing ${need[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
for bin in /usr/sbin/nginx /usr/bin/chromium /usr/bin/openssl /usr/bin/phpunit; do
	[ -x "$bin" ] || { say "FATAL: $bin missing after install"; exit 2; }
done

# --- 2. the extension must load --------------------------------------------------------------------------------
if [ ! -f "$EXT" ]; then
	say "FATAL: extension not found at $EXT (run: cargo build --release)"
	exit 2
fi
if ! ver="$(php -n -d "extension=$EXT" -r 'echo \KcoValidation\version();' 2>&1)"; then
	say "FATAL: extension $EXT does not load: $ver"
	exit 2
fi
say "extension $ver loaded from $EXT"
[ -d "$KCO_FIXTURES" ] || { say "FATAL: fixtures not found at $KCO_FIXTURES"; exit 2; }

# --- 3. a private MariaDB (the approach of scripts/test-plugin.sh) ------------------------------------------------
TMP="$(mktemp -d "${TMPDIR:-/tmp}/kco-tools-test.XXXXXX")"
DATADIR="$TMP/data"
SOCK="$TMP/mysqld.sock"
MYSQLD="$(command -v mariadbd || echo /usr/sbin/mariadbd)"
DB_PID=""
cleanup() {
	if [ -n "$DB_PID" ] && kill -0 "$DB_PID" 2>/dev/null; then
		kill "$DB_PID" 2>/dev/null || true
		for _ in $(seq 1 50); do kill -0 "$DB_PID" 2>/dev/null || break; sleep 0.1; done
		kill -9 "$DB_PID" 2>/dev/null || true
	fi
	rm -rf "$TMP"
}
trap cleanup EXIT

RUNUSER="$(id -un)"
mkdir -p "$DATADIR"
if ! mariadb-install-db --no-defaults --datadir="$DATADIR" --user="$RUNUSER" --auth-root-authentication-method=normal \
	--skip-test-db >"$TMP/install.log" 2>&1; then
	cat "$TMP/install.log" >&2
	say "FATAL: mariadb-install-db failed"
	exit 3
fi
"$MYSQLD" --no-defaults --datadir="$DATADIR" --socket="$SOCK" --skip-networking --user="$RUNUSER" \
	--pid-file="$TMP/mysqld.pid" --log-error="$TMP/mysqld.err" --innodb-buffer-pool-size=32M --innodb-flush-log-at-trx-commit=0 \
	--innodb-doublewrite=0 --innodb-flush-method=nosync \
	--character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_520_ci >"$TMP/mysqld.out" 2>&1 &
DB_PID=$!
for _ in $(seq 1 100); do
	[ -S "$SOCK" ] && mariadb --no-defaults -uroot --socket="$SOCK" -e 'SELECT 1' >/dev/null 2>&1 && break
	kill -0 "$DB_PID" 2>/dev/null || { cat "$TMP/mysqld.err" >&2; say "FATAL: mariadbd exited"; exit 3; }
	sleep 0.2
done
mariadb --no-defaults -uroot --socket="$SOCK" -e "CREATE DATABASE kco_test; \
	CREATE USER 'kco'@'localhost' IDENTIFIED BY 'kco'; GRANT ALL ON kco_test.* TO 'kco'@'localhost';"
export KCO_DB_SOCKET="$SOCK" KCO_DB_NAME=kco_test KCO_DB_USER=kco KCO_DB_PASSWORD=kco
export KCO_TOOLS_TMP="$TMP"
say "MariaDB up at $SOCK"

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
