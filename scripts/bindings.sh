#!/usr/bin/env bash
# Builds the shared library with the UniFFI surface and generates the Kotlin, Swift and Python
# bindings from it into bindings/{kotlin,swift,python}/generated/ (never committed).
# Usage: scripts/bindings.sh [--release] [--panic-probe]
#   --release      optimised library (target/release); default: debug (faster to build)
#   --panic-probe  export panic_probe(), for the binding tests only
set -euo pipefail
cd "$(dirname "$0")/.."

profile=debug; cargo_profile=(); features=ffi
for arg in "$@"; do
  case "$arg" in
    --release) profile=release; cargo_profile=(--release) ;;
    --panic-probe) features=ffi,ffi-panic-probe ;;
    *) echo "usage: $0 [--release] [--panic-probe]" >&2; exit 2 ;;
  esac
done

# The generator, from the same pinned uniffi (a debug build is enough).
cargo build --locked --quiet --features bindgen --bin uniffi-bindgen
# The library as a cdylib. Its symbol table must stay: the generator reads the UniFFI metadata
# from it (strip a copy for shipping, see scripts/size.sh).
cargo rustc --locked --quiet --lib "${cargo_profile[@]}" --features "$features" --crate-type cdylib
lib=target/$profile/libdcc_verifier.so

for language in kotlin swift python; do
  out=bindings/$language/generated
  rm -rf "$out"
  # How each language passes a `ScannedText`: see bindings/uniffi-bindgen.toml.
  target/debug/uniffi-bindgen generate "$lib" --config bindings/uniffi-bindgen.toml --language "$language" \
    --out-dir "$out" --no-format >/dev/null
done
# The Python module and the JVM load the library from next to the generated code.
cp "$lib" bindings/python/generated/
cp "$lib" bindings/kotlin/generated/
echo "bindings generated from $lib ($features)"
