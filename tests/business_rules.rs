//! The EU business rules in ../shared/business-rules (or `$DCC_SHARED_DIR`): every rule test of
//! the 12 countries, every rule of the production download, and the value sets in both shapes.

mod common;

use std::path::Path;

use dcc_verifier::rules::eu::{EuRules, Rule, RuleType, ValueSets};
use serde_json::Value as Json;

fn read_json(path: &Path) -> Json {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn sorted_dir(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    entries
}

#[test]
fn every_rule_test_of_every_country_passes() {
    let Some(dir) = common::shared_dir("business-rules/rules") else {
        return;
    };
    let (mut countries, mut rules, mut ran, mut failures) = (0, 0, 0, Vec::new());
    let mut invalid = Vec::new();
    for country in sorted_dir(&dir) {
        countries += 1;
        for rule_dir in sorted_dir(&country) {
            // `rule.json`, or (Malta) `ID.json`.
            let named = rule_dir.join(format!(
                "{}.json",
                rule_dir.file_name().unwrap().to_string_lossy()
            ));
            let file = if named.is_file() {
                named
            } else {
                rule_dir.join("rule.json")
            };
            let rule = Rule::from_json(&read_json(&file))
                .unwrap_or_else(|e| panic!("{}: {e}", rule_dir.display()));
            rules += 1;
            if let Some(why) = rule.logic_error() {
                invalid.push(format!("{}: {why}", rule.identifier));
            }
            let tests = rule_dir.join("tests");
            if !tests.is_dir() {
                continue;
            }
            for test in sorted_dir(&tests) {
                ran += 1;
                if let Err(why) = rule.run_test(&read_json(&test)) {
                    failures.push(format!(
                        "{}: {why}",
                        test.strip_prefix(&dir).unwrap().display()
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {ran} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // The folder's README says 138 rules; it holds 140 rule folders (133 `rule.json` and 7
    // Maltese `ID.json`), all read here.
    assert_eq!((countries, rules, ran), (12, 140, 861));
    // One rule of the set breaks the CertLogic validator (certlogic-js's evaluator ignores the
    // extra operand; the specification calls the expression invalid): it loads, OPEN.
    assert_eq!(
        invalid,
        ["VR-MT-0005: invalid CertLogic expression: at /if: a \"if\" operation must have exactly 3 operands, but it has 4"]
    );
}

#[test]
fn every_production_rule_loads() {
    let Some(dir) = common::shared_dir("business-rules/production") else {
        return;
    };
    for (file, count) in [
        ("eu-rules.json", 271),
        ("domestic-rules.json", 15),
        ("eu-booster-rules.json", 2),
    ] {
        let mut rules = EuRules::default();
        let added = rules.add_json(&std::fs::read(dir.join(file)).unwrap());
        assert_eq!(added, Ok(count), "{file}");
        assert!(
            rules.rules().iter().all(|r| r.hash.is_some()),
            "{file}: every hash kept"
        );
    }
    // The one rule written for CertLogic 2 loads, and is not run.
    let mut rules = EuRules::default();
    rules
        .add_json(&std::fs::read(dir.join("eu-rules.json")).unwrap())
        .unwrap();
    let unrun: Vec<_> = rules
        .rules()
        .iter()
        .filter(|r| r.logic().is_none())
        .map(|r| (r.identifier.as_str(), r.engine_version.to_string()))
        .collect();
    assert_eq!(unrun.len(), 1, "{unrun:?}");
    assert_eq!(unrun[0].1, "2.0.1");
    let domestic_types: std::collections::BTreeSet<_> = {
        let mut d = EuRules::default();
        d.add_json(&std::fs::read(dir.join("domestic-rules.json")).unwrap())
            .unwrap();
        d.rules().iter().map(|r| r.rule_type.clone()).collect()
    };
    assert!(domestic_types.contains(&RuleType::Other("ImpfstatusBZwei".into())));
}

#[test]
fn value_sets_read_in_both_shapes_with_the_same_codes() {
    let Some(dir) = common::shared_dir("business-rules") else {
        return;
    };
    let compressed =
        ValueSets::from_slice(&std::fs::read(dir.join("valuesets/valueSets.json")).unwrap())
            .unwrap();
    let dccg =
        ValueSets::from_slice(&std::fs::read(dir.join("production/eu-value-sets.json")).unwrap())
            .unwrap();
    assert_eq!(dccg.ids().count(), 9);
    let countries = dccg.get("country-2-codes").unwrap();
    assert_eq!(countries.len(), 250);
    assert!(countries
        .iter()
        .any(|e| e.code == "HR" && e.display.as_deref() == Some("Croatia")));
    for id in [
        "covid-19-lab-result",
        "disease-agent-targeted",
        "covid-19-lab-test-type",
    ] {
        let codes = |v: &ValueSets| {
            let mut c: Vec<String> = v.get(id).unwrap().iter().map(|e| e.code.clone()).collect();
            c.sort();
            c
        };
        assert_eq!(codes(&compressed), codes(&dccg), "{id}");
    }
}
