//! Revocation: the EU DCC revocation lists (Bloom filters and partial variable hash lists,
//! byte-exact with the EU reference implementations) and national exact-set blocklists.
//!
//! The caller feeds a [`RevocationStore`] with what its backend downloaded, one [`Slice`] per
//! filter, scoped by kid, hash types, hash prefix (the EU partition coordinates) and expiry.
//! The [`Verifier`](crate::Verifier) then computes the certificate's [`CertificateHashes`] and
//! looks up only the slices that can hold them. Everything here is pure: bytes in, no files, no
//! clock.
//!
//! Formats and hash definitions: `../shared/revocation/SPEC.md` (reverse-engineered from the EU
//! reference code and checked against every upstream vector).

mod blocklist;
mod bloom;
pub mod drl;
mod hashes;
mod hashlist;
mod store;
mod twoddoc;

use core::fmt;

pub use self::blocklist::Blocklist;
pub use self::bloom::BloomFilter;
pub use self::hashes::{
    country_code_uci_hash, fr_dcc_fingerprint, fr_twoddoc_fingerprint, signature_hash, uci_hash,
    CertificateHashes,
};
pub use self::hashlist::{HashList, PartitionMode};
pub use self::store::{
    Filter, KidScope, RevocationMatch, RevocationStatus, RevocationStore, Slice, SliceData,
};

/// What a revocation entry is a hash of.
///
/// The three EU types are the first 16 bytes of a SHA-256 (revocation SPEC §1.2); the French
/// fingerprint is a whole SHA-256.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum HashType {
    /// `UCI`: the certificate identifier `ci`, exactly as printed.
    Uci,
    /// `COUNTRYCODEUCI`: a country code followed by `ci`. Both the CWT issuer (`iss`) and the
    /// entry's `co` are tried, because the EU reference apps disagree (SPEC §1.3).
    CountryCodeUci,
    /// `SIGNATURE`: ES256, the `r` half of the signature (invariant under ECDSA malleability);
    /// PS256, the whole signature.
    Signature,
    /// `FR_DCC`: the French blocklist fingerprint, SHA-256 of the uppercase `co` followed by `ci`.
    FrDcc,
}

impl HashType {
    /// Every hash type, in the order a certificate is checked (the EU gateway's order, then the
    /// national ones).
    pub const ALL: [Self; 4] = [
        Self::Uci,
        Self::CountryCodeUci,
        Self::Signature,
        Self::FrDcc,
    ];

    /// The name used by the EU gateway and lists (`UCI`, `COUNTRYCODEUCI`, `SIGNATURE`), or
    /// `FR_DCC`.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Uci => "UCI",
            Self::CountryCodeUci => "COUNTRYCODEUCI",
            Self::Signature => "SIGNATURE",
            Self::FrDcc => "FR_DCC",
        }
    }

    /// The hash type with this [`name`](Self::name), if any.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.name() == name)
    }

    /// Position in [`HashType::ALL`].
    const fn index(self) -> usize {
        match self {
            Self::Uci => 0,
            Self::CountryCodeUci => 1,
            Self::Signature => 2,
            Self::FrDcc => 3,
        }
    }
}

impl fmt::Display for HashType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The three kinds of revocation data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FilterKind {
    /// An EU Bloom filter slice (`BLOOMFILTER`).
    Bloom,
    /// An EU partial variable hash list slice (`VARHASHLIST`).
    HashList,
    /// An exact set of hashes, such as the French blocklist.
    Blocklist,
}

impl fmt::Display for FilterKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Bloom => "bloom filter",
            Self::HashList => "hash list",
            Self::Blocklist => "blocklist",
        })
    }
}

/// A probability in `[0, 1]`, such as a filter's false-positive probability. Compared by bits,
/// so that reports and errors can be compared for equality.
#[derive(Clone, Copy, Debug)]
pub struct Probability(f64);

impl Probability {
    /// The probability, clamped to `[0, 1]` (NaN counts as 1: nothing is known).
    pub fn new(value: f64) -> Self {
        Self(if value.is_nan() {
            1.0
        } else {
            value.clamp(0.0, 1.0)
        })
    }

    /// The value.
    pub const fn value(self) -> f64 {
        self.0
    }
}

impl PartialEq for Probability {
    fn eq(&self, other: &Self) -> bool {
        self.0.to_bits() == other.0.to_bits()
    }
}

impl Eq for Probability {}

impl fmt::Display for Probability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:e}", self.0)
    }
}

