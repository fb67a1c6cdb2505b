//! One business rule in the DCC Gateway format (`validation-rule.schema.json`), read strictly
//! where the verdict depends on it (versions, validity, certificate type, the logic) and as
//! served where real rules stray from the schema (identifiers such as `GR-AT-0000`, national
//! `Type`s such as the German `ImpfstatusBZwei`, ids and countries of other lengths).

use core::fmt;

use std::sync::Arc;

use serde::Deserialize;
use serde_json::Value as Json;

use super::error::EuRulesError;
use crate::limits::{MAX_RULE_DESCRIPTIONS, MAX_RULE_TEXT_BYTES};
use crate::rules::certlogic::{Logic, Value};
use crate::time::UnixTime;

/// The engine name CertLogic rules carry.
pub const CERTLOGIC_ENGINE: &str = "CERTLOGIC";

/// A `major.minor.patch` version (anything after the patch number, such as `-rc1`, is ignored,
/// as the schema's unanchored pattern allows it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SemVer {
    /// Major.
    pub major: u32,
    /// Minor.
    pub minor: u32,
    /// Patch.
    pub patch: u32,
}

impl SemVer {
    /// Parses `1.0.0`, `1.3.0-rc1`...; `None` for anything else.
    pub fn parse(text: &str) -> Option<Self> {
        let mut parts = text.splitn(3, '.');
        let number = |part: &str| -> Option<u32> {
            (!part.is_empty() && part.len() <= 9 && part.bytes().all(|b| b.is_ascii_digit()))
                .then(|| part.parse().ok())
                .flatten()
        };
        let major = number(parts.next()?)?;
        let minor = number(parts.next()?)?;
        let rest = parts.next()?;
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let patch = number(rest.get(..digits)?)?;
        Some(Self {
            major,
            minor,
            patch,
        })
    }
}

impl fmt::Display for SemVer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

/// What a rule decides: admission (`Acceptance`), the issuer's own withdrawal of certificates
/// (`Invalidation`), or a national mode (the German `ImpfstatusBZwei`, `Mask`...).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RuleType {
    /// Entry rules of the arrival country.
    Acceptance,
    /// Rules of the issuing country, applied wherever its certificates are checked.
    Invalidation,
    /// Any other type, selected only by a rule set that asks for it by name.
    Other(String),
}

impl RuleType {
    /// The type the Gateway names `name` (`Acceptance`, `Invalidation`, any other name as
    /// [`RuleType::Other`]).
    pub fn from_name(name: &str) -> Self {
        match name {
            "Acceptance" => Self::Acceptance,
            "Invalidation" => Self::Invalidation,
            other => Self::Other(other.to_string()),
        }
    }

    /// The name as the Gateway writes it.
    pub fn name(&self) -> &str {
        match self {
            Self::Acceptance => "Acceptance",
            Self::Invalidation => "Invalidation",
            Self::Other(name) => name,
        }
    }
}

/// The certificates a rule is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RuleCertificateType {
    /// Every certificate.
    General,
    /// Tests.
    Test,
    /// Vaccinations.
    Vaccination,
    /// Recoveries.
    Recovery,
}

/// One rule, its logic validated.
#[derive(Clone, Debug)]
pub struct Rule {
    /// `Identifier`, such as `VR-EU-0001`.
    pub identifier: String,
    /// `Type`.
    pub rule_type: RuleType,
    /// `Country`: the country whose rule it is.
    pub country: String,
    /// `Region`, `""` when absent.
    pub region: String,
    /// `Version`.
    pub version: SemVer,
    /// `SchemaVersion`: the DCC schema version the logic reads.
    pub schema_version: SemVer,
    /// `Engine`.
    pub engine: String,
    /// `EngineVersion`.
    pub engine_version: SemVer,
    /// `CertificateType`.
    pub certificate_type: RuleCertificateType,
    /// `Description`: (language, text) pairs as given.
    pub descriptions: Vec<(String, Arc<str>)>,
    /// `ValidFrom`.
    pub valid_from: UnixTime,
    /// `ValidTo` (exclusive).
    pub valid_to: UnixTime,
    /// `AffectedFields`.
    pub affected_fields: Vec<String>,
    /// The Gateway's SHA-256 of the rule as served, when known.
    pub hash: Option<[u8; 32]>,
    /// The texts results share: the identifier and `version` as text.
    pub(super) shared: SharedTexts,
    /// The validated logic, or why there is none (the rule is then OPEN wherever it is
    /// selected, never dropped: a missing rule would admit more than its country does).
    pub(super) logic: RuleLogic,
}

/// A rule's identifier and version as results carry them, made once at load.
#[derive(Clone, Debug)]
pub(super) struct SharedTexts {
    pub(super) id: Arc<str>,
    pub(super) version: Arc<str>,
}

/// A rule's logic as loaded.
#[derive(Clone, Debug)]
pub(super) enum RuleLogic {
    /// Valid CertLogic, ready to run.
    Ready(Logic),
    /// Another engine, or a CertLogic version this library does not implement.
    NotRun,
    /// CertLogic the validator refuses: the issues, with their JSON paths.
    Invalid(String),
}

