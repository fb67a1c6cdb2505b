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
    if let Some(Value::Bytes(protected)) = parts.first() {
        if !protected.is_empty() {
            cbor::check_bounds(protected, CborContext::ProtectedHeader)?;
        }
    }
    let sign1 = CoseSign1::from_cbor_value(value).map_err(map_coset_error)?;

    let kid = if sign1.protected.header.key_id.is_empty() {
        sign1.unprotected.key_id.clone()
    } else {
        sign1.protected.header.key_id.clone()
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
    let payload = sign1.payload.clone().ok_or(Error::CoseMalformed {
        detail: "detached payload",
    })?;
    Ok(Sign1 {
        kid,
        algorithm,
        to_be_signed: sign1.tbs_data(b""),
        signature: sign1.signature,
        payload,
    })
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
