#!/usr/bin/env bash
# Builds build/dcc_verifierFFI.xcframework and Sources/DccVerifier/dcc_verifier.swift for the
# Swift package. Needs a Mac with Xcode; the Rust targets are added by the script.
# Then: `swift test` (macOS) here, or add this package to an iOS app in Xcode.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"

targets=(aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios aarch64-apple-darwin x86_64-apple-darwin)
rustup target add "${targets[@]}"
# Cargo's target directory ($CARGO_TARGET_DIR or a config's build.target-dir respected).
target_dir=$(cargo metadata --no-deps --format-version 1 --offline \
  | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
for target in "${targets[@]}"; do
  cargo rustc --locked --lib --release --features ffi --target "$target" --crate-type staticlib
done

# Swift sources, C header and module map, from the device library (identical for every target).
cargo build --locked --features bindgen --bin uniffi-bindgen
gen=$here/build/generated
rm -rf "$gen" && mkdir -p "$gen/include" "$here/Sources/DccVerifier"
"$target_dir/debug/uniffi-bindgen" generate "$target_dir"/aarch64-apple-ios/release/libdcc_verifier.a --config uniffi.toml \
  --language swift --out-dir "$gen" --no-format
cp "$gen/dcc_verifier.swift" "$here/Sources/DccVerifier/"
cp "$gen/dcc_verifierFFI.h" "$gen/include/"
cp "$gen/dcc_verifierFFI.modulemap" "$gen/include/module.modulemap"

# One library per platform: fat simulator and macOS libraries via lipo.
lib=libdcc_verifier.a
mkdir -p "$here/build/ios-sim" "$here/build/macos"
lipo -create "$target_dir"/aarch64-apple-ios-sim/release/$lib "$target_dir"/x86_64-apple-ios/release/$lib \
  -output "$here/build/ios-sim/$lib"
lipo -create "$target_dir"/aarch64-apple-darwin/release/$lib "$target_dir"/x86_64-apple-darwin/release/$lib \
  -output "$here/build/macos/$lib"

rm -rf "$here/build/dcc_verifierFFI.xcframework"
xcodebuild -create-xcframework \
  -library "$target_dir"/aarch64-apple-ios/release/$lib -headers "$gen/include" \
  -library "$here/build/ios-sim/$lib" -headers "$gen/include" \
  -library "$here/build/macos/$lib" -headers "$gen/include" \
  -output "$here/build/dcc_verifierFFI.xcframework"
echo "built $here/build/dcc_verifierFFI.xcframework"
