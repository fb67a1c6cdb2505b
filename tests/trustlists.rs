//! Loads the real trust lists and signer certificates in ../shared (never committed here).
//!
//! The directory comes from `DCC_SHARED_DIR` (default `../shared` next to this crate). Where it
//! is absent the tests print why and pass, unless `CI=true`, where they fail instead.
// Helpers outside #[test] fns: a panic here is a failed test, as in the tests themselves.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use dcc_verifier::crypto::PublicKey;
use dcc_verifier::trust::{KeyUsage, TrustError, TrustStore};
use dcc_verifier::UnixTime;
use sha2::{Digest as _, Sha256};

fn read_json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// How many keys a list file holds, counted independently of the loader.
fn entry_count(json: &serde_json::Value) -> usize {
    match json.get("certificates") {
        Some(list) => list.as_array().unwrap().len(),
        None => json
            .as_object()
            .unwrap()
            .values()
            .map(|v| v.as_array().map_or(1, Vec::len))
            .sum(),
    }
}

fn b64(text: &str) -> Vec<u8> {
    STANDARD.decode(text).unwrap()
}

#[test]
fn every_trust_list_loads() {
    let Some(dir) = common::shared_dir("trustlists") else {
        return;
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 5,
        "expected the DE, AT, FR and two CH lists in {dir:?}"
    );
    for path in files {
        let bytes = std::fs::read(&path).unwrap();
        let entries = entry_count(&serde_json::from_slice(&bytes).unwrap());
        let mut store = TrustStore::new();
        let started = Instant::now();
        let report = store.add_bytes_with_report(&bytes).unwrap();
        let elapsed = started.elapsed();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let rsa = store
            .iter()
            .filter(|(_, k)| matches!(k.key, PublicKey::Rsa(_)))
            .count();
        let restricted = store
            .iter()
            .filter(|(_, k)| k.usage != KeyUsage::Any)
            .count();
        let warned = store.iter().filter(|(_, k)| !k.warnings.is_empty()).count();
        println!(
            "{name}: {entries} entries, {} keys ({rsa} RSA, {restricted} with DCC key usage, \
             {warned} with warnings), {} skipped, {elapsed:?}",
            report.added,
            report.skipped.len(),
        );
        // Every entry of every list yields a usable key: nothing skipped, nothing lost.
        assert_eq!(report.skipped, [], "{name}");
        assert_eq!(report.added, entries, "{name}");
        assert_eq!(store.len(), entries, "{name}");
    }
}

#[test]
fn every_dgcg_certificate_is_found_by_its_kid() {
    let Some(dir) = common::shared_dir("trustlists") else {
        return;
    };
    for name in ["trustlist_de.json", "trustlist_at.json"] {
        let json = read_json(&dir.join(name));
        let store = TrustStore::from_bytes(&std::fs::read(dir.join(name)).unwrap()).unwrap();
        let certificates = json["certificates"].as_array().unwrap();
        for entry in certificates {
            let kid = b64(entry["kid"].as_str().unwrap());
            assert!(
                store.candidates(&kid).next().is_some(),
                "{name}: kid {:?}",
                entry["kid"]
            );
            // These lists follow the convention, so the default kid matches too.
            let der = b64(entry["rawData"].as_str().unwrap());
            assert_eq!(kid, Sha256::digest(&der)[..8], "{name}");
        }
        let dated = store
            .iter()
            .filter(|(_, k)| k.not_before.is_some() && k.not_after.is_some());
        assert_eq!(
            dated.count(),
            certificates.len(),
            "{name}: every validity is readable"
        );
    }
}

