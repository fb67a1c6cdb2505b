//! `dcc-verify certlogic ...` and `dcc-verify rules test`, running the real binary.
#![cfg(feature = "cli")]

mod common;

use std::io::{BufRead as _, BufReader, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::{json, Value};

/// A fresh folder for one test's files.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dcc-verify-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write_json(path: &Path, value: &Value) -> String {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, value.to_string()).unwrap();
    path.display().to_string()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

#[test]
fn eval_prints_the_value_as_one_json_line() {
    let dir = temp_dir("eval");
    let logic = write_json(
        &dir.join("logic.json"),
        &json!({"plusTime": [{"var": "at"}, 3, "day"]}),
    );
    let data = write_json(
        &dir.join("data.json"),
        &json!({"at": "2021-06-01T00:00:00Z"}),
    );
    let out = common::run_cli(&["certlogic", "eval", &logic, &data], b"");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    // A date-time comes back as its ISO 8601 text, on a single line.
    assert_eq!(text(&out.stdout), "\"2021-06-04T00:00:00.000Z\"\n");
}

#[test]
fn eval_failures_exit_1_and_bad_files_exit_2() {
    let dir = temp_dir("eval-errors");
    let data = write_json(&dir.join("data.json"), &json!({"a": "text"}));
    // Valid CertLogic, but `<` of a string cannot be evaluated.
    let type_error = write_json(&dir.join("type.json"), &json!({"<": [{"var": "a"}, 1]}));
    let out = common::run_cli(&["certlogic", "eval", &type_error, &data], b"");
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert!(text(&out.stderr).contains("evaluation error"), "{out:?}");

    // `if` with four operands, at /and/1: invalid, and the message says where.
    let invalid = write_json(
        &dir.join("invalid.json"),
        &json!({"and": [true, {"if": [true, 1, 2, 3]}]}),
    );
    let out = common::run_cli(&["certlogic", "eval", &invalid, &data], b"");
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let stderr = text(&out.stderr);
    assert!(stderr.contains("/and/1/if"), "{stderr}");

    let not_json = dir.join("not.json");
    std::fs::write(&not_json, b"{\"var\": ").unwrap();
    let not_json = not_json.display().to_string();
    for args in [
        vec!["certlogic", "eval", "/nonexistent/logic.json", &data],
        vec!["certlogic", "eval", &type_error, "/nonexistent/data.json"],
        vec!["certlogic", "eval", &not_json, &data],
        vec!["certlogic", "eval", &type_error],
        vec!["certlogic", "validate", "/nonexistent/logic.json"],
        vec!["certlogic", "validate", &not_json],
    ] {
        let out = common::run_cli(&args, b"");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!out.stderr.is_empty(), "{args:?}: explains itself");
    }
}

#[test]
fn batch_answers_every_line_in_order() {
    let input = [
        r#"{"logic": {"+": [{"var": "x"}, 1]}, "data": {"x": 41}}"#,
        r#"{"logic": {"if": [true, 1]}, "data": {}}"#,
        "{not json",
        "",
        "   ",
        r#"{"data": {"x": 1}}"#,
        r#"{"logic": {"<": [{"var": "x"}, 1]}, "data": {"x": "text"}}"#,
        r#"{"logic": {"var": "missing"}}"#,
        r#"[1, 2]"#,
        r#"{"logic": {"in": ["b", {"var": "list"}]}, "data": {"list": ["a", "b"]}}"#,
    ]
    .join("\n");
    let out = common::run_cli(&["certlogic", "eval", "--batch"], input.as_bytes());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let answers: Vec<Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // One answer per non-blank line (the two blank ones give none), in input order.
    assert_eq!(answers.len(), 8, "{answers:?}");
    assert_eq!(answers[0], json!({"value": 42}));
    let error = |i: usize| answers[i]["error"].as_str().unwrap_or_default().to_string();
    assert!(error(1).contains("/if"), "invalid expression: {}", error(1));
    assert!(error(2).contains("not JSON"), "{}", error(2));
    assert!(error(3).contains("logic"), "no logic: {}", error(3));
    assert!(!error(4).is_empty(), "evaluation error");
    assert_eq!(answers[5], json!({"value": null}), "absent data is null");
    assert!(error(6).contains("logic"), "not an object: {}", error(6));
    assert_eq!(answers[7], json!({"value": true}));
    for answer in &answers {
        assert_eq!(answer.as_object().unwrap().len(), 1, "{answer}");
    }
}