/// A rule as served, before its checks.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct Wire {
    identifier: String,
    #[serde(rename = "Type")]
    rule_type: String,
    country: String,
    #[serde(default)]
    region: Option<String>,
    version: String,
    schema_version: String,
    engine: String,
    engine_version: String,
    certificate_type: String,
    description: Vec<WireDescription>,
    valid_from: String,
    valid_to: String,
    #[serde(default)]
    affected_fields: Vec<String>,
    logic: Json,
    #[serde(default, rename = "hash")]
    hash: Option<String>,
}

#[derive(Deserialize)]
struct WireDescription {
    lang: String,
    desc: String,
}

impl Rule {
    /// Reads one rule from its JSON (a `hash` member, as in stored downloads, is kept). Logic
    /// the CertLogic validator refuses is not an error here but the rule's
    /// [`Rule::logic_error`]: the rule is kept, OPEN wherever it is selected.
    ///
    /// # Errors
    /// [`EuRulesError::Rule`] naming the rule (when its identifier could be read), the field
    /// and what is wrong.
    pub fn from_json(json: &Json) -> Result<Self, EuRulesError> {
        // Through the bytes: one reader of rules in the library (the one `EuRules::add_json`
        // uses), not a second one over `serde_json::Value` (20 KB of the mobile library).
        let wire = serde_json::to_vec(json)
            .map_err(|e| e.to_string())
            .and_then(|bytes| serde_json::from_slice::<Wire>(&bytes).map_err(|e| e.to_string()))
            .map_err(|detail| EuRulesError::Rule {
                id: identifier_of(json),
                detail,
            })?;
        Self::from_wire(wire)
    }

    /// The checks of [`Rule::from_json`] on a rule read straight from bytes.
    pub(super) fn from_wire(wire: Wire) -> Result<Self, EuRulesError> {
        let id: String = wire.identifier.chars().take(64).collect();
        let bad = |detail: String| EuRulesError::Rule {
            id: id.clone(),
            detail,
        };
        let logic = &wire.logic;
        let text = |field: &str, value: &str| {
            if value.is_empty() || value.len() > MAX_RULE_TEXT_BYTES {
                Err(bad(format!(
                    "{field}: empty or longer than {MAX_RULE_TEXT_BYTES} bytes"
                )))
            } else {
                Ok(())
            }
        };
        text("Identifier", &wire.identifier)?;
        text("Type", &wire.rule_type)?;
        text("Engine", &wire.engine)?;
        if !(wire.country.len() == 2 && wire.country.bytes().all(|b| b.is_ascii_uppercase())) {
            return Err(bad(format!(
                "Country: {:?} is not two capital letters",
                wire.country
            )));
        }
        let version = |field: &str, text: &str| {
            SemVer::parse(text)
                .ok_or_else(|| bad(format!("{field}: {text:?} is not a semantic version")))
        };
        let time = |field: &str, text: &str| {
            UnixTime::parse_rfc3339(text)
                .filter(|_| text.len() >= 20)
                .ok_or_else(|| {
                    bad(format!(
                        "{field}: {text:?} is not an ISO 8601 time with offset"
                    ))
                })
        };
        let certificate_type = match wire.certificate_type.as_str() {
            "General" => RuleCertificateType::General,
            "Test" => RuleCertificateType::Test,
            "Vaccination" => RuleCertificateType::Vaccination,
            "Recovery" => RuleCertificateType::Recovery,
            other => {
                return Err(bad(format!(
                    "CertificateType: {other:?} is not one of General, Test, Vaccination, Recovery"
                )))
            }
        };
        if wire.description.is_empty() || wire.description.len() > MAX_RULE_DESCRIPTIONS {
            return Err(bad(format!(
                "Description: 1 to {MAX_RULE_DESCRIPTIONS} entries needed"
            )));
        }
        let mut descriptions = Vec::with_capacity(wire.description.len());
        for d in wire.description {
            text("Description.lang", &d.lang)?;
            text("Description.desc", &d.desc)?;
            descriptions.push((d.lang, Arc::from(d.desc.as_str())));
        }
        let (valid_from, valid_to) = (
            time("ValidFrom", &wire.valid_from)?,
            time("ValidTo", &wire.valid_to)?,
        );
        if valid_from >= valid_to {
            return Err(bad("ValidFrom is not before ValidTo".to_string()));
        }
        let hash = wire
            .hash
            .map(|hex| {
                parse_sha256(&hex)
                    .ok_or_else(|| bad(format!("hash: {hex:?} is not a SHA-256 in hex")))
            })
            .transpose()?;
        let engine_version = version("EngineVersion", &wire.engine_version)?;
        let runs_here = wire.engine == CERTLOGIC_ENGINE && engine_supported(engine_version);
        let logic = match runs_here.then(|| Logic::compile(logic)) {
            Some(Ok(logic)) => RuleLogic::Ready(logic),
            Some(Err(e)) => RuleLogic::Invalid(e.to_string()),
            None => RuleLogic::NotRun,
        };
        let rule_version = version("Version", &wire.version)?;
        let shared = SharedTexts {
            id: Arc::from(wire.identifier.as_str()),
            version: Arc::from(rule_version.to_string().as_str()),
        };
        Ok(Self {
            shared,
            identifier: wire.identifier,
            rule_type: RuleType::from_name(&wire.rule_type),
            country: wire.country,
            region: wire.region.unwrap_or_default(),
            version: rule_version,
            schema_version: version("SchemaVersion", &wire.schema_version)?,
            engine: wire.engine,
            engine_version,
            certificate_type,
            descriptions,
            valid_from,
            valid_to,
            affected_fields: wire.affected_fields,
            hash,
            logic,
        })
    }

