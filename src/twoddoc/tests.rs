use super::*;
use crate::trust::twoddoc_keys::{check_signer_validity, TwoDDocKey, TwoDDocKeyError, TwoDDocKeys};

const HEADER_V04: &str = "DC04FR0000011EEA1EEAB201FR";

fn doc(message: &str) -> String {
    format!("{HEADER_V04}{message}\u{1f}AAAA")
}

#[test]
fn header_versions() {
    let v2 = parse("DC02FR000001125E125B0126\u{1f}AA").unwrap();
    assert_eq!(v2.header().version, 2);
    assert_eq!(v2.header().doc_type, "01");
    assert_eq!(v2.header().perimeter, None);
    assert_eq!(v2.header().country, None);
    assert_eq!(v2.raw_message(), b"26");

    let v3 = parse("DC03FR000001FFFF1EEAB201\u{1f}AA").unwrap();
    assert_eq!(v3.header().version, 3);
    assert_eq!(v3.header().issue_date, None);
    assert_eq!(v3.header().perimeter.as_deref(), Some("01"));
    assert_eq!(v3.header().country, None);

    let v4 = parse(&doc("")).unwrap();
    let h = v4.header();
    assert_eq!(
        (h.version, h.ca_id.as_str(), h.cert_id.as_str()),
        (4, "FR00", "0001")
    );
    // 0x1EEA = 7914 days after 2000-01-01 = 2021-09-01.
    assert_eq!(h.issue_date, UnixTime::from_date(2021, 9, 1));
    assert_eq!(h.signature_date, UnixTime::from_date(2021, 9, 1));
    assert_eq!(h.country.as_deref(), Some("FR"));
    assert!(h.is_test());
}

#[test]
fn bad_headers() {
    assert_eq!(
        parse("DC01FR0000011EEA1EEAB2\u{1f}AA").unwrap_err(),
        TwoDDocError::UnsupportedVersion {
            version: "01".into()
        }
    );
    assert_eq!(parse("HC1:ABC").unwrap_err(), TwoDDocError::NotTwoDDoc);
    assert_eq!(
        parse("DC04FR00").unwrap_err(),
        TwoDDocError::BadHeader { part: "length" }
    );
    assert_eq!(
        parse("DC04FR0000011EEG1EEAB201FR\u{1f}AA").unwrap_err(),
        TwoDDocError::BadHeader { part: "issue_date" }
    );
    assert_eq!(
        parse("DC04fr0000011EEA1EEAB201FR\u{1f}AA").unwrap_err(),
        TwoDDocError::BadHeader { part: "ca_id" }
    );
    assert_eq!(
        parse(HEADER_V04).unwrap_err(),
        TwoDDocError::MissingSignature
    );
    assert_eq!(
        parse("DC04FR0000011EEA1EEAB201FR\u{e9}\u{1f}").unwrap_err(),
        TwoDDocError::NonAscii { offset: 26 }
    );
    let long = format!("{HEADER_V04}{}", "0".repeat(MAX_TWODDOC_CHARS));
    assert!(matches!(
        parse(&long).unwrap_err(),
        TwoDDocError::TooLong { .. }
    ));
}

fn ids(d: &TwoDDoc) -> Vec<(String, String, bool)> {
    d.fields()
        .unwrap()
        .unwrap()
        .iter()
        .map(|f| (f.id.clone(), f.value.clone(), f.truncated))
        .collect()
}

#[test]
fn fields_any_order_max_length_truncation_and_trailing_gs() {
    let f1 = "A".repeat(38);
    let text = doc(&format!(
        "F6010920211030F5N01ID42\u{1d}F1{f1}F0ANNE\u{1e}F215031985F3FF4945006\u{1d}\u{1d}"
    ));
    let d = parse(&text).unwrap();
    assert_eq!(
        ids(&d),
        vec![
            ("F6".into(), "010920211030".into(), false),
            ("F5".into(), "N".into(), false),
            ("01".into(), "ID42".into(), false),
            ("F1".into(), f1, false),
            ("F0".into(), "ANNE".into(), true),
            ("F2".into(), "15031985".into(), false),
            ("F3".into(), "F".into(), false),
            ("F4".into(), "945006".into(), false),
        ]
    );
    let Content::TestResult(t) = d.content().unwrap() else {
        panic!("not a test result")
    };
    assert_eq!(t.result, TestOutcome::Negative);
    assert_eq!(t.analysis_code, "945006");
    assert_eq!(
        t.sampled_at_time(),
        UnixTime::parse_rfc3339("2021-09-01T10:30:00Z")
    );
    assert_eq!(d.field("01"), Some("ID42"));
}