/// A harness writes a case and waits for its answer before writing the next: each answer must
/// be flushed while stdin is still open.
#[test]
fn batch_answers_each_line_before_stdin_ends() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dcc-verify"))
        .args(["certlogic", "eval", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let (lines, answers) = std::sync::mpsc::channel();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    std::thread::spawn(move || loop {
        let mut line = String::new();
        if stdout.read_line(&mut line).unwrap_or(0) == 0 || lines.send(line).is_err() {
            return;
        }
    });
    for (case, want) in [
        (
            r#"{"logic": {"var": "a"}, "data": {"a": "first"}}"#,
            "first",
        ),
        (
            r#"{"logic": {"var": "a"}, "data": {"a": "second"}}"#,
            "second",
        ),
    ] {
        writeln!(stdin, "{case}").unwrap();
        stdin.flush().unwrap();
        let answer = answers.recv_timeout(Duration::from_secs(30));
        if answer.is_err() {
            let _ = child.kill();
        }
        let answer: Value =
            serde_json::from_str(&answer.expect("an answer while stdin is open")).unwrap();
        assert_eq!(answer, json!({ "value": want }));
    }
    drop(stdin);
    assert_eq!(child.wait().unwrap().code(), Some(0));
}

#[test]
fn validate_lists_issues_with_their_paths() {
    let dir = temp_dir("validate");
    let valid = write_json(
        &dir.join("valid.json"),
        &json!({"if": [{"var": "a"}, 1, 2]}),
    );
    let out = common::run_cli(&["certlogic", "validate", &valid], b"");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stdout), "valid\n");

    // Two problems: `if` with two operands and an unknown operator inside `and`.
    let invalid = write_json(
        &dir.join("invalid.json"),
        &json!({"and": [{"if": [true, 1]}, {"frobnicate": [1]}]}),
    );
    let out = common::run_cli(&["certlogic", "validate", &invalid], b"");
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert!(lines[0].starts_with("/and/0/if: "), "{stdout}");
    assert!(lines[1].starts_with("/and/1"), "{stdout}");
}

#[test]
fn rules_test_runs_the_shared_rule_tests() {
    let Some(dir) = common::shared_dir("business-rules/rules") else {
        return;
    };
    let out = common::run_cli(&["rules", "test", dir.to_str().unwrap()], b"");
    let stdout = text(&out.stdout);
    // Exit 0: every test passes. VR-MT-0005's logic is invalid (an `if` with four operands)
    // but it has no tests, so it is listed without failing the run.
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert!(
        lines[0].contains("MT/VR-MT-0005: invalid logic:") && lines[0].contains("/if"),
        "{stdout}"
    );
    assert_eq!(
        lines[1],
        "861 tests: 861 passed, 0 failed (140 rules, 1 with invalid logic: VR-MT-0005)"
    );

    // One country folder and one rule folder are runs of their own.
    let country = common::run_cli(&["rules", "test", dir.join("AT").to_str().unwrap()], b"");
    assert_eq!(country.status.code(), Some(0));
    let rule = dir.join("AT/GR-AT-0000");
    let tests = std::fs::read_dir(rule.join("tests")).unwrap().count();
    let one = common::run_cli(&["rules", "test", rule.to_str().unwrap()], b"");
    assert_eq!(one.status.code(), Some(0));
    assert_eq!(
        text(&one.stdout),
        format!("{tests} tests: {tests} passed, 0 failed (1 rule)\n")
    );
}

/// A rule of country XX that holds when the payload has a vaccination (`v.0`).
fn has_vaccination_rule() -> Value {
    json!({
        "Identifier": "VR-XX-0001", "Type": "Acceptance", "Country": "XX",
        "Version": "1.0.0", "SchemaVersion": "1.0.0",
        "Engine": "CERTLOGIC", "EngineVersion": "1.0.0", "CertificateType": "Vaccination",
        "Description": [{"lang": "en", "desc": "A vaccination."}],
        "ValidFrom": "2021-06-01T00:00:00Z", "ValidTo": "2030-06-01T00:00:00Z",
        "AffectedFields": ["v.0"],
        "Logic": {"if": [{"var": "payload.v.0"}, true, false]}
    })
}

