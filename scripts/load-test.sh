#!/usr/bin/env bash
# Load test of the validation callback (issue 6, point 5): the end-to-end stack of tests/e2e/stack.sh (nginx +
# php-fpm 8.2 with the built extension + a private MariaDB, loopback only), wrk at 8 connections (8 threads, one
# connection each, so every response is matched to the request that caused it) mixing good and hostile requests:
#   approved (fixture 01, 200)   denied (a product out of stock, 303)   garbage, truncated JSON, wrong types and GET
#   (all 400)   and, when tests/hostile/manifest.json exists, four of its cases (CR/LF and SQL in a reference, 303;
#   overlong UTF-8, nesting 10 000 deep, 400) with the status the manifest gives.
# Asserts: zero unexpected statuses (no 500, 502, 504, no status other than the kind's), zero socket errors,
# php-fpm workers never die (same worker pids before and after with pm.max_requests = 0, no "exited on signal" or
# other warning in the master's log), memory flat (RSS of each worker before and after, after a warm-up), one log
# line per decision, and an empty PHP error log.
#
# Usage: scripts/load-test.sh
# Env:   LOAD_MIX (mix: the mix above, default; good: good bodies only, fixture 01 and the generated orders of 1, 10,
#        30 and 100 lines, every answer 200: no internal_error under load, issue 13),
#        LOAD_SECONDS (default 60), RSS_GROWTH_KB (default 2048: largest allowed growth of a worker's RSS),
#        FPM_CHILDREN (default 4), KCO_EXT (default target/release/libkco_validation.so; nothing is built).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
E2E_NAME=load-test
E2E_ACCESS_LOG=0
# shellcheck source=../tests/e2e/stack.sh
. "$ROOT/tests/e2e/stack.sh"
SECS="${LOAD_SECONDS:-60}"
case "${LOAD_MIX:-mix}" in
	mix) SPEC_NAME=load TITLE="mixed good and hostile requests" ;;
	good) SPEC_NAME=good TITLE="good bodies only (every answer 200)" ;;
	*) echo "load-test: LOAD_MIX must be mix or good" >&2; exit 2 ;;
esac
MAX_GROWTH="${RSS_GROWTH_KB:-2048}"

stack_install_deps wrk
stack_check_extension
stack_start
REQ="$E2E_TMP/requests"
stack_php "$ROOT/tests/e2e/seed.php" "$REQ" >&2
LUA="$ROOT/tests/e2e/wrk/mix.lua"
fail=0

