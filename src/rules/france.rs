//! The French pass-sanitaire rule sets: a [`Rules`] set read from a small JSON document (see
//! `rules/README.md` and the README's "Acceptance rules (France)"), evaluated over a DCC
//! payload or a 2D-DOC B2/L1 content at the caller's `now`.
//!
//! Day windows count civil days in the rule set's time zone (`time_zone`, `Europe/Paris` for
//! the French sets, as TAC-Verif counted them on a phone set to French time): "from day 7"
//! means valid from 00:00 in that zone of the seventh day after the event date, "until day 221"
//! valid to 23:59:59 of day 221 there; a birthday also starts at midnight there. Event dates
//! (vaccination, first positive test, valid-until) are calendar dates; an event with a time
//! (a test's sampling) falls on its civil day in the zone. Negative tests count exact hours
//! from the sampling instant, whatever the zone. An unknown date of birth (empty, or a
//! "lunar" 2D-DOC date) is judged as if the holder were over every age threshold; unknown
//! day or month count as the 1st.

use serde::Deserialize;
use serde_json::Value;

use super::{AgePeriod, Violation};
use crate::eudcc::payload::Node;
use crate::time::{TimeZone, UnixTime, SECS_PER_HOUR};
use crate::twoddoc::{Content, CycleStatus, TestOutcome};

/// Day or hour limits above this are mistakes (100 years).
const MAX_DAYS: u32 = 36_500;
const MAX_HOURS: u32 = 8_760;

/// DCC `tr` value for "not detected".
const DCC_NEGATIVE: &str = "260415000";
/// DCC `tr` value for "detected".
const DCC_POSITIVE: &str = "260373001";

/// The built-in policies, one per distinct parameter set observed in TAC-Verif (named by the
/// date it was first observed; `-health` / `-vaccine` for the two sets from 2022-01-07).
const BUILT_IN: [(&str, &str); 17] = [
    (
        "fr-2021-12-07",
        include_str!("../../rules/fr-2021-12-07.json"),
    ),
    (
        "fr-2021-12-17",
        include_str!("../../rules/fr-2021-12-17.json"),
    ),
    (
        "fr-2021-12-22",
        include_str!("../../rules/fr-2021-12-22.json"),
    ),
    (
        "fr-2022-01-07-health",
        include_str!("../../rules/fr-2022-01-07-health.json"),
    ),
    (
        "fr-2022-01-07-vaccine",
        include_str!("../../rules/fr-2022-01-07-vaccine.json"),
    ),
    (
        "fr-2022-01-12-vaccine",
        include_str!("../../rules/fr-2022-01-12-vaccine.json"),
    ),
    (
        "fr-2022-01-14-vaccine",
        include_str!("../../rules/fr-2022-01-14-vaccine.json"),
    ),
    (
        "fr-2022-01-15-health",
        include_str!("../../rules/fr-2022-01-15-health.json"),
    ),
    (
        "fr-2022-01-15-vaccine",
        include_str!("../../rules/fr-2022-01-15-vaccine.json"),
    ),
    (
        "fr-2022-01-21-vaccine",
        include_str!("../../rules/fr-2022-01-21-vaccine.json"),
    ),
    (
        "fr-2022-03-02-health",
        include_str!("../../rules/fr-2022-03-02-health.json"),
    ),
    (
        "fr-2022-03-02-vaccine",
        include_str!("../../rules/fr-2022-03-02-vaccine.json"),
    ),
    (
        "fr-2022-03-15-health",
        include_str!("../../rules/fr-2022-03-15-health.json"),
    ),
    (
        "fr-2022-03-15-vaccine",
        include_str!("../../rules/fr-2022-03-15-vaccine.json"),
    ),
    // Aliases of the last sets under the names of the latest snapshot, for "the current rules".
    (
        "fr-2022-09-14-health",
        include_str!("../../rules/fr-2022-03-15-health.json"),
    ),
    (
        "fr-2022-09-14-vaccine",
        include_str!("../../rules/fr-2022-03-15-vaccine.json"),
    ),
    (
        "fr-latest",
        include_str!("../../rules/fr-2022-03-15-health.json"),
    ),
];

/// The names [`Rules::named`] accepts.
pub fn names() -> impl Iterator<Item = &'static str> {
    BUILT_IN.iter().map(|(name, _)| *name)
}

