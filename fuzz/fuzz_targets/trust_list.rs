//! Arbitrary trust material (JSON lists, PEM, DER certificates and keys): must never panic,
//! a failed load must leave the store unchanged, and entries of one key share their usages.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut store = dcc_verifier::TrustStore::new();
    if store.add_bytes(data).is_err() {
        assert!(store.is_empty());
    }
    // Entries of one public key never disagree on what it may sign.
    let keys: Vec<_> = store.iter().map(|(_, key)| key).collect();
    for (i, a) in keys.iter().enumerate() {
        for b in &keys[i + 1..] {
            if a.key == b.key {
                assert_eq!(a.usage, b.usage);
            }
        }
    }
});
