#!/usr/bin/env bash
# Issue 5: every benchmark in one run, written to benches/RESULTS.md (raw logs in benches/out/).
#
#   1. criterion (benches/decide.rs, when present): parse / validate / both in Rust, with allocation counts
#   2. the PHP bench (benches/php/bench.php): the extension against the plain-PHP yardstick, in one process, for
#      orders of 1, 10, 30 and 100 lines; without opcache, then with opcache + JIT (PHP at its fastest)
#   3. memory (benches/memory/decisions.php): 100 000 decisions, memory_get_usage() and VmRSS before/after
#   4. valgrind memcheck (USE_ZEND_ALLOC=0): benches/memory/valgrind.php directly, and the PHPT suite through
#      run-tests.php -m; definite leaks with frames of the extension are what counts
#   5. the HTTP bench (scripts/bench-http.sh, when present): wrk against nginx + php-fpm with the plugin
#
# Usage: scripts/bench.sh          (make bench installs the packages first: scripts/install-deps.sh bench)
# Env:   PHP (php), BENCH_ROUNDS (7), BENCH_DECISIONS (100000),
#        BENCH_SKIP="criterion callgrind valgrind-suite http" (any of them, for a quicker run)
# Exit:  non-zero when a correctness check fails: the two implementations disagree on a generated order, memory is
#        not flat, valgrind finds a definite leak or an error in the extension, a PHPT fails. Timings never fail.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PHP_BIN="${PHP:-php}"
BUILT="$ROOT/target/release/libkco_validation.so"
OUT="$ROOT/benches/out"
# Every PHP run uses a copy taken now: a rebuild during the run (another shell's cargo build, or cargo bench's own
# build of the library) must not change the extension under measurement halfway.
SO="$OUT/libkco_validation.so"
RESULTS="$ROOT/benches/RESULTS.md"
ROUNDS="${BENCH_ROUNDS:-7}"
DECISIONS="${BENCH_DECISIONS:-100000}"
SKIP=" ${BENCH_SKIP:-} "
mkdir -p "$OUT"
failures=()
say() { printf '== %s\n' "$*" >&2; }
skipped() { [[ "$SKIP" == *" $1 "* ]]; }
fail() { failures+=("$1"); say "FAILED: $1"; }

if [ ! -f "$BUILT" ]; then
	say "building the extension (cargo build --release)"
	cargo build --release >&2 || { echo "bench: the build failed" >&2; exit 1; }
fi
cp "$BUILT" "$SO"
RUN_PHP=("$PHP_BIN" -n -d "extension=$SO")
"${RUN_PHP[@]}" -r 'exit(extension_loaded("kco_validation") ? 0 : 1);' \
	|| { echo "bench: $SO does not load into $PHP_BIN" >&2; exit 1; }
JIT=(-d zend_extension=opcache -d opcache.enable_cli=1 -d opcache.jit=tracing -d opcache.jit_buffer_size=64M)
"${RUN_PHP[@]}" "${JIT[@]}" -r 'exit(function_exists("opcache_get_status") ? 0 : 1);' 2>/dev/null || JIT=()

cpu="$(awk -F': ' '/^model name/{print $2; exit}' /proc/cpuinfo)"
[ -n "$cpu" ] || cpu="$(uname -m)"
md() { printf '%s\n' "$@" >>"$RESULTS.tmp"; }
code() { md '```'; cat "$1" >>"$RESULTS.tmp"; md '```'; }
: >"$RESULTS.tmp"
md "# Benchmarks (issue 5)" "" \
	"Written by \`scripts/bench.sh\` (\`make bench\`) on $(date -u '+%Y-%m-%d %H:%M UTC'); do not edit by hand. Raw logs: \`benches/out/\`." "" \
	"## Machine" "" \
	"| | |" "|---|---|" \
	"| CPU | $cpu |" \
	"| cores (nproc) | $(nproc) |" \
	"| memory | $(awk '/^MemTotal/{printf "%.1f GiB", $2/1048576}' /proc/meminfo) |" \
	"| kernel | $(uname -sr) |" \
	"| PHP | $("$PHP_BIN" -n -r 'echo PHP_VERSION, " (", PHP_SAPI, ", ", PHP_ZTS ? "ZTS" : "NTS", ")";') |" \
	"| rustc | $(rustc --version 2>/dev/null || echo unknown) |" \
	"| extension | $("${RUN_PHP[@]}" -r '$b = KcoValidation\build_info(); echo $b["version"], " (", $b["profile"], ", built with ", $b["rustc"], ")";'), $(sha256sum "$SO" | cut -c1-12) |" \
	"| commit | $(git rev-parse --short HEAD 2>/dev/null || echo none)$(git diff --quiet HEAD -- src Cargo.toml 2>/dev/null || echo ' + uncommitted changes in src/') |" \
	"| load average at start | $(cut -d' ' -f1-3 /proc/loadavg) |" "" \
	"Timings on a shared or loaded machine are noisy: each PHP figure is the median of $ROUNDS alternating rounds." ""

