//! Arbitrary QR text through the whole verifier: must never panic.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

static VERIFIER: OnceLock<dcc_verifier::Verifier> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let verifier = VERIFIER.get_or_init(common::verifier);
    if let Ok(text) = std::str::from_utf8(data) {
        let report = verifier.verify(text, common::NOW);
        // A valid verdict needs a signature from a fixture key over exactly these bytes.
        if report.is_valid() {
            assert!(report.verified().is_some());
        }
    }
});
