//! The French acceptance rules: every built-in rule set checked against the TAC-Verif snapshot
//! it comes from, then applied around each of its boundaries (the day or second before and
//! after) to DCC payloads and 2D-DOC contents, and end to end through signed passes and the CLI.

mod common;

use base64::Engine as _;
use dcc_verifier::rules::{names, AgePeriod, Rules, Violation};
use dcc_verifier::time::TimeZone;
use dcc_verifier::trust::twoddoc_keys::TwoDDocKeys;
use dcc_verifier::twoddoc::{Content, CycleStatus, TestOutcome, TestResult, Vaccination};
use dcc_verifier::{Check, Policy, Reason, Status, TrustStore, UnixTime, Verifier};
use serde_json::{json, Value};

const DAY: i64 = 86_400;

fn at(text: &str) -> UnixTime {
    UnixTime::parse_rfc3339(text).unwrap()
}

/// Midnight in Paris (the built-in sets' `time_zone`) starting day `n` after `date`.
fn start_of(date: &str, n: u32) -> UnixTime {
    let day = at(date).checked_add_secs(i64::from(n) * DAY).unwrap();
    TimeZone::EuropeParis.to_utc(day).unwrap()
}

/// The last second of day `n` after `date`.
fn end_of(date: &str, n: u32) -> UnixTime {
    start_of(date, n + 1).checked_sub_secs(1).unwrap()
}

fn ymd(t: UnixTime) -> (i64, u32, u32) {
    let (y, m, d, ..) = t.to_civil();
    (y, m, d)
}

/// The birth date of someone who reaches `age` on the Paris day of `t` (day of month below 29).
fn born_reaching(age: AgePeriod, t: UnixTime) -> (i64, u32, u32) {
    let paris = t
        .checked_add_secs(TimeZone::EuropeParis.offset_secs(t))
        .unwrap();
    let (y, m, d) = ymd(paris);
    let months = i64::from(m) - 1 - i64::from(age.months);
    let year = y - i64::from(age.years) + months.div_euclid(12);
    (year, u32::try_from(months.rem_euclid(12)).unwrap() + 1, d)
}

fn iso((y, m, d): (i64, u32, u32)) -> String {
    format!("{y:04}-{m:02}-{d:02}")
}

fn ddmmyyyy((y, m, d): (i64, u32, u32)) -> String {
    format!("{d:02}{m:02}{y:04}")
}

/// Checks `name` on both sides of each boundary, for a DCC and for a 2D-DOC.
struct Case<'a> {
    name: &'a str,
    rules: Rules,
}

impl Case<'_> {
    fn dcc(&self, payload: &Value, now: UnixTime, want: Result<(), Violation>) {
        assert_eq!(
            self.rules.check_dcc(payload, now),
            want,
            "{} at {now}: {payload}",
            self.name
        );
    }

    fn doc(&self, content: &Content, now: UnixTime, want: Result<(), Violation>) {
        assert_eq!(
            self.rules.check_twoddoc(content, now),
            want,
            "{} at {now}: {content:?}",
            self.name
        );
    }
}

fn l1(vaccine: &str, dose: u8, expected: u8, last_dose: &str, birth: &str) -> Content {
    Content::Vaccination(Vaccination {
        surname: "DUPOND".into(),
        first_names: "JEAN".into(),
        birth_date: birth.into(),
        disease: "COVID-19".into(),
        agent: "J07BX03".into(),
        vaccine: vaccine.into(),
        manufacturer: vaccine.into(),
        dose_number: dose,
        doses_expected: expected,
        last_dose_date: last_dose.into(),
        status: CycleStatus::Complete,
    })
}

fn b2(code: &str, result: TestOutcome, sampled_local: &str, birth: &str) -> Content {
    Content::TestResult(TestResult {
        first_names: "JEAN".into(),
        surname: "DUPOND".into(),
        birth_date: birth.into(),
        sex: "M".into(),
        analysis_code: code.into(),
        result,
        sampled_at: sampled_local.into(),
    })
}

