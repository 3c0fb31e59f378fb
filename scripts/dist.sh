#!/usr/bin/env bash
# `make dist`: the WordPress plugin as the zip a shop uploads in wp-admin › Plugins › Add New › Upload Plugin:
# target/dist/kco-validation-<version>.zip, one folder kco-validation/ holding what the plugin runs on and nothing
# else:
#   kco-validation.php  uninstall.php  readme.txt  src/  languages/ (.pot, .po, .mo)  assets/
# Left out: php/bin/ (kco-validate, the replay CLI for developers: it runs from a checkout, with the extension given
# by -d extension=…), php/stubs/ (IDE stubs of the extension), and the repository's tests and dev files.
#
# Before zipping: the metadata must agree (scripts/lib/plugin-meta.php: readme.txt as wordpress.org reads it, its
# headers against the main file's, one version with Cargo.toml), the .pot is regenerated and the .mo files compiled
# (scripts/make-pot.sh: the .pot changes only when a string did), every PHP file must pass `php -l`. The zip is
# reproducible: sorted entries, no extra attributes, every time the last commit's.
#
# Usage: scripts/dist.sh       Prints the zip's path last.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
say() { printf 'dist: %s\n' "$*" >&2; }
# shellcheck source=lib/test-env.sh
. "$ROOT/scripts/lib/test-env.sh"
kco_install_missing dist zip gettext php8.2-cli

php -n scripts/lib/plugin-meta.php php Cargo.toml >&2
scripts/make-pot.sh >&2
version="$(sed -n 's/^ \* Version: *//p' php/kco-validation.php | head -n 1)"

STAGE="$(mktemp -d "${TMPDIR:-/tmp}/kco-dist.XXXXXX")"
trap 'rm -rf "$STAGE"' EXIT
dest="$STAGE/kco-validation"
mkdir -p "$dest"
cp -R php/kco-validation.php php/uninstall.php php/readme.txt php/src php/languages php/assets "$dest/"
# Editor and OS leftovers never ship.
find "$dest" \( -name '.*' -o -name '*~' -o -name '*.swp' -o -name '*.orig' -o -name '*.rej' \) -prune -exec rm -rf {} +
bad=0
while IFS= read -r -d '' f; do
	out="$(php -n -l "$f" 2>&1)" || { say "php -l ${f#"$STAGE"/}: $out"; bad=1; }
done < <(find "$dest" -name '*.php' -print0)
[ "$bad" -eq 0 ] || { say "PHP syntax errors: no zip"; exit 1; }

epoch="$(git log -1 --format=%ct 2>/dev/null || date +%s)"
find "$dest" -type d -exec chmod 0755 {} + && find "$dest" -type f -exec chmod 0644 {} +
find "$STAGE" -exec touch -h -d "@$epoch" {} +
mkdir -p target/dist
zip_file="$ROOT/target/dist/kco-validation-$version.zip"
rm -f "$zip_file"
(cd "$STAGE" && find kco-validation -print | LC_ALL=C sort | TZ=UTC zip -X -q -9 -@ "$zip_file")
say "$(unzip -Z1 "$zip_file" | grep -vc '/$') files, $(du -k "$zip_file" | cut -f1) KiB: ${zip_file#"$ROOT"/}"
echo "$zip_file"
