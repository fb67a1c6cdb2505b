//! The generated fixtures (`fixtures/passes/manifest.json`): every case's verdict, primary
//! reason and listed check outcomes, through the library API.

use std::path::{Path, PathBuf};

use dcc_verifier::{Check, Reason, Status, TrustStore, UnixTime, Verifier};
use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn manifest() -> Vec<Value> {
    let text = std::fs::read_to_string(root().join("fixtures/passes/manifest.json")).unwrap();
    serde_json::from_str::<Value>(&text)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

fn load_trust(files: &[Value]) -> TrustStore {
    let mut trust = TrustStore::new();
    for file in files {
        let bytes = std::fs::read(root().join(file.as_str().unwrap())).unwrap();
        trust.add_bytes(&bytes).unwrap();
    }
    trust
}

fn read_qr(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    text.strip_suffix('\n').unwrap_or(&text).to_string()
}

#[test]
fn every_fixture_gives_its_expected_outcome() {
    let cases = manifest();
    assert!(cases.len() >= 30, "manifest has only {} cases", cases.len());
    let mut problems = Vec::new();
    for case in &cases {
        let name = case["name"].as_str().unwrap();
        let verifier = Verifier::new(load_trust(case["trust"].as_array().unwrap()));
        let now = UnixTime::parse_rfc3339(case["at"].as_str().unwrap()).unwrap();
        let report = verifier.verify(&read_qr(&root().join(case["file"].as_str().unwrap())), now);

        let verdict = if report.is_valid() {
            "valid"
        } else {
            "invalid"
        };
        if verdict != case["verdict"] {
            problems.push(format!(
                "{name}: verdict {verdict}, expected {}",
                case["verdict"]
            ));
        }
        let want_reason = case["reason"]
            .as_str()
            .map(|c| Reason::from_code(c).unwrap());
        if report.reason() != want_reason {
            problems.push(format!(
                "{name}: reason {:?}, expected {want_reason:?} ({:?})",
                report.reason(),
                report.failures()
            ));
        }
        for (check_name, want) in case["checks"].as_object().unwrap() {
            let check = Check::ALL
                .into_iter()
                .find(|c| c.name() == check_name)
                .unwrap();
            let got = report.status(check);
            if got.name() != want.as_str().unwrap() {
                problems.push(format!("{name}: {check_name} {got}, expected {want}"));
            }
        }
        // Content only after a verified signature (and a readable payload).
        let signed = report.status(Check::Signature) == Status::Pass;
        let readable = report.status(Check::Payload) == Status::Pass;
        assert_eq!(report.verified().is_some(), signed && readable, "{name}");
        if report.is_valid() {
            assert!(report.verified().unwrap().hcert().is_some(), "{name}");
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn manifest_covers_every_reason_that_a_pass_can_produce() {
    let covered: Vec<Reason> = manifest()
        .iter()
        .filter_map(|c| c["reason"].as_str().map(|r| Reason::from_code(r).unwrap()))
        .collect();
    for reason in Reason::ALL {
        // A pass alone cannot be revoked: that needs revocation data, which the generated
        // fixtures do not carry. tests/revocation_e2e.rs builds it from these passes instead.
        if reason == Reason::Revoked {
            continue;
        }
        // Acceptance-rule reasons need rules configured (tests/rules.rs and, for the EU rules,
        // tests/eu_rules_e2e.rs cover each one) and
        // the 2D-DOC header reason a 2D-DOC (tests/twoddoc_vectors.rs, tests/rules.rs).
        if rules_or_2ddoc_only(reason) {
            continue;
        }
        // A policy option, off by default (tests/wrong_verdicts.rs turns it on).
        if reason == Reason::IssuerCountryMismatch {
            continue;
        }
        assert!(covered.contains(&reason), "no fixture produces {reason}");
    }
}

fn rules_or_2ddoc_only(reason: Reason) -> bool {
    matches!(
        reason,
        Reason::InvalidTwoDDocHeader
            | Reason::RulesFailed
            | Reason::RulesOpen
            | Reason::TestTypeNotAccepted
            | Reason::TestNotNegative
            | Reason::TestTooOld
            | Reason::TestNotYetValid
            | Reason::TestNotAcceptedForAge
            | Reason::VaccinationIncomplete
            | Reason::VaccinationNotYetValid
            | Reason::VaccinationExpired
            | Reason::BoosterRequired
            | Reason::RecoveryNotYetValid
            | Reason::RecoveryExpired
            | Reason::RulesNotApplicable
    )
}

#[test]
fn nothing_is_trusted_without_trust_material() {
    let verifier = Verifier::new(TrustStore::new());
    for case in manifest().iter().filter(|c| c["verdict"] == "valid") {
        let qr = read_qr(&root().join(case["file"].as_str().unwrap()));
        let report = verifier.verify(
            &qr,
            UnixTime::parse_rfc3339("2021-09-01T00:00:00Z").unwrap(),
        );
        assert_eq!(
            report.reason(),
            Some(Reason::UnknownSigner),
            "{}",
            case["name"]
        );
        assert!(report.verified().is_none());
    }
}