/// Bad revocation data or parameters, found when loading or building it. (A revoked
/// certificate is a verdict in the [`Report`](crate::Report), not an error.)
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RevocationError {
    /// The data ends inside the header.
    #[error("{kind}: {len} bytes, shorter than its {header}-byte header")]
    Truncated {
        /// What was being read.
        kind: FilterKind,
        /// Bytes found.
        len: usize,
        /// Header length.
        header: usize,
    },
    /// The binary format version is not 1.
    #[error("{kind}: unsupported format version {version}")]
    UnsupportedVersion {
        /// What was being read.
        kind: FilterKind,
        /// The version in the header.
        version: i16,
    },
    /// The Bloom filter names a hash function other than SHA-256 (0).
    #[error("bloom filter: unsupported hash function {id}")]
    UnsupportedHashFunction {
        /// The identifier in the header.
        id: i8,
    },
    /// The Bloom filter's hash round count `k` is 0, negative or above the bound (with `k` = 0
    /// the reference implementations report every element as revoked).
    #[error("bloom filter: {k} hash rounds, expected 1 to {max}")]
    InvalidHashRounds {
        /// The count in the header (or computed from the parameters).
        k: i64,
        /// The bound, [`MAX_BLOOM_HASH_ROUNDS`](crate::limits::MAX_BLOOM_HASH_ROUNDS).
        max: u8,
    },
    /// The Bloom filter's data length, in 32-bit words, is 0, negative or above the bound.
    #[error("bloom filter: {words} data words, expected 1 to {max}")]
    InvalidSize {
        /// The length in the header (or computed from the parameters).
        words: i64,
        /// The bound, [`MAX_BLOOM_WORDS`](crate::limits::MAX_BLOOM_WORDS).
        max: usize,
    },
    /// The data length does not match what the header announces.
    #[error("{kind}: {actual} bytes where the header implies {expected}")]
    LengthMismatch {
        /// What was being read.
        kind: FilterKind,
        /// The length the header implies.
        expected: usize,
        /// The length found.
        actual: usize,
    },
    /// A hash list's or blocklist's entry length is 0, negative or above the bound.
    #[error("{kind}: entries of {size} bytes, expected 1 to {max}")]
    InvalidEntrySize {
        /// What was being read.
        kind: FilterKind,
        /// The entry length found.
        size: i64,
        /// The bound, [`MAX_REVOCATION_ENTRY_BYTES`](crate::limits::MAX_REVOCATION_ENTRY_BYTES).
        max: usize,
    },
    /// More entries than the bound.
    #[error("{kind}: more than {limit} entries")]
    TooManyEntries {
        /// What was being read.
        kind: FilterKind,
        /// The bound.
        limit: usize,
    },
    /// A line of a text list is not an even number of hex digits.
    #[error("line {line}: not a hex string")]
    InvalidHex {
        /// The line number, from 1.
        line: usize,
    },
    /// A blocklist mixes entries of different lengths.
    #[error("line {line}: {len}-byte entry in a list of {expected}-byte entries")]
    MixedEntryLengths {
        /// The line number, from 1.
        line: usize,
        /// The entry's length.
        len: usize,
        /// The length of the first entry.
        expected: usize,
    },
    /// A hash added to a list is shorter than the list's entries.
    #[error("{kind}: a {len}-byte hash is shorter than the {size}-byte entries")]
    HashTooShort {
        /// What was being built.
        kind: FilterKind,
        /// The hash length.
        len: usize,
        /// The entry length.
        size: usize,
    },
    /// A slice names no hash type: it would cover nothing, silently.
    #[error("a revocation slice must name at least one hash type")]
    NoHashTypes,
    /// A partition prefix is not 0 to 3 lowercase hex digits.
    #[error("partition prefix must be 0 to 3 lowercase hex digits")]
    InvalidPrefix,
    /// Parameters from which no filter can be built.
    #[error("{kind}: invalid parameters: {detail}")]
    InvalidParameters {
        /// What was being built.
        kind: FilterKind,
        /// What is wrong.
        detail: &'static str,
    },
}

/// Lowercase hex, as the EU lists and the French blocklist spell hashes.
pub fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len().saturating_mul(2));
    for &b in bytes {
        for nibble in [b >> 4, b & 0x0f] {
            if let Some(&d) = DIGITS.get(usize::from(nibble)) {
                out.push(char::from(d));
            }
        }
    }
    out
}

/// The bytes of a hex string (either case), or `None` if it is not an even number of hex digits.
pub fn from_hex(text: &str) -> Option<Vec<u8>> {
    let digits = text.as_bytes();
    if digits.len() % 2 != 0 {
        return None;
    }
    digits
        .chunks_exact(2)
        .map(|pair| match *pair {
            [hi, lo] => Some((hex_value(hi)? << 4) | hex_value(lo)?),
            _ => None,
        })
        .collect()
}

fn hex_value(digit: u8) -> Option<u8> {
    char::from(digit)
        .to_digit(16)
        .and_then(|v| u8::try_from(v).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trip() {
        assert_eq!(to_hex(&[0x00, 0xab, 0x7f]), "00ab7f");
        assert_eq!(from_hex("00AB7f"), Some(vec![0x00, 0xab, 0x7f]));
        assert_eq!(from_hex("abc"), None);
        assert_eq!(from_hex("zz"), None);
        assert_eq!(from_hex(""), Some(vec![]));
    }

    #[test]
    fn hash_type_names_round_trip() {
        for t in HashType::ALL {
            assert_eq!(HashType::from_name(t.name()), Some(t));
            assert_eq!(HashType::ALL.get(t.index()), Some(&t));
        }
        assert_eq!(HashType::from_name("uci"), None);
    }

    #[test]
    fn probability_is_clamped() {
        assert_eq!(Probability::new(2.0).value(), 1.0);
        assert_eq!(Probability::new(-1.0).value(), 0.0);
        assert_eq!(Probability::new(f64::NAN).value(), 1.0);
        assert_eq!(Probability::new(1e-12).to_string(), "1e-12");
    }
}
