#!/usr/bin/env bash
# Runs every test of the project: the Rust unit and integration tests (including the EU
# conformance corpus and the CLI tests, which read ../shared; set DCC_SHARED_DIR to move it).
# Usage: scripts/test.sh        (from the repository root or anywhere)
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v cargo >/dev/null 2>&1; then
  echo "cargo not found: install Rust with rustup (https://rustup.rs) first" >&2
  exit 2
fi

echo "== Rust: unit, integration, conformance and CLI tests (all features)"
cargo test --locked --all-features
