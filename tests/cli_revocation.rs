//! `dcc-verify revocation ...` and `verify --revocation`, running the real binary.
#![cfg(feature = "cli")]

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use base64::Engine as _;
use serde_json::Value;

const AT: &str = "2021-09-01T00:00:00Z";
const ES256_KID: &str = "bMIm/1VFK1c=";

fn fixture(rel: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rel)
        .display()
        .to_string()
}

fn pass(name: &str) -> String {
    let text = std::fs::read_to_string(fixture(&format!("passes/{name}.txt"))).unwrap();
    text.trim_end().to_string()
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

/// A scratch directory for this test binary.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dcc-cli-revocation-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// `revocation hashes --json` of a QR text.
fn hashes(qr: &str) -> Value {
    let out = common::run_cli(&["revocation", "hashes", "--json", qr], b"");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn one_hash(qr: &str, hash_type: &str) -> String {
    let all = hashes(qr);
    let list = all[hash_type].as_array().unwrap();
    assert_eq!(list.len(), 1);
    list[0].as_str().unwrap().to_string()
}

/// Builds a filter of `kind` holding `hashes` with the CLI and writes it to a scratch file.
fn build(kind: &str, extra: &[&str], hashes: &[&str], name: &str) -> PathBuf {
    let mut args = vec!["revocation", "build", "--kind", kind];
    args.extend_from_slice(extra);
    let out = common::run_cli(&args, format!("{}\n", hashes.join("\n")).as_bytes());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let path = scratch(name);
    std::fs::write(&path, &out.stdout).unwrap();
    path
}

fn verify_json(qr: &str, revocation: &[&str]) -> (i32, Value) {
    let trust = fixture("trust/trustlist.json");
    let mut args = common::authenticity_args(&trust, AT, &["--json"]);
    for spec in revocation {
        args.extend_from_slice(&["--revocation", spec]);
    }
    args.push(qr);
    let out = common::run_cli(&args, b"");
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap(), json)
}

fn spec(kind: &str, types: &str, file: &Path) -> String {
    format!("{kind}:{types}:{}", file.display())
}

#[test]
fn hashes_text_and_json() {
    let qr = pass("valid-es256-vaccination");
    let out = common::run_cli(&["revocation", "hashes", &qr], b"");
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    let types: Vec<&str> = text
        .lines()
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(types, ["UCI", "COUNTRYCODEUCI", "SIGNATURE", "FR_DCC"]);
    let json = hashes(&qr);
    for line in text.lines() {
        let (t, h) = line.split_once(' ').unwrap();
        assert_eq!(json[t][0], h.trim());
    }
    assert_eq!(json["FR_DCC"][0].as_str().unwrap().len(), 64);
    // stdin too.
    let out = common::run_cli(&["revocation", "hashes", "-"], format!("{qr}\n").as_bytes());
    assert_eq!(stdout(&out), text);
    // Not a certificate: usage error.
    assert_eq!(
        common::run_cli(&["revocation", "hashes", "HC1:%%"], b"")
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn hashes_match_the_cwa_vectors() {
    let Some(dir) = common::shared_dir("revocation/vectors/cwa-app-android") else {
        return;
    };
    let cases: Value = serde_json::from_slice(
        &std::fs::read(dir.join("RevocationCalculationSampleData.json")).unwrap(),
    )
    .unwrap();
    for case in cases.as_array().unwrap() {
        let json = hashes(case["barcodeData"].as_str().unwrap());
        assert_eq!(json["UCI"][0], case["expUCI"]);
        assert_eq!(json["COUNTRYCODEUCI"][0], case["expCOUNTRYCODEUCI"]);
        assert_eq!(json["SIGNATURE"][0], case["expSIGNATURE"]);
    }
}

#[test]
fn build_is_byte_identical_to_the_reference() {
    let Some(dir) = common::shared_dir("revocation/vectors") else {
        return;
    };
    // The 2716-byte Java stream: n = 500, p = 1e-9, five elements.
    let v: Value = serde_json::from_slice(
        &std::fs::read(dir.join("dgc-bloomfilter-ios/testByteStream-vector.json")).unwrap(),
    )
    .unwrap();
    let added: Vec<String> = v["construct"]["added"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            e.as_array()
                .unwrap()
                .iter()
                .map(|b| format!("{:02x}", b.as_u64().unwrap()))
                .collect()
        })
        .collect();
    let refs: Vec<&str> = added.iter().map(String::as_str).collect();
    let path = build("bloom", &["--p", "1e-9", "--n", "500"], &refs, "stream.bin");
    let expected = base64::engine::general_purpose::STANDARD
        .decode(v["serialized_base64"].as_str().unwrap())
        .unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), expected);

    // Server-style slices of one hash (n = 1, p = 1e-12): Bloom and COORDINATE hash list.
    let v: Value =
        serde_json::from_slice(&std::fs::read(dir.join("derived/e2e-slices.json")).unwrap())
            .unwrap();
    for case in v["cases"].as_array().unwrap() {
        let hash = case["hash_hex"].as_str().unwrap();
        let bloom = build("bloom", &["--p", "1e-12"], &[hash], "one.bf");
        let want = case["bloom_slice_n1_p1e-12_hex"].as_str().unwrap();
        assert_eq!(hex(&std::fs::read(bloom).unwrap()), want);
        let args = ["--p", "1e-12", "--mode", "coordinate", "--min-size", "4"];
        let list = build("hashlist", &args, &[hash], "one.hl");
        let want = case["varhashlist_slice_n1_p1e-12_minsize4_hex"]
            .as_str()
            .unwrap();
        assert_eq!(hex(&std::fs::read(list).unwrap()), want);
    }
}

