#!/usr/bin/env bash
# Side-by-side bench of the validation callback on a REAL shop (issue 14): WordPress + a built WooCommerce + Klarna
# Checkout for WooCommerce (KCO) that you point it at, nothing downloaded and nothing of theirs in this repository.
# The shop is scripts/test-real.sh's (scripts/lib/real-shop.sh: copies in a temp dir, private MariaDB, php-fpm 8.2
# with the built extension, nginx on loopback; tests/real/setup.php's Swedish shop), with SAVEQUERIES off except in
# a short query pass and WP_DEBUG off. KCO is copied in, activated and given fake test credentials; one guest cart is
# made over HTTP (tests/real/bench/cart.php), the Klarna order built from it as KCO builds it, and POSTed to the
# validation URL KCO builds (kco-validation's token added by its kco_wc_validation_url filter) in two
# configurations, toggled by deactivating / activating the plugin (tests/real/bench/shop.php), alternated A, B, A, B:
#   A  "KCO alone": kco-validation inactive, KCO's validation_cb answers;
#   B  "with kco-validation": both active, ours (priority 0, ahead of KCO's 10) answers and ends the request.
# Measured for each: the queries of one whole callback ($wpdb->num_queries at the very end of the request, the
# statements with SAVEQUERIES, and the statements MariaDB's general log saw), the latency of N sequential callbacks
# (curl, one at a time, after a warm-up) and the throughput with 8 connections (wrk, every status checked).
#
# Usage:  make bench-real WP_DIR=… WC_DIR=… [KCO_DIR=…]
#         scripts/bench-real.sh WP_DIR WC_DIR [KCO_DIR]        (or WP_DIR=… WC_DIR=… KCO_DIR=… scripts/bench-real.sh)
#   KCO_DIR  Klarna Checkout for WooCommerce (klarna-checkout-for-woocommerce.php at its top), e.g. the 1.11.8 tag of
#            krokedil/klarna-checkout-for-woocommerce; optional: without it (or when it does not load on this
#            WooCommerce) only configuration B is measured, and the report says so
# Env:    BENCH_N (default 200) sequential callbacks per round and configuration, BENCH_WARMUP (default 20),
#         BENCH_SECONDS (default 10) of wrk -t2 -c8, BENCH_ROUNDS (default 2: A, B, A, B), BENCH_KCO_LOGGING
#         (yes|no, default no: KCO's debug log off), FPM_CHILDREN (default 4), KCO_EXT, KCO_PLUGIN_DIR, REAL_KEEP=1,
#         BENCH_REPORT (default tests/artifacts/bench-real-<WooCommerce version>.md)
# Exit:   0 when every callback got the expected status (200: approved) and no PHP fatal error happened.
# PHP one-liners in single quotes are meant not to expand.
# shellcheck disable=SC2016
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
E2E_NAME=bench-real
E2E_ACCESS_LOG=0

WP_DIR="${WP_DIR:-${1:-}}"
WC_DIR="${WC_DIR:-${2:-}}"
KCO_DIR="${KCO_DIR:-${3:-}}"
usage() { echo "usage: make bench-real WP_DIR=/path/to/wordpress WC_DIR=/path/to/woocommerce [KCO_DIR=/path/to/klarna-checkout-for-woocommerce]" >&2; exit 2; }

# shellcheck source=../tests/e2e/stack.sh
. "$ROOT/tests/e2e/stack.sh"
# shellcheck source=lib/real-shop.sh
. "$ROOT/scripts/lib/real-shop.sh"
real_shop_check "$WP_DIR" "$WC_DIR"
if [ -n "$KCO_DIR" ]; then
	[ -f "$KCO_DIR/klarna-checkout-for-woocommerce.php" ] || { echo "$E2E_NAME: $KCO_DIR is not Klarna Checkout for WooCommerce (no klarna-checkout-for-woocommerce.php)" >&2; exit 2; }
	KCO_DIR="$(cd "$KCO_DIR" && pwd -P)"
fi
N="${BENCH_N:-200}"
WARMUP="${BENCH_WARMUP:-20}"
SECS="${BENCH_SECONDS:-10}"
ROUNDS="${BENCH_ROUNDS:-2}"
stack_install_deps wrk
stack_check_extension
e2e_say "WordPress $wp_version from $WP_DIR, WooCommerce $wc_version from $WC_DIR, KCO from ${KCO_DIR:-(none)}"

