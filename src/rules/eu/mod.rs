//! The EU business rules: Gateway rules in CertLogic, selected per scan as the reference apps
//! select them, evaluated on a DCC with the value sets, one [`RuleResult`] per rule.
//!
//! Selection (dgc-certlogic-android's `DefaultGetRulesUseCase`, with the `SchemaVersion` check
//! its engine meant): the rules of the set's types (`Acceptance` by default) of the arrival
//! country and region (`""` when none), plus the `Invalidation` rules of the issuing country;
//! of those, the ones whose `CertificateType` is the certificate's or `General` and that are in
//! force at the validation clock; of each `Identifier`, the highest `Version`. A selected rule
//! is OPEN (not evaluated) when its engine or engine version is not CertLogic 1.x, when its
//! `SchemaVersion` does not fit the DCC's `ver` (same major, `ver` not older), when evaluation
//! fails, or when the logic yields something other than a boolean.

use std::collections::BTreeMap;
use std::sync::Arc;

use base64::Engine as _;
use serde_json::Value as Json;
use sha2::{Digest, Sha256};

mod error;
mod rule;
mod value_sets;

pub use self::error::EuRulesError;
pub use self::rule::{Rule, RuleCertificateType, RuleType, SemVer, CERTLOGIC_ENGINE};

use self::rule::{RuleLogic, Wire};
pub use self::value_sets::{ValueSetEntry, ValueSets};

use super::{OpenReason, RuleOutcome, RuleResult, Violation};
use crate::eudcc::payload::Node;
use crate::limits::{MAX_RULES, MAX_RULES_BYTES};
use crate::rules::certlogic::Value;
use crate::time::UnixTime;

/// EU rules and the value sets they read: one named rule set of a verifier.
#[derive(Clone, Debug, Default)]
pub struct EuRules {
    rules: Vec<Rule>,
    /// The indices in `rules` of each country's rules: a scan looks at two countries' rules
    /// (arrival and issuer), not at every country's.
    by_country: BTreeMap<String, Vec<usize>>,
    value_sets: ValueSets,
    types: Vec<RuleType>,
}

/// What one scan is checked for: the arrival country and region, the time rules are judged at,
/// and the language of the descriptions.
#[derive(Clone, Copy, Debug)]
pub struct Scan<'a> {
    /// The arrival country (`countryCode`), ISO 3166 alpha-2.
    pub country: &'a str,
    /// The region within it, `""` when none.
    pub region: &'a str,
    /// The validation clock.
    pub clock: UnixTime,
    /// A language tag for descriptions (`en`, `de`, `fr-CH`...), English when absent.
    pub lang: &'a str,
}

/// What the rules read of a certificate besides its payload (`external`).
#[derive(Clone, Copy, Debug, Default)]
pub struct CertificateFacts<'a> {
    /// `iss`: the issuing country.
    pub issuer_country: Option<&'a str>,
    /// `iat`.
    pub issued_at: Option<UnixTime>,
    /// `exp`.
    pub expires_at: Option<UnixTime>,
    /// The kid of the signer.
    pub kid: Option<&'a [u8]>,
}

impl EuRules {
    /// No rules yet, the given value sets, selecting `Acceptance` rules.
    pub fn new(value_sets: ValueSets) -> Self {
        Self {
            rules: Vec::new(),
            by_country: BTreeMap::new(),
            value_sets,
            types: vec![RuleType::Acceptance],
        }
    }

    /// The same rules, selecting rules of `types` for the arrival country instead of
    /// `Acceptance` (e.g. the German domestic `ImpfstatusBZwei`); `Invalidation` rules of the
    /// issuer always apply.
    #[must_use]
    pub fn with_types(mut self, types: Vec<RuleType>) -> Self {
        self.types = types;
        self
    }

