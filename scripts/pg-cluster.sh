#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests and demos: initdb in a temp dir as the postgres user, a free port, the
# unix socket inside the temp dir, no password (trust, local socket only).
#   scripts/pg-cluster.sh start   prints "DIR CONNECTION_STRING" on stdout
#   scripts/pg-cluster.sh restart DIR   stops and starts the server on the same port and data (a database that goes away and comes back)
#   scripts/pg-cluster.sh pause DIR     stops the server, keeping its data;  scripts/pg-cluster.sh resume DIR  starts it again as it was
#   scripts/pg-cluster.sh stop DIR
# MEDVIS_PG_TMPFS_MB=N (root only) puts the cluster on a tmpfs of N MB, a disk that really fills up (FullDiskTests).
set -euo pipefail

bin_dir() {
  local pg_ctl
  pg_ctl=$(ls -d /usr/lib/postgresql/*/bin/pg_ctl 2>/dev/null | sort -V | tail -1)
  [ -n "$pg_ctl" ] || { echo "pg-cluster: PostgreSQL is not installed (scripts/setup.sh installs it)" >&2; exit 1; }
  dirname "$pg_ctl"
}

# Runs a command as the postgres user when we are root (PostgreSQL refuses to run as root), else as ourselves.
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start() {
  local bin dir port
  bin=$(bin_dir)
  dir=$(mktemp -d /tmp/medvis-pg.XXXXXX)
  if [ -n "${MEDVIS_PG_TMPFS_MB:-}" ]; then
    mount -t tmpfs -o "size=${MEDVIS_PG_TMPFS_MB}m" tmpfs "$dir" || { rmdir "$dir"; echo "pg-cluster: cannot mount a tmpfs (root only)" >&2; exit 1; }
  fi
  chmod 755 "$dir"
  [ "$(id -u)" = 0 ] && chown postgres: "$dir"
  port=$(free_port)
  as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  # Loopback TCP too: workers and Hangfire connect by host name like they would across machines.
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" start >/dev/null \
    || { cat "$dir/server.log" >&2; exit 1; }
  echo "$dir Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
}

stop() {
  local dir=$1 bin pid
  if [ -f "$dir/data/postmaster.pid" ]; then
    bin=$(bin_dir)
    pid=$(head -1 "$dir/data/postmaster.pid")
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || kill "$pid" 2>/dev/null || true
  fi
  if mountpoint -q "$dir"; then umount -l "$dir"; fi
  rm -rf "$dir"
}

restart() {
  local dir=$1 bin
  bin=$(bin_dir)
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -m fast -w -t 60 restart >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
}

pause() {
  local dir=$1 bin
  bin=$(bin_dir)
  as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
}

resume() {
  local dir=$1 bin opts
  bin=$(bin_dir)
  # The server's own options (port, socket folder, settings) as it was started, from the command line it recorded.
  opts=$(sed -E 's/^[^ ]+ "-D" "[^"]+" //' "$dir/data/postmaster.opts")
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o "$opts" start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
}

case "${1:-}" in
  start) start ;;
  restart) restart "${2:?usage: pg-cluster.sh restart DIR}" ;;
  pause) pause "${2:?usage: pg-cluster.sh pause DIR}" ;;
  resume) resume "${2:?usage: pg-cluster.sh resume DIR}" ;;
  stop) stop "${2:?usage: pg-cluster.sh stop DIR}" ;;
  *) echo "usage: scripts/pg-cluster.sh start | restart DIR | pause DIR | resume DIR | stop DIR" >&2; exit 2 ;;
esac
