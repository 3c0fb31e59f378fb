#!/usr/bin/env bash
# HTTP bench of the validation callback (issue 5, point 3): the end-to-end stack of tests/e2e/stack.sh (nginx +
# php-fpm 8.2 with the built extension + a private MariaDB, loopback only), wrk POSTing the approved Klarna fixture
# 01 at 1 and 8 connections (requests/s, p50/p90/p99), then the SQL queries one callback makes for orders of 1, 10,
# 30 and 100 lines (X-KCO-Queries, counted by the test front controller around do_action( 'woocommerce_api_…' ))
# with a short single-connection wrk run per size. Prints a markdown report on stdout; progress goes to stderr.
#
# Usage: scripts/bench-http.sh
# Env:   BENCH_SECONDS (default 10) per wrk run; LINES_SECONDS (default 3) per order size; FPM_CHILDREN (default 4);
#        BIG_SHOP_POSTS (default 200000; 0 skips): posts and customers added before a last probe of the 100-line order;
#        KCO_EXT (default target/release/libkco_validation.so; nothing is built).
# Exit:  non-zero when a response was not the expected 200, the query count grows with the lines, or the PHP
#        error log is not empty.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
E2E_NAME=bench-http
E2E_ACCESS_LOG=0
# shellcheck source=../tests/e2e/stack.sh
. "$ROOT/tests/e2e/stack.sh"
SECS="${BENCH_SECONDS:-10}"
LSECS="${LINES_SECONDS:-3}"

stack_install_deps wrk
stack_check_extension
stack_start
REQ="$E2E_TMP/requests"
stack_php "$ROOT/tests/e2e/seed.php" "$REQ" >&2
LUA="$ROOT/tests/e2e/wrk/mix.lua"
fail=0

# One request with curl (more curl arguments after the spec file, e.g. a test-only header): prints
# "status queries server_ms handler_ms" (the X-KCO-* debug headers of tests/e2e/web/index.php).
SQL_LOG=(-H 'X-KCO-E2E-Sql: 1')
probe() { # spec-file [curl args…]
	local method path file hdr
	IFS=$'\t' read -r _ method path _ file <"$1"
	shift
	hdr="$(curl -s -o /dev/null -D - -X "$method" -H 'Content-Type: application/json' "$@" \
		--data-binary "@$file" "$E2E_URL$path" | tr -d '\r')"
	probe_header() { awk -F': ' -v n="$1" 'tolower($1)==n{print $2}' <<<"$hdr"; }
	printf '%s %s %s %s\n' "$(awk 'NR==1{print $2}' <<<"$hdr")" "$(probe_header x-kco-queries)" "$(probe_header x-kco-server-ms)" \
		"$(probe_header x-kco-handler-ms)"
}

# wrk run: prints the KCO_RESULT fields as "rps p50 p90 p99 requests unexpected errors".
run_wrk() { # threads connections seconds spec
	local out
	out="$(wrk -t "$1" -c "$2" -d "${3}s" --timeout 10s --latency -s "$LUA" "$E2E_URL" -- "$4" 2>&1)" || {
		e2e_say "wrk failed: $out"; return 1; }
	printf '%s\n' "$out" >>"$E2E_TMP/wrk.log"
	local res
	res="$(grep '^KCO_RESULT' <<<"$out")"
	field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$res"; }
	local errs=$(( $(field connect) + $(field read) + $(field write) + $(field timeout) ))
	printf '%s %s %s %s %s %s %s\n' "$(field rps)" "$(field p50_ms)" "$(field p90_ms)" "$(field p99_ms)" \
		"$(field requests)" "$(field unexpected)" "$errs"
}

LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg)"
# Warm-up: every worker compiles the scripts into opcache and connects once.
e2e_say "warm-up"
run_wrk 2 4 2 "$REQ/spec-bench.tsv" >/dev/null

# Median of the plugin's own time_ms (its log line: from reading the body to the verdict) over log lines from $1 on.
plugin_ms() {
	cat "$E2E_LOG_DIR"/kco-validation-*.log | tail -n +"$(( $1 + 1 ))" | sed -n 's/.* time_ms=\([0-9.]*\).*/\1/p' | sort -n \
		| awk '{a[NR]=$1} END{if (NR) printf "%.2f", a[int((NR+1)/2)]; else print "-"}'
}
log_count() { cat "$E2E_LOG_DIR"/kco-validation-*.log 2>/dev/null | wc -l; }

declare -A R P
for c in 1 8; do
	t=$(( c < 2 ? c : 2 ))
	e2e_say "wrk -t$t -c$c -d${SECS}s --latency (approved fixture 01)"
	from="$(log_count)"
	R[$c]="$(run_wrk "$t" "$c" "$SECS" "$REQ/spec-bench.tsv")"
	P[$c]="$(plugin_ms "$from")"
	read -r _ _ _ _ n bad errs <<<"${R[$c]}"
	if [ "$bad" != 0 ] || [ "$errs" != 0 ] || [ "$n" = 0 ]; then
		e2e_say "FAIL: $c connections: $bad unexpected statuses, $errs socket errors, $n requests"; fail=1
	fi
