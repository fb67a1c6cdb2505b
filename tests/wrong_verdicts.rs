//! Regression tests for the wrong-verdict paths an adversarial review found: each builds the
//! attack from a genuine fixture pass and checks that the verdict stays `invalid`, with every
//! signature backend compiled in.

mod common;

use coset::{CborSerializable as _, CoseSign1, TaggedCborSerializable as _};
use dcc_verifier::crypto::{Backend, PublicKey};
use dcc_verifier::revocation::{Blocklist, Filter, HashType, RevocationStore, Slice};
use dcc_verifier::{danger, Check, Reason, Status, TrustStore, UnixTime, Verifier};
use rsa::traits::PublicKeyParts as _;

use common::{fixture, pass_text};

fn now() -> UnixTime {
    UnixTime::parse_rfc3339("2021-09-01T00:00:00Z").unwrap()
}

fn trust(name: &str) -> TrustStore {
    TrustStore::from_bytes(&std::fs::read(fixture(name)).unwrap()).unwrap()
}

/// The COSE_Sign1 inside a fixture pass.
fn sign1_of(qr: &str) -> CoseSign1 {
    let cose = common::cose_from_qr(qr).unwrap();
    CoseSign1::from_tagged_slice(&cose)
        .or_else(|_| CoseSign1::from_slice(&cose))
        .unwrap()
}

/// The QR text of a COSE_Sign1: tagged CBOR, zlib, base45, `HC1:`.
fn qr_of(sign1: CoseSign1) -> String {
    let cose = sign1.to_tagged_vec().unwrap();
    let compressed = miniz_oxide::deflate::compress_to_vec_zlib(&cose, 9);
    format!("HC1:{}", common::base45_encode(&compressed))
}

/// A blocklist slice holding this hash, of this type, for every kid (no expiry).
fn revoking(hash: &[u8], hash_type: HashType) -> RevocationStore {
    let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
    let list = Blocklist::from_hex_lines(hex.as_bytes()).unwrap();
    let mut store = RevocationStore::new();
    store.add(Slice::new(Filter::Blocklist(list), [hash_type], "test list").unwrap());
    store
}

/// Item 1: `s + n` has the PS256 signature's length and, without the range check, verifies
/// under RustCrypto's `rsa`; its SIGNATURE hash differs, so a pass revoked by signature came
/// out valid once malleated. The fixture pass is signed again with a fresh key and salts
/// until `s + n` fits in the modulus length (about one signature in two).
#[test]
fn ps256_signature_plus_modulus_is_refused_by_every_backend() {
    use rand_chacha::rand_core::SeedableRng as _;
    use sha2::{Digest as _, Sha256};

    let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(13);
    let private = rsa::RsaPrivateKey::new(&mut rng, 2048).unwrap();
    let n = private.n().clone();
    let mut sign1 = sign1_of(&pass_text("valid-ps256"));
    let digest = Sha256::digest(sign1.tbs_data(b""));
    let (signature, malleated) = loop {
        let s = private
            .sign_with_rng(&mut rng, rsa::Pss::new::<Sha256>(), &digest)
            .unwrap();
        let plus = (rsa::BigUint::from_bytes_be(&s) + &n).to_bytes_be();
        if plus.len() == s.len() {
            break (s, plus);
        }
    };
    sign1.signature = signature;
    let genuine = qr_of(sign1.clone());
    sign1.signature = malleated;
    let forged = qr_of(sign1.clone());

    let kid = sign1.protected.header.key_id.clone();
    let key = PublicKey::rsa_from_components(&n.to_bytes_be(), &private.e().to_bytes_be());
    let mut trust = TrustStore::new();
    trust.add_key(kid, dcc_verifier::trust::SignerKey::new(key.unwrap()));
    let hash = hash_of(&genuine, HashType::Signature);
    for &backend in Backend::ALL {
        let verifier = Verifier::new(trust.clone())
            .with_backend(backend)
            .with_revocation(revoking(&hash, HashType::Signature));
        assert_eq!(
            verifier.verify(&genuine, now()).reason(),
            Some(Reason::Revoked),
            "{backend:?}: the genuine pass is revoked by its signature hash"
        );
        let report = verifier.verify(&forged, now());
        assert!(
            !report.is_valid(),
            "{backend:?}: malleated signature accepted"
        );
        assert_eq!(report.status(Check::Signature), Status::Fail, "{backend:?}");
        assert_eq!(
            report.reason(),
            Some(Reason::SignatureMalformed),
            "{backend:?}"
        );
    }
}

