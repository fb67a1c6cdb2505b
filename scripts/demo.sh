#!/usr/bin/env bash
# The main job on the bundled demo material: verify the demo certificates in fixtures/demo/
# against the generated test signers, at a fixed time, and print each verdict.
# A valid and several invalid certificates are expected; only a usage error fails the script.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet --locked --features cli --bin dcc-verify
at=2021-09-01T00:00:00Z
for pass in fixtures/demo/*.txt; do
  printf '\n$ dcc-verify verify --trust fixtures/trust/trustlist.json --at %s - < %s\n' "$at" "$pass"
  status=0
  target/debug/dcc-verify verify --trust fixtures/trust/trustlist.json --at "$at" - < "$pass" || status=$?
  [ "$status" -le 1 ] || exit "$status"
done