#[test]
fn build_hash_list_convert_test() {
    // dgca-partialvarhashfilter convertTest: minSize 5, POINT, n = 3, p = 1e-6.
    let args = [
        "--p",
        "1e-6",
        "--n",
        "3",
        "--mode",
        "point",
        "--min-size",
        "5",
    ];
    let hashes = ["000102030405060708090a", "00000b0c0d0e0f"];
    let path = build("hashlist", &args, &hashes, "convert.hl");
    assert_eq!(
        hex(&std::fs::read(path).unwrap()),
        "0001358637bd000000030500000b0c0d0001020304"
    );
    // Bad input: usage errors.
    let bad = common::run_cli(
        &["revocation", "build", "--kind", "bloom", "--p", "1e-6"],
        b"xyz\n",
    );
    assert_eq!(bad.status.code(), Some(2));
    let bad = common::run_cli(
        &["revocation", "build", "--kind", "bloom", "--p", "2"],
        b"00\n",
    );
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn check_answers_membership() {
    let member = "54a90383b0e792489835caec8befd2a4";
    let other = "b80307723714cb7cd9a653a0bc56c89d";
    let bloom = build("bloom", &["--p", "1e-12"], &[member], "check.bf");
    let list = build("hashlist", &["--p", "1e-12"], &[member], "check.hl");
    let blocklist = scratch("check.txt");
    std::fs::write(&blocklist, format!("{member}\n")).unwrap();
    for file in [&bloom, &list, &blocklist] {
        let file = file.display().to_string();
        let out = common::run_cli(&["revocation", "check", &file, member], b"");
        assert_eq!(out.status.code(), Some(0), "{file}");
        assert!(stdout(&out).starts_with("found"));
        let out = common::run_cli(&["revocation", "check", &file, other], b"");
        assert_eq!(
            (out.status.code(), stdout(&out).as_str()),
            (Some(1), "not found\n")
        );
    }
    let file = bloom.display().to_string();
    let forced = common::run_cli(
        &["revocation", "check", "--kind", "hashlist", &file, member],
        b"",
    );
    assert_eq!(
        forced.status.code(),
        Some(2),
        "a Bloom filter is not a hash list"
    );
    // A hostile header (k = 0) is refused with a clear message.
    let mut bytes = std::fs::read(&bloom).unwrap();
    bytes[2] = 0;
    let hostile = scratch("hostile.bf");
    std::fs::write(&hostile, bytes).unwrap();
    let hostile = hostile.display().to_string();
    let out = common::run_cli(
        &["revocation", "check", "--kind", "bloom", &hostile, member],
        b"",
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("0 hash rounds"));
}

#[test]
fn verify_revoked_by_each_hash_type_and_kind() {
    for name in ["valid-es256-vaccination", "valid-ps256"] {
        let qr = pass(name);
        let (code, json) = verify_json(&qr, &[]);
        assert_eq!(code, 0);
        assert_eq!(json["checks"]["revocation"], "skipped");
        assert!(
            json.get("revocation").is_none(),
            "no revocation object without data"
        );
        for hash_type in ["UCI", "COUNTRYCODEUCI", "SIGNATURE"] {
            let hash = one_hash(&qr, hash_type);
            for kind in ["bloom", "hashlist"] {
                let file = build(kind, &["--p", "1e-12"], &[&hash], &format!("{kind}.bin"));
                let (code, json) = verify_json(&qr, &[&spec(kind, hash_type, &file)]);
                assert_eq!(code, 1, "{name} {kind} {hash_type}");
                assert_eq!(json["verdict"], "invalid");
                assert_eq!(json["reason"], "revoked");
                assert_eq!(json["checks"]["revocation"], "fail");
                assert_eq!(json["checks"]["signature"], "pass");
                let r = &json["revocation"];
                assert_eq!(r["hash_type"], hash_type);
                assert_eq!(r["source"], file.display().to_string());
                assert!(r["false_positive_probability"].as_f64().unwrap() < 1e-6);
                assert!(r.get("data_age_secs").is_none());
            }
        }
        // The French blocklist.
        let list = scratch("fr.txt");
        let fingerprint = one_hash(&qr, "FR_DCC");
        std::fs::write(&list, format!("{}\n{fingerprint}\n", "0".repeat(64))).unwrap();
        let (code, json) = verify_json(&qr, &[&format!("fr-blocklist:{}", list.display())]);
        assert_eq!((code, &json["reason"]), (1, &Value::from("revoked")));
        assert_eq!(json["revocation"]["hash_type"], "FR_DCC");
        assert_eq!(
            json["revocation"]["false_positive_probability"],
            Value::Null
        );
    }
}

#[test]
fn verify_scoping_and_data_age() {
    let qr = pass("valid-es256-vaccination");
    let hash = one_hash(&qr, "UCI");
    let file = build("bloom", &["--p", "1e-12"], &[&hash], "scoped.bf");
    let with = |options: &str| format!("bloom[{options}]:UCI:{}", file.display());

    let (code, json) = verify_json(
        &qr,
        &[&with(&format!("kid={ES256_KID},prefix={}", &hash[..2]))],
    );
    assert_eq!((code, &json["reason"]), (1, &Value::from("revoked")));
    // Another kid, an expired slice: not covered.
    for options in ["kid=AAAAAAAAAAA=", "expires=2021-08-01T00:00:00Z"] {
        let (code, json) = verify_json(&qr, &[&with(options)]);
        assert_eq!(code, 0, "{options}");
        assert_eq!(json["checks"]["revocation"], "skipped");
    }
    // Another chunk of the same kid: checked and not revoked.
    let other = if hash.starts_with('0') { "1" } else { "0" };
    let (code, json) = verify_json(&qr, &[&with(&format!("kid={ES256_KID},prefix={other}"))]);
    assert_eq!(
        (code, &json["checks"]["revocation"]),
        (0, &Value::from("pass"))
    );
    assert_eq!(json["revocation"], serde_json::json!({}));

    // The data's age, in JSON and in the summary.
    let trust = fixture("trust/trustlist.json");
    let spec = spec("bloom", "SIGNATURE", &file);
    let base = common::authenticity_args(&trust, AT, &["--revocation", &spec]);
    let age = ["--revocation-issued-at", "2021-08-31T23:00:00Z"];
    let out = common::run_cli(&[&base[..], &age, &["--json", &qr]].concat(), b"");
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["revocation"]["data_age_secs"], 3600);
    let out = common::run_cli(&[&base[..], &age, &[&qr]].concat(), b"");
    assert!(stdout(&out).contains("revocation data age: 3600 s"));
}

#[test]
fn verify_rejects_bad_revocation_specs() {
    let qr = pass("valid-es256-vaccination");
    let file = build("bloom", &["--p", "1e-12"], &["00"], "spec.bf");
    let f = file.display();
    for spec in [
        format!("bloom:{f}"),
        format!("bloom:UCY:{f}"),
        format!("bloom:FR_DCC:{f}"),
        format!("cuckoo:UCI:{f}"),
        format!("hashlist:UCI:{f}"),
        format!("bloom[kid=***]:UCI:{f}"),
        format!("bloom[prefix=ABC]:UCI:{f}"),
        format!("bloom[colour=red]:UCI:{f}"),
        format!("bloom[expires=yesterday]:UCI:{f}"),
        "bloom:UCI:/nonexistent/file".to_string(),
        "fr-blocklist:".to_string(),
    ] {
        let trust = fixture("trust/trustlist.json");
        let out = common::run_cli(
            &common::authenticity_args(&trust, AT, &["--revocation", &spec, &qr]),
            b"",
        );
        assert_eq!(out.status.code(), Some(2), "{spec}");
        assert!(!out.stderr.is_empty(), "{spec}");
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