#[test]
fn rules_test_reports_each_failed_test_and_exits_1() {
    let dir = temp_dir("rules-test");
    let rule = dir.join("XX/VR-XX-0001");
    write_json(&rule.join("rule.json"), &has_vaccination_rule());
    let vaccinated = json!({"v": [{"dn": 1}]});
    write_json(
        &rule.join("tests/pass.json"),
        &json!({"name": "vaccinated", "payload": vaccinated, "external": {}, "expected": true}),
    );
    // Deliberately wrong: the rule gives true here.
    let wrong = write_json(
        &rule.join("tests/wrong.json"),
        &json!({"payload": vaccinated, "external": {}, "expected": false}),
    );
    // Malta's layout: the rule file named after its folder; no tests.
    let mut malta = has_vaccination_rule();
    malta["Identifier"] = json!("VR-XX-0002");
    write_json(&dir.join("XX/VR-XX-0002/VR-XX-0002.json"), &malta);
    // A rule folder whose rule does not load: its one test counts as failed.
    std::fs::create_dir_all(dir.join("XX/VR-XX-0003/tests")).unwrap();
    std::fs::write(dir.join("XX/VR-XX-0003/rule.json"), b"{\"Identifier\": 1}").unwrap();
    write_json(
        &dir.join("XX/VR-XX-0003/tests/t.json"),
        &json!({"expected": true}),
    );

    let out = common::run_cli(&["rules", "test", dir.to_str().unwrap()], b"");
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{stdout}");
    assert_eq!(lines[0], format!("{wrong}: expected false, got true"));
    assert!(
        lines[1].contains("VR-XX-0003/rule.json: cannot load:"),
        "{stdout}"
    );
    assert_eq!(
        lines[2],
        "3 tests: 1 passed, 2 failed (3 rules, 1 cannot load)"
    );

    // The country folder alone gives the same run; the passing rule folder alone exits 0.
    let country = common::run_cli(&["rules", "test", dir.join("XX").to_str().unwrap()], b"");
    assert_eq!(text(&country.stdout), stdout);
    std::fs::remove_file(&wrong).unwrap();
    let one = common::run_cli(&["rules", "test", rule.to_str().unwrap()], b"");
    assert_eq!(one.status.code(), Some(0));
    assert_eq!(text(&one.stdout), "1 test: 1 passed, 0 failed (1 rule)\n");

    let empty = temp_dir("rules-test-empty");
    for missing in [empty.to_str().unwrap(), "/nonexistent/rules"] {
        let out = common::run_cli(&["rules", "test", missing], b"");
        assert_eq!(out.status.code(), Some(2), "{missing}");
        assert!(!out.stderr.is_empty());
    }
}

const AT: &str = "2021-09-01T00:00:00Z";

/// `verify` at the fixtures' time (fixtures/passes/manifest.json) with `extra` and `--json`.
fn verify_json(extra: &[&str], pass: &str) -> (Option<i32>, Value) {
    let trust = common::fixture("trust/trustlist.json")
        .display()
        .to_string();
    let mut args = vec!["verify", "--trust", &trust, "--at", AT, "--json"];
    args.extend_from_slice(extra);
    let qr = common::pass_text(pass);
    args.push(&qr);
    let out = common::run_cli(&args, b"");
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", text(&out.stderr)));
    (out.status.code(), json)
}

/// `(id, outcome)` of every rule in a JSON report.
fn outcomes(json: &Value) -> Vec<(String, String)> {
    json["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap().into(),
                r["outcome"].as_str().unwrap().into(),
            )
        })
        .collect()
}

fn all(ids: &[&str], outcome: &str) -> Vec<(String, String)> {
    ids.iter()
        .map(|id| (id.to_string(), outcome.to_string()))
        .collect()
}

/// The production EU rules for arrival in Ireland. On 2021-09-01 Ireland's rules in force are
/// its ten from 2021-07-12 (every other country's either started later or is not Ireland's);
/// the issuer, XX, has no Invalidation rules. A pass meets the General ones (GR-IE-0000: exactly
/// one event; GR-IE-0001: `tg` in the value set disease-agent-targeted) and those of its type.
#[test]
fn verify_with_eu_rules_reports_each_rule() {
    let Some(dir) = common::shared_dir("business-rules/production") else {
        return;
    };
    let rules = dir.join("eu-rules.json").display().to_string();
    let value_sets = dir.join("eu-value-sets.json").display().to_string();
    let ireland = [
        "--eu-rules",
        &rules,
        "--value-sets",
        &value_sets,
        "--country",
        "IE",
    ];

    // Vaccination, dose 2 of 2, `tg` 840539006 (COVID-19): VR-IE-0000 (one vaccination) and
    // VR-IE-0002 (dn >= sd) hold, so every rule passes and the pass is admitted.
    let (code, json) = verify_json(&ireland, "valid-es256-vaccination");
    assert_eq!(code, Some(0), "{json}");
    assert_eq!(json["admission"], "admitted");
    assert_eq!(json["rule_set"], "eu");
    assert_eq!(json["checks"]["rules"], "pass");
    assert_eq!(
        outcomes(&json),
        all(
            &["GR-IE-0000", "GR-IE-0001", "VR-IE-0000", "VR-IE-0002"],
            "passed"
        )
    );
    let first = &json["rules"][0];
    assert_eq!(first["version"], "1.0.1");
    assert_eq!(
        first["description"],
        "Certificate relates to more than one health event"
    );
    assert!(first.get("open_reason").is_none(), "only when open");

    // A negative PCR test sampled 2021-05-31T08:00Z: PCR (TR-IE-0001) and negative (TR-IE-0004)
    // hold, but TR-IE-0006 wants the clock before sampling + 72 h (2021-06-03T08:00Z), so it
    // fails: refused, exit 1.
    let (code, json) = verify_json(&ireland, "valid-es256-test");
    assert_eq!(code, Some(1), "{json}");
    assert_eq!(json["verdict"], "invalid");
    assert_eq!(json["reason"], "rules_failed");
    assert_eq!(json["admission"], "refused");
    let mut want = all(
        &[
            "GR-IE-0000",
            "GR-IE-0001",
            "TR-IE-0000",
            "TR-IE-0001",
            "TR-IE-0004",
        ],
        "passed",
    );
    want.push(("TR-IE-0006".into(), "failed".into()));
    assert_eq!(outcomes(&json), want);

    // The human summary names the failed rule and what it requires.
    let trust = common::fixture("trust/trustlist.json")
        .display()
        .to_string();
    let qr = common::pass_text("valid-es256-test");
    let mut args = vec!["verify", "--trust", &trust, "--at", AT];
    args.extend_from_slice(&ireland);
    args.push(&qr);
    let summary = text(&common::run_cli(&args, b"").stdout);
    assert!(summary.contains("  admission: refused\n"), "{summary}");
    assert!(
        summary.contains("  rule TR-IE-0006 failed: Test Certificate has expired for entry\n"),
        "{summary}"
    );
    assert!(
        !summary.contains("TR-IE-0004"),
        "passed rules not listed: {summary}"
    );
}

