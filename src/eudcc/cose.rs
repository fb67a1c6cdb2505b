//! COSE_Sign1 (RFC 9052 §4.2), tagged (18) or untagged, optionally wrapped in the CWT tag (61).
//!
//! ```cddl
//! COSE_Sign1 = [ protected: bstr .cbor header_map, unprotected: header_map,
//!                payload: bstr / nil, signature: bstr ]
//! ```
//!
//! The kid is read from the protected header, else the unprotected one (hcert spec §3.3.1);
//! the algorithm only from the protected header, where the signature covers it.
//!
//! Read in place with [`cbor::Reader`] after one bounds pass: nothing is copied but the
//! Sig_structure. The header rules are those of coset 0.4 (`Header::from_cbor_value`), which
//! `tests/cose_differential.rs` holds us to on every corpus message and on mutations of them:
//! int or text labels, no duplicate label, and for the labels RFC 9052 defines, the types it
//! defines (a non-empty kid, IV and partial IV, not both IVs, a non-empty `crit`).

use std::borrow::Cow;

use super::error::{CborContext, DecodeError};
use crate::crypto::Algorithm;
use crate::eudcc::cbor::{self, Head, Reader};

/// CBOR tag of a COSE_Sign1 message (RFC 9052 §2).
const TAG_COSE_SIGN1: u64 = 18;
/// CBOR tag of a CWT (RFC 8392 §6).
const TAG_CWT: u64 = 61;

/// Header labels of RFC 9052 §3.1 whose value types are checked.
const LABEL_ALG: i64 = 1;
const LABEL_CRIT: i64 = 2;
const LABEL_CONTENT_TYPE: i64 = 3;
const LABEL_KID: i64 = 4;
const LABEL_IV: i64 = 5;
const LABEL_PARTIAL_IV: i64 = 6;
const LABEL_COUNTER_SIGNATURE: i64 = 7;

/// A parsed COSE_Sign1, borrowing from the message bytes.
pub(crate) struct Sign1<'a> {
    /// Key identifier, protected header first.
    pub(crate) kid: Cow<'a, [u8]>,
    /// The signature algorithm, or why there is none usable.
    pub(crate) algorithm: Result<Algorithm, DecodeError>,
    /// The Sig_structure bytes the signature covers (over the protected header as sent).
    pub(crate) to_be_signed: Vec<u8>,
    /// The raw signature.
    pub(crate) signature: Cow<'a, [u8]>,
    /// The payload (the CWT claims set, still encoded).
    pub(crate) payload: Cow<'a, [u8]>,
}

fn structure(detail: &'static str) -> DecodeError {
    DecodeError::CoseMalformed { detail }
}

const UNEXPECTED: &str = "unexpected structure";

/// Parses a COSE_Sign1 message.
pub(crate) fn parse(bytes: &[u8]) -> Result<Sign1<'_>, DecodeError> {
    cbor::check_decodable(bytes, CborContext::Cose)?;
    let mut r = Reader::new(bytes, CborContext::Cose);
    // At most one CWT tag, then at most one COSE_Sign1 tag.
    let mut head = r.head()?;
    if head == Head::Tag(TAG_CWT) {
        head = r.head()?;
    }
    if head == Head::Tag(TAG_COSE_SIGN1) {
        head = r.head()?;
    }
    let Head::Array(count) = head else {
        return Err(structure("not a COSE_Sign1 array (or unexpected tag)"));
    };
    let mut parts = Parts::default();
    let mut index = 0usize;
    r.each(count, |r| {
        let item = r.head()?;
        match index {
            0 => parts.protected = Some(bytes_of(r, item)?),
            1 => parts.unprotected = Some(Header::read(r, item)?),
            2 => {
                parts.payload = Some(match item {
                    Head::Null => None,
                    _ => Some(bytes_of(r, item)?),
                })
            }
            3 => parts.signature = Some(bytes_of(r, item)?),
            _ => r.skip(item)?,
        }
        index = index.saturating_add(1);
        Ok(())
    })?;
    let (Some(protected_bytes), Some(unprotected), Some(payload), Some(signature), 4) = (
        parts.protected,
        parts.unprotected,
        parts.payload,
        parts.signature,
        index,
    ) else {
        return Err(structure(UNEXPECTED));
    };

    // The protected header is CBOR inside a byte string; an empty one is an empty map.
    // The signature covers these bytes as sent.
    let protected = if protected_bytes.is_empty() {
        Header::default()
    } else {
        cbor::check_decodable(&protected_bytes, CborContext::ProtectedHeader)?;
        let mut r = Reader::new(&protected_bytes, CborContext::ProtectedHeader);
        let head = r.head()?;
        Header::read(&mut r, head)?.into_owned()
    };

    let kid = protected
        .kid
        .or(unprotected.kid)
        .ok_or(DecodeError::MissingKid)?;
    let algorithm = protected.alg.unwrap_or(Err(DecodeError::MissingAlgorithm));
    let Some(payload) = payload else {
        return Err(structure("detached payload"));
    };
    Ok(Sign1 {
        kid,
        algorithm,
        to_be_signed: sig_structure(&protected_bytes, &payload),
        payload,
        signature,
    })
}

/// The four parts of the array, as they are met.
#[derive(Default)]
struct Parts<'a> {
    protected: Option<Cow<'a, [u8]>>,
    unprotected: Option<Header<'a>>,
    payload: Option<Option<Cow<'a, [u8]>>>,
    signature: Option<Cow<'a, [u8]>>,
}

/// A byte string's content, or the structure error for anything else.
fn bytes_of<'a>(r: &mut Reader<'a>, head: Head) -> Result<Cow<'a, [u8]>, DecodeError> {
    match head {
        Head::Bytes(len) => r.string(false, len),
        _ => Err(structure(UNEXPECTED)),
    }
}

