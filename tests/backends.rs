//! The two signature backends (RustCrypto, ring) agree: on every signature of the fixtures and
//! of the EU conformance corpus, and on mutated signatures and messages.
#![cfg(feature = "ring")]

mod common;

use base64::Engine as _;
use coset::{CborSerializable as _, CoseSign1, TaggedCborSerializable as _};
use dcc_verifier::crypto::{Algorithm, Backend, PublicKey};
use dcc_verifier::TrustStore;

/// What a COSE_Sign1's signature covers, and with what.
struct Signed {
    message: Vec<u8>,
    signature: Vec<u8>,
    alg: Algorithm,
    kid: Vec<u8>,
}

/// The signed parts of a COSE_Sign1, tagged or not.
fn signed_parts(cose: &[u8]) -> Option<Signed> {
    let sign1 = CoseSign1::from_tagged_slice(cose)
        .or_else(|_| CoseSign1::from_slice(cose))
        .ok()?;
    let (alg, kid) = common::coset_alg_and_kid(&sign1)?;
    Some(Signed {
        message: sign1.tbs_data(b""),
        signature: sign1.signature.clone(),
        alg,
        kid,
    })
}

/// Both backends give the same answer for this key, message and signature, and for mutations
/// of each; returns how many comparisons were made.
fn assert_agree(key: &PublicKey, alg: Algorithm, message: &[u8], signature: &[u8]) -> usize {
    let mut compared = 0;
    let mut check = |m: &[u8], s: &[u8]| {
        let a = key.verify_with(Backend::RustCrypto, alg, m, s);
        let b = key.verify_with(Backend::Ring, alg, m, s);
        assert_eq!(
            a,
            b,
            "backends disagree ({alg:?}, {} byte signature)",
            s.len()
        );
        compared += 1;
    };
    check(message, signature);
    for i in (0..signature.len()).step_by(7) {
        let mut s = signature.to_vec();
        s[i] ^= 0x01;
        check(message, &s);
    }
    for i in (0..message.len()).step_by(31) {
        let mut m = message.to_vec();
        m[i] ^= 0x80;
        check(&m, signature);
    }
    // High-S twin of an ECDSA signature: (r, n - s) verifies in both or in neither.
    if alg == Algorithm::Es256 && signature.len() == 64 {
        let n = p256_order();
        let mut s = [0u8; 32];
        s.copy_from_slice(&signature[32..]);
        let mut twin = signature[..32].to_vec();
        twin.extend_from_slice(&sub_be(&n, &s));
        check(message, &twin);
    }
    check(message, &[]);
    compared
}

fn p256_order() -> [u8; 32] {
    let hex = "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551";
    let bytes = common::hex_decode(hex);
    bytes.try_into().unwrap()
}

/// a - b for 256-bit big-endian numbers with a >= b.
fn sub_be(a: &[u8; 32], b: &[u8; 32]) -> Vec<u8> {
    let mut out = vec![0u8; 32];
    let mut borrow = 0i16;
    for i in (0..32).rev() {
        let mut d = i16::from(a[i]) - i16::from(b[i]) - borrow;
        borrow = i16::from(d < 0);
        if d < 0 {
            d += 256;
        }
        out[i] = u8::try_from(d).unwrap();
    }
    out
}

#[test]
fn backends_agree_on_the_fixtures() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let trust =
        TrustStore::from_bytes(&std::fs::read(root.join("trust/trustlist.json")).unwrap()).unwrap();
    let (mut signatures, mut compared) = (0, 0);
    for entry in std::fs::read_dir(root.join("passes")).unwrap().flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "txt") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let Ok(cose) = common::cose_from_qr(text.trim_end()) else {
            continue;
        };
        let Some(signed) = signed_parts(&cose) else {
            continue;
        };
        for signer in trust.candidates(&signed.kid) {
            compared += assert_agree(&signer.key, signed.alg, &signed.message, &signed.signature);
            signatures += 1;
        }
    }
    assert!(
        signatures >= 25,
        "only {signatures} fixture signatures compared"
    );
    eprintln!("fixtures: {signatures} signatures, {compared} comparisons");
}

#[test]
fn backends_agree_on_the_conformance_corpus() {
    let Some(root) = common::shared_dir("dgc-testdata") else {
        return;
    };
    let (mut signatures, mut compared) = (0, 0);
    for country in std::fs::read_dir(&root).unwrap().flatten() {
        let Ok(files) = std::fs::read_dir(country.path().join("2DCode/raw")) else {
            continue;
        };
        for file in files.flatten() {
            let case: serde_json::Value =
                serde_json::from_slice(&std::fs::read(file.path()).unwrap()).unwrap();
            let (Some(cose), Some(cert)) = (
                case["COSE"].as_str(),
                case["TESTCTX"]["CERTIFICATE"].as_str(),
            ) else {
                continue;
            };
            let Some(signed) = signed_parts(&common::hex_decode(cose)) else {
                continue;
            };
            let der = base64::engine::general_purpose::STANDARD
                .decode(cert)
                .unwrap();
            let mut trust = TrustStore::new();
            if trust.add_certificate_der(&der, Some(b"k")).is_err() {
                continue; // P-384 signers (ES/401-403): no backend supports them
            }
            for signer in trust.candidates(b"k") {
                compared +=
                    assert_agree(&signer.key, signed.alg, &signed.message, &signed.signature);
                signatures += 1;
            }
        }
    }
    assert!(
        signatures >= 250,
        "only {signatures} corpus signatures compared"
    );
    eprintln!("dgc-testdata: {signatures} signatures, {compared} comparisons");
}
