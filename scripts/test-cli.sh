#!/usr/bin/env bash
# Tests the replay CLI php/bin/kco-validate (issue 16, point 4) against the built extension: verdicts and exit codes,
# errors with FILE:LINE:COLUMN on both inputs (syntax errors and the key path the extension names), the reason a file
# cannot be read (missing, a directory, permission denied, empty), --json errors as JSON, --help and --version; and
# the one-paragraph report of a missing build dependency (scripts/check-build-deps.sh). Prints "N passed, N failed".
#
# Usage: scripts/test-cli.sh        Env: KCO_EXT (default target/release/libkco_validation.so)
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
EXT="${KCO_EXT:-$ROOT/target/release/libkco_validation.so}"
CLI=(php -n -d "extension=$EXT" "$ROOT/php/bin/kco-validate")
TMP="$(mktemp -d "${TMPDIR:-/tmp}/kco-test-cli.XXXXXX")"
chmod 0755 "$TMP"
trap 'rm -rf "$TMP"' EXIT
passed=0 failed=0
ok() { passed=$((passed + 1)); printf 'ok   - %s\n' "$1"; }
not_ok() { failed=$((failed + 1)); printf 'FAIL - %s\n' "$1"; [ -z "${2:-}" ] || printf '%s\n' "$2" | sed 's/^/       /'; }

# expect DESCRIPTION STATUS STREAM PATTERN -- COMMAND…: the command exits STATUS and its STREAM (out, err) matches
# the extended regular expression PATTERN (a line of it); the other stream must be empty.
expect() {
	local what="$1" status="$2" stream="$3" pattern="$4" rc out err
	shift 5
	"$@" >"$TMP/out" 2>"$TMP/err" <"${STDIN_FILE:-/dev/null}"
	rc=$?
	out="$(cat "$TMP/out")" err="$(cat "$TMP/err")"
	local main="$out" other="$err" other_name=stderr
	[ "$stream" = err ] && main="$err" other="$out" other_name=stdout
	if [ "$rc" != "$status" ]; then
		not_ok "$what" "exit $rc, expected $status; stdout: $out; stderr: $err"
	elif ! grep -Eq -- "$pattern" <<<"$main"; then
		not_ok "$what" "std$stream does not match /$pattern/: $main"
	elif [ -n "$other" ]; then
		not_ok "$what" "$other_name should be empty: $other"
	else
		ok "$what"
	fi
}
# json_is DESCRIPTION PHP-EXPRESSION: the last stdout, decoded as $j, makes the expression true.
json_is() {
	if php -n -r '$j = json_decode(file_get_contents($argv[1]), true); exit((is_array($j) && ('"$2"')) ? 0 : 1);' "$TMP/out"; then
		ok "$1"
	else
		not_ok "$1" "$(cat "$TMP/out")"
	fi
}

[ -f "$EXT" ] || { not_ok "the extension is built ($EXT)"; echo "${passed} passed, ${failed} failed (kco-validate CLI)"; exit 1; }

# --- verdicts ---------------------------------------------------------------------------------------------------
expect "approved: exit 0, HTTP 200" 0 out '^APPROVED: HTTP 200 OK$' -- "${CLI[@]}" examples/order.json examples/store.json
expect "denied: exit 1, the 303 and every reason" 1 out '^  - coupon_invalid \(expired\) \[summer10\]' -- "${CLI[@]}" examples/order.json examples/store-out-of-stock.json
expect "--json verdict" 1 out '"approved": false' -- "${CLI[@]}" --json examples/order.json examples/store-out-of-stock.json
json_is "--json verdict: the response and every failure code" '$j["response"]["status"] === 303 && $j["codes"] === ["insufficient_stock", "coupon_invalid"]'
STDIN_FILE=examples/order.json expect 'the order from standard input ("-")' 0 out '^APPROVED' -- "${CLI[@]}" - examples/store.json

# --- usage, help, version ---------------------------------------------------------------------------------------
expect "--help: options and exit codes on stdout, exit 0" 0 out '^Exit status:$' -- "${CLI[@]}" --help
for want in '--json' '--version' '-h, --help' '^  0  approved' '^  1  denied' '^  2  bad input'; do
	grep -Eq -- "$want" "$TMP/out" && ok "--help lists: $want" || not_ok "--help lists: $want" "$(cat "$TMP/out")"
