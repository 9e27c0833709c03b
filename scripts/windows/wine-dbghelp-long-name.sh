#!/usr/bin/env bash
# The smallest program that shows a Wine 8 fault, not ours: a 32-bit Rust program that catches a
# panic is killed by a page fault when RUST_BACKTRACE=1 and one of its functions has a name over
# 2,000 characters in the debug info.
#
#     bash scripts/windows/wine-dbghelp-long-name.sh
#
# Why: std prints a panic's backtrace on i686-pc-windows-gnu by walking the stack with dbghelp.
# Wine's dbghelp then loads the program's DWARF, and its dwarf2_get_cpp_name() builds each
# function's qualified name in a MAX_SYM_NAME (2,000) buffer: a longer name is copied to before
# the buffer's start and then comes back as NULL, which reaches strlen() in ucrtbase
# ("page fault on read access to 0x00000000"). Windows' own dbghelp reads no DWARF, and the
# 64-bit std walks the stack without dbghelp, so neither faults. With RUST_BACKTRACE=0 the panic
# hook takes no backtrace and nothing faults.
#
# The program below is the whole reproduction: one generic function instantiated with a nested
# type whose name makes the function's name long, and a panic caught with catch_unwind. It is
# built twice, with a name under the limit (1,841 characters) and one over it (2,451), and run
# with RUST_BACKTRACE=0 and =1. It prints what each run printed last, and exits 0 when Wine
# behaves as described (only the long name with RUST_BACKTRACE=1 faults), 1 otherwise.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
say() { echo "--- wine-dbghelp-long-name: $*"; }
# shellcheck source=scripts/windows/wine-prefix.sh
source "$repo/scripts/windows/wine-prefix.sh"
wine_prefix "$repo" say
rustup target add i686-pc-windows-gnu >/dev/null 2>&1

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/src"
cat >"$scratch/Cargo.toml" <<'EOF'
[package]
name = "long-name"
version = "0.1.0"
edition = "2021"
EOF

# program DEPTH: main.rs with `generic::<T>`, T being DEPTH nested `AWrapperWith...<...>`.
program() {
    local depth=$1 ty=u8 level
    for ((level = 0; level < depth; level++)); do
        ty="AWrapperWithALongNameSoThatFewLevelsMakeALongOne<$ty>"
    done
    cat <<EOF
pub struct AWrapperWithALongNameSoThatFewLevelsMakeALongOne<T>(pub T);

#[inline(never)]
pub fn generic<T>() -> usize {
    std::mem::size_of::<T>()
}

fn main() {
    println!("size {}", generic::<$ty>());
    let caught = std::panic::catch_unwind(|| panic!("contained")).is_err();
    println!("caught: {caught}");
}
EOF
}

expected=0
for depth in 30 40; do
    program "$depth" >"$scratch/src/main.rs"
    CARGO_TARGET_DIR="$scratch/target" CARGO_TARGET_I686_PC_WINDOWS_GNU_LINKER=i686-w64-mingw32-gcc \
        cargo build -q --manifest-path "$scratch/Cargo.toml" --target i686-pc-windows-gnu
    exe=$scratch/target/i686-pc-windows-gnu/debug/long-name.exe
    name=$(strings -n 100 "$exe" | grep '^generic<' | awk '{ print length($0) }' | sort -n | tail -n 1)
    for backtrace in 0 1; do
        last=$(RUST_BACKTRACE=$backtrace timeout 120 wine "$exe" 2>&1 | tr -d '\r' | tail -n 1) || true
        echo "name of $name characters, RUST_BACKTRACE=$backtrace: $last"
        faulted=0
        [[ $last == *"caught: true"* ]] || faulted=1
        want=0
        if [ "$name" -gt 2000 ] && [ "$backtrace" -eq 1 ]; then want=1; fi
        [ "$faulted" -eq "$want" ] || expected=1
    done
done
if [ "$expected" -eq 0 ]; then
    echo "wine-dbghelp-long-name: reproduced: only the name over 2,000 characters with RUST_BACKTRACE=1 faults"
else
    echo "wine-dbghelp-long-name: not reproduced as described (a different Wine?)"
fi
exit "$expected"
