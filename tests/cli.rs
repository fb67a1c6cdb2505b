//! The `dcc-verify` binary, run for real: arguments, stdin, exit codes and the JSON contract.
#![cfg(feature = "cli")]

mod common;

use common::{fixture, pass_text};

use serde_json::Value;

const AT: &str = "2021-09-01T00:00:00Z";
const CHECK_KEYS: [&str; 12] = [
    "prefix",
    "base45",
    "decompress",
    "cose",
    "payload",
    "signature",
    "key_usage",
    "signer_validity",
    "expiry",
    "schema",
    "revocation",
    "rules",
];

fn trust_arg() -> String {
    fixture("trust/trustlist.json").display().to_string()
}

fn verify_json(extra: &[&str], qr: &str) -> (i32, Value) {
    let trust = trust_arg();
    let mut args = common::authenticity_args(&trust, AT, &["--json"]);
    args.extend_from_slice(extra);
    args.push(qr);
    let out = common::run_cli(&args, b"");
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)));
    (out.status.code().unwrap(), json)
}

#[test]
fn valid_pass_json_contract() {
    let (code, json) = verify_json(&[], &pass_text("valid-es256-vaccination"));
    assert_eq!(code, 0, "{json}");
    assert_eq!(json["verdict"], "valid");
    assert_eq!(json["reason"], Value::Null);
    let checks = json["checks"].as_object().unwrap();
    let mut keys: Vec<&str> = checks.keys().map(String::as_str).collect();
    keys.sort_unstable();
    let mut want = CHECK_KEYS.to_vec();
    want.sort_unstable();
    assert_eq!(keys, want, "exactly the documented check keys");
    for key in CHECK_KEYS {
        let want = if key == "revocation" || key == "rules" {
            "skipped"
        } else {
            "pass"
        };
        assert_eq!(checks[key], want, "{key}");
    }
    assert_eq!(json["algorithm"], "ES256");
    assert_eq!(json["type"], "vaccination");
    assert!(json["kid"].as_str().is_some_and(|k| !k.is_empty()));
    assert!(json["issuer"].is_string());
    assert!(json["issued_at"].as_str().unwrap().ends_with('Z'));
    assert!(json["expires_at"].as_str().unwrap().ends_with('Z'));
    assert!(
        json["certificate"]["v"].is_array(),
        "payload with original field names"
    );
    // Authenticity only: no rules ran, so admission is not evaluated.
    assert_eq!(json["admission"], "not_evaluated");
    assert_eq!(json["rule_set"], Value::Null);
    assert_eq!(json["rules"], serde_json::json!([]));
    assert_eq!(json["skipped"]["rules"], "not_requested");
}

#[test]
fn invalid_verdicts_exit_1_with_reason() {
    for (name, reason) in [
        ("expired", "expired"),
        ("bad-signature", "signature_invalid"),
        ("missing-prefix", "missing_prefix"),
        ("key-usage-mismatch", "key_usage_mismatch"),
    ] {
        let (code, json) = verify_json(&[], &pass_text(name));
        assert_eq!(code, 1, "{name}: {json}");
        assert_eq!(json["verdict"], "invalid", "{name}");
        assert_eq!(json["reason"], reason, "{name}");
    }
}

#[test]
fn certificate_only_when_signature_verified() {
    let (_, expired) = verify_json(&[], &pass_text("expired"));
    assert_eq!(expired["checks"]["signature"], "pass");
    assert!(
        expired["certificate"].is_object(),
        "verified signature: content shown"
    );
    let (_, forged) = verify_json(&[], &pass_text("bad-signature"));
    assert!(
        forged.get("certificate").is_none(),
        "unverified: no content"
    );
}

#[test]
fn nothing_trusted_without_trust_flag() {
    let out = common::run_cli(
        &[
            "verify",
            "--authenticity-only",
            "--at",
            AT,
            "--json",
            &pass_text("valid-es256-vaccination"),
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(1));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["reason"], "unknown_signer");
    assert!(json.get("certificate").is_none());
}

#[test]
fn reads_stdin_and_trims_trailing_line_ends_only() {
    let trust = trust_arg();
    let qr = pass_text("valid-es256-vaccination");
    for args in [
        common::authenticity_args(&trust, AT, &["-"]),
        common::authenticity_args(&trust, AT, &[]),
    ] {
        let out = common::run_cli(&args, format!("{qr}\n").as_bytes());
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
        assert!(
            String::from_utf8_lossy(&out.stdout).starts_with("VALID"),
            "verdict first"
        );
    }
    // Every trailing CR and LF goes (the library's one normalisation), a space does not.
    let out = common::run_cli(
        &common::authenticity_args(&trust, AT, &["--json"]),
        format!("{qr}\r\n\n").as_bytes(),
    );
    assert_eq!(out.status.code(), Some(0));
    let out = common::run_cli(
        &common::authenticity_args(&trust, AT, &["--json"]),
        format!("{qr} \n").as_bytes(),
    );
    assert_eq!(out.status.code(), Some(1));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["reason"], "base45_invalid");
}

