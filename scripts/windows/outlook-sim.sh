#!/usr/bin/env bash
# outlook-sim's own tests, under Wine: its PASS must mean classic Outlook would be fine (SPEC 11).
#
#     bash scripts/windows/outlook-sim.sh [TARGET]   (scripts/test-windows.sh runs it)
#
# TARGET is x86_64-pc-windows-gnu (the default) or i686-pc-windows-gnu. Each fixture is an add-in
# doing one thing Outlook suffers from, and each run checks outlook-sim's exit code and the
# verdict naming what the add-in did; the good ones must pass.
# 1. host/flawed-addin (plain windows-rs, FLAWED_ADDIN chooses the flaw), loaded by path.
# 2. host/library-addin (#[outlook_addin]): on_connection failing or panicking fails the run
#    unless --allow-inert; registered, its shutdown_notification = true brings OnBeginShutdown
#    and OnDisconnection at exit.
# 3. The flawed add-in registered by hand under a ProgID, as Office reads it: LoadBehavior 2,
#    0, 3, 9 and 16, ThreadingModel=Free, a per-user registration whose class is in HKLM, and
#    RequireShutdownNotification=1.
# 4. The example add-in: --connect after-startup, --cycles 20, --burst.
# 5. Every new option given a wrong value: exit 2 and a message naming the option.
# Prints "outlook-sim: N passed, M failed" last; exits 1 if any check failed.
set -uo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
target=${1:-x86_64-pc-windows-gnu}
target_dir=${CARGO_TARGET_DIR:-$repo/target}
bin=$target_dir/$target/debug
out=$target_dir/$target/outlook-sim-tests # each run's output, kept for a person to look at
mkdir -p "$out"
say() { echo "--- outlook-sim ($target): $*"; }

# shellcheck source=scripts/windows/wine-prefix.sh
source scripts/windows/wine-prefix.sh
wine_prefix "$repo" say
if ! windows_target "$target"; then
    echo "outlook-sim: unknown target $target" >&2
    exit 2
fi
# shellcheck source=scripts/windows/check.sh
source scripts/windows/check.sh

say "building outlook-sim, the stand-in MAPI, the example add-in and the fixtures"
if ! cargo build -q --target "$target" -p outlook-sim -p olmapi32-stand-in -p outlook-addin-example \
    -p flawed-addin -p library-addin; then
    echo "outlook-sim: 0 passed, 1 failed"
    exit 1
fi
sim=$bin/outlook-sim.exe

# expect NAME EXIT MESSAGE [env VAR=VALUE...] -- outlook-sim ARGS...: runs outlook-sim (with the
# environment given), checks its exit code and that its output has MESSAGE (a grep -E pattern),
# and shows the verdict's lines.
expect() {
    local name=$1 want=$2 message=$3 status
    shift 3
    local environment=()
    while [ "$1" != "--" ]; do
        environment+=("$1")
        shift
    done
    shift
    env "${environment[@]}" wine "$sim" "$@" >"$out/$name.txt" 2>&1
    status=$?
    tr -d '\r' <"$out/$name.txt" >"$out/$name.log"
    check "$name: outlook-sim exits $want (got $status)" test "$status" -eq "$want"
    check "$name: it says \"$message\"" grep -qE -- "$message" "$out/$name.log"
    grep -E '^ +- |FAIL: |PASS' "$out/$name.log" | grep -v 'check FAIL' | cut -c1-220 | sed 's/^/      /'
}

