#!/usr/bin/env bash
# The example Outlook add-in, end to end under Wine (outlook-sim's own tests: outlook-sim.sh).
#
#     bash scripts/windows/outlook-addin.sh [TARGET]   (scripts/test-windows.sh runs it)
#
# TARGET is x86_64-pc-windows-gnu (the default) or i686-pc-windows-gnu: the add-in, outlook-sim,
# the stand-in olmapi32.dll and regsvr32 are all of that bitness, as Outlook's and its add-ins'
# must be, and the registry is read in that bitness's view (`reg query /reg:64` or `/reg:32`,
# whichever reg.exe runs): 32-bit Outlook on 64-bit Windows reads the 32-bit view.
#
# 1. The add-in DLL exports the four COM server entry points (objdump), undecorated.
# 2. regsvr32 /n /i:allusers writes every key Outlook and COM read, with the right values, in
#    the target's registry view and not in the other one.
# 3. outlook-sim loads it by ProgID through four transitions and Outlook's fast shutdown (no
#    OnBeginShutdown, no OnDisconnection: only the release); the add-in's log shows each
#    notification, handled on the thread that ran OnConnection.
# 4. The add-in goes inert, and says why, with an unknown profile and with no MAPI.
# 5. regsvr32 /u leaves no key behind (all users, and per user).
#    Then the same through IDispatch::Invoke (--via-invoke), as Office may call it.
# Prints "outlook-addin: N passed, M failed" last; exits 1 if any check failed.
set -uo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
target=${1:-x86_64-pc-windows-gnu}
target_dir=${CARGO_TARGET_DIR:-$repo/target}
bin=$target_dir/$target/debug
out=$target_dir/$target # what the checks read and print, kept for a person to look at
say() { echo "--- outlook-addin ($target): $*"; }

# shellcheck source=scripts/windows/wine-prefix.sh
source scripts/windows/wine-prefix.sh
wine_prefix "$repo" say
# arch, view, other_view, system, and regsvr32 of the DLL's own bitness.
if ! windows_target "$target"; then
    echo "outlook-addin: unknown target $target" >&2
    exit 2
fi

# shellcheck source=scripts/windows/check.sh
source scripts/windows/check.sh

say "building the add-in, the host and the stand-in MAPI"
if ! cargo build -q --target "$target" -p outlook-addin-example -p outlook-sim -p olmapi32-stand-in; then
    echo "outlook-addin: 0 passed, 1 failed"
    exit 1
fi
dll=$bin/outlook_addin.dll
if ! dll_windows=$(windows_path "$dll"); then
    echo "outlook-addin: 0 passed, 1 failed (no Windows path for $dll)"
    exit 1
fi
progid=MapiNotifySink.OutlookAddin
clsid='{F8B51E39-75C3-43EF-BAE8-D60096161F06}'
classes_clsid="Software\\Classes\\CLSID\\$clsid"
classes_progid="Software\\Classes\\$progid"
addins="Software\\Microsoft\\Office\\Outlook\\Addins\\$progid"

# 1. Exports.
exports=$("${target%%-*}-w64-mingw32-objdump" -p "$dll" | sed -n '/\[Ordinal\/Name Pointer\] Table/,/^$/p')
for export in DllCanUnloadNow DllGetClassObject DllRegisterServer DllUnregisterServer; do
    check "the $arch DLL exports $export" grep -qE "\] $export\$" <<<"$exports"
done

# `reg query` prints "    name    REG_X    value"; value_of KEY NAME prints the value.
value_of() {
    local name=$2 which=(/v "$2")
    if [ -z "$name" ]; then
        name='(Default)'
        which=(/ve)
    fi
    wine reg query "$1" "${which[@]}" "/reg:$view" 2>/dev/null | tr -d '\r' | awk -v n="$name" '
        { line = $0; sub(/^ +/, "", line) }
        index(line, n "    ") == 1 { sub(/^[^ ]+( [^ ]+)*    REG_[A-Z_]+    /, "", line); print line }'
}
key_exists() { wine reg query "$1" "/reg:${2:-$view}" >/dev/null 2>&1; }
expect_value() { # expect_value KEY NAME EXPECTED
    local got
    got=$(value_of "$1" "$2")
    check "$1 ${2:-(default)} = $3" test "$got" = "$3"
    [ "$got" = "$3" ] || echo "      got: $got"
}
expect_keys() { # expect_keys ROOT
    local root=$1
    expect_value "$root\\$classes_clsid" "" "Offline watch (mapi-notify-sink example)"
    expect_value "$root\\$classes_clsid\\InprocServer32" "" "$dll_windows"
    expect_value "$root\\$classes_clsid\\InprocServer32" ThreadingModel Apartment
    expect_value "$root\\$classes_clsid\\ProgID" "" "$progid"
    expect_value "$root\\$classes_progid\\CLSID" "" "$clsid"
    expect_value "$root\\$addins" LoadBehavior 0x3
    expect_value "$root\\$addins" FriendlyName "Offline watch (mapi-notify-sink example)"
    expect_value "$root\\$addins" Description "Logs every time Outlook goes offline or online, and each new message's subject."
}
expect_no_keys() { # expect_no_keys ROOT
    local root=$1 key
    for key in "$classes_clsid" "$classes_progid" "$addins"; do
        check "no $root\\$key is left" bash -c "! wine reg query '$root\\$key' /reg:$view >/dev/null 2>&1"
    done
    check "$root\\Software\\Microsoft\\Office\\Outlook\\Addins itself is kept" \
        key_exists "$root\\Software\\Microsoft\\Office\\Outlook\\Addins"
}