done

declare -A Q L PL
for n in 1 10 30 100; do
	probe "$REQ/spec-lines-$n.tsv" "${SQL_LOG[@]}" >/dev/null # opcache / first connection
	: >"$E2E_LOG_DIR/sql.log"
	read -r st q ms _ <<<"$(probe "$REQ/spec-lines-$n.tsv" "${SQL_LOG[@]}")"
	cp "$E2E_LOG_DIR/sql.log" "$E2E_TMP/sql-$n.log"
	[ "$st" = 200 ] || { e2e_say "FAIL: $n-line order answered $st"; fail=1; }
	Q[$n]="$q"
	e2e_say "$n lines: status $st, $q queries, ${ms} ms in PHP; wrk -t1 -c1 -d${LSECS}s"
	from="$(log_count)"
	L[$n]="$(run_wrk 1 1 "$LSECS" "$REQ/spec-lines-$n.tsv")"
	PL[$n]="$(plugin_ms "$from")"
	read -r _ _ _ _ cnt bad errs <<<"${L[$n]}"
	[ "$bad" = 0 ] && [ "$errs" = 0 ] || { e2e_say "FAIL: $n lines: $bad unexpected, $errs errors"; fail=1; }
done
for n in 10 30 100; do
	if [ "${Q[$n]}" != "${Q[1]}" ]; then
		e2e_say "FAIL: query count grows with lines: ${Q[1]} for 1 line, ${Q[$n]} for $n"; fail=1
	fi
done

# Per outcome (issue 14): the queries of one callback up to its answer (X-KCO-Queries) and in all, the work after
# the answer included (the front controller's queries.log), the handler's PHP time from wp_loaded (where the plugin
# answers) to the answer (X-KCO-Handler-Ms, median of 50 sequential requests), and wrk -t1 -c1.
declare -A OQ OA OH OW
for o in approved denied faulted; do
	spec="$REQ/spec-outcome-$o.tsv"
	IFS=$'\t' read -r _ _ _ expected _ <"$spec"
	probe "$spec" >/dev/null
	id="bench-$o-$RANDOM"
	read -r st q _ _ <<<"$(probe "$spec" -H "X-KCO-E2E-Request-Id: $id")"
	[ "$st" = "$expected" ] || { e2e_say "FAIL: $o answered $st, not $expected"; fail=1; }
	OQ[$o]="$q"
	OA[$o]="?"
	for _ in $(seq 50); do
		line="$(grep "^$id"$'\t' "$E2E_LOG_DIR/queries.log" 2>/dev/null || true)"
		[ -n "$line" ] && { OA[$o]="$(cut -f2 <<<"$line")"; break; }
		sleep 0.05
	done
	ms=()
	for _ in $(seq 50); do
		ms+=("$(probe "$spec" | cut -d' ' -f4)")
	done
	OH[$o]="$(printf '%s\n' "${ms[@]}" | sort -n | awk '{a[NR]=$1} END{if (NR) printf "%.2f", a[int((NR+1)/2)]; else print "-"}')"
	OW[$o]="$(run_wrk 1 1 "$LSECS" "$spec")"
	read -r _ _ _ _ _ bad errs <<<"${OW[$o]}"
	[ "$bad" = 0 ] && [ "$errs" = 0 ] || { e2e_say "FAIL: $o: $bad unexpected, $errs errors"; fail=1; }
	e2e_say "$o: ${OQ[$o]} queries to the answer, ${OA[$o]} in all, handler ${OH[$o]} ms"
done

# A big shop: the same 100-line callback after adding BIG_SHOP_POSTS other rows to wp_posts (a third products with
# a SKU, a third orders, a third posts) and as many customers (wp_users with billing_email and first_name user
# meta), to show whether a query's cost grows with the shop rather than with the order.
BIG="${BIG_SHOP_POSTS:-200000}"
big_rows=""
if [ "$BIG" -gt 0 ]; then
	e2e_say "adding $BIG posts and $BIG customers (big-shop probe)"
	mariadb --no-defaults -uroot --socket="$KCO_DB_SOCKET" "$KCO_DB_NAME" -e "
		INSERT INTO wp_posts (post_type, post_title, post_status, post_content, post_excerpt, to_ping, pinged, post_content_filtered, post_date)
			SELECT ELT(1 + seq % 3, 'product', 'shop_order', 'post'), CONCAT('bulk-', seq), 'publish', '', '', '', '', '', NOW() FROM seq_1_to_$BIG;
		INSERT INTO wp_postmeta (post_id, meta_key, meta_value) SELECT ID, '_sku', CONCAT('BULK-', ID) FROM wp_posts WHERE post_title LIKE 'bulk-%' AND post_type = 'product';
		INSERT INTO wp_wc_product_meta_lookup (product_id, sku) SELECT ID, CONCAT('BULK-', ID) FROM wp_posts WHERE post_title LIKE 'bulk-%' AND post_type = 'product';
		INSERT INTO wp_users (user_login, user_email) SELECT CONCAT('bulk', seq), CONCAT('bulk', seq, '@example.com') FROM seq_1_to_$BIG;
		INSERT INTO wp_usermeta (user_id, meta_key, meta_value) SELECT ID, 'billing_email', user_email FROM wp_users WHERE user_login LIKE 'bulk%';
		INSERT INTO wp_usermeta (user_id, meta_key, meta_value) SELECT ID, 'first_name', 'Bulk' FROM wp_users WHERE user_login LIKE 'bulk%';
		ANALYZE TABLE wp_posts, wp_postmeta, wp_wc_product_meta_lookup, wp_users, wp_usermeta;" >/dev/null
	probe "$REQ/spec-lines-100.tsv" "${SQL_LOG[@]}" >/dev/null
	: >"$E2E_LOG_DIR/sql.log"
	read -r st q ms _ <<<"$(probe "$REQ/spec-lines-100.tsv" "${SQL_LOG[@]}")"
	[ "$st" = 200 ] || { e2e_say "FAIL: big shop: 100-line order answered $st"; fail=1; }
	big_ms="$ms" big_q="$q"
	big_rows="$(grep -v '^-- ' "$E2E_LOG_DIR/sql.log" | cut -c1-110 | sed 's/^/    /')"
