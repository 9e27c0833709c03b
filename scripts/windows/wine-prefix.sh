# Sourced by scripts/test-windows.sh and scripts/windows/cpp-caller.sh: the Wine prefix both run
# Windows programs in, made once and reused.
#
#     source scripts/windows/wine-prefix.sh
#     wine_prefix "$repo" log   # log: the caller's function for progress lines
#
# It exports WINEPREFIX=$repo/target/wine (the prefix .cargo/config.toml gives cargo's runner)
# and WINEDEBUG=-all, creates the prefix when absent, and puts our stand-in for
# bcryptprimitives.dll in its system32, rebuilt when scripts/windows/bcryptprimitives.c is
# newer: Rust's std needs ProcessPrng, which Wine 8.0 lacks.
#
#     windows_path /unix/path   # prints the path as Wine's programs see it (Z:\unix\path)

wine_prefix() {
    local repo=$1 log=$2 dll source
    export WINEPREFIX="$repo/target/wine" WINEDEBUG=-all
    if [ ! -f "$WINEPREFIX/system.reg" ]; then
        "$log" "creating the Wine prefix $WINEPREFIX (about 10 s)"
        mkdir -p "$WINEPREFIX"
        # No Mono or Gecko: nothing here needs them, and their installers would ask.
        WINEDLLOVERRIDES="mscoree,mshtml=" wineboot --init >/dev/null 2>&1
        wineserver --wait
    fi
    dll="$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll"
    source="$repo/scripts/windows/bcryptprimitives.c"
    if [ ! -f "$dll" ] || [ "$source" -nt "$dll" ]; then
        "$log" "building the ProcessPrng stand-in ($source)"
        x86_64-w64-mingw32-gcc -shared -O2 -Wall -Werror -o "$dll" "$source" -ladvapi32
    fi
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
