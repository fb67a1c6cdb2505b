//! Arbitrary CertLogic expressions, data and Gateway rule JSON: validation, evaluation and rule
//! loading must never panic, stay within their bounds, and agree with each other (a valid
//! expression compiles; what the validator refuses, `compile` refuses too).
//!
//! Input: `LOGIC\0DATA` (two JSON documents), or one document that is tried both as an
//! expression and as a rule or list of rules.
#![no_main]

use dcc_verifier::rules::certlogic::{validate, EvalError, Logic, Value};
use dcc_verifier::rules::eu::EuRules;
use libfuzzer_sys::fuzz_target;
use serde_json::Value as Json;

fuzz_target!(|data: &[u8]| {
    let (logic, context) = match data.iter().position(|&b| b == 0) {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (data, &b"null"[..]),
    };
    let mut rules = EuRules::default();
    if rules.add_json(logic).is_err() {
        assert!(rules.rules().is_empty(), "a refused load adds nothing");
    }
    let Ok(expr) = serde_json::from_slice::<Json>(logic) else { return };
    let context = serde_json::from_slice::<Json>(context).unwrap_or(Json::Null);
    let issues = validate(&expr);
    match Logic::compile(&expr) {
        Ok(compiled) => {
            assert!(issues.is_empty());
            match compiled.evaluate(&Value::from_json(&context)) {
                Ok(value) => drop(value.to_json()),
                Err(EvalError::TooMuchWork | EvalError::Overflow) => {}
                Err(e) => drop(e.to_string()),
            }
        }
        Err(e) => assert_eq!(e.issues, issues),
    }
});
