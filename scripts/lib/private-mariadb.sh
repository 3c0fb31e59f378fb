# Sourced by the test and bench scripts: a private MariaDB for one run (own datadir and socket in a temp folder, no
# network), so tests never touch a system database and work as root in CI.
#
#   kco_db_start DIR [mariadbd options…]   installs and starts it in DIR, creates database kco_test and user kco,
#                                          sets DB_PID and exports KCO_DB_SOCKET, KCO_DB_NAME, KCO_DB_USER,
#                                          KCO_DB_PASSWORD; returns 1 (the server's log on stderr) when it cannot
#   kco_db_stop                            stops it (TERM, then KILL after 10 s)

DB_PID=""

kco_db_start() {
	local dir="$1" datadir="$1/data" sock="$1/mysqld.sock" mysqld user attempt installed=0
	shift
	mysqld="$(command -v mariadbd || echo /usr/sbin/mariadbd)"
	user="$(id -un)"
	# No native AIO: several MariaDB instances on one machine (CI, parallel suites) can exhaust the kernel's AIO
	# contexts. The rest trades durability, which a test database does not need, for speed.
	local opts=(--innodb-use-native-aio=0 --innodb-buffer-pool-size=32M --innodb-flush-log-at-trx-commit=0
		--innodb-doublewrite=0 --innodb-flush-method=nosync --character-set-server=utf8mb4
		--collation-server=utf8mb4_unicode_520_ci "$@")
	# mariadb-install-db has been seen to fail once while another instance was starting: retry.
	for attempt in 1 2 3; do
		rm -rf "$datadir" && mkdir -p "$datadir"
		if mariadb-install-db --no-defaults --datadir="$datadir" --user="$user" --auth-root-authentication-method=normal \
			--skip-test-db "${opts[@]}" >"$dir/mysql-install.log" 2>&1; then
			installed=1
			break
		fi
		sleep 1
	done
	if [ "$installed" -ne 1 ]; then
		cat "$dir/mysql-install.log" >&2
		echo "private-mariadb: mariadb-install-db failed 3 times" >&2
		return 1
	fi
	"$mysqld" --no-defaults --datadir="$datadir" --socket="$sock" --skip-networking --user="$user" \
		--pid-file="$dir/mysqld.pid" --log-error="$dir/mysqld.err" "${opts[@]}" >"$dir/mysqld.out" 2>&1 &
	DB_PID=$!
	for _ in $(seq 1 150); do
		[ -S "$sock" ] && mariadb --no-defaults -uroot --socket="$sock" -e 'SELECT 1' >/dev/null 2>&1 && break
		kill -0 "$DB_PID" 2>/dev/null || { cat "$dir/mysqld.err" >&2; echo "private-mariadb: mariadbd exited" >&2; return 1; }
		sleep 0.2
	done
	[ -S "$sock" ] || { echo "private-mariadb: mariadbd did not come up in 30 s" >&2; return 1; }
	mariadb --no-defaults -uroot --socket="$sock" -e "CREATE DATABASE kco_test; \
		CREATE USER 'kco'@'localhost' IDENTIFIED BY 'kco'; GRANT ALL ON kco_test.* TO 'kco'@'localhost';" || return 1
	export KCO_DB_SOCKET="$sock" KCO_DB_NAME=kco_test KCO_DB_USER=kco KCO_DB_PASSWORD=kco
}

kco_db_stop() {
	if [ -n "$DB_PID" ] && kill -0 "$DB_PID" 2>/dev/null; then
		kill "$DB_PID" 2>/dev/null || true
		for _ in $(seq 1 100); do kill -0 "$DB_PID" 2>/dev/null || break; sleep 0.1; done
		kill -9 "$DB_PID" 2>/dev/null || true
	fi
	DB_PID=""
}