# 1. The flawed add-in, by path: each flaw fails with a verdict naming it; no flaw passes.
flawed_clsid='{6F3A0F5E-2B7C-4D51-9A55-0C1F5A7D9E01}'
flawed() { # flawed FLAW EXIT MESSAGE [outlook-sim options...]
    local flaw=$1 want=$2 message=$3
    shift 3
    expect "flawed-$flaw" "$want" "$message" FLAWED_ADDIN="$flaw" -- --dll "$bin/flawed_addin.dll" \
        --clsid "$flawed_clsid" "$@"
}
# A registration of the flawed CLSID left by an interrupted run would be checked too: none.
unregister_flawed() {
    local root key
    for root in HKLM HKCU; do
        for key in "Software\\Classes\\CLSID\\$flawed_clsid" "Software\\Classes\\MapiNotifySink.FlawedAddin" \
            "Software\\Microsoft\\Office\\Outlook\\Addins\\MapiNotifySink.FlawedAddin"; do
            wine reg delete "$root\\$key" /f "/reg:$view" >/dev/null 2>&1
        done
    done
}
unregister_flawed
flawed none 0 "^ +[0-9.]+ ms  PASS: "
check "flawed-none: fast shutdown by default: neither OnBeginShutdown nor OnDisconnection was called" \
    bash -c "grep -q 'Outlook exits with fast shutdown' '$out/flawed-none.log' && ! grep -qE 'OnBeginShutdown\(|OnDisconnection\(' '$out/flawed-none.log'"
flawed never-unadvise 1 "sink\(s\) still advised after the add-in's release: the add-in never called Unadvise"
flawed leak-sink 1 "DllCanUnloadNow is S_OK after the add-in's release: it returned 0x00000001 \(S_FALSE\)"
flawed never-unload 1 "DllCanUnloadNow is S_OK after the add-in's release: it returned 0x00000001 \(S_FALSE\)"
flawed unload-while-connected 1 "DllCanUnloadNow is S_FALSE while the add-in is connected: it returned 0x00000000 \(S_OK\)"
flawed fail-connection 1 "OnConnection failed with 0x80004005 \(E_FAIL\)"
flawed slow 1 "start-up \(the DLL's load to OnStartupComplete\) took 1[0-9]{3}\.[0-9] ms"
flawed panic 3 "FAIL: the host process ended \(exit code 0x[0-9A-F]+\) without a verdict"
flawed exit-in-connection 3 "without a verdict, in the call after its last step, \"QueryInterface\(IDTExtensibility2\) -> S_OK\""
flawed crash-to-exit 3 "FAIL: the host process ended \(exit code 0x00000000\) without a verdict"
flawed thread-left 1 "thread\(s\) the add-in started still run its code after its release"
flawed window-left 1 "a window of class \"FlawedAddIn.Window\" whose procedure is in the add-in's DLL is still open"
flawed timer-left 1 "after the DLL was unloaded, the host faulted at 0x[0-9a-f]+, inside the add-in's DLL"
flawed hook-left 1 "after the DLL was unloaded, the host faulted at 0x[0-9a-f]+, inside the add-in's DLL"
flawed handler-left 3 "a vectored exception handler it left was called for the host's exception"
flawed com-reinit 1 "OnConnection\(.*\) called CoUninitialize on Outlook's main thread until its apartment was gone"
flawed com-reinit-sta 1 "OnConnection\(.*\) called CoUninitialize on Outlook's main thread until its apartment was gone"
flawed com-unbalanced 1 "OnConnection\(.*\) left COM's count on the main thread at 2 \(it was 1\)"
flawed class-left 1 "the window class \"FlawedAddIn.Window\" the add-in registered is still registered"
flawed fp-traps 1 "OnConnection\(.*\) changed the main thread's floating-point control"
flawed block-transition 1 "after transition 1, the main thread spent 1[0-9]{3} ms in one message" --transitions 1
flawed block-after-startup 1 "after start-up, the main thread spent [3-9][0-9]{3} ms in one message"
flawed slow-notify 1 "transition 1: one Notify took [5-9][0-9]{2} ms" --transitions 1
flawed wrong-thread 1 "6 call\(s\) came from another thread and were refused with RPC_E_WRONG_THREAD"
flawed modal-loop 1 "OnStartupComplete\(custom\) ran a message loop of its own"
flawed post-per-notification 1 "the main thread's queue held 3000 message\(s\) after the burst, at most 1000" --burst 1000
# After the verdict, the process must end cleanly and in time: a DLL still loaded at exit that
# crashes, or waits forever, in DLL_PROCESS_DETACH.
flawed crash-at-exit 3 "FAIL: the host process crashed at exit \(exit code 0xC0000005\), after its verdict"
flawed hang-at-exit 4 "FAIL: the host process did not end within 3 s after its last step" --timeout 3
# A call that never returns: the watchdog ends the run (exit 4) once --timeout has passed,
# naming the call, instead of hanging with the add-in as Outlook would.
started=$SECONDS
flawed hang 4 "FAIL: OnStartupComplete\(custom\) did not return within 3 s" --timeout 3
took=$((SECONDS - started))
check "flawed-hang: outlook-sim ended within 3 s of the timeout (in ${took} s, Wine's start included)" test "$took" -le 6
# Its IDispatch is a stub (E_NOTIMPL), which only a host calling through Invoke notices.
expect flawed-none-via-invoke 1 "the add-in cannot be called through IDispatch" -- --dll "$bin/flawed_addin.dll" \
    --clsid "$flawed_clsid" --via-invoke