/// The one certificate's revocation hash of this type.
fn hash_of(qr: &str, hash_type: HashType) -> Vec<u8> {
    let hashes = danger::revocation_hashes(qr).unwrap();
    let hash = hashes.of_type(hash_type).next().unwrap();
    hash.to_vec()
}

/// A store revoking `qr` by its UCI hash, in a slice scoped to `kid`.
fn revoking_for_kid(qr: &str, kid: &[u8]) -> RevocationStore {
    let slice = revoking(&hash_of(qr, HashType::Uci), HashType::Uci).slices()[0]
        .clone()
        .for_kid(kid);
    let mut store = RevocationStore::new();
    store.add(slice);
    store
}

/// `qr` with its unprotected kid replaced (the protected header, and so the signature,
/// untouched).
fn with_unprotected_kid(qr: &str, kid: &[u8]) -> String {
    let mut sign1 = sign1_of(qr);
    assert!(
        sign1.protected.header.key_id.is_empty(),
        "kid is unprotected"
    );
    sign1.unprotected.key_id = kid.to_vec();
    qr_of(sign1)
}

/// The kid (protected header first) of a pass.
fn kid_of(qr: &str) -> Vec<u8> {
    let sign1 = sign1_of(qr);
    if sign1.protected.header.key_id.is_empty() {
        sign1.unprotected.key_id
    } else {
        sign1.protected.header.key_id
    }
}

/// The kid and the key that sign a fixture pass in the fixture trust list.
fn signer_of(qr: &str) -> (Vec<u8>, dcc_verifier::trust::SignerKey) {
    let kid = kid_of(qr);
    let list = trust("trust/trustlist.json");
    let report = Verifier::new(list.clone()).verify(qr, now());
    assert!(report.is_valid(), "{:?}", report.failures());
    let key = list.candidates(&kid).next().unwrap().clone();
    (kid, key)
}

/// Item 2: a kid in the unprotected header is not signed. Revocation lists scoped to a kid
/// must follow the key that verified, not the kid the pass names.
#[test]
fn swapping_an_unsigned_kid_does_not_escape_kid_scoped_revocation() {
    let qr = pass_text("kid-unprotected-only");
    let (kid, key) = signer_of(&qr);
    let swapped = with_unprotected_kid(&qr, b"another kid");

    // The key trusted kid-less (a bare public key): it verifies under any kid.
    let mut kidless = TrustStore::new();
    kidless.add_kidless_key(key.clone());
    // The key trusted under its own kid and under a second one.
    let mut two_kids = trust("trust/trustlist.json");
    two_kids.add_key(b"another kid".to_vec(), key);

    for store in [kidless, two_kids] {
        for &backend in Backend::ALL {
            let verifier = Verifier::new(store.clone())
                .with_backend(backend)
                .with_revocation(revoking_for_kid(&qr, &kid));
            for text in [&qr, &swapped] {
                let report = verifier.verify(text, now());
                assert_eq!(report.status(Check::Signature), Status::Pass);
                assert_eq!(report.reason(), Some(Reason::Revoked), "{backend:?}");
            }
        }
    }
}

