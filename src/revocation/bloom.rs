//! The EU revocation Bloom filter: dgc-bloomfilter `BloomFilterImpl`, binary format version 1
//! (revocation SPEC §2).
//!
//! ```text
//! offset  size  field (big-endian)
//!      0     2  version = 1
//!      2     1  k, the number of hash rounds (1..=127)
//!      3     1  hash function = 0 (SHA-256)
//!      4     4  p, the false-positive rate it was built for (binary32, informational)
//!      8     4  n, the number of elements it was built for (informational)
//!     12     4  the number of elements added (informational)
//!     16     4  L, the length of the bit array in 32-bit words
//!     20    4L  the bit array: bit i is data[i / 8] & (0x80 >> (i % 8)), m = 32 L bits
//! ```
//!
//! Round `j` of element `e` tests bit `SHA-256(e ‖ j as one byte)`, read as a *signed* 256-bit
//! big-endian integer, modulo `m` (Java `new BigInteger(digest).mod(m)`).

use core::fmt;
use core::num::{NonZeroU128, NonZeroU64};

use sha2::{Digest as _, Sha256};

use super::{FilterKind, Probability, RevocationError};
use crate::limits::{MAX_BLOOM_HASH_ROUNDS, MAX_BLOOM_WORDS};

const HEADER_LEN: usize = 20;
const VERSION: i16 = 1;
const HASH_FUNCTION_SHA256: i8 = 0;
const OFFSET_COUNT: usize = 12;
const KIND: FilterKind = FilterKind::Bloom;

/// An EU revocation Bloom filter, read from or written to its serialized form.
///
/// The serialized bytes are kept as they are and the bit array is read in place: loading
/// copies nothing beyond taking the buffer ([`BloomFilter::from_vec`]).
#[derive(Clone, PartialEq, Eq)]
pub struct BloomFilter {
    /// The serialized filter, header included.
    bytes: Vec<u8>,
    /// Hash rounds, 1..=127.
    k: u8,
    /// Bits in the array: 32 · L, at most 2^28.
    m: NonZeroU64,
    /// `2^(32 · (7 − i)) mod m` for the 8 big-endian 32-bit limbs of a digest, so that a digest
    /// reduces with one division.
    limb_weights: [u64; 8],
    /// `2^256 mod m`: a negative digest `d` stands for `d − 2^256`.
    two_pow_256: u64,
}