rss_of() { awk '/^VmRSS:/{print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
log_lines() { cat "$E2E_LOG_DIR"/kco-validation-*.log 2>/dev/null | wc -l; }

run() { # seconds → wrk output
	wrk -t 8 -c 8 -d "${1}s" --timeout 10s --latency -s "$LUA" "$E2E_URL" -- "$REQ/spec-$SPEC_NAME.tsv" 2>&1
}

# Warm-up: opcache, allocator arenas and the database connections settle before the first RSS reading.
e2e_say "warm-up (5 s)"
run 5 >"$E2E_TMP/warmup.log" || { cat "$E2E_TMP/warmup.log" >&2; e2e_die "wrk failed"; }
grep -q 'unexpected=0 ' "$E2E_TMP/warmup.log" || { e2e_say "FAIL: unexpected statuses during warm-up"; grep KCO_ "$E2E_TMP/warmup.log" >&2; fail=1; }

mapfile -t before < <(stack_fpm_workers)
declare -A rss0
for p in "${before[@]}"; do rss0[$p]="$(rss_of "$p")"; done
lines0="$(log_lines)"
e2e_say "workers before: ${before[*]} (RSS kB: $(for p in "${before[@]}"; do printf '%s ' "${rss0[$p]}"; done))"

e2e_say "wrk -t8 -c8 -d${SECS}s (mix of $(cut -f1 "$REQ/spec-$SPEC_NAME.tsv" | paste -sd, -))"
out="$(run "$SECS")" || { printf '%s\n' "$out" >&2; e2e_die "wrk failed"; }
printf '%s\n' "$out" >"$E2E_TMP/load.log"
res="$(grep '^KCO_RESULT' <<<"$out")"
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$res"; }

mapfile -t after < <(stack_fpm_workers)
lines1="$(log_lines)"

# --- assertions ------------------------------------------------------------------------------------------------
requests="$(field requests)"
unexpected="$(field unexpected)"
sockerr=$(( $(field connect) + $(field read) + $(field write) + $(field timeout) ))
[ "$requests" -gt 0 ] || { e2e_say "FAIL: no requests completed"; fail=1; }
[ "$unexpected" = 0 ] || { e2e_say "FAIL: $unexpected unexpected statuses"; fail=1; }
[ "$sockerr" = 0 ] || { e2e_say "FAIL: $sockerr socket errors (connect/read/write/timeout)"; fail=1; }
if grep -E '^KCO_COUNT [^ ]+ (5[0-9][0-9])' <<<"$out" >/dev/null; then
	e2e_say "FAIL: 5xx answers:"; grep -E '^KCO_COUNT [^ ]+ 5' <<<"$out" >&2; fail=1
fi
if [ "${before[*]}" != "${after[*]}" ]; then
	e2e_say "FAIL: php-fpm workers changed: before ${before[*]}, after ${after[*]}"; fail=1
fi
if grep -E 'exited on signal|exited with code|said into std|WARNING' "$E2E_FPM_LOG" >/dev/null; then
	e2e_say "FAIL: php-fpm master log:"; grep -E 'exited on signal|exited with code|said into std|WARNING' "$E2E_FPM_LOG" | head >&2; fail=1
fi
rss_rows="" maxgrow=-999999
for p in "${before[@]}"; do
	r1="$(rss_of "$p")"
	g=$(( r1 - rss0[$p] ))
	[ "$g" -gt "$maxgrow" ] && maxgrow="$g"
	rss_rows+="| $p | ${rss0[$p]} | $r1 | $g |"$'\n'
done
[ "$maxgrow" -le "$MAX_GROWTH" ] || { e2e_say "FAIL: a worker's RSS grew by $maxgrow kB (> $MAX_GROWTH kB)"; fail=1; }
# GET and bad bodies are logged as rejected decisions too: one line per request, except the request in flight
# when wrk stopped (counted by the server, not by wrk).
logged=$(( lines1 - lines0 ))
if [ "$logged" -lt "$requests" ] || [ "$logged" -gt $(( requests + 8 )) ]; then
	e2e_say "FAIL: $logged log lines for $requests requests"; fail=1
fi
stack_log_problems || fail=1

# --- report ----------------------------------------------------------------------------------------------------
cat <<EOF
### Load: wrk -t8 -c8 -d${SECS}s, $TITLE

$requests requests in $(field duration_s) s: $(field rps) requests/s, p50 $(field p50_ms) ms, p90 $(field p90_ms) ms,
p99 $(field p99_ms) ms, max $(field max_ms) ms. Unexpected statuses: $unexpected; socket errors: $sockerr.

| kind | status | count |
|---|---:|---:|
EOF
grep '^KCO_COUNT' <<<"$out" | sort | awk '{printf "| %s | %s | %s |\n", $2, $3, $4}'
cat <<EOF

php-fpm workers (pm=static, pm.max_requests=0): before ${before[*]}, after ${after[*]}. Log lines written: $logged.

| worker pid | RSS before (kB) | RSS after (kB) | growth (kB) |
|---:|---:|---:|---:|
$rss_rows
EOF
if [ "$fail" = 0 ]; then
	echo "PASS: no unexpected status, no worker died, RSS growth at most ${maxgrow} kB per worker (limit ${MAX_GROWTH} kB), PHP error log empty."
else
	echo "**FAIL** (see stderr)."
fi
exit "$fail"