# A hand-written add-in through the cycles: connected, disconnected, unloaded, four times.
flawed none-cycles 0 "check ok:   between connections the DLL was unloaded and loaded again" --cycles 3
# 2. An #[outlook_addin] whose on_connection fails or panics: the library tells Outlook S_OK,
# outlook-sim still fails it, unless --allow-inert.
library_clsid='{0B3C6E5A-8E21-4A77-9C3F-5D2B7A41E6C9}'
library() { # library MODE EXIT MESSAGE [outlook-sim options...]
    local mode=$1 want=$2 message=$3
    shift 3
    # RUST_BACKTRACE=0: with a backtrace, std's panic message is symbolised through Wine's 32-bit
    # dbghelp, which takes over a second, and that second counts into the start-up's time.
    expect "library-$mode$*" "$want" "$message" LIBRARY_ADDIN="$mode" RUST_BACKTRACE=0 -- \
        --dll "$bin/library_addin.dll" --clsid "$library_clsid" "$@"
}
# A registration of the library add-in left by an interrupted run would be read: none.
regsvr32 /s /u /n /i:allusers "$bin/library_addin.dll" >/dev/null 2>&1
library error 1 "the add-in is loaded but inert: on_connection returned an error: the fixture's profile failed: 0x8004010F \(MAPI_E_NOT_FOUND\)"
library panic 1 "the add-in is loaded but inert: on_connection panicked"
library error 0 "inert \(on_connection returned an error.*accepted \(--allow-inert\)" --allow-inert
library panic 0 "inert \(on_connection panicked.*accepted \(--allow-inert\)" --allow-inert
library ok 0 "^ +[0-9.]+ ms  PASS: "
# Outlook::stores() and default_store() through outlook-sim's object model (SPEC 13); a sink
# left advised on a store (its guard forgotten) fails the run.
if library_log=$(addin_log_path MapiNotifySink.LibraryAddin "$view"); then
    mkdir -p "$(dirname "$library_log")"
    : >"$library_log"
fi
library stores 0 "new mail: 2 message\(s\) arrived in the Inbox; 2 notification\(s\) reached the add-in's sinks" --new-mail 2
check "library-stores: Outlook::stores() named both stores, in order (its log)" \
    grep -qF 'stores: ["Outlook Data File", "Archives"]' "${library_log:-/nonexistent}"
library store-leak 1 "no sink is left advised on the stores once the add-in is released: 1 connection\(s\) still advised" --new-mail 1

# Registered, it asks for the shutdown notification (shutdown_notification = true).
library_dll=$bin/library_addin.dll
library_progid=MapiNotifySink.LibraryAddin
check "regsvr32 /n /i:allusers registers the library add-in" regsvr32 /s /n /i:allusers "$library_dll"
if library_log=$(addin_log_path "$library_progid" "$view"); then
    mkdir -p "$(dirname "$library_log")"
    : >"$library_log"