# 2. Register for all users: Wine's COM reads classes from HKLM only.
regsvr32 /s /u /n /i:allusers "$dll" >/dev/null 2>&1 # a previous run's, if any
check "$arch regsvr32 /n /i:allusers succeeds" regsvr32 /s /n /i:allusers "$dll"
expect_keys HKLM
check "HKLM\\$addins is in the $view-bit registry view only" bash -c "! wine reg query 'HKLM\\$addins' /reg:$other_view >/dev/null 2>&1"

# 3. Outlook's start-up, four transitions, shutdown. The library logs to
# %LOCALAPPDATA%\<ProgID>\addin-<bits>.log; each run below starts it empty. This run asks for
# the debug level through the environment (MAPI_NOTIFY_SINK_LOG), as a user asked for a debug
# log would.
if ! log_unix=$(addin_log_path "$progid" "$view") || ! other_log=$(addin_log_path "$progid" "$other_view"); then
    echo "outlook-addin: $passed passed, $((failed + 1)) failed (no log path for $progid)"
    exit 1
fi
mkdir -p "$(dirname "$log_unix")"
: >"$log_unix"
: >"$other_log"
rm -f "${log_unix%.log}.old.log"
say "MAPI_NOTIFY_SINK_LOG=debug outlook-sim --progid $progid --transitions 4 --profile 'Büro – Outlook'"
MAPI_NOTIFY_SINK_LOG=debug wine "$bin/outlook-sim.exe" --progid "$progid" --transitions 4 \
    --profile "Büro – Outlook" >"$out/outlook-sim.progid.txt" 2>&1
status=$?
tr -d '\r' <"$out/outlook-sim.progid.txt"
check "outlook-sim passes the example add-in (exit $status)" test "$status" -eq 0
check "outlook-sim printed PASS last" bash -c "tail -n 1 '$out/outlook-sim.progid.txt' | grep -q 'PASS: $progid'"
say "the add-in's log ($log_unix)"
tr -d '\r' <"$log_unix" | tee "$out/outlook-addin.log"
addin_log=$out/outlook-addin.log
# Each line is "<time> ms  [thread 0x....]  LEVEL  message".
main_thread=$(sed -nE 's/.*\[thread (0x[0-9a-f]+)\].*OnConnection \(Startup\)$/\1/p' "$addin_log")
check "the log names the OnConnection thread ($main_thread)" test -n "$main_thread"
check "the log has the profile from Application.Session.CurrentProfileName" grep -q 'profile: "Büro – Outlook"' "$addin_log"
notified=$(grep -c 'notified: StateChange' "$addin_log")
check "12 notifications logged (4 transitions x START, CHANGE, DONE): $notified" test "$notified" -eq 12
handled=$(grep "handled on the main thread" "$addin_log" | grep -c "\[thread $main_thread\]")
check "all 12 handled on the OnConnection thread: $handled" test "$handled" -eq 12
other_thread=$(grep 'notified: StateChange' "$addin_log" | grep -vc "\[thread $main_thread\]")
check "each notification came on another thread, as Outlook's may: $other_thread of 12" test "$other_thread" -eq 12
# Fast shutdown, Outlook's default: neither OnBeginShutdown nor OnDisconnection, only the release.
check "outlook-sim exited with fast shutdown" grep -q 'Outlook exits with fast shutdown' "$out/outlook-sim.progid.txt"
check "the add-in was never disconnected (no OnBeginShutdown, no OnDisconnection in its log)" \
    bash -c "! grep -qE 'OnBeginShutdown|OnDisconnection' '$addin_log'"
