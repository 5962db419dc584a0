#!/usr/bin/env bash
# Runs the browser journeys: a fresh demo database, a real `leadflow serve` with the built UI, then
# `node --test` driving Debian's chromium. Usage: tests/e2e/run.sh BUILD/leadflow [FILE.test.mjs…]
# (all journeys by default; name files, relative to tests/e2e, to run just those)
set -euo pipefail
BIN=$(readlink -f "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
[ -f "$ROOT/web/dist/index.html" ] || { echo "web/dist is not built (make build)"; exit 1; }
stamp="$HERE/node_modules/.lf-lock-stamp"
if [ ! -f "$stamp" ] || ! cmp -s "$HERE/package-lock.json" "$stamp"; then
  (cd "$HERE" && npm install --no-audit --no-fund --loglevel=error)
  cp "$HERE/package-lock.json" "$stamp"
fi
WORK=$(mktemp -d /tmp/lf-e2e-XXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$BIN" demo --db "sqlite:$WORK/e2e.db" --leads 300 >/dev/null
"$BIN" serve --db "sqlite:$WORK/e2e.db" --port "$PORT" --web "$ROOT/web/dist" >"$WORK/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$PORT/livez" >/dev/null && break; sleep 0.1; done
mkdir -p "$HERE/artifacts"
cd "$HERE"
LEADFLOW_URL="http://127.0.0.1:$PORT" node --test --test-concurrency=1 "${@:2}"
