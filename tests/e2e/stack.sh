# shellcheck shell=bash
# The end-to-end HTTP stack, sourced by scripts/test-e2e.sh, scripts/bench-http.sh and scripts/load-test.sh:
# a private MariaDB (own datadir and socket, no TCP), php-fpm 8.2 (own config, socket, logs; the built extension
# loaded with -d) and nginx (nginx-light, own config, listening on 127.0.0.1 only, a free port), all under one temp
# dir, all stopped by stack_stop (installed as an EXIT trap by stack_start). Nothing under /etc is written and no
# system service is touched.
#
# After stack_start these are exported:
#   E2E_TMP E2E_URL E2E_PORT E2E_LOG_DIR E2E_PHP_ERROR_LOG E2E_FPM_LOG E2E_NGINX_ERROR_LOG FPM_PID NGINX_PID DB_PID
#   KCO_DB_SOCKET KCO_DB_NAME KCO_DB_USER KCO_DB_PASSWORD KCO_EXT KCO_FIXTURES
# Env read: KCO_EXT (default target/release/libkco_validation.so), KCO_FIXTURES, FPM_CHILDREN (default 4),
#           E2E_ACCESS_LOG (1: nginx access log on; default 1), E2E_KEEP (1: keep the temp dir),
#           KCO_PLUGIN_DIR (the plugin folder the shop loads; default php/ of the repository; scripts/test-dist.sh
#           gives the plugin zip unpacked into a plugins folder).

E2E_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
E2E_NAME="${E2E_NAME:-e2e}"

e2e_say() { printf '%s: %s\n' "$E2E_NAME" "$*" >&2; }
e2e_die() { e2e_say "FATAL: $*"; exit 2; }

# --- packages --------------------------------------------------------------------------------------------------
# shellcheck source=../../scripts/lib/test-env.sh
. "$E2E_ROOT/scripts/lib/test-env.sh"

# Usage: stack_install_deps [extra apt packages…]
stack_install_deps() {
	kco_install_missing "$E2E_NAME" nginx-light php8.2-fpm mariadb-server php8.2-mysql php8.2-cli curl wordpress phpunit "$@"
	[ -x /usr/sbin/php-fpm8.2 ] || e2e_die "php-fpm8.2 not found after install"
	[ -x /usr/sbin/nginx ] || e2e_die "nginx not found after install"
}

# --- the extension (built elsewhere: cargo build --release) -----------------------------------------------------
stack_check_extension() {
	KCO_EXT="${KCO_EXT:-$E2E_ROOT/target/release/libkco_validation.so}"
	local ver
	ver="$(kco_extension_version "$KCO_EXT")" || e2e_die "see above"
	local mods
	mods="$(/usr/sbin/php-fpm8.2 -n -d "extension=$KCO_EXT" -m 2>&1 || true)"
	if ! grep -qx 'kco_validation' <<<"$mods"; then
		e2e_die "extension $KCO_EXT does not load into php-fpm8.2"
	fi
	e2e_say "extension $ver loaded from $KCO_EXT"
	export KCO_EXT
	if [ -z "${KCO_FIXTURES:-}" ]; then
		if [ -d "$E2E_ROOT/tests/fixtures/klarna" ]; then
			KCO_FIXTURES="$E2E_ROOT/tests/fixtures/klarna"
		else
			KCO_FIXTURES="$E2E_ROOT/../shared/fixtures/klarna"
		fi
	fi
	[ -d "$KCO_FIXTURES" ] || e2e_die "Klarna fixtures not found at $KCO_FIXTURES"
	export KCO_FIXTURES
	KCO_PLUGIN_DIR="$(cd "${KCO_PLUGIN_DIR:-$E2E_ROOT/php}" 2>/dev/null && pwd -P)" \
		|| e2e_die "KCO_PLUGIN_DIR: no such folder: ${KCO_PLUGIN_DIR:-}"
	[ -f "$KCO_PLUGIN_DIR/kco-validation.php" ] || e2e_die "no kco-validation.php in $KCO_PLUGIN_DIR"
	export KCO_PLUGIN_DIR
	e2e_say "plugin loaded from $KCO_PLUGIN_DIR"
}

