//! COSE_Sign1 (RFC 9052 §4.2), tagged (18) or untagged, optionally wrapped in the CWT tag (61).
//!
//! ```cddl
//! COSE_Sign1 = [ protected: bstr .cbor header_map, unprotected: header_map,
//!                payload: bstr / nil, signature: bstr ]
//! ```
//!
//! The kid is read from the protected header, else the unprotected one (hcert spec §3.3.1);
//! the algorithm only from the protected header, where the signature covers it.

use ciborium::value::Value;
use coset::{iana, AsCborValue as _, CoseSign1, RegisteredLabelWithPrivate};

use crate::cbor;
use crate::crypto::Algorithm;
use crate::error::{CborContext, Error};

/// CBOR tag of a COSE_Sign1 message (RFC 9052 §2).
const TAG_COSE_SIGN1: u64 = 18;
/// CBOR tag of a CWT (RFC 8392 §6).
const TAG_CWT: u64 = 61;

/// A parsed COSE_Sign1 with what the verifier needs.
pub(crate) struct Sign1 {
    /// Key identifier, protected header first.
    pub(crate) kid: Vec<u8>,
    /// The signature algorithm, or why there is none usable.
    pub(crate) algorithm: Result<Algorithm, Error>,
    /// The Sig_structure bytes the signature covers (over the protected header as sent).
    pub(crate) to_be_signed: Vec<u8>,
    /// The raw signature.
    pub(crate) signature: Vec<u8>,
    /// The payload (the CWT claims set, still encoded).
    pub(crate) payload: Vec<u8>,
}

/// Parses a COSE_Sign1 message.
pub(crate) fn parse(bytes: &[u8]) -> Result<Sign1, Error> {
    let mut value = cbor::decode(bytes, CborContext::Cose)?;
    // At most one CWT tag, then at most one COSE_Sign1 tag.
    if let Value::Tag(TAG_CWT, inner) = value {
        value = *inner;
    }
    if let Value::Tag(TAG_COSE_SIGN1, inner) = value {
        value = *inner;
    }
    let Value::Array(parts) = &value else {
        return Err(Error::CoseMalformed {
            detail: "not a COSE_Sign1 array (or unexpected tag)",
        });
    };
    // coset parses the protected header from its byte string itself: bound it first.
    // The signature covers these bytes as sent.
    let mut protected_bytes = Vec::new();
    if let Some(Value::Bytes(protected)) = parts.first() {
        if !protected.is_empty() {
            cbor::check_bounds(protected, CborContext::ProtectedHeader)?;
        }
        protected_bytes.clone_from(protected);
    }
    let mut sign1 = CoseSign1::from_cbor_value(value).map_err(map_coset_error)?;

    // Taken, not copied: the Sig_structure below uses the protected header's original bytes.
    let kid = if sign1.protected.header.key_id.is_empty() {
        core::mem::take(&mut sign1.unprotected.key_id)
    } else {
        core::mem::take(&mut sign1.protected.header.key_id)
    };
    if kid.is_empty() {
        return Err(Error::MissingKid);
    }
    let algorithm = match &sign1.protected.header.alg {
        None => Err(Error::MissingAlgorithm),
        Some(RegisteredLabelWithPrivate::Assigned(alg)) => {
            let id = cose_algorithm_id(*alg);
            Algorithm::from_cose(id).ok_or(Error::UnsupportedAlgorithm { alg: id })
        }
        Some(RegisteredLabelWithPrivate::PrivateUse(id)) => {
            Err(Error::UnsupportedAlgorithm { alg: *id })
        }
        Some(RegisteredLabelWithPrivate::Text(_)) => Err(Error::CoseMalformed {
            detail: "text algorithm label",
        }),
    };
    if sign1.payload.is_none() {
        return Err(Error::CoseMalformed {
            detail: "detached payload",
        });
    }
    let payload = sign1.payload.unwrap_or_default();
    Ok(Sign1 {
        kid,
        algorithm,
        to_be_signed: sig_structure(&protected_bytes, &payload),
        payload,
        signature: sign1.signature,
    })
}

/// The Sig_structure of a COSE_Sign1 with no external data (RFC 9052 §4.4):
/// `["Signature1", protected, h'', payload]`, written directly (no CBOR tree).
fn sig_structure(protected: &[u8], payload: &[u8]) -> Vec<u8> {
    const HEAD: &[u8] = b"\x84\x6aSignature1";
    let mut out = Vec::with_capacity(
        HEAD.len()
            .saturating_add(protected.len())
            .saturating_add(payload.len())
            .saturating_add(20),
    );
    out.extend_from_slice(HEAD);
    bstr(&mut out, protected);
    bstr(&mut out, b"");
    bstr(&mut out, payload);
    out
}

/// Appends a CBOR byte string (major type 2): its shortest head, then the bytes.
fn bstr(out: &mut Vec<u8>, bytes: &[u8]) {
    const BYTES: u8 = 0x40;
    let len = bytes.len();
    match (u8::try_from(len), u16::try_from(len), u32::try_from(len)) {
        (Ok(n @ 0..=23), _, _) => out.push(BYTES | n),
        (Ok(n), _, _) => out.extend_from_slice(&[BYTES | 24, n]),
        (_, Ok(n), _) => {
            out.push(BYTES | 25);
            out.extend_from_slice(&n.to_be_bytes());
        }
        (_, _, Ok(n)) => {
            out.push(BYTES | 26);
            out.extend_from_slice(&n.to_be_bytes());
        }
        _ => {
            out.push(BYTES | 27);
            out.extend_from_slice(&u64::try_from(len).unwrap_or(u64::MAX).to_be_bytes());
        }
    }
    out.extend_from_slice(bytes);
}

#[allow(clippy::as_conversions)] // safe: a fieldless enum with i64 discriminants
fn cose_algorithm_id(alg: iana::Algorithm) -> i64 {
    // iana::Algorithm is a fieldless enum whose discriminants are the registry values.
    alg as i64 // safe: i64 discriminants, lossless
}

fn map_coset_error(e: coset::CoseError) -> Error {
    match e {
        coset::CoseError::DuplicateMapKey => Error::CborMalformed {
            context: CborContext::Cose,
            detail: "duplicate map key",
        },
        coset::CoseError::ExtraneousData => Error::CborMalformed {
            context: CborContext::Cose,
            detail: "trailing bytes",
        },
        coset::CoseError::DecodeFailed(_) => Error::CborMalformed {
            context: CborContext::Cose,
            detail: "not decodable",
        },
        coset::CoseError::OutOfRangeIntegerValue => Error::CoseMalformed {
            detail: "integer out of range in a header",
        },
        _ => Error::CoseMalformed {
            detail: "unexpected structure",
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sig_structure_matches_coset() {
        let qr = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/passes/valid-es256-vaccination.txt"
        ))
        .unwrap();
        let body = crate::decode::strip_prefix(qr.trim_end()).unwrap();
        let cose = crate::decode::inflate(&crate::decode::base45_decode(body).unwrap()).unwrap();
        let ours = parse(&cose).unwrap().to_be_signed;
        let theirs = <CoseSign1 as coset::TaggedCborSerializable>::from_tagged_slice(&cose)
            .unwrap()
            .tbs_data(b"");
        assert_eq!(ours, theirs);
    }
}