/// Item 3: a source without metadata (a bare key, a kid map) or with wider metadata cannot
/// lift another source's restriction of the same key, in either loading order.
#[test]
fn the_same_key_from_two_sources_keeps_the_narrower_restrictions() {
    for (name, reason) in [
        ("key-usage-mismatch", Reason::KeyUsageMismatch),
        ("signer-expired", Reason::SignerExpired),
    ] {
        let qr = pass_text(name);
        let kid = kid_of(&qr);
        let list = trust("trust/trustlist.json");
        let restricted = list.candidates(&kid).next().unwrap().clone();
        let bare = dcc_verifier::trust::SignerKey::new(restricted.key.clone());

        let mut list_then_bare = list.clone();
        list_then_bare.add_kidless_key(bare.clone());
        let mut list_then_same_kid = list.clone();
        list_then_same_kid.add_key(kid.clone(), bare.clone());
        let mut bare_then_list = TrustStore::new();
        bare_then_list.add_kidless_key(bare.clone());
        bare_then_list
            .add_bytes(&std::fs::read(fixture("trust/trustlist.json")).unwrap())
            .unwrap();
        for store in [list, list_then_bare, list_then_same_kid, bare_then_list] {
            let report = Verifier::new(store).verify(&qr, now());
            assert!(!report.is_valid(), "{name}");
            assert_eq!(report.reason(), Some(reason), "{name}");
        }
    }
}

/// Item 9: a revocation list stays in force for as long as the clock skew still accepts a
/// certificate whose `exp` it has passed.
#[test]
fn a_revocation_list_covers_the_clock_skew_window() {
    let qr = pass_text("valid-es256-vaccination");
    let report = Verifier::new(trust("trust/trustlist.json")).verify(&qr, now());
    let exp = report.expires_at().unwrap();
    let mut store = RevocationStore::new();
    let slice = revoking(&hash_of(&qr, HashType::Uci), HashType::Uci).slices()[0]
        .clone()
        .expires_at(exp);
    store.add(slice);
    let verifier = Verifier::new(trust("trust/trustlist.json")).with_revocation(store);
    let within_skew = exp.checked_add_secs(100).unwrap();
    let report = verifier.verify(&qr, within_skew);
    assert_eq!(
        report.status(Check::Expiry),
        Status::Pass,
        "exp + 100 s is accepted"
    );
    assert_eq!(report.reason(), Some(Reason::Revoked));
    let beyond = exp.checked_add_secs(301).unwrap();
    assert_eq!(verifier.verify(&qr, beyond).reason(), Some(Reason::Expired));
}

/// Item 10: with the policy on, `iss` must be the signer's country (known, and equal).
#[test]
fn issuer_country_must_match_the_signer_when_asked() {
    let qr = pass_text("valid-es256-vaccination");
    let list = std::fs::read_to_string(fixture("trust/trustlist.json")).unwrap();
    let other_country = list.replace("\"XX\"", "\"YY\"");
    let policy = dcc_verifier::Policy::default().with_issuer_country_match(true);
    let (_, key) = signer_of(&qr);
    let mut bare = TrustStore::new();
    bare.add_kidless_key(dcc_verifier::trust::SignerKey::new(key.key));
    let cases = [
        (list.clone().into_bytes(), true, None),
        (other_country.into_bytes(), false, Some("YY")),
    ];
    for (bytes, matches, signer) in cases {
        let store = TrustStore::from_bytes(&bytes).unwrap();
        let off = Verifier::new(store.clone()).verify(&qr, now());
        assert!(off.is_valid(), "off by default");
        let on = Verifier::with_policy(store, policy.clone()).verify(&qr, now());
        assert_eq!(on.is_valid(), matches);
        if let Some(signer) = signer {
            assert_eq!(on.reason(), Some(Reason::IssuerCountryMismatch));
            assert_eq!(on.status(Check::KeyUsage), Status::Fail);
            assert!(on.failures()[0].error.to_string().contains(signer));
        }
    }
    let unknown = Verifier::with_policy(bare, policy).verify(&qr, now());
    assert_eq!(unknown.reason(), Some(Reason::IssuerCountryMismatch));
}

/// Item 11: a slice that names no hash type would cover nothing: refused.
#[test]
fn a_slice_without_hash_types_is_refused() {
    let list = Blocklist::from_hex_lines(b"00112233445566778899aabbccddeeff\n").unwrap();
    assert_eq!(
        Slice::new(Filter::Blocklist(list), [], "empty").unwrap_err(),
        dcc_verifier::RevocationError::NoHashTypes
    );
}