#[test]
fn field_errors() {
    let unknown = parse(&doc("F0A\u{1d}ZZ1")).unwrap();
    assert_eq!(
        unknown.fields().unwrap_err(),
        TwoDDocError::UnknownField {
            id: "ZZ".into(),
            offset: 4
        }
    );
    // An L1 identifier is unknown in a B2.
    assert!(matches!(
        parse(&doc("L7")).unwrap().fields().unwrap_err(),
        TwoDDocError::UnknownField { .. }
    ));
    assert_eq!(
        parse(&doc("F2150319")).unwrap().fields().unwrap_err(),
        TwoDDocError::ShortField { id: "F2".into() }
    );
    assert_eq!(
        parse(&doc("F412\u{1d}")).unwrap().fields().unwrap_err(),
        TwoDDocError::ShortField { id: "F4".into() }
    );
    let missing = parse(&doc("F0A\u{1d}F1B\u{1d}F215031985F3F")).unwrap();
    assert_eq!(
        missing.content().unwrap_err(),
        TwoDDocError::MissingField { id: "F4".into() }
    );
    let bad_result = parse(&doc(
        "F0A\u{1d}F1B\u{1d}F215031985F3FF4945006\u{1d}F5QF6010920211030",
    ))
    .unwrap();
    assert_eq!(
        bad_result.content().unwrap_err(),
        TwoDDocError::InvalidField { id: "F5".into() }
    );
}

#[test]
fn other_document_types_are_kept_raw() {
    let d = parse("DC04FR0000011EEA1EEA0101FR10ANYTHING\u{1d}\u{1f}AA").unwrap();
    assert_eq!(d.fields().unwrap(), None);
    assert_eq!(d.raw_message(), b"10ANYTHING\x1d");
    assert_eq!(
        d.content().unwrap(),
        Content::Other {
            doc_type: "01".into()
        }
    );
}

#[test]
fn debug_never_shows_personal_data() {
    let text = doc("F0MARIE\u{1d}F1SECRETNAME\u{1d}F219071977F3FF4945006\u{1d}F5NF6010920211030");
    let d = parse(&text).unwrap();
    let content = d.content().unwrap();
    for shown in [format!("{d:?}"), format!("{content:?}")] {
        assert!(!shown.contains("MARIE"), "{shown}");
        assert!(!shown.contains("SECRETNAME"), "{shown}");
        assert!(!shown.contains("19071977"), "{shown}");
    }
}

#[test]
fn base32() {
    assert_eq!(base32_decode(b"MZXW6YTBOI").unwrap(), b"foobar");
    assert_eq!(base32_decode(b"MZXW6YTBOI======").unwrap(), b"foobar");
    assert_eq!(base32_decode(b"").unwrap(), b"");
    assert_eq!(base32_decode(b"mzxw6"), None);
    assert_eq!(base32_decode(b"MZ=XW"), None);
    assert_eq!(base32_decode(b"MZXW1"), None);
    // Non-zero unused trailing bits.
    assert_eq!(base32_decode(b"MZXW6YTBOJ"), None);
}

#[test]
fn signature_errors_without_keys() {
    let keys = TwoDDocKeys::new();
    let d = parse(&doc("")).unwrap();
    assert!(matches!(
        keys.verify(&d, false).unwrap_err(),
        TwoDDocError::TestCa { .. }
    ));
    assert!(matches!(
        keys.verify(&d, true).unwrap_err(),
        TwoDDocError::UnknownSigner { .. }
    ));
}

#[test]
fn never_panics_on_prefixes() {
    let text = doc("F0MARIE\u{1d}F1B\u{1e}F219071977F3FF4945006\u{1d}F5NF6010920211030");
    for end in 0..=text.len() {
        if let Ok(d) = parse(&text[..end]) {
            let _ = d.content();
            let _ = d.fingerprint();
        }
    }
}

/// The fixture P-256 key, as a key without a certificate window.
fn fixture_key() -> TwoDDocKey {
    let mut keys = TwoDDocKeys::new();
    keys.add_bytes(
        "FR00",
        "0001",
        include_bytes!("../../fixtures/trust/es256.pem"),
    )
    .unwrap();
    TwoDDocKey {
        not_before: None,
        not_after: None,
        ..keys.get("FR00", "0001")[0].clone()
    }
}

