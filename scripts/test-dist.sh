#!/usr/bin/env bash
# Tests the plugin zip (issue 16): builds it (scripts/dist.sh), checks what is in it (one kco-validation/ folder,
# every file the plugin runs on and nothing else, readme.txt valid and in agreement with the main file, the .pot
# holding every string of the zipped code), unzips it into a plugins folder as wp-admin does, and runs the whole
# end-to-end suite (scripts/test-e2e.sh: nginx + php-fpm + MariaDB, both runs) on a shop that loads the plugin from
# that copy (KCO_PLUGIN_DIR; tests/e2e/tests/PluginFolderE2eTest.php checks the shop served it).
# Prints its own "N passed, N failed" for the zip checks after the suite's PHPUnit results.
#
# Usage: scripts/test-dist.sh [extra phpunit args for the e2e runs]
# Env:   KCO_DIST_ZIP (a built zip; default: build one), and what scripts/test-e2e.sh reads.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
passed=0 failed=0
ok() { passed=$((passed + 1)); printf 'ok   - %s\n' "$1"; }
not_ok() { failed=$((failed + 1)); printf 'FAIL - %s\n' "$1"; [ -z "${2:-}" ] || printf '%s\n' "$2" | sed 's/^/       /'; }
check() {
	local what="$1" out
	shift
	if out="$("$@" 2>&1)"; then ok "$what"; else not_ok "$what" "$out"; fi
}
summary() { echo "${passed} passed, ${failed} failed (plugin zip: contents, readme, .pot; the e2e suite's own results above)"; }

TMP="$(mktemp -d "${TMPDIR:-/tmp}/kco-test-dist.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT

# --- 1. the zip ---------------------------------------------------------------------------------------------------
if [ -n "${KCO_DIST_ZIP:-}" ]; then
	zip_file="$KCO_DIST_ZIP"
else
	if zip_file="$(scripts/dist.sh 2>"$TMP/dist.log")" && [ -f "$zip_file" ]; then
		ok "make dist: $(basename "$zip_file") ($(du -k "$zip_file" | cut -f1) KiB, $(unzip -Z1 "$zip_file" | grep -vc '/$') files)"
	else
		not_ok "make dist (scripts/dist.sh)" "$(tail -n 30 "$TMP/dist.log")"
		summary
		exit 1
	fi
fi
entries="$(unzip -Z1 "$zip_file")"
check "one top folder, kco-validation/ (the plugin's slug and text domain)" \
	bash -c '[ "$(cut -d/ -f1 <<<"$1" | sort -u)" = kco-validation ]' _ "$entries"
check "at its top only kco-validation.php, uninstall.php, readme.txt, src/, languages/, assets/" \
	bash -c 'diff <(printf "%s\n" assets kco-validation.php languages readme.txt src uninstall.php) <(cut -d/ -f2 <<<"$1" | grep . | sort -u)' _ "$entries"
check "no developer files: no bin/ (kco-validate), stubs/, tests, dot files, backups" \
	bash -c '! grep -E "^kco-validation/(bin|stubs|tests?)/|/\.|~$|\.(orig|rej|swp)$" <<<"$1"' _ "$entries"

mkdir -p "$TMP/wp-content/plugins"
check "unzips (as wp-admin's Upload Plugin does, into wp-content/plugins/)" unzip -q "$zip_file" -d "$TMP/wp-content/plugins"
PLUGIN="$TMP/wp-content/plugins/kco-validation"
same_tree() { # the zipped copy of a php/ folder is that folder, file for file
	diff -r "php/$1" "$PLUGIN/$1"
}
check "every file of php/src, php/languages and php/assets is in it, unchanged" \
	bash -c "$(declare -f same_tree); PLUGIN='$PLUGIN'; same_tree src && same_tree languages && same_tree assets"
check "kco-validation.php, uninstall.php and readme.txt are php/'s" \
	bash -c 'for f in kco-validation.php uninstall.php readme.txt; do cmp "php/$f" "$1/$f" || exit 1; done' _ "$PLUGIN"
check "every PHP file passes php -l" \
	bash -c 'find "$1" -name "*.php" -print0 | xargs -0 -n1 php -n -l >/dev/null' _ "$PLUGIN"
check "readme.txt is valid for wordpress.org and agrees with the plugin headers and Cargo.toml (scripts/lib/plugin-meta.php)" \
	php -n scripts/lib/plugin-meta.php "$PLUGIN" Cargo.toml

# A readme whose Stable tag is not the plugin's version is refused (the check checks).
cp -R "$PLUGIN" "$TMP/wrong" && sed -i 's/^Stable tag: .*/Stable tag: 9.9.9/' "$TMP/wrong/readme.txt"
check "a readme.txt whose Stable tag is not the plugin's Version is refused" \
	bash -c '! php -n scripts/lib/plugin-meta.php "$1" Cargo.toml' _ "$TMP/wrong"

# The .pot holds exactly the strings of the zipped code (xgettext over the copy, the options of scripts/make-pot.sh).
msgids() { grep -E '^msg(ctxt|id) ' "$1" | paste - - -d'|' 2>/dev/null | sort -u; }
(cd "$PLUGIN" && find . -name '*.php' | sort >"$TMP/potfiles" && xgettext --language=PHP --from-code=UTF-8 \
	--keyword=__ --keyword=esc_html__ --keyword=esc_attr__ --keyword=_e --keyword=esc_html_e --keyword=_x:1,2c \
	--keyword=_n:1,2 -f "$TMP/potfiles" -o "$TMP/fresh.pot" 2>"$TMP/xgettext.log")
check "languages/kco-validation.pot is current: the strings of the zipped code, no more, no fewer" \
	bash -c 'diff <(grep -E "^(msgctxt|msgid|msgid_plural) " "$1" | sort -u) <(grep -E "^(msgctxt|msgid|msgid_plural) " "$2" | sort -u)' _ "$TMP/fresh.pot" "$PLUGIN/languages/kco-validation.pot"
check "each translation's .mo is compiled from its .po" \
	bash -c 'for po in "$1"/languages/*.po; do msgfmt -o - "$po" | cmp -s - "${po%.po}.mo" || { echo "stale: $po"; exit 1; }; done' _ "$PLUGIN"

# --- 2. the end-to-end suite against the unzipped copy ------------------------------------------------------------
echo
echo "--- the end-to-end suite against the unzipped plugin ($PLUGIN)"
KCO_PLUGIN_DIR="$PLUGIN" scripts/test-e2e.sh "$@"
e2e=$?
echo
[ "$e2e" -eq 0 ] || echo "test-dist: the end-to-end suite FAILED against the unzipped plugin (exit $e2e)"
summary
[ "$failed" -eq 0 ] && [ "$e2e" -eq 0 ]