/// Without value sets GR-IE-0001's `in` has no list to look in: an evaluation error, so the
/// rule is open. Open refuses unless --accept-open-rules.
#[test]
fn open_rules_refuse_unless_accepted() {
    let Some(dir) = common::shared_dir("business-rules/production") else {
        return;
    };
    let rules = dir.join("eu-rules.json").display().to_string();
    let ireland = ["--eu-rules", &rules, "--country", "IE"];
    let (code, json) = verify_json(&ireland, "valid-es256-vaccination");
    assert_eq!(code, Some(1), "{json}");
    assert_eq!(json["reason"], "rules_open");
    assert_eq!(json["admission"], "refused");
    let open = &json["rules"][1];
    assert_eq!(
        (&open["id"], &open["outcome"], &open["open_reason"]),
        (
            &json!("GR-IE-0001"),
            &json!("open"),
            &json!("evaluation_error")
        )
    );

    let accepting = [&ireland[..], &["--accept-open-rules"]].concat();
    let (code, json) = verify_json(&accepting, "valid-es256-vaccination");
    assert_eq!(code, Some(0), "{json}");
    assert_eq!(json["admission"], "admitted");
    assert_eq!(json["rules"][1]["open_reason"], "evaluation_error");
}

#[test]
fn verify_needs_exactly_one_acceptance_policy() {
    let trust = common::fixture("trust/trustlist.json")
        .display()
        .to_string();
    let qr = common::pass_text("valid-es256-vaccination");
    let base = ["verify", "--trust", &trust, "--at", AT];
    let rules_file = temp_dir("policy").join("none.json");
    write_json(&rules_file, &json!([]));
    let rules_file = rules_file.display().to_string();
    for (extra, message) in [
        (vec![], "--authenticity-only"),
        (
            vec!["--authenticity-only", "--rules", "fr-2022-03-15-health"],
            "--eu-rules",
        ),
        (
            vec!["--rules", "fr-2022-03-15-health", "--eu-rules", &rules_file],
            "--rules",
        ),
        (vec!["--eu-rules", &rules_file], "--country"),
        (vec!["--authenticity-only", "--country", "IE"], "--eu-rules"),
        (
            vec!["--eu-rules", &rules_file, "--country", "Ireland"],
            "--country",
        ),
    ] {
        let args = [&base[..], &extra, &[&qr]].concat();
        let out = common::run_cli(&args, b"");
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{extra:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{extra:?}");
        assert!(stderr.contains(message), "{extra:?}: {stderr}");
    }
    // The message for no choice names all three.
    let out = common::run_cli(&[&base[..], &[&qr]].concat(), b"");
    let stderr = text(&out.stderr);
    for choice in ["--authenticity-only", "--rules", "--eu-rules"] {
        assert!(stderr.contains(choice), "{stderr}");
    }

    // Authenticity only: valid, and the summary says plainly that admission was not judged.
    let out = common::run_cli(&[&base[..], &["--authenticity-only", &qr]].concat(), b"");
    assert_eq!(out.status.code(), Some(0));
    let summary = text(&out.stdout);
    assert!(
        summary.contains("  admission: not evaluated (authenticity only: the pass is genuine, no entry rules were applied)\n"),
        "{summary}"
    );
}
