# Sourced by scripts/bench-spread.sh and scripts/bench-asm.sh: builds the runtime benchmark
# (`benches/benches/runtime.rs`) in one of four code layouts and prints its executable.
#
#     source scripts/bench-build.sh
#     bin=$(bench_executable K)   # K: 0 to 3; empty output if the build failed
#
# Layout 0 is the bench as `cargo bench` builds it; 1 to 3 align every function, or every block
# not reached by falling through, differently (LLVM's -align-all-functions and
# -align-all-nofallthru-blocks), each in its own target directory, target/bench-layout-K:
#   1: functions on 64 bytes; 2: those blocks on 32 bytes; 3: functions on 128 and blocks on 64.
# Needs jq.

bench_layout_flags=(
    ""
    "-C llvm-args=-align-all-functions=6"
    "-C llvm-args=-align-all-nofallthru-blocks=5"
    "-C llvm-args=-align-all-functions=7 -C llvm-args=-align-all-nofallthru-blocks=6"
)

bench_executable() {
    local k=$1 env=()
    if [ "$k" -gt 0 ]; then
        env=(env "RUSTFLAGS=${bench_layout_flags[$k]}" "CARGO_TARGET_DIR=target/bench-layout-$k")
    fi
    "${env[@]}" cargo bench -p mapi-notify-sink-bench --no-run --message-format=json 2>/dev/null |
        jq -r 'select(.reason == "compiler-artifact" and .target.name == "runtime" and .executable != null) | .executable' |
        tail -n 1
}
