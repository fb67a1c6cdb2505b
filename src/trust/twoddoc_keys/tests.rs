use super::*;
use crate::twoddoc::parse;

const HEADER_V04: &str = "DC04FR0000011EEA1EEAB201FR";
const B2_FIELDS: &str = "F0A\u{1d}F1B\u{1d}F215031985F3FF4945006\u{1d}F5N";

fn doc(message: &str) -> String {
    format!("{HEADER_V04}{message}\u{1f}AAAA")
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

/// The fixture P-256 key, as a key without a certificate window.
fn fixture_key() -> TwoDDocKey {
    let mut keys = TwoDDocKeys::new();
    keys.add_bytes(
        "FR00",
        "0001",
        include_bytes!("../../../fixtures/trust/es256.pem"),
    )
    .unwrap();
    TwoDDocKey {
        not_before: None,
        not_after: None,
        ..keys.get("FR00", "0001")[0].clone()
    }
}

#[test]
fn malformed_key_ids_are_refused() {
    let pem = include_bytes!("../../../fixtures/trust/es256.pem");
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
