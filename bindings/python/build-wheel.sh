#!/usr/bin/env bash
# Builds the Python wheel (bindings/python/pyproject.toml) with maturin, which generates the
# UniFFI bindings with the crate's own pinned uniffi-bindgen and packs them with the library
# and the hand-written package in bindings/python/python/dcc_verifier/.
# Usage: bindings/python/build-wheel.sh [--release] [--panic-probe] [--out DIR]
#   --release      the release profile, the library stripped (what ships: bindings/python/
#                  strip_wheel.py); default: the dev profile, unstripped (faster to build)
#   --panic-probe  add the test-only panic probe (feature ffi-panic-probe): never ship that wheel
#   --out DIR      where the wheel goes (default: $CARGO_TARGET_DIR or target/, then wheels/)
# Prints the wheel's path on its last line. maturin (pinned) is installed with pip into a tools
# venv under target/python/ when missing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cd "$repo"

target=${CARGO_TARGET_DIR:-$repo/target}
release=(); features=(); out=$target/wheels
while [ $# -gt 0 ]; do
  case "$1" in
    --release) release=(--release) ;;
    --panic-probe) features=(--features ffi-panic-probe) ;;
    --out) out=$2; shift ;;
    *) echo "usage: $0 [--release] [--panic-probe] [--out DIR]" >&2; exit 2 ;;
  esac
  shift
done

# The build tools, pinned, in their own venv (kept between runs; rebuilt when the pins change).
tools=$target/python/tools
if ! cmp -s "$here/requirements-build.txt" "$tools/requirements-build.txt" 2>/dev/null; then
  rm -rf "$tools"
  bash "$here/ensure-venv.sh"
  python3 -m venv "$tools" >&2
  "$tools/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements-build.txt" >&2
  cp "$here/requirements-build.txt" "$tools/"
fi

# maturin hands uniffi-bindgen the crate root's uniffi.toml (how a `ScannedText` crosses: a
# plain str in Python), the one configuration of every binding (scripts/bindings.sh passes it too).
[ -f uniffi.toml ] || { echo "missing uniffi.toml at the crate root" >&2; exit 2; }

rm -rf "$out.tmp" && mkdir -p "$out.tmp"
# maturin reads the pyproject.toml of the directory it runs in (its manifest-path leads to the crate).
(cd "$here" && "$tools/bin/maturin" build --quiet "${release[@]}" "${features[@]}" --out "$out.tmp" >&2)
wheel=$(ls "$out.tmp"/*.whl)
if [ ${#release[@]} -gt 0 ]; then python3 "$here/strip_wheel.py" "$wheel"; fi
mkdir -p "$out"
mv -f "$wheel" "$out/"
rm -rf "$out.tmp"
echo "$out/$(basename "$wheel")"