/// A rule set could not be loaded.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RulesError {
    /// Not JSON, an unknown or missing field, or a value of the wrong type.
    #[error("rules JSON: {0}")]
    Json(String),
    /// A value out of its range or inconsistent with another.
    #[error("rules: {field}: {detail}")]
    Invalid {
        /// The JSON path of the field, e.g. `vaccination.delay_days`.
        field: &'static str,
        /// What is wrong.
        detail: &'static str,
    },
    /// No built-in rule set has this name.
    #[error("no built-in rules named {0:?}")]
    UnknownName(String),
}

/// A calendar date `YYYY-MM-DD` in a rules document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RuleDate(UnixTime);

impl<'de> Deserialize<'de> for RuleDate {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        crate::eudcc::hcert::Date::parse(&text)
            .map(|date| Self(date.midnight_utc()))
            .ok_or_else(|| serde::de::Error::custom(format!("{text:?} is not a YYYY-MM-DD date")))
    }
}

impl<'de> Deserialize<'de> for TimeZone {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Self::from_name(&text).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "unknown time zone {text:?}: expected \"Europe/Paris\" or \"UTC\""
            ))
        })
    }
}

/// Tests: accepted types, how long a negative one counts, when a positive one counts as
/// recovery.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestRules {
    /// DCC `tt` codes of RT-PCR/NAAT tests, e.g. `LP6464-4`.
    pub dcc_pcr_types: Vec<String>,
    /// DCC `tt` codes of rapid antigen tests, e.g. `LP217198-3`.
    pub dcc_antigen_types: Vec<String>,
    /// 2D-DOC B2 `F4` LOINC codes (no hyphen) of RT-PCR tests, e.g. `945006`.
    pub b2_pcr_codes: Vec<String>,
    /// 2D-DOC B2 `F4` LOINC codes of antigen tests, e.g. `945584`.
    pub b2_antigen_codes: Vec<String>,
    /// A negative PCR test counts this many hours after sampling.
    pub negative_pcr_max_hours: u32,
    /// A negative antigen test counts this many hours after sampling.
    pub negative_antigen_max_hours: u32,
    /// A positive test counts as recovery from this day after sampling...
    pub positive_from_day: u32,
    /// ...to this day.
    pub positive_until_day: u32,
    /// Negative tests are accepted only for holders younger than this (`pass vaccinal`);
    /// absent: at every age.
    #[serde(default)]
    pub accepted_below_age: Option<AgePeriod>,
}

/// A booster delay that changed for doses given on or after a date.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DelayChange {
    /// Doses on or after this date...
    pub from_date: RuleDate,
    /// ...count from this day.
    pub delay_days: u32,
}

/// Vaccination: complete series (`dn >= sd`), start delays and expiries.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VaccinationRules {
    /// A complete primary series counts from this day after the last dose.
    pub delay_days: u32,
    /// ...until this day (for holders subject to expiry, see `expiry_from_age`).
    pub primary_max_days: u32,
    /// The same for a single dose after an infection (`1/1` other than Janssen).
    pub single_dose_after_infection_max_days: u32,
    /// DCC `mp` product codes of the Janssen vaccine.
    pub janssen_products: Vec<String>,
    /// Words that name the Janssen vaccine in a 2D-DOC L1 `L5`/`L6` (case-insensitive), which
    /// has no product code.
    pub janssen_names: Vec<String>,
    /// A Janssen `1/1` counts from this day...
    pub janssen_delay_days: u32,
    /// ...until this day; absent: no end.
    #[serde(default)]
    pub janssen_max_days: Option<u32>,
    /// A booster (`dn > sd`, or a third dose) counts from this day...
    pub booster_delay_days: u32,
    /// ...or from another day for doses given from a date.
    #[serde(default)]
    pub booster_delay_change: Option<DelayChange>,
    /// ...until this day; absent: no end.
    #[serde(default)]
    pub booster_max_days: Option<u32>,
    /// The primary series expires (`primary_max_days`) only for holders of this age; absent:
    /// it never expires.
    #[serde(default)]
    pub expiry_from_age: Option<AgePeriod>,
}

/// Recovery certificates (DCC `r`).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecoveryRules {
    /// Counts from this day after the first positive test (`fr`)...
    pub from_day: u32,
    /// ...until this day.
    pub until_day: u32,
    /// Also refuse a recovery certificate after its own `du` (valid until) date.
    pub honour_valid_until: bool,
}

