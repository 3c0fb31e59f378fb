#!/usr/bin/env bash
# Checks, before cargo runs, what building the extension needs besides Rust: PHP's php-config and headers, the php
# binary, libclang (ext-php-rs reads PHP's headers with bindgen) and a C compiler (ext-php-rs compiles a small C
# wrapper). When something is missing it prints one paragraph saying what and how to install it, and exits 1.
#
# Why here and not only in build.rs: cargo runs ext-php-rs's own build script, which fails first with some 80 lines
# of bindgen/anyhow output and a backtrace, in parallel with ours; a check before cargo is the only place where the
# reason can be said once. `make build` (and so demo, test, deb, install) runs it; build.rs keeps its own check for a
# plain `cargo build`.
#
# Usage: scripts/check-build-deps.sh      Env: PHP_CONFIG (default php-config), PHP (default php), LIBCLANG_PATH, CC
set -uo pipefail
php_config="${PHP_CONFIG:-php-config}"
php_bin="${PHP:-php}"
missing=() packages=() hints=()

if ! api="$("$php_config" --phpapi 2>/dev/null)" || [ -z "$api" ]; then
	missing+=("php-config ($php_config: PHP's development files)")
	packages+=(php8.2-dev)
	hints+=("PHP_CONFIG=/path/to/php-config for another PHP")
elif ! inc="$("$php_config" --include-dir 2>/dev/null)" || [ ! -f "$inc/main/php.h" ]; then
	missing+=("PHP's headers (no main/php.h under ${inc:-the include dir of $php_config})")
	packages+=(php8.2-dev)
fi
if ! "$php_bin" -n -r 'exit(0);' >/dev/null 2>&1; then
	missing+=("the php binary ($php_bin)")
	packages+=(php8.2-cli)
	hints+=("PHP=/path/to/php")
fi

libclang_found() {
	local dirs=() d
	[ -n "${LIBCLANG_PATH:-}" ] && dirs+=("$LIBCLANG_PATH")
	d="$(llvm-config --libdir 2>/dev/null)" && dirs+=("$d")
	dirs+=(/usr/lib/x86_64-linux-gnu /usr/lib/aarch64-linux-gnu /usr/lib64 /usr/lib /usr/local/lib /usr/lib/llvm-*/lib)
	for d in "${dirs[@]}"; do
		[ -d "$d" ] || continue
		compgen -G "$d/libclang*.so*" | grep -qv '/libclang-cpp' && return 0
	done
	return 1
}
if ! libclang_found; then
	missing+=("libclang (bindgen reads PHP's headers with it)")
	packages+=(libclang-dev)
	hints+=("LIBCLANG_PATH=/folder/with/libclang.so for one elsewhere")
fi
cc_bin="${CC:-cc}"
if ! command -v "$cc_bin" >/dev/null 2>&1; then
	missing+=("a C compiler ($cc_bin)")
	packages+=(gcc)
fi

[ "${#missing[@]}" -eq 0 ] && exit 0
join() { local sep="$1" out="" x; shift; for x in "$@"; do out="${out:+$out$sep}$x"; done; printf '%s' "$out"; }
mapfile -t packages < <(printf '%s\n' "${packages[@]}" | awk '!seen[$0]++')
msg="kco_validation cannot be built: $(join '; ' "${missing[@]}") $([ "${#missing[@]}" -gt 1 ] && echo are || echo is) missing."
msg+=" On Debian 12: apt-get install $(join ' ' "${packages[@]}") (make build installs them: scripts/install-deps.sh build)"
[ "${#hints[@]}" -gt 0 ] && msg+=", or set $(join ', or ' "${hints[@]}")"
msg+=". The Rust core alone builds without PHP: cargo build --no-default-features."
printf '%s\n' "$msg" | fold -s -w 118 >&2
exit 1
