#!/usr/bin/env bash
# make run: create the demo company on first start, then serve. Args: BINARY DB_URL PORT.
set -euo pipefail
bin=$1 db=$2 port=$3
"$bin" demo --db "$db"
echo
echo "  LeadFlow is starting on  http://127.0.0.1:${port}"
echo "  Sign in as               admin@demo.leadflow.cn / demo1234"
echo "  (also supervisor@, sales1@ … sales4@, cs1@, cs2@demo.leadflow.cn with the same password)"
echo
exec "$bin" serve --db "$db" --port "$port" --web web/dist