/// One acceptance rule set. Load it with [`Rules::named`] or [`Rules::from_json`].
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    /// Where the values come from.
    #[serde(default)]
    pub description: String,
    /// The zone whose civil days the day windows and ages count (`Europe/Paris` or `UTC`).
    pub time_zone: TimeZone,
    /// Tests.
    pub tests: TestRules,
    /// Vaccination.
    pub vaccination: VaccinationRules,
    /// Recovery.
    pub recovery: RecoveryRules,
}

/// Where `now` falls relative to a window of days after an event.
enum Window {
    Before,
    Inside,
    After,
}

/// The day `now` falls on against days `from..=until` after the day numbered `event` (both
/// civil days of the rule set's zone, see [`TimeZone::day_number`]).
fn day_window(event: i64, today: i64, from: u32, until: Option<u32>) -> Window {
    let elapsed = today.saturating_sub(event);
    if elapsed < i64::from(from) {
        Window::Before
    } else if until.is_some_and(|u| elapsed > i64::from(u)) {
        Window::After
    } else {
        Window::Inside
    }
}

/// A date of birth with unknown parts set to 1; `None` when unknown or not a real date.
type Birth = Option<(i64, u32, u32)>;

impl Rules {
    /// A built-in rule set (see [`names`]).
    ///
    /// # Errors
    /// [`RulesError::UnknownName`].
    pub fn named(name: &str) -> Result<Self, RulesError> {
        let (_, json) = BUILT_IN
            .iter()
            .find(|(n, _)| *n == name)
            .ok_or_else(|| RulesError::UnknownName(name.to_owned()))?;
        Self::from_json(json.as_bytes())
    }

    /// Reads and validates a rules document.
    ///
    /// # Errors
    /// [`RulesError::Json`] for syntax, unknown or missing fields and wrong types;
    /// [`RulesError::Invalid`] for out-of-range or inconsistent values.
    pub fn from_json(bytes: &[u8]) -> Result<Self, RulesError> {
        let rules: Self =
            serde_json::from_slice(bytes).map_err(|e| RulesError::Json(e.to_string()))?;
        rules.validate()?;
        Ok(rules)
    }

    fn validate(&self) -> Result<(), RulesError> {
        let invalid = |field, detail| Err(RulesError::Invalid { field, detail });
        let t = &self.tests;
        let v = &self.vaccination;
        let r = &self.recovery;
        for (field, hours) in [
            ("tests.negative_pcr_max_hours", t.negative_pcr_max_hours),
            (
                "tests.negative_antigen_max_hours",
                t.negative_antigen_max_hours,
            ),
        ] {
            if !(1..=MAX_HOURS).contains(&hours) {
                return invalid(field, "must be 1 to 8760 hours");
            }
        }
        let days = [
            ("tests.positive_from_day", Some(t.positive_from_day)),
            ("tests.positive_until_day", Some(t.positive_until_day)),
            ("vaccination.delay_days", Some(v.delay_days)),
            ("vaccination.primary_max_days", Some(v.primary_max_days)),
            (
                "vaccination.single_dose_after_infection_max_days",
                Some(v.single_dose_after_infection_max_days),
            ),
            ("vaccination.janssen_delay_days", Some(v.janssen_delay_days)),
            ("vaccination.janssen_max_days", v.janssen_max_days),
            ("vaccination.booster_delay_days", Some(v.booster_delay_days)),
            (
                "vaccination.booster_delay_change.delay_days",
                v.booster_delay_change.as_ref().map(|c| c.delay_days),
            ),
            ("vaccination.booster_max_days", v.booster_max_days),
            ("recovery.from_day", Some(r.from_day)),
            ("recovery.until_day", Some(r.until_day)),
        ];
        for (field, value) in days {
            if value.is_some_and(|d| d > MAX_DAYS) {
                return invalid(field, "must be at most 36500 days");
            }
        }
        let ordered = [
            (
                "tests.positive_until_day",
                t.positive_from_day,
                Some(t.positive_until_day),
            ),
            (
                "vaccination.primary_max_days",
                v.delay_days,
                Some(v.primary_max_days),
            ),
            (
                "vaccination.single_dose_after_infection_max_days",
                v.delay_days,
                Some(v.single_dose_after_infection_max_days),
            ),
            (
                "vaccination.janssen_max_days",
                v.janssen_delay_days,
                v.janssen_max_days,
            ),
            (
                "vaccination.booster_max_days",
                v.booster_delay_days,
                v.booster_max_days,
            ),
            ("recovery.until_day", r.from_day, Some(r.until_day)),
        ];
        for (field, from, until) in ordered {
            if until.is_some_and(|u| u < from) {
                return invalid(field, "ends before the window starts");
            }
        }
        for (field, list) in [
            ("tests.dcc_pcr_types", &t.dcc_pcr_types),
            ("tests.dcc_antigen_types", &t.dcc_antigen_types),
            ("tests.b2_pcr_codes", &t.b2_pcr_codes),
            ("tests.b2_antigen_codes", &t.b2_antigen_codes),
            ("vaccination.janssen_products", &v.janssen_products),
            ("vaccination.janssen_names", &v.janssen_names),
        ] {
            if list.is_empty() || list.iter().any(String::is_empty) {
                return invalid(field, "must be a non-empty list of non-empty strings");
            }
        }
        Ok(())
    }

