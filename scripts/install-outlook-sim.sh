#!/usr/bin/env bash
# Installs outlook-sim, the simulated Outlook host, for testing Outlook add-ins without Outlook.
#
#     bash scripts/install-outlook-sim.sh [--prefix DIR] [--debug]
#
# On Linux (the default prefix is ~/.local): builds outlook-sim.exe and the stand-in
# olmapi32.dll for 64-bit and 32-bit Windows (x86_64- and i686-pc-windows-gnu, installing the
# Rust targets, mingw-w64 and Wine when missing: that part needs root) and the ProcessPrng
# stand-in Wine 8.0 needs, puts them in DIR/lib/outlook-sim/64 and .../32, and
# host/linux/outlook-sim in DIR/bin: the command that runs them under Wine, in a prefix of its
# own, of the add-in's bitness (see its header). --debug installs the debug builds (faster to
# make; what the Wine suite uses).
#
# On Windows there is nothing to install: `cargo build --release -p outlook-sim -p
# olmapi32-stand-in` puts outlook-sim.exe and olmapi32.dll side by side in target\release
# (add `--target i686-pc-windows-msvc` for 32-bit Office's add-ins).
#
# Prints where it installed last.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
say() { echo "--- install-outlook-sim: $*" >&2; }
prefix="" profile=release
while [ $# -gt 0 ]; do
    case $1 in
    --prefix)
        prefix=${2:?--prefix needs a folder}
        shift 2
        ;;
    --debug)
        profile=debug
        shift
        ;;
    *)
        echo "usage: bash scripts/install-outlook-sim.sh [--prefix DIR] [--debug]" >&2
        exit 2
        ;;
    esac
done
cd "$repo"
target_dir=${CARGO_TARGET_DIR:-$repo/target}
cargo_profile=()
[ "$profile" = release ] && cargo_profile=(--release)

prefix=${prefix:-$HOME/.local}
# shellcheck source=scripts/windows/requirements.sh
source scripts/windows/requirements.sh
windows_requirements say x86_64-pc-windows-gnu i686-pc-windows-gnu
# shellcheck source=scripts/windows/wine-prefix.sh
source scripts/windows/wine-prefix.sh
lib=$prefix/lib/outlook-sim
for bits in 64 32; do
    case $bits in
    64) target=x86_64-pc-windows-gnu cc=x86_64-w64-mingw32-gcc flags=() ;;
    32) target=i686-pc-windows-gnu cc=i686-w64-mingw32-gcc flags=(-Wl,--kill-at) ;;
    esac
    say "building outlook-sim and the stand-in olmapi32.dll for $target ($profile)"
    cargo build -q "${cargo_profile[@]}" --target "$target" -p outlook-sim -p olmapi32-stand-in
    prng_stand_in "$repo" say "$cc" "$target_dir/prng-stand-in/$bits" "${flags[@]}"
    mkdir -p "$lib/$bits"
    cp "$target_dir/$target/$profile/outlook-sim.exe" "$target_dir/$target/$profile/olmapi32.dll" \
        "$target_dir/prng-stand-in/$bits/bcryptprimitives.dll" "$lib/$bits/"
done
mkdir -p "$prefix/bin"
cp host/linux/outlook-sim "$prefix/bin/outlook-sim"
chmod +x "$prefix/bin/outlook-sim"
case ":$PATH:" in
*":$prefix/bin:"*) ;;
*) say "$prefix/bin is not on PATH: add it, or run $prefix/bin/outlook-sim" ;;
esac
echo "installed: $prefix/bin/outlook-sim (Windows programs in $lib)"
