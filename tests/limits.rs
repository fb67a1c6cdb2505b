//! Hostile input: every bound gives its precise error, never a panic or unbounded work.

mod common;

use dcc_verifier::eudcc::{CborContext, DecodeError};
use dcc_verifier::limits::{MAX_CBOR_DEPTH, MAX_CBOR_ITEMS, MAX_COSE_BYTES, MAX_QR_CHARS};
use dcc_verifier::{Check, Error, Reason, Status, TrustStore, UnixTime, Verifier};

fn verifier() -> Verifier {
    Verifier::new(TrustStore::new())
}

const NOW: UnixTime = UnixTime::from_secs(1_630_454_400);

fn qr_for(cose: &[u8]) -> String {
    let z = miniz_oxide::deflate::compress_to_vec_zlib(cose, 10);
    format!("HC1:{}", common::base45_encode(&z))
}

/// The first failure, which these inputs make a decoding one.
fn first_error(report: &dcc_verifier::Report) -> DecodeError {
    match &report.failures().first().expect("a failure").error {
        Error::Dcc(e) => e.clone(),
        other => panic!("not a decoding error: {other}"),
    }
}

#[test]
fn oversized_qr_text() {
    let text = format!("HC1:{}", "0".repeat(MAX_QR_CHARS));
    let report = verifier().verify(&text, NOW);
    assert_eq!(report.reason(), Some(Reason::InputTooLarge));
    assert_eq!(
        first_error(&report),
        DecodeError::InputTooLarge {
            len: MAX_QR_CHARS + 4,
            limit: MAX_QR_CHARS
        }
    );
    assert_eq!(report.status(Check::Base45), Status::Skipped);
}

#[test]
fn zip_bomb_is_cut_at_the_cap() {
    let bomb = vec![0u8; 16 * MAX_COSE_BYTES];
    let qr = qr_for(&bomb);
    assert!(
        qr.len() <= MAX_QR_CHARS,
        "the bomb fits in a QR code ({} chars)",
        qr.len()
    );
    let report = verifier().verify(&qr, NOW);
    assert_eq!(
        first_error(&report),
        DecodeError::DecompressedTooLarge {
            limit: MAX_COSE_BYTES
        }
    );
}

#[test]
fn deep_cbor_is_refused_before_decoding() {
    for depth in [MAX_CBOR_DEPTH + 1, 10_000, 1_000_000] {
        let mut cose = vec![0x81u8; depth];
        cose.push(0x00);
        let report = verifier().verify_cose(&cose, NOW);
        assert_eq!(
            first_error(&report),
            DecodeError::CborTooDeep {
                context: CborContext::Cose,
                limit: MAX_CBOR_DEPTH
            }
        );
        assert_eq!(report.reason(), Some(Reason::CborLimitExceeded));
    }
}

#[test]
fn too_many_items_are_refused() {
    let mut cose = vec![0x9f];
    cose.extend(std::iter::repeat_n(0xf6, MAX_CBOR_ITEMS + 1));
    cose.push(0xff);
    let report = verifier().verify_cose(&cose, NOW);
    assert_eq!(
        first_error(&report),
        DecodeError::CborTooManyItems {
            context: CborContext::Cose,
            limit: MAX_CBOR_ITEMS
        }
    );
}

#[test]
fn lying_lengths_do_not_allocate() {
    // An array claiming 2^64-1 elements, and a byte string claiming 2^63 bytes.
    for hex in ["9bffffffffffffffff00", "5b800000000000000000"] {
        let report = verifier().verify_cose(&common::hex_decode(hex), NOW);
        assert_eq!(report.reason(), Some(Reason::CborMalformed), "{hex}");
    }
}

#[test]
fn trailing_bytes_after_the_message() {
    // A minimal tagged COSE_Sign1 followed by one extra byte.
    let report = verifier().verify_cose(&common::hex_decode("d28440a0f64000"), NOW);
    assert_eq!(
        first_error(&report),
        DecodeError::CborMalformed {
            context: CborContext::Cose,
            detail: "trailing bytes"
        }
    );
}

#[test]
fn garbage_never_panics() {
    let v = verifier();
    let mut state = 0x2545_f491_4f6c_dd1du64;
    for len in 0..600 {
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state.to_le_bytes()[0]
            })
            .collect();
        let report = v.verify_cose(&bytes, NOW);
        assert!(!report.is_valid());
        let text: String = bytes
            .iter()
            .map(|b| {
                char::from(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"[usize::from(*b) % 45])
            })
            .collect();
        assert!(!v.verify(&format!("HC1:{text}"), NOW).is_valid());
    }
}