    /// Judges a DCC payload (the hcert JSON with `dob` and `v`, `t` or `r`) at `now`. With
    /// several entries, one acceptable entry suffices; otherwise the first entry's violation.
    ///
    /// # Errors
    /// The [`Violation`] that refuses it.
    pub fn check_dcc(&self, dcc: &Value, now: UnixTime) -> Result<(), Violation> {
        self.check_dcc_node(&Node::from_json(dcc), now)
    }

    /// [`Rules::check_dcc`] over the payload as read from CBOR.
    pub(crate) fn check_dcc_node(&self, dcc: &Node<'_>, now: UnixTime) -> Result<(), Violation> {
        let birth = dcc.get("dob").and_then(Node::as_str).and_then(dcc_birth);
        let mut first: Option<Violation> = None;
        let mut any = false;
        for (group, entries) in ["v", "t", "r"]
            .iter()
            .filter_map(|g| Some((*g, dcc.get(g)?.as_array()?)))
        {
            for entry in entries {
                any = true;
                let outcome = match group {
                    "v" => self.dcc_vaccination(entry, birth, now),
                    "t" => self.dcc_test(entry, birth, now),
                    _ => self.dcc_recovery(entry, now),
                };
                match outcome {
                    Ok(()) => return Ok(()),
                    Err(e) => {
                        first.get_or_insert(e);
                    }
                }
            }
        }
        Err(first.unwrap_or(Violation::NotApplicable {
            detail: if any {
                "unreadable entry"
            } else {
                "no v, t or r entry"
            },
        }))
    }

    /// Judges a 2D-DOC's typed content (B2 test or L1 vaccination) at `now`.
    ///
    /// # Errors
    /// The [`Violation`] that refuses it; [`Violation::NotApplicable`] for other documents.
    pub fn check_twoddoc(&self, content: &Content, now: UnixTime) -> Result<(), Violation> {
        let unreadable = |detail| Violation::NotApplicable { detail };
        match content {
            Content::TestResult(t) => {
                let birth = ddmmyyyy_birth(&t.birth_date);
                let sampled = t
                    .sampled_at_utc()
                    .ok_or_else(|| unreadable("sampling time"))?;
                let kind = if self.tests.b2_pcr_codes.contains(&t.analysis_code) {
                    TestKind::Pcr
                } else if self.tests.b2_antigen_codes.contains(&t.analysis_code) {
                    TestKind::Antigen
                } else {
                    return Err(Violation::TestTypeNotAccepted);
                };
                let result = match t.result {
                    TestOutcome::Negative => Some(true),
                    TestOutcome::Positive => Some(false),
                    TestOutcome::Indeterminate | TestOutcome::NonCompliant => None,
                };
                self.test(kind, result, sampled, birth, now)
            }
            Content::Vaccination(v) => {
                let birth = ddmmyyyy_birth(&v.birth_date);
                let last = v
                    .last_dose_day()
                    .ok_or_else(|| unreadable("last dose date"))?;
                // LA=TE with L7 < L8 is a series completed another way (e.g. after an
                // infection): complete, counted as received/received.
                let (dn, sd) = match v.status {
                    CycleStatus::Complete if v.dose_number < v.doses_expected => {
                        (u64::from(v.dose_number), u64::from(v.dose_number))
                    }
                    _ => (u64::from(v.dose_number), u64::from(v.doses_expected)),
                };
                let name = format!("{} {}", v.vaccine, v.manufacturer).to_ascii_uppercase();
                let janssen = self
                    .vaccination
                    .janssen_names
                    .iter()
                    .any(|n| name.contains(&n.to_ascii_uppercase()));
                self.vaccination(dn, sd, janssen, last, birth, now)
            }
            _ => Err(unreadable("not a B2 or L1 document")),
        }
    }