fn vaccination_boundaries(case: &Case) {
    let v = &case.rules.vaccination;
    let dose = "2021-11-01";
    let adult =
        json!({"dob": "1950-01-01", "v": [{"dn": 2, "sd": 2, "mp": "EU/1/20/1528", "dt": dose}]});
    let adult_l1 = l1("COMIRNATY PFIZER/BIONTECH", 2, 2, "01112021", "01011950");
    let not_yet = Err(Violation::VaccinationNotYetValid {
        from_day: v.delay_days,
    });
    let max = v.primary_max_days;
    let after_max = match v.expiry_from_age {
        Some(_) => Err(Violation::BoosterRequired { max_days: max }),
        None => Ok(()),
    };
    for (now, want) in [
        (end_of(dose, v.delay_days - 1), not_yet.clone()),
        (start_of(dose, v.delay_days), Ok(())),
        (end_of(dose, max), Ok(())),
        (start_of(dose, max + 1), after_max.clone()),
    ] {
        case.dcc(&adult, now, want.clone());
        case.doc(&adult_l1, now, want);
    }

    // The age from which the primary series expires: someone reaching it 300 days after the
    // dose (past every `primary_max_days`) keeps a valid series until that day.
    if let Some(age) = v.expiry_from_age {
        let threshold = start_of(dose, 300);
        assert!(max < 299, "{}", case.name);
        let birth = born_reaching(age, threshold);
        let payload =
            json!({"dob": iso(birth), "v": [{"dn": 2, "sd": 2, "mp": "EU/1/20/1528", "dt": dose}]});
        let content = l1("MODERNA", 2, 2, "01112021", &ddmmyyyy(birth));
        let before = threshold.checked_sub_secs(1).unwrap();
        case.dcc(&payload, before, Ok(()));
        case.doc(&content, before, Ok(()));
        case.dcc(&payload, threshold, after_max.clone());
        case.doc(&content, threshold, after_max.clone());
    }

    // Janssen 1/1: by product code in a DCC, by name in an L1.
    let janssen =
        json!({"dob": "1950-01-01", "v": [{"dn": 1, "sd": 1, "mp": "EU/1/20/1525", "dt": dose}]});
    let janssen_l1 = l1("COVID-19 VACCINE JANSSEN", 1, 1, "01112021", "01011950");
    let not_yet = Err(Violation::VaccinationNotYetValid {
        from_day: v.janssen_delay_days,
    });
    case.dcc(
        &janssen,
        end_of(dose, v.janssen_delay_days - 1),
        not_yet.clone(),
    );
    case.doc(&janssen_l1, end_of(dose, v.janssen_delay_days - 1), not_yet);
    case.dcc(&janssen, start_of(dose, v.janssen_delay_days), Ok(()));
    case.doc(&janssen_l1, start_of(dose, v.janssen_delay_days), Ok(()));
    if let Some(max) = v.janssen_max_days {
        let expired = Err(Violation::BoosterRequired { max_days: max });
        case.dcc(&janssen, end_of(dose, max), Ok(()));
        case.doc(&janssen_l1, end_of(dose, max), Ok(()));
        case.dcc(&janssen, start_of(dose, max + 1), expired.clone());
        case.doc(&janssen_l1, start_of(dose, max + 1), expired);
    } else {
        case.dcc(&janssen, start_of(dose, 3000), Ok(()));
    }

    // Boosters (3/3, or 2/1 after an infection): their start delay, by toggle date.
    let booster_day = "2022-01-03";
    let from = match &v.booster_delay_change {
        Some(change) => change.delay_days,
        None => v.booster_delay_days,
    };
    let booster = json!({"dob": "1950-01-01", "v": [{"dn": 2, "sd": 1, "mp": "EU/1/20/1528", "dt": booster_day}]});
    let booster_l1 = l1("COMIRNATY", 3, 3, "03012022", "01011950");
    if from > 0 {
        let not_yet = Err(Violation::VaccinationNotYetValid { from_day: from });
        case.dcc(&booster, end_of(booster_day, from - 1), not_yet.clone());
        case.doc(&booster_l1, end_of(booster_day, from - 1), not_yet);
    }
    case.dcc(&booster, start_of(booster_day, from), Ok(()));
    case.doc(&booster_l1, start_of(booster_day, from), Ok(()));
    assert_eq!(v.booster_max_days, None, "TACV boosters never expired");
    case.dcc(&booster, start_of(booster_day, 3000), Ok(()));
}

