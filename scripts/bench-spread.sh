#!/usr/bin/env bash
# The runtime benchmarks as a spread over separate processes and code layouts: builds the
# criterion bench in LAYOUTS code layouts (default 4), runs it PROCESSES times (default 16),
# each a fresh process measuring every row, the processes spread evenly over the layouts, the
# entries' order reversed in every other process of each layout (MAPI_BENCH_REVERSE), then
# prints each row's ratio ours / windows-rs as the median and range over the processes, how
# many ours won, and the median per layout (scripts/bench-spread.py).
#
# Why layouts: where the code lands shifts a row by whole cycles, 10 to 20 % here. Data
# placement changes with every process (heap and stack addresses are randomized), but code
# placement does not: one binary's luck is the same in all its processes, and two sinks whose
# code differs by a few instructions can trade places from one build to the next. So each
# layout is its own build, with every function, or every block not reached by falling
# through, aligned differently (scripts/bench-build.sh lists them).
# The same padding applies to every contestant; a user's binary is one more such layout.
#
#   bash scripts/bench-spread.sh [PROCESSES] [criterion filter]
#
# Environment: LAYOUTS (1 to 4; 1 is the plain build alone); CPU (default 1) pins each process
# with `taskset -c $CPU` (CPU= to not pin); WARM and MEASURE, criterion's warm-up and
# measurement seconds per entry (0.3 and 0.8); SPREAD_DIR, where the outputs go (default
# target/bench-spread/<time>). About 30 s per process on a quiet 2-vCPU machine, plus a
# first build of each layout (a few minutes each; layouts 1 to 3 build in target/bench-layout-N).
set -euo pipefail
cd "$(dirname "$0")/.."

processes=${1:-16}
filter=${2:-}
warm=${WARM:-0.3}
measure=${MEASURE:-0.8}
cpu=${CPU-1}
dir=${SPREAD_DIR:-target/bench-spread/$(date -u +%Y%m%dT%H%M%SZ)}

layouts=${LAYOUTS:-4}
case $layouts in 1 | 2 | 3 | 4) ;; *) echo "bench-spread: LAYOUTS must be 1 to 4" >&2; exit 2 ;; esac
# shellcheck source=scripts/bench-build.sh
source scripts/bench-build.sh

bins=()
for k in $(seq 0 $((layouts - 1))); do
    echo "bench-spread: building layout $k (${bench_layout_flags[$k]:-plain})" >&2
    bin=$(bench_executable "$k")
    [ -x "$bin" ] || { echo "bench-spread: no bench executable for layout $k" >&2; exit 1; }
    bins+=("$bin")
done
pin=()
if [ -n "$cpu" ]; then pin=(taskset -c "$cpu"); fi
mkdir -p "$dir"
echo "bench-spread: $processes processes over $layouts layout(s), ${pin[*]:-unpinned}, load: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
for i in $(seq 1 "$processes"); do
    k=$(((i - 1) % layouts))
    reverse=$((((i - 1) / layouts) % 2))
    echo "$k" >"$dir/$i.layout"
    MAPI_BENCH_REVERSE=$reverse "${pin[@]}" "${bins[$k]}" --bench --noplot --discard-baseline \
        --warm-up-time "$warm" --measurement-time "$measure" $filter >"$dir/$i.txt" 2>/dev/null
    echo "bench-spread: process $i/$processes (layout $k) done, load $(cut -d' ' -f1 /proc/loadavg)" >&2
done
python3 scripts/bench-spread.py "$dir"
