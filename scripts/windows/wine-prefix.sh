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
