#!/usr/bin/env bash
# Benchmarks of the foundation (issue 2), each next to its in-run ceiling:
#   1. create-lead over HTTP (12-field JSON, auth, validation, event append, durable 2xx) under
#      wrk -c64, next to GET /livez (same HTTP stack, no work) measured in the same run;
#   2. get-by-id and a filtered 50-row list page on 1,000,000 leads (SQLite);
#   3. the same create benchmark on PostgreSQL (fsync on), next to pgbench's single-row insert tps.
# Usage: bench/create_lead.sh BUILD/leadflow [seconds]   (figures go in docs/BENCHMARKS.md)
set -euo pipefail
BIN=$(readlink -f "$1"); DUR=${2:-10}
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d /tmp/lf-bench-XXXX); chmod 755 "$WORK"
cleanup() { [ -n "${SERVER_PID:-}" ] && kill "$SERVER_PID" 2>/dev/null; "$HERE/../tests/pg.sh" stop "$WORK/pg" >/dev/null 2>&1 || true; rm -rf "$WORK"; }
trap cleanup EXIT
source "$HERE/lib.sh"

echo "# LeadFlow benchmarks ($(date -u +%F), $(nproc) cores, wrk -t2 -c64 -d${DUR}s)"

# --- 1. create-lead on SQLite ---
DB="sqlite:$WORK/bench.db"
echo "$PASS" | "$BIN" init --db "$DB" --tenant Bench --admin-email bench@bench.test >/dev/null
start "$DB"
export LF_TOKEN=$(login bench@bench.test)
read -r c_rps c_p50 c_p99 c_bad <<<"$(run_wrk ceiling.lua)"
read -r w_rps w_p50 w_p99 w_bad <<<"$(run_wrk create_lead.lua)"
sqlite_rss=$(rss)
count=$(curl -fs "http://127.0.0.1:$PORT/api/v1/leads?limit=1&with_total=true" -H "Authorization: Bearer $LF_TOKEN" | python3 -c 'import sys,json; print(json.load(sys.stdin)["total"])')
batches=$(curl -fs "http://127.0.0.1:$PORT/metrics" | awk '/^leadflow_db_transactions_total/ {t=$2} /^leadflow_db_writes_total/ {w=$2} END {printf "%.1f", w/t}')
stop
echo
echo "## Create lead over HTTP, SQLite (durable 2xx: WAL fdatasync before the answer)"
echo "| what | req/s | p50 ms | p99 ms | non-2xx |"
echo "|---|---|---|---|---|"
echo "| GET /livez (ceiling, same run) | $c_rps | $c_p50 | $c_p99 | $c_bad |"
echo "| POST /api/v1/leads | $w_rps | $w_p50 | $w_p99 | $w_bad |"
echo
echo "create/ceiling = $(python3 -c "print(f'{$w_rps/$c_rps*100:.1f}%')"); leads stored: $count; writes per commit (group commit): $batches; server peak RSS: ${sqlite_rss} MiB"

# --- 2. reads on 1,000,000 leads (SQLite) ---
TENANT=$(sqlite3 "$WORK/bench.db" "SELECT id FROM tenants LIMIT 1")
OWNER=$(sqlite3 "$WORK/bench.db" "SELECT id FROM users LIMIT 1")
sqlite3 "$WORK/bench.db" <<SQL
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000 - $count)
INSERT INTO leads (tenant_id, id, name, phone, company, channel, first_touch, color, stage, owner_id,
                   region, tags, created_at, updated_at, created_by, updated_by, version, custom)
SELECT '$TENANT', printf('0190%04x-%04x-7%03x-8%03x-%012x', i % 65536, i / 65536, i % 4096, i % 4096, i),
       '线索' || i, printf('+86139%08d', i), '公司' || (i % 5000),
       CASE i % 7 WHEN 0 THEN 'douyin_form' WHEN 1 THEN 'xiaohongshu_dm' WHEN 2 THEN 'baidu_ads'
                  WHEN 3 THEN 'website' WHEN 4 THEN 'trade_show' WHEN 5 THEN 'zhihu' ELSE 'wechat' END,
       'book_demo', CASE i % 3 WHEN 0 THEN 'red' WHEN 1 THEN 'yellow' ELSE 'green' END, 'lead', '$OWNER',
       '华东', '[]', 1700000000000 + i * 1000, 1700000000000 + i * 1000, '$OWNER', '$OWNER', 1, '{}'