done
expect "-h works without the extension" 0 out '^Usage: kco-validate' -- php -n "$ROOT/php/bin/kco-validate" -h
expect "--version: the extension's version and PHP API" 0 out "^kco_validation $(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n1) \(PHP API [0-9]+, (NTS|ZTS)" -- "${CLI[@]}" --version
expect "one file: usage error, exit 2" 2 err 'two files expected \(ORDER.json STORE.json\), 1 given' -- "${CLI[@]}" examples/order.json
expect "an unknown option: usage error naming it, exit 2" 2 err 'unknown option --jsno' -- "${CLI[@]}" --jsno examples/order.json examples/store.json
expect "usage errors point to --help" 2 err 'kco-validate --help for the options and exit codes' -- "${CLI[@]}"
expect "--json usage error as JSON on stdout" 2 out '"reason": "usage"' -- "${CLI[@]}" --json a
expect "without the extension: exit 2, how to load it" 2 err 'the kco_validation extension is not loaded.*-d extension=' -- php -n "$ROOT/php/bin/kco-validate" examples/order.json examples/store.json
expect "without the extension, --json: the error as JSON" 2 out '"reason": "extension_missing"' -- php -n "$ROOT/php/bin/kco-validate" --json examples/order.json examples/store.json

# --- files that cannot be read ----------------------------------------------------------------------------------
expect "a missing order file: why" 2 err "^kco-validate: $TMP/nope.json: cannot read: no such file$" -- "${CLI[@]}" "$TMP/nope.json" examples/store.json
expect "a missing store file: why" 2 err "^kco-validate: $TMP/nope.json: cannot read: no such file$" -- "${CLI[@]}" examples/order.json "$TMP/nope.json"
expect "a directory as the order: why (not \"body: is empty\")" 2 err "^kco-validate: $TMP: cannot read: it is a directory$" -- "${CLI[@]}" "$TMP" examples/store.json
expect "a directory as the store: why" 2 err "^kco-validate: $TMP: cannot read: it is a directory$" -- "${CLI[@]}" examples/order.json "$TMP"
: >"$TMP/empty.json"
expect "an empty store file" 2 err "^kco-validate: $TMP/empty.json: the file is empty$" -- "${CLI[@]}" examples/order.json "$TMP/empty.json"
cp examples/store.json "$TMP/secret.json" && chmod 0000 "$TMP/secret.json"
if [ "$(id -u)" -eq 0 ]; then
	# root reads any file: the unreadable case runs as nobody, with copies of the CLI, the extension and the order in
	# the temp dir (the checkout may sit in a folder nobody cannot enter, such as /root).
	AS=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
	mkdir -p "$TMP/bin" && cp php/bin/kco-validate "$TMP/bin/" && cp "$EXT" "$TMP/ext.so" && cp examples/order.json "$TMP/order.json"
	chmod 0755 "$TMP/bin" && chmod 0644 "$TMP/bin/kco-validate" "$TMP/ext.so" "$TMP/order.json"
	expect "a file without read permission: permission denied" 2 err "^kco-validate: $TMP/secret.json: cannot read: permission denied$" -- "${AS[@]}" php -n -d "extension=$TMP/ext.so" "$TMP/bin/kco-validate" "$TMP/order.json" "$TMP/secret.json"
else
	expect "a file without read permission: permission denied" 2 err "^kco-validate: $TMP/secret.json: cannot read: permission denied$" -- "${CLI[@]}" examples/order.json "$TMP/secret.json"
fi
expect "--json: an unreadable file as JSON" 2 out '"reason": "unreadable"' -- "${CLI[@]}" --json examples/order.json "$TMP/nope.json"
json_is "--json: the file and the reason in it" '$j["error"]["file"] === "'"$TMP"'/nope.json" && $j["error"]["input"] === "store" && $j["error"]["message"] === "cannot read: no such file"'

