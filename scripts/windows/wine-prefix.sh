# Sourced by the Windows scripts (scripts/test-windows.sh, scripts/windows/*.sh): the Wine
# prefix they all run Windows programs in, made once and reused, for 64-bit and 32-bit programs.
#
#     source scripts/windows/wine-prefix.sh
#     wine_prefix "$repo" log   # log: the caller's function for progress lines
#
# It exports WINEPREFIX=$repo/target/wine (the prefix .cargo/config.toml gives cargo's runner)
# and WINEDEBUG=-all, and creates the prefix when absent, as host/linux/outlook-sim does its
# own: a prefix made while Wine could not run 32-bit programs (before wine32 was installed) has
# an empty syswow64, and every 32-bit program then fails with "could not load kernel32.dll":
# such a prefix is made again. Our stand-in for bcryptprimitives.dll goes in system32 (x86_64)
# and syswow64 (i686), built from scripts/windows/bcryptprimitives.c (again when it is newer):
# Rust's std needs ProcessPrng, which Wine 8.0 lacks. The i686 build exports the undecorated
# name (--kill-at), as std imports it.
#
#     wine_loader x86_64-pc-windows-gnu   # prints the Wine loader for that target's programs
#     windows_target i686-pc-windows-gnu  # arch, view, system and regsvr32 for that target
#     windows_path /unix/path             # prints the path as Wine's programs see it
#     addin_log_path PROGID BITS          # the Unix path of an add-in's log in the prefix

# The prefix's making and the loaders are outlook-sim's Linux wrapper's, which an installed
# outlook-sim runs the same way.
# shellcheck source=host/linux/outlook-sim
source "$(dirname "${BASH_SOURCE[0]}")/../../host/linux/outlook-sim"

wine_prefix() {
    local repo=$1 log=$2 stand_ins
    stand_ins=${CARGO_TARGET_DIR:-$repo/target}/prng-stand-in
    prng_stand_in "$repo" "$log" x86_64-w64-mingw32-gcc "$stand_ins/64" || return 1
    prng_stand_in "$repo" "$log" i686-w64-mingw32-gcc "$stand_ins/32" -Wl,--kill-at || return 1
    outlook_sim_prefix "$repo/target/wine" "$log" "$stand_ins/64/bcryptprimitives.dll" \
        "$stand_ins/32/bcryptprimitives.dll"
}

# prng_stand_in REPO LOG COMPILER FOLDER [FLAGS...]: FOLDER/bcryptprimitives.dll, built when
# absent or older than its source.
prng_stand_in() {
    local repo=$1 log=$2 cc=$3 folder=$4 dll source
    shift 4
    dll="$folder/bcryptprimitives.dll"
    source="$repo/scripts/windows/bcryptprimitives.c"
    if [ ! -f "$dll" ] || [ "$source" -nt "$dll" ]; then
        "$log" "building the ProcessPrng stand-in with $cc into $folder"
        mkdir -p "$folder"
        "$cc" -shared -O2 -Wall -Werror "$@" -o "$dll" "$source" -ladvapi32
    fi
}

# windows_target TARGET: for a Windows target, sets arch, view (its registry view's bits),
# other_view and system (its system folder in the prefix), and defines regsvr32 of its bitness,
# named by its path: under `wine`, a plain `regsvr32` is the 32-bit one once wine32 is
# installed. Returns 1 for a target it does not know.
windows_target() {
    case $1 in
    x86_64-*) arch=x86_64 view=64 other_view=32 system=system32 ;;
    i686-*) arch=i686 view=32 other_view=64 system=syswow64 ;;
    *) return 1 ;;
    esac
    loader=$(wine_loader "$1")
    regsvr32() { "$loader" "C:\\windows\\$system\\regsvr32.exe" "$@"; }
}

# wine_loader TARGET: the Wine loader for that target's programs.
wine_loader() {
    case $1 in
    i686-*) outlook_sim_loader 32 ;;
    *) outlook_sim_loader 64 ;;
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

# The log the add-in library writes, %LOCALAPPDATA%\<ProgID>\addin-BITS.log, as a Unix path in
# the prefix (32- and 64-bit programs share the profile folder; each bitness has its file).
addin_log_path() {
    local progid=$1 bits=$2 local_app_data
    local_app_data=$(wine cmd /c echo %LOCALAPPDATA% 2>/dev/null | tr -d '\r')
    [ -n "$local_app_data" ] && [ "$local_app_data" != "%LOCALAPPDATA%" ] || return 1
    local unix
    unix=$(winepath -u "$local_app_data" 2>/dev/null | tr -d '\r')
    [ -n "$unix" ] || return 1
    printf '%s/%s/addin-%s.log\n' "${unix%/}" "$progid" "$bits"
}