impl BloomFilter {
    /// Reads a serialized filter, copying it once. See [`BloomFilter::from_vec`].
    ///
    /// # Errors
    /// As [`BloomFilter::from_vec`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, RevocationError> {
        Self::from_vec(bytes.to_vec())
    }

    /// Reads a serialized filter, keeping the buffer as the filter's storage.
    ///
    /// # Errors
    /// A [`RevocationError`] if the data is shorter than the header, the version is not 1, the
    /// hash function is not SHA-256, `k` is not 1 to 127, the length in words is not 1 to
    /// [`MAX_BLOOM_WORDS`], or the data length is not `20 + 4 L`.
    pub fn from_vec(bytes: Vec<u8>) -> Result<Self, RevocationError> {
        let header: [u8; HEADER_LEN] = bytes
            .get(..HEADER_LEN)
            .and_then(|h| h.try_into().ok())
            .ok_or(RevocationError::Truncated {
                kind: KIND,
                len: bytes.len(),
                header: HEADER_LEN,
            })?;
        let [v0, v1, k, hash_function, _, _, _, _, _, _, _, _, _, _, _, _, l0, l1, l2, l3] = header;
        let version = i16::from_be_bytes([v0, v1]);
        if version != VERSION {
            return Err(RevocationError::UnsupportedVersion {
                kind: KIND,
                version,
            });
        }
        let hash_function = i8::from_be_bytes([hash_function]);
        if hash_function != HASH_FUNCTION_SHA256 {
            return Err(RevocationError::UnsupportedHashFunction { id: hash_function });
        }
        let k = check_rounds(i64::from(i8::from_be_bytes([k])))?;
        let declared = i64::from(i32::from_be_bytes([l0, l1, l2, l3]));
        let words = check_words(declared)?;
        let expected = data_len(words).ok_or(RevocationError::InvalidSize {
            words: declared,
            max: MAX_BLOOM_WORDS,
        })?;
        if bytes.len() != expected {
            return Err(RevocationError::LengthMismatch {
                kind: KIND,
                expected,
                actual: bytes.len(),
            });
        }
        Ok(Self::with_storage(bytes, k, words))
    }

    /// An empty filter sized by the EU reference constructor `BloomFilterImpl(int n, float p)`
    /// for `n` elements at false-positive rate `p`, so that adding the same elements gives the
    /// same bytes as the reference (SPEC §2.5):
    ///
    /// ```text
    /// bits  = ceil(n ln p / ln(1 / 2^(ln 2)));  bytes = bits / 8 + 1
    /// L     = bytes / 4 + bytes % 4  (sic);      k = max(1, round(32 L / n · ln 2))
    /// ```
    ///
    /// # Errors
    /// [`RevocationError::InvalidParameters`] if `n` is 0 or above `i32::MAX`, or `p` is not in
    /// `(0, 1]`; [`RevocationError::InvalidSize`] or [`RevocationError::InvalidHashRounds`] if
    /// the resulting filter would exceed the bounds.
    pub fn new(n: u32, p: f32) -> Result<Self, RevocationError> {
        let n_header = i32::try_from(n).map_err(|_| invalid("n above 2^31 - 1"))?;
        if n == 0 {
            return Err(invalid("n must be at least 1"));
        }
        if !(p > 0.0 && p <= 1.0) {
            return Err(invalid("p must be in (0, 1]"));
        }
        let ln2 = core::f64::consts::LN_2;
        let bits = (f64::from(n) * f64::from(p).ln() / (1.0 / 2f64.powf(ln2)).ln()).ceil();
        let bits = float_to_i64(bits).ok_or(RevocationError::InvalidSize {
            words: i64::MAX,
            max: MAX_BLOOM_WORDS,
        })?;
        // The reference's integer arithmetic, on values already bounded by the float check.
        let bytes = bits.max(0).saturating_div(8).saturating_add(1);
        let words = bytes
            .saturating_div(4)
            .saturating_add(bytes.checked_rem(4).unwrap_or(0));
        let words = check_words(words)?;
        let m = f64::from(words_to_u32(words)?) * 32.0;
        let k = float_to_i64((m / f64::from(n) * ln2 + 0.5).floor()).unwrap_or(i64::MAX);
        let k = check_rounds(k.max(1))?;
        Ok(Self::empty(words, k, n_header, p))
    }

    /// An empty filter made by the EU reference's other constructor,
    /// `BloomFilterImpl(int size, byte k, int n)`: `L = size / 4 + size % 4` words, `k` rounds,
    /// and `p` computed from them as the reference does (it only goes into the header).
    ///
    /// # Errors
    /// [`RevocationError::InvalidParameters`] if `size` or `n` is 0 or `n` is above
    /// `i32::MAX`; [`RevocationError::InvalidSize`] or [`RevocationError::InvalidHashRounds`]
    /// beyond the bounds.
    pub fn with_size(size: u32, k: u8, n: u32) -> Result<Self, RevocationError> {
        let n_header = i32::try_from(n).map_err(|_| invalid("n above 2^31 - 1"))?;
        if n == 0 || size == 0 {
            return Err(invalid("size and n must be at least 1"));
        }
        let words = check_words(i64::from((size / 4).saturating_add(size % 4)))?;
        let k = check_rounds(i64::from(k))?;
        // Java: (float) (numBits / 8) / n in float, -k / that in float, then exp and pow in double.
        let bytes_per_element =
            to_f32(f64::from(words_to_u32(words)?) * 4.0) / to_f32(f64::from(n));
        let exponent = -f32::from(k) / bytes_per_element;
        let p = (1.0 - f64::from(exponent).exp()).powf(f64::from(k));
        Ok(Self::empty(words, k, n_header, to_f32(p)))
    }

    /// Adds an element (for revocation, the 16-byte hash).
    pub fn add(&mut self, element: &[u8]) {
        for round in 0..self.k {
            let index = self.index(element, round);
            if let Some((byte, mask)) = self.locate(index) {
                if let Some(b) = self.bytes.get_mut(byte) {
                    *b |= mask;
                }
            }
        }
        let count = self.count().wrapping_add(1); // Java int arithmetic
        if let Some(field) = self.bytes.get_mut(OFFSET_COUNT..OFFSET_COUNT + 4) {
            field.copy_from_slice(&count.to_be_bytes());
        }
    }

    /// Whether the element may have been added: `false` is certain, `true` is wrong with
    /// probability [`BloomFilter::false_positive_probability`].
    pub fn might_contain(&self, element: &[u8]) -> bool {
        (0..self.k).all(|round| {
            self.locate(self.index(element, round))
                .and_then(|(byte, mask)| self.bytes.get(byte).map(|b| b & mask != 0))
                .unwrap_or(false)
        })
    }

    /// The chance that an element never added is reported present, from this filter's actual
    /// fill: `(set bits / m)^k`. Counts the bits, so call it on a hit, not on every lookup.
    pub fn false_positive_probability(&self) -> Probability {
        let data = self.bytes.get(HEADER_LEN..).unwrap_or(&[]);
        let set: u64 = data.iter().map(|b| u64::from(b.count_ones())).sum();
        let fill = u32::try_from(set).map_or(1.0, f64::from) / f64::from(self.bits());
        Probability::new(fill.powi(i32::from(self.k)))
    }

    /// The serialized form (header and bit array).
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The serialized form, without copying.
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }

    /// The number of hash rounds, `k`.
    pub const fn hash_rounds(&self) -> u8 {
        self.k
    }

    /// The number of bits, `m` = 32 · L (at most 2^28).
    pub fn bits(&self) -> u32 {
        u32::try_from(self.m.get()).unwrap_or(u32::MAX)
    }

    /// The false-positive rate the producer dimensioned the filter for (header, informational).
    pub fn target_probability(&self) -> f32 {
        f32::from_be_bytes(self.field(4))
    }

    /// The number of elements the producer dimensioned the filter for (header, informational).
    pub fn capacity(&self) -> i32 {
        i32::from_be_bytes(self.field(8))
    }

    /// The number of elements added, as the header counts them (informational).
    pub fn count(&self) -> i32 {
        i32::from_be_bytes(self.field(OFFSET_COUNT))
    }

    fn field(&self, offset: usize) -> [u8; 4] {
        self.bytes
            .get(offset..)
            .and_then(|rest| rest.get(..4))
            .and_then(|f| f.try_into().ok())
            .unwrap_or_default()
    }

    fn empty(words: usize, k: u8, n: i32, p: f32) -> Self {
        let data = words.saturating_mul(4);
        let mut bytes = Vec::with_capacity(HEADER_LEN.saturating_add(data));
        bytes.extend_from_slice(&VERSION.to_be_bytes());
        bytes.extend_from_slice(&[k, 0]); // k, then the hash function (SHA-256)
        bytes.extend_from_slice(&p.to_be_bytes());
        bytes.extend_from_slice(&n.to_be_bytes());
        bytes.extend_from_slice(&0i32.to_be_bytes());
        bytes.extend_from_slice(&u32::try_from(words).unwrap_or(0).to_be_bytes());
        bytes.resize(HEADER_LEN.saturating_add(data), 0);
        Self::with_storage(bytes, k, words)
    }

    fn with_storage(bytes: Vec<u8>, k: u8, words: usize) -> Self {
        // words is 1..=MAX_BLOOM_WORDS = 2^23, so m is 32..=2^28.
        let m = u64::try_from(words).unwrap_or(1).saturating_mul(32);
        let m = NonZeroU64::new(m).unwrap_or(NonZeroU64::MIN);
        let mut limb_weights = [0u64; 8];
        let mut weight = 1 % m;
        for slot in limb_weights.iter_mut().rev() {
            *slot = weight;
            weight = mul_mod(weight, 1 << 32, m);
        }
        // limb_weights[0] = 2^224 mod m, so one more step of 2^32 gives 2^256.
        let two_pow_256 = weight;
        Self {
            bytes,
            k,
            m,
            limb_weights,
            two_pow_256,
        }
    }

    /// `SHA-256(element ‖ round)` as a signed big-endian integer, modulo m.
    fn index(&self, element: &[u8], round: u8) -> u64 {
        let digest = probe_digest(element, round);
        // Each term is below 2^32 · 2^28 and there are 8, so the sum stays below 2^63.
        let mut sum: u64 = 0;
        for (limb, weight) in digest.chunks_exact(4).zip(self.limb_weights) {
            let limb = limb.try_into().map_or(0, u32::from_be_bytes);
            sum = sum.wrapping_add(u64::from(limb).wrapping_mul(weight));
        }
        let unsigned = sum % self.m;
        let negative = digest.first().is_some_and(|b| b & 0x80 != 0);
        if negative {
            // d − 2^256 ≡ unsigned − 2^256 (mod m); both terms are below m <= 2^28, so
            // unsigned + m − two_pow_256 neither overflows nor goes below zero.
            unsigned
                .wrapping_add(self.m.get())
                .wrapping_sub(self.two_pow_256)
                % self.m
        } else {
            unsigned
        }
    }

    /// The byte offset in the serialized form and the mask of bit `index`.
    fn locate(&self, index: u64) -> Option<(usize, u8)> {
        let byte = usize::try_from(index >> 3).ok()?.checked_add(HEADER_LEN)?;
        let shift = u32::try_from(index & 7).ok()?;
        Some((byte, 0x80u8.checked_shr(shift)?))
    }
}

