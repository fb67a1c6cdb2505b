#!/usr/bin/env bash
# Runs every test of the project:
#  1. Rust unit and integration tests (EU conformance corpus, fixtures, limits, CLI run for real),
#     once with each signature backend (ring, and the default pure-Rust RustCrypto);
#  2. the binding tests: Kotlin on a real JVM, Python and Swift, against the generated UniFFI bindings
#     (installs kotlinc, JNA and the Swift root when missing).
# Tests that read ../shared (or $DCC_SHARED_DIR) skip with a message where it is absent, except
# with CI=true. Usage: scripts/test.sh (from anywhere)
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v cargo >/dev/null 2>&1; then
  echo "cargo not found: install Rust with rustup (https://rustup.rs) first" >&2
  exit 2
fi

echo "== Rust: unit, integration, conformance and CLI tests (all features: ring backend)"
cargo test --locked --all-features

echo "== Rust: the same with the default pure-Rust backend (RustCrypto)"
cargo test --locked --features cli

echo "== Bindings: Kotlin, Python, Swift"
bash scripts/test-bindings.sh