fi

stack_log_problems || fail=1
cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
ver="$(php -n -d "extension=$KCO_EXT" -r 'echo \KcoValidation\version();')"

cat <<EOF
### HTTP callback (nginx + php-fpm 8.2 + MariaDB, loopback)

Machine: $(nproc) cores ($cpu), $(date -u +%Y-%m-%d), load average $LOAD_START before, $(cut -d' ' -f1-3 /proc/loadavg) after (shared
machine: other jobs ran alongside). Extension $ver, php-fpm pm=static ${FPM_CHILDREN:-4} workers,
opcache on; the front controller boots Debian WordPress 6.1's hook API, formatting, kses and wpdb plus the
WooCommerce doubles, not a full WordPress + WooCommerce (whose bootstrap alone costs tens of ms); plugin \`php/\`. Command: \`scripts/bench-http.sh\`
(wrk --latency, ${SECS} s per run, approved Klarna fixture 01: 2 goods lines + shipping, answered 200).

| connections | requests/s | p50 | p90 | p99 | plugin time_ms p50 (log line) |
|---:|---:|---:|---:|---:|---:|
EOF
for c in 1 8; do
	read -r rps p50 p90 p99 _ <<<"${R[$c]}"
	printf '| %s | %s | %s ms | %s ms | %s ms | %s ms |\n' "$c" "$rps" "$p50" "$p90" "$p99" "${P[$c]}"
done
cat <<EOF

Per outcome (fixture 01 approved with its stock claimed; a sold-out product denied; a fault — the snapshot filter
throws — answered by the internal-fault policy): SQL queries of the callback counted from \`wp_loaded\` (where the
plugin answers) to the answer and in all (this shop has no decision log installed: with it, one prepared INSERT more,
after the answer), the handler's PHP time from \`wp_loaded\` to the answer (median of 50 sequential requests), and
wrk -t1 -c1 ${LSECS} s. These are the doubles' figures (no WordPress/WooCommerce bootstrap): for a real shop see
\`make bench-real\`.

| outcome | queries to the answer | queries in all | handler ms p50 | requests/s (1 conn.) | p50 |
|---|---:|---:|---:|---:|---:|
EOF
for o in approved denied faulted; do
	read -r rps p50 _ <<<"${OW[$o]}"
	printf '| %s | %s | %s | %s ms | %s | %s ms |\n' "$o" "${OQ[$o]}" "${OA[$o]}" "${OH[$o]}" "$rps" "$p50"
done
cat <<EOF

SQL queries per callback (generated orders, one stock-managed product per line, a coupon applied, matching
session; counted from \`wp_loaded\` to the answer; wrk -t1 -c1 ${LSECS} s each):

| order lines | SQL queries | requests/s (1 conn.) | p50 | p99 | plugin time_ms p50 (log line) |
|---:|---:|---:|---:|---:|---:|
EOF
for n in 1 10 30 100; do
	read -r rps p50 _ p99 _ <<<"${L[$n]}"
	printf '| %s | %s | %s | %s ms | %s ms | %s ms |\n' "$n" "${Q[$n]}" "$rps" "$p50" "$p99" "${PL[$n]}"
done
echo
echo "The ${Q[100]} queries of the 100-line callback (SAVEQUERIES: [time] SQL, cut at 160 characters):"
echo
grep -v '^-- ' "$E2E_TMP/sql-100.log" | cut -c1-160 | sed 's/^/    /'
echo
if [ -n "$big_rows" ]; then
	echo "The same 100-line callback after adding $BIG rows to wp_posts and $BIG customers (users with billing_email"
	echo "meta) — big-shop probe: $big_q queries, ${big_ms} ms in PHP:"
	echo
	printf '%s\n' "$big_rows"
	echo
fi
if [ "$fail" = 0 ]; then
	echo "All responses as expected (200); query count constant; PHP error log empty."
else
	echo "**FAILED** (see stderr)."
fi
exit "$fail"