fi
expect library-progid 0 "RequireShutdownNotification 1" -- --progid "$library_progid"
check "library-progid: OnBeginShutdown then OnDisconnection(ext_dm_HostShutdown) were called" \
    bash -c "grep -A4 'OnBeginShutdown and OnDisconnection come' '$out/library-progid.log' | grep -q 'OnBeginShutdown(custom) -> 0x00000000' &&
        grep -q 'OnDisconnection(ext_dm_HostShutdown, custom) -> 0x00000000' '$out/library-progid.log'"
check "library-progid: the add-in's own on_disconnection ran (its log)" grep -q 'INFO   on_disconnection' "${library_log:-/nonexistent}"
check "regsvr32 /u /n /i:allusers unregisters it" regsvr32 /s /u /n /i:allusers "$library_dll"

# The library add-in registering itself where only the run sees it (--dll without --clsid, as
# Simulation::this_crate runs it), with a %LOCALAPPDATA% of the run's own.
own=$out/local-app-data
rm -rf "$own"
expect library-self-registered 0 "the add-in: ProgID $library_progid, CLSID .${library_clsid:1:36}. \(as its DLL registered them\)" \
    -- --dll "$library_dll" --local-app-data "$(windows_path "$own")"
check "library-self-registered: RequireShutdownNotification read from what it registered: OnBeginShutdown came" \
    grep -q 'OnBeginShutdown(custom) -> 0x00000000' "$out/library-self-registered.log"
check "library-self-registered: no key of it left in the prefix's registry (the run's own keys deleted)" \
    bash -c "! wine reg query 'HKCU\\Software\\outlook-sim' >/dev/null 2>&1 &&
        ! wine reg query 'HKCU\\Software\\Microsoft\\Office\\Outlook\\Addins\\$library_progid' >/dev/null 2>&1 &&
        ! wine reg query 'HKLM\\Software\\Microsoft\\Office\\Outlook\\Addins\\$library_progid' >/dev/null 2>&1"
check "library-self-registered: its log is in the run's own folder, from this run's one process" \
    bash -c "[ \"\$(grep -a ' in process ' '$own/$library_progid/addin-$view.log' | sed -E 's/.* in process ([0-9]+),.*/\\1/' | sort -u | wc -l)\" -eq 1 ]"
expect flawed-self-registered 1 "the DLL does not export DllRegisterServer: it cannot register itself" \
    -- --dll "$bin/flawed_addin.dll"

