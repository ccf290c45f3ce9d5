#!/bin/sh
# The postgres image's entrypoint, as the simulated kubelet runs it: PostgreSQL from Debian's package,
# configured from the env as the official image is (POSTGRES_PASSWORD, POSTGRES_USER, POSTGRES_DB,
# POSTGRES_HOST_AUTH_METHOD, POSTGRES_INITDB_ARGS; the Red Hat image's POSTGRESQL_* names too).
# The runtime sets SIM_DATA_DIR, SIM_LISTEN_ADDRESSES, SIM_LISTEN_PORT and SIM_SERVER_USER.
set -eu
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
export PGDATA="${PGDATA:-$SIM_DATA_DIR}"
if [ "$(id -u)" = 0 ]; then
  # As the official image: prepare the folders as root, then run as the server's user.
  mkdir -p "$PGDATA" /var/run/postgresql
  chown "$SIM_SERVER_USER:" "$PGDATA" /var/run/postgresql
  find "$PGDATA" \! -user "$SIM_SERVER_USER" -exec chown "$SIM_SERVER_USER:" '{}' +
  chmod 700 "$PGDATA"
  exec setpriv --reuid="$SIM_SERVER_USER" --regid="$SIM_SERVER_USER" --init-groups -- "$0" "$@"
fi
mkdir -p /var/run/postgresql 2>/dev/null || true
user="${POSTGRES_USER:-postgres}"
password="${POSTGRES_PASSWORD:-${POSTGRESQL_ADMIN_PASSWORD:-${POSTGRESQL_PASSWORD:-}}}"
auth="${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  if [ -z "$password" ] && [ "$auth" != trust ]; then
    echo "Error: Database is uninitialized and superuser password is not specified." >&2
    echo "       You must specify POSTGRES_PASSWORD to a non-empty value for the superuser," >&2
    echo "       or use POSTGRES_HOST_AUTH_METHOD=trust to allow all connections without a password." >&2
    exit 1
  fi
  pwfile=""
  if [ -n "$password" ]; then
    pwfile=$(mktemp)
    printf '%s\n' "$password" > "$pwfile"
  fi
  # shellcheck disable=SC2086
  "$bin/initdb" -D "$PGDATA" --username="$user" ${pwfile:+--pwfile="$pwfile"} --auth-local=trust --auth-host="$auth" ${POSTGRES_INITDB_ARGS:-}
  [ -z "$pwfile" ] || rm -f "$pwfile"
  printf '\nhost all all all %s\n' "$auth" >> "$PGDATA/pg_hba.conf"
  db="${POSTGRES_DB:-$user}"
  if [ "$db" != postgres ]; then
    printf 'CREATE DATABASE "%s";\n' "$db" | "$bin/postgres" --single -j -D "$PGDATA" postgres > /dev/null
  fi
  # The Red Hat image: POSTGRESQL_USER owns POSTGRESQL_DATABASE (the superuser stays postgres).
  if [ -n "${POSTGRESQL_USER:-}" ]; then
    printf 'CREATE USER "%s" PASSWORD '"'"'%s'"'"';\n' "$POSTGRESQL_USER" "$(printf '%s' "${POSTGRESQL_PASSWORD:-}" | sed "s/'/''/g")" \
      | "$bin/postgres" --single -j -D "$PGDATA" postgres > /dev/null
    printf 'CREATE DATABASE "%s" OWNER "%s";\n' "${POSTGRESQL_DATABASE:-$POSTGRESQL_USER}" "$POSTGRESQL_USER" \
      | "$bin/postgres" --single -j -D "$PGDATA" postgres > /dev/null
  fi
  echo "PostgreSQL init process complete; ready for start up."
fi
exec "$bin/postgres" -D "$PGDATA" -c listen_addresses="$SIM_LISTEN_ADDRESSES" -p "$SIM_LISTEN_PORT" -k /var/run/postgresql "$@"
