#!/usr/bin/env bash
# Runs the PHPT tests of the built extension with PHP's own run-tests.php. Fails if the extension does not load,
# or if any test fails, is skipped, warns or leaks. Prints "N passed, N failed" last.
set -euo pipefail
cd "$(dirname "$0")/.."
SO="$PWD/target/release/libkco_validation.so"
PHP_BIN=$(command -v php)
RUNNER="$(php-config --extension-dir)/build/run-tests.php"
[ -f "$RUNNER" ] || RUNNER="/usr/lib/php/$(php-config --phpapi)/build/run-tests.php"
[ -f "$SO" ] || { echo "test-phpt: $SO is missing (cargo build --release)"; exit 1; }
# Guard: a test whose extension did not load is SKIPPED by run-tests.php, and skips exit 0.
"$PHP_BIN" -n -d "extension=$SO" -r 'exit(extension_loaded("kco_validation") ? 0 : 1);' \
  || { echo "test-phpt: the extension does not load"; exit 1; }
out=$(mktemp)
set +e
TEST_PHP_EXECUTABLE="$PHP_BIN" "$PHP_BIN" -n "$RUNNER" -q -n --no-color --show-diff \
  -d "extension=$SO" -p "$PHP_BIN" tests/phpt 2>&1 | tee "$out"
rc=${PIPESTATUS[0]}
set -e
count() { { grep -E "^$1 *:" "$out" || true; } | head -1 | awk -F: '{print $2}' | awk '{print $1}'; }
total=$(count "Number of tests"); skipped=$(count "Tests skipped"); failed=$(count "Tests failed")
warned=$(count "Tests warned"); leaked=$(count "Tests leaked"); passed=$(count "Tests passed")
total=${total:-0}; skipped=${skipped:-0}; failed=${failed:-0}; warned=${warned:-0}; leaked=${leaked:-0}; passed=${passed:-0}
rm -f "$out"
bad=$((failed + skipped + warned + leaked))
echo "phpt: ${passed} passed, ${bad} failed (of ${total}; skipped ${skipped}, warned ${warned}, leaked ${leaked})"
[ "$rc" -eq 0 ] && [ "$bad" -eq 0 ] && [ "$passed" -gt 0 ]
