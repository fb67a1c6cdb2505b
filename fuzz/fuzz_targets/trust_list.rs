//! Arbitrary trust material (JSON lists, PEM, DER certificates and keys): must never panic,
//! and a failed load must leave the store unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut store = dcc_verifier::TrustStore::new();
    if store.add_bytes(data).is_err() {
        assert!(store.is_empty());
    }
});
