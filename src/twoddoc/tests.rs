use super::*;

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
fn never_panics_on_prefixes() {
    let text = doc("F0MARIE\u{1d}F1B\u{1e}F219071977F3FF4945006\u{1d}F5NF6010920211030");
    for end in 0..=text.len() {
        if let Ok(d) = parse(&text[..end]) {
            let _ = d.content();
            let _ = d.fingerprint();
        }
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
