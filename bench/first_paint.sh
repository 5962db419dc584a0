#!/usr/bin/env bash
# First meaningful paint of the lead pool with 100,000 leads (issue 6), in headless chromium, next
# to the same page on a database with 300 leads (the in-run reference), and the gzipped size of
# the initial JS (the entry chunk and what index.html preloads).
# Usage: bench/first_paint.sh BUILD/leadflow [runs]   (needs web/dist and tests/e2e/node_modules)
set -euo pipefail
BIN=$(readlink -f "$1"); RUNS=${2:-7}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
WORK=$(mktemp -d /tmp/lf-bench-paint-XXXX)
PID=
trap '[ -n "$PID" ] && kill $PID 2>/dev/null; rm -rf "$WORK"' EXIT
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
measure() {  # LEADS
  "$BIN" demo --db "sqlite:$WORK/d$1.db" --leads "$1" >/dev/null
  "$BIN" serve --db "sqlite:$WORK/d$1.db" --port "$PORT" --web "$ROOT/web/dist" >"$WORK/server.log" 2>&1 &
  PID=$!
  for _ in $(seq 100); do curl -fs "http://127.0.0.1:$PORT/livez" >/dev/null && break; sleep 0.1; done
  LEADFLOW_URL="http://127.0.0.1:$PORT" node "$HERE/first_paint.mjs" "$RUNS"
  kill $PID; wait $PID 2>/dev/null || true; PID=
}
read -r small_med small_max small_fcp _ <<<"$(measure 300)"
read -r big_med big_max big_fcp _ <<<"$(measure 100000)"
initial=$(python3 - "$ROOT/web/dist" <<'PY'
import gzip, os, re, sys
dist = sys.argv[1]
html = open(os.path.join(dist, "index.html")).read()
files = set(re.findall(r'(?:src|href)="/?(assets/[^"]+\.js)"', html))
print(sum(len(gzip.compress(open(os.path.join(dist, f), "rb").read(), 9)) for f in files) // 1024)
PY
)
echo "# First meaningful paint of /leads (headless chromium, $RUNS cold loads each, $(date -u +%F))"
echo "| database | first lead row painted, median ms | worst ms | first contentful paint, median ms |"
echo "|---|---|---|---|"
echo "| 300 leads (reference, same run) | $small_med | $small_max | $small_fcp |"
echo "| 100,000 leads | $big_med | $big_max | $big_fcp |"
echo
echo "initial JS (entry + preloaded chunks, gzip -9): ${initial} KiB"
