//! Arbitrary text as a French 2D-DOC: the parser, the typed content and the verifier (with the
//! fixture ES256 key registered under the specimen CA and certificate ids, so that signatures
//! get checked, and a blocklist so that the fingerprint is looked up). Must never panic; the
//! document's accessors must agree with the verifier.
#![no_main]

use std::sync::OnceLock;

use dcc_verifier::revocation::HashType;
use dcc_verifier::trust::twoddoc_keys::TwoDDocKeys;
use dcc_verifier::twoddoc;
use dcc_verifier::{Check, Format, Policy, Status, Verifier};
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

static VERIFIER: OnceLock<Verifier> = OnceLock::new();

fn verifier() -> Verifier {
    let pem = include_bytes!("../../fixtures/trust/es256.pem");
    let mut keys = TwoDDocKeys::new();
    for (ca, cert) in [
        ("FR00", "0001"),
        ("FR01", "0001"),
        ("DHI0", "TST1"),
        ("FR04", "FR04"),
    ] {
        keys.add_bytes(ca, cert, pem)
            .expect("fixture certificate loads");
    }
    let store = common::one_hash_revocation([HashType::FrDcc]);
    let dcc_trust = common::verifier().trust().clone();
    Verifier::with_policy(dcc_trust, Policy::default().with_twoddoc_test_ca(true))
        .with_twoddoc_keys(keys)
        .with_revocation(store)
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let verifier = VERIFIER.get_or_init(verifier);
    if let Ok(doc) = twoddoc::parse(text) {
        let _ = doc.fingerprint();
        let _ = doc.fields();
        let _ = doc.unsigned_annex();
        let _ = doc.content();
        assert!(doc.signed_data().len() <= text.len());
    }
    let report = verifier.verify(text, common::NOW);
    if twoddoc::looks_like_twoddoc(text) {
        assert_eq!(report.format(), Format::TwoDDoc);
        if report.status(Check::Prefix) == Status::Pass {
            assert!(twoddoc::parse(text).is_ok());
        }
    }
    if report.is_valid() {
        assert!(report.verified().is_some());
    }
});
