#!/usr/bin/env bash
# Installs what the JVM binding tests and the jar need, where missing, on Debian:
#   apt: a JDK 17 (java, javac, jar), JNA (libjna-java), JUnit 5 with its console launcher
#        (junit5), the aarch64 cross linker and C library (gcc-aarch64-linux-gnu,
#        libc6-dev-arm64-cross, for the jar's linux-aarch64 library), file, npm;
#   rustup: the aarch64-unknown-linux-gnu target;
#   npm: kotlinc (package kotlin-compiler) into .tools/kotlin.
# Prints the kotlinc path on its last line.
set -euo pipefail
cd "$(dirname "$0")/.."
KOTLIN_VERSION=2.4.20

missing=()
command -v javac >/dev/null 2>&1 && command -v jar >/dev/null 2>&1 || missing+=(openjdk-17-jdk-headless)
[ -f /usr/share/java/jna.jar ] || missing+=(libjna-java)
[ -f /usr/share/java/junit-platform-console-standalone.jar ] || missing+=(junit5)
command -v aarch64-linux-gnu-gcc >/dev/null 2>&1 || missing+=(gcc-aarch64-linux-gnu)
# The cross gcc only recommends its C library, which --no-install-recommends leaves out: without
# it the aarch64 link fails ("cannot find crti.o").
[ -f /usr/aarch64-linux-gnu/lib/crti.o ] || missing+=(libc6-dev-arm64-cross)
command -v file >/dev/null 2>&1 || missing+=(file)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
kotlinc=.tools/kotlin/node_modules/kotlin-compiler/bin/kotlinc
[ -x "$kotlinc" ] || command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]} (apt)" >&2
  sudo_cmd=""; [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  # Others may be running apt on the same machine: wait for its lock rather than fail.
  $sudo_cmd apt-get -o DPkg::Lock::Timeout=600 update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
    --no-install-recommends "${missing[@]}" >&2
fi

if ! rustup target list --installed | grep -qx aarch64-unknown-linux-gnu; then
  echo "adding the Rust target aarch64-unknown-linux-gnu (rustup)" >&2
  rustup target add aarch64-unknown-linux-gnu >&2
fi

if [ ! -x "$kotlinc" ]; then
  echo "installing kotlin-compiler@$KOTLIN_VERSION (npm) into .tools/kotlin" >&2
  mkdir -p .tools/kotlin
  npm install --prefix .tools/kotlin --no-audit --no-fund --silent "kotlin-compiler@$KOTLIN_VERSION" >&2
fi
echo "$kotlinc"
