//! End to end: real EU test certificates (../shared/dgc-testdata, each verified with its own
//! signer certificate) under the production EU rules (../shared/business-rules/production) of
//! a few arrival countries. Each expected outcome is justified from the rule's logic.

mod common;

use base64::Engine as _;
use dcc_verifier::rules::eu::{EuRules, RuleType, ValueSets};
use dcc_verifier::rules::{RuleOutcome, RuleSet};
use dcc_verifier::{
    Acceptance, Admission, Check, Reason, ScanOptions, SkipReason, TrustStore, UnixTime, Verifier,
};
use serde_json::Value as Json;

/// A day when the CH test certificates (issued 2021-08-18, expiring 2023-08-18) are in force
/// and the production rules (downloaded in 2023) too.
const CLOCK: &str = "2023-03-01T12:00:00Z";

struct Case {
    qr: String,
    verifier: Verifier,
}

/// The testdata case `rel` (e.g. `CH/2DCode/raw/1.json`) and a verifier trusting its signer,
/// holding the production EU rules as rule set `eu`.
fn case(rel: &str) -> Option<Case> {
    let data = common::shared_dir("dgc-testdata")?;
    let production = common::shared_dir("business-rules/production")?;
    Some(load(&data.join(rel), &production))
}

fn load(path: &std::path::Path, production: &std::path::Path) -> Case {
    let case: Json = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let der = base64::engine::general_purpose::STANDARD
        .decode(case["TESTCTX"]["CERTIFICATE"].as_str().unwrap())
        .unwrap();
    let mut trust = TrustStore::new();
    trust.add_certificate_der(&der, None).unwrap();
    let value_sets =
        ValueSets::from_slice(&std::fs::read(production.join("eu-value-sets.json")).unwrap())
            .unwrap();
    let mut rules = EuRules::new(value_sets);
    rules
        .add_json(&std::fs::read(production.join("eu-rules.json")).unwrap())
        .unwrap();
    let verifier = Verifier::new(trust).with_rule_set("eu", RuleSet::Eu(rules));
    Case {
        qr: case["PREFIX"].as_str().unwrap().to_string(),
        verifier,
    }
}

fn scan(country: &str) -> ScanOptions {
    ScanOptions::new(Acceptance::RuleSet("eu".into())).for_country(country, "")
}

fn at(time: &str) -> UnixTime {
    UnixTime::parse_rfc3339(time).unwrap()
}

/// The verdict's (admission, reason, failed or open rule ids) for `rel` arriving in `country`.
fn judge(
    rel: &str,
    scan: &ScanOptions,
    time: &str,
) -> Option<(Admission, Option<Reason>, Vec<String>)> {
    let c = case(rel)?;
    let report = c.verifier.verify_with(&c.qr, at(time), scan);
    assert_eq!(
        report.status(Check::Signature),
        dcc_verifier::Status::Pass,
        "{rel}"
    );
    let not_passed = report
        .rule_results()
        .iter()
        .filter(|r| r.outcome != RuleOutcome::Passed)
        .map(|r| format!("{} {}", r.id, r.outcome.name()))
        .collect();
    Some((report.admission(), report.reason(), not_passed))
}

#[test]
fn a_complete_vaccination_old_by_march_2023() {
    const CH_VACCINATION: &str = "CH/2DCode/raw/1.json"; // Janssen (EU/1/20/1525) 2/2 on 2021-08-01, born 1964
                                                         // GR-DE-0001 is `if(true, true, …)`: Germany admits every certificate.
    let Some(de) = judge(CH_VACCINATION, &scan("DE"), CLOCK) else {
        return;
    };
    assert_eq!(de, (Admission::Admitted, None, vec![]));
    // VR-FR-0011: an adult's first or second dose counts for 9 months (dt + 9 months must not
    // be before the clock); 2021-08-01 + 9 months is 2022-05-01, long before March 2023. Every
    // other French vaccination rule holds (complete series, authorised product...).
    let fr = judge(CH_VACCINATION, &scan("FR"), CLOCK).unwrap();
    assert_eq!(
        fr,
        (
            Admission::Refused,
            Some(Reason::RulesFailed),
            vec!["VR-FR-0011 failed".into()]
        )
    );
    // Finland's rules ask for a complete series of an authorised vaccine, and no more.
    let fi = judge(CH_VACCINATION, &scan("FI"), CLOCK).unwrap();
    assert_eq!(fi.0, Admission::Admitted);
}

