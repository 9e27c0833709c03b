#!/usr/bin/env bash
# The runtime benchmarks as a spread over separate processes: builds the criterion bench once,
# runs it PROCESSES times (default 16), each a fresh process measuring every row, with the
# entries' order reversed every other process (MAPI_BENCH_REVERSE), then prints each row's
# ratio ours / windows-rs as the median and range over the processes and how many ours won
# (scripts/bench-spread.py). Whole-cycle shifts between processes (code and data placement)
# are most of the noise here, so one process's numbers prove little.
#
#   bash scripts/bench-spread.sh [PROCESSES] [criterion filter]
#
# Environment: CPU (default 1) pins each process with `taskset -c $CPU` (CPU= to not pin);
# WARM and MEASURE, criterion's warm-up and measurement seconds per entry (0.3 and 0.8);
# SPREAD_DIR, where the outputs go (default target/bench-spread/<time>). About 30 s per
# process on a quiet 2-vCPU machine.
set -euo pipefail
cd "$(dirname "$0")/.."

processes=${1:-16}
filter=${2:-}
warm=${WARM:-0.3}
measure=${MEASURE:-0.8}
cpu=${CPU-1}
dir=${SPREAD_DIR:-target/bench-spread/$(date -u +%Y%m%dT%H%M%SZ)}

bin=$(cargo bench -p mapi-notify-sink-bench --no-run --message-format=json 2>/dev/null |
    jq -r 'select(.reason == "compiler-artifact" and .target.name == "runtime" and .executable != null) | .executable' |
    tail -n 1)
[ -x "$bin" ] || { echo "bench-spread: no bench executable" >&2; exit 1; }
pin=()
if [ -n "$cpu" ]; then pin=(taskset -c "$cpu"); fi
mkdir -p "$dir"
echo "bench-spread: $processes processes of $bin, ${pin[*]:-unpinned}, load: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
for i in $(seq 1 "$processes"); do
    MAPI_BENCH_REVERSE=$((i % 2 == 0 ? 1 : 0)) "${pin[@]}" "$bin" --bench --noplot --discard-baseline \
        --warm-up-time "$warm" --measurement-time "$measure" $filter >"$dir/$i.txt" 2>/dev/null
    echo "bench-spread: process $i/$processes done, load $(cut -d' ' -f1 /proc/loadavg)" >&2
done
python3 scripts/bench-spread.py "$dir"
