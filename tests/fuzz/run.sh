#!/usr/bin/env bash
# Builds the rule-expression fuzz target with clang (libFuzzer + ASan + UBSan) in its own small
# build — only src/rules and the base/schema/storage files it links against — and runs it for a
# bounded time over the seed corpus. Exits non-zero on a crash or a broken invariant.
# Usage: tests/fuzz/run.sh [OUT_DIR] [SECONDS]     (defaults: build-fuzz, 45)
# Needs clang (scripts/install-deps.sh installs it). ccache is used when present.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
OUT=$(mkdir -p "${1:-$ROOT/build-fuzz}" && cd "${1:-$ROOT/build-fuzz}" && pwd)
SECONDS_BUDGET=${2:-45}
CXX=${FUZZ_CXX:-clang++}
command -v "$CXX" >/dev/null || { echo "fuzz: $CXX not found (run scripts/install-deps.sh)"; exit 1; }
LAUNCH=""
command -v ccache >/dev/null && LAUNCH=ccache

FLAGS=(-std=c++20 -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined
       -fno-sanitize-recover=undefined -I"$ROOT/src" -I/usr/include/postgresql -w)
SRCS=("$ROOT"/src/rules/*.cc "$ROOT"/src/base/time.cc "$ROOT"/src/base/strings.cc "$ROOT"/src/schema/*.cc "$ROOT"/src/storage/*.cc)
mkdir -p "$OUT/obj"
cd "$ROOT"  # a fixed working directory keeps ccache hits across build directories
OBJS=()
pids=()
for src in "${SRCS[@]}"; do
  case "$src" in *_test.cc) continue ;; esac
  rel=${src#"$ROOT/"}
  obj="$OUT/obj/${rel//\//_}.o"
  OBJS+=("$obj")
  # Rebuild when the source or any header of ours is newer than the object.
  if [ ! -f "$obj" ] || [ -n "$(find "$src" "$ROOT/src/rules" "$ROOT/src/base" "$ROOT/src/schema" "$ROOT/src/storage" \
        -name '*.h' -newer "$obj" -print -quit)" ] || [ "$src" -nt "$obj" ]; then
    $LAUNCH "$CXX" "${FLAGS[@]}" -c "$src" -o "$obj" &
    pids+=($!)
    if [ "${#pids[@]}" -ge 2 ]; then wait "${pids[0]}"; pids=("${pids[@]:1}"); fi
  fi
done
for p in "${pids[@]+"${pids[@]}"}"; do wait "$p"; done
$LAUNCH "$CXX" "${FLAGS[@]}" -c "$HERE/expr_fuzz.cc" -o "$OUT/obj/expr_fuzz.o"
"$CXX" -fsanitize=fuzzer,address,undefined -o "$OUT/expr_fuzz" "$OUT/obj/expr_fuzz.o" "${OBJS[@]}" \
  -ldate-tz -lsqlite3 -lpq -lsodium -lpthread

# New inputs go to a scratch corpus so the checked-in seeds stay small and reviewed.
mkdir -p "$OUT/corpus"
cd "$OUT"
UBSAN_OPTIONS=halt_on_error=1 ASAN_OPTIONS=detect_leaks=1 \
  ./expr_fuzz -max_total_time="$SECONDS_BUDGET" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
  -dict="$HERE/expr.dict" -print_final_stats=1 "$OUT/corpus" "$HERE/corpus/expr"