#[test]
fn an_incomplete_series_fails_the_dose_rules() {
    const ES_FIRST_DOSE: &str = "ES/2DCode/raw/1501.json"; // dose 1 of 2, Vaxzevria
                                                           // VR-FI-0001 and VR-FR-0002 are `dn >= sd`: 1 >= 2 is false.
    let Some(fi) = judge(ES_FIRST_DOSE, &scan("FI"), CLOCK) else {
        return;
    };
    assert_eq!(
        fi,
        (
            Admission::Refused,
            Some(Reason::RulesFailed),
            vec!["VR-FI-0001 failed".into()]
        )
    );
    let fr = judge(ES_FIRST_DOSE, &scan("FR"), CLOCK).unwrap();
    assert!(fr.2.contains(&"VR-FR-0002 failed".to_string()), "{fr:?}");
}

#[test]
fn an_old_rapid_test_fails_the_48_hour_rules() {
    const ES_RAPID_TEST: &str = "ES/2DCode/raw/1503.json"; // RAT (LP217198-3), negative, 2021-05-01
                                                           // TR-FR-0002 (any rapid test) and TR-FR-0003 (a negative rapid test): the sample must be
                                                           // less than 48 hours old at the clock.
    let Some(fr) = judge(ES_RAPID_TEST, &scan("FR"), CLOCK) else {
        return;
    };
    let failed = vec![
        "TR-FR-0002 failed".to_string(),
        "TR-FR-0003 failed".to_string(),
    ];
    assert_eq!(fr, (Admission::Refused, Some(Reason::RulesFailed), failed));
}

#[test]
fn a_recovery_past_its_window() {
    const CH_RECOVERY: &str = "CH/2DCode/raw/3.json"; // first positive test 2021-08-01
                                                      // RR-FR-0001: the clock must lie between fr + 11 days and fr + 183 days (2022-01-31).
    let Some(fr) = judge(CH_RECOVERY, &scan("FR"), CLOCK) else {
        return;
    };
    assert_eq!(
        fr,
        (
            Admission::Refused,
            Some(Reason::RulesFailed),
            vec!["RR-FR-0001 failed".into()]
        )
    );
}

#[test]
fn regions_countries_without_rules_and_open_rules() {
    const CH_VACCINATION: &str = "CH/2DCode/raw/1.json";
    // Austria's one rule, GR-AT-0000 (`if(true, true, true)`), is published for region "AT":
    // without that region no rule applies, which cannot admit.
    let Some(at_country) = judge(CH_VACCINATION, &scan("AT"), CLOCK) else {
        return;
    };
    assert_eq!(
        at_country,
        (Admission::Refused, Some(Reason::RulesNotApplicable), vec![])
    );
    let region = scan("AT").for_country("AT", "AT");
    assert_eq!(
        judge(CH_VACCINATION, &region, CLOCK).unwrap().0,
        Admission::Admitted
    );
    // Italy published no rule in this download.
    let it = judge(CH_VACCINATION, &scan("IT"), CLOCK).unwrap();
    assert_eq!(it.1, Some(Reason::RulesNotApplicable));
    // Togo's only rule, GR-TG-0001, is written for CertLogic 2.0.1: OPEN, not a pass...
    let tg = judge(CH_VACCINATION, &scan("TG"), CLOCK).unwrap();
    assert_eq!(
        tg,
        (
            Admission::Refused,
            Some(Reason::RulesOpen),
            vec!["GR-TG-0001 open".into()]
        )
    );
    // ...unless the caller accepts open rules explicitly.
    let lenient = ScanOptions {
        accept_open_rules: true,
        ..scan("TG")
    };
    assert_eq!(
        judge(CH_VACCINATION, &lenient, CLOCK).unwrap().0,
        Admission::Admitted
    );
}