#[test]
fn human_summary_starts_with_the_verdict() {
    let trust = trust_arg();
    let out = common::run_cli(
        &common::authenticity_args(&trust, AT, &[&pass_text("expired")]),
        b"",
    );
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("INVALID: expired"), "{text}");
    assert!(
        !text.contains("Testperson") && !text.contains("TESTPERSON"),
        "no names: {text}"
    );
}

#[test]
fn trust_formats_are_detected() {
    let qr = pass_text("valid-es256-vaccination");
    let pem = fixture("trust/signers.pem").display().to_string();
    let out = common::run_cli(&common::authenticity_args(&pem, AT, &[&qr]), b"");
    assert_eq!(
        out.status.code(),
        Some(0),
        "PEM bundle: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    let der = std::fs::read_dir(fixture("trust"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("es256.")
                && p.extension().is_some_and(|e| e == "der")
        })
        .expect("fixtures/trust/es256.*.der");
    let der = der.display().to_string();
    let out = common::run_cli(&common::authenticity_args(&der, AT, &[&qr]), b"");
    assert_eq!(
        out.status.code(),
        Some(0),
        "DER: {}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn usage_errors_exit_2() {
    let dir = std::env::temp_dir().join(format!("dcc-verify-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let junk = dir.join("junk.json");
    std::fs::write(&junk, b"{not a trust list").unwrap();
    let junk = junk.display().to_string();
    let qr = pass_text("valid-es256-vaccination");
    for args in [
        vec![
            "verify",
            "--authenticity-only",
            "--trust",
            "/nonexistent/trust.json",
            &qr,
        ],
        vec!["verify", "--authenticity-only", "--trust", &junk, &qr],
        vec!["verify", "--authenticity-only", "--at", "yesterday", &qr],
        vec!["verify", "--authenticity-only", "--bogus-flag", &qr],
        vec!["frobnicate"],
    ] {
        let out = common::run_cli(&args, b"");
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            !out.stderr.is_empty(),
            "{args:?}: explains itself on stderr"
        );
    }
}

#[test]
fn reads_qr_from_image() {
    let Some(root) = common::shared_dir("dgc-testdata") else {
        return;
    };
    use base64::Engine as _;
    let case: Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("AT/2DCode/raw/1.json")).unwrap())
            .unwrap();
    let png = base64::engine::general_purpose::STANDARD
        .decode(case["2DCODE"].as_str().unwrap())
        .unwrap();
    let path = std::env::temp_dir().join(format!("dcc-verify-at1-{}.png", std::process::id()));
    std::fs::write(&path, png).unwrap();
    let out = common::run_cli(
        &[
            "verify",
            "--authenticity-only",
            "--json",
            "--at",
            "2021-06-01T00:00:00Z",
            "--image",
            path.to_str().unwrap(),
        ],
        b"",
    );
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    // Not trusted (no --trust), but the QR text was read and decoded through the COSE layer.
    assert_eq!(json["checks"]["cose"], "pass", "{json}");
    assert_eq!(json["reason"], "unknown_signer");
    assert_eq!(out.status.code(), Some(1));
}

/// A French 2D-DOC through the CLI: `--trust-2ddoc`, `--allow-test-ca`, `format` and the parsed
/// fields in `certificate`.
#[test]
fn verifies_a_2ddoc() {
    let Some(dir) = common::shared_dir("france/vectors") else {
        return;
    };
    let tac = std::fs::read_to_string(dir.join("2ddoc/tac_B2_test_DHI0-TST1.2ddoc")).unwrap();
    let key = dir.join("keys/DHI0-TST1_pub.pem").display().to_string();
    let out = common::run_cli(
        &[
            "verify",
            "--authenticity-only",
            "--json",
            "--at",
            "2021-03-20T00:00:00Z",
            "--trust-2ddoc",
            &key,
            &tac,
        ],
        b"",
    );
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["format"], "2d-doc");
    assert_eq!(json["verdict"], "valid", "{json}");
    assert_eq!(json["checks"]["cose"], "skipped");
    assert_eq!(json["certificate"]["doc_type"], "B2");
    assert_eq!(json["certificate"]["fields"]["F5"], "N");

    let s01 = std::fs::read_to_string(dir.join("synthetic/S01_B2_negative_PCR.2ddoc")).unwrap();
    let spec = format!(
        "FR00/0001={}",
        dir.join("keys/FR00-0001_cert.der").display()
    );
    for (extra, reason) in [
        (None, "unknown_signer"),
        (Some("--allow-test-ca"), "signer_expired"),
    ] {
        let mut args = vec![
            "verify",
            "--authenticity-only",
            "--json",
            "--at",
            "2021-09-02T00:00:00Z",
            "--trust-2ddoc",
            &spec,
        ];
        args.extend(extra);
        args.push(&s01);
        let out = common::run_cli(&args, b"");
        assert_eq!(out.status.code(), Some(1));
        let json: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(json["reason"], reason);
        assert!(json.get("certificate").is_none() || reason == "signer_expired");
    }
}
