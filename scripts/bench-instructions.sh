#!/usr/bin/env bash
# Instructions per call of the notification rows' contestants, counted by callgrind: the
# benchmark's own executable, one entry at a time (criterion's filter), and every instruction
# executed in the function the vtable call lands in and in what it calls, divided by the calls.
#
#   bash scripts/bench-instructions.sh                 # the OnNotify rows
#   bash scripts/bench-instructions.sh notify on_notify_mixed_16
#
# Unlike time, the count is the same from run to run and from code layout to code layout
# (callgrind counts instructions, whatever else the machine does), so it tells where two
# contestants' work differs when their times are within the noise. It is not time: an
# instruction that a wide core runs beside others costs less than one on the critical path.
# "windows-rs" includes its vtable shim, which calls the `_Impl` method. `limit` is not
# counted: it is inlined into the benchmark's loop. Needs valgrind, python3 and jq.
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in valgrind python3 jq; do
    command -v "$tool" >/dev/null || { echo "bench-instructions: needs $tool" >&2; exit 1; }
done

rows=("$@")
if [ ${#rows[@]} -eq 0 ]; then
    rows=(on_notify_1 on_notify_16 on_notify_mixed_1 on_notify_mixed_16 on_notify_mixed_1_checked
        on_notify_mixed_16_checked)
fi

# shellcheck source=scripts/bench-build.sh
source scripts/bench-build.sh
bin=$(bench_executable 0)
[ -x "$bin" ] || { echo "bench-instructions: no bench executable" >&2; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# The function the vtable call lands in, per row kind and entry.
top() {
    local row=$1 entry=$2
    case $row/$entry in
        notify*/ours) echo '^mapi_notify_sink::offline::notify$' ;;
        notify*/windows-rs) echo '^mapi_notify_sink_bench::peer::IMAPIOfflineNotifyW_Vtbl::new::Notify$' ;;
        # The price rows' "ours" is a hand-written windows-rs object too.
        on_notify*_checked/* | on_notify*/windows-rs) echo '^mapi_notify_sink_bench::advise::peer::IMAPIAdviseSinkW_Vtbl::new::OnNotify$' ;;
        on_notify*/ours) echo '^mapi_notify_sink::advise_sink::on_notify$' ;;
        *) echo "bench-instructions: no contestant function for $row/$entry" >&2; exit 2 ;;
    esac
}

echo "| row | ours | windows-rs | ours / windows-rs |"
echo "|---|---:|---:|---:|"
for row in "${rows[@]}"; do
    counts=()
    for entry in ours windows-rs; do
        function=$(top "$row" "$entry")
        valgrind --tool=callgrind --compress-strings=no --callgrind-out-file="$out/cg" \
            "$bin" --bench --noplot --discard-baseline --warm-up-time 0.05 \
            --measurement-time 0.1 --sample-size 10 --nresamples 100 "^$row/$entry\$" \
            >"$out/log" 2>&1 || { cat "$out/log" >&2; exit 1; }
        counts+=("$(python3 scripts/bench-instructions.py "$out/cg" "$function")")
    done
    ratio=$(python3 -c "print(f'{${counts[0]} / ${counts[1]}:.3f}')")
    echo "| $row | ${counts[0]} | ${counts[1]} | $ratio |"
done
