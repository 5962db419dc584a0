#!/usr/bin/env bash
# Intake benchmark (issue 3): POST /api/v1/intake/{source} (key check, E.164, dedup, assignment
# rule, events, durable 2xx) next to the plain create-lead of the foundation, same server, same
# run. Usage: bench/intake.sh BUILD/leadflow [seconds]
set -euo pipefail
BIN=$(readlink -f "$1"); DUR=${2:-10}
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d /tmp/lf-bench-intake-XXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
PID=
trap '[ -n "$PID" ] && kill $PID 2>/dev/null; rm -rf "$WORK"' EXIT
echo bench-password-1 | "$BIN" init --db "sqlite:$WORK/b.db" --tenant Bench --admin-email bench@bench.test >/dev/null
"$BIN" serve --db "sqlite:$WORK/b.db" --port "$PORT" >"$WORK/server.log" 2>&1 &
PID=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$PORT/livez" >/dev/null && break; sleep 0.1; done
api() { curl -fs -X "$1" "http://127.0.0.1:$PORT$2" -H "Authorization: Bearer $LF_TOKEN" -H 'content-type: application/json' ${3:+-d "$3"}; }
export LF_TOKEN=$(curl -fs -X POST "http://127.0.0.1:$PORT/api/v1/auth/login" -H 'content-type: application/json' \
  -d '{"email":"bench@bench.test","password":"bench-password-1"}' | python3 -c 'import sys,json; print(json.load(sys.stdin)["token"])')
ADMIN=$(api GET /api/v1/me | python3 -c 'import sys,json; print(json.load(sys.stdin)["user"]["id"])')
api POST /api/v1/assignment-rules "{\"name\":\"all\",\"strategy\":\"round_robin\",\"members\":[{\"user_id\":\"$ADMIN\"}]}" >/dev/null
SRC=$(api POST /api/v1/intake-sources '{"name":"百度","channel":"baidu_ads","first_touch":"quote_form"}')
export LF_SOURCE=$(echo "$SRC" | python3 -c 'import sys,json; print(json.load(sys.stdin)["id"])')
export LF_KEY=$(echo "$SRC" | python3 -c 'import sys,json; print(json.load(sys.stdin)["key"])')
# Server CPU time (user + system, clock ticks) — steadier than req/s on a shared machine.
cpu() { awk '{print $14 + $15}' "/proc/$PID/stat"; }
# Prints: req/s p50 p99 non-2xx server-CPU-µs-per-request
run() {
  local c0 c1 out
  c0=$(cpu)
  out=$(wrk -t2 -c64 -d"${DUR}s" --latency -s "$HERE/$1" "http://127.0.0.1:$PORT")
  c1=$(cpu)
  echo "$out" | python3 -c '
import re, sys
t = sys.stdin.read()
def lat(p):
    m = re.search(r"^\s+%s%%\s+([\d.]+)(us|ms|s)" % p, t, re.M)
    v, u = float(m.group(1)), m.group(2)
    return v / 1000 if u == "us" else v * 1000 if u == "s" else v
bad = re.search(r"Non-2xx or 3xx responses: (\d+)", t)
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
n = int(re.search(r"(\d+) requests in", t).group(1))
ticks = float(sys.argv[2]) - float(sys.argv[1])
print("%.0f %.2f %.2f %s %.0f" % (rps, lat(50), lat(99), bad.group(1) if bad else 0, ticks * 1e6 / float(sys.argv[3]) / n))' "$c0" "$c1" "$(getconf CLK_TCK)"
}
read -r c_rps c_p50 c_p99 c_bad c_cpu <<<"$(run create_lead.lua)"
read -r i_rps i_p50 i_p99 i_bad i_cpu <<<"$(run intake.lua)"
echo "| what | req/s | p50 ms | p99 ms | non-2xx | server CPU µs/request |"
echo "|---|---|---|---|---|---|"
echo "| POST /api/v1/leads (foundation create, same run) | $c_rps | $c_p50 | $c_p99 | $c_bad | $c_cpu |"
echo "| POST /api/v1/intake/{source} (key, dedup, assignment rule) | $i_rps | $i_p50 | $i_p99 | $i_bad | $i_cpu |"
echo "intake/create = $(python3 -c "print(f'{$i_rps/$c_rps:.2f}x')"); peak RSS $(awk '/VmHWM/ {printf "%.0f", $2/1024}' /proc/$PID/status) MiB"
