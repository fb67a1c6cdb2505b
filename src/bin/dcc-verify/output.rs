//! The two report formats: one JSON object (`--json`), or a short human summary.

use std::fmt::Write as _;

use base64::Engine as _;
use dcc_verifier::rules::{RuleOutcome, RuleResult};
use dcc_verifier::{Admission, Check, Report, SkipReason, Status};
use serde_json::{json, Map, Value};

/// The `--json` object; its keys are a stable contract (see the README).
pub(crate) fn json(report: &Report) -> Value {
    let checks: Map<String, Value> = Check::ALL
        .iter()
        .map(|&c| (c.name().to_string(), Value::from(report.status(c).name())))
        .collect();
    let mut out = json!({
        "format": report.format().name(),
        "verdict": if report.is_valid() { "valid" } else { "invalid" },
        "reason": report.reason().map(|r| r.code()),
        "checks": checks,
        "kid": report.kid().map(|k| base64::engine::general_purpose::STANDARD.encode(k)),
        "algorithm": report.algorithm().map(|a| a.name()),
        "issuer": report.issuer(),
        "issued_at": report.issued_at().map(|t| t.to_string()),
        "expires_at": report.expires_at().map(|t| t.to_string()),
        "type": report.entry_type().map(|t| t.name()),
        "skipped": skipped(report),
        "admission": report.admission().code(),
        "rule_set": report.rule_set(),
        "rules": report.rule_results().iter().map(rule_json).collect::<Vec<_>>(),
    });
    if let (Some(verified), Some(obj)) = (report.verified(), out.as_object_mut()) {
        let certificate = match verified.twoddoc() {
            Some(doc) => twoddoc(doc),
            None => verified.dcc_json().clone(),
        };
        obj.insert("certificate".into(), certificate);
    }
    if let (Some(revocation), Some(obj)) = (revocation(report), out.as_object_mut()) {
        obj.insert("revocation".into(), revocation);
    }
    if let (Some(at), Some(obj)) = (report.clock_raised_to(), out.as_object_mut()) {
        obj.insert("clock_raised_to".into(), at.to_string().into());
    }
    out
}

/// `check -> reason` for every skipped check (e.g. `"revocation": "no_data"`).
fn skipped(report: &Report) -> Map<String, Value> {
    Check::ALL
        .iter()
        .filter_map(|&c| Some((c.name().to_string(), report.skip_reason(c)?.code().into())))
        .collect()
}

/// One rule's result: `id`, `version`, `outcome`, `open_reason` (only when open) and
/// `description`.
fn rule_json(result: &RuleResult) -> Value {
    let mut out = json!({
        "id": &*result.id,
        "version": &*result.version,
        "outcome": result.outcome.name(),
        "description": &*result.description,
    });
    if let (RuleOutcome::Open(reason), Some(obj)) = (&result.outcome, out.as_object_mut()) {
        obj.insert("open_reason".into(), reason.code().into());
    }
    out
}

/// A verified 2D-DOC: its header and signed fields (`fields`: identifier -> value); the
/// unsigned annex is left out.
fn twoddoc(doc: &dcc_verifier::twoddoc::TwoDDoc) -> Value {
    let h = doc.header();
    let fields: Map<String, Value> = doc
        .fields()
        .ok()
        .flatten()
        .unwrap_or_default()
        .iter()
        .map(|f| (f.id.clone(), Value::from(f.value.clone())))
        .collect();
    json!({
        "version": h.version,
        "ca_id": h.ca_id,
        "cert_id": h.cert_id,
        "issue_date": h.issue_date.map(|t| t.to_string()),
        "signature_date": h.signature_date.map(|t| t.to_string()),
        "doc_type": h.doc_type,
        "perimeter": h.perimeter,
        "country": h.country,
        "fields": fields,
    })
}

/// The `revocation` object, present when the revocation check ran or the data's age is known:
/// the match (`hash_type`, `source`, `false_positive_probability`, the latter `null` for an
/// exact list) when revoked, and `data_age_secs` when the data's issue time was given.
fn revocation(report: &Report) -> Option<Value> {
    let age = report.revocation_data_age_secs();
    if report.status(Check::Revocation) == Status::Skipped && age.is_none() {
        return None;
    }
    let mut out = Map::new();
    if let Some(found) = report.revocation_match() {
        out.insert("hash_type".into(), found.hash_type.name().into());
        out.insert("source".into(), found.source.clone().into());
        let p = found.false_positive_probability.map(|p| p.value());
        out.insert("false_positive_probability".into(), p.into());
    }
    if let Some(age) = age {
        out.insert("data_age_secs".into(), age.into());
    }
    Some(Value::Object(out))
}

/// The human summary: the verdict first, then one line per failure and the key facts.
pub(crate) fn human(report: &Report) -> String {
    let mut out = String::new();
    match report.reason() {
        None => out.push_str("VALID\n"),
        Some(reason) => {
            let _ = writeln!(out, "INVALID: {reason}");
        }
    }
    for failure in report.failures() {
        let _ = writeln!(out, "  {} failed: {}", failure.check, failure.error);
    }
    let facts = [
        ("type", report.entry_type().map(|t| t.name().to_string())),
        ("issuer", report.issuer().map(str::to_string)),
        ("issued at", report.issued_at().map(|t| t.to_string())),
        ("expires at", report.expires_at().map(|t| t.to_string())),
        (
            "algorithm",
            report.algorithm().map(|a| a.name().to_string()),
        ),
        (
            "kid",
            report
                .kid()
                .map(|k| base64::engine::general_purpose::STANDARD.encode(k)),
        ),
    ];
    for (label, value) in facts {
        if let Some(value) = value {
            let _ = writeln!(out, "  {label}: {value}");
        }
    }
    if let Some(age) = report.revocation_data_age_secs() {
        let _ = writeln!(out, "  revocation data age: {age} s");
    }
    if let Some(at) = report.clock_raised_to() {
        let _ = writeln!(out, "  clock raised to the key set's issue time: {at}");
    }
    admission(report, &mut out);
    let skipped: Vec<String> = Check::ALL
        .iter()
        .filter_map(|&c| Some(format!("{c} ({})", report.skip_reason(c)?)))
        .collect();
    if !skipped.is_empty() {
        let _ = writeln!(out, "  not checked: {}", skipped.join(", "));
    }
    out
}

/// The admission line, plainly saying when no rules judged the pass, then each rule that did
/// not pass.
fn admission(report: &Report, out: &mut String) {
    let line = match report.admission() {
        Admission::Admitted => format!(
            "admitted by rule set {}",
            report.rule_set().unwrap_or_default()
        ),
        Admission::Refused => "refused".to_string(),
        Admission::NotEvaluated
            if report.skip_reason(Check::Rules) == Some(SkipReason::NotRequested) =>
        {
            "not evaluated (authenticity only: the pass is genuine, no entry rules were applied)"
                .to_string()
        }
        Admission::NotEvaluated => "not evaluated (no entry rules judged the pass)".to_string(),
        other => other.code().to_string(),
    };
    let _ = writeln!(out, "  admission: {line}");
    for rule in report.rule_results() {
        let outcome = match &rule.outcome {
            RuleOutcome::Passed => continue,
            RuleOutcome::Open(reason) => format!("open ({})", reason.code()),
            other => other.name().to_string(),
        };
        let _ = writeln!(out, "  rule {} {outcome}: {}", rule.id, rule.description);
    }
}
