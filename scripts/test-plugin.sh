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
need=()
command -v phpunit >/dev/null 2>&1 || need+=(phpunit)
command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ] || need+=(mariadb-server)
php -r 'exit(extension_loaded("mysqli") ? 0 : 1);' 2>/dev/null || need+=(php8.2-mysql)
[ -f /usr/share/wordpress/wp-includes/plugin.php ] || need+=(wordpress)
if [ "${#need[@]}" -gt 0 ]; then
	say "installing ${need[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

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

# --- 3. a private MariaDB ----------------------------------------------------------------------------------------
TMP="$(mktemp -d "${TMPDIR:-/tmp}/kco-plugin-test.XXXXXX")"
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
# No native AIO: several MariaDB instances on one machine (CI, parallel suites) can exhaust the kernel's AIO contexts.
DB_OPTS=(--innodb-use-native-aio=0 --innodb-buffer-pool-size=32M --innodb-flush-log-at-trx-commit=0 --innodb-doublewrite=0
	--innodb-flush-method=nosync --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_520_ci)
installed=0
for attempt in 1 2 3; do
	rm -rf "$DATADIR" && mkdir -p "$DATADIR"
	if mariadb-install-db --no-defaults --datadir="$DATADIR" --user="$RUNUSER" --auth-root-authentication-method=normal \
		--skip-test-db "${DB_OPTS[@]}" >"$TMP/install.log" 2>&1; then
		installed=1
		break
	fi
	say "mariadb-install-db failed (attempt $attempt)"
	sleep 1
done
if [ "$installed" -ne 1 ]; then
	cat "$TMP/install.log" >&2
	say "FATAL: mariadb-install-db failed"
	exit 3
fi
"$MYSQLD" --no-defaults --datadir="$DATADIR" --socket="$SOCK" --skip-networking --user="$RUNUSER" \
	--pid-file="$TMP/mysqld.pid" --log-error="$TMP/mysqld.err" "${DB_OPTS[@]}" >"$TMP/mysqld.out" 2>&1 &
DB_PID=$!
for _ in $(seq 1 100); do
	[ -S "$SOCK" ] && mariadb --no-defaults -uroot --socket="$SOCK" -e 'SELECT 1' >/dev/null 2>&1 && break
	kill -0 "$DB_PID" 2>/dev/null || { cat "$TMP/mysqld.err" >&2; say "FATAL: mariadbd exited"; exit 3; }
	sleep 0.2
done
mariadb --no-defaults -uroot --socket="$SOCK" -e "CREATE DATABASE kco_test; \
	CREATE USER 'kco'@'localhost' IDENTIFIED BY 'kco'; GRANT ALL ON kco_test.* TO 'kco'@'localhost';"
export KCO_DB_SOCKET="$SOCK" KCO_DB_NAME=kco_test KCO_DB_USER=kco KCO_DB_PASSWORD=kco
say "MariaDB up at $SOCK"

# --- 4. PHPUnit ------------------------------------------------------------------------------------------------
# --fail-on-* turn skipped/incomplete/risky/warnings into a non-zero exit; the config forbids tests without assertions.
set +e
php -d "extension=$EXT" -d error_reporting=-1 -d display_errors=1 /usr/bin/phpunit -c "$ROOT/phpunit.xml.dist" \
	--fail-on-skipped --fail-on-incomplete --fail-on-risky --fail-on-warning "$@"
rc=$?
set -e
[ "$rc" -eq 0 ] && say "PHPUnit passed" || say "PHPUnit FAILED (exit $rc)"
exit "$rc"