stack_free_port() {
	php -r '$s = stream_socket_server("tcp://127.0.0.1:0", $e, $m) or exit(1); $n = stream_socket_get_name($s, false); echo substr($n, strrpos($n, ":") + 1);'
}

# --- lifecycle ---------------------------------------------------------------------------------------------------
# shellcheck source=../../scripts/lib/private-mariadb.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/scripts/lib/private-mariadb.sh"
DB_PID="" FPM_PID="" NGINX_PID=""

stack_stop_pid() { # pid name
	local pid="$1" i
	[ -n "$pid" ] || return 0
	kill -0 "$pid" 2>/dev/null || return 0
	kill -TERM "$pid" 2>/dev/null || true
	for i in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
	e2e_say "$2 ($pid) did not stop on TERM; killing it"
	kill -KILL "$pid" 2>/dev/null || true
}

stack_stop() {
	local rc=$?
	stack_stop_pid "$NGINX_PID" nginx
	stack_stop_pid "$FPM_PID" php-fpm
	stack_stop_pid "$DB_PID" mariadbd
	NGINX_PID="" FPM_PID="" DB_PID=""
	if [ -n "${E2E_TMP:-}" ] && [ -d "$E2E_TMP" ]; then
		if [ "${E2E_KEEP:-0}" = 1 ]; then e2e_say "kept $E2E_TMP"; else rm -rf "$E2E_TMP"; fi
	fi
	return "$rc"
}

stack_start_db() {
	mkdir -p "$E2E_TMP/db"
	kco_db_start "$E2E_TMP/db" --max-connections=200 || e2e_die "MariaDB did not start"
	e2e_say "MariaDB up at $KCO_DB_SOCKET (pid $DB_PID)"
}

stack_start_fpm() {
	local children="${FPM_CHILDREN:-4}" userlines="" flags=() i
	if [ "$(id -u)" = 0 ]; then
		userlines=$'user = root\ngroup = root'
		flags+=(-R)
	fi
	# php.ini of our own (-c), Debian's conf.d still scanned for the packaged extensions (mysqli, mbstring, opcache).
	cat >"$E2E_TMP/php.ini" <<-EOF
		error_reporting = E_ALL
		display_errors = Off
		display_startup_errors = Off
		log_errors = On
		html_errors = Off
		error_log = $E2E_PHP_ERROR_LOG
		memory_limit = 256M
		max_execution_time = 30
		; Bodies up to 64 MB reach the plugin (nginx client_max_body_size matches): its own cap answers 400. With
		; PHP's default 8M a bigger body would raise a core "POST Content-Length exceeds" warning before any plugin code.
		post_max_size = 64M
		upload_max_filesize = 2M
		expose_php = Off
		date.timezone = UTC
		opcache.enable = 1
		opcache.validate_timestamps = 1
		opcache.revalidate_freq = 0
	EOF
	cat >"$E2E_TMP/php-fpm.conf" <<-EOF
		[global]
		pid = $E2E_TMP/php-fpm.pid
		error_log = $E2E_FPM_LOG
		log_level = notice
		daemonize = no

		[e2e]
		$userlines
		listen = $E2E_TMP/php-fpm.sock
		listen.mode = 0666
		listen.backlog = 511
		pm = static
		pm.max_children = $children
		; 0: workers are never recycled, so a changed worker pid means a worker died.
		pm.max_requests = 0
		catch_workers_output = yes
		decorate_workers_output = yes
		request_terminate_timeout = 60s
		clear_env = yes
		env[KCO_DB_SOCKET] = $KCO_DB_SOCKET
		env[KCO_DB_NAME] = $KCO_DB_NAME
		env[KCO_DB_USER] = $KCO_DB_USER
		env[KCO_DB_PASSWORD] = $KCO_DB_PASSWORD
		env[KCO_E2E_LOG_DIR] = $E2E_LOG_DIR
		env[KCO_E2E_ROOT] = $E2E_ROOT
		env[KCO_PLUGIN_DIR] = $KCO_PLUGIN_DIR
		php_admin_value[extension] = $KCO_EXT
		php_admin_value[error_reporting] = 32767
		php_admin_flag[display_errors] = off
		php_admin_flag[log_errors] = on
		php_admin_value[error_log] = $E2E_PHP_ERROR_LOG
	EOF
	/usr/sbin/php-fpm8.2 -c "$E2E_TMP/php.ini" -y "$E2E_TMP/php-fpm.conf" -F "${flags[@]}" \
		>"$E2E_TMP/php-fpm.out" 2>&1 &
	FPM_PID=$!
	for i in $(seq 1 100); do
		[ -S "$E2E_TMP/php-fpm.sock" ] && break
		kill -0 "$FPM_PID" 2>/dev/null || { cat "$E2E_TMP/php-fpm.out" "$E2E_FPM_LOG" >&2 2>/dev/null; e2e_die "php-fpm exited"; }
		sleep 0.1
	done
	[ -S "$E2E_TMP/php-fpm.sock" ] || e2e_die "php-fpm did not come up"
	e2e_say "php-fpm up (master $FPM_PID, $children workers)"
}

