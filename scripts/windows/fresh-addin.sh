#!/usr/bin/env bash
# A new user's add-in, from nothing, as the README's "Write an Outlook add-in" says, under Wine.
#
#     bash scripts/windows/fresh-addin.sh [TARGET]   (scripts/test-windows.sh runs it)
#
# TARGET is x86_64-pc-windows-gnu (the default) or i686-pc-windows-gnu.
# 1. `cargo new --lib offline-log` in a temporary folder, with cargo's defaults (edition 2024),
#    then the README's Cargo.toml lines, src/lib.rs and tests/outlook.rs, taken from the README
#    itself (the blocks marked `<!-- fresh-addin: FILE -->`), the dependency's path pointed at
#    this checkout.
# 2. `cargo build` and `cargo test` of it for Linux: an add-in crate builds anywhere.
# 3. outlook-sim installed as the README says (scripts/install-outlook-sim.sh, the debug
#    builds), then, with it: the DLL built for TARGET, registered by `outlook-sim regsvr32` for
#    all users, loaded by ProgID through 2 transitions (each notification in the add-in's log),
#    unregistered, and no key left in either registry view.
# 4. The README's own test (tests/outlook.rs: outlook-sim as a library) run under Wine.
# Prints "fresh-addin: N passed, M failed" last; exits 1 if any check failed.
set -uo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
target=${1:-x86_64-pc-windows-gnu}
target_dir=${CARGO_TARGET_DIR:-$repo/target}
say() { echo "--- fresh-addin ($target): $*"; }
case $target in
x86_64-*) bits=64 view=64 other_view=32 ;;
i686-*) bits=32 view=32 other_view=64 ;;
*)
    echo "fresh-addin: unknown target $target" >&2
    exit 2
    ;;
esac

# shellcheck source=scripts/windows/check.sh
source scripts/windows/check.sh
give_up() {
    echo "FAIL: $*"
    echo "fresh-addin: $passed passed, $((failed + 1)) failed"
    exit 1
}

# The README block marked `<!-- fresh-addin: FILE -->`, without its fence and indentation.
readme_block() {
    awk -v file="$1" '
        index($0, "<!-- fresh-addin: " file " -->") { marked = 1; next }
        marked && !inside && /^ *```/ { inside = 1; match($0, /^ */); indent = RLENGTH; next }
        inside && /^ *```/ { exit }
        inside { print substr($0, indent + 1) }' README.md
}

