#!/usr/bin/env bash
# Shows that the checks guarding the last Release's fast path (runtime/src/com/refcount.rs) have
# teeth: breaks the fast path on purpose, one way at a time, runs loom (and with --miri, Miri
# on the object and threads tests) on the broken code, and expects each to fail. The file is
# restored afterwards, whatever happens.
#
#   bash scripts/fast-path-teeth.sh [--miri]
#
# The breakages:
#   relaxed   the sole-holder load `Relaxed` instead of `Acquire`: another thread's use of the
#             object is no longer ordered before its destruction (loom: causality violation;
#             Miri: data race).
#   no-check  any count taken as the last reference (`>= 1`): destroyed while others hold it
#             (loom fails on the freed object; Miri: use after free).
set -uo pipefail
cd "$(dirname "$0")/.."
# The nightly CI pins, for Miri.
# shellcheck source=.ci/toolchains
source .ci/toolchains

file=runtime/src/com/refcount.rs
good='if self.0.load(Acquire) == 1 {'
grep -qF "$good" "$file" || { echo "fast-path-teeth: '$good' not found in $file" >&2; exit 2; }
backup=$(mktemp)
cp "$file" "$backup"
trap 'cp "$backup" "$file"; rm -f "$backup"' EXIT

miri=0
[ "${1:-}" = --miri ] && miri=1
survived=()
for breakage in relaxed no-check; do
    case $breakage in
        relaxed) bad='if self.0.load(Relaxed) == 1 {' ;;
        no-check) bad='if self.0.load(Acquire) >= 1 {' ;;
    esac
    cp "$backup" "$file"
    sed -i "s/$(printf '%s' "$good" | sed 's/[][\.*^$/]/\\&/g')/$bad/" "$file"
    echo "=== $breakage: $bad"
    loom_out=$(RUSTFLAGS="--cfg loom" CARGO_TARGET_DIR=target/loom \
        cargo test -q -p mapi-notify-sink --test loom --release 2>&1)
    loom_status=$?
    grep -E "Causality|panicked at|test result" <<<"$loom_out"
    if [ $loom_status -eq 0 ]; then
        echo "=== $breakage: loom PASSED (no teeth)"
        survived+=("$breakage/loom")
    else
        echo "=== $breakage: loom failed, as it must"
    fi
    if [ $miri = 1 ]; then
        # (Not a pipeline into grep: with pipefail, Miri's own failure would fail the test.)
        miri_out=$(MIRIFLAGS=-Zmiri-strict-provenance cargo "+$MAPI_NIGHTLY" miri test -q -p mapi-notify-sink \
            --test com 2>&1)
        if grep -m 1 "Undefined Behavior:" <<<"$miri_out"; then
            echo "=== $breakage: Miri found undefined behaviour, as it must"
        else
            echo "=== $breakage: Miri PASSED (no teeth)"
            survived+=("$breakage/miri")
        fi
    fi
done
if [ ${#survived[@]} -ne 0 ]; then
    echo "fast-path-teeth: a breakage survived: ${survived[*]}"
    exit 1
fi
echo "fast-path-teeth: every breakage was caught"
