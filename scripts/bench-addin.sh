#!/usr/bin/env bash
# The example add-in's cost, side by side in one run: this tree's (on #[outlook_addin]) and the
# hand-written one it replaced (BASELINE, default 5d8b2f5, the last commit with it), each
# checked out in a git worktree of its own.
#
#     bash scripts/bench-addin.sh [BASELINE] [RUNS]        (RUNS: outlook-sim runs each, default 7)
#
# For each: a cold release build of `-p outlook-addin-example` for x86_64-pc-windows-gnu (an
# empty target folder, so every dependency is built too; wall time, on this machine's cores),
# the DLL's size stripped (`strip --strip-all`), and, with this tree's release outlook-sim under
# Wine, the add-in's start-up (the DLL's load to OnStartupComplete) and shut-down
# (OnBeginShutdown to its release), the median of RUNS runs by DLL path, alternating between the
# two. Prints a Markdown table (what BENCHMARKS.md shows) last.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
baseline=${1:-5d8b2f5}
runs=${2:-7}
target=x86_64-pc-windows-gnu
clsid=F8B51E39-75C3-43EF-BAE8-D60096161F06
say() { echo "--- bench-addin: $*" >&2; }
cd "$repo"
work=$(mktemp -d)
cleanup() {
    git -C "$repo" worktree remove --force "$work/baseline" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
git worktree add --detach "$work/baseline" "$baseline" >/dev/null 2>&1
git -C "$work/baseline" log -1 --format='baseline: %h %s' | cut -c1-100 >&2

# cold_build TREE NAME: builds in an empty target folder; prints the seconds; leaves the
# stripped DLL at $work/NAME.dll.
cold_build() {
    local tree=$1 name=$2 start end
    start=$(date +%s.%N)
    (cd "$tree" && CARGO_TARGET_DIR=$work/target-$name cargo build -q --release --target "$target" \
        -p outlook-addin-example)
    end=$(date +%s.%N)
    x86_64-w64-mingw32-strip --strip-all -o "$work/$name.dll" \
        "$work/target-$name/$target/release/outlook_addin.dll"
    echo "$end - $start" | bc
}
say "cold release build, hand-written ($baseline)"
baseline_build=$(cold_build "$work/baseline" hand-written)
say "cold release build, #[outlook_addin] (this tree)"
current_build=$(cold_build "$repo" library)
baseline_size=$(stat -c %s "$work/hand-written.dll")
current_size=$(stat -c %s "$work/library.dll")

say "outlook-sim (release, this tree) under Wine: $runs runs of each, alternating"
cargo build -q --release --target "$target" -p outlook-sim -p olmapi32-stand-in
# shellcheck source=scripts/windows/wine-prefix.sh
source scripts/windows/wine-prefix.sh
wine_prefix "$repo" say
sim=$repo/target/$target/release/outlook-sim.exe
for name in hand-written library; do
    : >"$work/$name.startup"
    : >"$work/$name.shutdown"
done
for ((run = 1; run <= runs; run++)); do
    for name in hand-written library; do
        "$(wine_loader "$target")" "$sim" --dll "$work/$name.dll" --clsid "$clsid" >"$work/out.txt" 2>&1 || {
            tr -d '\r' <"$work/out.txt" >&2
            say "outlook-sim failed on the $name add-in"
            exit 1
        }
        tr -d '\r' <"$work/out.txt" | sed -nE 's/.*check ok:   start-up .* took ([0-9.]+) ms.*/\1/p' >>"$work/$name.startup"
        tr -d '\r' <"$work/out.txt" | sed -nE 's/.*check ok:   shut-down .* took ([0-9.]+) ms.*/\1/p' >>"$work/$name.shutdown"
    done
done
median() { sort -n "$1" | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo
echo "| example add-in ($target) | hand-written ($baseline) | \`#[outlook_addin]\` |"
echo "|---|---:|---:|"
printf '| DLL, release, stripped | %d bytes | %d bytes |\n' "$baseline_size" "$current_size"
printf '| cold release build (%s cores) | %.0f s | %.0f s |\n' "$(nproc)" "$baseline_build" "$current_build"
printf '| start-up in outlook-sim, median of %d | %s ms | %s ms |\n' "$runs" \
    "$(median "$work/hand-written.startup")" "$(median "$work/library.startup")"
printf '| shut-down in outlook-sim, median of %d | %s ms | %s ms |\n' "$runs" \
    "$(median "$work/hand-written.shutdown")" "$(median "$work/library.shutdown")"
