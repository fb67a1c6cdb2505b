//! End to end: a generated fixture pass is valid, then rejected once one of its hashes (each
//! type, in a Bloom filter, a hash list or the French blocklist) is in the revocation data; data
//! for another kid, another chunk or an expired slice does not apply. Also a real French test
//! certificate against the real French blocklist.

mod common;

use common::fixture;

use base64::Engine as _;
use dcc_verifier::revocation::{
    to_hex, Blocklist, BloomFilter, Filter, HashList, HashType, RevocationStore, Slice,
};
use dcc_verifier::{danger, Check, Reason, Report, Status, TrustStore, UnixTime, Verifier};

const PASSES: [&str; 2] = ["valid-es256-vaccination", "valid-ps256"];

fn pass(name: &str) -> String {
    let text = std::fs::read_to_string(fixture(&format!("passes/{name}.txt"))).unwrap();
    text.trim_end().to_string()
}

fn now() -> UnixTime {
    UnixTime::parse_rfc3339("2021-09-01T00:00:00Z").unwrap()
}

fn verifier() -> Verifier {
    let trust = TrustStore::from_bytes(&std::fs::read(fixture("trust/trustlist.json")).unwrap());
    Verifier::new(trust.unwrap())
}

fn verify(qr: &str, store: RevocationStore) -> Report {
    verifier().with_revocation(store).verify(qr, now())
}

fn store_with(slice: Slice) -> RevocationStore {
    let mut store = RevocationStore::new();
    store.add(slice);
    store
}

/// The one hash of this type the pass has (the fixtures' `iss` and `co` are both `XX`).
fn hash_of(qr: &str, hash_type: HashType) -> Vec<u8> {
    let hashes = danger::revocation_hashes(qr).unwrap();
    let all: Vec<&[u8]> = hashes.of_type(hash_type).collect();
    assert_eq!(all.len(), 1, "{hash_type}");
    all[0].to_vec()
}

fn bloom_with(hash: &[u8]) -> Filter {
    let mut filter = BloomFilter::new(1000, 1e-12).unwrap();
    filter.add(hash);
    filter.add(&[0x55; 16]); // another revoked certificate
    Filter::Bloom(BloomFilter::from_bytes(filter.as_bytes()).unwrap())
}

fn hash_list_with(hash: &[u8]) -> Filter {
    let other = [0x55; 16];
    let list = HashList::from_hashes(4, 2, 1e-12, [hash, &other[..]]).unwrap();
    Filter::HashList(HashList::from_bytes(&list.to_bytes()).unwrap())
}

fn assert_revoked(report: &Report, hash_type: HashType, source: &str, fpp: bool) {
    assert!(!report.is_valid());
    assert_eq!(report.reason(), Some(Reason::Revoked));
    assert_eq!(report.status(Check::Revocation), Status::Fail);
    let found = report.revocation_match().expect("a match");
    assert_eq!(found.hash_type, hash_type);
    assert_eq!(found.source, source);
    assert_eq!(found.false_positive_probability.is_some(), fpp);
    if let Some(p) = found.false_positive_probability {
        assert!(p.value() > 0.0 && p.value() < 1e-6, "{p}");
    }
    // Every other check still passed: revocation is the only failure.
    assert_eq!(report.failures().len(), 1);
    let message = report.failures()[0].error.to_string();
    assert!(
        !message.contains("URN:UVCI"),
        "no certificate identifier: {message}"
    );
}

#[test]
fn valid_without_revocation_data() {
    for name in PASSES {
        let report = verify(&pass(name), RevocationStore::new());
        assert!(report.is_valid(), "{name}");
        assert_eq!(report.status(Check::Revocation), Status::Skipped);
        assert_eq!(report.revocation_match(), None);
        assert_eq!(report.revocation_data_age_secs(), None);
    }
}

