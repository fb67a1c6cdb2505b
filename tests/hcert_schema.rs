//! `Hcert::from_json` against third-party data in ../shared (or `$DCC_SHARED_DIR`):
//!
//! - the EU schema repository (`dcc-schema/`): every `examples/**/*.json` and `test/valid/*.json`
//!   must be accepted and every `test/invalid/*.json` rejected, except the listed exceptions;
//! - the EU conformance corpus (`dgc-testdata/`): every `2DCode/raw/*.json` with
//!   `EXPECTEDSCHEMAVALIDATION` must get that verdict, except the `test_cose_schema` entries of
//!   `tests/known_issues.csv`. The `JSON` field is used (it may differ from the CBOR inside the
//!   COSE for a few files; the full-chain test covers that), or the `CBOR` field where there is
//!   no `JSON`.
//!
//! Where the data is absent the tests print "skipped: ..." and pass, except with `CI=true`.

mod common;

use std::path::{Path, PathBuf};

use dcc_verifier::eudcc::hcert::Hcert;
use dcc_verifier::eudcc::DecodeError;
use serde_json::Value;

/// Files of the schema repository whose folder disagrees with its schema: (path, expected error
/// path, why). None: names with `gnt` alone, valid from 1.3.2, are modelled.
const SCHEMA_REPO_EXCEPTIONS: [(&str, &str, &str); 0] = [];

/// dgc-testdata files whose verdict we cannot reach, with why. None so far: every mismatch is
/// covered by `tests/known_issues.csv`.
const TESTDATA_EXCEPTIONS: [(&str, &str); 0] = [];

/// Every `*.json` file under `dir`, sorted.
fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "json") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

fn read_json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn relative(path: &Path, base: &Path) -> String {
    path.strip_prefix(base)
        .unwrap()
        .to_string_lossy()
        .replace('\\', "/")
}

#[test]
fn schema_repository_examples_and_tests() {
    let Some(dir) = common::shared_dir("dcc-schema") else {
        return;
    };
    let mut failures = Vec::new();
    let (mut checked, mut exceptions) = (0, 0);
    for path in json_files(&dir) {
        let name = relative(&path, &dir);
        let expected = if name.starts_with("test/invalid/") {
            false
        } else if name.starts_with("test/valid/") || name.starts_with("examples/") {
            true
        } else {
            continue; // a schema file
        };
        checked += 1;
        let result = Hcert::from_json(&read_json(&path));
        if let Some((_, error_path, why)) = SCHEMA_REPO_EXCEPTIONS.iter().find(|e| e.0 == name) {
            exceptions += 1;
            match result {
                Err(DecodeError::Schema { path, .. }) if path == *error_path => {}
                other => failures.push(format!(
                    "{name}: listed exception ({why}) but got {other:?}"
                )),
            }
        } else if result.is_ok() != expected {
            failures.push(format!(
                "{name}: expected valid={expected}, got {:?}",
                result.err()
            ));
        }
    }
    eprintln!("dcc-schema: {checked} files checked, {exceptions} listed exceptions");
    assert!(
        checked >= 40,
        "only {checked} files found under {}",
        dir.display()
    );
    assert_eq!(
        exceptions,
        SCHEMA_REPO_EXCEPTIONS.len(),
        "a listed exception was not found"
    );
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// `(country, test_set)` of the `test_cose_schema` rows of `known_issues.csv`; an empty test set
/// means the whole country.
fn known_schema_issues(dir: &Path) -> Vec<(String, String)> {
    let csv = std::fs::read_to_string(dir.join("tests/known_issues.csv")).unwrap();
    csv.lines()
        .skip(1)
        .filter_map(|line| {
            let mut fields = line.split(',');
            let (test, country, set) = (fields.next()?, fields.next()?, fields.next()?);
            (test == "test_cose_schema").then(|| (country.to_owned(), set.to_owned()))
        })
        .collect()
}

/// The hcert as JSON: the `JSON` field (an object, or a string holding one), else the `CBOR` field
/// (hex) converted.
fn payload(doc: &Value) -> Result<Value, String> {
    match doc.get("JSON") {
        Some(Value::Object(_)) => Ok(doc["JSON"].clone()),
        Some(Value::String(text)) => serde_json::from_str(text).map_err(|e| e.to_string()),
        _ => {
            let hex = doc
                .get("CBOR")
                .and_then(Value::as_str)
                .ok_or("neither JSON nor CBOR")?;
            let bytes = (0..hex.len())
                .step_by(2)
                .map(|i| {
                    hex.get(i..i + 2)
                        .and_then(|b| u8::from_str_radix(b, 16).ok())
                })
                .collect::<Option<Vec<u8>>>()
                .ok_or("CBOR is not hex")?;
            ciborium::from_reader(bytes.as_slice()).map_err(|e| e.to_string())
        }
    }
}

#[test]
fn dgc_testdata_schema_verdicts() {
    let Some(dir) = common::shared_dir("dgc-testdata") else {
        return;
    };
    let known = known_schema_issues(&dir);
    let mut failures = Vec::new();
    let (mut checked, mut known_skipped, mut with_warnings) = (0, 0, 0);
    for path in json_files(&dir) {
        let name = relative(&path, &dir);
        if !name.contains("/2DCode/raw/") {
            continue;
        }
        let doc = read_json(&path);
        let Some(expected) = doc["EXPECTEDRESULTS"]["EXPECTEDSCHEMAVALIDATION"].as_bool() else {
            continue;
        };
        let country = name.split('/').next().unwrap();
        let stem = path.file_stem().unwrap().to_string_lossy();
        if known
            .iter()
            .any(|(c, set)| c == country && (set.is_empty() || *set == stem))
        {
            known_skipped += 1;
            continue;
        }
        checked += 1;
        let payload = match payload(&doc) {
            Ok(payload) => payload,
            Err(e) => {
                failures.push(format!("{name}: no payload: {e}"));
                continue;
            }
        };
        let result = Hcert::from_json(&payload);
        if result
            .as_ref()
            .is_ok_and(|(_, warnings)| !warnings.is_empty())
        {
            with_warnings += 1;
        }
        let listed = TESTDATA_EXCEPTIONS.iter().find(|e| e.0 == name);
        if result.is_ok() != expected && listed.is_none() {
            failures.push(format!(
                "{name}: expected valid={expected}, got {:?}",
                result.err()
            ));
        }
    }
    eprintln!(
        "dgc-testdata: {checked} verdicts checked, {known_skipped} skipped as known issues, \
         {with_warnings} accepted with warnings"
    );
    assert!(
        checked >= 30,
        "only {checked} files found under {}",
        dir.display()
    );
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
