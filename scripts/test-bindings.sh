#!/usr/bin/env bash
# The binding tests, against one library built with the test-only panic probe: Kotlin on a real
# JVM (kotlinc, JNA, JUnit 5, from a jar that carries the library), Python, and Swift (swift build
# and swift test with XCTest, in a Debian trixie root); and Java (javac) against the release jar.
# Each language's script installs what it needs when missing (kotlinc, JNA, JUnit 5, the aarch64
# cross linker: scripts/install-binding-tools.sh; the Swift root: scripts/swift-root.sh, cached
# under /var/cache).
set -euo pipefail
cd "$(dirname "$0")/.."
export RUST_BACKTRACE=0   # the panic-probe test panics on purpose: keep its output short

bash scripts/bindings.sh --panic-probe

echo "== Kotlin (JUnit 5, the test jar)"
bash bindings/kotlin/test.sh
echo "== Java (javac, the release jar)"
bash bindings/java/test.sh
echo "== Python"
bash bindings/python/test.sh
echo "== Swift (Linux, in a Debian trixie root: scripts/swift-root.sh)"
bash bindings/swift/test-linux.sh
