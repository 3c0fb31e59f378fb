# Sourced by scripts/install-deps.sh and the test and bench scripts (test-plugin.sh, test-tools.sh, test-deb.sh,
# tests/e2e/stack.sh): what every suite needs before it runs, written once.
#
#   kco_install_missing NAME PKG…   apt-get installs those of the Debian packages PKG… that are not installed
#                                   (NAME prefixes the message; sudo when not root); returns apt-get's status.
#                                   No service starts while it installs, and the services of every package it
#                                   newly installed (dependencies included: nginx, mariadb, php8.2-fpm, apache2
#                                   pulled in by wordpress…) are left disabled at boot: the suites run their own
#                                   private instances and never use the system's (see kco_quiet_services)
#   kco_extension_version EXT       prints the version of the extension at EXT; returns 1 (the reason on stderr)
#                                   when the file is missing or PHP cannot load it

kco_install_missing() {
	local name="$1" need=() p rc=0 before
	shift
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need+=("$p")
	done
	[ "${#need[@]}" -eq 0 ] && return 0
	printf '%s: installing %s\n' "$name" "${need[*]}" >&2
	local sudo=()
	[ "$(id -u)" -eq 0 ] || sudo=(sudo)
	before="$(kco_installed_packages)"
	kco_quiet_services_on
	{ "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq \
		&& "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; } || rc=$?
	kco_quiet_services_off
	kco_disable_new_services "$name" "$before"
	return "$rc"
}

# The installed packages, one name a line, sorted.
kco_installed_packages() {
	dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' | awk '$1 ~ /^.i/ { print $2 }' | sort -u
}

# Debian starts a package's service as the package is installed unless /usr/sbin/policy-rc.d forbids it (exit 101,
# invoke-rc.d(8)). kco_quiet_services_on writes such a file for the time of one apt-get run, when there is none
# (a container's own policy-rc.d is left alone); kco_quiet_services_off removes it. The file carries a mark, so one
# left behind by an interrupted run is recognised and removed by the next.
KCO_POLICY_RC_D=/usr/sbin/policy-rc.d
KCO_POLICY_MARK='# kco-validation: written for one apt-get run by scripts/lib/test-env.sh, then removed'
KCO_POLICY_OURS=0
kco_quiet_services_on() {
	local sudo=()
	[ "$(id -u)" -eq 0 ] || sudo=(sudo)
	KCO_POLICY_OURS=0
	if [ -e "$KCO_POLICY_RC_D" ] && ! grep -qF "$KCO_POLICY_MARK" "$KCO_POLICY_RC_D" 2>/dev/null; then
		return 0
	fi
	printf '#!/bin/sh\n%s\n# No service starts during the install: the tests run their own instances.\nexit 101\n' \
		"$KCO_POLICY_MARK" | "${sudo[@]}" tee "$KCO_POLICY_RC_D" >/dev/null && "${sudo[@]}" chmod 0755 "$KCO_POLICY_RC_D" \
		&& KCO_POLICY_OURS=1
	# Interrupted mid-install: still take it away.
	trap 'kco_quiet_services_off; exit 130' INT TERM
}
kco_quiet_services_off() {
	[ "$KCO_POLICY_OURS" = 1 ] || return 0
	local sudo=()
	[ "$(id -u)" -eq 0 ] || sudo=(sudo)
	"${sudo[@]}" rm -f "$KCO_POLICY_RC_D"
	KCO_POLICY_OURS=0
	trap - INT TERM
}

# Disables at boot the systemd services of the packages installed since BEFORE (a list from kco_installed_packages)
# and stops any that runs anyway (a host whose policy let it start): the test stacks start nginx, MariaDB and
# php-fpm themselves, on loopback, under a temp dir. Usage: kco_disable_new_services NAME BEFORE
kco_disable_new_services() {
	local name="$1" before="$2" pkg file unit units=() sudo=()
	[ "$(id -u)" -eq 0 ] || sudo=(sudo)
	command -v systemctl >/dev/null || return 0
	for pkg in $(comm -13 <(printf '%s\n' "$before") <(kco_installed_packages)); do
		while read -r file; do
			# Aliases (mysql.service -> mariadb.service) are symlinks: the unit they name is handled by its own file.
			[ -f "$file" ] && [ ! -L "$file" ] || continue
			unit="${file##*/}"
			[ "$(systemctl is-enabled "$unit" 2>/dev/null)" = enabled ] && units+=("$unit")
		done < <(dpkg-query -L "$pkg" 2>/dev/null | grep -E '^/(usr/)?lib/systemd/system/[^/@]+\.service$')
	done
	[ "${#units[@]}" -eq 0 ] && return 0
	for unit in "${units[@]}"; do
		"${sudo[@]}" systemctl disable --quiet "$unit" >/dev/null 2>&1 || true
		if [ -d /run/systemd/system ] && systemctl is-active --quiet "$unit" 2>/dev/null; then
			"${sudo[@]}" systemctl stop "$unit" >/dev/null 2>&1 || true
		fi
	done
	printf '%s: not started, and disabled at boot (the tests run their own): %s\n' "$name" "${units[*]%.service}" >&2
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
