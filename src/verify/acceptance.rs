//! The `rules` check: which rule set judges a scan (an explicit choice, "authenticity only"
//! included), and how each engine's per-rule results become the check's outcome.

use super::{Check, Report, SkipReason, Verifier};
use crate::eudcc::payload::Node;
use crate::rules::eu::{CertificateFacts, Scan};
use crate::rules::{RuleOutcome, RuleResult, RuleSet, Violation};
use crate::time::UnixTime;
use crate::twoddoc::Content;

/// What a scan is judged for beyond authenticity. There is no default: a verifier that only
/// checks authenticity says so, and its reports say admission was not evaluated.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Acceptance {
    /// Genuine, in force and not revoked, nothing more: the `rules` check is skipped
    /// ([`SkipReason::NotRequested`]) and [`Report::admission`] is
    /// [`Admission::NotEvaluated`].
    AuthenticityOnly,
    /// The verifier's rule set of this name (see [`Verifier::with_rule_set`]).
    RuleSet(String),
}

/// The choices made per scan: which rules, for where, in which language.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ScanOptions {
    /// Which rule set judges the scan.
    pub acceptance: Acceptance,
    /// The arrival country for EU rules (ISO 3166 alpha-2, e.g. `DE`).
    pub country: String,
    /// The region within it for EU rules, `""` when none.
    pub region: String,
    /// A language tag for rule descriptions (`en`, `de`...), English when not available.
    pub lang: String,
    /// Whether a rule that could not be evaluated (OPEN) lets the certificate pass. Off by
    /// default: an OPEN rule is then a failure with reason `rules_open`.
    pub accept_open_rules: bool,
}

impl ScanOptions {
    /// Options judging by `acceptance`, for no particular country, in English.
    pub fn new(acceptance: Acceptance) -> Self {
        Self {
            acceptance,
            country: String::new(),
            region: String::new(),
            lang: "en".to_string(),
            accept_open_rules: false,
        }
    }

    /// The same options for arrival in `country` (and `region`, `""` for none).
    #[must_use]
    pub fn for_country(mut self, country: &str, region: &str) -> Self {
        self.country = country.to_string();
        self.region = region.to_string();
        self
    }

    /// The same options with descriptions in `lang`.
    #[must_use]
    pub fn in_language(mut self, lang: &str) -> Self {
        self.lang = lang.to_string();
        self
    }
}

/// What a report says about admission: the decision a gate screen shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Admission {
    /// Valid, and the acceptance rules admit it.
    Admitted,
    /// Not valid: a check failed (authenticity, expiry, revocation or the rules).
    Refused,
    /// Authentic, in force and not revoked, but no rules judged it (authenticity only, or the
    /// rules could not run): the verifier does not say whether to admit.
    NotEvaluated,
}

impl Admission {
    /// `admitted`, `refused` or `not_evaluated`.
    pub const fn code(self) -> &'static str {
        match self {
            Self::Admitted => "admitted",
            Self::Refused => "refused",
            Self::NotEvaluated => "not_evaluated",
        }
    }
}

/// What the certificate offers the rules.
pub(super) enum Judged<'a> {
    Dcc(&'a Node<'a>, CertificateFacts<'a>),
    TwoDDoc(&'a Content),
}

impl Verifier {
    /// Runs the `rules` check for `scan` on an authentic certificate.
    pub(super) fn judge(
        &self,
        judged: Judged<'_>,
        now: UnixTime,
        scan: &ScanOptions,
        report: &mut Report,
    ) {
        let name = match &scan.acceptance {
            Acceptance::AuthenticityOnly => {
                report.skip(Check::Rules, SkipReason::NotRequested);
                return;
            }
            Acceptance::RuleSet(name) => name,
        };
        report.rule_set = Some(name.clone());
        let Some(set) = self.rule_sets.get(name) else {
            let missing = Violation::NotApplicable {
                detail: "no rule set of that name on this verifier",
            };
            return report.fail(Check::Rules, super::Error::Rules(missing));
        };
        let outcome = match (&**set, judged) {
            (RuleSet::France(rules), Judged::Dcc(dcc, _)) => {
                french(rules.check_dcc_node(dcc, now), &rules.description, report)
            }
            (RuleSet::France(rules), Judged::TwoDDoc(content)) => french(
                rules.check_twoddoc(content, now),
                &rules.description,
                report,
            ),
            (RuleSet::Eu(rules), Judged::Dcc(dcc, facts)) => {
                let eu_scan = Scan {
                    country: &scan.country,
                    region: &scan.region,
                    clock: now,
                    lang: &scan.lang,
                };
                rules
                    .evaluate_node(dcc, &facts, &eu_scan)
                    .and_then(|results| {
                        let outcome = eu(&results, scan.accept_open_rules);
                        report.rule_results = results;
                        outcome
                    })
            }
            (RuleSet::Eu(_), Judged::TwoDDoc(_)) => Err(Violation::NotApplicable {
                detail: "EU business rules judge EU DCCs only",
            }),
        };
        match outcome {
            Ok(()) => report.pass(Check::Rules),
            Err(v) => report.fail(Check::Rules, super::Error::Rules(v)),
        }
    }
}

/// The French engine's outcome, as one rule result.
fn french(
    outcome: Result<(), Violation>,
    description: &str,
    report: &mut Report,
) -> Result<(), Violation> {
    report.rule_results = vec![RuleResult {
        id: "FR-RULES".to_string(),
        version: String::new(),
        outcome: if outcome.is_ok() {
            RuleOutcome::Passed
        } else {
            RuleOutcome::Failed
        },
        description: match &outcome {
            Ok(()) => description.to_string(),
            Err(v) => v.to_string(),
        },
    }];
    outcome
}

/// The EU rules' outcome: the first failed rule refuses; else the first open one unless open
/// rules are accepted; no rule at all cannot admit.
fn eu(results: &[RuleResult], accept_open: bool) -> Result<(), Violation> {
    if results.is_empty() {
        return Err(Violation::NotApplicable {
            detail: "no rule of the arrival country applies to this certificate",
        });
    }
    if let Some(failed) = results.iter().find(|r| r.outcome == RuleOutcome::Failed) {
        return Err(Violation::RuleFailed {
            id: failed.id.clone(),
        });
    }
    let open = results.iter().find_map(|r| match &r.outcome {
        RuleOutcome::Open(reason) => Some((r, reason)),
        _ => None,
    });
    match open {
        Some((rule, reason)) if !accept_open => Err(Violation::RuleOpen {
            id: rule.id.clone(),
            reason: reason.clone(),
        }),
        _ => Ok(()),
    }
}
