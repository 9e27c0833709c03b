#!/usr/bin/env bash
# The library's message-store client and advise sink against outlook-mapi-sys, the binding MAPI
# programs in Rust use (tests/interop, a workspace of its own: outlook-mapi-sys is edition 2024,
# which the main workspace's MSRV cargo cannot read), under Wine.
#
#     bash scripts/windows/interop.sh [TARGET]   # x86_64-pc-windows-gnu (default) or i686-pc-windows-gnu
#
# Prints the tests' results and "interop: N passed, M failed" last; exits 1 if any failed or none
# ran. Honours CARGO_TARGET_DIR (the main workspace's target directory by default, shared).
set -uo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
target=${1:-x86_64-pc-windows-gnu}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$repo/target}
cd "$repo"
say() { echo "--- interop ($target): $*"; }
# shellcheck source=scripts/windows/wine-prefix.sh
source scripts/windows/wine-prefix.sh
wine_prefix "$repo" say
runner=CARGO_TARGET_$(echo "$target" | tr 'a-z-' 'A-Z_')_RUNNER
export "$runner=wine"

say "cargo test --manifest-path tests/interop/Cargo.toml --target $target"
log=$CARGO_TARGET_DIR/$target/interop.log
mkdir -p "$(dirname "$log")"
cargo test --manifest-path tests/interop/Cargo.toml --target "$target" >"$log" 2>&1
status=$?
tr -d '\r' <"$log" | grep -E '^test |^test result: |panicked|^error' || true
read -r passed failed < <(tr -d '\r' <"$log" | awk '/^test result: / {
    sub(/.*result: [a-zA-Z]+\. /, ""); p += $1; f += $3 } END { print p + 0, f + 0 }')
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
    failed=1 # a build error, or a test program that ended without its result
fi
if [ "$passed" -eq 0 ]; then
    failed=$((failed + 1))
fi
echo "interop: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
