#!/usr/bin/env bash
# Installs the Debian packages the project needs, only those missing. Usage: scripts/install-deps.sh build|test|bench
#   build: PHP 8.2 CLI and headers, libclang (ext-php-rs reads PHP's headers with bindgen), gcc (its C wrapper)
#   test:  build + what every suite of `make test` installs (README, "What `make test` installs"):
#          PHPUnit, MariaDB, WordPress (its hook API), nginx + php-fpm for the HTTP tests, curl; chromium and openssl
#          for the tools' suite (the log screen is rendered headless; the doctor's TLS probe); zip, unzip and gettext
#          for `make dist`; debhelper, dpkg-dev and lintian for `make deb`
#   bench: test + wrk, valgrind
# Each suite also installs what it needs when run alone (scripts/lib/test-env.sh, kco_install_missing), the same way.
#
# No service starts while the packages install (a policy-rc.d is in place for the time of the apt-get run, when the
# machine has none of its own), and the services of every package installed here (nginx, mariadb, php8.2-fpm, and
# apache2, which the wordpress package pulls in) are left disabled at boot: the tests start private instances of
# their own (loopback, temp dirs) and stop them. `systemctl enable --now NAME` if you want the system's.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib/test-env.sh
. "$ROOT/scripts/lib/test-env.sh"
level=${1:-build}
pkgs=(php8.2-cli php8.2-dev libclang-dev gcc)
if [ "$level" = test ] || [ "$level" = bench ]; then
  pkgs+=(php8.2-mbstring php8.2-xml php8.2-mysql php8.2-fpm phpunit mariadb-server wordpress nginx-light curl
    chromium openssl zip unzip gettext debhelper dpkg-dev lintian)
fi
if [ "$level" = bench ]; then
  pkgs+=(wrk valgrind)
fi
kco_install_missing install-deps "${pkgs[@]}"
