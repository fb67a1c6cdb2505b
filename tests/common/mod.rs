//! Helpers shared by the integration tests.
#![allow(dead_code)] // each test binary uses a different subset

use std::path::PathBuf;

pub(crate) mod drl_mirror;
pub(crate) mod tar_gz;

/// `../shared` (or `$DCC_SHARED_DIR`) joined with `sub`, or `None` with a printed reason when
/// absent. Under CI (`CI=true`) absence is a failure: the data is mandatory there.
pub(crate) fn shared_dir(sub: &str) -> Option<PathBuf> {
    let base = std::env::var_os("DCC_SHARED_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    let dir = base.join(sub);
    if dir.is_dir() {
        return Some(dir);
    }
    let message = format!("{} not found (set DCC_SHARED_DIR)", dir.display());
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("required test data missing under CI: {message}");
    }
    eprintln!("skipped: {message}");
    None
}

/// `fixtures/REL` in this repository.
pub(crate) fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rel)
}

/// The text of fixture pass NAME, without its final newline.
pub(crate) fn pass_text(name: &str) -> String {
    let text = std::fs::read_to_string(fixture(&format!("passes/{name}.txt"))).unwrap();
    text.trim_end_matches('\n').to_string()
}

/// Base45 encoding (RFC 9285), to build QR texts from raw test vectors.
pub(crate) fn base45_encode(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 45] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
    let mut out = String::new();
    for chunk in bytes.chunks(2) {
        let (mut n, digits) = match chunk {
            [a, b] => (usize::from(*a) * 256 + usize::from(*b), 3),
            [a] => (usize::from(*a), 2),
            _ => unreachable!(),
        };
        for _ in 0..digits {
            out.push(char::from(ALPHABET[n % 45]));
            n /= 45;
        }
    }
    out
}

pub(crate) fn hex_decode(hex: &str) -> Vec<u8> {
    let hex = hex.trim();
    assert!(hex.len() % 2 == 0, "odd hex length");
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect()
}

/// The COSE message inside an `HC1:` text: prefix, base45 and zlib undone by hand (a second,
/// independent decoder, so tests do not trust the one they test).
pub(crate) fn cose_from_qr(qr: &str) -> Result<Vec<u8>, ()> {
    let body = qr.strip_prefix("HC1:").ok_or(())?;
    let alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
    let mut compressed = Vec::new();
    for chunk in body.as_bytes().chunks(3) {
        let mut n = 0usize;
        for &c in chunk.iter().rev() {
            n = n * 45 + alphabet.find(char::from(c)).ok_or(())?;
        }
        match chunk.len() {
            3 => compressed.extend_from_slice(&u16::try_from(n).map_err(|_| ())?.to_be_bytes()),
            _ => compressed.push(u8::try_from(n).map_err(|_| ())?),
        }
    }
    miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(&compressed, 1 << 16).map_err(|_| ())
}

/// JSON equality where numbers compare by value (CBOR may carry 1 where JSON says 1.0).
pub(crate) fn json_equivalent(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value;
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| json_equivalent(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_equivalent(v, w)))
        }
        _ => a == b,
    }
}

/// Runs the real `dcc-verify` binary with `args`, feeding `stdin`.
#[cfg(feature = "cli")]
pub(crate) fn run_cli(args: &[&str], stdin: &[u8]) -> std::process::Output {
    use std::io::Write as _;
    use std::process::{Command, Stdio};

    let mut child = Command::new(env!("CARGO_BIN_EXE_dcc-verify"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

/// `verify --authenticity-only --trust TRUST --at AT` and then `rest`: a run that checks that
/// the pass is genuine and applies no entry rules, the explicit choice most CLI tests make.
#[cfg(feature = "cli")]
pub(crate) fn authenticity_args<'a>(trust: &'a str, at: &'a str, rest: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "verify",
        "--authenticity-only",
        "--trust",
        trust,
        "--at",
        at,
    ];
    args.extend_from_slice(rest);
    args
}

/// Every `*/2DCode/raw/*.json` test case of the dgc-testdata corpus at `root`, sorted.
pub(crate) fn dgc_raw_files(root: &std::path::Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for country in std::fs::read_dir(root).unwrap().flatten() {
        if let Ok(entries) = std::fs::read_dir(country.path().join("2DCode/raw")) {
            out.extend(
                entries
                    .flatten()
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|e| e == "json")),
            );
        }
    }
    out.sort();
    out
}

/// What the verifier takes from a COSE_Sign1 as coset decodes it: the algorithm when it is
/// ES256 or PS256, and the kid, protected header first (empty when there is none).
pub(crate) fn coset_alg_and_kid(
    sign1: &coset::CoseSign1,
) -> Option<(dcc_verifier::crypto::Algorithm, Vec<u8>)> {
    use dcc_verifier::crypto::Algorithm;
    let alg = match sign1.protected.header.alg.as_ref()? {
        coset::RegisteredLabelWithPrivate::Assigned(coset::iana::Algorithm::ES256) => {
            Algorithm::Es256
        }
        coset::RegisteredLabelWithPrivate::Assigned(coset::iana::Algorithm::PS256) => {
            Algorithm::Ps256
        }
        _ => return None,
    };
    let kid = if sign1.protected.header.key_id.is_empty() {
        &sign1.unprotected.key_id
    } else {
        &sign1.protected.header.key_id
    };
    Some((alg, kid.clone()))
}
