#!/usr/bin/env bash
# Starts or stops a throw-away PostgreSQL cluster for the API tests: initdb into a fresh folder
# under /tmp (reachable by the `postgres` user even when the checkout is in a private home),
# loopback only, a free port, fsync on. As root the cluster runs as `postgres`. Writes STATE/url.
#   tests/pg.sh start STATE | tests/pg.sh stop STATE
set -euo pipefail
cmd=$1 state=$2
bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
stop() {
  if [ -f "$state/pgdir" ]; then
    local dir
    dir=$(cat "$state/pgdir")
    [ -d "$dir/data" ] && as_pg "$bindir/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$dir" "$state/pgdir"
  fi
}
case "$cmd" in
  start)
    mkdir -p "$state"
    stop
    dir=$(mktemp -d /tmp/lf-pg-XXXXXX)
    chmod 755 "$dir"
    if [ "$(id -u)" -eq 0 ]; then chown postgres "$dir"; fi
    echo "$dir" > "$state/pgdir"
    as_pg "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --no-locale >"$dir/initdb.log"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=on -c max_connections=200" start >/dev/null
    echo "postgresql://postgres@127.0.0.1:$port/postgres" > "$state/url"
    echo "PostgreSQL started: $(cat "$state/url")"
    ;;
  stop)
    stop
    echo "PostgreSQL stopped"
    ;;
esac
