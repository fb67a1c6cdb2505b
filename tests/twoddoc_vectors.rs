//! Every 2D-DOC specimen and synthetic vector in `../shared/france/vectors`, with its expected
//! result, the blacklist fingerprints, and bad input giving precise errors.

mod common;

use std::path::Path;

use dcc_verifier::revocation::{
    to_hex, Blocklist, Filter, HashType, RevocationStatus, RevocationStore, Slice,
};
use dcc_verifier::trust::twoddoc_keys::{check_signer_validity, TwoDDocKeys};
use dcc_verifier::twoddoc::{self, Content, CycleStatus, TestOutcome, TwoDDocError};
use dcc_verifier::UnixTime;
use serde_json::Value;

fn read(dir: &Path, file: &str) -> String {
    let bytes = std::fs::read(dir.join(file)).unwrap();
    String::from_utf8(bytes).unwrap()
}

fn keys(dir: &Path) -> TwoDDocKeys {
    let mut keys = TwoDDocKeys::new();
    for (ca, cert, file) in [
        ("FR00", "0001", "keys/FR00-0001_cert.der"),
        ("DHI0", "TST1", "keys/DHI0-TST1_pub.pem"),
        ("FR03", "AV01", "keys/FR03-AV01_cert.der"),
        ("FR03", "AHP1", "keys/FR03-AHP1_pub.pem"),
    ] {
        let added = keys
            .add_bytes(ca, cert, &std::fs::read(dir.join(file)).unwrap())
            .unwrap();
        assert_eq!(added, 1, "{file}");
    }
    keys
}

fn date(text: &str) -> Option<UnixTime> {
    UnixTime::parse_rfc3339(text)
}

/// The ANTS test certificate FR00/0001 is valid 2012-11-01..2015-11-01.
#[test]
fn keys_from_certificates_keep_their_validity() {
    let Some(dir) = common::shared_dir("france/vectors") else {
        return;
    };
    let keys = keys(&dir);
    let ants = &keys.get("FR00", "0001")[0];
    assert_eq!(ants.not_before, date("2012-11-01T13:47:46Z"));
    assert_eq!(ants.not_after, date("2015-11-01T13:47:46Z"));
    let tac = &keys.get("DHI0", "TST1")[0];
    assert_eq!((tac.not_before, tac.not_after), (None, None));
    assert!(keys.get("FR03", "AV02").is_empty());
}

