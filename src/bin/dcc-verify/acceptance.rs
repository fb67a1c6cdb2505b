//! `verify`'s acceptance policy, an explicit choice: authenticity only, French rules, or EU
//! business rules for an arrival country.

use std::path::PathBuf;

use dcc_verifier::rules::eu::{EuRules, RuleType, ValueSets};
use dcc_verifier::rules::{names, RuleSet, Rules};
use dcc_verifier::{Acceptance, ScanOptions};

use crate::read_file;

/// The rule set `--eu-rules` loads, as the JSON report's `rule_set` names it.
const EU_RULE_SET: &str = "eu";

#[derive(clap::Args)]
#[command(next_help_heading = "Acceptance policy (exactly one of the first three)")]
pub(crate) struct AcceptanceArgs {
    /// Check that the pass is genuine, in force and not revoked, and apply no entry rules: the
    /// report says admission was not evaluated.
    #[arg(long)]
    authenticity_only: bool,
    /// French acceptance rules: a built-in name (`dcc-verify rules list`) or a rules JSON file.
    #[arg(long, value_name = "NAME|FILE")]
    rules: Option<String>,
    /// EU business rules, repeatable: a Gateway rule JSON or a list of rules (a stored
    /// download). Needs --country.
    #[arg(long = "eu-rules", value_name = "FILE")]
    eu_rules: Vec<PathBuf>,
    /// Value sets the EU rules read, repeatable and merged: the Gateway's list of value sets or
    /// the one-object-per-set form. Without them, rules that read value sets are open.
    #[arg(long = "value-sets", value_name = "FILE", requires = "eu_rules")]
    value_sets: Vec<PathBuf>,
    /// The arrival country (ISO 3166 alpha-2) whose EU rules apply.
    #[arg(long, value_name = "CC", requires = "eu_rules")]
    country: Option<String>,
    /// The region within the country whose rules apply [default: none]
    #[arg(long, value_name = "R", requires = "eu_rules")]
    region: Option<String>,
    /// The language of rule descriptions, English when a rule has none in it [default: en]
    #[arg(long, value_name = "LL", requires = "eu_rules")]
    lang: Option<String>,
    /// The rule type selected for the arrival country, repeatable [default: Acceptance] (e.g.
    /// `ImpfstatusBZwei` for the German domestic rules); the issuer's Invalidation rules always
    /// apply.
    #[arg(long = "rule-type", value_name = "TYPE", requires = "eu_rules")]
    rule_types: Vec<String>,
    /// Let a rule that could not be evaluated (open) pass instead of refusing the pass.
    #[arg(long, requires = "eu_rules")]
    accept_open_rules: bool,
}

/// The chosen policy: the rule set to hold (none for authenticity only) and the scan options
/// that apply it.
pub(crate) struct Choice {
    pub(crate) rule_set: Option<(String, RuleSet)>,
    pub(crate) scan: ScanOptions,
}

impl AcceptanceArgs {
    /// Loads the chosen rules; a usage error (before any file is read) unless exactly one
    /// policy was chosen.
    pub(crate) fn load(&self) -> Result<Choice, String> {
        let chosen = [
            self.authenticity_only,
            self.rules.is_some(),
            !self.eu_rules.is_empty(),
        ];
        if chosen.iter().filter(|&&c| c).count() != 1 {
            return Err(
                "choose exactly one acceptance policy: --authenticity-only (genuine, \
                 nothing more), --rules NAME|FILE (French rules) or --eu-rules FILE... \
                 (EU business rules, with --country)"
                    .to_string(),
            );
        }
        if self.authenticity_only {
            return Ok(Choice {
                rule_set: None,
                scan: ScanOptions::new(Acceptance::AuthenticityOnly),
            });
        }
        if let Some(spec) = &self.rules {
            return Ok(Choice {
                rule_set: Some((spec.clone(), RuleSet::France(load_french(spec)?))),
                scan: ScanOptions::new(Acceptance::RuleSet(spec.clone())),
            });
        }
        let country = self
            .country
            .as_deref()
            .ok_or("--eu-rules needs --country CC (the arrival country)")?;
        let mut scan = ScanOptions::new(Acceptance::RuleSet(EU_RULE_SET.to_string()))
            .for_country(
                &country_code(country)?,
                self.region.as_deref().unwrap_or(""),
            )
            .in_language(self.lang.as_deref().unwrap_or("en"));
        scan.accept_open_rules = self.accept_open_rules;
        Ok(Choice {
            rule_set: Some((EU_RULE_SET.to_string(), RuleSet::Eu(self.load_eu()?))),
            scan,
        })
    }

    fn load_eu(&self) -> Result<EuRules, String> {
        let mut value_sets = ValueSets::new();
        for path in &self.value_sets {
            let more = ValueSets::from_slice(&read_file(path)?)
                .map_err(|e| format!("{}: {e}", path.display()))?;
            value_sets = value_sets.merged(more);
        }
        let mut rules = EuRules::new(value_sets);
        if !self.rule_types.is_empty() {
            let types = self.rule_types.iter().map(|t| RuleType::from_name(t));
            rules = rules.with_types(types.collect());
        }
        for path in &self.eu_rules {
            rules
                .add_json(&read_file(path)?)
                .map_err(|e| format!("{}: {e}", path.display()))?;
        }
        Ok(rules)
    }
}

/// `CC` as the rules write it: two capital letters (`ie` is read as `IE`).
fn country_code(text: &str) -> Result<String, String> {
    if text.len() == 2 && text.bytes().all(|b| b.is_ascii_alphabetic()) {
        Ok(text.to_ascii_uppercase())
    } else {
        Err(format!("--country {text}: not an ISO 3166 alpha-2 code"))
    }
}

/// A built-in French rule set by name, else a rules JSON file.
fn load_french(spec: &str) -> Result<Rules, String> {
    if names().any(|n| n == spec) {
        return Rules::named(spec).map_err(|e| format!("--rules {spec}: {e}"));
    }
    let path = std::path::Path::new(spec);
    if !path.exists() {
        return Err(format!(
            "--rules {spec}: neither a built-in rule set (see `dcc-verify rules list`) nor a file"
        ));
    }
    Rules::from_json(&read_file(path)?).map_err(|e| format!("{}: {e}", path.display()))
}