    /// Adds the rules of a JSON document: one rule, or a list of rules (as stored downloads
    /// keep them, each with its `hash`); returns how many. All or nothing: on error no rule is
    /// added. A rule whose CertLogic is invalid is added, OPEN wherever selected: see
    /// [`EuRules::invalid_rules`].
    ///
    /// A `hash` inside such a list is kept but cannot be checked: it is the SHA-256 of the
    /// bytes the Gateway served, which a re-serialised list no longer has (see
    /// [`EuRules::add_gateway_rule`] for the check on the bytes as served).
    ///
    /// # Errors
    /// [`EuRulesError`] naming the first invalid rule and why.
    pub fn add_json(&mut self, bytes: &[u8]) -> Result<usize, EuRulesError> {
        if bytes.len() > MAX_RULES_BYTES {
            return Err(format_error(&format!("more than {MAX_RULES_BYTES} bytes")));
        }
        // Straight from the bytes into rules (a download is read once per update); only when
        // that fails is the document read again as JSON, to name the rule at fault.
        let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
        let wires = match first {
            Some(b'[') => serde_json::from_slice::<Vec<Wire>>(bytes).ok(),
            _ => serde_json::from_slice::<Wire>(bytes)
                .ok()
                .map(|wire| vec![wire]),
        };
        let Some(wires) = wires else {
            return Err(explain(bytes));
        };
        let rules = wires
            .into_iter()
            .map(Rule::from_wire)
            .collect::<Result<Vec<_>, _>>()?;
        self.extend(rules)
    }
}

/// Why `bytes` are not rules: the first rule that does not read, or the document's fault.
fn explain(bytes: &[u8]) -> EuRulesError {
    let json = match parse(bytes) {
        Ok(json) => json,
        Err(e) => return e,
    };
    let items = match &json {
        Json::Array(items) => items.iter().collect::<Vec<_>>(),
        Json::Object(_) => vec![&json],
        _ => return format_error("neither a rule nor a list of rules"),
    };
    items
        .into_iter()
        .find_map(|item| Rule::from_json(item).err())
        .unwrap_or_else(|| format_error("unreadable rules"))
}

impl EuRules {
    /// Adds one rule as the Gateway serves it (`/rules/{country}/{hash}`): its bytes must
    /// hash to `hash` (64 hex digits, from the `/rules` list), or nothing is added.
    ///
    /// # Errors
    /// [`EuRulesError::HashMismatch`] when they do not; the errors of [`Rule::from_json`].
    pub fn add_gateway_rule(&mut self, bytes: &[u8], hash: &str) -> Result<(), EuRulesError> {
        let expected = rule::parse_sha256(hash.trim())
            .ok_or_else(|| format_error("the listed hash is not 64 hex digits"))?;
        let actual: [u8; 32] = Sha256::digest(bytes).into();
        if actual != expected {
            let json = parse(bytes).unwrap_or(Json::Null);
            let id = json.get("Identifier").and_then(Json::as_str);
            return Err(EuRulesError::HashMismatch {
                id: id.unwrap_or(hash).chars().take(64).collect(),
            });
        }
        let json = parse(bytes)?;
        let mut rule = Rule::from_json(&json)?;
        rule.hash = Some(expected);
        self.extend(vec![rule]).map(drop)
    }

    fn extend(&mut self, rules: Vec<Rule>) -> Result<usize, EuRulesError> {
        let count = rules.len();
        if self.rules.len().saturating_add(count) > MAX_RULES {
            return Err(format_error(&format!("more than {MAX_RULES} rules")));
        }
        for rule in rules {
            let at = self.rules.len();
            self.by_country
                .entry(rule.country.clone())
                .or_default()
                .push(at);
            self.rules.push(rule);
        }
        let rules = &self.rules;
        for indices in self.by_country.values_mut() {
            indices.sort_by(|&a, &b| match (rules.get(a), rules.get(b)) {
                (Some(a), Some(b)) => a
                    .identifier
                    .cmp(&b.identifier)
                    .then(b.version.cmp(&a.version)),
                _ => core::cmp::Ordering::Equal,
            });
        }
        Ok(count)
    }

    /// Replaces the value sets.
    pub fn set_value_sets(&mut self, value_sets: ValueSets) {
        self.value_sets = value_sets;
    }