# 1. criterion ------------------------------------------------------------------------------------------------
md "## 1. Rust alone (criterion)" ""
if skipped criterion; then
	md "Skipped (BENCH_SKIP)." ""
elif [ -f benches/decide.rs ]; then
	say "criterion"
	CRIT=(cargo bench --no-default-features --bench decide -- --warm-up-time 1 --measurement-time 3)
	if "${CRIT[@]}" >"$OUT/criterion.txt" 2>"$OUT/criterion.err"; then
		md "\`${CRIT[*]}\`" "" "| benchmark | time (lower · **median** · upper) |" "|---|---|"
		awk '
			/^[^ \t]/ && !/time:/ && !/^(Benchmarking|Found|Gnuplot|allocations|Warning|change:|Performance|No change|Change)/ { name = $1 }
			/time:/ {
				n = ($1 != "time:") ? $1 : name
				sub(/.*time:[ \t]*\[/, ""); sub(/\].*/, "")
				split($0, v, " ")
				printf "| %s | %s %s · **%s %s** · %s %s |\n", n, v[1], v[2], v[3], v[4], v[5], v[6]
			}' "$OUT/criterion.txt" >>"$RESULTS.tmp"
		md "" "Allocations of one decision (the counting allocator of benches/decide.rs):" ""
		grep '^allocations' "$OUT/criterion.txt" >"$OUT/allocations.txt" || true
		code "$OUT/allocations.txt"
		md ""
	else
		fail "criterion"
		md "criterion failed (see benches/out/criterion.err):" ""
		tail -20 "$OUT/criterion.err" >"$OUT/criterion.tail"
		code "$OUT/criterion.tail"
		md ""
	fi
else
	md "benches/decide.rs does not exist: no criterion run." ""
fi

# 2. PHP bench ------------------------------------------------------------------------------------------------
say "PHP bench: extension against the yardstick"
md "## 2. Through PHP: the extension against the plain-PHP yardstick" "" \
	"One decision = \`KcoValidation\\Order::parse(\$body)->validate(\$store)\` (crossing into PHP and back included) against" \
	"\`Yardstick::decide(\$body, \$store)\` (benches/php/Yardstick.php: json_decode and the same checks in plain PHP;" \
	"tests/phpt/yardstick_equivalence.phpt proves the verdicts identical). Orders: N goods lines from" \
	"benches/php/generate.inc (variations, shared stock owners, unmanaged stock, backorders, discounts), plus a discount" \
	"line and a shipping_fee line, a valid coupon with limits, a logged-in shopper; both must approve every one (checked" \
	"before timing). Target (issue 5): the extension at least 10× faster per decision. The ratio that counts is the one" \
	"against the yardstick as it is (it reads only what the checks need); the strict yardstick also checks the whole" \
	"snapshot key by key first, as the extension does (like for like, and slower)." ""
BENCH=(benches/php/bench.php --rounds="$ROUNDS" --markdown)
rm -f "$OUT/php-bench.json" "$OUT/php-bench-jit.json"
md "\`${RUN_PHP[*]} ${BENCH[*]}\`" ""
if "${RUN_PHP[@]}" "${BENCH[@]}" --json="$OUT/php-bench.json" >"$OUT/php-bench.md" 2>"$OUT/php-bench.err"; then
	cat "$OUT/php-bench.md" >>"$RESULTS.tmp"
else
	fail "PHP bench (the implementations disagree, see benches/out/php-bench.err)"
	cat "$OUT/php-bench.md" "$OUT/php-bench.err" >>"$RESULTS.tmp"
