//! Arbitrary compact key sets: must never panic, with or without a pinned publisher key; a
//! failed load leaves the store unchanged; and whatever parses writes back to a set that reads
//! the same.
#![no_main]

use dcc_verifier::crypto::PublicKey;
use dcc_verifier::trust::keyset::KeySet;
use dcc_verifier::TrustStore;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut store = TrustStore::new();
    if store.add_bytes(data).is_err() {
        assert!(store.is_empty());
        assert_eq!(store.clock_floor(), None);
    }
    // The fixture signer as publisher: mutated signed seeds reach the signature check.
    let pin = dcc_verifier::trust::keyset::publisher_key(include_bytes!("../../fixtures/trust/es256.pem"))
        .expect("fixture key loads");
    assert!(matches!(pin, PublicKey::EcP256(_)));
    let _ = KeySet::parse(data, Some(&pin));
    if let Ok(set) = KeySet::parse(data, None) {
        let mut again = TrustStore::new();
        if again.add_key_set(data, None).is_ok() {
            let bytes = KeySet::build(&again, set.issued_at(), None).expect("a loaded set writes");
            let reread = KeySet::parse(&bytes, None).expect("a written set reads");
            assert_eq!(reread.len(), set.len());
            assert_eq!(reread.issued_at(), set.issued_at());
        }
    }
});
