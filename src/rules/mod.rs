//! Acceptance rules: whether an authentic certificate is accepted here and now (the `rules`
//! check). Two engines, one [`RuleSet`] each: the EU business rules in CertLogic ([`eu`], over
//! [`certlogic`]) and the French pass-sanitaire rule sets ([`Rules`]). Both report per-rule
//! [`RuleResult`]s and refuse in the one [`Violation`] vocabulary.

use core::fmt;
use std::sync::Arc;

use serde::Deserialize;

use crate::time::UnixTime;

pub mod certlogic;
pub mod eu;
mod france;
mod set;

pub use self::france::{
    names, DelayChange, RecoveryRules, RuleDate, Rules, RulesError, TestRules, VaccinationRules,
};
pub use self::set::RuleSet;

/// Why the acceptance rules refuse a certificate. Messages carry rule parameters, never dates
/// or other health data.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Violation {
    /// The test type is in neither the PCR nor the antigen list.
    #[error("test type not accepted")]
    TestTypeNotAccepted,
    /// The result is neither negative nor positive (indeterminate, non-compliant, unknown).
    #[error("test result neither negative nor positive")]
    TestNotNegative,
    /// A negative test older than its limit.
    #[error("negative test older than {max_hours} hours")]
    TestTooOld {
        /// The limit.
        max_hours: u32,
    },
    /// Sampled after the verification time.
    #[error("test sampled after the verification time")]
    TestNotYetValid,
    /// Negative tests are not accepted at the holder's age.
    #[error("negative tests not accepted from age {age}")]
    TestNotAcceptedForAge {
        /// The age limit.
        age: AgePeriod,
    },
    /// Fewer doses than the series needs.
    #[error("vaccination series incomplete")]
    VaccinationIncomplete,
    /// Too soon after the last dose.
    #[error("vaccination counts from day {from_day} after the last dose")]
    VaccinationNotYetValid {
        /// The delay.
        from_day: u32,
    },
    /// A booster past its validity.
    #[error("booster older than {max_days} days")]
    VaccinationExpired {
        /// The limit.
        max_days: u32,
    },
    /// A primary series (or Janssen dose) past its validity: a booster is needed.
    #[error("primary vaccination older than {max_days} days: booster required")]
    BoosterRequired {
        /// The limit.
        max_days: u32,
    },
    /// Too soon after the positive test.
    #[error("recovery counts from day {from_day} after the positive test")]
    RecoveryNotYetValid {
        /// The delay.
        from_day: u32,
    },
    /// Too long after the positive test, or past the certificate's `du`.
    #[error("recovery older than {until_day} days or past its valid-until date")]
    RecoveryExpired {
        /// The limit.
        until_day: u32,
    },
    /// The content has nothing the rules can judge (no entry, unreadable date, other document,
    /// no rule for it).
    #[error("rules not applicable: {detail}")]
    NotApplicable {
        /// What is missing.
        detail: &'static str,
    },
    /// An EU business rule evaluated to `false`.
    #[error("rule {id} failed")]
    RuleFailed {
        /// The first failed rule's identifier.
        id: String,
    },
    /// An EU business rule could not be evaluated (OPEN) and open rules are not accepted.
    #[error("rule {id} not evaluated ({reason})")]
    RuleOpen {
        /// The first open rule's identifier.
        id: String,
        /// Why it is open.
        reason: OpenReason,
    },
}

/// One rule's result, the same shape for every engine. The texts are shared with the loaded
/// rule (a result costs no copy of them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleResult {
    /// The rule's identifier (`VR-EU-0001`; the French engine's are `FR-...`).
    pub id: Arc<str>,
    /// Its version.
    pub version: Arc<str>,
    /// Passed, failed or open.
    pub outcome: RuleOutcome,
    /// What the rule requires, in the language asked for (English as fallback).
    pub description: Arc<str>,
}

/// The outcome of one rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RuleOutcome {
    /// The rule holds.
    Passed,
    /// The rule does not hold.
    Failed,
    /// The rule was not evaluated: not a pass.
    Open(OpenReason),
}

impl RuleOutcome {
    /// `passed`, `failed` or `open`.
    pub const fn name(&self) -> &'static str {
        match self {
            Self::Passed => "passed",
            Self::Failed => "failed",
            Self::Open(_) => "open",
        }
    }
}

/// Why a rule is OPEN.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum OpenReason {
    /// The rule's `Engine` is not CertLogic.
    Engine,
    /// Its `EngineVersion` is newer than the CertLogic this library implements.
    EngineVersion,
    /// Its `SchemaVersion` does not fit the certificate's `ver`.
    SchemaVersion,
    /// Its CertLogic is invalid (refused at load): the issues, with their JSON paths.
    InvalidLogic(String),
    /// Evaluation failed (a type mismatch, an unreadable date...): the message.
    Evaluation(String),
    /// The logic gave something other than `true` or `false`.
    NotBoolean,
}

impl OpenReason {
    /// A stable code: `engine`, `engine_version`, `schema_version`, `invalid_logic`,
    /// `evaluation_error`, `not_boolean`.
    pub const fn code(&self) -> &'static str {
        match self {
            Self::Engine => "engine",
            Self::EngineVersion => "engine_version",
            Self::SchemaVersion => "schema_version",
            Self::InvalidLogic(_) => "invalid_logic",
            Self::Evaluation(_) => "evaluation_error",
            Self::NotBoolean => "not_boolean",
        }
    }
}

impl fmt::Display for OpenReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Evaluation(message) => write!(f, "evaluation error: {message}"),
            Self::InvalidLogic(issues) => write!(f, "{issues}"),
            other => f.write_str(other.code()),
        }
    }
}

/// An age such as `P18Y1M` (ISO 8601 years and months; `P0Y` is every age).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AgePeriod {
    /// Whole years.
    pub years: u16,
    /// Months on top of the years.
    pub months: u16,
}

impl AgePeriod {
    /// Parses `PnY`, `PnM` or `PnYnM`.
    pub fn parse(text: &str) -> Option<Self> {
        let mut rest = text.strip_prefix('P')?;
        let (mut years, mut months, mut any) = (0u16, 0u16, false);
        for (unit, slot) in [('Y', &mut years), ('M', &mut months)] {
            if let Some((number, after)) = rest.split_once(unit) {
                if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                *slot = number.parse().ok()?;
                rest = after;
                any = true;
            }
        }
        (any && rest.is_empty() && years <= 150 && months <= 1_800)
            .then_some(Self { years, months })
    }

    /// The date (as midnight UTC) someone born on `birth` reaches this age; the day is clamped to
    /// the end of a shorter month.
    fn reached_on(self, birth: (i64, u32, u32)) -> Option<UnixTime> {
        let (year, month, day) = birth;
        let total = i64::from(month)
            .checked_sub(1)?
            .checked_add(i64::from(self.months))?;
        let year = year
            .checked_add(i64::from(self.years))?
            .checked_add(total.div_euclid(12))?;
        let month = u32::try_from(total.rem_euclid(12).checked_add(1)?).ok()?;
        (0..4u32).find_map(|back| UnixTime::from_date(year, month, day.checked_sub(back)?))
    }
}

impl fmt::Display for AgePeriod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "P{}Y{}M", self.years, self.months)
    }
}

impl<'de> Deserialize<'de> for AgePeriod {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Self::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!("{text:?} is not an age such as P18Y1M"))
        })
    }
}
