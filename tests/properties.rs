//! Properties that must hold for every input of a family, not just for chosen examples:
//! no single-byte change to what a signature covers ever verifies, and the answer never depends
//! on the order of the keys listed under one kid.

mod common;

use base64::Engine as _;
use dcc_verifier::{Check, Status, TrustStore, UnixTime, Verifier};

const NOW: UnixTime = UnixTime::from_secs(1_630_454_400); // 2021-09-01T00:00:00Z

fn fixture(rel: &str) -> Vec<u8> {
    std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures")
            .join(rel),
    )
    .unwrap()
}

fn trust() -> TrustStore {
    TrustStore::from_bytes(&fixture("trust/trustlist.json")).unwrap()
}

/// The COSE message inside a fixture pass (prefix, base45 and zlib undone).
fn cose_of(pass: &str) -> Vec<u8> {
    let text = String::from_utf8(fixture(&format!("passes/{pass}.txt"))).unwrap();
    common::cose_from_qr(text.trim_end()).unwrap()
}

#[test]
fn no_single_byte_change_to_a_signed_pass_is_valid() {
    let verifier = Verifier::new(trust());
    for pass in ["valid-es256-vaccination", "valid-ps256"] {
        let cose = cose_of(pass);
        assert!(
            verifier.verify_cose(&cose, NOW).is_valid(),
            "{pass} itself must be valid"
        );
        for position in 0..cose.len() {
            for mask in [0x01u8, 0x80, 0xff] {
                let mut mutant = cose.clone();
                mutant[position] ^= mask;
                let report = verifier.verify_cose(&mutant, NOW);
                assert!(
                    !report.is_valid(),
                    "{pass}: byte {position} ^ {mask:#04x} still valid"
                );
            }
        }
    }
}

#[test]
fn the_order_of_keys_under_one_kid_does_not_change_the_answer() {
    let list: serde_json::Value = serde_json::from_slice(&fixture("trust/trustlist.json")).unwrap();
    let entries = list["certificates"].as_array().unwrap();
    let shared_kid = "v9IgIbT9DBc=";
    let colliding: Vec<&serde_json::Value> =
        entries.iter().filter(|e| e["kid"] == shared_kid).collect();
    assert_eq!(
        colliding.len(),
        2,
        "the fixtures list two keys under {shared_kid}"
    );

    let store_in_order = |order: &[usize]| {
        let mut store = TrustStore::new();
        for &i in order {
            let der = base64::engine::general_purpose::STANDARD
                .decode(colliding[i]["rawData"].as_str().unwrap())
                .unwrap();
            let kid = base64::engine::general_purpose::STANDARD
                .decode(shared_kid)
                .unwrap();
            store.add_certificate_der(&der, Some(&kid)).unwrap();
        }
        store
    };
    let forward = Verifier::new(store_in_order(&[0, 1]));
    let backward = Verifier::new(store_in_order(&[1, 0]));
    for pass in [
        "colliding-kid-first-key",
        "colliding-kid-second-key",
        "colliding-kid-no-key-verifies",
    ] {
        let qr = String::from_utf8(fixture(&format!("passes/{pass}.txt"))).unwrap();
        let (a, b) = (
            forward.verify(qr.trim_end(), NOW),
            backward.verify(qr.trim_end(), NOW),
        );
        assert_eq!(a.is_valid(), b.is_valid(), "{pass}");
        assert_eq!(a.reason(), b.reason(), "{pass}");
        for check in Check::ALL {
            assert_eq!(a.status(check), b.status(check), "{pass}: {check}");
        }
        let expect_valid = pass != "colliding-kid-no-key-verifies";
        assert_eq!(a.is_valid(), expect_valid, "{pass}");
        assert_eq!(
            a.status(Check::Signature) == Status::Pass,
            expect_valid,
            "{pass}"
        );
    }
}
