//! The EU partial variable hash list (`VARHASHLIST`): dgca-partialvarhashfilter
//! `PartialVariableHashFilter`, binary format version 1 (revocation SPEC §3).
//!
//! ```text
//! offset  size  field (big-endian)
//!      0     2  version = 1
//!      2     4  p (binary32, informational)
//!      6     4  n, the number of elements it was built for (informational)
//!     10     1  size, the bytes per entry
//!     11  size·N  N entries: the first `size` bytes of each revocation hash, sorted as signed
//!               big-endian integers
//! ```
//!
//! Two known bugs of the Java reference are not reproduced, but what they produce is read:
//! - its writer pads a negative entry whose minimal two's complement is shorter than `size` with
//!   `0x00` instead of `0xff` (`ff 8x …` is written `00 8x …`, about 1 entry in 512), so a
//!   lookup also tries that corrupted twin of the hash;
//! - its reader's binary search uses an inclusive upper bound and reads past the array for a
//!   hash above every entry; here entries are sorted locally and searched within bounds.

use core::fmt;

use super::{FilterKind, Probability, RevocationError};
use crate::limits::{MAX_HASH_LIST_ENTRIES, MAX_REVOCATION_ENTRY_BYTES};

const HEADER_LEN: usize = 11;
const VERSION: i16 = 1;
const KIND: FilterKind = FilterKind::HashList;

/// How the EU distribution service partitions a kid's hashes by their leading hex digits, which
/// the reference hash-list producer subtracts from the entry size (SPEC §4.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PartitionMode {
    /// Up to 100,000 hashes per kid: chunk = first hex digit.
    Point,
    /// Up to 1,600,000: partition = first digit, chunk = second.
    Vector,
    /// Beyond: partition = first two digits, chunk = third.
    Coordinate,
}

impl PartitionMode {
    /// The reference's offset for this mode (POINT 0, VECTOR 1, COORDINATE 2).
    const fn offset(self) -> f64 {
        match self {
            Self::Point => 0.0,
            Self::Vector => 1.0,
            Self::Coordinate => 2.0,
        }
    }
}

/// An EU partial variable hash list: a sorted list of hash prefixes of one length.
#[derive(Clone, PartialEq, Eq)]
pub struct HashList {
    size: usize,
    /// The header's p, as its bits (so that lists compare byte for byte).
    p: u32,
    n: i32,
    /// The entries back to back, sorted as unsigned byte strings (duplicates kept).
    entries: Vec<u8>,
}

