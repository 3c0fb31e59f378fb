#!/usr/bin/env bash
# `make deb`: the Debian package of the extension, php8.2-kco-validation_<version>_<arch>.deb in target/debian/,
# built by dpkg-buildpackage from debian/ (version from Cargo.toml, checked against debian/changelog; extension
# directory and PHP API from php-config), then checked by lintian. Prints the package's path last.
#
# The package installs /usr/lib/php/<api>/kco_validation.so and /etc/php/8.2/mods-available/kco_validation.ini and
# enables the module for every SAPI in its postinst (php_invoke → phpenmod); prerm disables it (phpdismod), purge
# removes the ini and php-common's state. `dpkg -i target/debian/php8.2-kco-validation_*.deb` or
# `apt-get install ./target/debian/php8.2-kco-validation_*.deb`; `apt-get purge php8.2-kco-validation`.
#
# Usage: scripts/deb.sh        Env: LINTIAN=0 skips lintian.
# Exit:  non-zero when the build fails or lintian reports an error or warning that debian/*.lintian-overrides does
#        not explain.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
say() { printf 'deb: %s\n' "$*" >&2; }
# shellcheck source=lib/test-env.sh
. "$ROOT/scripts/lib/test-env.sh"
kco_install_missing deb debhelper dpkg-dev lintian php8.2-dev libclang-dev
scripts/check-build-deps.sh

OUT="$ROOT/target/debian"
mkdir -p "$OUT"
version="$(dpkg-parsechangelog -SVersion)"
arch="$(dpkg --print-architecture)"
deb="$OUT/php8.2-kco-validation_${version}_${arch}.deb"
rm -f "$OUT"/php8.2-kco-validation_*

# -b: the binary package only (no source tarball of the work tree); the .buildinfo/.changes go next to the .deb
# instead of into the parent directory. debian/rules clean runs first and after (the staging dirs under debian/).
log="$OUT/build.log"
if ! dpkg-buildpackage -b --no-sign \
	--buildinfo-option="-u$OUT" --buildinfo-file="$OUT/kco-validation_${version}_${arch}.buildinfo" \
	--changes-option="-u$OUT" --changes-file="$OUT/kco-validation_${version}_${arch}.changes" >"$log" 2>&1; then
	tail -n 40 "$log" >&2
	say "dpkg-buildpackage failed (whole log: $log)"
	exit 1
fi
debian/rules clean >/dev/null 2>&1 || true
[ -f "$deb" ] || { say "no $deb after the build (log: $log)"; exit 1; }
say "built $(basename "$deb") ($(du -h "$deb" | cut -f1)); log: ${log#"$ROOT"/}"

if [ "${LINTIAN:-1}" != 0 ]; then
	# --fail-on error,warning: any error or warning not overridden (debian/php8.2-kco-validation.lintian-overrides,
	# each override with the reason above it) fails the build; info and pedantic tags are printed.
	# (As root lintian says "running with root privileges is not recommended!": not a finding, left out.)
	rc=0
	lintian --fail-on error,warning --display-info --display-experimental --pedantic --show-overrides "$deb" \
		>"$OUT/lintian.raw" 2>&1 || rc=$?
	grep -v '^running with root privileges' "$OUT/lintian.raw" >"$OUT/lintian.txt" || true
	rm -f "$OUT/lintian.raw"
	if [ "$rc" -ne 0 ]; then
		cat "$OUT/lintian.txt" >&2
		say "lintian FAILED"
		exit 1
	fi
	if grep -q '^[EWIPX]: ' "$OUT/lintian.txt"; then
		say "lintian: no error or warning; other tags:"
		grep '^[EWIPX]: ' "$OUT/lintian.txt" | sed 's/^/  /' >&2
	fi
	say "lintian --pedantic --display-experimental: clean; overridden (reason in debian/*.lintian-overrides): $(grep '^O: ' "$OUT/lintian.txt" | awk '{print $3}' | paste -sd, - || true)"
fi
echo "$deb"
