//! `dcc-verify verify --revocation-drl DIR`, running the real binary on mirrors written by the
//! generator in tests/common/drl_mirror.rs.
#![cfg(feature = "cli")]

mod common;

use std::path::Path;

use common::drl_mirror::{kid_of, write_mirror, MirrorKid, Scratch, Tamper};
use dcc_verifier::revocation::to_hex;
use serde_json::Value;

const AT: &str = "2021-09-01T00:00:00Z";

fn uci_of(qr: &str) -> Vec<u8> {
    let hashes = dcc_verifier::danger::revocation_hashes(qr).unwrap();
    let uci = hashes
        .of_type(dcc_verifier::revocation::HashType::Uci)
        .next();
    uci.unwrap().to_vec()
}

/// A mirror revoking the ES256 pass's UCI, and listing the PS256 pass's kid with other data.
fn mirror(name: &str, kind: &'static str, tamper: Tamper) -> Scratch {
    let dir = Scratch::new(&format!("cli-{name}"));
    let kid = |pass: &str, revoked: Vec<u8>| MirrorKid {
        kid: kid_of(&common::pass_text(pass)),
        mode: "VECTOR",
        hash_types: vec!["UCI", "SIGNATURE"],
        kind,
        revoked: vec![(revoked, "2022-01-01T00:00:00Z".to_owned())],
        expires: "2022-01-01T00:00:00Z".to_owned(),
        last_updated: "2021-08-31T00:00:00Z".to_owned(),
    };
    let es256 = common::pass_text("valid-es256-vaccination");
    write_mirror(
        &dir,
        &[
            kid("valid-es256-vaccination", uci_of(&es256)),
            kid("valid-ps256", vec![0x77; 16]),
        ],
        tamper,
    );
    dir
}

fn verify(pass: &str, dir: &Path) -> (i32, Option<Value>, String) {
    let trust = common::fixture("trust/trustlist.json")
        .display()
        .to_string();
    let dir = dir.display().to_string();
    let qr = common::pass_text(pass);
    let mut args = common::authenticity_args(&trust, AT, &["--json", "--revocation-drl", &dir]);
    args.push(&qr);
    let out = common::run_cli(&args, b"");
    (
        out.status.code().unwrap(),
        serde_json::from_slice(&out.stdout).ok(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn revoked_and_not_revoked_through_the_cli() {
    for kind in ["BLOOMFILTER", "VARHASHLIST"] {
        let dir = mirror(kind, kind, Tamper::None);
        let (code, json, stderr) = verify("valid-es256-vaccination", &dir);
        let json = json.unwrap_or_else(|| panic!("{stderr}"));
        assert_eq!(
            (code, &json["reason"]),
            (1, &Value::from("revoked")),
            "{kind}"
        );
        assert_eq!(json["revocation"]["hash_type"], "UCI");
        let source = json["revocation"]["source"].as_str().unwrap();
        assert!(source.starts_with("bMIm/1VFK1c=/"), "{source}");
        assert!(json["revocation"]["data_age_secs"].as_i64().unwrap() > 0);
        let (code, json, _) = verify("valid-ps256", &dir);
        let json = json.unwrap();
        assert_eq!(
            (code, &json["checks"]["revocation"]),
            (0, &Value::from("pass"))
        );
    }
}

#[test]
fn a_tampered_slice_is_a_usage_error_naming_it() {
    let flipped = mirror("flip", "BLOOMFILTER", Tamper::FlipSliceByte);
    let (code, json, stderr) = verify("valid-ps256", &flipped);
    assert_eq!(
        (code, json),
        (2, None),
        "nothing verified against a bad mirror"
    );
    assert!(stderr.contains("does not match its sid"), "{stderr}");
    assert!(stderr.contains("bMIm_1VFK1c/"), "{stderr}");

    let listed = mirror("listed", "VARHASHLIST", Tamper::WrongListedHash);
    let (code, _, stderr) = verify("valid-ps256", &listed);
    assert_eq!(code, 2);
    assert!(stderr.contains("is not listed under chunk"), "{stderr}");

    let typed = mirror("typed", "VARHASHLIST", Tamper::TypeMismatch);
    let (code, _, stderr) = verify("valid-ps256", &typed);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("listed as bloom filter but its bytes are a hash list"),
        "{stderr}"
    );
}

#[test]
fn the_layout_is_the_documented_one() {
    let dir = mirror("layout", "BLOOMFILTER", Tamper::None);
    let es256 = common::pass_text("valid-es256-vaccination");
    let partition = to_hex(&uci_of(&es256))[..1].to_owned();
    for path in [
        "lists.json".to_owned(),
        "bMIm_1VFK1c/partitions.json".to_owned(),
        format!("bMIm_1VFK1c/{partition}.tar.gz"),
    ] {
        assert!(dir.join(&path).is_file(), "{path}");
    }
    std::fs::remove_file(dir.join("lists.json")).unwrap();
    let (code, _, stderr) = verify("valid-ps256", &dir);
    assert_eq!(code, 2);
    assert!(stderr.contains("lists.json"), "{stderr}");
}