# The start of nginx.conf every stack writes (its temp paths and logs under E2E_TMP), up to inside `http {`.
stack_nginx_preamble() { # worker-connections
	local user="" access="off"
	[ "$(id -u)" = 0 ] && user="user root root;"
	[ "${E2E_ACCESS_LOG:-1}" = 1 ] && access="$E2E_TMP/nginx-access.log"
	mkdir -p "$E2E_TMP/nginx"
	cat <<-EOF
		$user
		worker_processes 1;
		daemon off;
		pid $E2E_TMP/nginx.pid;
		error_log $E2E_NGINX_ERROR_LOG warn;
		events { worker_connections $1; }
		http {
		    access_log $access;
		    client_body_temp_path $E2E_TMP/nginx/body;
		    fastcgi_temp_path $E2E_TMP/nginx/fastcgi;
		    proxy_temp_path $E2E_TMP/nginx/proxy;
		    scgi_temp_path $E2E_TMP/nginx/scgi;
		    uwsgi_temp_path $E2E_TMP/nginx/uwsgi;
	EOF
}

stack_start_nginx() {
	{
		stack_nginx_preamble 512
		cat <<-EOF
		    client_max_body_size 64m;
		    client_body_buffer_size 1m;
		    keepalive_requests 1000000;
		    server_tokens off;
		    server {
		        listen 127.0.0.1:$E2E_PORT;
		        server_name 127.0.0.1;
		        root $E2E_ROOT/tests/e2e/web;
		        # Every path goes to the front controller, as WordPress's "try_files \$uri \$uri/ /index.php?\$args".
		        location / {
		            fastcgi_pass unix:$E2E_TMP/php-fpm.sock;
		            fastcgi_param SCRIPT_FILENAME \$document_root/index.php;
		            fastcgi_param SCRIPT_NAME /index.php;
		            fastcgi_param QUERY_STRING \$query_string;
		            fastcgi_param REQUEST_METHOD \$request_method;
		            fastcgi_param CONTENT_TYPE \$content_type;
		            fastcgi_param CONTENT_LENGTH \$content_length;
		            fastcgi_param REQUEST_URI \$request_uri;
		            fastcgi_param DOCUMENT_URI \$document_uri;
		            fastcgi_param DOCUMENT_ROOT \$document_root;
		            fastcgi_param SERVER_PROTOCOL \$server_protocol;
		            fastcgi_param REQUEST_SCHEME \$scheme;
		            fastcgi_param GATEWAY_INTERFACE CGI/1.1;
		            fastcgi_param SERVER_SOFTWARE nginx;
		            fastcgi_param REMOTE_ADDR \$remote_addr;
		            fastcgi_param REMOTE_PORT \$remote_port;
		            fastcgi_param SERVER_ADDR \$server_addr;
		            fastcgi_param SERVER_PORT \$server_port;
		            fastcgi_param SERVER_NAME \$server_name;
		            fastcgi_param HTTP_PROXY "";
		        }
		    }
		}
	EOF
	} >"$E2E_TMP/nginx.conf"
	stack_run_nginx
}