# 3. The flawed add-in (no flaw) registered by hand, as installers do, in this bitness's view.
progid=MapiNotifySink.FlawedAddin
dll_windows=$(windows_path "$bin/flawed_addin.dll") || dll_windows=unknown
class_key="Software\\Classes\\CLSID\\$flawed_clsid"
addins_key="Software\\Microsoft\\Office\\Outlook\\Addins\\$progid"
reg() { wine reg "$@" "/reg:$view" >/dev/null 2>&1; }
unregister() {
    local root
    for root in HKLM HKCU; do
        reg delete "$root\\$class_key" /f
        reg delete "$root\\Software\\Classes\\$progid" /f
        reg delete "$root\\$addins_key" /f
    done
}
# register CLASS_ROOT ADDINS_ROOT LOAD_BEHAVIOR THREADING_MODEL|- [REQUIRE_SHUTDOWN_NOTIFICATION]
register() {
    unregister
    reg add "$1\\$class_key\\InprocServer32" /ve /d "$dll_windows" /f
    if [ "$4" != - ]; then
        reg add "$1\\$class_key\\InprocServer32" /v ThreadingModel /d "$4" /f
    fi
    reg add "$1\\Software\\Classes\\$progid\\CLSID" /ve /d "$flawed_clsid" /f
    reg add "$2\\$addins_key" /v LoadBehavior /t REG_DWORD /d "$3" /f
    reg add "$2\\$addins_key" /v FriendlyName /d "Flawed add-in" /f
    if [ -n "${5:-}" ]; then
        reg add "$2\\$addins_key" /v RequireShutdownNotification /t REG_DWORD /d "$5" /f
    fi
}
registered() { # registered NAME EXIT MESSAGE [outlook-sim options...]
    local name=$1 want=$2 message=$3
    shift 3
    expect "registered-$name" "$want" "$message" -- --progid "$progid" "$@"
}
register HKLM HKLM 3 Apartment
registered load-behavior-3 0 "OnStartupComplete\(custom\) -> 0x00000000"
register HKLM HKLM 2 Apartment
registered load-behavior-2 1 "LoadBehavior 2: Outlook disabled the add-in and does not load it: Office writes 2 when loading it at start-up failed"
check "registered-load-behavior-2: it was not loaded" bash -c "! grep -q 'CoCreateInstance' '$out/registered-load-behavior-2.log'"
register HKLM HKLM 0 Apartment
registered load-behavior-0 1 "LoadBehavior 0: \"do not load automatically\""
registered load-behavior-0-connected 0 "OnStartupComplete: not called" --connect after-startup
register HKLM HKLM 1 Apartment
registered load-behavior-1 1 "LoadBehavior 1: \"do not load automatically\""
register HKLM HKLM 7 Apartment
registered load-behavior-7 1 "LoadBehavior 7 is not a value Office knows \(0, 1, 2, 3, 8, 9 or 16\)"
register HKLM HKLM 2 Apartment
registered load-behavior-2-connected 0 "LoadBehavior 2 \(unloaded, after a failed load\): the user connects it" --connect after-startup
register HKLM HKLM 8 Apartment
registered load-behavior-8 0 "LoadBehavior 8: load on demand"
register HKLM HKLM 9 Apartment
registered load-behavior-9 0 "LoadBehavior 9: load on demand: Office connects it when the user first needs it"
check "registered-load-behavior-9: connected ext_cm_AfterStartup, no OnStartupComplete" \
    bash -c "grep -q 'OnConnection(Application, ext_cm_AfterStartup' '$out/registered-load-behavior-9.log' && ! grep -q 'OnStartupComplete(custom)' '$out/registered-load-behavior-9.log'"
register HKLM HKLM 16 Apartment
registered load-behavior-16 0 "LoadBehavior 16: connect at the first start-up, then on demand: connected now, and LoadBehavior set to 9, as Office sets it after that first run \(written\)"
check "registered-load-behavior-16: the key now says LoadBehavior 9" \
    bash -c "wine reg query 'HKLM\\$addins_key' /v LoadBehavior /reg:$view 2>/dev/null | tr -d '\r' | grep -q '0x9'"
register HKLM HKLM 3 Free
registered threading-model-free 1 "ThreadingModel \"Free\": an Outlook add-in registers ThreadingModel=Apartment"
expect dll-threading-model-free 1 "ThreadingModel \"Free\"" -- --dll "$bin/flawed_addin.dll" --clsid "$flawed_clsid"
register HKLM HKLM 3 Both
registered threading-model-both 0 "check ok:   ThreadingModel Both"
register HKLM HKLM 3 -
registered threading-model-missing 0 "ThreadingModel is missing: COM makes the object in the process's main STA"
register HKLM HKCU 3 Apartment
registered per-user-writes-hklm 1 "registered for the current user .* but its class only for all users.*different roots"
register HKLM HKLM 3 Apartment 1
registered require-shutdown-notification 0 "OnDisconnection\(ext_dm_HostShutdown, custom\) -> 0x00000000"
registered shutdown-fast-asked 0 "Outlook exits with fast shutdown" --shutdown fast
unregister