/// A header label: RFC 9052 allows an integer or a text string.
#[derive(PartialEq)]
enum Label<'a> {
    Int(i64),
    Text(Cow<'a, str>),
}

/// What the verifier takes from a header map.
#[derive(Default)]
struct Header<'a> {
    kid: Option<Cow<'a, [u8]>>,
    /// `None`: no `alg` label; `Some(Err)`: one the verifier cannot use.
    alg: Option<Result<Algorithm, DecodeError>>,
}

impl<'a> Header<'a> {
    fn read(r: &mut Reader<'a>, head: Head) -> Result<Self, DecodeError> {
        let Head::Map(count) = head else {
            return Err(structure(UNEXPECTED));
        };
        let mut header = Self::default();
        let mut seen: Vec<Label<'a>> = Vec::new();
        let (mut iv, mut partial_iv) = (false, false);
        r.each(count, |r| {
            let label = match r.head()? {
                Head::Int(i) => Label::Int(
                    i64::try_from(i).map_err(|_| structure("integer out of range in a header"))?,
                ),
                Head::Text(len) => Label::Text(r.text(len)?),
                _ => return Err(structure(UNEXPECTED)),
            };
            if seen.contains(&label) {
                return Err(DecodeError::CborMalformed {
                    context: CborContext::Cose,
                    detail: "duplicate map key",
                });
            }
            let value = r.head()?;
            match label {
                Label::Int(LABEL_ALG) => header.alg = Some(algorithm(r, value)?),
                Label::Int(LABEL_CRIT) => non_empty_array(r, value, |r, item| match item {
                    Head::Int(_) => Ok(()),
                    Head::Text(len) => r.text(len).map(drop),
                    _ => Err(structure(UNEXPECTED)),
                })?,
                Label::Int(LABEL_CONTENT_TYPE) => content_type(r, value)?,
                Label::Int(LABEL_KID) => header.kid = Some(non_empty_bytes(r, value)?),
                Label::Int(LABEL_IV) => iv = !non_empty_bytes(r, value)?.is_empty(),
                Label::Int(LABEL_PARTIAL_IV) => {
                    partial_iv = !non_empty_bytes(r, value)?.is_empty();
                }
                Label::Int(LABEL_COUNTER_SIGNATURE) => {
                    non_empty_array(r, value, |r, item| r.skip(item))?
                }
                Label::Int(_) | Label::Text(_) => r.skip(value)?,
            }
            if iv && partial_iv {
                return Err(structure("both IV and partial IV"));
            }
            seen.push(label);
            Ok(())
        })?;
        Ok(header)
    }

    /// Detached from the protected header's bytes, which the caller keeps.
    fn into_owned(self) -> Header<'static> {
        Header {
            kid: self.kid.map(|kid| Cow::Owned(kid.into_owned())),
            alg: self.alg,
        }
    }
}

/// `alg`: an integer (a registered or private-use algorithm) or a text string.
fn algorithm(
    r: &mut Reader<'_>,
    value: Head,
) -> Result<Result<Algorithm, DecodeError>, DecodeError> {
    Ok(match value {
        Head::Int(id) => {
            let id =
                i64::try_from(id).map_err(|_| structure("integer out of range in a header"))?;
            Algorithm::from_cose(id).ok_or(DecodeError::UnsupportedAlgorithm { alg: id })
        }
        Head::Text(len) => {
            r.text(len)?;
            Err(structure("text algorithm label"))
        }
        _ => return Err(structure(UNEXPECTED)),
    })
}

/// A non-empty array (`crit`, `counter signature`), each item checked by `item`.
fn non_empty_array<'a>(
    r: &mut Reader<'a>,
    value: Head,
    mut item: impl FnMut(&mut Reader<'a>, Head) -> Result<(), DecodeError>,
) -> Result<(), DecodeError> {
    let Head::Array(count) = value else {
        return Err(structure(UNEXPECTED));
    };
    let mut any = false;
    r.each(count, |r| {
        any = true;
        let head = r.head()?;
        item(r, head)
    })?;
    if any {
        Ok(())
    } else {
        Err(structure(UNEXPECTED))
    }
}

/// `content type`: an unsigned integer, or a non-empty `type/subtype` text without
/// surrounding spaces.
fn content_type(r: &mut Reader<'_>, value: Head) -> Result<(), DecodeError> {
    match value {
        Head::Int(i) if (0..=i128::from(u16::MAX)).contains(&i) => Ok(()),
        Head::Text(len) => {
            let text = r.text(len)?;
            let well_formed =
                !text.is_empty() && text.trim() == text && text.matches('/').count() == 1;
            if well_formed {
                Ok(())
            } else {
                Err(structure(UNEXPECTED))
            }
        }
        _ => Err(structure(UNEXPECTED)),
    }
}

fn non_empty_bytes<'a>(r: &mut Reader<'a>, value: Head) -> Result<Cow<'a, [u8]>, DecodeError> {
    let bytes = bytes_of(r, value)?;
    if bytes.is_empty() {
        return Err(structure(UNEXPECTED));
    }
    Ok(bytes)
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
        let body = crate::eudcc::decode::strip_prefix(qr.trim_end()).unwrap();
        let cose =
            crate::eudcc::decode::inflate(&crate::eudcc::decode::base45_decode(body).unwrap())
                .unwrap();
        let ours = parse(&cose).unwrap().to_be_signed;
        let theirs = <coset::CoseSign1 as coset::TaggedCborSerializable>::from_tagged_slice(&cose)
            .unwrap()
            .tbs_data(b"");
        assert_eq!(ours, theirs);
    }
}
