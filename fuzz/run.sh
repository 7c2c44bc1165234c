#!/bin/sh
# Runs every fuzz target for SECONDS (default 600) each, two at a time, on the committed seed corpora.
# Needs a nightly toolchain and cargo-fuzz: `rustup toolchain install nightly && cargo install cargo-fuzz`.
# Crashes are written to fuzz/artifacts/<target>/; reproduce one with
# `cargo +nightly fuzz run -s none <target> fuzz/artifacts/<target>/<file>`.
set -eu
cd "$(dirname "$0")"
SECONDS_EACH="${1:-600}"
run() {
    mkdir -p "corpus/$1"
    # The seed corpus stays as committed; new inputs go to a scratch folder.
    mkdir -p "/tmp/nguoitot-fuzz/$1"
    cargo +nightly fuzz run -s none "$1" "/tmp/nguoitot-fuzz/$1" "corpus/$1" -- \
        -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=4096 -max_len=65536 2>&1 |
        grep -E "Done [0-9]+ runs|panicked|deadly signal|timeout|Test unit written" | sed "s/^/$1: /"
}
cargo +nightly fuzz build -s none
run front_matter & run markdown & wait
run slug & run analyzer & wait
run search_query