impl HashList {
    /// Reads a serialized hash list.
    ///
    /// # Errors
    /// A [`RevocationError`] if the data is shorter than the header, the version is not 1, the
    /// entry size is not 1 to [`MAX_REVOCATION_ENTRY_BYTES`], the entries do not fill the data
    /// exactly (a truncated list), or there are more than [`MAX_HASH_LIST_ENTRIES`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, RevocationError> {
        let (header, body) =
            bytes
                .split_first_chunk::<HEADER_LEN>()
                .ok_or(RevocationError::Truncated {
                    kind: KIND,
                    len: bytes.len(),
                    header: HEADER_LEN,
                })?;
        let [v0, v1, p0, p1, p2, p3, n0, n1, n2, n3, size] = *header;
        let version = i16::from_be_bytes([v0, v1]);
        if version != VERSION {
            return Err(RevocationError::UnsupportedVersion {
                kind: KIND,
                version,
            });
        }
        let size = check_size(i64::from(i8::from_be_bytes([size])))?;
        let remainder = body.len().checked_rem(size).unwrap_or(0);
        if remainder != 0 {
            // The Java reader drops a trailing partial entry silently; it only comes from
            // truncation (the writer never emits one), so say so.
            return Err(RevocationError::LengthMismatch {
                kind: KIND,
                expected: bytes.len().saturating_sub(remainder),
                actual: bytes.len(),
            });
        }
        Self::sorted(
            size,
            i32::from_be_bytes([n0, n1, n2, n3]),
            f32::from_be_bytes([p0, p1, p2, p3]),
            body.chunks_exact(size).collect(),
        )
    }

    /// A list of the first `size` bytes of each hash, with `n` and `p` for the header, as the
    /// EU reference producer builds it.
    ///
    /// # Errors
    /// [`RevocationError::InvalidEntrySize`] if `size` is 0 or above
    /// [`MAX_REVOCATION_ENTRY_BYTES`], [`RevocationError::HashTooShort`] if a hash is shorter
    /// than `size`, [`RevocationError::TooManyEntries`] beyond [`MAX_HASH_LIST_ENTRIES`].
    pub fn from_hashes<'a>(
        size: u8,
        n: i32,
        p: f32,
        hashes: impl IntoIterator<Item = &'a [u8]>,
    ) -> Result<Self, RevocationError> {
        let size = check_size(i64::from(size))?;
        let mut prefixes = Vec::new();
        for hash in hashes {
            let prefix = hash.get(..size).ok_or(RevocationError::HashTooShort {
                kind: KIND,
                len: hash.len(),
                size,
            })?;
            if prefixes.len() >= MAX_HASH_LIST_ENTRIES {
                return Err(too_many());
            }
            prefixes.push(prefix);
        }
        Self::sorted(size, n, p, prefixes)
    }

    /// The entry size the EU reference producer picks for `n` hashes at rate `p` in a given
    /// partition mode, never below `min_size` (the reference service uses 4):
    /// `bits = ceil(log2 n)`, `size = ceil(bits / 8 + bits % 8 − offset + p)` (sic: it is not
    /// monotonic in `n`).
    ///
    /// # Errors
    /// [`RevocationError::InvalidParameters`] if `n` is 0; [`RevocationError::InvalidEntrySize`]
    /// if the result is above [`MAX_REVOCATION_ENTRY_BYTES`].
    pub fn entry_size(
        min_size: u8,
        mode: PartitionMode,
        n: u32,
        p: f32,
    ) -> Result<u8, RevocationError> {
        if n == 0 {
            return Err(RevocationError::InvalidParameters {
                kind: KIND,
                detail: "n must be at least 1",
            });
        }
        let bits = (f64::from(n).log10() / 2f64.log10()).ceil();
        let rounded = bits / 8.0 + bits % 8.0;
        let size = (rounded - mode.offset() + f64::from(p)).ceil();
        // safe: n >= 1 so bits is in 0..=32 and size in -2..=12; the clamp keeps it in range
        #[allow(clippy::as_conversions, clippy::cast_possible_truncation)]
        let size = size.clamp(-1.0, 1e6) as i64;
        let size = size.max(i64::from(min_size));
        check_size(size).and_then(|s| u8::try_from(s).map_err(|_| bad_size(size)))
    }

    /// Whether the hash's first `size` bytes are an entry (or, for a hash the reference writer
    /// corrupts, its corrupted twin). A hash shorter than the entries is never present.
    pub fn might_contain(&self, hash: &[u8]) -> bool {
        let Some(key) = hash.get(..self.size) else {
            return false;
        };
        self.search(key) || writer_twin(key).is_some_and(|twin| self.search(&twin))
    }

    /// The chance that a random hash of this partition matches an entry: `N / 2^(8·size −
    /// 4·fixed_digits)`, where `fixed_digits` leading hex digits are shared by every hash the
    /// slice is consulted for (its partition prefix).
    pub fn false_positive_probability(&self, fixed_digits: usize) -> Probability {
        let free_bits = self
            .size
            .saturating_mul(8)
            .saturating_sub(fixed_digits.saturating_mul(4));
        let free_bits = i32::try_from(free_bits).unwrap_or(i32::MAX);
        let entries = u32::try_from(self.len()).map_or(f64::MAX, f64::from);
        Probability::new(entries * 2f64.powi(free_bits.saturating_neg()))
    }

    /// The serialized form, entries in the reference's signed order, correctly padded.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(HEADER_LEN.saturating_add(self.entries.len()));
        out.extend_from_slice(&VERSION.to_be_bytes());
        out.extend_from_slice(&self.p.to_be_bytes());
        out.extend_from_slice(&self.n.to_be_bytes());
        out.push(u8::try_from(self.size).unwrap_or(0));
        // Signed order: the negative entries (first byte >= 0x80) come first.
        let positives = self
            .entries
            .chunks_exact(self.size)
            .take_while(|e| !is_negative(e))
            .count();
        let split = positives.saturating_mul(self.size);
        let (positive, negative) = self.entries.split_at(split.min(self.entries.len()));
        out.extend_from_slice(negative);
        out.extend_from_slice(positive);
        out
    }

    /// Bytes per entry.
    pub const fn entry_len(&self) -> usize {
        self.size
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.entries.len().checked_div(self.size).unwrap_or(0)
    }

    /// Whether the list has no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The false-positive rate in the header (informational).
    pub const fn target_probability(&self) -> f32 {
        f32::from_bits(self.p)
    }

    /// The number of elements in the header (informational; may exceed [`HashList::len`]).
    pub const fn capacity(&self) -> i32 {
        self.n
    }

    fn sorted(size: usize, n: i32, p: f32, mut rows: Vec<&[u8]>) -> Result<Self, RevocationError> {
        if rows.len() > MAX_HASH_LIST_ENTRIES {
            return Err(too_many());
        }
        if !rows.is_sorted() {
            rows.sort_unstable();
        }
        Ok(Self {
            size,
            p: p.to_bits(),
            n,
            entries: rows.concat(),
        })
    }

    fn search(&self, key: &[u8]) -> bool {
        let (mut low, mut high) = (0, self.len());
        while low < high {
            let mid = low.midpoint(high);
            let entry = mid
                .checked_mul(self.size)
                .and_then(|start| self.entries.get(start..start.checked_add(self.size)?));
            match entry.map(|e| e.cmp(key)) {
                Some(core::cmp::Ordering::Less) => low = mid.saturating_add(1),
                Some(core::cmp::Ordering::Greater) => high = mid,
                Some(core::cmp::Ordering::Equal) => return true,
                None => return false,
            }
        }
        false
    }
}

