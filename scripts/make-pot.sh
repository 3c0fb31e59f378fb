#!/usr/bin/env bash
# Regenerates php/languages/kco-validation.pot from every translatable string in php/ (GNU xgettext), and compiles
# each shipped translation (php/languages/kco-validation-<locale>.po, the shopper-facing texts) into its .mo.
# tests/phpunit/tests/PluginTest.php fails when a string is missing from the .pot; TranslationsTest when a shopper
# text is missing from a .po or a .mo is stale.
set -euo pipefail
cd "$(dirname "$0")/../php"
command -v xgettext >/dev/null || { echo "make-pot: install gettext (apt-get install gettext)"; exit 1; }
version=$(sed -n 's/^ \* Version: *//p' kco-validation.php | head -n 1)
list=$(mktemp)
pot=$(mktemp)
find . -name '*.php' -not -path './stubs/*' -not -path './bin/*' | sort > "$list"
xgettext --language=PHP --from-code=UTF-8 --keyword=__ --keyword=esc_html__ --keyword=esc_attr__ \
  --keyword=_e --keyword=esc_html_e --keyword=_x:1,2c --keyword=_n:1,2 --add-comments=translators: \
  --sort-by-file --package-name="KCO Validation" --package-version="$version" \
  --copyright-holder="kco-validation contributors" \
  --msgid-bugs-address="https://github.com/kco-validation/kco-validation/issues" -f "$list" -o "$pot"
sed -i -e 's/charset=CHARSET/charset=UTF-8/' -e '1s/.*/# Translations of the KCO Validation plugin (text domain kco-validation)./' \
  -e "2s/YEAR/$(date +%Y)/" -e 's/^# This file is distributed under the same license as the KCO Validation package\./# This file is distributed under the same license as the plugin (GPL-3.0-or-later)./' "$pot"
# Unchanged strings keep the old file, creation date included: running this twice changes nothing.
same() { diff -q <(grep -v '^"POT-Creation-Date:' "$1") <(grep -v '^"POT-Creation-Date:' "$2") >/dev/null; }
if [ -f languages/kco-validation.pot ] && same "$pot" languages/kco-validation.pot; then
  rm -f "$pot"
else
  mv "$pot" languages/kco-validation.pot && chmod 0644 languages/kco-validation.pot
fi
rm -f "$list"
for po in languages/kco-validation-*.po; do
	[ -e "$po" ] || continue
	msgfmt --check -o "${po%.po}.mo" "$po"
	echo "php/${po%.po}.mo: $(msgfmt --statistics -o /dev/null "$po" 2>&1)"
done
echo "php/languages/kco-validation.pot: $(grep -c '^msgid ' languages/kco-validation.pot) strings"
