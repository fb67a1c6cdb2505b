use serde_json::json;

use super::*;

fn at(text: &str) -> UnixTime {
    UnixTime::parse_rfc3339(text).unwrap()
}

fn vaccination(dn: u64, sd: u64, mp: &str, dt: &str, dob: &str) -> Value {
    json!({"dob": dob, "v": [{"dn": dn, "sd": sd, "mp": mp, "dt": dt}]})
}

#[test]
fn every_built_in_rule_set_loads() {
    assert!(names().count() >= 14);
    for name in names() {
        Rules::named(name).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    assert_eq!(
        Rules::named("fr-1999-01-01"),
        Err(RulesError::UnknownName("fr-1999-01-01".into()))
    );
}

#[test]
fn bad_documents_are_refused_with_the_field() {
    let good: Value =
        serde_json::from_str(include_str!("../../../rules/fr-2022-03-15-health.json")).unwrap();
    let load = |v: &Value| Rules::from_json(v.to_string().as_bytes());
    assert!(load(&good).is_ok());

    let mut unknown = good.clone();
    unknown["tests"]["typo_field"] = json!(1);
    assert!(matches!(load(&unknown), Err(RulesError::Json(m)) if m.contains("typo_field")));

    let mut hours = good.clone();
    hours["tests"]["negative_pcr_max_hours"] = json!(0);
    assert_eq!(
        load(&hours),
        Err(RulesError::Invalid {
            field: "tests.negative_pcr_max_hours",
            detail: "must be 1 to 8760 hours"
        })
    );

    let mut order = good.clone();
    order["recovery"]["until_day"] = json!(5);
    assert!(matches!(
        load(&order),
        Err(RulesError::Invalid {
            field: "recovery.until_day",
            ..
        })
    ));

    let mut zone = good.clone();
    zone["time_zone"] = json!("Europe/Berlin");
    assert!(matches!(load(&zone),
        Err(RulesError::Json(m)) if m.contains("unknown time zone \"Europe/Berlin\"") && m.contains("Europe/Paris")));
    zone["time_zone"] = json!("UTC");
    assert_eq!(load(&zone).map(|r| r.time_zone), Ok(TimeZone::Utc));
    zone.as_object_mut().unwrap().remove("time_zone");
    assert!(matches!(load(&zone), Err(RulesError::Json(m)) if m.contains("time_zone")));

    let mut age = good;
    age["vaccination"]["expiry_from_age"] = json!("18 years");
    assert!(matches!(load(&age), Err(RulesError::Json(m)) if m.contains("P18Y1M")));
    assert!(matches!(Rules::from_json(b"{"), Err(RulesError::Json(_))));
}

#[test]
fn age_periods_parse_and_clamp() {
    assert_eq!(
        AgePeriod::parse("P18Y1M"),
        Some(AgePeriod {
            years: 18,
            months: 1
        })
    );
    assert_eq!(
        AgePeriod::parse("P0Y"),
        Some(AgePeriod {
            years: 0,
            months: 0
        })
    );
    assert_eq!(
        AgePeriod::parse("P6M"),
        Some(AgePeriod {
            years: 0,
            months: 6
        })
    );
    for bad in ["", "P", "18Y", "PY", "P1M2Y", "P-1Y", "P999Y"] {
        assert_eq!(AgePeriod::parse(bad), None, "{bad}");
    }
    // Born 31 Dec: 18 years and 2 months later is the end of February.
    let age = AgePeriod::parse("P18Y2M").unwrap();
    assert_eq!(
        age.reached_on((2003, 12, 31)),
        Some(at("2022-02-28T00:00:00Z"))
    );
}

#[test]
fn primary_series_window_and_age_threshold() {
    let rules = Rules::named("fr-2022-03-02-health").unwrap(); // delay 7, max 129, P18Y1M
    let adult = vaccination(2, 2, "EU/1/20/1528", "2021-10-01", "1980-05-05");
    assert_eq!(
        rules.check_dcc(&adult, at("2021-10-07T23:59:59+02:00")),
        Err(Violation::VaccinationNotYetValid { from_day: 7 })
    );
    assert_eq!(
        rules.check_dcc(&adult, at("2021-10-08T00:00:00+02:00")),
        Ok(())
    );
    // 2021-10-01 + 129 days = 2022-02-07.
    assert_eq!(
        rules.check_dcc(&adult, at("2022-02-07T23:59:59+01:00")),
        Ok(())
    );
    assert_eq!(
        rules.check_dcc(&adult, at("2022-02-08T00:00:00+01:00")),
        Err(Violation::BoosterRequired { max_days: 129 })
    );
    // Someone reaching 18 years and 1 month on 2022-03-01 is subject from that day.
    let minor = vaccination(2, 2, "EU/1/20/1528", "2021-10-01", "2004-02-01");
    assert_eq!(rules.check_dcc(&minor, at("2022-02-28T12:00:00Z")), Ok(()));
    assert_eq!(
        rules.check_dcc(&minor, at("2022-03-01T00:00:00+01:00")),
        Err(Violation::BoosterRequired { max_days: 129 })
    );
    // Unknown date of birth: judged as an adult.
    let unknown = vaccination(2, 2, "EU/1/20/1528", "2021-10-01", "");
    assert!(rules
        .check_dcc(&unknown, at("2022-02-08T00:00:00Z"))
        .is_err());
    assert_eq!(
        rules.check_dcc(
            &vaccination(1, 2, "EU/1/20/1528", "2021-10-01", ""),
            at("2021-11-01T00:00:00Z")
        ),
        Err(Violation::VaccinationIncomplete)
    );
}

#[test]
fn boosters_and_janssen() {
    let rules = Rules::named("fr-2022-01-15-health").unwrap();
    // Booster before the toggle date counts at once; after, from day 7.
    let early = vaccination(3, 3, "EU/1/20/1528", "2021-12-20", "1950-01-01");
    assert_eq!(rules.check_dcc(&early, at("2021-12-20T08:00:00Z")), Ok(()));
    let late = vaccination(2, 1, "EU/1/20/1528", "2021-12-21", "1950-01-01");
    assert_eq!(
        rules.check_dcc(&late, at("2021-12-27T23:59:59+01:00")),
        Err(Violation::VaccinationNotYetValid { from_day: 7 })
    );
    assert_eq!(
        rules.check_dcc(&late, at("2021-12-28T00:00:00+01:00")),
        Ok(())
    );
    assert_eq!(
        rules.check_dcc(&late, at("2035-01-01T00:00:00Z")),
        Ok(()),
        "no end"
    );
    // Janssen 1/1: days 28 to 68.
    let janssen = vaccination(1, 1, "EU/1/20/1525", "2021-11-01", "1990-01-01");
    assert_eq!(
        rules.check_dcc(&janssen, at("2021-11-28T23:59:59+01:00")),
        Err(Violation::VaccinationNotYetValid { from_day: 28 })
    );
    assert_eq!(
        rules.check_dcc(&janssen, at("2021-11-29T00:00:00+01:00")),
        Ok(())
    );
    assert_eq!(
        rules.check_dcc(&janssen, at("2022-01-08T23:59:59+01:00")),
        Ok(())
    );
    assert_eq!(
        rules.check_dcc(&janssen, at("2022-01-09T00:00:00+01:00")),
        Err(Violation::BoosterRequired { max_days: 68 })
    );
}

#[test]
fn tests_and_recovery() {
    let rules = Rules::named("fr-2022-01-21-vaccine").unwrap(); // tests below 16 only
    let test = |tt: &str, tr: &str, dob: &str| json!({"dob": dob, "t": [{"tt": tt, "tr": tr, "sc": "2022-02-01T10:00:00Z"}]});
    let child = test("LP6464-4", "260415000", "2010-01-01");
    assert_eq!(rules.check_dcc(&child, at("2022-02-02T10:00:00Z")), Ok(()));
    assert_eq!(
        rules.check_dcc(&child, at("2022-02-02T10:00:01Z")),
        Err(Violation::TestTooOld { max_hours: 24 })
    );
    assert_eq!(
        rules.check_dcc(&child, at("2022-02-01T09:59:59Z")),
        Err(Violation::TestNotYetValid)
    );
    assert_eq!(
        rules.check_dcc(
            &test("LP6464-4", "260415000", "1990-01-01"),
            at("2022-02-01T12:00:00Z")
        ),
        Err(Violation::TestNotAcceptedForAge {
            age: AgePeriod {
                years: 16,
                months: 0
            }
        })
    );
    assert_eq!(
        rules.check_dcc(
            &test("94309-2", "260415000", "2010-01-01"),
            at("2022-02-01T12:00:00Z")
        ),
        Err(Violation::TestTypeNotAccepted)
    );
    assert_eq!(
        rules.check_dcc(
            &test("LP217198-3", "other", "2010-01-01"),
            at("2022-02-01T12:00:00Z")
        ),
        Err(Violation::TestNotNegative)
    );
    // A positive test is a recovery from day 11, whatever the age.
    let positive = test("LP217198-3", "260373001", "1990-01-01");
    assert_eq!(
        rules.check_dcc(&positive, at("2022-02-11T23:59:59+01:00")),
        Err(Violation::RecoveryNotYetValid { from_day: 11 })
    );
    assert_eq!(
        rules.check_dcc(&positive, at("2022-02-12T00:00:00+01:00")),
        Ok(())
    );

    let recovery = json!({"dob": "1990", "r": [{"fr": "2022-01-01", "du": "2022-01-31"}]});
    assert_eq!(
        rules.check_dcc(&recovery, at("2022-07-03T23:59:59+02:00")),
        Ok(()),
        "day 183"
    );
    assert_eq!(
        rules.check_dcc(&recovery, at("2022-07-04T00:00:00+02:00")),
        Err(Violation::RecoveryExpired { until_day: 183 })
    );
    let mut strict = rules.clone();
    strict.recovery.honour_valid_until = true;
    assert_eq!(
        strict.check_dcc(&recovery, at("2022-01-31T23:59:59+01:00")),
        Ok(())
    );
    assert_eq!(
        strict.check_dcc(&recovery, at("2022-02-01T00:00:00+01:00")),
        Err(Violation::RecoveryExpired { until_day: 183 })
    );
    assert_eq!(
        rules.check_dcc(&json!({"dob": "1990"}), at("2022-02-01T00:00:00Z")),
        Err(Violation::NotApplicable {
            detail: "no v, t or r entry"
        })
    );
}

#[test]
fn a_booster_with_an_end_expires() {
    let mut rules = Rules::named("fr-2022-03-15-health").unwrap();
    rules.vaccination.booster_max_days = Some(100);
    let booster = vaccination(3, 3, "EU/1/20/1528", "2022-01-03", "1950-01-01");
    // 2022-01-03 + 100 days = 2022-04-13.
    assert_eq!(
        rules.check_dcc(&booster, at("2022-04-13T23:59:59+02:00")),
        Ok(())
    );
    assert_eq!(
        rules.check_dcc(&booster, at("2022-04-14T00:00:00+02:00")),
        Err(Violation::VaccinationExpired { max_days: 100 })
    );
}

/// At 00:30 in Paris the French rules judge the Paris day that has just begun, as TAC-Verif
/// did on a French phone, not the UTC day that is still running.
#[test]
fn french_rules_count_paris_civil_days() {
    let rules = Rules::named("fr-2022-03-02-health").unwrap(); // delay 7, max 129, P18Y1M
    assert_eq!(rules.time_zone, TimeZone::EuropeParis);
    let adult = vaccination(2, 2, "EU/1/20/1528", "2021-10-01", "1980-05-05");
    // 2022-02-08 00:30 in Paris (winter, UTC+1) is day 130: booster required.
    let day_130_paris = at("2022-02-07T23:30:00Z");
    assert_eq!(
        rules.check_dcc(&adult, day_130_paris),
        Err(Violation::BoosterRequired { max_days: 129 })
    );
    // 2021-10-08 00:30 in Paris (summer, UTC+2) is day 7: valid.
    let day_7_paris = at("2021-10-07T22:30:00Z");
    assert_eq!(rules.check_dcc(&adult, day_7_paris), Ok(()));
    // The same on a 2D-DOC L1.
    let l1 = Content::Vaccination(crate::twoddoc::Vaccination {
        surname: String::new(),
        first_names: String::new(),
        birth_date: "05051980".into(),
        disease: "COVID-19".into(),
        agent: "J07BX03".into(),
        vaccine: "MODERNA".into(),
        manufacturer: "MODERNA".into(),
        dose_number: 2,
        doses_expected: 2,
        last_dose_date: "01102021".into(),
        status: CycleStatus::Complete,
    });
    assert_eq!(rules.check_twoddoc(&l1, day_7_paris), Ok(()));
    assert_eq!(
        rules.check_twoddoc(&l1, day_130_paris),
        Err(Violation::BoosterRequired { max_days: 129 })
    );
    // A birthday starts at midnight in Paris: reaching 18 years 1 month on 2022-03-01.
    let minor = vaccination(2, 2, "EU/1/20/1528", "2021-10-01", "2004-02-01");
    assert_eq!(
        rules.check_dcc(&minor, at("2022-02-28T23:30:00Z")),
        Err(Violation::BoosterRequired { max_days: 129 })
    );
    // The same data with "time_zone": "UTC" counts UTC days.
    let mut utc = rules.clone();
    utc.time_zone = TimeZone::Utc;
    assert_eq!(utc.check_dcc(&adult, day_130_paris), Ok(()));
    assert_eq!(
        utc.check_dcc(&adult, day_7_paris),
        Err(Violation::VaccinationNotYetValid { from_day: 7 })
    );
    assert_eq!(utc.check_dcc(&minor, at("2022-02-28T23:30:00Z")), Ok(()));
    // A positive test sampled at 00:30 in Paris falls on that Paris day (2022-02-01), not on
    // the UTC one (2022-01-31): at the end of 2022-02-11 in Paris it is day 10, not 11.
    let positive = json!({"dob": "1990", "t": [{"tt": "LP6464-4", "tr": "260373001", "sc": "2022-02-01T00:30:00+01:00"}]});
    let end_of_feb_11 = at("2022-02-11T23:59:59+01:00");
    assert_eq!(
        rules.check_dcc(&positive, end_of_feb_11),
        Err(Violation::RecoveryNotYetValid { from_day: 11 })
    );
    assert_eq!(utc.check_dcc(&positive, end_of_feb_11), Ok(()));
}