impl fmt::Debug for HashList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HashList")
            .field("size", &self.size)
            .field("entries", &self.len())
            .field("p", &self.target_probability())
            .field("n", &self.n)
            .finish()
    }
}

fn is_negative(entry: &[u8]) -> bool {
    entry.first().is_some_and(|b| b & 0x80 != 0)
}

/// What the reference writer emits for this entry when it differs from the entry itself:
/// `BigInteger.toByteArray()` drops the leading `0xff` bytes that only repeat the sign, and
/// the writer pads the rest with `0x00`.
fn writer_twin(entry: &[u8]) -> Option<Vec<u8>> {
    let dropped = entry
        .windows(2)
        .take_while(|pair| matches!(pair, [0xff, next] if next & 0x80 != 0))
        .count();
    if dropped == 0 {
        return None;
    }
    let mut twin = vec![0u8; dropped];
    twin.extend_from_slice(entry.get(dropped..)?);
    Some(twin)
}

fn check_size(size: i64) -> Result<usize, RevocationError> {
    usize::try_from(size)
        .ok()
        .filter(|s| (1..=MAX_REVOCATION_ENTRY_BYTES).contains(s))
        .ok_or(bad_size(size))
}

fn bad_size(size: i64) -> RevocationError {
    RevocationError::InvalidEntrySize {
        kind: KIND,
        size,
        max: MAX_REVOCATION_ENTRY_BYTES,
    }
}

fn too_many() -> RevocationError {
    RevocationError::TooManyEntries {
        kind: KIND,
        limit: MAX_HASH_LIST_ENTRIES,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::revocation::from_hex;

    fn hex(s: &str) -> Vec<u8> {
        from_hex(s).unwrap()
    }

    #[test]
    fn writer_twin_matches_big_integer_to_byte_array() {
        assert_eq!(writer_twin(&hex("ff8a0102")), Some(hex("008a0102")));
        assert_eq!(writer_twin(&hex("ffff8a01")), Some(hex("00008a01")));
        assert_eq!(writer_twin(&hex("ffffffff")), Some(hex("000000ff")));
        assert_eq!(
            writer_twin(&hex("ff7a0102")),
            None,
            "ff kept: next byte positive"
        );
        assert_eq!(writer_twin(&hex("8a010203")), None);
    }

    #[test]
    fn corrupted_twin_is_found() {
        // What the reference writer emits for the entry ff8a0102: 008a0102.
        let list = HashList::from_bytes(&hex("00012b8cbccc0000000104008a0102")).unwrap();
        assert!(list.might_contain(&hex("ff8a0102aabbccdd")));
        assert!(list.might_contain(&hex("008a0102")));
        assert!(!list.might_contain(&hex("ff8a0103")));
    }

    #[test]
    fn writes_correct_padding_and_signed_order() {
        let hashes = [hex("ff8a0102"), hex("01020304"), hex("8a000000")];
        let list = HashList::from_hashes(4, 3, 1e-12, hashes.iter().map(Vec::as_slice)).unwrap();
        assert_eq!(
            to_hex_str(&list.to_bytes()),
            "00012b8cbccc0000000304".to_owned() + "8a000000" + "ff8a0102" + "01020304"
        );
        let back = HashList::from_bytes(&list.to_bytes()).unwrap();
        assert_eq!(back, list);
    }

    fn to_hex_str(b: &[u8]) -> String {
        crate::revocation::to_hex(b)
    }

    #[test]
    fn hostile_headers_are_rejected() {
        let cases: [(&str, &str); 6] = [
            ("", "truncated"),
            ("0001358637bd00000006", "truncated"),
            ("0002358637bd00000006020304", "version"),
            ("0001358637bd00000006000304", "size 0"),
            ("0001358637bd00000006ff0304", "size -1"),
            ("0001358637bd000000062103", "size 33"),
        ];
        for (blob, why) in cases {
            assert!(HashList::from_bytes(&hex(blob)).is_err(), "{why}");
        }
        let truncated = HashList::from_bytes(&hex("0001358637bd0000000602030405"));
        assert!(
            matches!(
                truncated,
                Err(RevocationError::LengthMismatch {
                    expected: 13,
                    actual: 14,
                    ..
                })
            ),
            "{truncated:?}"
        );
    }

    #[test]
    fn lookups_stay_in_bounds() {
        let list =
            HashList::from_bytes(&hex("0001358637bd0000000602030405060708090a0b0c0d0e")).unwrap();
        for probe in ["ffff", "0000", "7fff", "0d0f", "0506", "03"] {
            let expected = probe == "0506";
            assert_eq!(list.might_contain(&hex(probe)), expected, "{probe}");
        }
        let empty = HashList::from_bytes(&hex("0001358637bd0000000602")).unwrap();
        assert!(empty.is_empty() && !empty.might_contain(&hex("0102")));
    }

    #[test]
    fn false_positive_probability_counts_free_bits() {
        let list = HashList::from_bytes(&hex("00012b8cbccc00000001042a503f7c")).unwrap();
        assert_eq!(list.false_positive_probability(0).value(), 2f64.powi(-32));
        assert_eq!(list.false_positive_probability(1).value(), 2f64.powi(-28));
    }
}