    fn dcc_vaccination(&self, v: &Node<'_>, birth: Birth, now: UnixTime) -> Result<(), Violation> {
        let unreadable = |detail| Violation::NotApplicable { detail };
        let dn = v.get("dn").and_then(Node::as_u64);
        let sd = v.get("sd").and_then(Node::as_u64);
        let (Some(dn), Some(sd)) = (dn, sd) else {
            return Err(unreadable("dose numbers"));
        };
        let date = v
            .get("dt")
            .and_then(Node::as_str)
            .and_then(dcc_date)
            .ok_or_else(|| unreadable("vaccination date"))?;
        let janssen = v
            .get("mp")
            .and_then(Node::as_str)
            .is_some_and(|mp| self.vaccination.janssen_products.iter().any(|p| p == mp));
        self.vaccination(dn, sd, janssen, date, birth, now)
    }

    fn vaccination(
        &self,
        dn: u64,
        sd: u64,
        janssen: bool,
        date: UnixTime,
        birth: Birth,
        now: UnixTime,
    ) -> Result<(), Violation> {
        let rules = &self.vaccination;
        if dn < sd || dn == 0 {
            return Err(Violation::VaccinationIncomplete);
        }
        let booster = dn > sd || dn >= 3;
        let (from, until, expired) = if booster {
            let from = match &rules.booster_delay_change {
                Some(change) if date >= change.from_date.0 => change.delay_days,
                _ => rules.booster_delay_days,
            };
            let max = rules.booster_max_days;
            (
                from,
                max,
                Violation::VaccinationExpired {
                    max_days: max.unwrap_or(0),
                },
            )
        } else if janssen && dn == 1 {
            let max = rules.janssen_max_days;
            (
                rules.janssen_delay_days,
                max,
                Violation::BoosterRequired {
                    max_days: max.unwrap_or(0),
                },
            )
        } else {
            let max = if dn == 1 {
                rules.single_dose_after_infection_max_days
            } else {
                rules.primary_max_days
            };
            // The primary series expires only once the holder reaches `expiry_from_age`.
            let subject = rules
                .expiry_from_age
                .is_some_and(|age| self.reached(age, birth, now));
            (
                rules.delay_days,
                subject.then_some(max),
                Violation::BoosterRequired { max_days: max },
            )
        };
        match day_window(date.day_number(), self.day_number(now), from, until) {
            Window::Before => Err(Violation::VaccinationNotYetValid { from_day: from }),
            Window::After => Err(expired),
            Window::Inside => Ok(()),
        }
    }

    fn dcc_test(&self, t: &Node<'_>, birth: Birth, now: UnixTime) -> Result<(), Violation> {
        let unreadable = |detail| Violation::NotApplicable { detail };
        let tt = t.get("tt").and_then(Node::as_str).unwrap_or_default();
        let kind = if self.tests.dcc_pcr_types.iter().any(|c| c == tt) {
            TestKind::Pcr
        } else if self.tests.dcc_antigen_types.iter().any(|c| c == tt) {
            TestKind::Antigen
        } else {
            return Err(Violation::TestTypeNotAccepted);
        };
        let sampled = t
            .get("sc")
            .and_then(Node::as_str)
            .and_then(UnixTime::parse_rfc3339)
            .ok_or_else(|| unreadable("sampling time"))?;
        let result = match t.get("tr").and_then(Node::as_str) {
            Some(DCC_NEGATIVE) => Some(true),
            Some(DCC_POSITIVE) => Some(false),
            _ => None,
        };
        self.test(kind, result, sampled, birth, now)
    }

