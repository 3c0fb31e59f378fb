#!/usr/bin/env bash
# Tests the Debian package (issue 16): builds it (scripts/deb.sh: dpkg-buildpackage + lintian), installs it with
# dpkg -i into the system's PHP 8.2, checks that every SAPI loads the extension (php -m, php-fpm8.2 -m, the replay
# CLI without -d extension=…), that remove disables it and keeps the ini, that a reinstall keeps an administrator's
# phpdismod, and that purge leaves nothing behind. Prints "N passed, N failed" last.
#
# The system is left as it was found. The package is purged at the end (also on failure or interruption: EXIT trap);
# a `make install` of the extension found before (its .so, ini, conf.d links and php-common's state records) is
# moved aside into $KEEP first and put back afterwards, byte for byte; a run that was killed before it could put
# things back is recognised by $KEEP and repaired by the next run. No service starts: php8.2-fpm's restart trigger
# meets a policy-rc.d that forbids it (scripts/lib/test-env.sh) when the machine has none of its own.
#
# Needs root (or sudo): dpkg -i. Other suites run the system PHP with `-d extension=target/…`: do not run this
# script in parallel with them (scripts/test.sh runs it last).
#
# Usage: scripts/test-deb.sh      Env: KCO_DEB (a built package; default: build one with scripts/deb.sh)
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=lib/test-env.sh
. "$ROOT/scripts/lib/test-env.sh"

PKG=php8.2-kco-validation
INI=/etc/php/8.2/mods-available/kco_validation.ini
KEEP=/var/tmp/kco-validation-deb-test
SUDO=()
[ "$(id -u)" -eq 0 ] || SUDO=(sudo -n)
passed=0 failed=0
say() { printf 'test-deb: %s\n' "$*" >&2; }
ok() { passed=$((passed + 1)); printf 'ok   - %s\n' "$1"; }
not_ok() { failed=$((failed + 1)); printf 'FAIL - %s\n' "$1"; [ -z "${2:-}" ] || printf '%s\n' "$2" | sed 's/^/       /'; }
check() { # description, command…: ok when the command succeeds
	local what="$1" out
	shift
	if out="$("$@" 2>&1)"; then ok "$what"; else not_ok "$what" "$out"; fi
}
finish() {
	echo "${passed} passed, ${failed} failed (Debian package: build, lintian, install, SAPIs, remove, purge)"
	[ "$failed" -eq 0 ]
	exit $?
}

# Every file the extension can have on this system, with what it is: the state to leave as found.
EXT_DIR="$(php-config --extension-dir 2>/dev/null || echo /usr/lib/php/20220829)"
kco_paths() {
	local f
	for f in "$EXT_DIR/kco_validation.so" "$INI" /etc/php/8.2/*/conf.d/*kco_validation.ini \
		/var/lib/php/modules/8.2/*/*/kco_validation /var/lib/php/modules/8.2/registry/kco_validation; do
		[ -e "$f" ] || [ -L "$f" ] && printf '%s\n' "$f"
	done
}
kco_state() {
	local f
	while read -r f; do
		if [ -L "$f" ]; then echo "link $f -> $(readlink "$f")"; else echo "file $f $(sha256sum <"$f" | cut -c1-16)"; fi
	done < <(kco_paths)
	dpkg-query -W -f='package ${Status} ${Version}\n' "$PKG" 2>/dev/null | grep -v 'not-installed' || true
	php -m 2>/dev/null | grep -x kco_validation >/dev/null && echo 'php -m: kco_validation' || true
}
# (grep without -q: it reads all of the output, so the command is never cut short by SIGPIPE under pipefail.)
lists() { "$@" 2>&1 | grep -x kco_validation >/dev/null; }

# --- 0. root, and a run killed earlier ------------------------------------------------------------------------
if [ "${#SUDO[@]}" -gt 0 ] && ! sudo -n true 2>/dev/null; then
	not_ok "root or password-less sudo is needed to install a package"
	finish
fi
restore() {
	# Purge our package if it is there, then put back what was moved aside.
	if dpkg-query -W -f='${Status}' "$PKG" 2>/dev/null | grep -q 'installed\|config-files'; then
		kco_quiet_services_on
		"${SUDO[@]}" dpkg --purge "$PKG" >/dev/null 2>&1 || true
		kco_quiet_services_off
	fi
	if [ -f "$KEEP/before.tar" ]; then
		"${SUDO[@]}" tar -C / -xpf "$KEEP/before.tar"
	fi
	"${SUDO[@]}" rm -rf "$KEEP"
}
if [ -d "$KEEP" ]; then
	say "$KEEP exists: an earlier run was interrupted; purging its package and putting back what it moved aside"
	restore
fi

# --- 1. build --------------------------------------------------------------------------------------------------
kco_install_missing test-deb php8.2-cli php8.2-fpm debhelper dpkg-dev lintian || { not_ok "packages for the test install"; finish; }
if [ -n "${KCO_DEB:-}" ]; then
	deb="$KCO_DEB"
	[ -f "$deb" ] && ok "package given: $deb" || not_ok "KCO_DEB=$deb does not exist"
else
	if deb="$(scripts/deb.sh 2>"${TMPDIR:-/tmp}/kco-deb-build.$$")" && [ -f "$deb" ]; then
		ok "make deb: $(basename "$deb") built by dpkg-buildpackage, lintian without errors or warnings"
	else
		not_ok "make deb (scripts/deb.sh)" "$(tail -n 30 "${TMPDIR:-/tmp}/kco-deb-build.$$")"
		rm -f "${TMPDIR:-/tmp}/kco-deb-build.$$"
		finish
	fi
	rm -f "${TMPDIR:-/tmp}/kco-deb-build.$$"