check "it was released, its Drop said so, and outlook-sim found every Advise unadvised" \
    bash -c "grep -q 'released without on_disconnection (fast shutdown)' '$addin_log' && grep -q 'check ok:   every Advise was unadvised' '$out/outlook-sim.progid.txt'"
check "DllCanUnloadNow found nothing alive (a DEBUG line)" grep -q 'DEBUG  DllCanUnloadNow: 0 object(s) and 0 lock(s) alive' "$addin_log"
check "the run starts with its date, process, bitness, version and level" \
    grep -qE -- "--- [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} UTC: $progid in process [0-9]+, $view-bit, mapi-notify-sink [0-9.]+, log level DEBUG" "$addin_log"
check "the $other_view-bit log file was not written by this $view-bit add-in" test ! -s "$other_log"

# The same through IDispatch::Invoke, as Office may call it.
: >"$log_unix"
wine "$bin/outlook-sim.exe" --progid "$progid" --via-invoke >"$out/outlook-sim.invoke.txt" 2>&1
status=$?
check "outlook-sim --via-invoke passes the example add-in (exit $status)" test "$status" -eq 0
handled=$(grep -c "handled on the main thread" "$log_unix")
check "through Invoke too, both transitions' 6 notifications were handled on the main thread: $handled" test "$handled" -eq 6
check "at the default level (info), no line per DllCanUnloadNow" bash -c "! grep -q DllCanUnloadNow '$log_unix'"

# Registered, COM itself unloads the DLL between connections (CoFreeUnusedLibrariesEx), as
# when the user turns the add-in off and on in the COM Add-ins dialog.
wine "$bin/outlook-sim.exe" --progid "$progid" --cycles 2 >"$out/outlook-sim.cycles.txt" 2>&1
status=$?
check "outlook-sim --cycles 2 by ProgID passes the example add-in (exit $status)" test "$status" -eq 0
unloads=$(tr -d '\r' <"$out/outlook-sim.cycles.txt" | grep -A1 'CoFreeUnusedLibrariesEx(0)' | grep -c "the add-in's DLL was unloaded")
check "COM unloaded the DLL after each of the 3 connections: $unloads" test "$unloads" -eq 3

# The log's cap (MAPI_NOTIFY_SINK_LOG_CAP: 2,048 bytes here, 1 MiB by default): past it the
# file is set aside as addin-<bits>.old.log and a new one starts.
: >"$log_unix"
MAPI_NOTIFY_SINK_LOG_CAP=2048 wine "$bin/outlook-sim.exe" --progid "$progid" --transitions 4 \
    >"$out/outlook-sim.cap.txt" 2>&1
status=$?
check "outlook-sim with a 2,048-byte log cap passes (exit $status)" test "$status" -eq 0
old_log=${log_unix%.log}.old.log
check "the full log was set aside as $(basename "$old_log")" test -s "$old_log"
check "each file is within the cap: $(wc -c <"$log_unix") and $(wc -c <"$old_log") bytes" \
    test "$(wc -c <"$log_unix")" -le 2048 -a "$(wc -c <"$old_log")" -le 2048
rm -f "$old_log"

# 4. Inert: an unknown profile, then no MAPI at all. Still loaded, still clean, and says why
# (outlook-sim fails an inert add-in unless --allow-inert: scripts/windows/outlook-sim.sh).
for case in "--mapi-profile Another" "--mapi none"; do
    : >"$log_unix"
    # shellcheck disable=SC2086 # two words on purpose
    wine "$bin/outlook-sim.exe" --progid "$progid" $case --allow-inert >"$out/outlook-sim.inert.txt" 2>&1
    status=$?
    check "outlook-sim $case --allow-inert: the add-in stays loaded and clean (exit $status)" test "$status" -eq 0
    check "outlook-sim $case: the add-in logs why it is inert" grep -q 'MAPI_E_NOT_FOUND.*stays loaded but inert' "$log_unix"
done
grep -a 'inert' "$log_unix" | tr -d '\r' | head -n 1

# 5. Unregister: nothing left. Then the same per user (HKCU), which Wine's COM cannot load
# from but whose keys must still be right, and gone after /u.
check "regsvr32 /u /n /i:allusers succeeds" regsvr32 /s /u /n /i:allusers "$dll"
expect_no_keys HKLM
check "regsvr32 (per user) succeeds" regsvr32 /s "$dll"
expect_keys HKCU
check "regsvr32 /u (per user) succeeds" regsvr32 /s /u "$dll"
expect_no_keys HKCU

checks_summary outlook-addin