# --- the shop: SAVEQUERIES only while wp-content/../kco-bench-savequeries exists (the query pass) --------------------
REAL_SAVEQUERIES="file_exists( __DIR__ . '/kco-bench-savequeries' )"
REAL_WP_DEBUG=false
real_shop_copy
cp "$ROOT/tests/real/bench/mu-plugin/kco-bench.php" "$REAL_WP/wp-content/mu-plugins/kco-bench.php"
mkdir -p "$REAL_WP/wp-content/kco-bench"
cp "$ROOT/tests/real/mu-plugin/kco-real-test.php" "$REAL_WP/wp-content/kco-bench/kco-real-test.php"
[ -z "$KCO_DIR" ] || cp -a "$KCO_DIR" "$REAL_WP/wp-content/plugins/klarna-checkout-for-woocommerce"
real_shop_serve
real_shop_setup
B="$E2E_TMP/bench"
mkdir -p "$B"
shop() { stack_php "$ROOT/tests/real/bench/shop.php" "$@"; }
prep="$(shop prepare | tail -n1)" || e2e_die "shop.php prepare failed"
product="$(php -r 'echo json_decode($argv[1], true)["product_id"];' "$prep")"
rate="$(php -r 'echo json_decode($argv[1], true)["rate"];' "$prep")"

# --- the cart (before KCO is active: WooCommerce alone serves add_to_cart and update_order_review) ------------------
stack_php "$ROOT/tests/real/bench/cart.php" make "$B" "$product" "$rate" >&2 || e2e_die "could not make the cart"
configs="B"
kco_note="no KCO_DIR given: only configuration B (kco-validation with WooCommerce, no KCO) is measured."
kco_version=""
if [ -n "$KCO_DIR" ]; then
	if kco="$(shop kco 2>"$B/kco-activate.err" | tail -n1)"; then
		kco_version="$(php -r 'echo json_decode($argv[1], true)["version"];' "$kco")"
		if stack_php "$ROOT/tests/real/bench/cart.php" kco-url "$B" >"$B/kco-url.out" 2>"$B/kco-url.err"; then
			configs="A B"
			kco_note="KCO $kco_version active (test mode, fake test credentials for SE, its logging $(php -r 'echo json_decode($argv[1], true)["logging"];' "$kco"))."
		else
			kco_note="KCO $kco_version was activated but did not build its merchant URLs on WooCommerce $wc_version ($(head -c 400 "$B/kco-url.err" | tr '\n' ' ')): configuration A skipped."
			e2e_say "$kco_note"
		fi
	else
		kco_note="KCO from $KCO_DIR could not be activated on WooCommerce $wc_version ($(head -c 400 "$B/kco-activate.err" | tr '\n' ' ')): configuration A skipped."
		e2e_say "$kco_note"
	fi
fi
URL="$(cat "$B/url")"
e2e_say "validation URL: $URL"
printf 'cb\tPOST\t%s\t200\t%s\n' "${URL#"$E2E_URL"}" "$B/body.json" >"$B/spec.tsv"

toggle() { # A|B
	if [ "$1" = A ]; then shop plugin off >&2; else shop plugin on >&2; fi
}
post() { # one callback; prints "status seconds"
	curl -s -o "$B/last-body" -D "$B/last-headers" -w '%{http_code} %{time_total}\n' -H 'Content-Type: application/json' \
		-H 'User-Agent: Klarna' --data-binary "@$B/body.json" "$URL"
}
mysql_root() { mariadb --no-defaults -uroot --socket="$KCO_DB_SOCKET" "$@"; }
fatals() { cat "$E2E_PHP_ERROR_LOG" "$E2E_TMP/wp-debug.log" 2>/dev/null | grep -c 'PHP Fatal' || true; }

fail=0
declare -A STATUS LOCATION ANSWER CTYPE Q GQ
# --- what each configuration answers -------------------------------------------------------------------------------
for c in $configs; do
	toggle "$c"
	read -r st _ <<<"$(post)"
	STATUS[$c]="$st"
	LOCATION[$c]="$(tr -d '\r' <"$B/last-headers" | sed -n 's/^[Ll]ocation: //p' | head -n1)"
	ANSWER[$c]="$(head -c 160 "$B/last-body" | tr '\n\r`|' '    ')"
	CTYPE[$c]="$(tr -d '\r' <"$B/last-headers" | sed -n 's/^[Cc]ontent-[Tt]ype: //p' | head -n1)"
	e2e_say "configuration $c answers $st ${LOCATION[$c]}"
	[ "$st" = 200 ] || { e2e_say "FAIL: configuration $c answered $st, not 200 (location: ${LOCATION[$c]:-none}, body: ${ANSWER[$c]})"; fail=1; }
done

