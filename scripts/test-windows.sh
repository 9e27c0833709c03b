#!/usr/bin/env bash
# The Windows-ABI suite, for 64-bit and 32-bit Windows: the workspace's tests as Windows
# programs under Wine, with Wine's real ole32, the C++ caller, the example Outlook add-in under
# outlook-sim, the README's add-in made from `cargo new`, and the main demo compared with its
# Linux output.
#
# One command, safe to repeat, safe on a fresh Debian machine (it installs what is missing):
#     bash scripts/test-windows.sh                  # x86_64 and i686
#     bash scripts/test-windows.sh i686-pc-windows-gnu
# For each target it prints one line with its counts, then the total; it fails if any check
# failed, if a target ran nothing, or if a test program ended without its summary (Wine exits
# 0 when a program crashes, so a crash must not pass for a success).
#
# The workspace's tests run with RUST_BACKTRACE=0, and on i686 again with =1: there std prints a
# panic's backtrace through dbghelp, and Wine 8's 32-bit dbghelp faults on debug info with a
# function name over 2,000 characters (scripts/windows/wine-dbghelp-long-name.sh shows it), so
# a contained panic is tested in both environments. (The 64-bit std walks the stack without
# dbghelp; its second run, 95 s, found nothing the first did not, and CI's time is kept for
# outlook-sim's own tests.)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
# .cargo/config.toml gives x86_64's runner but not i686's (it says why).
export CARGO_TARGET_I686_PC_WINDOWS_GNU_RUNNER=wine
cd "$repo"
target_dir=${CARGO_TARGET_DIR:-$repo/target}
log() { echo "--- test-windows: $* (at $SECONDS s)"; }
if [ $# -gt 0 ]; then
    targets=("$@")
else
    targets=(x86_64-pc-windows-gnu i686-pc-windows-gnu)
fi

# 1. The Rust targets, the mingw-w64 cross compilers, Wine with its 32-bit half.
# shellcheck source=scripts/windows/requirements.sh
source scripts/windows/requirements.sh
windows_requirements log "${targets[@]}"

# 2. A Wine prefix of our own, with our stand-in for the bcryptprimitives.dll Wine 8.0 lacks.
# shellcheck source=scripts/windows/wine-prefix.sh
source scripts/windows/wine-prefix.sh
wine_prefix "$repo" log

# results LOG: "passed failed ignored unfinished" over cargo test's output, where unfinished
# counts the test programs (and doc-test runs) that started and never printed their result.
results() {
    tr -d '\r' <"$1" | awk '
        /^ +Running |^ +Doc-tests / { if (open) unfinished++; open = 1; name = $0 }
        /^test result: / {
            open = 0
            sub(/.*result: [a-zA-Z]+\. /, "")
            p += $1; f += $3; i += $5
        }
        END { if (open) unfinished++; print p + 0, f + 0, i + 0, unfinished + 0 }'
}

# counted NAME LABEL SHOW: runs scripts/windows/NAME.sh for the suite's target, shows its output
# through SHOW, and adds the "NAME: N passed, M failed" it ends with to the suite's counts (a
# script that did not say is a failure). Uses suite's locals.
counted() {
    local name=$1 label=$2 show=$3 script_passed script_failed
    bash "scripts/windows/$name.sh" "$target" >"$out/$name.out" 2>&1 || status=1
    "$show" "$out/$name.out"
    if read -r script_passed script_failed < <(
        sed -nE "s/^$name: ([0-9]+) passed, ([0-9]+) failed\$/\1 \2/p" "$out/$name.out" | tail -n 1 | grep .
    ); then
        passed=$((passed + script_passed))
        failed=$((failed + script_failed))
        parts+=("$label $script_passed")
    else
        failed=$((failed + 1))
        parts+=("$label did not report")
    fi
}

# show_steps FILE: a script's output without outlook-sim's timed step lines.
show_steps() {
    grep -vE '^ +[0-9]+\.[0-9]+ ms  ' "$1" | tr -d '\r'
}

# suite TARGET: every check for one target; prints its line and adds to the totals.
total_passed=0 total_failed=0 total_ignored=0 status=0 lines=()
suite() {
    local target=$1 arch=${1%%-*} out passed=0 failed=0 ignored=0 parts=() backtrace
    local p f i unfinished
    out=$target_dir/$target
    mkdir -p "$out"

    # 3. Every test of the workspace, as Windows programs (cargo's runner is wine). The C++
    # caller test is built with mingw's g++ for this target, and must be.
    local backtraces=(0)
    [ "$arch" = i686 ] && backtraces=(0 1)
    for backtrace in "${backtraces[@]}"; do
        log "$arch: cargo test --workspace --target $target (RUST_BACKTRACE=$backtrace)"
        RUST_BACKTRACE=$backtrace MAPI_REQUIRE_CXX=1 cargo test --workspace --target "$target" --no-fail-fast \
            >"$out/test-windows.$backtrace.log" 2>&1 || status=1
        grep -E '^test result: |FAILED|panicked|^error|page fault' "$out/test-windows.$backtrace.log" | tail -n 20 || true
        read -r p f i unfinished < <(results "$out/test-windows.$backtrace.log")
        if [ "$unfinished" -ne 0 ] || [ "$p" -eq 0 ]; then
            log "$arch: $unfinished test program(s) ended without a result (RUST_BACKTRACE=$backtrace):"
            tr -d '\r' <"$out/test-windows.$backtrace.log" | grep -E '^ +Running |^ +Doc-tests |^test result: |page fault' \
                | awk '/Running|Doc-tests/ { if (open) print "      " last; last = $0; open = 1 } /^test result/ { open = 0 } END { if (open) print "      " last }'
            failed=$((failed + unfinished + (p == 0)))
        fi
        passed=$((passed + p))
        failed=$((failed + f))
        ignored=$((ignored + i))
        parts+=("tests $p (RUST_BACKTRACE=$backtrace)")
    done

    # 4. A C++ program built by mingw's g++ against the real <unknwn.h>/<objbase.h>, linked with
    # the runtime as a static library, drives a sink with Wine's ole32.
    log "$arch: C++ caller (mingw, real Windows headers, runtime as a static library)"
    counted cpp-caller "C++ caller" cat
    # The library's store client and sink through outlook-mapi-sys's own interfaces.
    log "$arch: interop with outlook-mapi-sys (tests/interop)"
    counted interop "interop" cat
    # 5. The example Outlook add-in end to end, in this bitness (regsvr32, outlook-sim by ProgID,
    # the add-in's log, unregistration).
    log "$arch: the example Outlook add-in under the $arch outlook-sim"
    counted outlook-addin "add-in" show_steps
    # outlook-sim's own tests: add-ins doing what Outlook suffers from, each failed with its
    # verdict; registrations read as Office reads them; the lifecycle's options.
    log "$arch: outlook-sim's judgments (host/flawed-addin, host/library-addin)"
    counted outlook-sim "outlook-sim" show_steps
    # A new user's add-in from nothing, as the README says, with outlook-sim installed as it says.
    log "$arch: the README's add-in, from cargo new"
    counted fresh-addin "fresh add-in" show_steps

    # 6. The main demo under Wine prints what it prints on Linux (times differ; nothing else may).
    log "$arch: offline_watch: Windows (Wine) against Linux"
    local normalize='s/[0-9]+\.[0-9]+ ms/T ms/; s/\r$//' demo_status=0
    cargo run -q --example offline_watch --target "$target" 2>&1 | sed -E "$normalize" >"$out/offline_watch.windows.txt" \
        || demo_status=$?
    cargo run -q --example offline_watch 2>&1 | sed -E "$normalize" >"$out/offline_watch.linux.txt" || demo_status=$?
    if [ "$demo_status" -ne 0 ] || ! diff -u "$out/offline_watch.linux.txt" "$out/offline_watch.windows.txt"; then
        log "$arch: offline_watch differs under Wine (or failed)"
        failed=$((failed + 1))
        parts+=("demo differs")
    else
        passed=$((passed + 1))
        parts+=("demo 1")
    fi

    local summary
    summary=$(printf '%s, ' "${parts[@]}")
    lines+=("windows $arch: $passed passed, $failed failed, $ignored ignored (${summary%, })")
    total_passed=$((total_passed + passed))
    total_failed=$((total_failed + failed))
    total_ignored=$((total_ignored + ignored))
    if [ "$passed" -eq 0 ]; then
        lines+=("windows $arch: no test ran")
        status=1
    fi
}

for target in "${targets[@]}"; do
    suite "$target"
done

echo
printf '%s\n' "${lines[@]}"
echo "windows: $total_passed passed, $total_failed failed, $total_ignored ignored"
if [ "$status" -ne 0 ] || [ "$total_failed" -ne 0 ]; then
    exit 1
fi
