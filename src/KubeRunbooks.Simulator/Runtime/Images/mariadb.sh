#!/bin/sh
# The mariadb / mysql image's entrypoint, as the simulated kubelet runs it: MariaDB from Debian's package,
# configured from the env as the official images are (MARIADB_ / MYSQL_ ROOT_PASSWORD, DATABASE, USER,
# PASSWORD, ALLOW_EMPTY_ROOT_PASSWORD). Passwords reach the server on stdin, never in an argument.
# The runtime sets SIM_DATA_DIR, SIM_LISTEN_ADDRESSES, SIM_LISTEN_PORT and SIM_SERVER_USER.
set -eu
datadir="$SIM_DATA_DIR"
if [ "$(id -u)" = 0 ]; then
  mkdir -p "$datadir" /run/mysqld
  chown "$SIM_SERVER_USER:" "$datadir" /run/mysqld
  find "$datadir" \! -user "$SIM_SERVER_USER" -exec chown "$SIM_SERVER_USER:" '{}' +
  exec setpriv --reuid="$SIM_SERVER_USER" --regid="$SIM_SERVER_USER" --init-groups -- "$0" "$@"
fi
mkdir -p /run/mysqld 2>/dev/null || true
# SQL string literal: backslashes and quotes escaped (printf and sed read the value from stdin, not argv).
# The SQL is written with printf '%s': dash's echo would turn \\ into \.
quote() { printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e "s/'/\\\\'/g"; }
if [ ! -d "$datadir/mysql" ]; then
  root_password="${MARIADB_ROOT_PASSWORD:-${MYSQL_ROOT_PASSWORD:-}}"
  allow_empty="${MARIADB_ALLOW_EMPTY_ROOT_PASSWORD:-${MYSQL_ALLOW_EMPTY_PASSWORD:-}}"
  if [ -z "$root_password" ] && [ -z "$allow_empty" ]; then
    echo "error: database is uninitialized and password option is not specified" >&2
    echo "  You need to specify one of MARIADB_ROOT_PASSWORD, MARIADB_ALLOW_EMPTY_ROOT_PASSWORD and MARIADB_RANDOM_ROOT_PASSWORD" >&2
    exit 1
  fi
  mariadb-install-db --datadir="$datadir" --auth-root-authentication-method=normal --skip-test-db > /dev/null
  database="${MARIADB_DATABASE:-${MYSQL_DATABASE:-}}"
  user="${MARIADB_USER:-${MYSQL_USER:-}}"
  password="${MARIADB_PASSWORD:-${MYSQL_PASSWORD:-}}"
  {
    printf '%s\n' "FLUSH PRIVILEGES;"
    printf '%s\n' "SET PASSWORD FOR 'root'@'localhost' = PASSWORD('$(quote "$root_password")');"
    printf '%s\n' "CREATE USER 'root'@'%' IDENTIFIED BY '$(quote "$root_password")';"
    printf '%s\n' "GRANT ALL ON *.* TO 'root'@'%' WITH GRANT OPTION;"
    if [ -n "$database" ]; then printf '%s\n' "CREATE DATABASE IF NOT EXISTS \`$database\`;"; fi
    if [ -n "$user" ]; then
      printf '%s\n' "CREATE USER '$(quote "$user")'@'%' IDENTIFIED BY '$(quote "$password")';"
      if [ -n "$database" ]; then printf '%s\n' "GRANT ALL ON \`$database\`.* TO '$(quote "$user")'@'%';"; fi
    fi
  } | mariadbd --bootstrap --datadir="$datadir" --skip-networking > /dev/null
  echo "MariaDB init process done. Ready for start up."
fi
exec mariadbd --datadir="$datadir" --bind-address="$SIM_LISTEN_ADDRESSES" --port="$SIM_LISTEN_PORT" --socket=/run/mysqld/mysqld.sock "$@"
