# shellcheck shell=bash
# Sourced by scripts/test-windows.sh and scripts/install-outlook-sim.sh:
#
#     windows_requirements LOG TARGET...
#
# installs what building and running Windows programs of those targets on Linux needs, when
# missing: the Rust targets (rustup), mingw-w64's gcc and g++ for each, and Wine with its 32-bit
# half (Debian's packages, through scripts/apt-install.sh, which needs root). LOG is the caller's
# function for progress lines.

windows_requirements() {
    local log=$1 target mingw package missing=()
    shift
    rustup target add "$@" >/dev/null 2>&1 || rustup target add "$@" || return 1
    for target in "$@"; do
        mingw=${target%%-*}-w64-mingw32
        package=${target%%-*}
        package=${package/x86_64/x86-64} # Debian's spelling
        command -v "$mingw-gcc" >/dev/null || missing+=("gcc-mingw-w64-$package")
        command -v "$mingw-g++" >/dev/null || missing+=("g++-mingw-w64-$package")
    done
    command -v wine >/dev/null || missing+=(wine wine64)
    if ! dpkg -s wine32:i386 >/dev/null 2>&1; then
        missing+=(wine32:i386)
        dpkg --print-foreign-architectures | grep -qx i386 || dpkg --add-architecture i386 || return 1
    fi
    [ ${#missing[@]} -gt 0 ] || return 0
    "$log" "installing ${missing[*]}"
    # shellcheck source=scripts/apt-install.sh
    source "$(dirname "${BASH_SOURCE[0]}")/../apt-install.sh"
    apt_install "${missing[@]}" >/dev/null
}
