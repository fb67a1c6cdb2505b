//! `dcc-verify keyset` and key sets as trust input: same verdicts as the source trust data,
//! the publisher signature and pin, precise errors on damaged sets, and the clock floor.
#![cfg(feature = "cli")]

mod common;

use common::{fixture, pass_text};

use std::path::{Path, PathBuf};
use std::process::Output;

use dcc_verifier::TrustStore;
use serde_json::Value;

const AT: &str = "2021-09-01T00:00:00Z";
/// Before the fixture passes' `at`, so the floor does not change their verdicts.
const EARLY: &str = "2021-01-01T00:00:00Z";

/// A scratch directory of its own for each test (tests run in parallel).
fn scratch(test: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("cli_keyset-{test}"));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn run(args: &[&str]) -> Output {
    common::run_cli(args, b"")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn build(out: &Path, trust: &[&Path], extra: &[&str]) {
    let out_arg = out.display().to_string();
    let trust: Vec<String> = trust.iter().map(|p| p.display().to_string()).collect();
    let mut args = vec!["keyset", "build", "-o", &out_arg];
    for path in &trust {
        args.extend(["--trust", path]);
    }
    args.extend_from_slice(extra);
    let result = run(&args);
    assert!(result.status.success(), "build failed: {}", stderr(&result));
}

fn verify_json(trust: &Path, extra: &[&str], at: &str, qr: &str) -> (i32, Value) {
    let trust = trust.display().to_string();
    let mut args = common::authenticity_args(&trust, at, &["--json"]);
    args.extend_from_slice(extra);
    args.push(qr);
    let out = run(&args);
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", stderr(&out)));
    (out.status.code().unwrap(), json)
}

#[test]
fn every_fixture_pass_gets_the_same_verdict_from_the_key_set() {
    let dir = scratch("same-verdict");
    let source = fixture("trust/trustlist.json");
    let set = dir.join("fixtures.dccks");
    build(&set, &[&source], &["--issued-at", EARLY]);
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(fixture("passes/manifest.json")).unwrap()).unwrap();
    let entries = manifest.as_array().unwrap();
    assert!(entries.len() > 40);
    for entry in entries {
        let name = entry["name"].as_str().unwrap();
        assert_eq!(
            entry["trust"],
            serde_json::json!(["fixtures/trust/trustlist.json"])
        );
        let at = entry["at"].as_str().unwrap();
        let qr = pass_text(name);
        let (code_source, json_source) = verify_json(&source, &[], at, &qr);
        let (code_set, json_set) = verify_json(&set, &[], at, &qr);
        assert_eq!(code_set, code_source, "{name}");
        assert_eq!(json_set, json_source, "{name}");
        assert_eq!(json_set["verdict"], entry["verdict"], "{name}");
    }
}

