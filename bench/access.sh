#!/usr/bin/env bash
# Access-control benchmarks (issue 5), each next to its peer or ceiling in the same run:
#   1. single-record decisions with 10,000 grants and 100 tag rules on one core (bench_access),
#      next to casbin (npm) enforcing the same policy on the same requests (answers compared);
#   2. a 50-row filtered list page over 1,000,000 leads owned by 200 users: as a salesperson
#      (scope self) and a supervisor (department and below) — the access predicate inside the
#      SQL — next to the admin's identical query without a predicate;
#   3. a policy change on instance A → effective on instance B (two servers, one PostgreSQL).
# Usage: bench/access.sh BUILD_DIR [seconds]   (BUILD_DIR has leadflow; bench_access is built)
set -euo pipefail
BUILD=$(readlink -f "$1"); DUR=${2:-10}
BIN="$BUILD/leadflow"
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d /tmp/lf-bench-access-XXXX); chmod 755 "$WORK"
PID_B=
cleanup() {
  [ -n "${SERVER_PID:-}" ] && kill "$SERVER_PID" 2>/dev/null
  [ -n "$PID_B" ] && kill "$PID_B" 2>/dev/null
  "$HERE/../tests/pg.sh" stop "$WORK/pg" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
source "$HERE/lib.sh"
ninja -C "$BUILD" bench_access >/dev/null
(cd "$HERE/casbin" && npm install --no-audit --no-fund --loglevel=error >/dev/null)

echo "# Access-control benchmarks ($(date -u +%F), $(nproc) cores)"
echo
echo "## 1. Single-record decisions: 200 users, 100,000 leads, 10,000 grants, 100 tag rules"
read -r our_rate our_p50 our_p99 our_allowed <<<"$(taskset -c 0 "$BUILD/bench_access" "$WORK" 2000000)"
read -r cb_rate cb_p50 cb_p99 cb_agree <<<"$(taskset -c 0 node "$HERE/casbin/casbin_decide.js" "$WORK/policy.json" "$DUR")"
echo "| engine | decisions/s (one core) | p50 µs | p99 µs |"
echo "|---|---|---|---|"
echo "| casbin 5.51 (node, same policy and requests, peer) | $cb_rate | $cb_p50 | $cb_p99 |"
echo "| LeadFlow AccessPolicy::Decide | $our_rate | $our_p50 | $our_p99 |"
echo
echo "LeadFlow/casbin = $(python3 -c "print(f'{$our_rate/$cb_rate:,.0f}x')"); casbin agreed with LeadFlow on $cb_agree requests."

# --- 2. list pages with the access predicate over 1M leads (SQLite) ---
DB="sqlite:$WORK/bench.db"
echo "$PASS" | "$BIN" init --db "$DB" --tenant Bench --admin-email bench@bench.test >/dev/null
start "$DB"
ADMIN_TOKEN=$(login bench@bench.test)
api() { curl -fs -X "$1" "http://127.0.0.1:$PORT$2" -H "Authorization: Bearer $ADMIN_TOKEN" -H 'content-type: application/json' ${3:+-d "$3"}; }
jget() { python3 -c "import sys,json; print(json.load(sys.stdin)$1)"; }
ROOT=$(api GET /api/v1/departments | jget '["items"][0]["id"]')
EAST=$(api POST /api/v1/departments "{\"name\":\"华东大区\",\"parent_id\":\"$ROOT\"}" | jget '["id"]')
WEST=$(api POST /api/v1/departments "{\"name\":\"华西大区\",\"parent_id\":\"$ROOT\"}" | jget '["id"]')
api POST /api/v1/users "{\"email\":\"sup@bench.test\",\"name\":\"主管\",\"password\":\"$PASS\",\"role\":\"supervisor\",\"department_id\":\"$EAST\"}" >/dev/null
api POST /api/v1/users "{\"email\":\"s0@bench.test\",\"name\":\"销售0\",\"password\":\"$PASS\",\"role\":\"sales\",\"department_id\":\"$EAST\"}" >/dev/null
stop
TENANT=$(sqlite3 "$WORK/bench.db" "SELECT id FROM tenants LIMIT 1")
HASH=$(sqlite3 "$WORK/bench.db" "SELECT password_hash FROM users WHERE email = 's0@bench.test'")
# 199 more salespeople, alternately in the two regions; then 1,000,000 leads spread over the 200.
sqlite3 "$WORK/bench.db" <<SQL
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 199)
INSERT INTO users (tenant_id, id, email, name, password_hash, role, department_id, status, created_at, updated_at)
SELECT '$TENANT', printf('0190ffff-0000-7000-8000-%012d', i), 's' || i || '@bench.test', '销售' || i, '$HASH',
       'sales', CASE i % 2 WHEN 0 THEN '$EAST' ELSE '$WEST' END, 'active', 0, 0 FROM n;
