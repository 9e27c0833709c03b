#!/usr/bin/env bash
# The Windows-ABI suite: the workspace's tests as x86_64 Windows programs under Wine, with
# Wine's real ole32, the C++ caller, the example Outlook add-in under outlook-sim, plus the
# main demo compared with its Linux output.
#
# One command, safe to repeat, safe on a fresh Debian machine (it installs what is missing):
#     bash scripts/test-windows.sh
# It prints how many tests ran and fails if any failed or if none ran.
#
# Only x86_64: Wine here cannot run 32-bit programs (wine32 is not installable) and exits 0
# without running them, so no i686 run is ever counted. The 32-bit stdcall ABI is checked by
# Miri instead (see .ci/run).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
target=x86_64-pc-windows-gnu
target_dir=${CARGO_TARGET_DIR:-$repo/target}
log() { echo "--- test-windows: $*"; }

# 1. The Rust target, the mingw-w64 cross compilers, Wine.
rustup target add "$target" >/dev/null
missing=()
command -v x86_64-w64-mingw32-gcc >/dev/null || missing+=(gcc-mingw-w64-x86-64)
command -v x86_64-w64-mingw32-g++ >/dev/null || missing+=(g++-mingw-w64-x86-64)
command -v wine >/dev/null || missing+=(wine)
if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]}"
    # shellcheck source=scripts/apt-install.sh
    source scripts/apt-install.sh
    apt_install "${missing[@]}" >/dev/null
fi

# 2. A Wine prefix of our own, with our stand-in for the bcryptprimitives.dll Wine 8.0 lacks.
# shellcheck source=scripts/windows/wine-prefix.sh
source scripts/windows/wine-prefix.sh
wine_prefix "$repo" log

# 3. Every test of the workspace, as Windows programs (cargo's runner is wine). The C++ caller
# test is built with mingw's g++ for this target, and must be.
log "cargo test --workspace --target $target"
status=0
MAPI_REQUIRE_CXX=1 cargo test --workspace --target "$target" --no-fail-fast 2>&1 \
    | tee "$target_dir/test-windows.log" || status=$?
read -r passed failed ignored < <(
    grep -E '^test result: ' "$target_dir/test-windows.log" \
        | sed -E 's/.* ([0-9]+) passed; ([0-9]+) failed; ([0-9]+) ignored.*/\1 \2 \3/' \
        | awk '{p += $1; f += $2; i += $3} END {print p + 0, f + 0, i + 0}'
)

# 4. A C++ program built by mingw's g++ against the real <unknwn.h>/<objbase.h>, linked with
# the runtime as a static library, drives a sink with Wine's ole32 (scripts/windows/cpp-caller.sh).
log "C++ caller (mingw, real Windows headers, runtime as a static library)"
cpp_status=0
bash scripts/windows/cpp-caller.sh >"$target_dir/cpp-caller.out" 2>&1 || cpp_status=$?
cat "$target_dir/cpp-caller.out"
if read -r cpp_passed cpp_failed < <(
    sed -nE 's/^cpp-caller: ([0-9]+) passed, ([0-9]+) failed$/\1 \2/p' "$target_dir/cpp-caller.out" | tail -n 1 | grep .
); then
    passed=$((passed + cpp_passed))
    failed=$((failed + cpp_failed))
fi
if [ "$cpp_status" -ne 0 ]; then
    status=$cpp_status
fi

# 5. The example Outlook add-in end to end (regsvr32, outlook-sim by ProgID, the add-in's log,
# unregistration), and outlook-sim against deliberately broken add-ins
# (scripts/windows/outlook-addin.sh).
log "the example Outlook add-in under outlook-sim"
addin_status=0
bash scripts/windows/outlook-addin.sh >"$target_dir/outlook-addin.out" 2>&1 || addin_status=$?
grep -vE '^ +[0-9]+\.[0-9]+ ms  ' "$target_dir/outlook-addin.out" | tr -d '\r'
if read -r addin_passed addin_failed < <(
    sed -nE 's/^outlook-addin: ([0-9]+) passed, ([0-9]+) failed$/\1 \2/p' "$target_dir/outlook-addin.out" | tail -n 1 | grep .
); then
    passed=$((passed + addin_passed))
    failed=$((failed + addin_failed))
else
    failed=$((failed + 1))
fi
if [ "$addin_status" -ne 0 ]; then
    status=$addin_status
fi

# 6. The main demo under Wine prints what it prints on Linux (times differ; nothing else may).
log "offline_watch: Windows (Wine) against Linux"
normalize() { sed -E 's/[0-9]+\.[0-9]+ ms/T ms/; s/\r$//'; }
demo_status=0
cargo run -q --example offline_watch --target "$target" 2>&1 | normalize >"$target_dir/offline_watch.windows.txt" \
    || demo_status=$?
cargo run -q --example offline_watch 2>&1 | normalize >"$target_dir/offline_watch.linux.txt" || demo_status=$?
if [ "$demo_status" -ne 0 ] || ! diff -u "$target_dir/offline_watch.linux.txt" "$target_dir/offline_watch.windows.txt"; then
    log "offline_watch differs under Wine (or failed)"
    failed=$((failed + 1))
else
    log "offline_watch: same $(wc -l <"$target_dir/offline_watch.windows.txt") lines on both"
    passed=$((passed + 1))
fi

echo "windows: $passed passed, $failed failed, $ignored ignored"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ]; then
    exit 1
fi
if [ "$passed" -eq 0 ]; then
    echo "windows: no test ran" >&2
    exit 1
fi