const B2_FIELDS: &str = "F0A\u{1d}F1B\u{1d}F215031985F3FF4945006\u{1d}F5N";

#[test]
fn repeated_field_ids_are_refused() {
    // The rules would judge the first F5 and a display the last: neither is read.
    let twice = parse(&doc(&format!("{B2_FIELDS}F6010920211030F5P"))).unwrap();
    let repeated = TwoDDocError::RepeatedField { id: "F5".into() };
    assert_eq!(twice.fields().unwrap_err(), repeated);
    assert_eq!(twice.content().unwrap_err(), repeated);
    assert_eq!(twice.field("F5"), None);
    // A complementary identifier too.
    let ids = parse(&doc(&format!("01A\u{1d}{B2_FIELDS}F601092021103001B"))).unwrap();
    assert_eq!(
        ids.fields().unwrap_err(),
        TwoDDocError::RepeatedField { id: "01".into() }
    );
    // An unsigned annex with a repeated identifier is dropped, like any unreadable annex.
    let annex = parse(&format!(
        "{HEADER_V04}{B2_FIELDS}F6010920211030\u{1f}AAAA\u{1d}01X\u{1d}01Y"
    ))
    .unwrap();
    assert!(annex.fields().is_ok());
    assert_eq!(annex.unsigned_annex(), None);
    assert_eq!(
        crate::Error::TwoDDoc(repeated).reason(),
        crate::Reason::SchemaInvalid
    );
}

#[test]
fn malformed_key_ids_are_refused() {
    let pem = include_bytes!("../../fixtures/trust/es256.pem");
    let mut keys = TwoDDocKeys::new();
    for (ca, cert, part, bad) in [
        ("DHI0X", "TST1", "CA id", "DHI0X"),
        (" DHI0", "TST1", "CA id", " DHI0"),
        ("dhi0", "TST1", "CA id", "dhi0"),
        ("FR0", "AV01", "CA id", "FR0"),
        ("FR03", "av01", "certificate id", "av01"),
        ("FR03", "AV-1", "certificate id", "AV-1"),
        ("FR03", "AV01 ", "certificate id", "AV01 "),
        ("FR03", "", "certificate id", ""),
        ("FR03", "ÀV01", "certificate id", "ÀV01"),
    ] {
        let want = TwoDDocKeyError::BadId {
            part,
            id: bad.into(),
        };
        assert_eq!(
            keys.add_bytes(ca, cert, pem),
            Err(want.clone()),
            "{ca}/{cert}"
        );
        // The ids are checked before the bytes are read.
        assert_eq!(keys.add_bytes(ca, cert, b"junk"), Err(want.clone()));
        assert_eq!(keys.add_key(ca, cert, fixture_key()), Err(want));
    }
    assert!(keys.is_empty());
    let shown = TwoDDocKeyError::BadId {
        part: "CA id",
        id: "DHI0X".into(),
    }
    .to_string();
    assert_eq!(
        shown,
        "2D-DOC CA id \"DHI0X\" is not 4 characters A-Z or 0-9"
    );
    assert_eq!(keys.add_bytes("DHI0", "TST1", pem), Ok(1));
    assert_eq!(keys.add_key("FR03", "AV01", fixture_key()), Ok(()));
    assert!(matches!(
        keys.add_bytes("FR03", "AV02", b"junk"),
        Err(TwoDDocKeyError::Trust(_))
    ));
    assert_eq!(keys.len(), 2);
}

fn at(text: &str) -> UnixTime {
    UnixTime::parse_rfc3339(text).unwrap()
}

#[test]
fn signature_date_must_not_be_in_the_future() {
    let key = fixture_key();
    // Signed 2021-09-01: that day begins in Paris at 2021-08-31T22:00:00Z (summer time).
    let d = parse(&doc(&format!("{B2_FIELDS}F6010920211030"))).unwrap();
    let future = |now| TwoDDocError::SignatureDateInFuture {
        signed: at("2021-09-01T00:00:00Z"),
        now,
    };
    // Paris midnight, without and with the clock skew in the holder's favour.
    for (now, skew, ok) in [
        ("2021-08-31T21:59:59Z", 0, false),
        ("2021-08-31T22:00:00Z", 0, true),
        ("2021-08-31T21:54:59Z", 300, false),
        ("2021-08-31T21:55:00Z", 300, true),
    ] {
        let want = if ok { Ok(()) } else { Err(future(at(now))) };
        assert_eq!(
            check_signer_validity(&key, &d, at(now), skew),
            want,
            "{now}"
        );
    }
    let early = at("2021-08-31T21:59:59Z");
    assert_eq!(
        crate::Error::TwoDDoc(future(early)).reason(),
        crate::Reason::IssuedInFuture
    );
    // Undated signature: nothing to compare, the certificate is judged at `now`.
    let undated = parse(&format!(
        "DC04FR0000011EEAFFFFB201FR{B2_FIELDS}F6010920211030\u{1f}AAAA"
    ))
    .unwrap();
    assert_eq!(
        check_signer_validity(&key, &undated, at("2000-01-01T00:00:00Z"), 0),
        Ok(())
    );
}

