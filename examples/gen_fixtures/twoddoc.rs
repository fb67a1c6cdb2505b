//! A French 2D-DOC (B2 test result) signed by the `es256` fixture key under the fictitious
//! CA `FX01`, certificate `FIX1`, and the same document as a DataMatrix picture (drawn with
//! rxing's encoder, so that the CLI's DataMatrix reader is checked against another codebase).

use p256::ecdsa::signature::Signer as _;
use rxing::Writer as _;

use crate::signers::{Key, Signer};

/// CA and certificate ids the fixture documents name (trust them with
/// `--trust-2ddoc FX01/FIX1=fixtures/trust/es256.pem`).
pub(crate) const CA_ID: &str = "FX01";
pub(crate) const CERT_ID: &str = "FIX1";

const GS: char = '\u{1d}';
const US: char = '\u{1f}';

/// The signed text of a negative RT-PCR result, issued and signed on 2021-09-01 (`1EEA` days
/// after 2000-01-01), with the group separators a reader returns.
pub(crate) fn b2_negative(signer: &Signer) -> String {
    let header = format!("DC04{CA_ID}{CERT_ID}1EEA1EEAB201FR");
    let message =
        format!("F0CAMILLE/DOMINIQUE{GS}F1FIXTURE{GS}F201011990F3FF4945006{GS}F5NF6010920211030");
    let signed = format!("{header}{message}");
    let Key::Ec(key) = &signer.key else {
        panic!("2D-DOC fixtures need an ECDSA P-256 signer");
    };
    let signature: p256::ecdsa::Signature = key.sign(signed.as_bytes());
    format!("{signed}{US}{}", base32(&signature.to_bytes()))
}

/// The same document with the result changed from negative to positive after signing.
pub(crate) fn tampered(text: &str) -> String {
    text.replacen("F5N", "F5P", 1)
}

/// RFC 4648 base32, upper case, without padding (as 2D-DOC signatures are printed).
fn base32(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &b in bytes {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[((buffer >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(ALPHABET[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

/// A square DataMatrix of `text`: `(side, dark(x, y))` in modules, without quiet zone.
pub(crate) fn datamatrix(text: &str) -> (usize, Vec<bool>) {
    let hints = rxing::EncodeHints {
        DataMatrixShape: Some(rxing::datamatrix::encoder::SymbolShapeHint::FORCE_SQUARE),
        ..Default::default()
    };
    let matrix = rxing::datamatrix::DataMatrixWriter
        .encode_with_hints(text, &rxing::BarcodeFormat::DATA_MATRIX, 0, 0, &hints)
        .expect("DataMatrix encoding");
    assert_eq!(matrix.width(), matrix.height(), "square symbol requested");
    let side = matrix.width();
    let modules = (0..side)
        .flat_map(|y| (0..side).map(move |x| (x, y)))
        .map(|(x, y)| matrix.get(x, y))
        .collect();
    (side as usize, modules)
}