#[test]
fn authenticity_only_says_admission_was_not_evaluated() {
    let Some(c) = case("CH/2DCode/raw/2.json") else {
        return;
    };
    let scan = ScanOptions::new(Acceptance::AuthenticityOnly);
    let report = c.verifier.verify_with(&c.qr, at(CLOCK), &scan);
    assert!(report.is_valid());
    assert_eq!(report.admission(), Admission::NotEvaluated);
    assert_eq!(
        report.skip_reason(Check::Rules),
        Some(SkipReason::NotRequested)
    );
    assert!(report.rule_results().is_empty());
    // The same verifier, another rule set name per scan: no reload, and an unknown name
    // refuses rather than admits.
    let unknown = ScanOptions::new(Acceptance::RuleSet("nl-domestic".into()));
    let report = c.verifier.verify_with(&c.qr, at(CLOCK), &unknown);
    assert_eq!(report.reason(), Some(Reason::RulesNotApplicable));
}

#[test]
fn one_verifier_holds_both_engines_and_picks_per_scan() {
    let Some(c) = case("CH/2DCode/raw/1.json") else {
        return;
    };
    let name = dcc_verifier::rules::names().next().unwrap();
    let french = dcc_verifier::rules::Rules::named(name).unwrap();
    let verifier = c.verifier.with_rule_set("fr", RuleSet::France(french));
    let eu = verifier.verify_with(&c.qr, at(CLOCK), &scan("DE"));
    assert_eq!((eu.rule_set(), eu.rule_results().len()), (Some("eu"), 1));
    assert_eq!(&*eu.rule_results()[0].id, "GR-DE-0001");
    let fr = ScanOptions::new(Acceptance::RuleSet("fr".into()));
    let report = verifier.verify_with(&c.qr, at(CLOCK), &fr);
    assert_eq!(report.rule_set(), Some("fr"));
    // The French engine reports in the same shape: one result for its rule set.
    let results = report.rule_results();
    assert_eq!(results.len(), 1);
    assert_eq!(&*results[0].id, "FR-RULES");
    let failed = results[0].outcome == RuleOutcome::Failed;
    assert_eq!(
        failed,
        report.status(Check::Rules) == dcc_verifier::Status::Fail
    );
}

#[test]
fn national_modes_from_one_download_picked_per_scan() {
    let Some(c) = case("CH/2DCode/raw/1.json") else {
        return;
    };
    let Some(production) = common::shared_dir("business-rules/production") else {
        return;
    };
    let domestic = std::fs::read(production.join("domestic-rules.json")).unwrap();
    let mode = |types: &[&str]| {
        let mut rules = EuRules::new(ValueSets::new())
            .with_types(types.iter().map(|t| RuleType::from_name(t)).collect());
        rules.add_json(&domestic).unwrap();
        RuleSet::Eu(rules)
    };
    let verifier = c
        .verifier
        .with_rule_set("de-vaccination-status", mode(&["ImpfstatusBZwei"]))
        .with_rule_set("de-mask", mode(&["Mask"]));
    let judge = |name: &str, region: &str| {
        let scan = ScanOptions::new(Acceptance::RuleSet(name.into())).for_country("DE", region);
        let report = verifier.verify_with(&c.qr, at(CLOCK), &scan);
        let results: Vec<_> = report
            .rule_results()
            .iter()
            .map(|r| format!("{} {} {}", r.id, r.version, r.outcome.name()))
            .collect();
        (report.admission(), results)
    };
    // Two rules of the mode: IB2-DE-0100 wants a third dose (`dn < 3` is false), IB2-DE-0200
    // holds for any dose of the listed products, Janssen (EU/1/20/1525) among them. Every
    // selected rule must hold, so the mode refuses; the per-rule results let an app that reads
    // a mode's rules as alternatives (a status is reached when one holds) decide otherwise.
    let status = judge("de-vaccination-status", "");
    let results = vec![
        "IB2-DE-0100 1.0.0 failed".to_string(),
        "IB2-DE-0200 1.0.1 passed".to_string(),
    ];
    assert_eq!(status, (Admission::Refused, results));
    // MA-DE-0100 exempts from masks only holders of a test under 24 hours old; the regional
    // MA-DE-0101 (Schleswig-Holstein) also a vaccination within 90 days: neither holds here.
    let mask = judge("de-mask", "");
    assert_eq!(
        mask,
        (
            Admission::Refused,
            vec!["MA-DE-0100 1.0.0 failed".to_string()]
        )
    );
    let mask_sh = judge("de-mask", "SH");
    assert_eq!(
        mask_sh,
        (
            Admission::Refused,
            vec!["MA-DE-0101 1.0.0 failed".to_string()]
        )
    );
}
