#!/usr/bin/env bash
# Starts or stops a throw-away PostgreSQL cluster for the API tests: initdb into DIR, loopback only,
# a free port, fsync on. As root the cluster runs as the `postgres` user. Writes DIR/url.
#   tests/pg.sh start DIR | tests/pg.sh stop DIR
set -euo pipefail
cmd=$1 dir=$2
bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "$cmd" in
  start)
    if [ -f "$dir/data/postmaster.pid" ]; then as_pg "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true; fi
    rm -rf "$dir"; mkdir -p "$dir"
    if [ "$(id -u)" -eq 0 ]; then chown postgres "$dir"; chmod 755 "$dir"; fi
    as_pg "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --no-locale >"$dir/initdb.log"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=on -c max_connections=200" start >/dev/null
    echo "postgresql://postgres@127.0.0.1:$port/postgres" > "$dir/url"
    echo "PostgreSQL started: $(cat "$dir/url")"
    ;;
  stop)
    [ -d "$dir/data" ] && as_pg "$bindir/pg_ctl" -D "$dir/data" -m fast stop >/dev/null || true
    echo "PostgreSQL stopped"
    ;;
esac
