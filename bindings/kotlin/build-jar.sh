#!/usr/bin/env bash
# Builds the JVM jar: the generated Kotlin bindings compiled with kotlinc, and the native library
# in JNA's resource layout, so that a JVM app or test depends on this one jar (plus JNA and
# kotlin-stdlib) and JNA loads the library from it:
#   uniffi/dcc_verifier/*.class           the bindings (package uniffi.dcc_verifier)
#   linux-x86-64/libdcc_verifier.so       x86_64 Linux
#   linux-aarch64/libdcc_verifier.so      ARM64 Linux (release jar: cross-built)
# Built with the JDK's own `jar` (no Gradle or Maven). Installs kotlinc, JNA and the aarch64
# cross linker when missing (scripts/install-binding-tools.sh).
#
# Usage: bindings/kotlin/build-jar.sh [--test]
#   (default)  the release jar, on an x86_64 host: release libraries (feature ffi, stripped) for
#              x86_64 and aarch64 (gcc-aarch64-linux-gnu as the linker), Kotlin generated from
#              the release library -> TARGET/jvm/dcc-verifier-VERSION.jar
#   --test     the binding tests' jar: the bindings and debug library of
#              `scripts/bindings.sh --panic-probe` (run it first), for this host's architecture
#              only -> TARGET/jvm/dcc-verifier-test.jar
# TARGET is cargo's target directory ($CARGO_TARGET_DIR respected). Prints the jar's path on its
# last line.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cd "$repo"

mode=release
case "${1:-}" in
  "") ;;
  --test) mode=test ;;
  *) echo "usage: $0 [--test]" >&2; exit 2 ;;
esac

kotlinc=$(bash scripts/install-binding-tools.sh | tail -n 1)
jna=/usr/share/java/jna.jar
read -r target_dir version < <(cargo metadata --no-deps --format-version 1 --offline | python3 -c '
import json, sys
m = json.load(sys.stdin)
print(m["target_directory"], next(p["version"] for p in m["packages"] if p["name"] == "dcc-verifier"))')

# JNA's resource prefix for a Linux architecture (com.sun.jna.Platform.RESOURCE_PREFIX).
prefix_of() {
  case "$1" in
    x86_64) echo linux-x86-64 ;;
    aarch64) echo linux-aarch64 ;;
    *) echo "no JNA prefix known for $1" >&2; exit 2 ;;
  esac
}
# `file`'s word for each architecture: a jar must never carry a library under the wrong prefix.
check_elf() {  # LIBRARY ARCH
  local expected
  case "$2" in x86_64) expected="x86-64" ;; aarch64) expected="ARM aarch64" ;; esac
  local described
  described=$(file -b "$1")
  case "$described" in
    "ELF 64-bit LSB shared object, $expected,"*) echo "jar: $(prefix_of "$2")/libdcc_verifier.so: $described" | cut -c1-120 >&2 ;;
    *) echo "$1 is not an $expected shared library: $described" >&2; exit 1 ;;
  esac
}

work=$target_dir/jvm/$mode
rm -rf "$work" && mkdir -p "$work/classes" "$work/resources"
if [ "$mode" = test ]; then
  kotlin_source=bindings/kotlin/generated/uniffi/dcc_verifier/dcc_verifier.kt
  host_lib=$target_dir/debug/libdcc_verifier.so
  for f in "$kotlin_source" "$host_lib"; do
    [ -f "$f" ] || { echo "missing $f: run scripts/bindings.sh --panic-probe first" >&2; exit 2; }
  done
  arch=$(uname -m)
  mkdir -p "$work/resources/$(prefix_of "$arch")"
  # A stripped copy: the symbols JNA needs are in the dynamic table, which stays.
  strip --strip-all -o "$work/resources/$(prefix_of "$arch")/libdcc_verifier.so" "$host_lib"
  check_elf "$work/resources/$(prefix_of "$arch")/libdcc_verifier.so" "$arch"
  jar_file=$target_dir/jvm/dcc-verifier-test.jar
else
  [ "$(uname -m)" = x86_64 ] || { echo "the release jar is built on an x86_64 host (aarch64 cross-built)" >&2; exit 2; }
  # The x86_64 library and the Kotlin generated from it (not into bindings/kotlin/generated,
  # which holds the test bindings).
  bash scripts/bindings.sh --release --out-dir "$work/bindings"
  kotlin_source=$work/bindings/kotlin/uniffi/dcc_verifier/dcc_verifier.kt
  # The aarch64 library: the same build, linked by Debian's cross gcc.
  CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=aarch64-linux-gnu-gcc \
    cargo rustc --locked --quiet --lib --release --features ffi --crate-type cdylib \
    --target aarch64-unknown-linux-gnu
  mkdir -p "$work/resources/linux-x86-64" "$work/resources/linux-aarch64"
  strip --strip-all -o "$work/resources/linux-x86-64/libdcc_verifier.so" "$target_dir/release/libdcc_verifier.so"
  aarch64-linux-gnu-strip --strip-all -o "$work/resources/linux-aarch64/libdcc_verifier.so" \
    "$target_dir/aarch64-unknown-linux-gnu/release/libdcc_verifier.so"
  check_elf "$work/resources/linux-x86-64/libdcc_verifier.so" x86_64
  check_elf "$work/resources/linux-aarch64/libdcc_verifier.so" aarch64
  jar_file=$target_dir/jvm/dcc-verifier-$version.jar
fi

"$kotlinc" -nowarn -cp "$jna" -module-name dcc-verifier -d "$work/classes" "$kotlin_source"
cat >"$work/MANIFEST.MF" <<EOF
Implementation-Title: dcc-verifier
Implementation-Version: $version
Automatic-Module-Name: uniffi.dcc_verifier
EOF
# Reproducible entry times: the commit's, where there is one.
date_args=()
if commit_date=$(git log -1 --format=%cI 2>/dev/null) && [ -n "$commit_date" ]; then
  date_args=(--date="$commit_date")
fi
rm -f "$jar_file"
jar --create --file "$jar_file" --manifest "$work/MANIFEST.MF" "${date_args[@]}" \
  -C "$work/classes" . -C "$work/resources" .
echo "jar: $(stat -c %s "$jar_file") bytes, $(jar --list --file "$jar_file" | grep -c '\.class$') classes" >&2
echo "$jar_file"