#[test]
fn revoked_by_each_hash_type_in_a_bloom_filter_and_a_hash_list() {
    for name in PASSES {
        let qr = pass(name);
        for hash_type in [HashType::Uci, HashType::CountryCodeUci, HashType::Signature] {
            let hash = hash_of(&qr, hash_type);
            let report = verify(
                &qr,
                store_with(Slice::new(bloom_with(&hash), [hash_type], "bf").unwrap()),
            );
            assert_revoked(&report, hash_type, "bf", true);
            let report = verify(
                &qr,
                store_with(Slice::new(hash_list_with(&hash), [hash_type], "hl").unwrap()),
            );
            assert_revoked(&report, hash_type, "hl", true);
            // An EU slice mixes a kid's hash types: one slice listing all three finds it too.
            let all = [HashType::Uci, HashType::CountryCodeUci, HashType::Signature];
            let report = verify(
                &qr,
                store_with(Slice::new(bloom_with(&hash), all, "mixed").unwrap()),
            );
            assert_revoked(&report, hash_type, "mixed", true);
        }
    }
}

#[test]
fn revoked_by_the_french_blocklist() {
    for name in PASSES {
        let qr = pass(name);
        let fingerprint = hash_of(&qr, HashType::FrDcc);
        let text = format!("{}\n{}\n", "ab".repeat(32), to_hex(&fingerprint));
        let list = Blocklist::from_hex_lines(text.as_bytes()).unwrap();
        let slice = Slice::new(Filter::Blocklist(list), [HashType::FrDcc], "fr").unwrap();
        assert_revoked(
            &verify(&qr, store_with(slice)),
            HashType::FrDcc,
            "fr",
            false,
        );
    }
}

#[test]
fn data_that_does_not_apply() {
    let qr = pass("valid-es256-vaccination");
    let hash = hash_of(&qr, HashType::Uci);
    let kid = verifier().verify(&qr, now()).kid().unwrap().to_vec();
    let slice = || Slice::new(bloom_with(&hash), [HashType::Uci], "bf").unwrap();

    // Another kid, a slice expired for longer than the clock skew: nothing covers the pass.
    let skew = dcc_verifier::limits::DEFAULT_CLOCK_SKEW_SECS;
    for store in [
        store_with(slice().for_kid(b"otherkid")),
        store_with(slice().expires_at(now().checked_sub_secs(skew).unwrap())),
    ] {
        let report = verify(&qr, store);
        assert!(report.is_valid());
        assert_eq!(report.status(Check::Revocation), Status::Skipped);
    }

    // The UCI in a slice of SIGNATURE hashes: the pass's signature hash is checked, and absent.
    let report = verify(
        &qr,
        store_with(Slice::new(bloom_with(&hash), [HashType::Signature], "bf").unwrap()),
    );
    assert!(report.is_valid());
    assert_eq!(report.status(Check::Revocation), Status::Pass);

    // The right kid, still in force: revoked.
    let in_force = slice()
        .for_kid(&kid)
        .expires_at(now().checked_add_secs(1).unwrap());
    assert_eq!(
        verify(&qr, store_with(in_force)).reason(),
        Some(Reason::Revoked)
    );

    // The kid's data, but a chunk (hash prefix) the pass's hash is not in: checked, not revoked.
    let first = to_hex(&hash).chars().next().unwrap();
    let other_chunk = if first == '0' { "1" } else { "0" };
    let report = verify(
        &qr,
        store_with(slice().for_kid(&kid).with_prefix(other_chunk).unwrap()),
    );
    assert!(report.is_valid());
    assert_eq!(report.status(Check::Revocation), Status::Pass);

    // The pass's own chunk: revoked.
    let own_chunk = to_hex(&hash)[..3].to_string();
    let report = verify(&qr, store_with(slice().with_prefix(&own_chunk).unwrap()));
    assert_eq!(report.reason(), Some(Reason::Revoked));
}