    /// The value sets.
    pub fn value_sets(&self) -> &ValueSets {
        &self.value_sets
    }

    /// The rules whose CertLogic the validator refused, with why: `(identifier, issues)`.
    pub fn invalid_rules(&self) -> impl Iterator<Item = (&str, &str)> {
        self.rules
            .iter()
            .filter_map(|r| Some((r.identifier.as_str(), r.logic_error()?)))
    }

    /// Every rule loaded.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The countries whose rules are loaded, sorted, each once.
    pub fn countries(&self) -> Vec<&str> {
        let mut countries: Vec<&str> = self.rules.iter().map(|r| r.country.as_str()).collect();
        countries.sort_unstable();
        countries.dedup();
        countries
    }

    /// The rules a certificate of `certificate_type` from `issuer_country` meets on `scan`
    /// (see the module documentation), sorted by identifier.
    pub fn select(
        &self,
        certificate_type: RuleCertificateType,
        issuer_country: Option<&str>,
        scan: &Scan<'_>,
    ) -> Vec<&Rule> {
        let arrival = self.by_country.get(scan.country);
        let issuer = issuer_country
            .filter(|&c| c != scan.country)
            .and_then(|c| self.by_country.get(c));
        // Each country's rules are sorted by identifier, newest version first (see `extend`):
        // the first rule of an identifier that fits is the one selected.
        let mut selected: Vec<&Rule> = Vec::new();
        let candidates = arrival.into_iter().chain(issuer).flatten();
        for rule in candidates.filter_map(|&at| self.rules.get(at)) {
            let applies = match rule.rule_type {
                RuleType::Invalidation => issuer_country == Some(rule.country.as_str()),
                _ => {
                    self.types.contains(&rule.rule_type)
                        && rule.country == scan.country
                        && rule.region == scan.region
                }
            };
            let fits = rule.certificate_type == RuleCertificateType::General
                || rule.certificate_type == certificate_type;
            let taken = selected
                .last()
                .is_some_and(|last| last.identifier == rule.identifier);
            if applies && fits && !taken && rule.in_force_at(scan.clock) {
                selected.push(rule);
            }
        }
        selected.sort_by(|a, b| a.identifier.cmp(&b.identifier));
        selected
    }

    /// Evaluates the rules selected for a DCC (its payload as JSON) on `scan`, one result per
    /// selected rule (none: no rule applies).
    ///
    /// # Errors
    /// [`Violation::NotApplicable`] when the DCC holds not exactly one kind of entry.
    pub fn evaluate_json(
        &self,
        dcc: &Json,
        facts: &CertificateFacts<'_>,
        scan: &Scan<'_>,
    ) -> Result<Vec<RuleResult>, Violation> {
        self.evaluate_node(&Node::from_json(dcc), facts, scan)
    }

    /// [`EuRules::evaluate_json`] over the payload as read from CBOR.
    pub(crate) fn evaluate_node(
        &self,
        dcc: &Node<'_>,
        facts: &CertificateFacts<'_>,
        scan: &Scan<'_>,
    ) -> Result<Vec<RuleResult>, Violation> {
        let certificate_type = certificate_type(dcc).ok_or(Violation::NotApplicable {
            detail: "not exactly one kind of entry (v, t or r)",
        })?;
        let selected = self.select(certificate_type, facts.issuer_country, scan);
        if selected.is_empty() {
            return Ok(Vec::new());
        }
        let version = dcc
            .get("ver")
            .and_then(Node::as_str)
            .and_then(SemVer::parse);
        let data = Value::object(vec![
            (Arc::from("payload"), value_of(dcc)),
            (Arc::from("external"), self.external(facts, scan)),
        ]);
        Ok(selected
            .into_iter()
            .map(|rule| RuleResult {
                id: Arc::clone(&rule.shared.id),
                version: Arc::clone(&rule.shared.version),
                description: rule.shared_description(scan.lang),
                outcome: outcome(rule, version, &data),
            })
            .collect())
    }

