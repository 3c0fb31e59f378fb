# Sourced by the test and bench scripts (test-plugin.sh, test-tools.sh, tests/e2e/stack.sh): what every suite needs
# before it runs, written once.
#
#   kco_install_missing NAME PKG…   apt-get installs those of the Debian packages PKG… that are not installed
#                                   (NAME prefixes the message); returns apt-get's status
#   kco_extension_version EXT       prints the version of the extension at EXT; returns 1 (the reason on stderr)
#                                   when the file is missing or PHP cannot load it

kco_install_missing() {
	local name="$1" need=() p
	shift
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need+=("$p")
	done
	[ "${#need[@]}" -eq 0 ] && return 0
	printf '%s: installing %s\n' "$name" "${need[*]}" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
}

kco_extension_version() {
	local ext="$1" ver
	if [ ! -f "$ext" ]; then
		echo "extension not found at $ext (run: cargo build --release)" >&2
		return 1
	fi
	if ! ver="$(php -n -d "extension=$ext" -r 'echo \KcoValidation\version();' 2>&1)"; then
		echo "extension $ext does not load: $ver" >&2
		return 1
	fi
	printf '%s\n' "$ver"
}
