#!/usr/bin/env bash
# `#[outlook_addin]` says at compile time when an add-in is built with `panic = "abort"` (its
# panic guards need unwinding; without it any panic ends Outlook), and says nothing otherwise.
# Builds the example add-in both ways, for the host, in a target folder of its own (the flag
# would otherwise make the next ordinary build start over):
#     bash scripts/panic-abort-warning.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR=target/panic-abort
warning='built with `panic = "abort"`'
passed=0 failed=0
check() { # NAME EXPECTED(0: absent, 1: present) RUSTC-ARGS...
    local name=$1 expected=$2 output found=0
    shift 2
    output=$(cargo rustc -q -p outlook-addin-example --lib -- "$@" 2>&1) || {
        echo "$output"
        echo "FAIL: $name: the build failed"
        failed=$((failed + 1))
        return
    }
    grep -qF "$warning" <<<"$output" && found=1
    if [ "$found" = "$expected" ]; then
        echo "ok:   $name"
        passed=$((passed + 1))
    else
        echo "$output"
        echo "FAIL: $name"
        failed=$((failed + 1))
    fi
}
check 'panic = "abort": the attribute warns' 1 -C panic=abort
check 'panic = "unwind": no warning' 0 -C panic=unwind
echo "panic-abort-warning: $passed passed, $failed failed"
[ "$failed" = 0 ]
