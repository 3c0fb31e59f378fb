#!/usr/bin/env bash
# Installs the Debian packages the project needs, only those missing. Usage: scripts/install-deps.sh build|test|bench
#   build: PHP 8.2 CLI and headers, libclang (ext-php-rs reads PHP's headers with bindgen)
#   test:  build + PHPUnit, MariaDB, WordPress (its hook API), nginx + php-fpm for the HTTP tests
#   bench: test + wrk, valgrind
set -euo pipefail
level=${1:-build}
pkgs=(php8.2-cli php8.2-dev libclang-dev)
if [ "$level" = test ] || [ "$level" = bench ]; then
  pkgs+=(php8.2-mbstring php8.2-xml php8.2-mysql php8.2-fpm phpunit mariadb-server wordpress nginx-light curl)
fi
if [ "$level" = bench ]; then
  pkgs+=(wrk valgrind)
fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing: ${missing[*]}"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# policy-rc.d keeps the packages' services (nginx, mariadb, php-fpm) from starting: the tests start their own.
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