#[test]
fn content_dates_must_not_follow_the_signature_date() {
    let key = fixture_key();
    let now = at("2026-01-01T00:00:00Z");
    let b2 = |f6: &str| parse(&doc(&format!("{B2_FIELDS}F6{f6}"))).unwrap();
    let after = |id: &str| Err(TwoDDocError::ContentAfterSignature { id: id.to_owned() });
    // Signed 2021-09-01. Sampled that day, or up to the end of that day in UTC (02:00 in
    // Paris the next day, summer time): a signer writing UTC dates would date it so.
    for ok in [
        "010920210000",
        "010920212359",
        "020920210159",
        "150320200900",
    ] {
        assert_eq!(check_signer_validity(&key, &b2(ok), now, 0), Ok(()), "{ok}");
    }
    for late in ["020920210200", "020920211000", "010120250900"] {
        assert_eq!(
            check_signer_validity(&key, &b2(late), now, 0),
            after("F6"),
            "{late}"
        );
    }
    // An unreadable sampling time is left to the schema and rules checks.
    assert_eq!(
        check_signer_validity(&key, &b2("320920211000"), now, 0),
        Ok(())
    );

    let l1 = |l9: &str| {
        parse(&format!(
            "DC04FR0000011EEA1EEAL101FRL0DUPOND\u{1d}L1JEAN\u{1d}L201011950L3COVID-19\u{1d}\
             L4J07BX03\u{1d}L5COMIRNATY\u{1d}L6PFIZER/BIONTECH\u{1d}L72L82L9{l9}LATE\u{1f}AAAA"
        ))
        .unwrap()
    };
    // A dose dated the day after the signature date began (in Paris) before the UTC day of
    // the signature date ended; two days after cannot have.
    for ok in ["01092021", "02092021", "01112020"] {
        assert_eq!(check_signer_validity(&key, &l1(ok), now, 0), Ok(()), "{ok}");
    }
    for late in ["03092021", "01012025"] {
        assert_eq!(
            check_signer_validity(&key, &l1(late), now, 0),
            after("L9"),
            "{late}"
        );
    }
    assert_eq!(
        crate::Error::TwoDDoc(TwoDDocError::ContentAfterSignature { id: "F6".into() }).reason(),
        crate::Reason::SchemaInvalid
    );
    // Other document types carry dates (expiry, due dates) that may follow the signature.
    let other = parse("DC04FR0000011EEA1EEA0101FR10ANYTHING\u{1d}081FFF\u{1f}AA").unwrap();
    assert_eq!(check_signer_validity(&key, &other, now, 0), Ok(()));
}

/// A key whose certificate expired long ago cannot sign new documents by backdating their
/// signature date into its old validity window.
#[test]
fn backdated_signature_of_an_expired_key_is_refused() {
    let key = TwoDDocKey {
        not_before: Some(at("2012-11-01T00:00:00Z")),
        not_after: Some(at("2022-01-01T00:00:00Z")),
        ..fixture_key()
    };
    // Signature date 2021-09-01 (inside the window), sampled 2025-06-01.
    let backdated = parse(&doc(&format!("{B2_FIELDS}F6010620251000"))).unwrap();
    assert_eq!(
        check_signer_validity(&key, &backdated, at("2025-06-01T12:00:00Z"), 300),
        Err(TwoDDocError::ContentAfterSignature { id: "F6".into() })
    );
    // Honestly dated, the expired certificate shows.
    let honest = parse(&format!(
        "DC04FR00000124432443B201FR{B2_FIELDS}F6010620251000\u{1f}AAAA"
    ))
    .unwrap();
    assert!(matches!(
        check_signer_validity(&key, &honest, at("2025-06-01T12:00:00Z"), 300),
        Err(TwoDDocError::SignerExpired { .. })
    ));
}