# --- where the input is wrong: FILE:LINE:COLUMN -----------------------------------------------------------------
printf '{"order_id": "x",\n  "purchase_country": se}' >"$TMP/bad-order.json"
expect "order JSON syntax error: line and column" 2 err "^kco-validate: $TMP/bad-order.json:2:23: not a Klarna order: body: is not valid JSON" -- "${CLI[@]}" "$TMP/bad-order.json" examples/store.json
sed '0,/"quantity": 2/s//"quantity": -2/' examples/order.json >"$TMP/negative.json"
line="$(grep -n '"quantity": -2' "$TMP/negative.json" | head -n1 | cut -d: -f1)"
expect "an order the extension refuses: the line and column of the key it names" 2 err "^kco-validate: $TMP/negative.json:$line:[0-9]+: not a Klarna order: order_lines\[0\]\.quantity: " -- "${CLI[@]}" "$TMP/negative.json" examples/store.json
printf '{\n  "currency": "SEK",\n  "cart": {"lines": [1, 2,]}\n}\n' >"$TMP/bad-store.json"
expect "store JSON syntax error: line and column (json_decode gives none)" 2 err "^kco-validate: $TMP/bad-store.json:3:27: not JSON: expected a value, found '\]'$" -- "${CLI[@]}" examples/order.json "$TMP/bad-store.json"
expect "--json: the store's syntax error as JSON with line and column" 2 out '"reason": "not_json"' -- "${CLI[@]}" --json examples/order.json "$TMP/bad-store.json"
json_is "--json: line 3, column 27" '$j["error"]["line"] === 3 && $j["error"]["column"] === 27 && $j["error"]["input"] === "store"'
printf '{"a": "tab\there"}' >"$TMP/ctl.json"
expect "a raw control character in a store string: where, and what to write instead" 2 err ':1:11: not JSON: control character 0x09 inside a string \(write it as \\u0009\)$' -- "${CLI[@]}" examples/order.json "$TMP/ctl.json"
printf '{"a": "\xc3\x28"}' >"$TMP/utf8.json"
expect "malformed UTF-8 in the store" 2 err ':1:8: not JSON: malformed UTF-8 in a string$' -- "${CLI[@]}" examples/order.json "$TMP/utf8.json"
printf '{"a": 1} {"b": 2}' >"$TMP/two.json"
expect "text after the store's JSON value" 2 err ":1:10: not JSON: unexpected '\{' after the JSON value$" -- "${CLI[@]}" examples/order.json "$TMP/two.json"
printf '[1, 2]' >"$TMP/list.json"
expect "a JSON array as the store" 2 err ':1:1: not a store snapshot: the file must hold a JSON object$' -- "${CLI[@]}" examples/order.json "$TMP/list.json"
sed 's/"total": "238.40"/"total": 238.4/' examples/store.json >"$TMP/float.json"
line="$(grep -n '"total": 238.4' "$TMP/float.json" | head -n1 | cut -d: -f1)"
expect "a snapshot the extension refuses: the line and column of the key path it names" 2 err "^kco-validate: $TMP/float.json:$line:[0-9]+: not a valid store snapshot: cart\.lines\[0\]\.total: " -- "${CLI[@]}" examples/order.json "$TMP/float.json"
grep -v '"currency": "SEK",' examples/store.json >"$TMP/no-currency.json"
expect "a missing snapshot key: the enclosing object's place" 2 err "^kco-validate: $TMP/no-currency.json:1:1: not a valid store snapshot: currency: is missing$" -- "${CLI[@]}" examples/order.json "$TMP/no-currency.json"
expect "--json: the snapshot error as JSON" 2 out '"reason": "invalid_snapshot"' -- "${CLI[@]}" --json examples/order.json "$TMP/float.json"
json_is "--json: its line" '$j["error"]["line"] === '"$line"' && is_int($j["error"]["column"])'

# --- a missing build dependency: one paragraph ------------------------------------------------------------------
PHP_CONFIG="$TMP/no-php-config" scripts/check-build-deps.sh >"$TMP/out" 2>"$TMP/err"
rc=$?
if [ "$rc" -eq 1 ] && [ ! -s "$TMP/out" ] && grep -q 'apt-get install php8.2-dev' "$TMP/err" && grep -q 'PHP_CONFIG=' "$TMP/err" \
	&& ! grep -q '^$' "$TMP/err" && [ "$(wc -l <"$TMP/err")" -le 6 ] && ! grep -qi 'backtrace\|panicked' "$TMP/err"; then
	ok "a missing php-config: one paragraph (what, the package, PHP_CONFIG), exit 1"
else
	not_ok "a missing php-config: one paragraph" "exit $rc: $(cat "$TMP/err")"
fi
if scripts/check-build-deps.sh >"$TMP/out" 2>&1 && [ ! -s "$TMP/out" ]; then
	ok "nothing missing: silent, exit 0"
else
	not_ok "nothing missing: silent, exit 0" "$(cat "$TMP/out")"
fi
if PHP_CONFIG="$TMP/no-php-config" make -s -C "$ROOT" build >"$TMP/out" 2>&1; then
	not_ok "make build stops before cargo when php-config is missing" "it succeeded"
elif grep -q 'kco_validation cannot be built' "$TMP/out" && ! grep -q 'Compiling\|ext-php-rs' "$TMP/out"; then
	ok "make build stops before cargo when php-config is missing (no ext-php-rs output)"
else
	not_ok "make build stops before cargo when php-config is missing" "$(head -n 20 "$TMP/out")"
fi

echo "${passed} passed, ${failed} failed (kco-validate CLI, build pre-check)"
[ "$failed" -eq 0 ]