    /// `negative`: `Some(true)` negative, `Some(false)` positive, `None` anything else.
    fn test(
        &self,
        kind: TestKind,
        negative: Option<bool>,
        sampled: UnixTime,
        birth: Birth,
        now: UnixTime,
    ) -> Result<(), Violation> {
        let rules = &self.tests;
        match negative {
            None => Err(Violation::TestNotNegative),
            Some(false) => match day_window(
                self.day_number(sampled),
                self.day_number(now),
                rules.positive_from_day,
                Some(rules.positive_until_day),
            ) {
                Window::Before => Err(Violation::RecoveryNotYetValid {
                    from_day: rules.positive_from_day,
                }),
                Window::After => Err(Violation::RecoveryExpired {
                    until_day: rules.positive_until_day,
                }),
                Window::Inside => Ok(()),
            },
            Some(true) => {
                if let Some(age) = rules.accepted_below_age {
                    if self.reached(age, birth, now) {
                        return Err(Violation::TestNotAcceptedForAge { age });
                    }
                }
                let max_hours = match kind {
                    TestKind::Pcr => rules.negative_pcr_max_hours,
                    TestKind::Antigen => rules.negative_antigen_max_hours,
                };
                let age_secs = now
                    .secs()
                    .checked_sub(sampled.secs())
                    .ok_or(Violation::TestNotYetValid)?;
                if age_secs < 0 {
                    Err(Violation::TestNotYetValid)
                } else if age_secs > i64::from(max_hours).saturating_mul(SECS_PER_HOUR) {
                    Err(Violation::TestTooOld { max_hours })
                } else {
                    Ok(())
                }
            }
        }
    }

    fn dcc_recovery(&self, r: &Node<'_>, now: UnixTime) -> Result<(), Violation> {
        let rules = &self.recovery;
        let date = |key| r.get(key).and_then(Node::as_str).and_then(dcc_date);
        let first_positive = date("fr").ok_or(Violation::NotApplicable {
            detail: "first positive test date",
        })?;
        let expired = Violation::RecoveryExpired {
            until_day: rules.until_day,
        };
        if rules.honour_valid_until {
            if let Some(until) = date("du") {
                if self.day_number(now) > until.day_number() {
                    return Err(expired);
                }
            }
        }
        match day_window(
            first_positive.day_number(),
            self.day_number(now),
            rules.from_day,
            Some(rules.until_day),
        ) {
            Window::Before => Err(Violation::RecoveryNotYetValid {
                from_day: rules.from_day,
            }),
            Window::After => Err(expired),
            Window::Inside => Ok(()),
        }
    }

    /// The number of the civil day, in the rule set's zone, holding the instant `t`.
    fn day_number(&self, t: UnixTime) -> i64 {
        // `None` only at the ends of the i64 range, where the zone makes no difference.
        self.time_zone
            .day_number(t)
            .unwrap_or_else(|| t.day_number())
    }

    /// Whether someone born on `birth` has reached `age` on the civil day of `now` (the
    /// birthday starts at midnight in the rule set's zone); an unknown birth date has.
    fn reached(&self, age: AgePeriod, birth: Birth, now: UnixTime) -> bool {
        birth
            .and_then(|b| age.reached_on(b))
            .is_none_or(|day| self.day_number(now) >= day.day_number())
    }
}

#[derive(Clone, Copy)]
enum TestKind {
    Pcr,
    Antigen,
}

/// A DCC date (`YYYY-MM-DD`, possibly followed by a time that is ignored).
fn dcc_date(text: &str) -> Option<UnixTime> {
    crate::eudcc::hcert::Date::parse(text.get(..10)?).map(crate::eudcc::hcert::Date::midnight_utc)
}

/// A DCC `dob`: `YYYY-MM-DD`, `YYYY-MM` or `YYYY` (unknown parts = 1, `00` = unknown).
fn dcc_birth(text: &str) -> Birth {
    let part = |range: core::ops::Range<usize>| -> Option<u32> {
        text.get(range).and_then(|s| s.parse().ok())
    };
    let year = i64::from(part(0..4)?);
    let month = part(5..7).filter(|m| *m != 0).unwrap_or(1);
    let day = part(8..10).filter(|d| *d != 0).unwrap_or(1);
    UnixTime::from_date(year, month, day).map(|_| (year, month, day))
}

/// A 2D-DOC birth date `DDMMYYYY` (`00` = unknown part; a "lunar" date is unknown).
fn ddmmyyyy_birth(text: &str) -> Birth {
    let part = |range: core::ops::Range<usize>| -> Option<u32> {
        text.get(range).and_then(|s| s.parse().ok())
    };
    let day = part(0..2).filter(|d| *d != 0).unwrap_or(1);
    let month = part(2..4).filter(|m| *m != 0).unwrap_or(1);
    let year = i64::from(part(4..8)?);
    UnixTime::from_date(year, month, day).map(|_| (year, month, day))
}

#[cfg(test)]
mod tests;
