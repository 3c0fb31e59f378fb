#!/usr/bin/env bash
# `make fuzz`: runs every cargo-fuzz target of fuzz/ for a set time, one after the other (never in parallel),
# and prints the executions and findings of each. A finding (crash, panic, timeout, out-of-memory) leaves its
# input in fuzz/artifacts/<target>/ and makes the script exit 1; turn it into a test in tests/fuzz_regressions.rs.
#
#   FUZZ_SECONDS=600      seconds per target (default 600 = 10 minutes)
#   FUZZ_TARGETS="a b"    which targets (default: all of fuzz/fuzz_targets/)
#   FUZZ_SANITIZER=none   address (default; falls back to none when the ASan runtime is missing) | none
#   FUZZ_TIMEOUT=2        seconds one input may take before libFuzzer reports it (-timeout): a slow input is a
#                         finding (issue 13: decisions must take time linear in their input; a linear one takes
#                         milliseconds even at the largest size, a quadratic one seconds)
#   FUZZ_MAX_LEN=1048576  largest input, bytes (-max_len): the plugin's body cap, so the slow inputs a real request
#                         could carry are within reach
#
# cargo-fuzz needs nightly-only flags; RUSTC_BOOTSTRAP=1 lets the stable toolchain accept them.
# cargo-fuzz is installed from crates.io when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SECONDS_EACH=${FUZZ_SECONDS:-600}
TARGETS=${FUZZ_TARGETS:-$(cd fuzz/fuzz_targets && ls ./*.rs | sed 's|^\./||; s|\.rs$||' | tr '\n' ' ')}
SAN=${FUZZ_SANITIZER:-address}
export RUSTC_BOOTSTRAP=1

if ! command -v cargo-fuzz >/dev/null; then
  echo "fuzz: installing cargo-fuzz from crates.io (once)"
  cargo install cargo-fuzz --locked
fi
cd fuzz
# -a: debug assertions and overflow checks on, so an arithmetic overflow is a finding, not a silent wrap.
if ! cargo fuzz build -a -s "$SAN" >/tmp/kco-fuzz-build.$$ 2>&1; then
  if [ "$SAN" != none ]; then
    echo "fuzz: building with -s $SAN failed (no sanitizer runtime?); retrying with -s none"
    SAN=none
    cargo fuzz build -a -s none
  else
    cat /tmp/kco-fuzz-build.$$; rm -f /tmp/kco-fuzz-build.$$; exit 1
  fi
fi
rm -f /tmp/kco-fuzz-build.$$

mkdir -p target/fuzz-logs
summary=()
found_any=0
for t in $TARGETS; do
  corpus="corpus/$t"
  mkdir -p "$corpus" "artifacts/$t"
  seeds=()
  if [ "$t" = parse_order ]; then
    # Byte-level target: seeded with the fixture bodies, the example and the committed hostile bodies.
    seeds=("$ROOT/tests/fixtures/klarna" "$ROOT/examples")
    [ -d "$ROOT/tests/hostile/bodies" ] && seeds+=("$ROOT/tests/hostile/bodies")
  fi
  # Structure-aware targets embed the fixtures (fuzz/src/lib.rs) and start from their own corpus only.
  before=$(find "artifacts/$t" -type f | wc -l)
  log="target/fuzz-logs/$t.log"
  echo "== fuzz $t: ${SECONDS_EACH}s, sanitizer $SAN, log fuzz/$log"
  set +e
  cargo fuzz run -a -s "$SAN" "$t" "$corpus" "${seeds[@]}" -- \
    -max_total_time="$SECONDS_EACH" -timeout="${FUZZ_TIMEOUT:-2}" -rss_limit_mb=2048 -max_len="${FUZZ_MAX_LEN:-1048576}" \
    -print_final_stats=1 >"$log" 2>&1
  rc=$?
  set -e
  execs=$(grep -a 'stat::number_of_executed_units' "$log" | tail -1 | awk '{print $2}')
  rate=$(grep -a 'stat::average_exec_per_sec' "$log" | tail -1 | awk '{print $2}')
  after=$(find "artifacts/$t" -type f | wc -l)
  findings=$((after - before))
  if [ "$rc" -ne 0 ] && [ "$findings" -eq 0 ]; then findings=1; fi   # a crash libFuzzer could not save
  [ "$findings" -gt 0 ] && { found_any=1; tail -40 "$log"; }
  units=$(find "$corpus" -type f | wc -l)
  line=$(printf '%-18s %8ss %14s execs %8s exec/s  %3d findings  corpus %d' \
    "$t" "$SECONDS_EACH" "${execs:-?}" "${rate:-?}" "$findings" "$units")
  echo "$line"
  summary+=("$line")
done
echo
echo "== fuzz summary (sanitizer $SAN, debug assertions on)"
printf '%s\n' "${summary[@]}"
exit "$found_any"