FROM n;
SQL
sqlite3 "$WORK/bench.db" "SELECT id FROM leads ORDER BY random() LIMIT 10000" >"$WORK/ids"
export LF_IDS="$WORK/ids"
start "$DB"
read -r g_rps g_p50 g_p99 g_bad <<<"$(run_wrk get_lead.lua)"
read -r l_rps l_p50 l_p99 l_bad <<<"$(run_wrk list_leads.lua)"
read -r d_rps d_p50 d_p99 d_bad <<<"$(run_wrk duplicate_check.lua)"
read -r c2_rps c2_p50 c2_p99 c2_bad <<<"$(run_wrk ceiling.lua)"
read_rss=$(rss)
stop
echo
echo "## Reads on $(sqlite3 "$WORK/bench.db" "SELECT COUNT(*) FROM leads") leads (SQLite)"
echo "| what | req/s | p50 ms | p99 ms | non-2xx |"
echo "|---|---|---|---|---|"
echo "| GET /livez (ceiling, same run) | $c2_rps | $c2_p50 | $c2_p99 | $c2_bad |"
echo "| GET /api/v1/leads/{id} | $g_rps | $g_p50 | $g_p99 | $g_bad |"
echo "| GET /api/v1/leads?channel=…&color=…&limit=50 | $l_rps | $l_p50 | $l_p99 | $l_bad |"
echo "| GET /api/v1/duplicates/check?phone=… (leads, customers, contacts) | $d_rps | $d_p50 | $d_p99 | $d_bad |"
echo
echo "server peak RSS: ${read_rss} MiB"

# --- 3. create-lead on PostgreSQL, next to pgbench ---
"$HERE/../tests/pg.sh" start "$WORK/pg" >/dev/null
PGURL=$(cat "$WORK/pg/url")
psql -qAtX "$PGURL" -c "CREATE DATABASE bench" >/dev/null
PGDB="${PGURL%/*}/bench"
echo "$PASS" | "$BIN" init --db "$PGDB" --tenant Bench --admin-email bench@bench.test >/dev/null
start "$PGDB"
export LF_TOKEN=$(login bench@bench.test)
read -r p_rps p_p50 p_p99 p_bad <<<"$(run_wrk create_lead.lua)"
pg_rss=$(rss)
stop
psql -qAtX "$PGURL" -c "CREATE DATABASE pgb; " >/dev/null
psql -qAtX "${PGURL%/*}/pgb" -c "CREATE TABLE t (id bigserial PRIMARY KEY, tenant_id text, name text, phone text, channel text, created_at bigint, data jsonb)" >/dev/null
echo "INSERT INTO t (tenant_id, name, phone, channel, created_at, data) VALUES ('t', 'lead', '+8613800000000', 'douyin_form', 1700000000000, '{}');" >"$WORK/insert.sql"
pgbench -n -c 64 -j 2 -T "$DUR" -f "$WORK/insert.sql" "${PGURL%/*}/pgb" >"$WORK/pgbench.out" 2>&1
pgb_tps=$(awk '/^tps/ {printf "%.0f", $3; exit}' "$WORK/pgbench.out")
echo
echo "## Create lead over HTTP, PostgreSQL (local, fsync on)"
echo "| what | req/s | p50 ms | p99 ms | non-2xx |"
echo "|---|---|---|---|---|"
echo "| pgbench, single-row INSERT transactions, -c64 (peer, same run) | $pgb_tps | | | |"
echo "| POST /api/v1/leads | $p_rps | $p_p50 | $p_p99 | $p_bad |"
echo
echo "create/pgbench = $(python3 -c "print(f'{$p_rps/$pgb_tps:.2f}x')"); server peak RSS: ${pg_rss} MiB"