#[test]
fn colliding_kids_keep_every_key() {
    let Some(dir) = common::shared_dir("trustlists") else {
        return;
    };
    // Two different real DSCs deliberately put under one kid.
    let json = read_json(&dir.join("trustlist_de.json"));
    let certificates = json["certificates"].as_array().unwrap();
    let kid = certificates[0]["kid"].as_str().unwrap();
    let list = serde_json::json!({ "certificates": [
        { "kid": kid, "rawData": certificates[0]["rawData"] },
        { "kid": kid, "rawData": certificates[1]["rawData"] },
    ]});
    let store = TrustStore::from_bytes(list.to_string().as_bytes()).unwrap();
    assert_eq!(store.candidates(&b64(kid)).count(), 2);

    // The Swiss list itself has kids with two keys each.
    let swiss = read_json(&dir.join("trustlist_ch.json"));
    let store =
        TrustStore::from_bytes(&std::fs::read(dir.join("trustlist_ch.json")).unwrap()).unwrap();
    let shared_kids: Vec<&String> = swiss
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, v)| v.as_array().unwrap().len() > 1)
        .map(|(k, _)| k)
        .collect();
    assert!(!shared_kids.is_empty());
    for kid in shared_kids {
        assert_eq!(store.candidates(&b64(kid)).count(), 2, "{kid}");
    }
}

#[test]
fn a_wrong_kid_is_accepted_as_given() {
    let Some(dir) = common::shared_dir("trustlists") else {
        return;
    };
    let json = read_json(&dir.join("trustlist_de.json"));
    let raw = json["certificates"][0]["rawData"].as_str().unwrap();
    let wrong = [0xde, 0xad, 0xbe, 0xef, 0, 0, 0, 0];
    let list =
        serde_json::json!({ "certificates": [{ "kid": STANDARD.encode(wrong), "rawData": raw }] });
    let store = TrustStore::from_bytes(list.to_string().as_bytes()).unwrap();
    assert_eq!(store.candidates(&wrong).count(), 1);
    assert_eq!(store.candidates(&Sha256::digest(b64(raw))[..8]).count(), 0);

    let mut store = TrustStore::new();
    store
        .add_certificate_der(&b64(raw), Some(b"short"))
        .unwrap();
    assert_eq!(store.candidates(b"short").count(), 1);
}

/// `TESTCTX.CERTIFICATE` of a dgc-testdata file.
fn testdata_certificate(path: &Path) -> Vec<u8> {
    b64(read_json(path)["TESTCTX"]["CERTIFICATE"].as_str().unwrap())
}

#[test]
fn every_dgc_testdata_signer_certificate_loads() {
    let Some(dir) = common::shared_dir("dgc-testdata") else {
        return;
    };
    let mut paths = Vec::new();
    for country in std::fs::read_dir(&dir).unwrap() {
        let raw = country.unwrap().path().join("2DCode/raw");
        if raw.is_dir() {
            paths.extend(
                std::fs::read_dir(raw)
                    .unwrap()
                    .map(|entry| entry.unwrap().path()),
            );
        }
    }
    let paths: Vec<_> = paths
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    assert!(paths.len() > 300, "found only {} files", paths.len());
    let mut unsupported = Vec::new();
    for path in &paths {
        let mut store = TrustStore::new();
        match store.add_certificate_der(&testdata_certificate(path), None) {
            Ok(()) => {}
            Err(TrustError::UnsupportedKey { .. }) => unsupported.push(path.clone()),
            Err(e) => panic!("{path:?}: {e}"),
        }
    }
    println!(
        "dgc-testdata: {} signer certificates, {} unsupported",
        paths.len(),
        unsupported.len()
    );
    // ES/401-403 sign with P-384 keys (ES384), listed in tests/known_issues.csv upstream.
    let mut unsupported: Vec<_> = unsupported
        .iter()
        .map(|p| p.strip_prefix(&dir).unwrap())
        .collect();
    unsupported.sort();
    let p384 = [
        "ES/2DCode/raw/401.json",
        "ES/2DCode/raw/402.json",
        "ES/2DCode/raw/403.json",
    ];
    assert_eq!(unsupported, p384.map(Path::new));
}

