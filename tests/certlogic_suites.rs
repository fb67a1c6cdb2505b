//! The official CertLogic conformance suites in ../shared/certlogic (or `$DCC_SHARED_DIR`):
//! every active assertion of `testSuite` (a `directive: "skip"` on a file, case or assertion
//! leaves it out, as the reference runner does) and the valid/invalid classification of every
//! case of `validation-testSuite` (the issue messages are certlogic-js's wording, so the count
//! is compared, not the text).

mod common;

use std::path::Path;

use dcc_verifier::rules::certlogic::{evaluate_json, validate};
use serde_json::Value as Json;

fn suite_files(dir: &Path) -> Vec<(String, Json)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (
                name,
                serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap(),
            )
        })
        .collect()
}

fn skipped(node: &Json) -> bool {
    node.get("directive").and_then(Json::as_str) == Some("skip")
}

#[test]
fn evaluator_passes_every_active_assertion_of_the_test_suite() {
    let Some(dir) = common::shared_dir("certlogic/testSuite") else {
        return;
    };
    let (mut ran, mut failures) = (0, Vec::new());
    for (file, suite) in suite_files(&dir) {
        if skipped(&suite) {
            continue;
        }
        for case in suite["cases"].as_array().unwrap() {
            if skipped(case) {
                continue;
            }
            for (i, assertion) in case["assertions"].as_array().unwrap().iter().enumerate() {
                if skipped(assertion) {
                    continue;
                }
                let expr = assertion
                    .get("certLogicExpression")
                    .or_else(|| case.get("certLogicExpression"))
                    .unwrap();
                ran += 1;
                let got = evaluate_json(expr, &assertion["data"]);
                if got.as_ref() != Ok(&assertion["expected"]) {
                    failures.push(format!(
                        "{file} / {} / #{i}: expected {}, got {got:?}",
                        case["name"], assertion["expected"]
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
    assert_eq!(ran, 218, "the suite has 218 active assertions");
}

#[test]
fn validator_classifies_every_case_of_the_validation_suite() {
    let Some(dir) = common::shared_dir("certlogic/validation-testSuite") else {
        return;
    };
    let (mut ran, mut failures) = (0, Vec::new());
    for (file, suite) in suite_files(&dir) {
        for (i, case) in suite["cases"].as_array().unwrap().iter().enumerate() {
            ran += 1;
            let expected = case["issues"].as_array().unwrap().len();
            let issues = validate(&case["certLogicExpression"]);
            if issues.len() != expected {
                failures.push(format!(
                    "{file} #{i} {}: expected {expected} issues, got {issues:?}",
                    case["certLogicExpression"]
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {ran} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(ran, 23, "the suite has 23 cases");
}
