//! The EU business rules beside the ES256 verify they follow, in one run: loading the
//! production download (271 rules of 24 countries) and its value sets; all rules selected for
//! one DCC and one arrival country, evaluated; and the whole verify with and without them, on
//! a real EU test certificate. Needs ../shared (or `$DCC_SHARED_DIR`); skipped without it.
//!
//! `cargo bench --bench rules -- --warm-up-time 1 --measurement-time 3`

#![allow(missing_docs)] // criterion_group! generates an undocumented function

use std::hint::black_box;
use std::path::PathBuf;

use base64::Engine as _;
use criterion::{criterion_group, criterion_main, Criterion};
use dcc_verifier::rules::eu::{CertificateFacts, EuRules, Scan, ValueSets};
use dcc_verifier::rules::RuleSet;
use dcc_verifier::{Acceptance, ScanOptions, TrustStore, UnixTime, Verifier};

/// When the production rules are in force (they were downloaded in 2023).
const CLOCK: &str = "2023-03-01T12:00:00Z";

fn production() -> Option<(Vec<u8>, Vec<u8>)> {
    let base = std::env::var_os("DCC_SHARED_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    let dir = base.join("business-rules/production");
    match (
        std::fs::read(dir.join("eu-rules.json")),
        std::fs::read(dir.join("eu-value-sets.json")),
    ) {
        (Ok(rules), Ok(value_sets)) => Some((rules, value_sets)),
        _ => {
            eprintln!("skipped: {} not found (set DCC_SHARED_DIR)", dir.display());
            None
        }
    }
}

fn load(rules: &[u8], value_sets: &[u8]) -> EuRules {
    let mut loaded = EuRules::new(ValueSets::from_slice(value_sets).unwrap());
    loaded.add_json(rules).unwrap();
    loaded
}

/// A real EU test certificate (ES256, dose 1 of 2, expiring 2026) and its signer, from
/// ../shared/dgc-testdata.
fn certificate() -> Option<(String, TrustStore)> {
    let base = std::env::var_os("DCC_SHARED_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    let bytes = std::fs::read(base.join("dgc-testdata/ES/2DCode/raw/1501.json")).ok()?;
    let case: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    let der = base64::engine::general_purpose::STANDARD
        .decode(case["TESTCTX"]["CERTIFICATE"].as_str()?)
        .ok()?;
    let mut trust = TrustStore::new();
    trust.add_certificate_der(&der, None).ok()?;
    Some((case["PREFIX"].as_str()?.to_string(), trust))
}

fn benches(c: &mut Criterion) {
    let (Some((rules_json, value_sets_json)), Some((qr, trust))) = (production(), certificate())
    else {
        return;
    };
    let clock = UnixTime::parse_rfc3339(CLOCK).unwrap();
    let rules = load(&rules_json, &value_sets_json);
    let verifier = Verifier::new(trust).with_rule_set("eu", RuleSet::Eu(rules.clone()));
    let authenticity = ScanOptions::new(Acceptance::AuthenticityOnly);
    let report = verifier.verify_with(&qr, clock, &authenticity);
    assert!(report.is_valid(), "{:?}", report.reason());
    let dcc = report.verified().unwrap().dcc_json().clone();
    let facts = CertificateFacts {
        issuer_country: Some("ES"),
        ..CertificateFacts::default()
    };

    let mut group = c.benchmark_group("eu_rules");
    group.bench_function("load_production_rules_and_value_sets", |b| {
        b.iter(|| load(black_box(&rules_json), black_box(&value_sets_json)))
    });
    // The country with the most rules for a vaccination (CZ, 30), one with 11 (FR), one (DE).
    for country in ["CZ", "FR", "DE"] {
        let scan = Scan {
            country,
            region: "",
            clock,
            lang: "en",
        };
        let selected = rules.evaluate_json(&dcc, &facts, &scan).unwrap().len();
        group.bench_function(format!("evaluate_{country}_{selected}_rules"), |b| {
            b.iter(|| rules.evaluate_json(black_box(&dcc), &facts, &scan))
        });
    }
    // The whole scan (ES256 signature included), for authenticity only and under CZ's rules.
    group.bench_function("verify_es256_authenticity_only", |b| {
        b.iter(|| verifier.verify_with(black_box(&qr), clock, &authenticity))
    });
    let cz = ScanOptions::new(Acceptance::RuleSet("eu".into())).for_country("CZ", "");
    assert_eq!(
        verifier.verify_with(&qr, clock, &cz).rule_results().len(),
        30
    );
    group.bench_function("verify_es256_with_cz_rules", |b| {
        b.iter(|| verifier.verify_with(black_box(&qr), clock, &cz))
    });
    group.finish();
}

criterion_group!(rules, benches);
criterion_main!(rules);
