//! The binding generator, built from the same pinned uniffi as the library
//! (`cargo run --features bindgen --bin uniffi-bindgen -- generate ...`).

fn main() {
    uniffi::uniffi_bindgen_main()
}
