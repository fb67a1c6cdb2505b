#!/usr/bin/env bash
# Compiles the generated Kotlin bindings and bindings/kotlin/DccVerifierTest.kt with kotlinc
# against JNA and runs them on the JVM (called by scripts/test-bindings.sh after
# scripts/bindings.sh; installs kotlinc and JNA when missing).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cd "$repo"

kotlinc=$(bash scripts/install-binding-tools.sh | tail -n 1)
echo "kotlin: JVM $(java -version 2>&1 | head -n 1)"
kotlin_lib=$(dirname "$kotlinc")/../lib
jna=/usr/share/java/jna.jar
mkdir -p target/kotlin
"$kotlinc" -nowarn -cp "$jna" \
  bindings/kotlin/generated/uniffi/dcc_verifier/dcc_verifier.kt bindings/kotlin/DccVerifierTest.kt \
  -d target/kotlin/binding-tests.jar
java -Djna.library.path=bindings/kotlin/generated \
  -cp "target/kotlin/binding-tests.jar:$jna:$kotlin_lib/kotlin-stdlib.jar" DccVerifierTestKt .
