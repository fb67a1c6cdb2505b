use serde_json::{json, Value as Json};

use super::*;

/// A rule `id` (`XR-CC-NNNN`: its country is CC, `IR` makes it an invalidation rule).
fn rule(id: &str, cert: &str, logic: Json) -> Json {
    let country = id.get(3..5).unwrap();
    let kind = if id.starts_with("IR") {
        "Invalidation"
    } else {
        "Acceptance"
    };
    json!({
        "Identifier": id, "Type": kind, "Country": country, "Version": "1.0.0",
        "SchemaVersion": "1.0.0", "Engine": "CERTLOGIC", "EngineVersion": "0.7.5",
        "CertificateType": cert,
        "Description": [{"lang": "en", "desc": format!("{id} in English, long enough")},
                        {"lang": "de", "desc": format!("{id} auf Deutsch, lang genug")}],
        "ValidFrom": "2021-06-01T00:00:00Z", "ValidTo": "2030-06-01T00:00:00Z",
        "AffectedFields": ["v.0"], "Logic": logic,
    })
}

/// `rule` with one member changed.
fn with(mut rule: Json, key: &str, value: &str) -> Json {
    rule[key] = json!(value);
    rule
}

fn rules(list: Vec<Json>) -> EuRules {
    let mut rules = EuRules::new(ValueSets::new());
    rules
        .add_json(Json::Array(list).to_string().as_bytes())
        .unwrap();
    rules
}

fn scan(country: &str) -> Scan<'_> {
    Scan {
        country,
        region: "",
        clock: UnixTime::parse_rfc3339("2022-01-01T00:00:00Z").unwrap(),
        lang: "de-CH",
    }
}

fn facts(iss: &str) -> CertificateFacts<'_> {
    CertificateFacts {
        issuer_country: Some(iss),
        ..CertificateFacts::default()
    }
}

/// (id, version, outcome) of each rule selected for a vaccination issued by `iss`.
fn run(set: &EuRules, iss: &str, scan: &Scan<'_>) -> Vec<(String, String, &'static str)> {
    let dcc = json!({"ver": "1.3.0", "v": [{"dn": 2, "sd": 2}], "dob": "1990-01-01"});
    let results = set.evaluate_json(&dcc, &facts(iss), scan).unwrap();
    results
        .into_iter()
        .map(|r| (r.id.to_string(), r.version.to_string(), r.outcome.name()))
        .collect()
}

fn ids(list: &[(&str, &str, &'static str)]) -> Vec<(String, String, &'static str)> {
    list.iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), *c))
        .collect()
}

#[test]
fn selection_by_country_type_certificate_type_and_newest_version() {
    let two_doses = json!({"===": [{"var": "payload.v.0.dn"}, 2]});
    let set = rules(vec![
        with(
            rule("VR-DE-0001", "Vaccination", json!(false)),
            "Version",
            "1.0.0",
        ),
        with(
            rule("VR-DE-0001", "Vaccination", two_doses),
            "Version",
            "1.2.0",
        ),
        with(
            rule("VR-DE-0001", "Vaccination", json!(true)),
            "Version",
            "1.10.0",
        ),
        rule("TR-DE-0001", "Test", json!(false)),
        rule(
            "GR-DE-0001",
            "General",
            json!({"!": [{"var": "payload.r"}]}),
        ),
        rule("VR-FR-0001", "Vaccination", json!(false)),
        rule("IR-AT-0001", "General", json!(false)),
    ]);
    let expected = [
        ("GR-DE-0001", "1.0.0", "passed"),
        ("VR-DE-0001", "1.10.0", "passed"),
    ];
    assert_eq!(run(&set, "FR", &scan("DE")), ids(&expected));
    // The issuing country's invalidation rules apply wherever the certificate is checked.
    let expected = [
        ("GR-DE-0001", "1.0.0", "passed"),
        ("IR-AT-0001", "1.0.0", "failed"),
        ("VR-DE-0001", "1.10.0", "passed"),
    ];
    assert_eq!(run(&set, "AT", &scan("DE")), ids(&expected));
    // No rule of the arrival country: none selected.
    assert!(run(&set, "FR", &scan("IT")).is_empty());
    // The description in the language asked for, by its primary tag; English otherwise.
    let dcc = json!({"ver": "1.3.0", "v": [{}]});
    let results = set.evaluate_json(&dcc, &facts("FR"), &scan("DE")).unwrap();
    assert_eq!(
        &*results[0].description,
        "GR-DE-0001 auf Deutsch, lang genug"
    );
    let french = Scan {
        lang: "fr",
        ..scan("DE")
    };
    let results = set.evaluate_json(&dcc, &facts("FR"), &french).unwrap();
    assert_eq!(
        &*results[0].description,
        "GR-DE-0001 in English, long enough"
    );
}