# --- the query pass (SAVEQUERIES on; MariaDB's general log on for one callback) --------------------------------------
touch "$REAL_WP/kco-bench-savequeries"
QLOG="$REAL_WP/wp-content/kco-bench-queries.jsonl"
# The plugin answers before its shutdown work (the decision log's row) is done: wait for the mu-plugin's line, written
# after every other shutdown function, before the next step.
recorded() { # lines
	for _ in $(seq 1 100); do
		[ "$(wc -l <"$QLOG" 2>/dev/null || echo 0)" -ge "$1" ] && return 0
		sleep 0.1
	done
	e2e_die "no query record of the callback in $QLOG"
}
for c in $configs; do
	toggle "$c"
	: >"$QLOG"
	post >/dev/null
	recorded 1
	mysql_root -e "SET GLOBAL general_log_file = '$B/general-$c.log'; SET GLOBAL general_log = 1;"
	post >/dev/null
	recorded 2
	mysql_root -e "SET GLOBAL general_log = 0;"
	sed -n 2p "$QLOG" >"$B/queries-$c.json"
	Q[$c]="$(php -r '$l = json_decode(file_get_contents($argv[1]), true); echo $l["num_queries"] ?? "?";' "$B/queries-$c.json")"
	# The callback's statements: those of its connection (the general log's Query lines, our SET GLOBAL left out).
	GQ[$c]="$(grep -E '^[[:space:]]*([0-9: ]+[[:space:]]+)?[0-9]+[[:space:]]+Query[[:space:]]' "$B/general-$c.log" | grep -vc 'SET GLOBAL general_log' || true)"
	e2e_say "configuration $c: ${Q[$c]} queries through \$wpdb, ${GQ[$c]} statements in MariaDB's general log"
done
rm -f "$REAL_WP/kco-bench-savequeries"

# --- timing: rounds of A then B ---------------------------------------------------------------------------------
pct() { # file q: nearest-rank percentile of the numbers in file, in ms
	sort -n "$1" | awk -v q="$2" '{a[NR]=$1} END{i=int(q*NR); if (i<q*NR) i++; if (i<1) i=1; printf "%.1f", a[i]*1000}'
}
LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg)"
declare -A P50 P90 RPS BAD WBAD
for r in $(seq 1 "$ROUNDS"); do
	for c in $configs; do
		toggle "$c"
		e2e_say "round $r, configuration $c: $WARMUP warm-up, $N sequential, wrk -t2 -c8 -d${SECS}s"
		for _ in $(seq 1 "$WARMUP"); do post >/dev/null; done
		: >"$B/seq-$c-$r"
		bad=0
		for _ in $(seq 1 "$N"); do
			read -r st t <<<"$(post)"
			[ "$st" = 200 ] || bad=$((bad + 1))
			echo "$t" >>"$B/seq-$c-$r"
		done
		cat "$B/seq-$c-$r" >>"$B/seq-$c"
		P50[$c,$r]="$(pct "$B/seq-$c-$r" 0.5)"
		P90[$c,$r]="$(pct "$B/seq-$c-$r" 0.9)"
		BAD[$c,$r]="$bad"
		out="$(wrk -t2 -c8 -d"${SECS}s" --timeout 10s --latency -s "$ROOT/tests/e2e/wrk/mix.lua" "$E2E_URL" -- "$B/spec.tsv" 2>&1)" \
			|| { e2e_say "wrk failed: $out"; fail=1; }
		printf '%s\n' "$out" >>"$B/wrk.log"
		res="$(grep '^KCO_RESULT' <<<"$out" || true)"
		field() { local v; v="$(sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$res")"; echo "${v:-0}"; }
		RPS[$c,$r]="$(field rps)"
		WBAD[$c,$r]=$(($(field unexpected) + $(field connect) + $(field read) + $(field write) + $(field timeout)))
		e2e_say "  p50 ${P50[$c,$r]} ms, p90 ${P90[$c,$r]} ms, ${RPS[$c,$r]} req/s; not 200: $bad sequential, ${WBAD[$c,$r]} under wrk"
		if [ "$bad" != 0 ] || [ "${WBAD[$c,$r]}" != 0 ] || [ "$(field requests)" = 0 ]; then fail=1; fi
	done
done
n_fatal="$(fatals)"
[ "$n_fatal" = 0 ] || { e2e_say "FAIL: $n_fatal PHP fatal errors (see $E2E_PHP_ERROR_LOG)"; fail=1; }
if grep -qE 'exited on signal|exited with code' "$E2E_FPM_LOG" 2>/dev/null; then e2e_say "FAIL: a php-fpm worker died"; fail=1; fi
counts="$(shop counts | tail -n1)"

