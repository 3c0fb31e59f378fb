#!/usr/bin/env bash
# Every test: lint, Rust tests, PHPT tests of the built extension, the replay CLI, the plugin's and the tools' suites,
# the plugin zip (make dist) with the end-to-end suite run against the unzipped copy, and the Debian package
# (make deb: built, installed into the system's PHP, purged). Prints one closing line "N passed, N failed" counting
# every test run (each suite's own summary comes before it).
set -uo pipefail
cd "$(dirname "$0")/.."
passed=0; failed=0; suites_failed=()
log=$(mktemp -d)

stage() { echo; echo "=== $1"; }

# What the build needs besides Rust, said once (not in ext-php-rs's ~80 lines under every cargo stage).
if ! scripts/check-build-deps.sh; then
  echo; echo "FAILED stages: build-dependencies"; echo "0 passed, 1 failed"
  exit 1
fi

stage "cargo fmt --check"
cargo fmt --check || suites_failed+=(fmt)
stage "cargo clippy --all-targets -- -D warnings"
cargo clippy --all-targets -- -D warnings 2>&1 | tail -5; [ "${PIPESTATUS[0]}" -eq 0 ] || suites_failed+=(clippy)

stage "cargo test"
cargo test 2>&1 | tee "$log/cargo"
[ "${PIPESTATUS[0]}" -eq 0 ] || suites_failed+=(cargo-test)
p=$(awk '/^test result:/ { for (i = 1; i <= NF; i++) if ($i ~ /^passed;/) s += $(i-1) } END { print s + 0 }' "$log/cargo")
f=$(awk '/^test result:/ { for (i = 1; i <= NF; i++) if ($i ~ /^failed;/) s += $(i-1) } END { print s + 0 }' "$log/cargo")
passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))

stage "cargo build --release"
cargo build --release 2>&1 | tail -2
[ "${PIPESTATUS[0]}" -eq 0 ] || suites_failed+=(build)

stage "PHPT (run-tests.php against target/release/libkco_validation.so)"
scripts/test-phpt.sh 2>&1 | tee "$log/phpt"
[ "${PIPESTATUS[0]}" -eq 0 ] || suites_failed+=(phpt)
line=$(grep -E '^phpt: [0-9]+ passed, [0-9]+ failed' "$log/phpt" | tail -1)
passed=$((passed + $(echo "$line" | sed -E 's/phpt: ([0-9]+) passed.*/\1/' | grep -E '^[0-9]+$' || echo 0)))
failed=$((failed + $(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/' | grep -E '^[0-9]+$' || echo 0)))

# PHPUnit's closing line: "OK (N tests, M assertions)" or "Tests: N, Assertions: M, Failures: F, Errors: E…";
# a plain "N passed, N failed" line counts too.
count_phpunit() {
  while read -r l; do
    if [[ "$l" =~ ^OK\ \(([0-9]+)\ test ]]; then passed=$((passed + BASH_REMATCH[1])); fi
    if [[ "$l" =~ ^Tests:\ ([0-9]+), ]]; then
      t=${BASH_REMATCH[1]}; bad=0
      for k in Failures Errors Skipped Incomplete Risky; do
        [[ "$l" =~ $k:\ ([0-9]+) ]] && bad=$((bad + BASH_REMATCH[1]))
      done
      passed=$((passed + t - bad)); failed=$((failed + bad))
    fi
    if [[ "$l" =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
      passed=$((passed + BASH_REMATCH[1])); failed=$((failed + BASH_REMATCH[2]))
    fi
  done < <(grep -E '^(OK \(|Tests: |[0-9]+ passed, [0-9]+ failed)' "$1")
}

# cli: kco-validate and the build pre-check; dist: the plugin zip, then the end-to-end suite (both runs) on a shop that
# loads the unzipped copy (so the e2e suite runs once, against what shops install); deb: the package, last, as it
# installs into the system's PHP (which the other suites run with -d extension=…) and purges it again.
for suite in cli plugin tools dist deb; do
  script=scripts/test-$suite.sh
  [ -x "$script" ] || continue
  case $suite in
    dist) stage "dist: the plugin zip, and the end-to-end suite against the unzipped plugin ($script)" ;;
    deb) stage "deb: the Debian package, built, installed, purged ($script)" ;;
    *) stage "$suite ($script)" ;;
  esac
  "$script" 2>&1 | tee "$log/$suite"
  [ "${PIPESTATUS[0]}" -eq 0 ] || suites_failed+=("$suite")
  count_phpunit "$log/$suite"
done
rm -rf "$log"

echo
if [ ${#suites_failed[@]} -gt 0 ]; then
  echo "FAILED stages: ${suites_failed[*]}"
  [ "$failed" -eq 0 ] && failed=${#suites_failed[@]}
  echo "${passed} passed, ${failed} failed"
  exit 1
fi
echo "${passed} passed, ${failed} failed"