#[test]
fn specimens_verify() {
    let Some(dir) = common::shared_dir("france/vectors") else {
        return;
    };
    let keys = keys(&dir);
    let now = date("2026-01-01T00:00:00Z").unwrap();
    // file, doc type, version, signer valid at the signature date
    let specimens = [
        ("ants_L1_specimen_FR00-0001.2ddoc", "L1", 4, false),
        ("ants_B2_specimen_FR00-0001.2ddoc", "B2", 4, true),
        ("ants_doc12_v04_specimen_FR00-0001.2ddoc", "12", 4, false),
        ("ants_doc01_v02_specimen_FR00-0001.2ddoc", "01", 2, true),
        ("ants_docB0_v03_specimen_FR00-0001.2ddoc", "B0", 3, false),
        ("ants_docA3_v03_specimen_FR00-0001.2ddoc", "A3", 3, false),
        ("ants_doc08_mrz_v03_specimen_FR00-0001.2ddoc", "08", 3, true),
        ("tac_B2_test_DHI0-TST1.2ddoc", "B2", 4, true),
    ];
    let mut verified = 0;
    for (file, doc_type, version, signer_valid) in specimens {
        let text = read(&dir, &format!("2ddoc/{file}"));
        let doc = twoddoc::parse(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(doc.header().doc_type, doc_type, "{file}");
        assert_eq!(doc.header().version, version, "{file}");
        let test_ca = doc.header().is_test();
        assert_eq!(test_ca, file.contains("FR00"), "{file}");
        if test_ca {
            assert!(
                matches!(keys.verify(&doc, false), Err(TwoDDocError::TestCa { .. })),
                "{file}"
            );
        }
        let key = keys
            .verify(&doc, true)
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        verified += 1;
        assert_eq!(
            check_signer_validity(key, &doc, now, 0).is_ok(),
            signer_valid,
            "{file}"
        );
        doc.content().unwrap_or_else(|e| panic!("{file}: {e}"));
    }
    assert_eq!(verified, 8);
}

#[test]
fn specimen_content() {
    let Some(dir) = common::shared_dir("france/vectors") else {
        return;
    };
    let b2 = twoddoc::parse(&read(&dir, "2ddoc/ants_B2_specimen_FR00-0001.2ddoc")).unwrap();
    let Ok(Content::TestResult(t)) = b2.content() else {
        panic!("B2 not typed")
    };
    assert_eq!(
        (t.first_names.as_str(), t.surname.as_str()),
        ("CORRINE", "BERTHIER")
    );
    assert_eq!(t.birth_date, "06121965");
    assert_eq!(t.result, TestOutcome::NonCompliant);
    assert_eq!(t.sampled_at_time(), date("2013-06-20T12:00:00Z"));
    assert_eq!(b2.signed_data().len(), 83);

    let l1 = twoddoc::parse(&read(&dir, "2ddoc/ants_L1_specimen_FR00-0001.2ddoc")).unwrap();
    let Ok(Content::Vaccination(v)) = l1.content() else {
        panic!("L1 not typed")
    };
    assert_eq!(v.agent, "J07BX03");
    assert!(v.dose_number >= 1 && v.doses_expected >= 1);
    assert!(matches!(
        v.status,
        CycleStatus::Complete | CycleStatus::InProgress
    ));
}

fn unescape(escaped: &str) -> String {
    escaped
        .replace("\\x1d", "\u{1d}")
        .replace("\\x1e", "\u{1e}")
        .replace("\\x1f", "\u{1f}")
}

fn fields_json(fields: &[twoddoc::Field]) -> Value {
    fields
        .iter()
        .map(|f| serde_json::json!({"id": f.id, "value": f.value, "truncated": f.truncated}))
        .collect()
}

#[test]
fn synthetic_vectors() {
    let Some(dir) = common::shared_dir("france/vectors") else {
        return;
    };
    let keys = keys(&dir);
    let index: Value = serde_json::from_str(&read(&dir, "synthetic/index.json")).unwrap();
    let vectors = index["vectors"].as_array().unwrap();
    assert_eq!(vectors.len(), 14);
    for v in vectors {
        let file = v["file"].as_str().unwrap();
        let text = read(&dir, file);
        assert_eq!(text, unescape(v["escaped"].as_str().unwrap()), "{file}");
        let doc = twoddoc::parse(&text).unwrap_or_else(|e| panic!("{file}: {e}"));

        let h = &v["expected_header"];
        let header = doc.header();
        assert_eq!(
            header.version.to_string(),
            h["version"].as_str().unwrap().trim_start_matches('0')
        );
        assert_eq!(header.ca_id, h["ca_id"].as_str().unwrap(), "{file}");
        assert_eq!(header.cert_id, h["cert_id"].as_str().unwrap(), "{file}");
        assert_eq!(header.doc_type, h["doc_type"].as_str().unwrap(), "{file}");
        assert_eq!(
            header.perimeter.as_deref(),
            h["perimeter"].as_str(),
            "{file}"
        );
        assert_eq!(header.country.as_deref(), h["country"].as_str(), "{file}");
        for (ours, key) in [
            (header.issue_date, "issue_date"),
            (header.signature_date, "signature_date"),
        ] {
            assert_eq!(ours, h[key].as_str().and_then(date), "{file} {key}");
        }

        let fields = doc.fields().unwrap().unwrap();
        assert_eq!(fields_json(fields), v["expected_fields"], "{file}");
        let annex = doc.unsigned_annex().map_or(Value::Null, fields_json);
        assert_eq!(annex, v["expected_annex"], "{file}");
        assert_eq!(
            to_hex(&doc.fingerprint()),
            v["expected_blacklist_sha256"].as_str().unwrap(),
            "{file}"
        );
        doc.content().unwrap_or_else(|e| panic!("{file}: {e}"));

        let expected_valid = v["expected_signature_valid_with_FR00_0001"]
            .as_bool()
            .unwrap();
        let result = keys.verify(&doc, true);
        if file.contains("S11") {
            // Reserved test certificate id: rejected by default, and no key exists for it.
            assert!(matches!(
                keys.verify(&doc, false),
                Err(TwoDDocError::TestCa { .. })
            ));
            assert_eq!(
                result.unwrap_err(),
                TwoDDocError::UnknownSigner {
                    ca_id: "FR00".into(),
                    cert_id: "0000".into()
                }
            );
        } else if expected_valid {
            let key = result.unwrap_or_else(|e| panic!("{file}: {e}"));
            // Signed 2021-09-01 with a certificate that expired 2015-11-01.
            assert!(matches!(
                check_signer_validity(key, &doc, date("2021-09-02T00:00:00Z").unwrap(), 0),
                Err(TwoDDocError::SignerExpired { .. })
            ));
        } else {
            assert_eq!(
                result.unwrap_err(),
                TwoDDocError::SignatureInvalid,
                "{file}"
            );
        }
    }
}

#[test]
fn blacklist_hash_vectors() {
    let Some(dir) = common::shared_dir("france/vectors") else {
        return;
    };
    let vectors: Value =
        serde_json::from_str(&read(&dir, "blacklist/blacklist_hash_vectors.json")).unwrap();
    let list = vectors["2ddoc"].as_array().unwrap();
    assert!(list.len() >= 8);
    for v in list {
        let file = v["file"].as_str().unwrap();
        let doc = twoddoc::parse(&read(&dir, file)).unwrap();
        assert_eq!(
            Some(doc.signed_data().len() as u64),
            v["hashed_input_len"].as_u64(),
            "{file}"
        );
        assert_eq!(
            to_hex(&doc.fingerprint()),
            v["sha256"].as_str().unwrap(),
            "{file}"
        );
    }
}

/// The French blocklist (one list of SHA-256 fingerprints for DCC and 2D-DOC) through the
/// revocation store: a listed 2D-DOC is revoked, another is not.
#[test]
fn blocklist_through_the_revocation_store() {
    let Some(dir) = common::shared_dir("france/vectors") else {
        return;
    };
    let s01 = twoddoc::parse(&read(&dir, "synthetic/S01_B2_negative_PCR.2ddoc")).unwrap();
    let s03 = twoddoc::parse(&read(&dir, "synthetic/S03_L1_complete_TE.2ddoc")).unwrap();
    let tac =
        std::fs::read(dir.join("blacklist/tacv_blacklist_dcc+2ddoc_sanipasse_2022-02-18.txt"))
            .unwrap();
    let mut lines = tac;
    lines.extend_from_slice(format!("\n{}\n", to_hex(&s01.fingerprint())).as_bytes());
    let now = UnixTime::from_secs(1_700_000_000);
    let mut store = RevocationStore::new();
    store.add(
        Slice::new(
            Filter::Blocklist(Blocklist::from_hex_lines(&lines).unwrap()),
            [HashType::FrDcc],
            "tacv+S01",
        )
        .unwrap(),
    );
    match s01.revocation_status(&store, now) {
        RevocationStatus::Revoked(found) => {
            assert_eq!(found.hash_type, HashType::FrDcc);
            assert_eq!(found.source, "tacv+S01");
        }
        other => panic!("S01 not revoked: {other:?}"),
    }
    assert_eq!(
        s03.revocation_status(&store, now),
        RevocationStatus::NotRevoked
    );
    assert_eq!(
        s03.revocation_status(&RevocationStore::new(), now),
        RevocationStatus::NotCovered
    );
}

#[test]
fn bad_input_gives_precise_errors() {
    let Some(dir) = common::shared_dir("france/vectors") else {
        return;
    };
    let keys = keys(&dir);
    let good = read(&dir, "synthetic/S01_B2_negative_PCR.2ddoc");
    assert!(keys.verify(&twoddoc::parse(&good).unwrap(), true).is_ok());

    // Truncated signature: 102 of 103 base32 characters leave 63 bytes.
    let truncated = &good[..good.len() - 2];
    let doc = twoddoc::parse(truncated).unwrap();
    assert!(matches!(
        keys.verify(&doc, true).unwrap_err(),
        TwoDDocError::SignatureLength { .. } | TwoDDocError::SignatureEncoding
    ));
    // 96 of 103 characters: exactly 60 bytes.
    let doc = twoddoc::parse(&good[..good.len() - 7]).unwrap();
    assert_eq!(
        keys.verify(&doc, true).unwrap_err(),
        TwoDDocError::SignatureLength { actual: 60 }
    );
    // Signature cut off entirely (a scanner dropped the unit separator).
    assert_eq!(
        twoddoc::parse(&good.replace('\u{1f}', "")).unwrap_err(),
        TwoDDocError::MissingSignature
    );
    // Not base32.
    let doc = twoddoc::parse(&good.replace("6KICM", "6kicm")).unwrap();
    assert_eq!(
        keys.verify(&doc, true).unwrap_err(),
        TwoDDocError::SignatureEncoding
    );

    // Wrong CA: same bytes claimed by another (unknown) signer.
    let doc = twoddoc::parse(&good.replacen("FR000001", "FR030001", 1)).unwrap();
    assert_eq!(
        keys.verify(&doc, true).unwrap_err(),
        TwoDDocError::UnknownSigner {
            ca_id: "FR03".into(),
            cert_id: "0001".into()
        }
    );
    // Right CA, wrong key: FR03/AHP1 does not verify an FR00 signature.
    let doc = twoddoc::parse(&good.replacen("FR000001", "FR03AHP1", 1)).unwrap();
    assert_eq!(
        keys.verify(&doc, false).unwrap_err(),
        TwoDDocError::SignatureInvalid
    );

    // Tampered field: birth date changed.
    let doc = twoddoc::parse(&good.replace("F215031985", "F215031986")).unwrap();
    assert_eq!(
        keys.verify(&doc, true).unwrap_err(),
        TwoDDocError::SignatureInvalid
    );
    // Tampered header date.
    let doc = twoddoc::parse(&good.replacen("1EEA1EEA", "1EEA1EEB", 1)).unwrap();
    assert_eq!(
        keys.verify(&doc, true).unwrap_err(),
        TwoDDocError::SignatureInvalid
    );
}

/// The 2D-DOC under the same verdict as the DCC: format detected from the text, DCC-only checks
/// skipped, precise reasons.
#[test]
fn verifier_verdict() {
    use dcc_verifier::{Check, Format, Policy, Reason, Status, TrustStore, Verifier};
    let Some(dir) = common::shared_dir("france/vectors") else {
        return;
    };
    let now = date("2021-09-02T00:00:00Z").unwrap();
    let verifier = Verifier::new(TrustStore::new()).with_twoddoc_keys(keys(&dir));
    let testing = Verifier::with_policy(
        TrustStore::new(),
        Policy::default().with_twoddoc_test_ca(true),
    )
    .with_twoddoc_keys(keys(&dir));

    // Production-style key (no certificate window): valid.
    let tac = read(&dir, "2ddoc/tac_B2_test_DHI0-TST1.2ddoc");
    let report = verifier.verify(&tac, now);
    assert_eq!(report.format(), Format::TwoDDoc);
    assert!(report.is_valid(), "{:?}", report.failures());
    for check in [
        Check::Base45,
        Check::Decompress,
        Check::Cose,
        Check::Payload,
        Check::KeyUsage,
        Check::Expiry,
    ] {
        assert_eq!(report.status(check), Status::Skipped, "{check:?}");
    }
    for check in [
        Check::Prefix,
        Check::Signature,
        Check::SignerValidity,
        Check::Schema,
    ] {
        assert_eq!(report.status(check), Status::Pass, "{check:?}");
    }
    let doc = report.verified().unwrap().twoddoc().unwrap();
    assert!(matches!(doc.content(), Ok(Content::TestResult(_))));
    assert!(!format!("{report:?}").contains("DUPOND"));

    // Test CA: refused by default, verified on opt-in, then its expired certificate shows.
    let s01 = read(&dir, "synthetic/S01_B2_negative_PCR.2ddoc");
    let report = verifier.verify(&s01, now);
    assert_eq!(report.reason(), Some(Reason::UnknownSigner));
    assert!(report.verified().is_none());
    let report = testing.verify(&s01, now);
    assert_eq!(report.status(Check::Signature), Status::Pass);
    assert_eq!(report.reason(), Some(Reason::SignerExpired));
    assert!(!report.is_valid());

    // Tampered field, truncated signature, unreadable header.
    let report = testing.verify(&s01.replace("F5N", "F5P"), now);
    assert_eq!(report.reason(), Some(Reason::SignatureInvalid));
    assert!(report.verified().is_none());
    let report = testing.verify(&s01[..s01.len() - 7], now);
    assert_eq!(report.reason(), Some(Reason::SignatureMalformed));
    let report = verifier.verify("DC09FR000001", now);
    assert_eq!(report.format(), Format::TwoDDoc);
    assert_eq!(report.reason(), Some(Reason::InvalidTwoDDocHeader));
    // Missing mandatory field, with a valid-looking structure.
    let report = verifier.verify(&tac.replacen("F3M", "", 1), now);
    assert_eq!(report.status(Check::Schema), Status::Fail);

    // A DCC is still a DCC.
    assert_eq!(verifier.verify("HC1:XYZ", now).format(), Format::EuDcc);
}
