//! Deterministic generator of the test fixtures under `fixtures/`: test signer keys and their
//! certificates, a DGCG-shaped trust list, signed HC1 passes (valid and broken in one way
//! each), the manifest of what the verifier must conclude for each, and a demo set.
//!
//! ```text
//! cargo run --example gen_fixtures -- fixtures
//! ```
//!
//! Every byte derives from fixed labels (keys, PSS salts) and RFC 6979 (ECDSA nonces): running
//! it twice gives identical files. It builds each layer itself (CBOR, COSE, base45, DER, QR)
//! rather than with the crate under test, so the fixtures check the verifier independently.

mod base45;
mod cases;
mod cbor;
mod der;
mod pass;
mod qr;
mod signers;
mod twoddoc;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use serde::ser::SerializeMap as _;
use serde::Serialize;
use sha2::{Digest as _, Sha256};

use cases::{Case, Expect};
use signers::Signer;

/// Subdirectories the generator owns: files in them that it did not write are removed.
const OWNED_DIRS: [&str; 6] = ["keys", "trust", "untrusted", "passes", "demo", "2ddoc"];

/// Where the manifest says the files are, relative to the crate root.
const FIXTURES: &str = "fixtures";
const TRUST_LIST: &str = "fixtures/trust/trustlist.json";

/// Demo files: (file name, case).
const DEMO: [(&str, &str); 3] = [
    ("valid", "valid-es256-vaccination"),
    ("expired", "expired"),
    ("tampered", "tampered-payload"),
];
/// Demo passes also written as QR code images.
const DEMO_PNG: [&str; 2] = ["valid", "expired"];

/// Longest text a QR code holds (version 40-L alphanumeric), as src/limits.rs.
const MAX_QR_CHARS: usize = 4_296;

fn main() {
    let out = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| FIXTURES.to_owned()),
    );
    let signers = signers::all();
    let cases = cases::all(&signers);
    for case in &cases {
        assert!(
            case.name == "input-too-large" || case.text.len() <= MAX_QR_CHARS,
            "{} does not fit a QR code ({} characters)",
            case.name,
            case.text.len()
        );
    }

    let mut files = Files::default();
    write_signers(&mut files, &signers);
    for case in &cases {
        files.add(
            &format!("passes/{}.txt", case.name),
            format!("{}\n", case.text),
        );
    }
    files.add("passes/manifest.json", json(&manifest(&cases)));
    write_demo(&mut files, &cases);
    write_2ddoc(&mut files, &signers);
    files.add("README.md", readme(&signers, &cases));
    files.write(&out);
}

/// The files to write, by path relative to the output directory.
#[derive(Default)]
struct Files(BTreeMap<String, Vec<u8>>);

impl Files {
    fn add(&mut self, path: &str, bytes: impl Into<Vec<u8>>) {
        let previous = self.0.insert(path.to_owned(), bytes.into());
        assert!(previous.is_none(), "{path} written twice");
    }

    fn get(&self, path: &str) -> &[u8] {
        self.0
            .get(path)
            .unwrap_or_else(|| panic!("{path} not generated"))
    }

    /// Writes every file, then removes files in [`OWNED_DIRS`] that were not written (left
    /// over from renamed or dropped cases).
    fn write(&self, out: &Path) {
        for (path, bytes) in &self.0 {
            let path = out.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        }
        for dir in OWNED_DIRS {
            for entry in std::fs::read_dir(out.join(dir)).unwrap() {
                let entry = entry.unwrap();
                let relative = format!("{dir}/{}", entry.file_name().to_string_lossy());
                if !self.0.contains_key(&relative) {
                    println!("removing stale {relative}");
                    std::fs::remove_file(entry.path()).unwrap();
                }
            }
        }
        println!("wrote {} files under {}", self.0.len(), out.display());
    }
}

fn json(value: &impl Serialize) -> String {
    serde_json::to_string_pretty(value).unwrap() + "\n"
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut s, b| {
        write!(s, "{b:02x}").unwrap();
        s
    })
}

/// One entry of a DGCG trust list (the shape of the EU gateway's and national mirrors' lists;
/// the upload `signature` is left out: verifiers do not check it).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TrustListEntry {
    certificate_type: &'static str,
    country: &'static str,
    kid: String,
    raw_data: String,
    thumbprint: String,
    timestamp: &'static str,
}

#[derive(Serialize)]
struct TrustList {
    certificates: Vec<TrustListEntry>,
}

fn write_signers(files: &mut Files, signers: &[Signer]) {
    let mut bundle = String::new();
    let mut certificates = Vec::new();
    for signer in signers {
        let name = signer.spec.name;
        let cert_pem = der::pem("CERTIFICATE", &signer.cert_der);
        files.add(
            &format!("keys/{name}.key.pem"),
            der::pem("PRIVATE KEY", &signer.key.pkcs8_der()),
        );
        let dir = if signer.spec.trusted {
            "trust"
        } else {
            "untrusted"
        };
        files.add(&format!("{dir}/{name}.der"), signer.cert_der.clone());
        files.add(&format!("{dir}/{name}.pem"), cert_pem.clone());
        if signer.spec.trusted {
            bundle.push_str(&cert_pem);
            certificates.push(TrustListEntry {
                certificate_type: "DSC",
                country: "XX",
                kid: b64(&signer.kid),
                raw_data: b64(&signer.cert_der),
                thumbprint: hex(&Sha256::digest(&signer.cert_der)),
                timestamp: "2021-01-01T00:00:00+00:00",
            });
        }
    }
    files.add("trust/signers.pem", bundle);
    files.add("trust/trustlist.json", json(&TrustList { certificates }));
}

