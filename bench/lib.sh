# Shared helpers of the HTTP benchmarks. Source after setting BIN, DUR, HERE and WORK.
# Provides: PORT, PASS, start DB_URL [PORT], stop, login EMAIL, run_wrk SCRIPT [wrk args] →
# "req/s p50_ms p99_ms non2xx", rss (peak MiB of the running server).
PASS=bench-password-1
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PORT=$(free_port)
SERVER_PID=
start() {  # DB_URL
  "$BIN" serve --db "$1" --port "$PORT" >"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 100); do curl -fs "http://127.0.0.1:$PORT/livez" >/dev/null && return; sleep 0.1; done
  echo "server did not start"; cat "$WORK/server.log"; exit 1
}
stop() { kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=; }
login() {  # EMAIL [PORT]
  curl -fs -X POST "http://127.0.0.1:${2:-$PORT}/api/v1/auth/login" -H 'content-type: application/json' \
    -d "{\"email\":\"$1\",\"password\":\"$PASS\"}" | python3 -c 'import sys,json; print(json.load(sys.stdin)["token"])'
}
run_wrk() {  # SCRIPT [extra wrk args]
  local script=$1; shift
  wrk -t2 -c64 -d"${DUR}s" --latency -s "$HERE/$script" "$@" "http://127.0.0.1:$PORT" >"$WORK/wrk.out" 2>&1
  python3 - "$WORK/wrk.out" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
def lat(p):
    m = re.search(r"^\s+%s%%\s+([\d.]+)(us|ms|s)" % p, t, re.M)
    v, u = float(m.group(1)), m.group(2)
    return v / 1000 if u == "us" else v * 1000 if u == "s" else v
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
bad = re.search(r"Non-2xx or 3xx responses: (\d+)", t)
errs = re.search(r"Socket errors: (.*)", t)
print(f"{rps:.0f} {lat(50):.2f} {lat(99):.2f} {bad.group(1) if bad else 0}{' ' + errs.group(1).replace(' ', '') if errs else ''}")
PY
}
rss() { awk '/VmHWM/ {printf "%.0f", $2/1024}' "/proc/$SERVER_PID/status"; }