# 1. The crate, as the README says.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
say "cargo new --lib offline-log in $work"
(cd "$work" && cargo new -q --lib offline-log) || give_up "cargo new --lib"
crate=$work/offline-log
check "cargo new made an edition-2024 crate, as a new user gets" grep -qx 'edition = "2024"' "$crate/Cargo.toml"
manifest_lines=$(readme_block Cargo.toml)
lib=$(readme_block src/lib.rs)
test=$(readme_block tests/outlook.rs)
[ -n "$manifest_lines" ] && [ -n "$lib" ] && [ -n "$test" ] || give_up "the README has the three marked blocks"
# In place of the empty [dependencies], with the path pointed at this checkout.
manifest_lines=${manifest_lines//..\/mapi-notify-sink\/runtime/$repo/runtime}
awk -v lines="$manifest_lines" '$0 == "[dependencies]" { print lines; next } { print }' \
    "$crate/Cargo.toml" >"$crate/Cargo.toml.new" && mv "$crate/Cargo.toml.new" "$crate/Cargo.toml"
printf '\n[target.'"'"'cfg(windows)'"'"'.dev-dependencies]\noutlook-sim = { path = "%s/host" }\n' "$repo" >>"$crate/Cargo.toml"
printf '%s\n' "$lib" >"$crate/src/lib.rs"
mkdir -p "$crate/tests"
printf '%s\n' "$test" >"$crate/tests/outlook.rs"
progid=$(sed -nE 's/.*progid = "([^"]+)".*/\1/p' "$crate/src/lib.rs")
clsid=$(sed -nE 's/.*clsid = "([^"]+)".*/\1/p' "$crate/src/lib.rs")
[ -n "$progid" ] && [ -n "$clsid" ] || give_up "the README's add-in names its ProgID and CLSID"

# Its builds share a target folder across runs (the crate is new each time, its dependencies
# are not).
export CARGO_TARGET_DIR=$target_dir/fresh-addin
cd "$crate"

# 2. On Linux.
say "cargo build, cargo test (Linux)"
check "the add-in crate builds on Linux (cargo build)" cargo build -q
check "its tests build and run on Linux (cargo test)" cargo test -q

# 3. outlook-sim, installed as the README says, into a folder of this run's.
cd "$repo"
install=$target_dir/fresh-addin/installed
say "bash scripts/install-outlook-sim.sh --prefix $install --debug"
CARGO_TARGET_DIR=$target_dir bash scripts/install-outlook-sim.sh --prefix "$install" --debug >/dev/null ||
    give_up "scripts/install-outlook-sim.sh"
outlook_sim=$install/bin/outlook-sim
# The suite's prefix (the same stand-ins; made by the same functions): no second wineboot.
# shellcheck source=scripts/windows/wine-prefix.sh
source scripts/windows/wine-prefix.sh
wine_prefix "$repo" say || give_up "the Wine prefix"
export OUTLOOK_SIM_WINEPREFIX=$WINEPREFIX

cd "$crate"
say "cargo build --target $target"
cargo build -q --target "$target" || give_up "cargo build --target $target"
dll=$CARGO_TARGET_DIR/$target/debug/offline_log.dll
check "the $bits-bit DLL is there" test -f "$dll"
check "it is a $bits-bit DLL" test "$(outlook_sim_bits "$dll")" = "$bits"

key_absent() { ! wine reg query "$1" "/reg:$2" >/dev/null 2>&1; }
addins="HKLM\\Software\\Microsoft\\Office\\Outlook\\Addins\\$progid"
"$outlook_sim" regsvr32 /u /n /i:allusers "$dll" >/dev/null 2>&1 # a previous run's, if any
check "outlook-sim regsvr32 /n /i:allusers registers it" "$outlook_sim" regsvr32 /n /i:allusers "$dll"
check "$addins has LoadBehavior 3 in the $view-bit view" \
    bash -c "wine reg query '$addins' /v LoadBehavior /reg:$view 2>/dev/null | grep -q 0x3"

log_unix=$(addin_log_path "$progid" "$bits") || give_up "no log path for $progid"
mkdir -p "$(dirname "$log_unix")"
: >"$log_unix"
say "outlook-sim --$bits --progid $progid --transitions 2"
"$outlook_sim" "--$bits" --progid "$progid" --transitions 2 >"$work/outlook-sim.txt" 2>&1
status=$?
tr -d '\r' <"$work/outlook-sim.txt" | grep -E 'check|PASS|FAIL|start-up|shut-down' | sed 's/^/      /'
check "outlook-sim passes the README's add-in (exit $status)" test "$status" -eq 0
check "outlook-sim printed PASS last" bash -c "tail -n 1 '$work/outlook-sim.txt' | grep -q 'PASS: $progid'"
check "Outlook's fast shutdown: the README's add-in was released, never disconnected" \
    bash -c "grep -q 'Outlook exits with fast shutdown' '$work/outlook-sim.txt' && ! grep -qE 'OnBeginShutdown\(|OnDisconnection\(' '$work/outlook-sim.txt'"
logged=$(grep -c 'Outlook went from' "$log_unix")
check "its log has the 6 notifications of 2 transitions: $logged" test "$logged" -eq 6
grep -a 'Outlook went from' "$log_unix" | tr -d '\r' | head -n 3 | sed 's/^/      /'

check "outlook-sim regsvr32 /u /n /i:allusers unregisters it" "$outlook_sim" regsvr32 /u /n /i:allusers "$dll"
for key in "Software\\Classes\\CLSID\\{$clsid}" "Software\\Classes\\$progid" \
    "Software\\Microsoft\\Office\\Outlook\\Addins\\$progid"; do
    for v in "$view" "$other_view"; do
        check "no HKLM\\$key is left ($v-bit view)" key_absent "HKLM\\$key" "$v"
    done
done

# 4. The README's test, outlook-sim as a library, on Windows (Wine).
say "cargo test --target $target (the README's tests/outlook.rs, under Wine)"
runner=CARGO_TARGET_$(echo "$target" | tr 'a-z-' 'A-Z_')_RUNNER
export "$runner=$(outlook_sim_loader "$bits")"
OUTLOOK_SIM_MAPI=$(winepath -w "$install/lib/outlook-sim/$bits/olmapi32.dll" 2>/dev/null | tr -d '\r') \
    cargo test -q --target "$target" >"$work/cargo-test.txt" 2>&1
status=$?
tr -d '\r' <"$work/cargo-test.txt" | grep -E '^test |test result|FAIL|panicked' | sed 's/^/      /'
check "the README's outlook-sim test passes under Wine (exit $status)" \
    bash -c "[ $status -eq 0 ] && tr -d '\r' <'$work/cargo-test.txt' | grep -q 'test result: ok. 1 passed'"

checks_summary fresh-addin
