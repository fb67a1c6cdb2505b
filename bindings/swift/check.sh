#!/usr/bin/env bash
# Compile-checks the generated Swift bindings and the XCTest suite where a Swift compiler exists
# (called by scripts/test-bindings.sh after scripts/bindings.sh). Type-checking needs no XCTest
# runtime: the tests are checked against the generated module, not run.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
gen=$here/generated
swiftc -typecheck -module-name dcc_verifier \
  -Xcc -fmodule-map-file="$gen/dcc_verifierFFI.modulemap" -I "$gen" \
  "$gen/dcc_verifier.swift"
echo "swift: generated bindings type-check"
