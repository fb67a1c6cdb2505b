#!/usr/bin/env bash
# The binding tests: Kotlin on a real JVM (kotlinc + JNA), Python, and Swift (swift build and
# swift test with XCTest, in a Debian trixie root), against a library built with the test-only
# panic probe. Installs kotlinc and JNA when missing (scripts/install-binding-tools.sh), and
# the Swift root (scripts/swift-root.sh: mmdebstrap from apt, cached under /var/cache).
set -euo pipefail
cd "$(dirname "$0")/.."
export RUST_BACKTRACE=0   # the panic-probe test panics on purpose: keep its output short

kotlinc=$(bash scripts/install-binding-tools.sh | tail -n 1)
bash scripts/bindings.sh --panic-probe

echo "== Kotlin (JVM $(java -version 2>&1 | head -n 1))"
kotlin_lib=$(dirname "$kotlinc")/../lib
jna=/usr/share/java/jna.jar
mkdir -p target/kotlin
"$kotlinc" -nowarn -cp "$jna" \
  bindings/kotlin/generated/uniffi/dcc_verifier/dcc_verifier.kt bindings/kotlin/DccVerifierTest.kt \
  -d target/kotlin/binding-tests.jar
java -Djna.library.path=bindings/kotlin/generated \
  -cp "target/kotlin/binding-tests.jar:$jna:$kotlin_lib/kotlin-stdlib.jar" DccVerifierTestKt .

echo "== Python ($(python3 --version))"
python3 bindings/python/test_bindings.py

echo "== Swift (Linux, in a Debian trixie root: scripts/swift-root.sh)"
bash bindings/swift/test-linux.sh
