#!/usr/bin/env bash
# The main job on the bundled demo material: verify the demo certificates in fixtures/demo/
# (generated test signers, never trusted by default) at a fixed time, and print each verdict.
# A valid and several invalid certificates are expected; only a usage error fails the script.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet --locked --features cli --bin dcc-verify
cli=${CARGO_TARGET_DIR:-target}/debug/dcc-verify
# Authenticity only: the demo shows which passes are genuine; no entry rules are applied.
options=(--trust fixtures/demo/trustlist.json --at 2021-09-01T00:00:00Z --authenticity-only)

# run ARGS... [< FILE]: echo the command, run it, accept exit 0 (valid) and 1 (invalid).
run() {
  local input=$1; shift
  printf '\n$ dcc-verify %s%s\n' "$*" "${input:+ < $input}"
  local status=0
  "$cli" "$@" < "${input:-/dev/null}" || status=$?
  [ "$status" -le 1 ] || exit "$status"
}

for pass in fixtures/demo/*.txt; do
  run "$pass" verify "${options[@]}" -
done
run "" verify "${options[@]}" --image fixtures/demo/valid.png
run fixtures/demo/expired.txt verify "${options[@]}" --json -