#[test]
fn dgc_testdata_common_key_types_and_usages() {
    let Some(dir) = common::shared_dir("dgc-testdata/common/2DCode/raw") else {
        return;
    };
    let load = |name: &str| {
        let mut store = TrustStore::new();
        let der = testdata_certificate(&dir.join(format!("{name}.json")));
        store.add_certificate_der(&der, Some(b"kid")).unwrap();
        let key = store.candidates(b"kid").next().unwrap().clone();
        key
    };
    let only = |test, vaccination, recovery| KeyUsage::Only {
        test,
        vaccination,
        recovery,
    };
    for (name, bits) in [("CO1", 2048), ("CO2", 3072)] {
        assert_eq!(
            format!("{:?}", load(name).key),
            format!("PublicKey(RSA-{bits})")
        );
    }
    assert!(matches!(load("CO3").key, PublicKey::EcP256(_)));
    assert_eq!(load("CO6").usage, only(true, false, false));
    assert_eq!(load("CO8").usage, only(false, true, false));
    assert_eq!(load("CO10").usage, only(false, false, true));
    assert_eq!(load("CO12").usage, only(true, false, false));
    assert_eq!(load("CO13").usage, only(false, true, false));
    assert_eq!(load("CO14").usage, only(false, false, true));
    // CO15's extended key usage is an empty SEQUENCE: no DCC OID, so no restriction.
    let co15 = load("CO15");
    assert_eq!(co15.usage, KeyUsage::Any);
    assert!(co15.warnings.is_empty());
    assert_eq!(load("CO3").usage, only(true, true, true));
}

/// What one store entry says about its key: usage and validity period.
type Metadata = (KeyUsage, Option<UnixTime>, Option<UnixTime>);

/// Per public key (SEC1 point or RSA modulus), what each of its entries in a store says.
fn metadata_by_key(store: &TrustStore) -> HashMap<Vec<u8>, Vec<Metadata>> {
    use rsa::traits::PublicKeyParts as _;
    let mut out: HashMap<Vec<u8>, Vec<Metadata>> = HashMap::new();
    for (_, key) in store.iter() {
        let id = match &key.key {
            PublicKey::EcP256(k) => k.to_encoded_point(false).as_bytes().to_vec(),
            PublicKey::Rsa(k) => k.n().to_bytes_be(),
        };
        out.entry(id)
            .or_default()
            .push((key.usage, key.not_before, key.not_after));
    }
    out
}

fn load_lists(dir: &Path, names: &[&str]) -> TrustStore {
    let mut store = TrustStore::new();
    for name in names {
        store
            .add_bytes(&std::fs::read(dir.join(name)).unwrap())
            .unwrap();
    }
    store
}

/// Whether `narrow` allows nothing that no entry of `wide` allows: its usages are in every
/// wide entry's, and its period lies within some wide entry's period.
fn within(narrow: &Metadata, wide: &[Metadata]) -> bool {
    use dcc_verifier::eudcc::hcert::EntryType;
    let usage_ok = [EntryType::Test, EntryType::Vaccination, EntryType::Recovery]
        .into_iter()
        .all(|t| !narrow.0.allows(t) || wide.iter().all(|w| w.0.allows(t)));
    let period_ok = wide.iter().any(|w| {
        w.1.is_none_or(|start| narrow.1.is_some_and(|s| s >= start))
            && w.2.is_none_or(|end| narrow.2.is_some_and(|e| e <= end))
    });
    usage_ok && period_ok
}