#[test]
fn data_age_is_reported() {
    let qr = pass("valid-es256-vaccination");
    let mut store = store_with(Slice::new(bloom_with(&[0; 16]), [HashType::Uci], "bf").unwrap());
    store.set_issued_at(now().checked_sub_secs(3600).unwrap());
    let report = verify(&qr, store);
    assert!(report.is_valid());
    assert_eq!(report.status(Check::Revocation), Status::Pass);
    assert_eq!(report.revocation_data_age_secs(), Some(3600));
}

#[test]
fn a_revoked_hash_in_a_forged_pass_is_reported_after_the_signature() {
    // The signature fails first; revocation still runs (every check that can run does).
    let qr = pass("bad-signature");
    let hash = hash_of(&qr, HashType::Uci);
    let report = verify(
        &qr,
        store_with(Slice::new(bloom_with(&hash), [HashType::Uci], "bf").unwrap()),
    );
    assert_eq!(report.reason(), Some(Reason::SignatureInvalid));
    assert_eq!(report.status(Check::Revocation), Status::Fail);
}

/// dgc-testdata FR/DCC_Test_0010 is in the real TAC-Verif blocklist (France REPORT §3.1).
#[test]
fn real_french_test_certificate_in_the_real_blocklist() {
    let (Some(testdata), Some(france)) = (
        common::shared_dir("dgc-testdata/FR/2DCode/raw"),
        common::shared_dir("france/vectors/blacklist"),
    ) else {
        return;
    };
    let case: serde_json::Value =
        serde_json::from_slice(&std::fs::read(testdata.join("DCC_Test_0010.json")).unwrap())
            .unwrap();
    let ctx = &case["TESTCTX"];
    let der = base64::engine::general_purpose::STANDARD
        .decode(ctx["CERTIFICATE"].as_str().unwrap())
        .unwrap();
    let mut trust = TrustStore::new();
    trust.add_certificate_der(&der, None).unwrap();
    let at = UnixTime::parse_rfc3339(ctx["VALIDATIONCLOCK"].as_str().unwrap()).unwrap();
    let qr = case["PREFIX"].as_str().unwrap();
    assert!(Verifier::new(trust.clone()).verify(qr, at).is_valid());

    let list_file = france.join("tacv_blacklist_dcc+2ddoc_sanipasse_2022-02-18.txt");
    let list = Blocklist::from_hex_lines(&std::fs::read(list_file).unwrap()).unwrap();
    assert_eq!(list.len(), 5_182, "5,186 lines, 5,182 distinct");
    let store = store_with(Slice::new(Filter::Blocklist(list), [HashType::FrDcc], "tacv").unwrap());
    let report = Verifier::new(trust).with_revocation(store).verify(qr, at);
    assert_eq!(report.reason(), Some(Reason::Revoked));
    assert_eq!(
        report.revocation_match().unwrap().hash_type,
        HashType::FrDcc
    );
}

/// The French fingerprints of every 2D-DOC sample and every dgc-testdata FR certificate
/// (France vectors `blacklist/blacklist_hash_vectors.json`).
#[test]
fn french_fingerprint_vectors() {
    let Some(france) = common::shared_dir("france/vectors") else {
        return;
    };
    let path = france.join("blacklist/blacklist_hash_vectors.json");
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    for case in v["2ddoc"].as_array().unwrap() {
        let raw = std::fs::read(france.join(case["file"].as_str().unwrap())).unwrap();
        let signed = raw.split(|&b| b == 0x1f).next().unwrap();
        let got = dcc_verifier::revocation::fr_twoddoc_fingerprint(signed);
        assert_eq!(
            to_hex(&got),
            case["sha256"].as_str().unwrap(),
            "{}",
            case["file"]
        );
    }
    for case in v["dcc"].as_array().unwrap() {
        let (co, ci) = (case["co"].as_str().unwrap(), case["ci"].as_str().unwrap());
        let got = dcc_verifier::revocation::fr_dcc_fingerprint(co, ci);
        assert_eq!(to_hex(&got), case["sha256"].as_str().unwrap(), "{ci}");
    }
}