fn test_boundaries(case: &Case) {
    let t = &case.rules.tests;
    // Sampled 10 Jan 2022 at 10:00 in Paris (UTC+1): 09:00 UTC.
    let sampled = at("2022-01-10T09:00:00Z");
    let sampled_local = "100120221000";
    let never = t.accepted_below_age
        == Some(AgePeriod {
            years: 0,
            months: 0,
        });
    for (tt, code, max_hours) in [
        ("LP6464-4", "945006", t.negative_pcr_max_hours),
        ("LP217198-3", "945584", t.negative_antigen_max_hours),
    ] {
        let child = json!({"dob": "2015-06-01", "t": [{"tt": tt, "tr": "260415000", "sc": "2022-01-10T09:00:00Z"}]});
        let child_b2 = b2(code, TestOutcome::Negative, sampled_local, "01062015");
        let last = sampled
            .checked_add_secs(i64::from(max_hours) * 3600)
            .unwrap();
        let (ok, too_old) = if never {
            let refused = Err(Violation::TestNotAcceptedForAge {
                age: t.accepted_below_age.unwrap(),
            });
            (refused.clone(), refused)
        } else {
            (Ok(()), Err(Violation::TestTooOld { max_hours }))
        };
        case.dcc(&child, last, ok.clone());
        case.doc(&child_b2, last, ok);
        case.dcc(&child, last.checked_add_secs(1).unwrap(), too_old.clone());
        case.doc(&child_b2, last.checked_add_secs(1).unwrap(), too_old);
        let early = sampled.checked_sub_secs(1).unwrap();
        if !never {
            case.dcc(&child, early, Err(Violation::TestNotYetValid));
            case.doc(&child_b2, early, Err(Violation::TestNotYetValid));
        }
    }
    // The age from which negative tests stop counting (`pass vaccinal`).
    if let Some(age) = t.accepted_below_age.filter(|_| !never) {
        let threshold = start_of("2022-01-11", 0);
        let birth = born_reaching(age, threshold);
        let payload = json!({"dob": iso(birth), "t": [{"tt": "LP6464-4", "tr": "260415000", "sc": "2022-01-10T09:00:00Z"}]});
        let content = b2(
            "945006",
            TestOutcome::Negative,
            sampled_local,
            &ddmmyyyy(birth),
        );
        let before = threshold.checked_sub_secs(1).unwrap();
        case.dcc(&payload, before, Ok(()));
        case.doc(&content, before, Ok(()));
        let refused = Err(Violation::TestNotAcceptedForAge { age });
        case.dcc(&payload, threshold, refused.clone());
        case.doc(&content, threshold, refused);
    }
    // A positive test is a recovery from day `positive_from_day` to `positive_until_day`.
    let day = "2022-01-10";
    let positive = json!({"dob": "1950-01-01", "t": [{"tt": "LP6464-4", "tr": "260373001", "sc": "2022-01-10T09:00:00Z"}]});
    let positive_b2 = b2("945006", TestOutcome::Positive, sampled_local, "01011950");
    for (now, want) in [
        (
            end_of(day, t.positive_from_day - 1),
            Err(Violation::RecoveryNotYetValid {
                from_day: t.positive_from_day,
            }),
        ),
        (start_of(day, t.positive_from_day), Ok(())),
        (end_of(day, t.positive_until_day), Ok(())),
        (
            start_of(day, t.positive_until_day + 1),
            Err(Violation::RecoveryExpired {
                until_day: t.positive_until_day,
            }),
        ),
    ] {
        case.dcc(&positive, now, want.clone());
        case.doc(&positive_b2, now, want);
    }
    let unknown_type = json!({"dob": "2015", "t": [{"tt": "94309-2", "tr": "260415000", "sc": "2022-01-10T09:00:00Z"}]});
    case.dcc(&unknown_type, sampled, Err(Violation::TestTypeNotAccepted));
    case.doc(
        &b2("94309", TestOutcome::Negative, sampled_local, "01062015"),
        sampled,
        Err(Violation::TestTypeNotAccepted),
    );
    case.doc(
        &b2(
            "945006",
            TestOutcome::Indeterminate,
            sampled_local,
            "01062015",
        ),
        sampled,
        Err(Violation::TestNotNegative),
    );
}

