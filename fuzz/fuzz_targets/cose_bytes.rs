//! Arbitrary COSE bytes (past the QR text layers): must never panic.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

static VERIFIER: OnceLock<dcc_verifier::Verifier> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let verifier = VERIFIER.get_or_init(common::verifier);
    let report = verifier.verify_cose(data, common::NOW);
    if report.is_valid() {
        assert!(report.verified().is_some());
    }
});
