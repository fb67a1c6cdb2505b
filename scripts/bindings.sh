#!/usr/bin/env bash
# Builds the shared library with the UniFFI surface and generates the Kotlin, Swift and Python
# bindings from it into bindings/{kotlin,swift,python}/generated/ (never committed).
# Usage: scripts/bindings.sh [--release] [--panic-probe] [--out-dir DIR]
#   --release       optimised library (TARGET/release); default: debug (faster to build)
#   --panic-probe   export panic_probe(), for the binding tests only
#   --out-dir DIR   write DIR/{kotlin,swift,python} instead (bindings/kotlin/build-jar.sh, so
#                   that a release jar leaves the test bindings alone)
set -euo pipefail
cd "$(dirname "$0")/.."

profile=debug; cargo_profile=(); features=ffi; out_dir=
usage() { echo "usage: $0 [--release] [--panic-probe] [--out-dir DIR]" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --release) profile=release; cargo_profile=(--release) ;;
    --panic-probe) features=ffi,ffi-panic-probe ;;
    --out-dir) [ $# -ge 2 ] || usage; out_dir=$2; shift ;;
    *) usage ;;
  esac
  shift
done

# Cargo's target directory ($CARGO_TARGET_DIR or a config's build.target-dir respected).
target_dir=$(cargo metadata --no-deps --format-version 1 --offline \
  | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')

# The generator, from the same pinned uniffi (a debug build is enough).
cargo build --locked --quiet --features bindgen --bin uniffi-bindgen
# The library as a cdylib. Its symbol table must stay: the generator reads the UniFFI metadata
# from it (strip a copy for shipping, see scripts/size.sh).
cargo rustc --locked --quiet --lib "${cargo_profile[@]}" --features "$features" --crate-type cdylib
lib=$target_dir/$profile/libdcc_verifier.so

out_of() { if [ -n "$out_dir" ]; then echo "$out_dir/$1"; else echo "bindings/$1/generated"; fi; }
for language in kotlin swift python; do
  out=$(out_of "$language")
  rm -rf "$out"
  # How each language passes a `ScannedText`: see uniffi.toml.
  "$target_dir/debug/uniffi-bindgen" generate "$lib" --config uniffi.toml --language "$language" \
    --out-dir "$out" --no-format >/dev/null
done

# The one edit to generated code. Java sees a Kotlin exception as checked only where `@Throws`
# declares it, and uniffi 0.32.2 writes `@Throws` on methods, functions and named constructors
# but not on the primary constructor (its ObjectTemplate.kt): without it, Java code cannot catch
# `DccException` around `new DccVerifier(trust)` (javac: "exception is never thrown in body of
# corresponding try statement"). No uniffi.toml option adds it; renaming the constructor
# for Kotlin would turn `DccVerifier(trust)` into `DccVerifier.create(trust)`. So every primary
# constructor that calls Rust with an error type gets `@Throws(ThatError::class)`; the step fails
# if uniffi's output no longer has the expected shape. Tested by bindings/java (javac).
python3 - "$(out_of kotlin)/uniffi/dcc_verifier/dcc_verifier.kt" <<'PY'
import re, sys
path = sys.argv[1]
text = open(path).read()
primary = re.compile(r"^( +)(constructor\([^\n]*\) :\n +this\(UniffiWithHandle, *\n +uniffiRustCallWithError\((\w+)\))", re.M)
text, count = primary.subn(r"\1@Throws(\3::class)\n\1\2", text)
if count != 1:
    sys.exit(f"{path}: {count} throwing primary constructors found, 1 expected (DccVerifier):"
             " uniffi's Kotlin output changed, see scripts/bindings.sh")
open(path, "w").write(text)
PY

# The Python module loads the library from next to the generated code (the JVM from the jar of
# bindings/kotlin/build-jar.sh).
cp "$lib" "$(out_of python)/"
echo "bindings generated from $lib ($features)"