    fn external(&self, facts: &CertificateFacts<'_>, scan: &Scan<'_>) -> Value {
        let text = |t: Option<&str>| t.map_or(Value::Null, Value::str);
        let time = |t: Option<UnixTime>| t.map_or(Value::Null, |t| Value::str(&t.to_string()));
        let kid = facts
            .kid
            .map(|kid| base64::engine::general_purpose::STANDARD.encode(kid));
        Value::object(vec![
            (Arc::from("validationClock"), time(Some(scan.clock))),
            (Arc::from("valueSets"), self.value_sets.external()),
            (Arc::from("countryCode"), Value::str(scan.country)),
            (Arc::from("region"), Value::str(scan.region)),
            (Arc::from("exp"), time(facts.expires_at)),
            (Arc::from("iat"), time(facts.issued_at)),
            (Arc::from("issuerCountryCode"), text(facts.issuer_country)),
            (Arc::from("kid"), text(kid.as_deref())),
        ])
    }
}

/// The outcome of one selected rule.
fn outcome(rule: &Rule, dcc_version: Option<SemVer>, data: &Value) -> RuleOutcome {
    let logic = match &rule.logic {
        RuleLogic::Ready(logic) => logic,
        RuleLogic::NotRun if rule.engine != CERTLOGIC_ENGINE => {
            return RuleOutcome::Open(OpenReason::Engine)
        }
        RuleLogic::NotRun => return RuleOutcome::Open(OpenReason::EngineVersion),
        RuleLogic::Invalid(why) => return RuleOutcome::Open(OpenReason::InvalidLogic(why.clone())),
    };
    let fits = dcc_version
        .is_some_and(|v| v.major == rule.schema_version.major && v >= rule.schema_version);
    if !fits {
        return RuleOutcome::Open(OpenReason::SchemaVersion);
    }
    match logic.evaluate(data) {
        Ok(Value::Bool(true)) => RuleOutcome::Passed,
        Ok(Value::Bool(false)) => RuleOutcome::Failed,
        Ok(_) => RuleOutcome::Open(OpenReason::NotBoolean),
        Err(e) => RuleOutcome::Open(OpenReason::Evaluation(e.to_string())),
    }
}

/// Vaccination, test or recovery, when the DCC holds exactly one kind of entry.
fn certificate_type(dcc: &Node<'_>) -> Option<RuleCertificateType> {
    let present = |key| {
        dcc.get(key)
            .and_then(Node::as_array)
            .is_some_and(|a| !a.is_empty())
    };
    match (present("v"), present("t"), present("r")) {
        (true, false, false) => Some(RuleCertificateType::Vaccination),
        (false, true, false) => Some(RuleCertificateType::Test),
        (false, false, true) => Some(RuleCertificateType::Recovery),
        _ => None,
    }
}

/// The payload as a CertLogic value.
fn value_of(node: &Node<'_>) -> Value {
    match node {
        Node::Null => Value::Null,
        Node::Bool(b) => Value::Bool(*b),
        Node::Int(i) => match i64::try_from(*i) {
            Ok(i) => Value::Int(i),
            #[allow(clippy::as_conversions, clippy::cast_precision_loss)] // as JSON reads it
            Err(_) => Value::Float(*i as f64),
        },
        Node::Float(f) => Value::number(*f),
        Node::Text(s) => Value::str(s),
        Node::Array(items) => Value::Array(items.iter().map(value_of).collect()),
        Node::Map(entries) => Value::object(
            entries
                .iter()
                .map(|(k, v)| (Arc::from(k.as_ref()), value_of(v)))
                .collect(),
        ),
    }
}

fn parse(bytes: &[u8]) -> Result<Json, EuRulesError> {
    if bytes.len() > MAX_RULES_BYTES {
        return Err(format_error(&format!("more than {MAX_RULES_BYTES} bytes")));
    }
    serde_json::from_slice(bytes).map_err(|e| format_error(&format!("not JSON: {e}")))
}

fn format_error(detail: &str) -> EuRulesError {
    EuRulesError::Format {
        detail: detail.to_string(),
    }
}

#[cfg(test)]
mod tests;