fi
md ""
if [ ${#JIT[@]} -gt 0 ]; then
	say "PHP bench with opcache + JIT"
	md "With opcache and the tracing JIT (PHP at its fastest; Debian's php-fpm has opcache on and the JIT off):" "" \
		"\`${RUN_PHP[*]} ${JIT[*]} ${BENCH[*]}\`" ""
	if "${RUN_PHP[@]}" "${JIT[@]}" "${BENCH[@]}" --json="$OUT/php-bench-jit.json" >"$OUT/php-bench-jit.md" 2>"$OUT/php-bench-jit.err"; then
		cat "$OUT/php-bench-jit.md" >>"$RESULTS.tmp"
	else
		fail "PHP bench with JIT"
		cat "$OUT/php-bench-jit.md" "$OUT/php-bench-jit.err" >>"$RESULTS.tmp"
	fi
	md ""
fi

# 2b. instruction counts -------------------------------------------------------------------------------------
if skipped callgrind || ! command -v valgrind >/dev/null; then
	md "### Instructions per decision (callgrind): skipped." ""
else
	say "instructions per decision (callgrind)"
	md "### Instructions per decision (callgrind: independent of the machine's load)" "" \
		"\`valgrind --tool=callgrind ${RUN_PHP[*]} benches/php/count.php LINES WHAT N\`, minus the same run deciding nothing," \
		"divided by N. *Checks* is the inclusive count of \`checks::validate\`; *crossing* is the rest of validate():" \
		"reading the PHP array into the Rust snapshot and building the verdict array." "" \
		"| goods lines | N | extension | parse | validate | of which crossing | of which checks | yardstick | ratio | strict yardstick | ratio |" \
		"|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
	instr() { # lines what n -> instructions (whole run)
		valgrind --tool=callgrind --callgrind-out-file="$OUT/callgrind.$1.$2" "${RUN_PHP[@]}" benches/php/count.php "$1" "$2" "$3" \
			>/dev/null 2>&1 || { echo 0; return; }
		awk '/^summary:/{print $2; exit}' "$OUT/callgrind.$1.$2"
	}
	# Largest inclusive count of the functions matching a pattern (inlining splits a function over several lines).
	incl() { # file pattern
		callgrind_annotate --inclusive=yes "$1" 2>/dev/null | grep -E "$2" | awk '{gsub(/,/,"",$1); if ($1+0 > m) m = $1+0} END {print m+0}'
	}
	: >"$OUT/instructions.txt"
	for lines in 1 10 30 100; do
		n=$(( lines >= 100 ? 20 : (lines >= 30 ? 60 : 200) ))
		base=$(instr "$lines" none "$n")
		per() { echo $(( ($1 - base) / n )); }
		e=$(per "$(instr "$lines" ext "$n")")
		p=$(per "$(instr "$lines" parse "$n")")
		v=$(per "$(instr "$lines" validate "$n")")
		y=$(per "$(instr "$lines" yardstick "$n")")
		c=$(per "$(instr "$lines" strict "$n")")
		vf="$OUT/callgrind.$lines.validate"
		chk=$(( $(incl "$vf" 'checks::validate') / n ))
		# The crossing: validate() minus the checks, i.e. reading the PHP array into the Rust snapshot and building
		# the verdict array (measured this way because inlining hides the functions that do it).
		snap=$(( v - chk ))
		echo "$lines $e $y $snap" >>"$OUT/instructions.txt"
		k() { awk -v x="$1" 'BEGIN{printf "%.0fk", x/1000}'; }
		pct() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b > 0) printf " (%.0f%%)", 100*a/b }'; }
		md "| $lines | $n | $(k "$e") | $(k "$p") | $(k "$v") | $(k "$snap")$(pct "$snap" "$e") | $(k "$chk")$(pct "$chk" "$e") | $(k "$y") | **$(awk -v a="$y" -v b="$e" 'BEGIN{printf "%.1f×", a/b}')** | $(k "$c") | $(awk -v a="$c" -v b="$e" 'BEGIN{printf "%.1f×", a/b}') |"
	done
	rm -f "$OUT"/callgrind.*
	md ""
fi

# 3. memory ---------------------------------------------------------------------------------------------------
say "memory: $DECISIONS decisions"
md "## 3. Memory over $DECISIONS decisions in one process" "" \
	"benches/memory/decisions.php: per ten decisions, four approved and two denied 10-line orders, one 100-line and one" \
	"1-line order, one InvalidPayload and one \\InvalidArgumentException; after a warm-up of 2 000. Flat means the" \
	"Zend heap grew by at most 4 KiB and RSS by at most 1 MiB." "" \
	"\`${RUN_PHP[*]} benches/memory/decisions.php --decisions=$DECISIONS --markdown\`" ""
if "${RUN_PHP[@]}" benches/memory/decisions.php --decisions="$DECISIONS" --markdown >"$OUT/memory.md" 2>"$OUT/memory.err"; then
	cat "$OUT/memory.md" >>"$RESULTS.tmp"