# 4. The example add-in, by path (outlook-addin.sh runs it registered): connected after start-up
# (no OnStartupComplete, and it still does its work), twenty connections in a row, a burst.
example=(--dll "$bin/outlook_addin.dll" --clsid '{F8B51E39-75C3-43EF-BAE8-D60096161F06}')
if example_log=$(addin_log_path MapiNotifySink.OutlookAddin "$view"); then
    mkdir -p "$(dirname "$example_log")"
    : >"$example_log"
else
    check "the example add-in's log path is known" false
    example_log=$out/no-log-path
fi
expect example-after-startup 0 "OnStartupComplete: not called" -- "${example[@]}" --connect after-startup
handled=$(grep -c 'handled on the main thread' "$example_log")
check "example-after-startup: it still does its work: both transitions' 6 notifications handled on the main thread: $handled" \
    test "$handled" -eq 6
check "example-after-startup: connected as AfterStartup (its log)" grep -q 'OnConnection (AfterStartup)' "$example_log"
expect example-cycles 0 "check ok:   between connections the DLL was unloaded and loaded again" -- "${example[@]}" --cycles 20
connections=$(grep -c 'IClassFactory::CreateInstance -> S_OK' "$out/example-cycles.log")
check "example-cycles: 21 objects made, one per connection: $connections" test "$connections" -eq 21
check "example-cycles: each connection's object was released by the add-in (nobody else held it)" \
    test "$(grep -c 'check ok:   nobody but Outlook holds the add-in object' "$out/example-cycles.log")" -eq 21
unloads=$(grep -c "the add-in's DLL was unloaded" "$out/example-cycles.log")
check "example-cycles: the DLL unloaded after each connection: $unloads" test "$unloads" -eq 21
check "example-cycles: 20 disconnections by the user, none at exit" \
    test "$(grep -c 'OnDisconnection(ext_dm_UserClosed, custom) -> 0x00000000' "$out/example-cycles.log")" -eq 20
check "example-cycles: no sink left after any connection, DllCanUnloadNow S_OK at the end" \
    bash -c "test \$(grep -c 'check ok:   every Advise was unadvised' '$out/example-cycles.log') -eq 21 && grep -q 'check ok:   DllCanUnloadNow is S_OK at exit' '$out/example-cycles.log'"
expect example-burst 0 "check ok:   the main thread's queue held [0-9] message\(s\) after the burst" -- "${example[@]}" --burst 5000
expect example-no-mapi 1 "the add-in is loaded but inert" -- "${example[@]}" --mapi none
# New mail (SPEC 13): the example's sink on the default store gets each message's fnevNewMail on
# the store's thread and hands it to the main thread, which opens the item through the object
# model and logs its subject; with fast shutdown and with both notifications at exit.
for shutdown in fast notify; do
    : >"$example_log"
    expect "example-new-mail-$shutdown" 0 "new mail: 5 message\(s\) arrived in the Inbox; 5 notification\(s\) reached the add-in's sinks" \
        -- "${example[@]}" --new-mail 5 --shutdown "$shutdown"
    check "example-new-mail-$shutdown: its sink was unadvised by the end" \
        grep -q "check ok:   no sink is left advised on the stores once the add-in is released" "$out/example-new-mail-$shutdown.log"
    main=$(grep -m1 'OnConnection (' "$example_log" | grep -oE '\[thread 0x[0-9a-f]+\]')
    check "example-new-mail-$shutdown: the main thread is known from the log (OnConnection's): ${main:-none}" \
        test -n "$main"
    for number in 1 2 3 4 5; do
        check "example-new-mail-$shutdown: the subject of message $number logged on the main thread ($main)" \
            grep -qF "$main  INFO   new mail, handled on the main thread: \"outlook-sim message $number of 5\"" "$example_log"
    done
done