/// Item 12: trust data without a key is an error, not an empty trust.
#[test]
fn trust_data_without_keys_is_refused() {
    for empty in [
        &b"{}"[..],
        b"{\"certificates\":[]}",
        b" { } ",
        b"-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n",
    ] {
        let mut store = trust("trust/trustlist.json");
        let before = store.len();
        assert!(
            store.add_bytes(empty).is_err(),
            "{}",
            String::from_utf8_lossy(empty)
        );
        assert_eq!(store.len(), before, "nothing changed");
    }
    assert_eq!(
        TrustStore::from_bytes(b"{}").unwrap_err(),
        dcc_verifier::trust::TrustError::NoKeys
    );
}

/// Item 13: every skipped check says why.
#[test]
fn every_skipped_check_has_a_reason() {
    use dcc_verifier::SkipReason;
    let qr = pass_text("valid-es256-vaccination");
    let verifier = Verifier::new(trust("trust/trustlist.json"));
    let report = verifier.verify(&qr, now());
    assert!(report.is_valid());
    assert_eq!(
        report.skip_reason(Check::Revocation),
        Some(SkipReason::NoData)
    );
    // Authenticity only is a choice, and the report says so: admission was not evaluated.
    assert_eq!(
        report.skip_reason(Check::Rules),
        Some(SkipReason::NotRequested)
    );
    assert_eq!(report.admission(), dcc_verifier::Admission::NotEvaluated);
    assert_eq!(report.skip_reason(Check::Signature), None);

    let elsewhere = verifier
        .clone()
        .with_revocation(revoking_for_kid(&qr, b"some other kid"));
    let report = elsewhere.verify(&qr, now());
    assert!(report.is_valid());
    assert_eq!(
        report.skip_reason(Check::Revocation),
        Some(SkipReason::NotCovered)
    );

    let garbage = verifier.verify("HC1:!!", now());
    assert_eq!(garbage.status(Check::Base45), Status::Fail);
    assert_eq!(
        garbage.skip_reason(Check::Cose),
        Some(SkipReason::EarlierCheckFailed)
    );

    let cose = common::cose_from_qr(&qr).unwrap();
    let report = verifier.verify_cose(&cose, now());
    assert!(report.is_valid());
    assert_eq!(
        report.skip_reason(Check::Prefix),
        Some(SkipReason::NotApplicable)
    );

    // A bare key has no validity period: the check is skipped, and says so.
    let (_, key) = signer_of(&qr);
    let mut bare = TrustStore::new();
    bare.add_kidless_key(dcc_verifier::trust::SignerKey::new(key.key));
    let report = Verifier::new(bare).verify(&qr, now());
    assert!(report.is_valid());
    assert_eq!(report.status(Check::SignerValidity), Status::Skipped);
    assert_eq!(
        report.skip_reason(Check::SignerValidity),
        Some(SkipReason::NoData)
    );

    for check in Check::ALL {
        for report in [&garbage, &report] {
            assert_eq!(
                report.status(check) == Status::Skipped,
                report.skip_reason(check).is_some(),
                "{check}"
            );
        }
    }
}

/// Item 16: what handheld scanners add around a code is removed, in the library.
#[test]
fn scanner_framing_is_removed_and_nothing_else() {
    let qr = pass_text("valid-es256-vaccination");
    let verifier = Verifier::new(trust("trust/trustlist.json"));
    for framed in [
        format!("{qr}\r\n"),
        format!("{qr}\n"),
        format!("{qr}\r"),
        format!("\u{feff}{qr}\r\n"),
    ] {
        assert!(verifier.verify(&framed, now()).is_valid(), "{framed:?}");
        assert!(verifier.verify_bytes(framed.as_bytes(), now()).is_valid());
    }
    for altered in [format!("{qr} "), format!(" {qr}"), qr.to_lowercase()] {
        assert!(!verifier.verify(&altered, now()).is_valid(), "{altered:?}");
    }
    let invalid_utf8 = [b"HC1:".as_slice(), &[0xed, 0xa0, 0x80]].concat();
    let report = verifier.verify_bytes(&invalid_utf8, now());
    assert_eq!(report.reason(), Some(Reason::Base45Invalid));
}