fn recovery_boundaries(case: &Case) {
    let r = &case.rules.recovery;
    let fr = "2022-01-10";
    let payload =
        json!({"dob": "1950-01-01", "r": [{"fr": fr, "df": "2022-01-21", "du": "2022-07-09"}]});
    case.dcc(
        &payload,
        end_of(fr, r.from_day - 1),
        Err(Violation::RecoveryNotYetValid {
            from_day: r.from_day,
        }),
    );
    case.dcc(&payload, start_of(fr, r.from_day), Ok(()));
    case.dcc(&payload, end_of(fr, r.until_day), Ok(()));
    case.dcc(
        &payload,
        start_of(fr, r.until_day + 1),
        Err(Violation::RecoveryExpired {
            until_day: r.until_day,
        }),
    );
}

#[test]
fn every_built_in_rule_set_around_each_boundary() {
    let all: Vec<&str> = names().collect();
    assert!(all.len() >= 14, "{all:?}");
    for name in all {
        let case = Case {
            name,
            rules: Rules::named(name).unwrap(),
        };
        assert_eq!(case.rules.time_zone, TimeZone::EuropeParis, "{name}");
        vaccination_boundaries(&case);
        test_boundaries(&case);
        recovery_boundaries(&case);
    }
}

/// The built-in files hold the values of the TAC-Verif snapshot observed on their date.
#[test]
fn built_in_rule_sets_match_the_tacv_snapshots() {
    let Some(dir) = common::shared_dir("france/vectors/rules") else {
        return;
    };
    let data: Value = serde_json::from_slice(
        &std::fs::read(dir.join("tacv_validity_snapshots_sanipasse.json")).unwrap(),
    )
    .unwrap();
    let snapshots = data["snapshots"].as_array().unwrap();
    let no_end = |v: &Value| v.as_u64().filter(|&d| d < 6000).map(|d| d as u32);
    let mut compared = 0;
    for name in names().filter(|n| *n != "fr-latest") {
        let date = &name[3..13];
        let flavour = name.get(14..);
        let snapshot = snapshots
            .iter()
            .rfind(|s| s["commit_date"].as_str().unwrap()[..10] <= *date)
            .unwrap();
        let v = match flavour {
            Some(f) => &snapshot["validity"][f],
            None => &snapshot["validity"],
        };
        assert!(v.is_object(), "{name}: no such set in the snapshot");
        let rules = Rules::named(name).unwrap();
        let n = |key: &str| v[key].as_u64().unwrap() as u32;
        let capped = |end: &str| {
            n(end).min(
                v["recoveryDelayMax"]
                    .as_u64()
                    .map_or(u32::MAX, |d| d as u32),
            )
        };
        assert_eq!(
            rules.tests.negative_pcr_max_hours,
            n("testNegativePcrEndHour"),
            "{name}"
        );
        assert_eq!(
            rules.tests.negative_antigen_max_hours,
            n("testNegativeAntigenicEndHour"),
            "{name}"
        );
        assert_eq!(
            rules.tests.positive_from_day,
            n("testPositivePcrStartDay"),
            "{name}"
        );
        assert_eq!(
            rules.tests.positive_until_day,
            capped("testPositivePcrEndDay"),
            "{name}"
        );
        assert_eq!(
            rules.tests.accepted_below_age,
            v["testAcceptanceAgePeriod"]
                .as_str()
                .map(|p| AgePeriod::parse(p).unwrap()),
            "{name}"
        );
        assert_eq!(rules.vaccination.delay_days, n("vaccineDelay"), "{name}");
        assert_eq!(
            rules.vaccination.primary_max_days,
            n("vaccineDelayMax"),
            "{name}"
        );
        assert_eq!(
            rules.vaccination.single_dose_after_infection_max_days,
            n("vaccineDelayMaxRecovery"),
            "{name}"
        );
        assert_eq!(
            rules.vaccination.janssen_delay_days,
            n("vaccineDelayJanssen"),
            "{name}"
        );
        assert_eq!(
            rules.vaccination.janssen_max_days,
            no_end(&v["vaccineDelayMaxJanssen"]),
            "{name}"
        );
        assert_eq!(
            rules.vaccination.booster_delay_days,
            n("vaccineBoosterDelay"),
            "{name}"
        );
        assert_eq!(
            rules.vaccination.booster_max_days,
            no_end(&v["vaccineBoosterDelayMax"]),
            "{name}"
        );
        assert_eq!(
            rules
                .vaccination
                .booster_delay_change
                .as_ref()
                .map(|c| c.delay_days),
            v["vaccineBoosterDelayNew"].as_u64().map(|d| d as u32),
            "{name}"
        );
        let age = match (
            v["vaccineBoosterAgePeriod"].as_str(),
            n("vaccineBoosterAge"),
        ) {
            (Some(p), _) => AgePeriod::parse(p),
            (None, years) if years < 150 => AgePeriod::parse(&format!("P{years}Y")),
            _ => None, // 650 years: disabled
        };
        assert_eq!(rules.vaccination.expiry_from_age, age, "{name}");
        assert_eq!(rules.recovery.from_day, n("recoveryStartDay"), "{name}");
        assert_eq!(rules.recovery.until_day, capped("recoveryEndDay"), "{name}");
        compared += 1;
    }
    assert!(compared >= 16);
}

