#!/bin/sh
# Runs every fuzz target for SECONDS (default 600) each, two at a time, from the committed seeds.
# Works on the stable toolchain: the targets are built with libFuzzer's coverage instrumentation
# (the flags cargo-fuzz passes with `-s none`, safe Rust needing no sanitizer) into their own target
# folder (FUZZ_TARGET_DIR, default target/fuzz; without the release profile's fat LTO, which only
# slows the build), then run directly. New inputs go to /tmp/nguoitot-fuzz/<target>/, crashes to
# /tmp/nguoitot-fuzz/artifacts/<target>/; reproduce one with `<binary> <crash file>`.
set -eu
cd "$(dirname "$0")"
SECONDS_EACH="${1:-600}"
TARGET_DIR="${FUZZ_TARGET_DIR:-../target/fuzz}"
TRIPLE="$(rustc -vV | sed -n 's/^host: //p')"
RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 -Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table -Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing -Cdebug-assertions -Coverflow-checks" \
    CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    CARGO_TARGET_DIR="$TARGET_DIR" cargo build --release -p nguoitot-fuzz --bins --target "$TRIPLE"
run() {
    mkdir -p "/tmp/nguoitot-fuzz/$1" "/tmp/nguoitot-fuzz/artifacts/$1"
    # The seed corpus stays as committed; new inputs go to the scratch folder.
    "$TARGET_DIR/$TRIPLE/release/$1" "/tmp/nguoitot-fuzz/$1" "corpus/$1" \
        -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=4096 -max_len=65536 \
        -artifact_prefix="/tmp/nguoitot-fuzz/artifacts/$1/" 2>&1 |
        grep -E "Done [0-9]+ runs|panicked|deadly signal|timeout|Test unit written" | sed "s/^/$1: /"
}
run front_matter & run markdown & wait
run slug & run analyzer & wait
run search_query