/// `SHA-256(element ‖ round)`. When that fits one block (always for revocation hashes, at
/// most 32 bytes), it is one compression on a stack block: creating, moving and finalising a
/// hasher per probe cost more than the compression itself.
fn probe_digest(element: &[u8], round: u8) -> [u8; 32] {
    const INITIAL_STATE: [u32; 8] = [
        0x6a09_e667,
        0xbb67_ae85,
        0x3c6e_f372,
        0xa54f_f53a,
        0x510e_527f,
        0x9b05_688c,
        0x1f83_d9ab,
        0x5be0_cd19,
    ];
    let mut block = [0u8; 64];
    let len = element.len();
    let bits = u64::try_from(len.saturating_add(1)).map_or(u64::MAX, |n| n.saturating_mul(8));
    // The message, the round, the 0x80 end marker, and the bit length in the last 8 bytes.
    let mut fill = |at: core::ops::Range<usize>, bytes: &[u8]| {
        block
            .get_mut(at)
            .map(|b| b.copy_from_slice(bytes))
            .is_some()
    };
    let one_block = len <= 54
        && fill(0..len, element)
        && fill(len..len.saturating_add(2), &[round, 0x80])
        && fill(56..64, &bits.to_be_bytes());
    if !one_block {
        return Sha256::new()
            .chain_update(element)
            .chain_update([round])
            .finalize()
            .into();
    }
    let mut state = INITIAL_STATE;
    sha2::compress256(&mut state, &[block.into()]);
    let mut digest = [0u8; 32];
    for (out, word) in digest.chunks_exact_mut(4).zip(state) {
        out.copy_from_slice(&word.to_be_bytes());
    }
    digest
}