else
	fail "memory is not flat"
	cat "$OUT/memory.md" "$OUT/memory.err" >>"$RESULTS.tmp"
fi
md ""

# 4. valgrind -------------------------------------------------------------------------------------------------
# Frames of ours: the .so when it has no line info, else the crate's and ext-php-rs's function names.
OURS='libkco_validation|kco_validation::|ext_php_rs'
# Prints "records_of_kind records_of_kind_with_our_frames" for a memcheck log and a kind ("definitely lost", …).
count_records() { # log kind
	awk -v kind="$2" -v ours="$OURS" '
		/^==[0-9]+== [^ ]/ && /in loss record/ { inrec = index($0, kind) > 0; if (inrec) { n++; hit = 0 }; next }
		inrec && /^==[0-9]+== *$/ { if (hit) m++; inrec = 0; next }
		inrec && $0 ~ ours { hit = 1 }
		END { if (inrec && hit) m++; printf "%d %d\n", n, m }' "$1"
}
# Prints "errors errors_with_our_frames" (invalid reads/writes, uninitialised values, bad frees).
count_errors() { # log
	awk -v ours="$OURS" '
		/^==[0-9]+== (Invalid|Conditional|Use of uninitialised|Mismatched|Syscall param|Source and destination)/ { n++; inerr = 1; hit = 0; next }
		inerr && /^==[0-9]+== *$/ { if (hit) m++; inerr = 0; next }
		inerr && $0 ~ ours { hit = 1 }
		END { if (inerr && hit) m++; printf "%d %d\n", n, m }' "$1"
}
md "## 4. valgrind memcheck" ""
if ! command -v valgrind >/dev/null; then
	fail "valgrind is not installed (scripts/install-deps.sh bench)"
	md "valgrind is not installed." ""
