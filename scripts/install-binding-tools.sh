#!/usr/bin/env bash
# Installs what the binding tests need, where missing: JNA (Debian libjna-java) for the Kotlin
# bindings on the JVM, and kotlinc (npm package kotlin-compiler) into .tools/kotlin.
# Prints the kotlinc path on its last line.
set -euo pipefail
cd "$(dirname "$0")/.."
KOTLIN_VERSION=2.4.20

need() { command -v "$1" >/dev/null 2>&1 || { echo "missing $1: $2" >&2; exit 2; }; }
need java "install a JDK 17 (Debian: apt-get install openjdk-17-jdk-headless)"
need python3 "install Python 3"

if [ ! -f /usr/share/java/jna.jar ]; then
  echo "installing libjna-java (apt)" >&2
  sudo_cmd=""; [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq libjna-java >&2
fi

kotlinc=.tools/kotlin/node_modules/kotlin-compiler/bin/kotlinc
if [ ! -x "$kotlinc" ]; then
  need npm "install Node.js and npm"
  echo "installing kotlin-compiler@$KOTLIN_VERSION (npm) into .tools/kotlin" >&2
  mkdir -p .tools/kotlin
  npm install --prefix .tools/kotlin --no-audit --no-fund --silent "kotlin-compiler@$KOTLIN_VERSION" >&2
fi
echo "$kotlinc"