# Starts nginx on $E2E_TMP/nginx.conf and waits until it answers on E2E_PORT.
stack_run_nginx() {
	/usr/sbin/nginx -e "$E2E_NGINX_ERROR_LOG" -p "$E2E_TMP/nginx" -c "$E2E_TMP/nginx.conf" >"$E2E_TMP/nginx.out" 2>&1 &
	NGINX_PID=$!
	for _ in $(seq 1 100); do
		php -r '$s = @fsockopen("127.0.0.1", (int) $argv[1], $e, $m, 0.2); exit($s ? 0 : 1);' "$E2E_PORT" && break
		kill -0 "$NGINX_PID" 2>/dev/null || { cat "$E2E_TMP/nginx.out" "$E2E_NGINX_ERROR_LOG" >&2 2>/dev/null; e2e_die "nginx exited"; }
		sleep 0.1
	done
	e2e_say "nginx up at $E2E_URL (master $NGINX_PID)"
}

# The run's temp dir, its logs and a free port (E2E_TMP, E2E_LOG_DIR, E2E_*_LOG, E2E_PORT, E2E_URL, exported), and
# the EXIT trap calling $1 (stack_stop, or a caller's own that ends with it).
stack_make_tmp() { # stop-function
	E2E_TMP="$(mktemp -d "${TMPDIR:-/tmp}/kco-$E2E_NAME.XXXXXX")"
	chmod 0755 "$E2E_TMP"
	# shellcheck disable=SC2064 # the function's name, now.
	trap "$1" EXIT
	trap 'exit 130' INT TERM
	E2E_LOG_DIR="$E2E_TMP/wc-logs"
	E2E_PHP_ERROR_LOG="$E2E_TMP/php-error.log"
	E2E_FPM_LOG="$E2E_TMP/php-fpm.log"
	E2E_NGINX_ERROR_LOG="$E2E_TMP/nginx-error.log"
	mkdir -p "$E2E_LOG_DIR"
	: >"$E2E_PHP_ERROR_LOG"
	chmod 0666 "$E2E_PHP_ERROR_LOG"
	chmod 0777 "$E2E_LOG_DIR"
	E2E_PORT="$(stack_free_port)" || e2e_die "no free port"
	E2E_URL="http://127.0.0.1:$E2E_PORT"
	export E2E_TMP E2E_URL E2E_PORT E2E_LOG_DIR E2E_PHP_ERROR_LOG E2E_FPM_LOG E2E_NGINX_ERROR_LOG
}

# Starts everything and installs the EXIT trap. Call stack_check_extension first.
stack_start() {
	stack_make_tmp stack_stop
	stack_start_db
	stack_start_fpm
	stack_start_nginx
}

# PHP CLI with the extension (the test and seed processes share the PHPUnit bootstrap, which requires it).
stack_php() {
	php -d "extension=$KCO_EXT" -d error_reporting=-1 -d display_errors=1 -d memory_limit=512M "$@"
}

# The fpm worker pids (children of the master), one per line, sorted.
stack_fpm_workers() {
	pgrep -P "$FPM_PID" | sort -n
}

# Problems in the server logs: PHP errors, fpm worker deaths or stderr output, nginx errors. Prints them; 0 = none.
stack_log_problems() {
	local bad=0
	if [ -s "$E2E_PHP_ERROR_LOG" ]; then
		e2e_say "PHP error log is not empty:"; head -n 40 "$E2E_PHP_ERROR_LOG" >&2; bad=1
	fi
	if grep -E 'exited on signal|exited with code|said into std|WARNING|ERROR' "$E2E_FPM_LOG" >/dev/null 2>&1; then
		e2e_say "php-fpm log reports problems:"; grep -E 'exited on signal|exited with code|said into std|WARNING|ERROR' "$E2E_FPM_LOG" | head -n 40 >&2; bad=1
	fi
	if grep -E '\[(error|crit|alert|emerg)\]' "$E2E_NGINX_ERROR_LOG" >/dev/null 2>&1; then
		e2e_say "nginx error log reports problems:"; grep -E '\[(error|crit|alert|emerg)\]' "$E2E_NGINX_ERROR_LOG" | head -n 40 >&2; bad=1
	fi
	return "$bad"
}
