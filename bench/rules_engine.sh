#!/usr/bin/env bash
# Rule-engine benchmark (issue 4): 100 three-color rules over 200,000 synthetic lead events,
# in-process — our engine (bench_rules) next to json-rules-engine (npm, bench/node/) on the SAME
# rules and events, read from one JSON file. Prints both figures, the ratio, and checks that both
# engines found the same number of (event, rule) matches.
# Usage: bench/rules_engine.sh [BUILD_DIR]      (default: build-rules, configured if missing)
# Env:   EVENTS=200000   events generated
#        PEER_EVENTS=    events json-rules-engine runs (default: all; ~1,500/s here, so ~2 min)
#        ROUNDS=5        timed rounds of our engine (median reported)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
BUILD=${1:-$ROOT/build-rules}
EVENTS=${EVENTS:-200000}
PEER_EVENTS=${PEER_EVENTS:-$EVENTS}
ROUNDS=${ROUNDS:-5}

if [ ! -f "$BUILD/build.ninja" ]; then
  cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DLF_UNIT_ONLY=ON >/dev/null
fi
ninja -C "$BUILD" -j2 bench_rules >/dev/null
if [ ! -d "$HERE/node/node_modules/json-rules-engine" ]; then
  (cd "$HERE/node" && npm ci --no-audit --no-fund >/dev/null)
fi

WORK=$(mktemp -d /tmp/lf-rules-bench-XXXX)
trap 'rm -rf "$WORK"' EXIT
"$BUILD/bench_rules" write "$WORK/bench.json" "$EVENTS"
echo "== LeadFlow rules engine (in-process, C++) =="
"$BUILD/bench_rules" run "$WORK/bench.json" "$ROUNDS" "$PEER_EVENTS" | tee "$WORK/ours.txt"
echo "== json-rules-engine $(node -p 'require("'"$HERE"'/node/node_modules/json-rules-engine/package.json").version') on node $(node --version), $PEER_EVENTS events =="
node "$HERE/node/run_json_rules_engine.js" "$WORK/bench.json" "$PEER_EVENTS" | tee "$WORK/peer.txt"

python3 - "$WORK/ours.txt" "$WORK/peer.txt" <<'PY'
import json, sys
ours = json.loads(open(sys.argv[1]).read().strip().splitlines()[-1])
peer = json.loads(open(sys.argv[2]).read().strip().splitlines()[-1])
print("== side by side ==")
print(f"{'':28}{'events/s':>14}{'rule evals/s':>16}")
print(f"{'leadflow (indexed)':28}{ours['events_per_s']:>14,}{ours['rule_evals_per_s']:>16,}")
print(f"{'leadflow (no index)':28}{ours['brute_force_events_per_s']:>14,}{ours['brute_force_events_per_s'] * ours['rules']:>16,}")
print(f"{'json-rules-engine':28}{peer['events_per_s']:>14,}{peer['rule_evals_per_s']:>16,}")
print(f"ratio (events/s): {ours['events_per_s'] / peer['events_per_s']:.0f}x  (aim >= 300x)")
print(f"per event: {ours['rules_considered_per_event']:.2f} rules considered of {ours['rules']}, "
      f"{ours['conditions_per_event']:.2f} conditions evaluated")
ok = ours["prefix_matches"] == peer["matches"] and ours["prefix_events"] == peer["events"]
print(f"matches over the first {peer['events']} events: leadflow {ours['prefix_matches']}, "
      f"json-rules-engine {peer['matches']} -> {'SAME' if ok else 'DIFFERENT'}")
print(f"peak RSS: leadflow {ours['peak_rss_mib']} MiB, node {peer['peak_rss_mib']} MiB (both hold all events as JSON)")
sys.exit(0 if ok else 1)
PY