else
	VG_ENV=(env USE_ZEND_ALLOC=0 ZEND_DONT_UNLOAD_MODULES=1)
	# pcre.jit=0: valgrind cannot follow the code PCRE's JIT generates (it reports its 16-byte SIMD reads past the
	# end of a subject string as invalid reads).
	VG=(valgrind --tool=memcheck --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=definite --num-callers=60)
	say "valgrind: benches/memory/valgrind.php"
	"${VG_ENV[@]}" "${VG[@]}" --log-file="$OUT/valgrind-direct.log" "${RUN_PHP[@]}" -d pcre.jit=0 \
		benches/memory/valgrind.php 20 >"$OUT/valgrind-direct.out" 2>&1
	rc=$?
	read -r def_n def_ours < <(count_records "$OUT/valgrind-direct.log" "definitely lost")
	read -r ind_n ind_ours < <(count_records "$OUT/valgrind-direct.log" "indirectly lost")
	read -r pos_n pos_ours < <(count_records "$OUT/valgrind-direct.log" "possibly lost")
	read -r rea_n rea_ours < <(count_records "$OUT/valgrind-direct.log" "still reachable")
	read -r err_n err_ours < <(count_errors "$OUT/valgrind-direct.log")
	md "### benches/memory/valgrind.php (every entry point and every exception path, 20 rounds)" "" \
		"\`USE_ZEND_ALLOC=0 ZEND_DONT_UNLOAD_MODULES=1 ${VG[*]} ${RUN_PHP[*]} -d pcre.jit=0 benches/memory/valgrind.php 20\`" "" \
		"Script: $(tail -1 "$OUT/valgrind-direct.out")" "" \
		"| kind | loss records | with frames of the extension |" "|---|---:|---:|" \
		"| definitely lost | $def_n | $def_ours |" "| indirectly lost | $ind_n | $ind_ours |" \
		"| possibly lost | $pos_n | $pos_ours |" "| still reachable (at exit) | $rea_n | $rea_ours |" \
		"| memory errors (invalid read/write, uninitialised) | $err_n | $err_ours |" ""
	grep -A6 'LEAK SUMMARY' "$OUT/valgrind-direct.log" | sed 's/^==[0-9]*== //' >"$OUT/valgrind-direct.summary"
	code "$OUT/valgrind-direct.summary"
	md ""
	if [ "$rc" -ne 0 ] || [ "$def_ours" -ne 0 ] || [ "$err_ours" -ne 0 ]; then
		fail "valgrind: the extension leaks or misuses memory (benches/out/valgrind-direct.log)"
	fi

	if skipped valgrind-suite; then
		md "### PHPT suite under valgrind: skipped (BENCH_SKIP)." ""
	else
		say "valgrind: the PHPT suite (run-tests.php -m; several minutes)"
		RUNNER="$(php-config --extension-dir 2>/dev/null)/build/run-tests.php"
		[ -f "$RUNNER" ] || RUNNER="/usr/lib/php/$(php-config --phpapi)/build/run-tests.php"
		rm -f tests/phpt/*.mem
		export VALGRIND_OPTS="--leak-check=full --show-leak-kinds=definite,possible --errors-for-leak-kinds=definite --num-callers=60"
		TEST_PHP_EXECUTABLE="$(command -v "$PHP_BIN")" ZEND_DONT_UNLOAD_MODULES=1 \
			"$PHP_BIN" -n "$RUNNER" -q -n -m --no-color -d pcre.jit=0 -d "extension=$SO" -p "$(command -v "$PHP_BIN")" \
			tests/phpt >"$OUT/valgrind-phpt.txt" 2>&1
		unset VALGRIND_OPTS
		num() { { grep -E "^$1 *:" "$OUT/valgrind-phpt.txt" || true; } | head -1 | awk -F: '{print $2}' | awk '{print $1+0}'; }
		total=$(num "Number of tests"); passed=$(num "Tests passed"); failed=$(num "Tests failed"); leaked=$(num "Tests leaked")
		failed_names="$(grep -oE 'FAIL .*\[tests/phpt/[^]]*\.phpt\]' "$OUT/valgrind-phpt.txt" \
			| sed -E 's/.*\[tests\/phpt\/([^]]*)\.phpt\]$/\1/' | sort -u | tr '\n' ' ')"
		mem_def=0; mem_def_ours=0; mem_err=0; mem_err_ours=0; leaked_names=()
		for m in tests/phpt/*.mem; do
			[ -e "$m" ] || continue
			cp "$m" "$OUT/valgrind-$(basename "$m")"
			leaked_names+=("$(basename "$m" .mem)")
			read -r n o < <(count_records "$m" "definitely lost"); mem_def=$((mem_def + n)); mem_def_ours=$((mem_def_ours + o))
			read -r n o < <(count_errors "$m"); mem_err=$((mem_err + n)); mem_err_ours=$((mem_err_ours + o))
		done
		rm -f tests/phpt/*.mem
		md "### The PHPT suite under valgrind" "" \
			"\`VALGRIND_OPTS=\"$(printf '%s' '--leak-check=full --show-leak-kinds=definite,possible --errors-for-leak-kinds=definite --num-callers=60')\" ZEND_DONT_UNLOAD_MODULES=1 php -n run-tests.php -q -n -m -d pcre.jit=0 -d extension=$SO tests/phpt\`" \
			"(\`-m\` runs every test under valgrind memcheck with USE_ZEND_ALLOC=0; a test that valgrind reports on is" \
			"\"leaked\" to run-tests.php whoever owns the frames, so each report is split by frames of the extension)" "" \
			"| tests | passed | failed | reported by valgrind | definite-leak records (with frames of the extension) | memory errors (ours) |" \
			"|---:|---:|---:|---:|---:|---:|" \
			"| ${total:-0} | ${passed:-0} | ${failed:-0}${failed_names:+ (${failed_names% })} | ${leaked:-0}${leaked_names:+ (${leaked_names[*]})} | $mem_def ($mem_def_ours) | $mem_err ($mem_err_ours) |" ""
		if [ "$mem_def" -gt "$mem_def_ours" ]; then
			md "The definite leaks without frames of the extension are PHP's own: objects and arrays left in reference" \
				"cycles by the tests (a snapshot that contains itself by reference, say), which PHP does not collect at" \
				"shutdown when USE_ZEND_ALLOC=0. Their stacks are in benches/out/valgrind-*.mem." ""
		fi
		if [ "${failed:-0}" -ne 0 ]; then
			md "A test that fails under valgrind (or runs past run-tests.php's 300 s valgrind limit) was not leak-checked" \
				"to the end; whether it passes at all is \`make test\`'s business (scripts/test-phpt.sh)." ""
		fi
		if [ "$mem_def_ours" -ne 0 ] || [ "$mem_err_ours" -ne 0 ] || [ "${passed:-0}" -eq 0 ]; then
			fail "PHPT suite under valgrind: definite leaks or memory errors with frames of the extension (benches/out/valgrind-*.mem)"
		fi
	fi
fi

# 5. HTTP -----------------------------------------------------------------------------------------------------
md "## 5. HTTP: wrk against nginx + php-fpm with the plugin" ""
if skipped http; then
	md "Skipped (BENCH_SKIP)." ""
elif [ -x scripts/bench-http.sh ]; then
	say "HTTP bench (scripts/bench-http.sh)"
	md "\`scripts/bench-http.sh\` (the plugin's end-to-end stack):" ""
	if KCO_EXT="$SO" scripts/bench-http.sh >"$OUT/http.md" 2>"$OUT/http.err"; then
		cat "$OUT/http.md" >>"$RESULTS.tmp"
	else
		fail "HTTP bench (benches/out/http.err)"
		cat "$OUT/http.md" >>"$RESULTS.tmp"
		md "" "scripts/bench-http.sh failed; the end of its log:" ""
		tail -20 "$OUT/http.err" >"$OUT/http.tail"
		code "$OUT/http.tail"
	fi
	md ""
else
	md "scripts/bench-http.sh does not exist: no HTTP figures." ""
fi

# The headline, from the figures above, goes first.
mv "$RESULTS.tmp" "$RESULTS.body"
: >"$RESULTS.tmp"
sed -n '1,/^Timings on a shared/p' "$RESULTS.body" >>"$RESULTS.tmp"
md "" "## Headline" ""
"$PHP_BIN" -n -r '
	foreach (array_slice($argv, 1) as $f) {
		$j = is_file($f) ? json_decode(file_get_contents($f), true) : null;
		if (!$j) { continue; }
		$parts = [];
		foreach ($j["rows"] as $r) {
			$parts[] = sprintf("%d lines %.0f µs vs %.0f µs = **%.1f×**", $r["lines"], $r["ext_us"], $r["php_us"], $r["ratio"]);
		}
		$min = min(array_column($j["rows"], "ratio"));
		printf("- Through PHP (%s), extension vs plain-PHP yardstick per decision: %s. Target ≥ 10×: %s.\n",
			$j["mode"], implode("; ", $parts), $min >= 10 ? "met" : "**not met** (lowest ratio " . sprintf("%.1f×", $min) . ")");
	}' "$OUT/php-bench.json" "$OUT/php-bench-jit.json" >>"$RESULTS.tmp"
if [ -s "$OUT/instructions.txt" ]; then
	awk 'BEGIN { printf "- Instructions per decision (callgrind, not affected by the load): " }
		{ printf "%s%d lines %.0fk vs %.0fk = **%.1f×** (crossing into and out of PHP: %.0f%% of the extension'"'"'s)", (NR > 1 ? "; " : ""), $1, $2/1000, $3/1000, $3/$2, 100*$4/$2 }
		END { print "." }' "$OUT/instructions.txt" >>"$RESULTS.tmp"
fi
grep -m1 'memory_get_usage()' "$OUT/memory.md" 2>/dev/null | awk -F'|' '{gsub(/ /,"",$5); printf "- Memory over %s decisions: memory_get_usage() %s,", "'"$DECISIONS"'", $5}' >>"$RESULTS.tmp"
grep -m1 'VmRSS' "$OUT/memory.md" 2>/dev/null | awk -F'|' '{gsub(/^ +| +$/,"",$5); printf " VmRSS %s", $5}' >>"$RESULTS.tmp"
if grep -q '^\*\*Flat' "$OUT/memory.md" 2>/dev/null; then md " (flat)."; else md " (**not flat**)."; fi
if [ -f "$OUT/valgrind-direct.log" ]; then
	md "- valgrind memcheck: ${def_n:-?} definitely-lost records (${def_ours:-?} with frames of the extension), ${err_n:-?} memory errors; PHPT suite under valgrind: ${mem_def:-n/a} definite-leak records (${mem_def_ours:-n/a} ours)."
fi
md "- Correctness of the bench code: $([ ${#failures[@]} -eq 0 ] && echo 'every check passed' || echo "**${#failures[@]} failed** (see the end)")."
sed -n '/^Timings on a shared/,$p' "$RESULTS.body" | sed '1d' >>"$RESULTS.tmp"
rm -f "$RESULTS.body"

md "## Verdict" ""
if [ ${#failures[@]} -eq 0 ]; then
	md "Every correctness check passed (timings are reported, never asserted)."
else
	for f in "${failures[@]}"; do md "- FAILED: $f"; done
fi
md "" "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
mv "$RESULTS.tmp" "$RESULTS"
say "wrote benches/RESULTS.md"
[ ${#failures[@]} -eq 0 ]