fi
version="$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)"
contents="$(dpkg-deb -c "$deb" | awk '{print $6}')"
check "the package ships $EXT_DIR/kco_validation.so (php-config --extension-dir) and $INI" \
	bash -c 'grep -qx "./${1#/}/kco_validation.so" <<<"$2" && grep -qx ".$3" <<<"$2"' _ "$EXT_DIR" "$contents" "$INI"
check "the package's version is Cargo.toml's ($version)" test "$(dpkg-deb -f "$deb" Version)" = "$version"
check "the package depends on the PHP API it was built for (phpapi-$(php-config --phpapi))" \
	bash -c 'dpkg-deb -f "$1" Depends | grep -q "phpapi-$2"' _ "$deb" "$(php-config --phpapi)"
check "the ini is a conffile (an administrator's edit survives upgrades)" bash -c 'dpkg-deb -I "$1" conffiles | grep -qx "$2"' _ "$deb" "$INI"

# --- 2. the system as found; a `make install` moved aside -------------------------------------------------------
before="$(kco_state)"
say "state before: ${before:-nothing of kco_validation on this system}"
"${SUDO[@]}" mkdir -p "$KEEP"
mapfile -t found < <(kco_paths)
trap 'restore; exit 130' INT TERM
trap 'restore' EXIT
if [ "${#found[@]}" -gt 0 ]; then
	if dpkg-query -W -f='${Status}' "$PKG" 2>/dev/null | grep -q 'ok installed'; then
		not_ok "$PKG is installed on this machine: the test would replace it; purge it first (apt-get purge $PKG)"
		"${SUDO[@]}" rm -rf "$KEEP"
		trap - EXIT INT TERM
		finish
	fi
	say "moving aside (make install): ${found[*]}"
	"${SUDO[@]}" tar -C / -cpf "$KEEP/before.tar" "${found[@]#/}" && "${SUDO[@]}" rm -f "${found[@]}"
fi

# --- 3. install -----------------------------------------------------------------------------------------------
kco_quiet_services_on
check "dpkg -i installs it" "${SUDO[@]}" dpkg -i "$deb"
kco_quiet_services_off
check "php -m (cli) lists kco_validation" lists php -m
check "php -m prints no warning (no \"Module already loaded\", no startup error)" bash -c '[ -z "$(php -m 2>&1 >/dev/null)" ] && ! php -m 2>&1 | grep -qi "warning\|already loaded"'
check "php-fpm8.2 -m lists kco_validation" lists /usr/sbin/php-fpm8.2 -m
for sapi_dir in /etc/php/8.2/*/conf.d; do
	sapi="$(basename "$(dirname "$sapi_dir")")"
	check "enabled for the $sapi SAPI: $sapi_dir/20-kco_validation.ini -> $INI" \
		test "$(readlink "$sapi_dir/20-kco_validation.ini")" = "$INI"
done
check "php --ri kco_validation reports version $version" bash -c 'php --ri kco_validation | grep -q "$1"' _ "$version"
check "the packaged extension decides the example without -d extension= (approved, exit 0)" \
	php php/bin/kco-validate examples/order.json examples/store.json
check "and denies the out-of-stock example (exit 1)" \
	bash -c 'php php/bin/kco-validate examples/order.json examples/store-out-of-stock.json >/dev/null; [ $? -eq 1 ]'

# --- 4. remove, reinstall, an administrator's phpdismod ---------------------------------------------------------
kco_quiet_services_on
check "dpkg -r removes it" "${SUDO[@]}" dpkg -r "$PKG"
kco_quiet_services_off
check "after remove, php -m and php-fpm8.2 -m no longer list it, and no conf.d link is left" \
	bash -c '! php -m | grep -qx kco_validation && ! /usr/sbin/php-fpm8.2 -m | grep -qx kco_validation && ! ls /etc/php/8.2/*/conf.d/*kco_validation.ini 2>/dev/null'
check "after remove, the ini (a conffile) stays until purge" test -f "$INI"
kco_quiet_services_on
check "dpkg -i after remove installs it again" "${SUDO[@]}" dpkg -i "$deb"
kco_quiet_services_off
check "and enables it again for every SAPI" bash -c 'php -m | grep -qx kco_validation && /usr/sbin/php-fpm8.2 -m | grep -qx kco_validation'
"${SUDO[@]}" phpdismod -v 8.2 -s fpm kco_validation
kco_quiet_services_on
check "dpkg -i over itself (upgrade path)" "${SUDO[@]}" dpkg -i "$deb"
kco_quiet_services_off
check "keeps the administrator's phpdismod -s fpm (fpm off, cli on)" \
	bash -c '! /usr/sbin/php-fpm8.2 -m | grep -qx kco_validation && php -m | grep -qx kco_validation'

# --- 5. purge ---------------------------------------------------------------------------------------------------
kco_quiet_services_on
check "dpkg --purge purges it" "${SUDO[@]}" dpkg --purge "$PKG"
kco_quiet_services_off
check "after purge, php -m and php-fpm8.2 -m do not list it" \
	bash -c '! php -m | grep -qx kco_validation && ! /usr/sbin/php-fpm8.2 -m | grep -qx kco_validation'
check "after purge, nothing is left: no .so, no ini, no conf.d link, no php-common state, no dpkg record" \
	bash -c '[ -z "$1" ] && ! dpkg-query -W "$2" >/dev/null 2>&1' _ "$(kco_paths)" "$PKG"

# --- 6. the system as found -------------------------------------------------------------------------------------
trap - EXIT INT TERM
restore
after="$(kco_state)"
if [ "$before" = "$after" ]; then
	ok "the system is as it was found${before:+ (make install put back: $(grep -c . <<<"$before") entries identical)}"
else
	not_ok "the system is as it was found" "$(diff <(echo "$before") <(echo "$after"))"
fi
finish
