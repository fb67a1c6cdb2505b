#!/usr/bin/env bash
# Compiles and tests the Swift bindings on Linux (called by scripts/test-bindings.sh after
# scripts/bindings.sh), in the Debian trixie Swift root of scripts/swift-root.sh (made when
# missing): lays the package out from bindings/swift/generated and the shared library, type-checks
# the generated bindings in Swift 6 mode with complete concurrency checking and warnings as
# errors, then `swift build --build-tests` and `swift test` (the XCTest suite in Tests/).
# Usage: bindings/swift/test-linux.sh [LIBRARY]
#   LIBRARY: the libdcc_verifier.so the bindings were generated from; default: the debug one in
#   cargo's target directory ($CARGO_TARGET_DIR respected)
set -euo pipefail
[ "$(uname -s)" = Linux ] || { echo "Linux only; on a Mac: ./build-xcframework.sh && swift test" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
gen=$here/generated

for file in dcc_verifier.swift dcc_verifierFFI.h dcc_verifierFFI.modulemap; do
  [ -f "$gen/$file" ] || { echo "missing $gen/$file: run scripts/bindings.sh first" >&2; exit 2; }
done
lib=${1:-}
if [ -z "$lib" ]; then
  target_dir=$(cd "$repo" && cargo metadata --no-deps --format-version 1 --offline \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
  lib=$target_dir/debug/libdcc_verifier.so
fi
[ -f "$lib" ] || { echo "missing $lib: run scripts/bindings.sh first" >&2; exit 2; }

# The Linux layout of Package.swift (not committed): the generated Swift in Sources/DccVerifier,
# the C header, module map and shared library in build/linux (the systemLibrary target).
rm -rf "$here/Sources/DccVerifier" "$here/build/linux"
mkdir -p "$here/Sources/DccVerifier" "$here/build/linux"
cp "$gen/dcc_verifier.swift" "$here/Sources/DccVerifier/"
cp "$gen/dcc_verifierFFI.h" "$here/build/linux/"
cp "$gen/dcc_verifierFFI.modulemap" "$here/build/linux/module.modulemap"
cp "$lib" "$here/build/linux/"

root=$(bash "$repo/scripts/swift-root.sh" | tail -n 1)
swift_version=$(bash "$repo/scripts/swift-root.sh" run swift --version 2>/dev/null | head -n 1)
echo "swift: $swift_version, in $root"

cd "$here"
# The Apple branch of Package.swift cannot be built here, but its manifest can be evaluated:
# the same package with the xcframework binary target.
apple=$here/.build/apple-manifest
rm -rf "$apple" && mkdir -p "$apple"
sed 's|^#if os(Linux)$|#if false // the Apple branch|' Package.swift >"$apple/Package.swift"
grep -q '^#if false // the Apple branch' "$apple/Package.swift" || { echo "no #if os(Linux) in Package.swift" >&2; exit 1; }
(cd "$apple" && bash "$repo/scripts/swift-root.sh" run swift package dump-package) | python3 -c '
import json, sys
targets = {t["name"]: (t["type"], t.get("path")) for t in json.load(sys.stdin)["targets"]}
expected = {"dcc_verifierFFI": ("binary", "build/dcc_verifierFFI.xcframework"),
            "DccVerifier": ("regular", "Sources/DccVerifier"),
            "DccVerifierTests": ("test", "Tests/DccVerifierTests")}
sys.exit(0 if targets == expected else f"Apple manifest: {targets}")'
echo "swift: Package.swift, Apple branch: manifest evaluates (xcframework binary target)"

# The whole step in one chroot: the root's own swift, bash and coreutils.
bash "$repo/scripts/swift-root.sh" run bash -euo pipefail -c '
  swiftc -typecheck -swift-version 6 -strict-concurrency=complete -warnings-as-errors \
    -module-name DccVerifier -I build/linux -Xcc -fmodule-map-file=build/linux/module.modulemap \
    Sources/DccVerifier/dcc_verifier.swift
  echo "swift: generated bindings type-check (Swift 6, complete concurrency checking, no warning)"
  swift build --build-tests
  echo "swift: package and tests built"
  swift test --skip-build --disable-swift-testing
'