fn fixture_text(name: &str) -> String {
    let path = format!("{}/fixtures/passes/{name}.txt", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(path)
        .unwrap()
        .trim_end()
        .to_string()
}

fn fixture_verifier() -> Verifier {
    let path = format!(
        "{}/fixtures/trust/trustlist.json",
        env!("CARGO_MANIFEST_DIR")
    );
    Verifier::new(TrustStore::from_bytes(&std::fs::read(path).unwrap()).unwrap())
}

/// Signed DCCs: the `rules` check runs after the others, only with rules configured.
#[test]
fn signed_dcc_passes_through_the_verifier() {
    let plain = fixture_verifier();
    // Comirnaty 2/2 of 2021-05-20, born 1990-01-01.
    let vaccination = fixture_text("valid-es256-vaccination");
    let report = plain.verify(&vaccination, at("2021-12-28T00:00:00Z"));
    assert!(report.is_valid());
    assert_eq!(report.status(Check::Rules), Status::Skipped);

    let ruled = plain
        .clone()
        .with_rules(Some(Rules::named("fr-2022-01-15-health").unwrap()));
    // 2021-05-20 + 221 days = 2021-12-27.
    // Days are Paris civil days (UTC+1 in December).
    let report = ruled.verify(&vaccination, at("2021-12-27T23:59:59+01:00"));
    assert!(report.is_valid(), "{:?}", report.failures());
    assert_eq!(report.status(Check::Rules), Status::Pass);
    let report = ruled.verify(&vaccination, at("2021-12-28T00:00:00+01:00"));
    assert!(!report.is_valid());
    assert_eq!(report.status(Check::Rules), Status::Fail);
    assert_eq!(report.reason(), Some(Reason::BoosterRequired));
    // Before the 65+ / 18y1m rules, the same series did not expire.
    let older = plain
        .clone()
        .with_rules(Some(Rules::named("fr-2021-12-07").unwrap()));
    assert!(older
        .verify(&vaccination, at("2021-12-28T00:00:00Z"))
        .is_valid());

    // PCR sampled 2021-05-31T08:00Z: 24 hours.
    let test = fixture_text("valid-es256-test");
    assert!(ruled.verify(&test, at("2021-06-01T08:00:00Z")).is_valid());
    let report = ruled.verify(&test, at("2021-06-01T08:00:01Z"));
    assert_eq!(report.reason(), Some(Reason::TestTooOld));

    // Recovery from 2021-04-10: days 11 to 183 (2021-10-10).
    let recovery = fixture_text("valid-es256-recovery");
    assert!(ruled
        .verify(&recovery, at("2021-10-10T23:59:59+02:00"))
        .is_valid());
    let report = ruled.verify(&recovery, at("2021-10-11T00:00:00+02:00"));
    assert_eq!(report.reason(), Some(Reason::RecoveryExpired));

    // An earlier failure keeps its precedence; an unverified pass is not judged.
    let report = ruled.verify(&fixture_text("expired"), at("2021-09-01T00:00:00Z"));
    assert_eq!(report.reason(), Some(Reason::Expired));
    let report = ruled.verify(&fixture_text("bad-signature"), at("2021-09-01T00:00:00Z"));
    assert_eq!(report.status(Check::Rules), Status::Skipped);
}

/// RFC 4648 base32 without padding.
fn base32(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &b in bytes {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[((buffer >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(ALPHABET[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

/// A DC04 document signed with the published ANTS test key (FR00/0001), issued and signed on
/// the day `date_hex` (days since 2000-01-01, e.g. `1F6D` = 2022-01-10).
fn signed_2ddoc(dir: &std::path::Path, date_hex: &str, doc_type: &str, message: &str) -> String {
    use p256::ecdsa::signature::Signer as _;
    let pem = std::fs::read_to_string(dir.join("FR00-0001_TEST_privkey.pem")).unwrap();
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(body)
        .unwrap();
    // SEC1 ECPrivateKey: 30 77 02 01 01 04 20 <32-byte scalar> ...
    let key = p256::ecdsa::SigningKey::from_slice(&der[7..39]).unwrap();
    let signed = format!("DC04FR000001{date_hex}{date_hex}{doc_type}01FR{message}");
    let signature: p256::ecdsa::Signature = key.sign(signed.as_bytes());
    format!("{signed}\u{1f}{}", base32(&signature.to_bytes()))
}

/// A negative PCR test sampled 10 Jan 2022 10:00 Paris time, for a child born 2015.
const B2_NEGATIVE: &str = "F0JEAN\u{1d}F1DUPOND\u{1d}F201062015F3MF4945006\u{1d}F5NF6100120221000";

/// A verifier trusting the ANTS test key FR00/0001 from `key_file`, with the rules `rules`.
fn test_ca_verifier(dir: &std::path::Path, key_file: &str, rules: &str) -> Verifier {
    let mut keys = TwoDDocKeys::new();
    keys.add_bytes("FR00", "0001", &std::fs::read(dir.join(key_file)).unwrap())
        .unwrap();
    Verifier::with_policy(
        TrustStore::new(),
        Policy::default().with_twoddoc_test_ca(true),
    )
    .with_twoddoc_keys(keys)
    .with_rules(Some(Rules::named(rules).unwrap()))
}

#[test]
fn signed_2ddoc_passes_through_the_verifier() {
    let Some(dir) = common::shared_dir("france/vectors/keys") else {
        return;
    };
    let verifier = test_ca_verifier(&dir, "FR00-0001_pub.pem", "fr-2022-03-02-health");

    // B2: negative PCR sampled 10 Jan 2022 10:00 Paris time (09:00 UTC), 24 hours.
    let gs = '\u{1d}';
    let b2 = signed_2ddoc(&dir, "1F6D", "B2", B2_NEGATIVE);
    let report = verifier.verify(&b2, at("2022-01-11T09:00:00Z"));
    assert!(report.is_valid(), "{:?}", report.failures());
    assert_eq!(report.status(Check::Rules), Status::Pass);
    let report = verifier.verify(&b2, at("2022-01-11T09:00:01Z"));
    assert_eq!(report.reason(), Some(Reason::TestTooOld));
    assert_eq!(report.status(Check::Signature), Status::Pass);

    // L1: 2/2 on 1 Nov 2021, adult: days 7 to 129 in March 2022's rules; signed 2 Nov 2021.
    let l1 = signed_2ddoc(
        &dir,
        "1F28",
        "L1",
        &format!(
            "L0DUPOND{gs}L1JEAN{gs}L201011950L3COVID-19{gs}L4J07BX03{gs}L5COMIRNATY{gs}\
             L6PFIZER/BIONTECH{gs}L72L82L901112021LATE"
        ),
    );
    assert_eq!(
        verifier
            .verify(&l1, at("2021-11-07T23:59:59+01:00"))
            .reason(),
        Some(Reason::VaccinationNotYetValid)
    );
    assert!(verifier
        .verify(&l1, at("2022-03-10T23:59:59+01:00"))
        .is_valid());
    assert_eq!(
        verifier
            .verify(&l1, at("2022-03-11T00:00:00+01:00"))
            .reason(),
        Some(Reason::BoosterRequired)
    );

    // The document's own expiry date (field 08, day 0x1F77 = 2022-01-20) is the expiry check,
    // through the end of that day in Paris (and the clock skew).
    let expiring = signed_2ddoc(&dir, "1F6D", "B2", &format!("081F77{B2_NEGATIVE}"));
    let plain = verifier.clone().with_rules(None);
    let report = plain.verify(&expiring, at("2022-01-20T23:59:59+01:00"));
    assert_eq!(report.status(Check::Expiry), Status::Pass);
    assert_eq!(report.status(Check::Rules), Status::Skipped);
    let report = plain.verify(&expiring, at("2022-01-21T00:10:00+01:00"));
    assert_eq!(report.status(Check::Expiry), Status::Fail);
    assert_eq!(report.reason(), Some(Reason::Expired));
    assert_eq!(
        plain
            .verify(&b2, at("2030-01-01T00:00:00Z"))
            .status(Check::Expiry),
        Status::Skipped
    );

    // An unreadable header has its own reason.
    assert_eq!(
        verifier
            .verify("DC04FR00", at("2022-01-11T00:00:00Z"))
            .reason(),
        Some(Reason::InvalidTwoDDocHeader)
    );
}

/// The signature date is self-declared: a key whose certificate expired cannot make new
/// documents pass by dating their signature inside its old validity window, nor date it in the
/// future.
#[test]
fn signature_dates_are_checked_against_content_and_now() {
    let Some(dir) = common::shared_dir("france/vectors/keys") else {
        return;
    };
    // The ANTS test certificate: valid 2012-11-01 to 2015-11-01.
    let verifier = test_ca_verifier(&dir, "FR00-0001_cert.der", "fr-latest");
    let b2 = |date_hex: &str, sampled: &str| {
        let message = B2_NEGATIVE.replace("F6100120221000", &format!("F6{sampled}"));
        signed_2ddoc(&dir, date_hex, "B2", &message)
    };
    let now = at("2025-06-01T12:00:00Z");
    // Sampled 2025-06-01 10:00 in Paris, signature dated 2015-01-01 (day 0x1567).
    let report = verifier.verify(&b2("1567", "010620251000"), now);
    assert_eq!(report.status(Check::Signature), Status::Pass);
    assert_eq!(report.status(Check::SignerValidity), Status::Fail);
    assert_eq!(report.reason(), Some(Reason::SchemaInvalid));
    assert!(!report.is_valid());
    // Honestly dated 2025-06-01 (0x2443): the expired certificate shows.
    let report = verifier.verify(&b2("2443", "010620251000"), now);
    assert_eq!(report.reason(), Some(Reason::SignerExpired));
    // Sampled and signed within the window, judged then: only the rules refuse it now.
    let report = verifier.verify(&b2("1567", "010120151000"), now);
    assert_eq!(report.status(Check::SignerValidity), Status::Pass);
    assert_eq!(report.reason(), Some(Reason::TestTooOld));
    // A signature dated after `now` (beyond the clock skew) is refused.
    let report = verifier.verify(&b2("1567", "010120151000"), at("2014-12-31T12:00:00Z"));
    assert_eq!(report.status(Check::SignerValidity), Status::Fail);
    assert_eq!(report.reason(), Some(Reason::IssuedInFuture));
    // 2015-01-01 begins in Paris at 2014-12-31T23:00:00Z; the default skew is 300 s.
    let report = verifier.verify(&b2("1567", "010120150000"), at("2014-12-31T22:55:00Z"));
    assert_eq!(report.status(Check::SignerValidity), Status::Pass);
}

/// A repeated field id would be judged one way (the rules read the first) and shown another:
/// the document is refused.
#[test]
fn repeated_2ddoc_fields_are_refused() {
    let Some(dir) = common::shared_dir("france/vectors/keys") else {
        return;
    };
    let verifier = test_ca_verifier(&dir, "FR00-0001_pub.pem", "fr-2022-03-02-health");
    let twice = signed_2ddoc(&dir, "1F6D", "B2", &format!("{B2_NEGATIVE}F5P"));
    let report = verifier.verify(&twice, at("2022-01-10T12:00:00Z"));
    assert_eq!(report.status(Check::Signature), Status::Pass);
    assert_eq!(report.status(Check::Schema), Status::Fail);
    assert_eq!(report.reason(), Some(Reason::SchemaInvalid));
    assert!(!report.is_valid());
    let doc = report.verified().unwrap().twoddoc().unwrap();
    assert_eq!(doc.field("F5"), None);
}

#[cfg(feature = "cli")]
#[test]
fn cli_rules_option_and_list() {
    let out = common::run_cli(&["rules", "list"], b"");
    assert!(out.status.success());
    let listed = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        listed.lines().collect::<Vec<_>>(),
        names().collect::<Vec<_>>()
    );

    let trust = format!(
        "{}/fixtures/trust/trustlist.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let qr = fixture_text("valid-es256-vaccination");
    let run = |rules: &str, when: &str| {
        common::run_cli(
            &[
                "verify", "--trust", &trust, "--at", when, "--json", "--rules", rules, &qr,
            ],
            b"",
        )
    };
    let out = run("fr-2022-01-15-health", "2021-12-28T00:00:00Z");
    assert_eq!(out.status.code(), Some(1));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["reason"], "booster_required");
    assert_eq!(json["checks"]["rules"], "fail");
    assert_eq!(
        run("fr-2022-01-15-health", "2021-12-27T00:00:00Z")
            .status
            .code(),
        Some(0)
    );

    // A rules file: our format, then a bad one (exit 2 with the field named).
    let dir = std::env::temp_dir().join(format!("dcc-rules-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut doc: Value =
        serde_json::from_str(include_str!("../rules/fr-2022-01-15-health.json")).unwrap();
    doc["vaccination"]["primary_max_days"] = json!(300);
    let good = dir.join("good.json");
    std::fs::write(&good, doc.to_string()).unwrap();
    assert_eq!(
        run(good.to_str().unwrap(), "2021-12-28T00:00:00Z")
            .status
            .code(),
        Some(0)
    );
    doc["vaccination"]["delay_days"] = json!(400);
    let bad = dir.join("bad.json");
    std::fs::write(&bad, doc.to_string()).unwrap();
    let out = run(bad.to_str().unwrap(), "2021-12-28T00:00:00Z");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("vaccination.primary_max_days"), "{stderr}");
    let out = run("fr-1999-01-01", "2021-12-28T00:00:00Z");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("rules list"));
    std::fs::remove_dir_all(&dir).unwrap();
}
