#!/usr/bin/env bash
# Import benchmark (issue 3): `leadflow import` of an N-row lead CSV (validation, phone
# normalisation, dedup, events, durable batches) next to two floors measured in the same run: the
# sqlite3 shell's `.import` of the same file into a bare table (the issue's ceiling), and the same
# `.import` followed by one INSERT … SELECT into a table with our leads schema and its indexes (what
# the database alone costs for these rows, no validation or events).
# Usage: bench/import.sh BUILD/leadflow [rows, default 1000000]
set -euo pipefail
BIN=$(readlink -f "$1"); N=${2:-1000000}
WORK=$(mktemp -d /tmp/lf-bench-import-XXXX)
trap 'rm -rf "$WORK"' EXIT
python3 - "$WORK/leads.csv" "$N" <<'PY'
import sys
path, n = sys.argv[1], int(sys.argv[2])
channels = ["抖音表单", "小红书私信", "百度推广", "官网咨询", "线下展会"]
with open(path, "w", encoding="utf-8") as f:
    f.write("姓名,手机号,来源渠道,公司,区域\n")
    for i in range(n):
        f.write(f"线索{i},+86136{i:08d},{channels[i % 5]},公司{i % 5000},华东\n")
PY
echo bench-password-1 | "$BIN" init --db "sqlite:$WORK/lf.db" --tenant Bench --admin-email b@b.test >/dev/null
t0=$(date +%s.%N)
"$BIN" import "$WORK/leads.csv" --db "sqlite:$WORK/lf.db" --timezone Asia/Shanghai >"$WORK/import.log" 2>&1
t1=$(date +%s.%N)
sqlite3 "$WORK/raw.db" ".mode csv" ".import $WORK/leads.csv t"
t2=$(date +%s.%N)
sqlite3 "$WORK/lf.db" ".schema leads" | sqlite3 "$WORK/schema.db"
sqlite3 "$WORK/schema.db" "PRAGMA journal_mode=WAL" ".mode csv" ".import $WORK/leads.csv t" \
  "INSERT INTO leads (tenant_id, id, created_at, updated_at, name, phone, channel, company, region)
   SELECT 'bench', printf('%032d', rowid), 0, 0, 姓名, 手机号, 来源渠道, 公司, 区域 FROM t" >/dev/null
t3=$(date +%s.%N)
ratio() { python3 -c "print(f'{($1)/max($2,1e-9):.1f}x')"; }
secs() { python3 -c "print(f'{$1:.2f}')"; }
echo "| rows | leadflow import | sqlite3 .import, bare table (ceiling) | ratio | .import + INSERT into our indexed leads table | ratio |"
echo "|---|---|---|---|---|---|"
echo "| $N | $(secs "$t1-$t0") s | $(secs "$t2-$t1") s | $(ratio "$t1-$t0" "$t2-$t1") | $(secs "$t3-$t2") s | $(ratio "$t1-$t0" "$t3-$t2") |"