/// Check name -> `pass`/`fail`, serialised as a JSON object in pipeline order.
struct Checks(Vec<(&'static str, &'static str)>);

impl Serialize for Checks {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (check, status) in &self.0 {
            map.serialize_entry(check, status)?;
        }
        map.end()
    }
}

#[derive(Serialize)]
struct ManifestEntry {
    name: &'static str,
    file: String,
    trust: [&'static str; 1],
    at: String,
    verdict: &'static str,
    reason: Option<&'static str>,
    checks: Checks,
    description: &'static str,
}

fn checks(expect: &Expect) -> Checks {
    let mut out = Vec::new();
    match expect {
        Expect::Valid => out.extend(cases::CHECKS.iter().map(|&c| (c, "pass"))),
        Expect::Invalid { check, unsure, .. } => {
            for c in cases::CHECKS {
                if c == *check {
                    out.push((c, "fail"));
                    break;
                }
                if !unsure.contains(&c) {
                    out.push((c, "pass"));
                }
            }
            assert!(
                out.last() == Some(&(*check, "fail")),
                "unknown check {check}"
            );
        }
    }
    Checks(out)
}

fn manifest(cases: &[Case]) -> Vec<ManifestEntry> {
    cases
        .iter()
        .map(|case| ManifestEntry {
            name: case.name,
            file: format!("{FIXTURES}/passes/{}.txt", case.name),
            trust: [TRUST_LIST],
            at: pass::rfc3339(pass::AT),
            verdict: match case.expect {
                Expect::Valid => "valid",
                Expect::Invalid { .. } => "invalid",
            },
            reason: match case.expect {
                Expect::Valid => None,
                Expect::Invalid { reason, .. } => Some(reason),
            },
            checks: checks(&case.expect),
            description: case.about,
        })
        .collect()
}

fn write_demo(files: &mut Files, cases: &[Case]) {
    for (file, case) in DEMO {
        let text = files.get(&format!("passes/{case}.txt")).to_vec();
        files.add(&format!("demo/{file}.txt"), text);
    }
    for file in DEMO_PNG {
        let case = DEMO.iter().find(|(f, _)| *f == file).unwrap().1;
        let text = &cases.iter().find(|c| c.name == case).unwrap().text;
        let code = qr::QrCode::encode_alphanumeric(text);
        files.add(&format!("demo/{file}.png"), qr::png(&code, 4));
    }
    let trust_list = files.get("trust/trustlist.json").to_vec();
    files.add("demo/trustlist.json", trust_list);
}

/// A signed 2D-DOC, its DataMatrix picture, and a copy tampered after signing.
fn write_2ddoc(files: &mut Files, signers: &[Signer]) {
    let text = twoddoc::b2_negative(signers::by_name(signers, "es256"));
    let (side, modules) = twoddoc::datamatrix(&text);
    files.add(
        "2ddoc/b2-negative.png",
        qr::png_of_modules(side, |x, y| modules[y * side + x], 6),
    );
    files.add("2ddoc/b2-tampered.2ddoc", twoddoc::tampered(&text));
    files.add("2ddoc/b2-negative.2ddoc", text);
}

fn date((y, m, d): signers::Date) -> String {
    format!("{y:04}-{m:02}-{d:02}")
}

fn readme(signers: &[Signer], cases: &[Case]) -> String {
    let mut s = String::new();
    let w = &mut s;
    let at = pass::rfc3339(pass::AT);
    let (iat, exp) = (pass::rfc3339(pass::IAT), pass::rfc3339(pass::EXP));
    writeln!(
        w,
        "# Test fixtures

**Generated: do not edit.** Every file here (this README included) is written by
`examples/gen_fixtures/`; change the generator and regenerate instead:

```sh
cargo run --example gen_fixtures -- fixtures
```

The generator is deterministic (fixed key seeds, RFC 6979 ECDSA nonces, seeded PSS salts), so
regenerating gives byte-identical files. Check that the committed files are current with
`cargo run --example gen_fixtures -- fixtures && git diff --exit-code fixtures`, or write to
another directory and compare: `cargo run --example gen_fixtures -- /tmp/fx && diff -r fixtures /tmp/fx`
(the manifest names `fixtures/...` paths wherever the output goes).
The bytes depend on the locked versions of `rsa` (key generation), `p256` and `miniz_oxide`
(deflate output): after updating one of them, regenerate and commit.

## The keys are test-only

Every private key in `keys/` derives from a public label in the generator. They are published
test material, worth nothing: never trust these certificates outside tests.

## Layout

| path | what |
|---|---|
| `keys/<signer>.key.pem` | private keys, PKCS#8 PEM (test-only) |
| `trust/<signer>.der`, `.pem` | each trusted signer's self-signed X.509 DSC |
| `trust/trustlist.json` | DGCG-shaped trust list of all trusted signers (`{{\"certificates\":[{{certificateType, country, kid, rawData, thumbprint, timestamp}}]}}`) |
| `trust/signers.pem` | the same certificates as a PEM bundle (kids derived from the certificates, so the kid collision below does not exist there) |
| `untrusted/rogue.der`, `.pem` | the certificate of a signer in no trust list |
| `passes/<case>.txt` | one `HC1:` text per case, followed by a newline (strip it) |
| `passes/manifest.json` | what the verifier must conclude for each pass |
| `demo/` | a small demo set: passes, the trust list, two QR code images |
| `2ddoc/b2-negative.2ddoc`, `.png` | a French 2D-DOC (B2 test result, control bytes included, no trailing newline) signed by `es256` as CA `FX01`, certificate `FIX1`, and the same as a DataMatrix picture (rxing's encoder) |
| `drl/python-{{ustar,gnu,pax}}.tar.gz` | EU slice archives written by Python's `tarfile` and `gzip` (by `fuzz/seed.sh drl_archive`), one per tar dialect: the same Bloom slice as `bMIm/1VFK1c=/null/5/<sid>` and under a 120-character kid (ustar prefix, GNU `L` long name, PAX `path`), for the reader's tests against an independent writer |
| `2ddoc/b2-tampered.2ddoc` | the same with the result changed after signing (`signature_invalid`) |

## Signers

All certificates: subject and issuer `C=XX, CN=DCC test signer <name>`, self-signed (ECDSA with
SHA-256, or RSA PKCS#1 v1.5 with SHA-256), kid = first 8 bytes of SHA-256 of the DER.

| signer | kid (base64) | key | validity | extended key usage | about |
|---|---|---|---|---|---|"
    )
    .unwrap();
    for signer in signers {
        let spec = signer.spec;
        let eku = if spec.eku.is_empty() {
            "none".to_owned()
        } else {
            spec.eku.join(", ")
        };
        writeln!(
            w,
            "| `{}` | `{}` | {} | {}..{} | {} | {} |",
            spec.name,
            b64(&signer.kid),
            if spec.rsa { "RSA-2048" } else { "EC P-256" },
            date(spec.not_before),
            date(spec.not_after),
            eku,
            spec.about,
        )
        .unwrap();
    }
    writeln!(
        w,
        "
## Passes

Built layer by layer: DCC payload (schema 1.3.0, person `Testperson`/`TESTPERSON`, born
1990-01-01, UVCI `URN:UVCI:01:XX:<CASE/NAME>`), CWT claims `{{1: \"XX\", 4: exp, 6: iat, -260: {{1:
dcc}}}}` with iat {iat} and exp {exp} unless the case says otherwise, COSE_Sign1 (tag 18,
protected `{{1: alg, 4: kid}}`; ES256 as 64-byte r || s, PS256 with a 32-byte salt), zlib,
base45, `HC1:`.

`passes/manifest.json` holds, for each case: `name`, `file`, `trust` (trust lists to load),
`at` (the verification time, {at}), `verdict` (`valid` or `invalid`), `reason` (the
`Reason::code` of the earliest failed check, in the order prefix, base45, decompress, cose,
payload, signature, key_usage, signer_validity, expiry, schema, revocation) and `checks`: the
`Check::name` statuses that follow from the case alone. For a valid pass that is every check
from `prefix` to `schema` (revocation is skipped: no revocation data comes with these cases;
`tests/revocation_e2e.rs` builds some from them); for an invalid one, the failed check
and the checks before it. Checks after the failed one are left out: whether they run is the
verifier's business.

| case | verdict | reason | description |
|---|---|---|---|"
    )
    .unwrap();
    for case in cases {
        let (verdict, reason) = match case.expect {
            Expect::Valid => ("valid", "".to_owned()),
            Expect::Invalid { check, reason, .. } => ("invalid", format!("`{reason}` ({check})")),
        };
        writeln!(
            w,
            "| `{}` | {verdict} | {reason} | {} |",
            case.name, case.about
        )
        .unwrap();
    }
    writeln!(
        w,
        "
## Demo

`demo/` holds three passes and the trust list they are checked against, at {at}:

| file | case | expected |
|---|---|---|"
    )
    .unwrap();
    for (file, name) in DEMO {
        let case = cases.iter().find(|c| c.name == name).unwrap();
        let expected = match case.expect {
            Expect::Valid => "valid".to_owned(),
            Expect::Invalid { reason, .. } => format!("invalid: `{reason}`"),
        };
        writeln!(w, "| `demo/{file}.txt` | `{name}` | {expected} |").unwrap();
    }
    writeln!(
        w,
        "
`demo/valid.png` and `demo/expired.png` are the QR codes of `valid.txt` and `expired.txt`
(alphanumeric mode, error correction level Q, 4 pixels per module), drawn by the generator's
own QR encoder."
    )
    .unwrap();
    s
}