#[test]
fn regions_and_validity_windows_select_too() {
    let set = rules(vec![
        with(rule("GR-DE-0002", "General", json!(false)), "Region", "BY"),
        with(
            rule("GR-DE-0003", "General", json!(false)),
            "ValidTo",
            "2021-12-31T23:59:59Z",
        ),
    ]);
    assert!(run(&set, "DE", &scan("DE")).is_empty());
    let bavaria = Scan {
        region: "BY",
        ..scan("DE")
    };
    assert_eq!(
        run(&set, "DE", &bavaria),
        ids(&[("GR-DE-0002", "1.0.0", "failed")])
    );
}

#[test]
fn open_rules_say_why() {
    let set = rules(vec![
        with(
            rule("GR-DE-0001", "General", json!(true)),
            "EngineVersion",
            "2.0.1",
        ),
        with(
            rule("GR-DE-0002", "General", json!(true)),
            "SchemaVersion",
            "1.4.0",
        ),
        rule(
            "GR-DE-0003",
            "General",
            json!({"<": [{"var": "payload.v.0.dn"}, "2"]}),
        ),
        rule("GR-DE-0004", "General", json!({"var": "payload.v.0.dn"})),
        rule(
            "GR-DE-0005",
            "General",
            json!({"if": [true, true, true, true]}),
        ),
        with(
            rule("GR-DE-0006", "General", json!(true)),
            "Engine",
            "OTHER",
        ),
    ]);
    let dcc = json!({"ver": "1.3.0", "v": [{"dn": 2}]});
    let results = set.evaluate_json(&dcc, &facts("DE"), &scan("DE")).unwrap();
    let reasons: Vec<_> = results
        .iter()
        .map(|r| match &r.outcome {
            RuleOutcome::Open(reason) => reason.code(),
            other => other.name(),
        })
        .collect();
    let expected = [
        "engine_version",
        "schema_version",
        "evaluation_error",
        "not_boolean",
        "invalid_logic",
        "engine",
    ];
    assert_eq!(reasons, expected);
    assert_eq!(set.invalid_rules().count(), 1);
    // A certificate with no single kind of entry cannot be judged.
    let error = set.evaluate_json(&json!({"ver": "1.3.0"}), &facts("DE"), &scan("DE"));
    assert!(matches!(error, Err(Violation::NotApplicable { .. })));
}

#[test]
fn external_parameters_reach_the_logic() {
    let logic = json!({"and": [
        {"===": [{"var": "external.countryCode"}, "DE"]},
        {"===": [{"var": "external.issuerCountryCode"}, "AT"]},
        {"===": [{"var": "external.validationClock"}, "2022-01-01T00:00:00Z"]},
        {"===": [{"var": "external.kid"}, "AQID"]},
        {"===": [{"var": "external.exp"}, "2022-06-01T00:00:00Z"]},
        {"in": ["EU/1/20/1528", {"var": "external.valueSets.vaccines-covid-19-names"}]},
        {"after": [{"plusTime": [{"var": "external.validationClock"}, 0, "day"]},
                   {"plusTime": [{"var": "payload.dob"}, 18, "year"]}]}
    ]});
    let mut set = rules(vec![rule("GR-DE-0001", "General", logic)]);
    let names = json!({"vaccines-covid-19-names": ["EU/1/20/1528"]});
    set.set_value_sets(ValueSets::from_json(&names).unwrap());
    let facts = CertificateFacts {
        issuer_country: Some("AT"),
        expires_at: UnixTime::parse_rfc3339("2022-06-01T00:00:00Z"),
        kid: Some(&[1, 2, 3]),
        ..CertificateFacts::default()
    };
    let dcc = json!({"ver": "1.3.0", "v": [{}], "dob": "1990-01-01"});
    let results = set.evaluate_json(&dcc, &facts, &scan("DE")).unwrap();
    assert_eq!(results[0].outcome, RuleOutcome::Passed);
}

#[test]
fn gateway_rules_are_checked_against_their_hash() {
    let bytes = rule("GR-DE-0001", "General", json!(true)).to_string();
    let digest = Sha256::digest(bytes.as_bytes());
    let hash: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    let mut set = EuRules::default();
    assert!(set.add_gateway_rule(bytes.as_bytes(), &hash).is_ok());
    assert_eq!(set.rules()[0].hash, Some(digest.into()));
    let tampered = bytes.replace("1.0.0", "9.0.0");
    let error = set
        .add_gateway_rule(tampered.as_bytes(), &hash)
        .unwrap_err();
    assert_eq!(
        error,
        EuRulesError::HashMismatch {
            id: "GR-DE-0001".into()
        }
    );
    assert_eq!(set.rules().len(), 1, "nothing added on a mismatch");
}

#[test]
fn a_bad_rule_refuses_the_whole_list() {
    let bad = with(
        rule("GR-DE-0002", "General", json!(true)),
        "ValidFrom",
        "2021-06-01",
    );
    let list = Json::Array(vec![rule("GR-DE-0001", "General", json!(true)), bad]);
    let mut set = EuRules::default();
    let error = set.add_json(list.to_string().as_bytes()).unwrap_err();
    assert!(
        error.to_string().starts_with("rule GR-DE-0002: ValidFrom"),
        "{error}"
    );
    assert!(set.rules().is_empty());
}
