#!/usr/bin/env bash
# Import benchmark (issue 3): `leadflow import` of an N-row lead CSV (validation, phone
# normalisation, dedup, events, durable batches) next to the sqlite3 shell's `.import` of the same
# file into a bare table, measured in the same run. Usage: bench/import.sh BUILD/leadflow [rows]
set -euo pipefail
BIN=$(readlink -f "$1"); N=${2:-100000}
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
ours=$(python3 -c "print(f'{$t1-$t0:.2f}')"); raw=$(python3 -c "print(f'{$t2-$t1:.2f}')")
tail -1 "$WORK/import.log"
echo "| import of $N rows | leadflow import: ${ours} s | sqlite3 .import (ceiling): ${raw} s | ratio $(python3 -c "print(f'{($t1-$t0)/max($t2-$t1,1e-9):.1f}x')") |"