CREATE TEMP TABLE owners AS SELECT row_number() OVER (ORDER BY id) - 1 AS k, id FROM users WHERE role = 'sales';
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000)
INSERT INTO leads (tenant_id, id, name, phone, company, channel, first_touch, color, stage, owner_id,
                   region, tags, created_at, updated_at, created_by, updated_by, version, custom)
SELECT '$TENANT', printf('0190%04x-%04x-7%03x-8%03x-%012x', i % 65536, i / 65536, i % 4096, i % 4096, i),
       '线索' || i, printf('+86139%08d', i), '公司' || (i % 5000),
       CASE i % 7 WHEN 0 THEN 'douyin_form' WHEN 1 THEN 'xiaohongshu_dm' WHEN 2 THEN 'baidu_ads'
                  WHEN 3 THEN 'website' WHEN 4 THEN 'trade_show' WHEN 5 THEN 'zhihu' ELSE 'wechat' END,
       'book_demo', CASE i % 3 WHEN 0 THEN 'red' WHEN 1 THEN 'yellow' ELSE 'green' END, 'lead',
       (SELECT id FROM owners WHERE k = i % 200),
       '华东', '[]', 1700000000000 + i * 1000, 1700000000000 + i * 1000, NULL, NULL, 1, '{}'
FROM n;
UPDATE tenants SET policy_version = policy_version + 1;
SQL
start "$DB"
declare -A tok=([admin]=$ADMIN_TOKEN [sales]=$(login s0@bench.test) [supervisor]=$(login sup@bench.test))
declare -A seen
for who in admin sales supervisor; do
  seen[$who]=$(curl -fs "http://127.0.0.1:$PORT/api/v1/leads?limit=1&with_total=true" -H "Authorization: Bearer ${tok[$who]}" | jget '["total"]')
done
declare -A res
for who in admin sales supervisor; do res[$who]=$(LF_TOKEN=${tok[$who]} run_wrk list_leads.lua); done
stop
echo
echo "## 2. List page of 50 (channel + color filter, newest first) over 1,000,000 leads, SQLite, wrk -t2 -c64 -d${DUR}s"
echo "| who (predicate) | leads visible | req/s | p50 ms | p99 ms | non-2xx |"
echo "|---|---|---|---|---|---|"
for who in admin sales supervisor; do
  read -r rps p50 p99 bad <<<"${res[$who]}"
  case $who in admin) what="admin (no predicate: the ceiling)";; sales) what="salesperson (scope self: owner = me)";;
                     supervisor) what="supervisor (department and below: owner in the region's 100 users)";; esac
  echo "| $what | ${seen[$who]} | $rps | $p50 | $p99 | $bad |"
done

# --- 3. policy change → effective on a second instance (PostgreSQL) ---
"$HERE/../tests/pg.sh" start "$WORK/pg" >/dev/null
PGURL=$(cat "$WORK/pg/url")
psql -qAtX "$PGURL" -c "CREATE DATABASE access" >/dev/null
PGDB="${PGURL%/*}/access"
echo "$PASS" | "$BIN" init --db "$PGDB" --tenant Bench --admin-email bench@bench.test >/dev/null
start "$PGDB"
PORT_A=$PORT
PORT_B=$(free_port)
"$BIN" serve --db "$PGDB" --port "$PORT_B" >"$WORK/server-b.log" 2>&1 &
PID_B=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$PORT_B/livez" >/dev/null && break; sleep 0.1; done
ADMIN_TOKEN=$(login bench@bench.test)
api POST /api/v1/users "{\"email\":\"s1@bench.test\",\"name\":\"销售1\",\"password\":\"$PASS\",\"role\":\"sales\"}" >/dev/null
LEAD=$(api POST /api/v1/leads '{"name":"别人的线索"}' | jget '["id"]')
SALES=$(login s1@bench.test "$PORT_B")
read -r pl_p50 pl_max pl_n <<<"$(python3 "$HERE/policy_latency.py" "http://127.0.0.1:$PORT_A" "http://127.0.0.1:$PORT_B" "$ADMIN_TOKEN" "$SALES" "$LEAD" 10)"
echo
echo "## 3. Policy change on instance A → effective on instance B (two servers, one PostgreSQL)"
echo "| measure | p50 ms | max ms | changes |"
echo "|---|---|---|---|"
echo "| role scope widened/narrowed on A (2xx) → B's next answer reflects it | $pl_p50 | $pl_max | $pl_n |"
