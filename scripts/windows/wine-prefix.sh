# Sourced by the Windows scripts (scripts/test-windows.sh, scripts/windows/*.sh): the Wine
# prefix they all run Windows programs in, made once and reused, for 64-bit and 32-bit programs.
#
#     source scripts/windows/wine-prefix.sh
#     wine_prefix "$repo" log   # log: the caller's function for progress lines
#
# It exports WINEPREFIX=$repo/target/wine (the prefix .cargo/config.toml gives cargo's runner)
# and WINEDEBUG=-all, and creates the prefix when absent. A prefix made while Wine could not
# run 32-bit programs (before wine32 was installed) has an empty syswow64, and every 32-bit
# program then fails with "could not load kernel32.dll": such a prefix is made again.
# Then it puts our stand-in for bcryptprimitives.dll in system32 (x86_64) and syswow64 (i686),
# rebuilt when scripts/windows/bcryptprimitives.c is newer: Rust's std needs ProcessPrng,
# which Wine 8.0 lacks. The i686 build exports the undecorated name (--kill-at), as std imports
# it.
#
#     wine_loader x86_64-pc-windows-gnu   # prints the Wine loader for that target's programs
#     windows_path /unix/path             # prints the path as Wine's programs see it
#     addin_log_path PROGID               # the Unix path of an add-in's log in the prefix

wine_prefix() {
    local repo=$1 log=$2 windows
    export WINEPREFIX="$repo/target/wine" WINEDEBUG=-all
    windows="$WINEPREFIX/drive_c/windows"
    if [ -f "$WINEPREFIX/system.reg" ] && [ ! -f "$windows/syswow64/kernel32.dll" ]; then
        "$log" "the Wine prefix $WINEPREFIX cannot run 32-bit programs (made before wine32 was installed): making it again"
        wineserver -k >/dev/null 2>&1 || true
        rm -rf "$WINEPREFIX"
    fi
    if [ ! -f "$WINEPREFIX/system.reg" ]; then
        "$log" "creating the Wine prefix $WINEPREFIX (about 10 s)"
        mkdir -p "$WINEPREFIX"
        # No Mono or Gecko: nothing here needs them, and their installers would ask.
        WINEDLLOVERRIDES="mscoree,mshtml=" wineboot --init >/dev/null 2>&1
        wineserver --wait
    fi
    if [ ! -f "$windows/syswow64/kernel32.dll" ]; then
        "$log" "the Wine prefix $WINEPREFIX has no 32-bit Windows (is wine32:i386 installed?)"
        return 1
    fi
    prng_stand_in "$repo" "$log" x86_64-w64-mingw32-gcc "$windows/system32" || return 1
    prng_stand_in "$repo" "$log" i686-w64-mingw32-gcc "$windows/syswow64" -Wl,--kill-at || return 1
}

# prng_stand_in REPO LOG COMPILER FOLDER [FLAGS...]
prng_stand_in() {
    local repo=$1 log=$2 cc=$3 folder=$4 dll source
    shift 4
    dll="$folder/bcryptprimitives.dll"
    source="$repo/scripts/windows/bcryptprimitives.c"
    if [ ! -f "$dll" ] || [ "$source" -nt "$dll" ]; then
        "$log" "building the ProcessPrng stand-in with $cc into $folder"
        "$cc" -shared -O2 -Wall -Werror "$@" -o "$dll" "$source" -ladvapi32
    fi
}

# The loader for a target's programs. `wine` starts either kind, but a program Wine ships in
# both bitnesses (regsvr32, reg) runs as the 32-bit one under `wine` once wine32 is installed;
# the 64-bit loader is not always on PATH (Debian keeps it in /usr/lib/wine).
wine_loader() {
    case $1 in
    i686-*) command -v wine ;;
    *) command -v wine64 || { [ -x /usr/lib/wine/wine64 ] && echo /usr/lib/wine/wine64; } || command -v wine ;;
    esac
}

# winepath starts a Wine process. In one CI run it printed nothing (why was not seen: its
# stderr was discarded), and a registry check then compared against "": try three times,
# showing what winepath said each time, then fail rather than print nothing.
windows_path() {
    local unix=$1 out err attempt
    err=$(mktemp)
    for attempt in 1 2 3; do
        out=$(winepath -w "$unix" 2>"$err" | tr -d '\r')
        if [ -n "$out" ]; then
            rm -f "$err"
            printf '%s\n' "$out"
            return 0
        fi
        echo "windows_path: winepath -w $unix printed nothing (attempt $attempt): $(cat "$err")" >&2
        sleep 2
    done
    rm -f "$err"
    return 1
}

# The log the add-in library writes, %LOCALAPPDATA%\<ProgID>\addin.log, as a Unix path in the
# prefix (32- and 64-bit programs share the profile folder).
addin_log_path() {
    local progid=$1 local_app_data
    local_app_data=$(wine cmd /c echo %LOCALAPPDATA% 2>/dev/null | tr -d '\r')
    [ -n "$local_app_data" ] && [ "$local_app_data" != "%LOCALAPPDATA%" ] || return 1
    local unix
    unix=$(winepath -u "$local_app_data" 2>/dev/null | tr -d '\r')
    [ -n "$unix" ] || return 1
    printf '%s/%s/addin.log\n' "${unix%/}" "$progid"
}
