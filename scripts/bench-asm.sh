#!/usr/bin/env bash
# The machine code the notification rows of the runtime benchmark measure, ours beside the
# windows-rs contestant's: `Notify` (IMAPIOfflineNotify, slot 4) and `OnNotify`
# (IMAPIAdviseSink, slot 3), as compiled into the bench executable `bench-spread.sh` runs.
# BENCHMARKS.md's claims about these rows ("the same instructions", "one more test") are read
# off this listing.
#
#   bash scripts/bench-asm.sh            # every Notify and OnNotify, ours then windows-rs
#   bash scripts/bench-asm.sh notify     # only the Notify ones (or: on_notify)
#
# Each function is printed from its entry to its end, addresses stripped: a jump shows its
# target as an offset from the function's start, so two listings compare line by line (`diff`
# them). One symbol can have several copies, one per handler type (the main and the minimal
# `Notify` rows); each is printed. Needs objdump (binutils) and jq.
set -euo pipefail
cd "$(dirname "$0")/.."
only=${1:-}

# shellcheck source=scripts/bench-build.sh
source scripts/bench-build.sh
bin=$(bench_executable 0)
[ -x "$bin" ] || { echo "bench-asm: no bench executable" >&2; exit 1; }

# listing SYMBOL TITLE: every copy of the demangled SYMBOL, addresses stripped.
listing() {
    local symbol=$1 title=$2 address copy=0
    for address in $(nm -C "$bin" | awk -v s="$symbol" '{ name = $0; sub(/^[^ ]+ [^ ]+ /, "", name) } name == s { print $1 }'); do
        copy=$((copy + 1))
        echo "=== $title (copy $copy, $symbol)"
        objdump -d --no-show-raw-insn -C "$bin" --start-address="0x$address" |
            awk 'NR > 6' | sed '/^$/q' | sed 1d |
            sed -E 's/^ +[0-9a-f]+:\t//; s/ +# [0-9a-f]+ <[^>]*>$//; s/[0-9a-f]+ <[^>]*\+(0x[0-9a-f]+)>/<+\1>/; /^int3$/d' ||
            true # objdump is cut off (SIGPIPE) at the function's end
        echo
    done
    [ "$copy" -gt 0 ] || echo "=== $title: $symbol not found in $bin"
}

if [ -z "$only" ] || [ "$only" = notify ]; then
    listing 'mapi_notify_sink::offline::notify' 'Notify, ours'
    listing 'mapi_notify_sink_bench::peer::IMAPIOfflineNotifyW_Vtbl::new::Notify' 'Notify, windows-rs'
fi
if [ -z "$only" ] || [ "$only" = on_notify ]; then
    listing 'mapi_notify_sink::advise_sink::on_notify' 'OnNotify, ours'
    listing 'mapi_notify_sink_bench::advise::peer::IMAPIAdviseSinkW_Vtbl::new::OnNotify' 'OnNotify, windows-rs'
fi
