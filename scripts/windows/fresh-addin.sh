#!/usr/bin/env bash
# A new user's add-in, from nothing, as the README's "Write an Outlook add-in" says.
#
#     bash scripts/windows/fresh-addin.sh [TARGET]   (scripts/test-windows.sh runs it)
#
# TARGET is x86_64-pc-windows-gnu (the default) or i686-pc-windows-gnu.
# 1. `cargo new --lib offline-log` in a temporary folder, with cargo's defaults (edition 2024),
#    then the README's Cargo.toml lines, src/lib.rs and tests/outlook.rs, taken from the README
#    itself (the blocks marked `<!-- fresh-addin: FILE -->`), the two paths pointed at this
#    checkout; the CLSID is written once in it. `cargo build` of it for Linux.
# 2. outlook-sim installed as the README says (scripts/install-outlook-sim.sh, the debug
#    builds, its default place: ~/.local).
# 3. With the x86_64 target only (the test runs both bitnesses): the README's `cargo test`, on
#    Linux, with no runner, no environment variable, no path set by hand: the add-in built for
#    64- and 32-bit Office and run in outlook-sim. Then the add-in's log message changed:
#    `cargo test` fails (the DLL is rebuilt, never stale); a test of two runs in a row per
#    bitness (Report::addin_log() holds each run's lines only); and each missing piece hidden in
#    turn (Wine, the installed outlook-sim, the Rust target): the test fails naming the command
#    that installs it.
# 4. With TARGET: the DLL registered by `outlook-sim regsvr32` for all users in the suite's
#    prefix, loaded by ProgID through 2 transitions (each notification in the add-in's log),
#    and as a library in the test program's own process under Wine (Simulation::progid, twice,
#    each report with its run's log lines), unregistered, and no key left in either view.
# The crate's target folder is kept between runs (moved in and out of the new crate): its
# dependencies are built once. Prints "fresh-addin: N passed, M failed" last; exits 1 if any
# check failed.
set -uo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
target=${1:-x86_64-pc-windows-gnu}
target_dir=${CARGO_TARGET_DIR:-$repo/target}
# The user's cargo test runs with cargo's defaults: no target folder of ours.
unset CARGO_TARGET_DIR
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
# shellcheck source=.ci/toolchains
source .ci/toolchains
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
crate=$work/offline-log
cache=$target_dir/fresh-addin/crate-target
# The crate's target folder goes back to the cache at the end, whatever happens.
trap '[ -d "$crate/target" ] && rm -rf "$cache" && mkdir -p "$(dirname "$cache")" && mv "$crate/target" "$cache"; rm -rf "$work"' EXIT
say "cargo new --lib offline-log in $work"
(cd "$work" && cargo new -q --lib offline-log) || give_up "cargo new --lib"
check "cargo new made an edition-2024 crate, as a new user gets" grep -qx 'edition = "2024"' "$crate/Cargo.toml"
manifest_lines=$(readme_block Cargo.toml)
lib=$(readme_block src/lib.rs)
test=$(readme_block tests/outlook.rs)
[ -n "$manifest_lines" ] && [ -n "$lib" ] && [ -n "$test" ] || give_up "the README has the three marked blocks"
# In place of the empty [dependencies], with the paths pointed at this checkout.
manifest_lines=${manifest_lines//..\/mapi-notify-sink\//$repo/}
awk -v lines="$manifest_lines" '$0 == "[dependencies]" { print lines; next } { print }' \
    "$crate/Cargo.toml" >"$crate/Cargo.toml.new" && mv "$crate/Cargo.toml.new" "$crate/Cargo.toml"
printf '%s\n' "$lib" >"$crate/src/lib.rs"
mkdir -p "$crate/tests"
printf '%s\n' "$test" >"$crate/tests/outlook.rs"
progid=$(sed -nE 's/.*progid = "([^"]+)".*/\1/p' "$crate/src/lib.rs")
clsid=$(sed -nE 's/.*clsid = "([^"]+)".*/\1/p' "$crate/src/lib.rs")
[ -n "$progid" ] && [ -n "$clsid" ] || give_up "the README's add-in names its ProgID and CLSID"
written=$(cd "$crate" && grep -rIic -- "${clsid%%-*}" Cargo.toml src tests | awk -F: '{ n += $2 } END { print n }')
check "the CLSID is written once in the author's crate (grep -c: $written, in src/lib.rs)" test "$written" -eq 1
[ -d "$cache" ] && mv "$cache" "$crate/target"

cd "$crate"
say "cargo build (Linux)"
check "the add-in crate builds on Linux (cargo build)" cargo build -q

# 2. outlook-sim, installed as the README says, where it says.
cd "$repo"
say "bash scripts/install-outlook-sim.sh --debug"
CARGO_TARGET_DIR=$target_dir bash scripts/install-outlook-sim.sh --debug >/dev/null ||
    give_up "scripts/install-outlook-sim.sh"
outlook_sim=$HOME/.local/bin/outlook-sim
# shellcheck source=scripts/windows/wine-prefix.sh
source scripts/windows/wine-prefix.sh
cd "$crate"

# 3. The README's cargo test, both bitnesses, once. Nothing of the suite's own reaches it: no
# Wine prefix, runner, MAPI path or target folder of ours (test-windows.sh sets some).
for variable in WINEPREFIX WINEDEBUG OUTLOOK_SIM_WINEPREFIX OUTLOOK_SIM_MAPI CARGO_TARGET_DIR \
    CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUNNER CARGO_TARGET_I686_PC_WINDOWS_GNU_RUNNER; do
    unset "$variable"
done
if [ "$bits" = 64 ]; then
    say "cargo test (Linux; the README's tests/outlook.rs: 64- and 32-bit Office in outlook-sim)"
    cargo test --test outlook -- --nocapture >"$work/cargo-test.txt" 2>&1
    status=$?
    tr -d '\r' <"$work/cargo-test.txt" | grep -E '^outlook-sim --|^building|^PASS|^FAIL|check FAIL|^test |test result|panicked' | sed 's/^/      /'
    check "cargo test passes: the README's add-in in outlook-sim as 64- and 32-bit Outlook (exit $status)" \
        grep -q 'test result: ok. 1 passed' "$work/cargo-test.txt"
    for b in 64 32; do
        check "the $b-bit DLL was built by the test and run by the $b-bit outlook-sim, registered by itself" \
            grep -qE "^outlook-sim --$b --dll .*\\\\offline_log\\.dll --transitions 2 " "$work/cargo-test.txt"
    done
    check "both runs printed PASS" test "$(tr -d '\r' <"$work/cargo-test.txt" | grep -c '  PASS: ')" -eq 2
    check "the add-in's ProgID and CLSID were read from what it registered" \
        grep -q "the add-in: ProgID $progid, CLSID {$clsid} (as its DLL registered them)" "$work/cargo-test.txt"

    say "the add-in's log message changed: cargo test must fail"
    sed -i 's/Outlook went from/Outlook moved from/' src/lib.rs
    cargo test --test outlook >"$work/stale.txt" 2>&1
    status=$?
    tr -d '\r' <"$work/stale.txt" | grep -E 'panicked|left|right|test result' | head -n 4 | sed 's/^/      /'
    check "with the message changed, cargo test fails (exit $status): the DLL tested is the new source's" \
        bash -c "[ $status -ne 0 ] && grep -q 'left: 0' '$work/stale.txt' && grep -q 'right: 6' '$work/stale.txt'"
    printf '%s\n' "$lib" >src/lib.rs

    say "two runs in a row per bitness (tests/two_runs.rs): each report has its own run's log only"
    cat >tests/two_runs.rs <<'EOF'
use outlook_sim::Simulation;

/// The add-in's log lines of a report that say a transition was seen.
fn changes(log: &[String]) -> usize {
    log.iter().filter(|line| line.contains("Outlook went from")).count()
}

/// The log's run lines: one each time the DLL is loaded and logs ("--- <time>: <ProgID> in
/// process N, ...").
fn loads(log: &[String]) -> usize {
    log.iter().filter(|line| line.contains(" in process ")).count()
}

#[test]
fn each_report_has_its_own_runs_log_only() {
    for bits in [64, 32] {
        let first = Simulation::this_crate().bits(bits).transitions(2).run();
        let second = Simulation::this_crate().bits(bits).transitions(4).run();
        assert!(first.passed() && second.passed(), "{first}\n{second}");
        assert_eq!(changes(first.addin_log()), 6, "{:#?}", first.addin_log());
        // 12 of its own, not 18 with the first run's.
        assert_eq!(changes(second.addin_log()), 12, "{:#?}", second.addin_log());
        // The same loads in each run (its registration's and its run's), not the first's too.
        assert!(loads(first.addin_log()) > 0, "{:#?}", first.addin_log());
        assert_eq!(loads(second.addin_log()), loads(first.addin_log()), "{:#?}", second.addin_log());
        assert!(first.addin_log().iter().any(|line| line.contains(&format!("{bits}-bit"))));
    }
}
EOF
    cargo test --test two_runs >"$work/two-runs.txt" 2>&1
    status=$?
    tr -d '\r' <"$work/two-runs.txt" | grep -E '^test |test result|panicked' | sed 's/^/      /'
    check "two runs in a row, 64- and 32-bit: the second report's log has its own run's lines only (12 changes, not 18; as many loads as the first) (exit $status)" \
        grep -q 'test result: ok. 1 passed' "$work/two-runs.txt"

    # Each missing piece, hidden in turn: the test fails and names the command that installs it.
    # hidden_path PATTERN: a folder with every program on PATH but those matching PATTERN.
    hidden_path() {
        local bin folder program
        bin=$(mktemp -d -p "$work")
        IFS=: read -ra folders <<<"$PATH"
        for folder in "${folders[@]}"; do
            for program in "$folder"/*; do
                [ -e "$program" ] || continue
                # shellcheck disable=SC2053
                [[ $(basename "$program") == $1 ]] && continue
                [ -e "$bin/$(basename "$program")" ] || ln -s "$program" "$bin/$(basename "$program")"
            done
        done
        echo "$bin"
    }
    missing_piece() {
        local what=$1 command=$2 file=$3
        tr -d '\r' <"$file" | grep -m 1 -o "outlook-sim cannot run: .*" | cut -c 1-240 | sed 's/^/      /'
        check "$what hidden: the test fails naming the command that installs it ($command)" \
            grep -qF -- "$command" "$file"
    }
    say "Wine hidden (PATH without it)"
    PATH=$(hidden_path 'wine*') cargo test --test outlook >"$work/no-wine.txt" 2>&1
    missing_piece "Wine" "apt-get install --no-install-recommends wine wine64 wine32:i386" "$work/no-wine.txt"
    say "the installed outlook-sim hidden (a home without it, PATH without it)"
    mkdir -p "$work/home"
    # Cargo's and rustup's homes stay (expanded first: a later assignment would see the new HOME).
    cargo_home=${CARGO_HOME:-$HOME/.cargo} rustup_home=${RUSTUP_HOME:-$HOME/.rustup}
    HOME=$work/home CARGO_HOME=$cargo_home RUSTUP_HOME=$rustup_home PATH=$(hidden_path 'outlook-sim') \
        cargo test --test outlook >"$work/no-host.txt" 2>&1
    missing_piece "the installed outlook-sim" "bash $repo/scripts/install-outlook-sim.sh" "$work/no-host.txt"
    # The test program itself, run as cargo runs it, with a toolchain that lacks the target (CI's
    # pinned nightly has no -gnu Windows target): cargo test would rebuild with it.
    program=$(find target/debug/deps -maxdepth 1 -type f -executable -name 'outlook-*' -printf '%T@ %p\n' |
        sort -rn | head -n 1 | cut -d' ' -f2-)
    if rustup target list --installed --toolchain "$MAPI_NIGHTLY" 2>/dev/null | grep -qx x86_64-pc-windows-gnu; then
        say "the Rust target: $MAPI_NIGHTLY has x86_64-pc-windows-gnu, nothing hides it (the Linux test of the check does)"
    else
        say "the Rust target hidden (the test program run with $MAPI_NIGHTLY, which lacks it)"
        CARGO_MANIFEST_DIR=$crate RUSTUP_TOOLCHAIN=$MAPI_NIGHTLY "$program" >"$work/no-target.txt" 2>&1
        missing_piece "the Rust target" "rustup target add x86_64-pc-windows-gnu" "$work/no-target.txt"
    fi
fi

# 4. With TARGET: registered as a user registers it, by ProgID; and as a library, in-process.
# The suite's prefix (the same stand-ins; made by the same functions): no second wineboot.
wine_prefix "$repo" say || give_up "the Wine prefix"
export OUTLOOK_SIM_WINEPREFIX=$WINEPREFIX
say "cargo build --target $target"
cargo build -q --target "$target" || give_up "cargo build --target $target"
dll=$crate/target/$target/debug/offline_log.dll
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

# outlook-sim as a library in the test program's own process (Windows, under Wine), by the
# ProgID just registered: twice, each report with the lines the add-in's log gained in its run.
say "cargo test --target $target (outlook-sim in the test's own process, under Wine)"
cat >tests/in_process.rs <<'EOF'
#![cfg(windows)]
use outlook_sim::Simulation;

#[test]
fn outlook_sim_in_this_process() {
    for transitions in [2, 4] {
        let report = Simulation::progid("Contoso.OfflineLog")
            .transitions(transitions)
            .mapi(std::env::var("OUTLOOK_SIM_MAPI").unwrap())
            .run();
        assert!(report.passed(), "{report}");
        let changes = report.addin_log().iter().filter(|line| line.contains("Outlook went from"));
        assert_eq!(changes.count(), 3 * transitions as usize, "{:#?}", report.addin_log());
    }
}
EOF
runner=CARGO_TARGET_$(echo "$target" | tr 'a-z-' 'A-Z_')_RUNNER
export "$runner=$(outlook_sim_loader "$bits")"
OUTLOOK_SIM_MAPI=$(winepath -w "$HOME/.local/lib/outlook-sim/$bits/olmapi32.dll" 2>/dev/null | tr -d '\r') \
    cargo test -q --target "$target" --test in_process >"$work/in-process.txt" 2>&1
status=$?
tr -d '\r' <"$work/in-process.txt" | grep -E '^test |test result|FAIL|panicked' | sed 's/^/      /'
check "outlook-sim in the test's own process under Wine, by ProgID: each run's log lines its own (exit $status)" \
    bash -c "[ $status -eq 0 ] && tr -d '\r' <'$work/in-process.txt' | grep -q 'test result: ok. 1 passed'"

check "outlook-sim regsvr32 /u /n /i:allusers unregisters it" "$outlook_sim" regsvr32 /u /n /i:allusers "$dll"
for key in "Software\\Classes\\CLSID\\{$clsid}" "Software\\Classes\\$progid" \
    "Software\\Microsoft\\Office\\Outlook\\Addins\\$progid"; do
    for v in "$view" "$other_view"; do
        check "no HKLM\\$key is left ($v-bit view)" key_absent "HKLM\\$key" "$v"
    done
done

checks_summary fresh-addin
