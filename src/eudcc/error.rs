//! What the bytes of an `HC1:` code got wrong, layer by layer. Context is data, never personal
//! data or payload bytes; the verdict layer maps each variant to a stable reason code.

use core::fmt;

/// Where in the input a CBOR problem was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CborContext {
    /// The COSE_Sign1 message.
    Cose,
    /// The protected header bucket.
    ProtectedHeader,
    /// The CWT claims set (the COSE payload).
    Claims,
}

impl fmt::Display for CborContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Cose => "COSE message",
            Self::ProtectedHeader => "protected header",
            Self::Claims => "CWT claims",
        })
    }
}

/// Why an `HC1:` code could not be read. Messages are lowercase and never contain personal
/// data or payload bytes.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// The text is not base45 (bad character, dangling character, value out of range).
    #[error("invalid base45 at offset {offset}")]
    Base45 {
        /// Byte offset of the offending chunk in the base45 text.
        offset: usize,
    },
    /// A CBOR structure nests deeper than allowed.
    #[error("{context}: CBOR nesting deeper than {limit}")]
    CborTooDeep {
        /// Where.
        context: CborContext,
        /// The bound.
        limit: usize,
    },
    /// A CBOR structure holds more items than allowed.
    #[error("{context}: more than {limit} CBOR items")]
    CborTooManyItems {
        /// Where.
        context: CborContext,
        /// The bound.
        limit: usize,
    },
    /// CBOR is malformed: truncated, trailing bytes, duplicate map keys, bad types.
    #[error("{context}: malformed CBOR: {detail}")]
    CborMalformed {
        /// Where.
        context: CborContext,
        /// What is wrong.
        detail: &'static str,
    },
    /// The COSE_Sign1 structure or its headers are malformed (wrong tag, no payload...).
    #[error("malformed COSE_Sign1: {detail}")]
    CoseMalformed {
        /// What is wrong.
        detail: &'static str,
    },
    /// The decompressed data would exceed its bound (a zip bomb, or not a health certificate).
    #[error("decompressed data exceeds {limit} bytes")]
    DecompressedTooLarge {
        /// The bound.
        limit: usize,
    },
    /// The data is not a valid zlib stream (uncompressed certificates are rejected too).
    #[error("not a valid zlib stream: {detail}")]
    DecompressFailed {
        /// What is wrong.
        detail: &'static str,
    },
    /// The text is longer than any QR code can carry.
    #[error("input of {len} bytes exceeds {limit}")]
    InputTooLarge {
        /// Input length.
        len: usize,
        /// The bound.
        limit: usize,
    },
    /// The protected header names no algorithm (an unprotected `alg` is never used).
    #[error("no algorithm in the protected header")]
    MissingAlgorithm,
    /// Neither header holds a kid.
    #[error("no kid in either header")]
    MissingKid,
    /// The text does not start with the `HC1:` context identifier.
    #[error("missing HC1: prefix")]
    MissingPrefix,
    /// The CWT claims or the hcert claim are missing or malformed.
    #[error("malformed payload: {detail}")]
    PayloadMalformed {
        /// What is wrong.
        detail: &'static str,
    },
    /// The health certificate does not match the DCC schema. `path` names the offending
    /// field, never its value.
    #[error("schema: {path}: {detail}")]
    Schema {
        /// JSON path of the field, e.g. `v[0].dn`.
        path: String,
        /// What is wrong.
        detail: &'static str,
    },
    /// A timestamp claim does not fit the supported range.
    #[error("{claim} claim out of range")]
    TimestampOutOfRange {
        /// `iat` or `exp`.
        claim: &'static str,
    },
    /// The `alg` header is not ES256 or PS256.
    #[error("unsupported algorithm {alg}")]
    UnsupportedAlgorithm {
        /// The COSE algorithm identifier.
        alg: i64,
    },
}