# Outlook's events (SPEC 14): the example's sinks on Application and the Inbox's Items get
# Startup, each message's NewMailEx (the simulated store's entry ID) and ItemAdd, both sends'
# ItemSend (the one without a subject cancelled, and outlook-sim says so), and Quit.
: >"$example_log"
expect example-events 0 "send: 1 of 2 message\(s\) not sent, cancelled by the add-in \(ItemSend's Cancel\): 2 \(\"\"\)" \
    -- "${example[@]}" --new-mail 3 --send 2
check "example-events: startup" grep -q 'Outlook started' "$example_log"
check "example-events: 3 NewMailEx with the simulated store's entry IDs" \
    test "$(grep -c 'NewMailEx: 000000006F75746C6F6F6B2D73696D2D7374' "$example_log")" -eq 3
check "example-events: 3 ItemAdd with the messages' subjects" \
    test "$(grep -c 'ItemAdd: "outlook-sim message [1-3] of 3"' "$example_log")" -eq 3
check "example-events: the send with a subject goes" grep -q 'ItemSend: sending "outlook-sim send 1 of 2"' "$example_log"
check "example-events: the send without one is cancelled" grep -q 'ItemSend: a message without a subject: not sent' "$example_log"
check "example-events: quit at exit" grep -q 'Outlook is quitting' "$example_log"
check "example-events: no event sink left" \
    test "$(grep -c 'check ok:   no event sink is left connected' "$out/example-events.log")" -ge 2
# A connection kept past OnDisconnection fails, naming the interface; dropped in
# on_disconnection, or released at fast shutdown, passes.
library events 0 "check ok:   no event sink is left connected to ApplicationEvents_11 after OnDisconnection" --shutdown notify
library events-kept 1 "no event sink is left connected to ApplicationEvents_11 after OnDisconnection: 1 connection\(s\) to ApplicationEvents_11 still advised" --shutdown notify
library events-kept 0 "check ok:   no event sink is left connected to ApplicationEvents_11 once the add-in is released" --shutdown fast
# Connected to the Inbox's Items, the Items object let go: Outlook's ItemAdd stops (its
# connection points go with the object), and outlook-sim says why.
library items-dropped 1 "Items.ItemAdd not fired: the add-in connected 1 sink\(s\) to the Inbox's ItemsEvents but holds no Items object any more" --new-mail 1

# 5. Wrong values: a usage error naming the option and what it takes, exit code 2.
usage() { # usage NAME MESSAGE ARGS...
    local name=$1 message=$2
    shift 2
    expect "usage-$name" 2 "$message" -- "${example[@]}" "$@"
}
usage connect '--connect: "later" is not startup or after-startup' --connect later
usage cycles '--cycles: "-1" is not a whole number from 0 to 1000' --cycles -1
usage burst '--burst: "many" is not a whole number from 0 to 1000000' --burst many
usage shutdown '--shutdown: "slow" is not fast or notify' --shutdown slow
usage transitions '--transitions: "2.5" is not a whole number from 0 to 100000' --transitions 2.5
usage timeout '--timeout: "0" is not a number of seconds above 0' --timeout 0
usage new-mail '--new-mail: "five" is not a whole number from 0 to 100000' --new-mail five
usage send '--send: "-2" is not a whole number from 0 to 100000' --send -2
usage missing-value '--cycles needs a value' --cycles
expect help 0 "exit codes: 0 PASS" -- --help
check "help: it is printed on stdout (stderr dropped)" bash -c "wine '$sim' --help 2>/dev/null | tr -d '\r' | grep -q '^exit codes: 0 PASS'"
check "help: it says where the add-in's log is" grep -qF '%LOCALAPPDATA%\<ProgID>\addin-64.log' "$out/help.log"
for option in --progid --dll --clsid --32 --64 --connect --cycles --shutdown --allow-inert --burst \
    --new-mail --send --transitions --profile --mapi --mapi-profile --via-invoke --timeout --local-app-data --help; do
    check "help: it lists $option" grep -qE -- "^  (--[0-9a-z-]+, )?$option[ ,]" "$out/help.log"
done

checks_summary outlook-sim