#[test]
fn every_trust_format_round_trips_with_its_key_count() {
    let dir = scratch("formats");
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(fixture("trust"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    inputs.sort();
    let mut direct = TrustStore::new();
    for path in &inputs {
        direct.add_bytes(&std::fs::read(path).unwrap()).unwrap();
    }
    let set = dir.join("all.dccks");
    let refs: Vec<&Path> = inputs.iter().map(PathBuf::as_path).collect();
    build(&set, &refs, &["--issued-at", "1609459200"]);
    let loaded = TrustStore::from_bytes(&std::fs::read(&set).unwrap()).unwrap();
    assert_eq!(loaded.len(), direct.len());
    assert!(loaded.len() > inputs.len());
    let inspect = run(&["keyset", "inspect", set.to_str().unwrap()]);
    let text = String::from_utf8(inspect.stdout).unwrap();
    assert_eq!(
        text,
        format!(
            "version: 1\nissued at: 2021-01-01T00:00:00Z\nkeys: {}\nsignature: unsigned\n",
            direct.len()
        )
    );
}

#[test]
fn german_list_keeps_every_key() {
    let Some(lists) = common::shared_dir("trustlists") else {
        return;
    };
    let source = lists.join("trustlist_de.json");
    let expected = TrustStore::from_bytes(&std::fs::read(&source).unwrap())
        .unwrap()
        .len();
    assert_eq!(expected, 832);
    let set = scratch("de").join("de.dccks");
    build(&set, &[&source], &["--issued-at", EARLY]);
    let bytes = std::fs::read(&set).unwrap();
    assert_eq!(TrustStore::from_bytes(&bytes).unwrap().len(), expected);
    // An X.509-free encoding: far smaller than the 4 MB JSON.
    assert!(bytes.len() < 200_000, "{} bytes", bytes.len());
}

#[test]
fn signed_set_verifies_with_its_pin_and_nothing_else() {
    let dir = scratch("pin");
    let source = fixture("trust/trustlist.json");
    let signed = dir.join("signed.dccks");
    let unsigned = dir.join("unsigned.dccks");
    let key = fixture("keys/es256.key.pem").display().to_string();
    build(
        &signed,
        &[&source],
        &["--issued-at", EARLY, "--sign-key", &key],
    );
    build(&unsigned, &[&source], &["--issued-at", EARLY]);
    let pin = fixture("trust/es256.pem").display().to_string();
    let wrong_pin = fixture("trust/es256-late.pem").display().to_string();
    let qr = pass_text("valid-es256-vaccination");

    let (code, json) = verify_json(&signed, &["--keyset-pin", &pin], AT, &qr);
    assert_eq!((code, json["verdict"].as_str()), (0, Some("valid")));
    let inspect = run(&["keyset", "inspect", signed.to_str().unwrap(), "--pin", &pin]);
    assert!(String::from_utf8_lossy(&inspect.stdout)
        .contains("signature: signed, verified with the pinned key"));

    let cases: [(&Path, &str, &str); 3] = [
        (&signed, &wrong_pin, "signature does not verify"),
        (&unsigned, &pin, "key set is not signed"),
        (&source, &pin, "must be a signed key set"),
    ];
    for (set, pin, message) in cases {
        let trust = set.display().to_string();
        let out = run(&[
            "verify",
            "--authenticity-only",
            "--trust",
            &trust,
            "--keyset-pin",
            pin,
            "--at",
            AT,
            &qr,
        ]);
        assert_eq!(out.status.code(), Some(2), "{message}");
        assert!(stderr(&out).contains(message), "{}", stderr(&out));
    }

    // Deterministic signatures: the same input and time give the same bytes.
    let again = dir.join("again.dccks");
    build(
        &again,
        &[&source],
        &["--issued-at", EARLY, "--sign-key", &key],
    );
    assert_eq!(
        std::fs::read(&again).unwrap(),
        std::fs::read(&signed).unwrap()
    );
}

#[test]
fn a_changed_byte_fails_the_pin() {
    let dir = scratch("tamper");
    let signed = dir.join("signed.dccks");
    let key = fixture("keys/es256.key.pem").display().to_string();
    build(
        &signed,
        &[&fixture("trust/trustlist.json")],
        &["--issued-at", EARLY, "--sign-key", &key],
    );
    let bytes = std::fs::read(&signed).unwrap();
    let pin = fixture("trust/es256.pem").display().to_string();
    // A byte of the issue time, of the first entry, and of the signature.
    for index in [10, 40, bytes.len() - 1] {
        let mut tampered = bytes.clone();
        tampered[index] ^= 0x40;
        let path = dir.join(format!("tampered-{index}.dccks"));
        std::fs::write(&path, &tampered).unwrap();
        let out = run(&["keyset", "inspect", path.to_str().unwrap(), "--pin", &pin]);
        assert_eq!(out.status.code(), Some(2), "byte {index}");
        assert!(
            stderr(&out).contains("key set signature does not verify"),
            "byte {index}: {}",
            stderr(&out)
        );
    }
}

#[test]
fn damaged_sets_are_rejected_with_the_offset() {
    let dir = scratch("damaged");
    let good = dir.join("good.dccks");
    build(
        &good,
        &[&fixture("trust/es256.pem")],
        &["--issued-at", EARLY],
    );
    let bytes = std::fs::read(&good).unwrap();
    let cases: [(&str, Vec<u8>, String); 4] = [
        (
            "truncated",
            bytes[..bytes.len() - 1].to_vec(),
            // The last field, the 2-byte country code, is the one cut.
            format!("key set at byte {}: truncated", bytes.len() - 2),
        ),
        (
            "trailing",
            [bytes.as_slice(), b"x"].concat(),
            format!(
                "key set at byte {}: trailing bytes after the last entry",
                bytes.len()
            ),
        ),
        (
            "version",
            [b"DCCKS\x09".as_slice(), &bytes[6..]].concat(),
            "unsupported key set version 9".into(),
        ),
        (
            "garbage",
            b"DCCKS\x01\x00garbage".to_vec(),
            "key set at byte 7: truncated".into(),
        ),
    ];
    for (name, content, message) in cases {
        let path = dir.join(format!("{name}.dccks"));
        std::fs::write(&path, content).unwrap();
        for args in [
            vec!["keyset", "inspect", path.to_str().unwrap()],
            vec![
                "verify",
                "--authenticity-only",
                "--trust",
                path.to_str().unwrap(),
                "HC1:",
            ],
        ] {
            let out = run(&args);
            assert_eq!(out.status.code(), Some(2), "{name}");
            assert!(stderr(&out).contains(&message), "{name}: {}", stderr(&out));
        }
    }
}

#[test]
fn the_issue_time_is_a_floor_for_the_clock() {
    let dir = scratch("floor");
    let source = fixture("trust/trustlist.json");
    // `expired` expires 2021-08-01; on 2021-07-15 it is still valid.
    let qr = pass_text("expired");
    let before_expiry = "2021-07-15T00:00:00Z";
    let (code, json) = verify_json(&source, &[], before_expiry, &qr);
    assert_eq!((code, json["verdict"].as_str()), (0, Some("valid")));
    assert_eq!(json.get("clock_raised_to"), None);

    // A set issued after the expiry proves the device clock is behind: evaluated at its issue.
    let late = dir.join("late.dccks");
    build(&late, &[&source], &["--issued-at", AT]);
    let (code, json) = verify_json(&late, &[], before_expiry, &qr);
    assert_eq!(code, 1, "{json}");
    assert_eq!(json["reason"], "expired");
    assert_eq!(json["clock_raised_to"], AT);
    let human = run(&common::authenticity_args(
        late.to_str().unwrap(),
        before_expiry,
        &[&qr],
    ));
    assert!(String::from_utf8_lossy(&human.stdout)
        .contains("clock raised to the key set's issue time: 2021-09-01T00:00:00Z"));

    // A clock after the issue time is used as is.
    let (code, json) = verify_json(
        &late,
        &[],
        "2021-10-01T00:00:00Z",
        &pass_text("valid-es256-vaccination"),
    );
    assert_eq!(code, 0, "{json}");
    assert_eq!(json.get("clock_raised_to"), None);

    // An earlier set does not move the clock.
    let early = dir.join("early.dccks");
    build(&early, &[&source], &["--issued-at", EARLY]);
    let (code, json) = verify_json(&early, &[], before_expiry, &qr);
    assert_eq!((code, json.get("clock_raised_to")), (0, None));
}

#[test]
fn an_older_key_set_than_required_is_refused() {
    let dir = scratch("not-older");
    let set = dir.join("set.dccks");
    build(
        &set,
        &[&fixture("trust/trustlist.json")],
        &["--issued-at", EARLY],
    );
    let qr = pass_text("valid-es256-vaccination");
    let (code, json) = verify_json(&set, &["--keyset-not-older-than", EARLY], AT, &qr);
    assert_eq!((code, json["verdict"].as_str()), (0, Some("valid")));
    let refused = run(&[
        "verify",
        "--authenticity-only",
        "--trust",
        set.to_str().unwrap(),
        "--keyset-not-older-than",
        AT,
        "--at",
        AT,
        &qr,
    ]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        stderr(&refused).contains("older than the required"),
        "{}",
        stderr(&refused)
    );
}

#[test]
fn the_issuer_country_policy_is_an_option() {
    let qr = pass_text("valid-es256-vaccination");
    let list = fixture("trust/trustlist.json");
    let (code, json) = verify_json(&list, &["--require-issuer-country-match"], AT, &qr);
    assert_eq!(
        (code, json["verdict"].as_str()),
        (0, Some("valid")),
        "iss XX, signer XX"
    );
    let dir = scratch("country");
    let elsewhere = dir.join("yy.json");
    let text = std::fs::read_to_string(&list)
        .unwrap()
        .replace("\"XX\"", "\"YY\"");
    std::fs::write(&elsewhere, text).unwrap();
    let (code, json) = verify_json(&elsewhere, &[], AT, &qr);
    assert_eq!(code, 0, "off by default: {json}");
    let (code, json) = verify_json(&elsewhere, &["--require-issuer-country-match"], AT, &qr);
    assert_eq!(
        (code, json["reason"].as_str()),
        (1, Some("issuer_country_mismatch"))
    );
    assert_eq!(json["checks"]["key_usage"], "fail");
}