impl fmt::Debug for BloomFilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BloomFilter")
            .field("k", &self.k)
            .field("m", &self.m)
            .field("p", &self.target_probability())
            .field("n", &self.capacity())
            .field("count", &self.count())
            .finish()
    }
}

fn invalid(detail: &'static str) -> RevocationError {
    RevocationError::InvalidParameters { kind: KIND, detail }
}

fn check_rounds(k: i64) -> Result<u8, RevocationError> {
    u8::try_from(k)
        .ok()
        .filter(|k| (1..=MAX_BLOOM_HASH_ROUNDS).contains(k))
        .ok_or(RevocationError::InvalidHashRounds {
            k,
            max: MAX_BLOOM_HASH_ROUNDS,
        })
}

fn check_words(words: i64) -> Result<usize, RevocationError> {
    usize::try_from(words)
        .ok()
        .filter(|w| (1..=MAX_BLOOM_WORDS).contains(w))
        .ok_or(RevocationError::InvalidSize {
            words,
            max: MAX_BLOOM_WORDS,
        })
}

fn words_to_u32(words: usize) -> Result<u32, RevocationError> {
    u32::try_from(words).map_err(|_| invalid("too many words"))
}

/// `20 + 4 L`, the serialized length.
fn data_len(words: usize) -> Option<usize> {
    words.checked_mul(4)?.checked_add(HEADER_LEN)
}

/// `a · b mod m` for `a, b < 2^33` and `m <= 2^28`.
fn mul_mod(a: u64, b: u64, m: NonZeroU64) -> u64 {
    let product = u128::from(a).wrapping_mul(u128::from(b)) % NonZeroU128::from(m);
    u64::try_from(product).unwrap_or(0)
}

/// A float that is finite and within ±2^62, as an integer (truncated towards zero).
fn float_to_i64(x: f64) -> Option<i64> {
    const LIMIT: f64 = 4_611_686_018_427_387_904.0; // 2^62
    if !x.is_finite() || x.abs() > LIMIT {
        return None;
    }
    #[allow(clippy::as_conversions, clippy::cast_possible_truncation)]
    Some(x as i64) // safe: finite and within ±2^62
}

/// Java's `(float)` narrowing: round to the nearest binary32.
fn to_f32(x: f64) -> f32 {
    #[allow(clippy::as_conversions, clippy::cast_possible_truncation)]
    let narrowed = x as f32; // safe: float narrowing rounds to nearest, never panics
    narrowed
}

#[cfg(test)]
mod tests;