    /// The description in `lang` (`de`, or `de-ch` falling back to `de`), else English, else
    /// the first one given.
    pub fn description(&self, lang: &str) -> &str {
        self.description_at(lang)
            .and_then(|at| self.descriptions.get(at))
            .map_or("", |(_, d)| d)
    }

    /// [`Rule::description`] as results carry it.
    pub(super) fn shared_description(&self, lang: &str) -> Arc<str> {
        self.description_at(lang)
            .and_then(|at| self.descriptions.get(at))
            .map(|(_, d)| Arc::clone(d))
            .unwrap_or_else(|| Arc::from(""))
    }

    fn description_at(&self, lang: &str) -> Option<usize> {
        let primary = lang.split(['-', '_']).next().unwrap_or_default();
        let find = |wanted: &str| {
            self.descriptions
                .iter()
                .position(|(l, _)| l.eq_ignore_ascii_case(wanted))
        };
        find(lang)
            .or_else(|| find(primary))
            .or_else(|| find("en"))
            .or_else(|| (!self.descriptions.is_empty()).then_some(0))
    }

    /// The validated logic; `None` when the rule's engine is not one this library runs, or
    /// its logic is invalid.
    pub fn logic(&self) -> Option<&Logic> {
        match &self.logic {
            RuleLogic::Ready(logic) => Some(logic),
            RuleLogic::NotRun | RuleLogic::Invalid(_) => None,
        }
    }

    /// Why the validator refused the rule's CertLogic (every issue, with its JSON path).
    pub fn logic_error(&self) -> Option<&str> {
        match &self.logic {
            RuleLogic::Invalid(why) => Some(why),
            RuleLogic::Ready(_) | RuleLogic::NotRun => None,
        }
    }

    /// Runs one rule test (`rules/CC/ID/tests/*.json`: `{payload?, external, expected}`): the
    /// logic on `{"payload": payload, "external": external}`, compared with `expected` by deep
    /// equality; an evaluation error fails the test.
    ///
    /// # Errors
    /// What went wrong, for a report: a malformed test, an unrunnable rule, an evaluation
    /// error, or the value obtained instead of the one expected.
    pub fn run_test(&self, test: &Json) -> Result<(), String> {
        let Some(expected) = test.get("expected") else {
            return Err("not a rule test: no expected value".to_string());
        };
        // An absent payload is JavaScript's `undefined`: every `payload.*` reads as null.
        let payload = test.get("payload").cloned().unwrap_or(Json::Null);
        let logic = match &self.logic {
            RuleLogic::Ready(logic) => logic,
            RuleLogic::Invalid(why) => return Err(why.clone()),
            RuleLogic::NotRun => {
                return Err(format!(
                    "engine {} {} not run here",
                    self.engine, self.engine_version
                ))
            }
        };
        let external = test.get("external").cloned().unwrap_or(Json::Null);
        let data = serde_json::json!({ "payload": payload, "external": external });
        let got = logic
            .evaluate(&Value::from_json(&data))
            .map_err(|e| format!("evaluation error: {e}"))?
            .to_json();
        if &got == expected {
            Ok(())
        } else {
            Err(format!("expected {expected}, got {got}"))
        }
    }

    /// Whether the rule is in force at `clock`: `ValidFrom <= clock < ValidTo`.
    pub fn in_force_at(&self, clock: UnixTime) -> bool {
        self.valid_from <= clock && clock < self.valid_to
    }
}

/// A rule's `Identifier` for an error message, whatever else is wrong with it.
pub(super) fn identifier_of(json: &Json) -> String {
    let id = json.get("Identifier").and_then(Json::as_str);
    id.unwrap_or("(no Identifier)").chars().take(64).collect()
}

/// The CertLogic engine versions this evaluator stands in for: certlogic-js 0.x and 1.x, which
/// implement specification 1.x. A rule written for a later major version is OPEN.
fn engine_supported(version: SemVer) -> bool {
    version.major <= 1
}

/// 64 hex digits as 32 bytes.
pub(super) fn parse_sha256(hex: &str) -> Option<[u8; 32]> {
    let bytes = hex.as_bytes();
    if bytes.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (slot, pair) in out.iter_mut().zip(bytes.chunks_exact(2)) {
        let text = core::str::from_utf8(pair).ok()?;
        *slot = u8::from_str_radix(text, 16).ok()?;
    }
    Some(out)
}
