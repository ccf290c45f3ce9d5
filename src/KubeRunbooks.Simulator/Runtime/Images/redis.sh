#!/bin/sh
# The redis image's entrypoint, as the simulated kubelet runs it: Redis from Debian's package, its data in
# SIM_DATA_DIR, with the config file the pod mounts (SIM_CONFIG_FILE) when there is one.
# The runtime sets SIM_DATA_DIR, SIM_LISTEN_ADDRESSES, SIM_LISTEN_PORT, SIM_SERVER_USER and SIM_CONFIG_FILE.
set -eu
if [ "$(id -u)" = 0 ]; then
  mkdir -p "$SIM_DATA_DIR"
  find "$SIM_DATA_DIR" \! -user "$SIM_SERVER_USER" -exec chown "$SIM_SERVER_USER:" '{}' +
  exec setpriv --reuid="$SIM_SERVER_USER" --regid="$SIM_SERVER_USER" --init-groups -- "$0" "$@"
fi
cd "$SIM_DATA_DIR"
# shellcheck disable=SC2086
exec redis-server ${SIM_CONFIG_FILE:-} --bind $(echo "$SIM_LISTEN_ADDRESSES" | tr "," " ") --port "$SIM_LISTEN_PORT" --dir "$SIM_DATA_DIR" \
  --daemonize no --protected-mode no "$@"
