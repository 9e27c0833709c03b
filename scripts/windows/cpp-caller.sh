#!/usr/bin/env bash
# The Windows C++ caller: a `#[mapi_notify_sink]` sink driven from C++ built against mingw-w64's
# real Windows headers, under Wine.
#
#     bash scripts/windows/cpp-caller.sh [TARGET]   # x86_64-pc-windows-gnu (default) or i686-pc-windows-gnu
#
# 1. builds tests/windows-capi (the runtime plus a tiny C API) as a static library for TARGET;
# 2. compiles tests/windows-capi/cpp/caller.cpp and dispatch_object.cpp (an IDispatch object the
#    library's automation::Dispatch calls) with that target's mingw-w64 g++ against
#    <unknwn.h>/<objbase.h>/<oaidl.h> and links them with that library into a self-contained .exe;
# 3. runs the .exe under Wine and exits with its status. It prints one line per check and
#    `cpp-caller: N passed, M failed`; a run that does not end with that line fails too, since
#    Wine can exit 0 without running a program at all.
#
# Safe to repeat. Honours CARGO_TARGET_DIR. Uses the Wine prefix scripts/test-windows.sh uses
# (target/wine, with the ProcessPrng stand-in Rust's std needs on Wine 8), and makes it if absent.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
target=${1:-x86_64-pc-windows-gnu}
mingw=${target%%-*}-w64-mingw32 # x86_64-w64-mingw32 or i686-w64-mingw32
# Absolute, and handed on to cargo, so a relative CARGO_TARGET_DIR means the same directory to
# cargo and to the steps below (which run from the repository root).
target_dir=$(mkdir -p "${CARGO_TARGET_DIR:-$repo/target}" && cd "${CARGO_TARGET_DIR:-$repo/target}" && pwd)
export CARGO_TARGET_DIR="$target_dir"
cd "$repo"
out_dir="$target_dir/$target/cpp-caller"
log() { echo "--- cpp-caller: $*"; }

for tool in "$mingw-g++" "$mingw-gcc" wine; do
    if ! command -v "$tool" >/dev/null; then
        echo "cpp-caller: $tool not found; scripts/test-windows.sh installs mingw-w64 and Wine" >&2
        exit 1
    fi
done

# The prefix scripts/test-windows.sh uses; this script runs wine itself, not through cargo.
# shellcheck source=scripts/windows/wine-prefix.sh
source scripts/windows/wine-prefix.sh
wine_prefix "$repo" log

log "cargo build -p mapi-notify-sink-capi --target $target"
cargo build -q -p mapi-notify-sink-capi --target "$target"
lib="$target_dir/$target/debug/libmapi_notify_sink_capi.a"

# After the Rust library, what it needs from Windows: Rust's std asks for exactly these
# (`rustc --print native-static-libs`); windows-core's imports (ole32, ...) are raw-dylib and
# travel inside the .a. ole32 and uuid are for caller.cpp's own COM calls and IIDs. `-static`
# keeps libstdc++, libgcc and winpthread out of DLLs Wine's prefix does not have.
mkdir -p "$out_dir"
exe="$out_dir/cpp-caller.exe"
log "$mingw-g++ caller.cpp dispatch_object.cpp events_source.cpp + $(basename "$lib") -> $exe"
"$mingw-g++" -std=c++17 -O1 -g -Wall -Wextra -Werror -static \
    -o "$exe" tests/windows-capi/cpp/caller.cpp tests/windows-capi/cpp/dispatch_object.cpp \
    tests/windows-capi/cpp/events_source.cpp \
    "$lib" -lole32 -loleaut32 -luuid -lkernel32 -lntdll -luserenv -lws2_32 -ldbghelp

log "wine $(basename "$exe")"
status=0
wine "$exe" 2>&1 | tee "$out_dir/cpp-caller.log" || status=$?
if [ "$status" -eq 0 ] && ! grep -qE '^cpp-caller: [1-9][0-9]* passed, 0 failed$' "$out_dir/cpp-caller.log"; then
    echo "cpp-caller: the program did not report its checks (did Wine run it?)" >&2
    status=1
fi
exit "$status"