# --- the report -------------------------------------------------------------------------------------------------
label() { if [ "$1" = A ]; then echo "A: KCO $kco_version alone"; else echo "B: with kco-validation"; fi; }
ratio() { php -r 'echo is_numeric($argv[1]) && is_numeric($argv[2]) && $argv[2] > 0 ? sprintf("%.2f", $argv[1] / $argv[2]) : "–";' "$1" "$2"; }
mean_rps() { local c="$1" s="" r; for r in $(seq 1 "$ROUNDS"); do s+="${RPS[$c,$r]} "; done; awk '{t=0; for(i=1;i<=NF;i++) t+=$i; printf "%.1f", t/NF}' <<<"$s"; }
statements() { # config
	php -r '$l = json_decode(file_get_contents($argv[1]), true); foreach ($l["queries"] ?? array() as $i => $q) { printf("%3d. %s  <- %s\n", $i + 1, mb_strimwidth($q["sql"], 0, 220, "…"), implode(", ", array_slice(explode(", ", $q["caller"]), -3))); }' "$B/queries-$c.json"
}
ext_ver="$(php -n -d "extension=$KCO_EXT" -r 'echo \KcoValidation\version();')"
plugin_rev="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
REPORT="${BENCH_REPORT:-$ROOT/tests/artifacts/bench-real-$wc_version.md}"
mkdir -p "$(dirname "$REPORT")"
{
	echo "## The validation callback on a real shop: WordPress $wp_version + WooCommerce $wc_version${kco_version:+ + KCO $kco_version}"
	echo
	echo "$(date -u +%Y-%m-%d), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')), load average $LOAD_START before,"
	echo "$(cut -d' ' -f1-3 /proc/loadavg) after (shared machine). nginx + php-fpm 8.2 (pm=static, ${FPM_CHILDREN:-4} workers, opcache) + MariaDB"
	echo "on loopback; SAVEQUERIES and WP_DEBUG off while timing; extension $ext_ver; plugin php/ at $plugin_rev plus uncommitted"
	echo "changes of the moment. $kco_note Command: \`scripts/bench-real.sh $WP_DIR $WC_DIR${KCO_DIR:+ $KCO_DIR}\`."
	echo
	echo "One guest cart (2 × a 125 kr product with managed stock, PostNord 49 kr, Swedish address; order_amount"
	echo "$(php -r 'echo json_decode(file_get_contents($argv[1]), true)["order_amount"];' "$B/body.json")), made over HTTP; the Klarna order built from it as KCO builds it; every callback"
	echo "POSTs that body to \`${URL#"$E2E_URL"}\`."
	echo
	echo "| configuration | answer | queries (\$wpdb) | statements (general log: + connection set-up) | p50 | p90 | requests/s (8 conn.) |"
	echo "|---|---|---:|---:|---:|---:|---:|"
	for c in $configs; do
		for r in $(seq 1 "$ROUNDS"); do
			echo "| $(label "$c"), round $r | ${STATUS[$c]}${LOCATION[$c]:+ → ${LOCATION[$c]}} | ${Q[$c]} | ${GQ[$c]} | ${P50[$c,$r]} ms | ${P90[$c,$r]} ms | ${RPS[$c,$r]} |"
		done
		echo "| **$(label "$c")**, all rounds | | **${Q[$c]}** | ${GQ[$c]} | **$(pct "$B/seq-$c" 0.5) ms** | $(pct "$B/seq-$c" 0.9) ms | **$(mean_rps "$c")** |"
	done
	echo
	for c in $configs; do
		echo "- $(label "$c") answers ${STATUS[$c]}, Content-Type \`${CTYPE[$c]:-none}\`, Location \`${LOCATION[$c]:-none}\`, body \`${ANSWER[$c]:-(empty)}\`"
	done
	echo
	echo "Latency: $N sequential callbacks per round (curl, one at a time, after $WARMUP warm-up); throughput: wrk -t2 -c8"
	echo "-d${SECS}s. Rounds alternate ${configs// /, } per round so drift favours neither."
	if [ "$configs" = "A B" ]; then
		echo
		echo "Ratios B/A: queries $(ratio "${Q[B]}" "${Q[A]}"), p50 $(ratio "$(pct "$B/seq-B" 0.5)" "$(pct "$B/seq-A" 0.5)"), throughput $(ratio "$(mean_rps B)" "$(mean_rps A)")."
	fi
	echo
	echo "Statuses: every sequential callback and every wrk response must be 200; not 200:"
	for c in $configs; do
		for r in $(seq 1 "$ROUNDS"); do printf '%s round %s: %s sequential, %s under wrk (socket errors included). ' "$c" "$r" "${BAD[$c,$r]}" "${WBAD[$c,$r]}"; done
	done
	echo
	echo "PHP fatal errors: $n_fatal. kco-validation's tables after the run: $counts (claims: one row per Klarna order, replaced by"
	echo "each repeated approval of the same order)."
	for c in $configs; do
		echo
		echo "### The ${Q[$c]} queries of one callback, $(label "$c")"
		echo
		echo "\$wpdb, SAVEQUERIES on (whole request: WordPress's boot, plugins, the callback, shutdown); statement — caller:"
		echo
		echo '```'
		statements "$c"
		echo '```'
	done
	echo
	if [ "$fail" = 0 ]; then echo "All responses as expected (200); no PHP fatal error."; else echo "**FAILED** (see stderr)."; fi
} | tee "$REPORT"
e2e_say "report written to $REPORT"
exit "$fail"