/// Issue 13, item 3, on the real lists: adding the French or Swiss list to the German one,
/// in either order, never widens what a German signer may sign or when. Also measures the
/// keys that the German list itself holds under several certificates.
#[test]
fn a_second_list_never_widens_a_signers_restrictions() {
    let Some(dir) = common::shared_dir("trustlists") else {
        return;
    };
    let de = metadata_by_key(&load_lists(&dir, &["trustlist_de.json"]));
    let restricted = de.values().filter(|e| e[0].0 != KeyUsage::Any).count();
    println!("DE: {} keys, {restricted} restricted by usage", de.len());
    assert!(restricted > 350, "{restricted}");
    let renewed: Vec<_> = de
        .values()
        .filter(|e| e.iter().any(|m| *m != e[0]))
        .collect();
    let usage_differs = renewed
        .iter()
        .filter(|e| e.iter().any(|m| m.0 != e[0].0))
        .count();
    let disjoint = renewed
        .iter()
        .filter(|e| {
            let latest_start = e.iter().filter_map(|m| m.1).max();
            let earliest_end = e.iter().filter_map(|m| m.2).min();
            latest_start
                .zip(earliest_end)
                .is_some_and(|(s, end)| s > end)
        })
        .count();
    println!(
        "DE: {} keys under several certificates that disagree: {usage_differs} on usage, \
         {disjoint} with disjoint validity periods",
        renewed.len()
    );
    for other in [
        "trustlist_fr.json",
        "ch-jwk-keys-2021-07-15.json",
        "trustlist_ch.json",
    ] {
        for order in [["trustlist_de.json", other], [other, "trustlist_de.json"]] {
            let merged = metadata_by_key(&load_lists(&dir, &order));
            for (id, alone) in &de {
                for entry in &merged[id] {
                    assert!(
                        within(entry, alone),
                        "{order:?}: {entry:?} not within {alone:?}"
                    );
                }
            }
        }
    }
}

/// Issue 13, item 10: the signers of the real lists whose country the issuer-country policy
/// could not confirm (no country in the list entry nor in the certificate subject), and the
/// dgc-testdata passes whose `iss` is not their signer's country. The README lists them.
#[test]
fn signers_the_issuer_country_policy_would_refuse() {
    let Some(dir) = common::shared_dir("trustlists") else {
        return;
    };
    for (name, expected_unknown) in [
        ("trustlist_de.json", 0),
        ("trustlist_at.json", 0),
        ("trustlist_fr.json", 0),
        ("trustlist_ch.json", 684),
        ("ch-jwk-keys-2021-07-15.json", 131),
    ] {
        let store = load_lists(&dir, &[name]);
        let unknown: Vec<String> = store
            .iter()
            .filter(|(_, key)| key.country.is_none())
            .map(|(kid, _)| kid.map_or_else(|| "(no kid)".to_owned(), |k| STANDARD.encode(k)))
            .collect();
        println!(
            "{name}: {} of {} signers without a country",
            unknown.len(),
            store.len()
        );
        assert_eq!(unknown.len(), expected_unknown, "{name}");
    }
    let Some(testdata) = common::shared_dir("dgc-testdata") else {
        return;
    };
    let mut mismatches = Vec::new();
    for path in common::dgc_raw_files(&testdata) {
        let json = read_json(&path);
        let (Some(qr), Some(cert)) = (
            json["PREFIX"].as_str(),
            json["TESTCTX"]["CERTIFICATE"].as_str(),
        ) else {
            continue;
        };
        let mut store = TrustStore::new();
        if store.add_certificate_der(&b64(cert), Some(b"kid")).is_err() {
            continue;
        }
        let signer = store.candidates(b"kid").next().unwrap().country.clone();
        let report =
            dcc_verifier::Verifier::new(TrustStore::new()).verify(qr, UnixTime::from_secs(0));
        let issuer = report.issuer().map(str::to_owned);
        if issuer.as_deref().map(str::to_ascii_uppercase) != signer {
            let file = path.strip_prefix(&testdata).unwrap().display().to_string();
            mismatches.push(format!("{file}: iss {issuer:?}, signer {signer:?}"));
        }
    }
    println!(
        "dgc-testdata: {} passes with iss != signer country",
        mismatches.len()
    );
    for line in &mismatches {
        println!("  {line}");
    }
}
