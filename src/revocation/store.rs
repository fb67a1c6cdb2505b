//! The revocation store: the slices an app's backend downloaded, indexed so that checking one
//! certificate consults only the slices that can hold its hashes (revocation SPEC §4.5).

use super::{Blocklist, BloomFilter, CertificateHashes, HashList, HashType, Probability};
use super::{FilterKind, RevocationError};
use crate::fast_hash::FastMap;
use crate::time::UnixTime;

/// The data of one slice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Filter {
    /// An EU Bloom filter.
    Bloom(BloomFilter),
    /// An EU partial variable hash list.
    HashList(HashList),
    /// An exact set of hashes.
    Blocklist(Blocklist),
}

impl Filter {
    /// Reads a list of `kind` in its wire format: the EU binary Bloom filter or partial
    /// variable hash list, or a blocklist of one lowercase hex hash per line.
    ///
    /// # Errors
    /// The reader's [`RevocationError`].
    pub fn read(kind: FilterKind, bytes: Vec<u8>) -> Result<Self, RevocationError> {
        match kind {
            FilterKind::Bloom => BloomFilter::from_vec(bytes).map(Self::Bloom),
            FilterKind::HashList => HashList::from_bytes(&bytes).map(Self::HashList),
            FilterKind::Blocklist => Blocklist::from_hex_lines(&bytes).map(Self::Blocklist),
        }
    }

    /// Which kind of data this is.
    pub const fn kind(&self) -> FilterKind {
        match self {
            Self::Bloom(_) => FilterKind::Bloom,
            Self::HashList(_) => FilterKind::HashList,
            Self::Blocklist(_) => FilterKind::Blocklist,
        }
    }

    /// Whether the hash may be in the filter.
    pub fn might_contain(&self, hash: &[u8]) -> bool {
        match self {
            Self::Bloom(f) => f.might_contain(hash),
            Self::HashList(l) => l.might_contain(hash),
            Self::Blocklist(b) => b.contains(hash),
        }
    }

    /// The chance that a hit is a false positive, for a slice whose hashes share
    /// `fixed_digits` leading hex digits; `None` for an exact set.
    fn false_positive_probability(&self, fixed_digits: usize) -> Option<Probability> {
        match self {
            Self::Bloom(f) => Some(f.false_positive_probability()),
            Self::HashList(l) => Some(l.false_positive_probability(fixed_digits)),
            Self::Blocklist(_) => None,
        }
    }
}

/// One revocation list as a backend delivers it: the bytes in their wire format and the scope
/// they apply to. [`Slice::load`] reads it; the CLI and the bindings both go through it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct SliceData {
    /// The wire format of `data`.
    pub kind: FilterKind,
    /// The list's bytes.
    pub data: Vec<u8>,
    /// The hash types it holds (at least one).
    pub hash_types: Vec<HashType>,
    /// A name for reports (a file name, a URL, a list id).
    pub source: String,
    /// Only certificates signed under this kid; `None` for every kid.
    pub kid: Option<Vec<u8>>,
    /// Only hashes starting with these lowercase hex digits; empty for every hash (see
    /// [`Slice::with_prefix`]).
    pub prefix: String,
    /// The list stops applying at this time; `None` for never.
    pub expires_at: Option<UnixTime>,
}

impl SliceData {
    /// A list of `kind` holding hashes of `hash_types`, for every kid and hash, with no expiry.
    pub fn new(
        kind: FilterKind,
        data: Vec<u8>,
        hash_types: Vec<HashType>,
        source: impl Into<String>,
    ) -> Self {
        Self {
            kind,
            data,
            hash_types,
            source: source.into(),
            kid: None,
            prefix: String::new(),
            expires_at: None,
        }
    }
}

/// One filter with the scope it applies to: which kid (or every kid), which hash types, which
/// hashes (by their leading hex digits) and until when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Slice {
    filter: Filter,
    hash_types: Vec<HashType>,
    source: String,
    kid: Option<Vec<u8>>,
    prefix: Prefix,
    expires: Option<UnixTime>,
}

impl Slice {
    /// A slice holding hashes of the given types, for every kid and every hash, with no expiry.
    /// `source` names it in reports (a file name, a URL, a list id).
    ///
    /// # Errors
    /// [`RevocationError::NoHashTypes`] when `hash_types` is empty: such a slice would cover
    /// no certificate, and the revocation check would be off without a word.
    pub fn new(
        filter: Filter,
        hash_types: impl IntoIterator<Item = HashType>,
        source: impl Into<String>,
    ) -> Result<Self, RevocationError> {
        let mut hash_types: Vec<HashType> = hash_types.into_iter().collect();
        if hash_types.is_empty() {
            return Err(RevocationError::NoHashTypes);
        }
        hash_types.sort_unstable();
        hash_types.dedup();
        Ok(Self {
            filter,
            hash_types,
            source: source.into(),
            kid: None,
            prefix: Prefix::NONE,
            expires: None,
        })
    }

    /// Reads a delivered list and applies its scope.
    ///
    /// # Errors
    /// The reader's [`RevocationError`], [`RevocationError::NoHashTypes`] or
    /// [`RevocationError::InvalidPrefix`].
    pub fn load(list: SliceData) -> Result<Self, RevocationError> {
        let filter = Filter::read(list.kind, list.data)?;
        let mut slice =
            Self::new(filter, list.hash_types, list.source)?.with_prefix(&list.prefix)?;
        if let Some(kid) = &list.kid {
            slice = slice.for_kid(kid);
        }
        if let Some(expires) = list.expires_at {
            slice = slice.expires_at(expires);
        }
        Ok(slice)
    }

    /// Restricts the slice to certificates signed under this kid (the raw key id bytes; the EU
    /// lists spell it in base64).
    #[must_use]
    pub fn for_kid(mut self, kid: &[u8]) -> Self {
        self.kid = Some(kid.to_vec());
        self
    }

    /// Restricts the slice to hashes starting with these lowercase hex digits: the EU partition
    /// coordinates and chunk id concatenated (POINT: `cid`; VECTOR: `x cid`; COORDINATE:
    /// `x y cid`), or `""` for every hash.
    ///
    /// # Errors
    /// [`RevocationError::InvalidPrefix`] unless `prefix` is 0 to 3 lowercase hex digits.
    pub fn with_prefix(mut self, prefix: &str) -> Result<Self, RevocationError> {
        self.prefix = Prefix::parse(prefix).ok_or(RevocationError::InvalidPrefix)?;
        Ok(self)
    }

    /// Makes the slice stop applying at `expires` (the EU slice expiry): from then on it is
    /// ignored.
    #[must_use]
    pub fn expires_at(mut self, expires: UnixTime) -> Self {
        self.expires = Some(expires);
        self
    }

    /// The filter.
    pub const fn filter(&self) -> &Filter {
        &self.filter
    }

    /// The name given at construction.
    pub fn source(&self) -> &str {
        &self.source
    }

    fn in_force(&self, now: UnixTime) -> bool {
        self.expires.is_none_or(|expires| now < expires)
    }
}

/// Revocation data for the verifier: slices scoped by kid, hash type, hash prefix and expiry,
/// and optionally the time the data was issued (to report its age).
#[derive(Clone, Debug, Default)]
pub struct RevocationStore {
    slices: Vec<Slice>,
    every_kid: Index,
    by_kid: FastMap<Vec<u8>, Index>,
    issued_at: Option<UnixTime>,
}

/// Where the slices of one kid scope are: by hash type and prefix, plus the expiries that say
/// whether the scope has data at all.
#[derive(Clone, Debug, Default)]
struct Index {
    slices: FastMap<(HashType, Prefix), Vec<usize>>,
    /// Per hash type (in [`HashType::ALL`] order), the expiries of its slices; `None` = never.
    expiries: [Vec<Option<UnixTime>>; HashType::ALL.len()],
    /// Per hash type, the prefix lengths its slices use (bit `len`): a lookup tries only those.
    prefix_lengths: [u8; HashType::ALL.len()],
}

/// Up to three leading hex digits of a hash, as values 0..=15.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Prefix {
    len: u8,
    digits: [u8; 3],
}

/// Which kids' slices apply to a certificate (the slices for every kid always do).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KidScope<'a> {
    /// One kid's.
    One(&'a [u8]),
    /// These kids': every kid the signer key is trusted under.
    Kids(&'a [Vec<u8>]),
    /// Every kid's: the signer key is trusted without a kid, so it could have signed under
    /// any kid, and any kid's slices may hold the certificate.
    Every,
}

/// The outcome of a revocation lookup.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RevocationStatus {
    /// No slice in force covers this certificate's kid and hash types: nothing is known.
    NotCovered,
    /// Slices cover the certificate and none holds any of its hashes.
    NotRevoked,
    /// A slice holds one of the certificate's hashes.
    Revoked(RevocationMatch),
}

/// Which hash matched, where, and how sure the match is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RevocationMatch {
    /// The type of the hash found.
    pub hash_type: HashType,
    /// The [`Slice::source`] of the slice that holds it.
    pub source: String,
    /// For a Bloom filter or a hash list, the chance that this hit is a false positive; `None`
    /// for an exact set.
    pub false_positive_probability: Option<Probability>,
}

impl core::fmt::Display for RevocationMatch {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{} hash found in {}", self.hash_type, self.source)?;
        match self.false_positive_probability {
            Some(p) => write!(f, " (false-positive probability {p})"),
            None => Ok(()),
        }
    }
}

impl RevocationStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a slice.
    pub fn add(&mut self, slice: Slice) {
        let position = self.slices.len();
        let index = match &slice.kid {
            None => &mut self.every_kid,
            Some(kid) => self.by_kid.entry(kid.clone()).or_default(),
        };
        for &hash_type in &slice.hash_types {
            index
                .slices
                .entry((hash_type, slice.prefix))
                .or_default()
                .push(position);
            if let Some(expiries) = index.expiries.get_mut(hash_type.index()) {
                expiries.push(slice.expires);
            }
            if let Some(lengths) = index.prefix_lengths.get_mut(hash_type.index()) {
                *lengths |= 1u8.checked_shl(u32::from(slice.prefix.len)).unwrap_or(0);
            }
        }
        self.slices.push(slice);
    }

    /// Records when the data was issued (e.g. the backend's last update), so that reports give
    /// its age.
    pub fn set_issued_at(&mut self, issued_at: UnixTime) {
        self.issued_at = Some(issued_at);
    }

    /// When the data was issued, if known.
    pub const fn issued_at(&self) -> Option<UnixTime> {
        self.issued_at
    }

    /// The slices, in the order added.
    pub fn slices(&self) -> &[Slice] {
        &self.slices
    }

    /// Whether any slice for the kids in `scope` (or for every kid) is of this type: the
    /// hashes of the other types need not be computed.
    pub(crate) fn has_hash_type(&self, scope: KidScope<'_>, hash_type: HashType) -> bool {
        self.indexes(scope).iter().any(|i| i.has(hash_type))
    }

    /// The indexes of the kids in `scope`, then the one for every kid.
    fn indexes(&self, scope: KidScope<'_>) -> Vec<&Index> {
        let mut indexes: Vec<&Index> = match scope {
            KidScope::One(kid) => self.by_kid.get(kid).into_iter().collect(),
            KidScope::Kids(kids) => kids.iter().filter_map(|k| self.by_kid.get(k)).collect(),
            KidScope::Every => self.by_kid.values().collect(),
        };
        indexes.push(&self.every_kid);
        indexes
    }

    /// Whether the store has no slice.
    pub fn is_empty(&self) -> bool {
        self.slices.is_empty()
    }

    /// Looks the certificate's hashes up in the slices in force at `now` for `kid` (and those
    /// for every kid), consulting only the slices whose type and prefix fit each hash.
    pub fn check(&self, kid: &[u8], hashes: &CertificateHashes, now: UnixTime) -> RevocationStatus {
        self.check_scope(KidScope::One(kid), hashes, now)
    }

    /// [`RevocationStore::check`] for the kids in `scope`: those a verified signature proves,
    /// never a kid from unsigned bytes alone.
    pub fn check_scope(
        &self,
        scope: KidScope<'_>,
        hashes: &CertificateHashes,
        now: UnixTime,
    ) -> RevocationStatus {
        let scopes = self.indexes(scope);
        let mut covered = false;
        for (hash_type, hash) in hashes.iter() {
            for &index in &scopes {
                covered |= index.covers(hash_type, now);
                let lengths = index.prefix_lengths.get(hash_type.index()).copied();
                let used = |prefix: &Prefix| {
                    lengths
                        .is_some_and(|l| l.checked_shr(u32::from(prefix.len)).unwrap_or(0) & 1 == 1)
                };
                for prefix in Prefix::leading(hash).filter(used) {
                    let Some(positions) = index.slices.get(&(hash_type, prefix)) else {
                        continue;
                    };
                    for slice in positions.iter().filter_map(|&p| self.slices.get(p)) {
                        if slice.in_force(now) && slice.filter.might_contain(hash) {
                            return RevocationStatus::Revoked(RevocationMatch {
                                hash_type,
                                source: slice.source.clone(),
                                false_positive_probability: slice
                                    .filter
                                    .false_positive_probability(usize::from(prefix.len)),
                            });
                        }
                    }
                }
            }
        }
        if covered {
            RevocationStatus::NotRevoked
        } else {
            RevocationStatus::NotCovered
        }
    }
}

impl Index {
    /// Whether any slice, in force or not, is of this type.
    fn has(&self, hash_type: HashType) -> bool {
        self.expiries
            .get(hash_type.index())
            .is_some_and(|e| !e.is_empty())
    }

    /// Whether a slice of this type is in force: the kid has data for it.
    fn covers(&self, hash_type: HashType, now: UnixTime) -> bool {
        self.expiries
            .get(hash_type.index())
            .is_some_and(|e| e.iter().any(|x| x.is_none_or(|expires| now < expires)))
    }
}

impl Prefix {
    const NONE: Self = Self {
        len: 0,
        digits: [0; 3],
    };

    fn parse(text: &str) -> Option<Self> {
        let mut prefix = Self::NONE;
        for c in text.chars() {
            let digit = c
                .to_digit(16)
                .filter(|_| !c.is_ascii_uppercase())
                .and_then(|d| u8::try_from(d).ok())?;
            *prefix.digits.get_mut(usize::from(prefix.len))? = digit;
            prefix.len = prefix.len.checked_add(1)?;
        }
        Some(prefix)
    }

    /// The prefixes of 0 to 3 hex digits of a hash.
    fn leading(hash: &[u8]) -> impl Iterator<Item = Self> {
        let nibbles = [
            hash.first().map(|b| b >> 4),
            hash.first().map(|b| b & 0x0f),
            hash.get(1).map(|b| b >> 4),
        ];
        (0u8..=3).map_while(move |len| {
            let mut prefix = Self::NONE;
            for i in 0..usize::from(len) {
                *prefix.digits.get_mut(i)? = (*nibbles.get(i)?)?;
            }
            prefix.len = len;
            Some(prefix)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: UnixTime = UnixTime::from_secs(1_650_000_000);

    /// The hashes of a certificate whose only hash is the UCI of [`uci`].
    fn certificate() -> CertificateHashes {
        CertificateHashes::compute(None, &[], None, [(None, "URN:UVCI:01:XX:TEST")])
    }

    fn uci() -> [u8; 16] {
        super::super::uci_hash("URN:UVCI:01:XX:TEST")
    }

    fn blocklist_with(hash: &[u8]) -> Filter {
        Filter::Blocklist(Blocklist::from_hashes([hash]).unwrap())
    }

    #[test]
    fn a_delivered_list_loads_with_its_scope() {
        let hex = format!("{}\n", super::super::to_hex(&uci()));
        let mut list = SliceData::new(
            FilterKind::Blocklist,
            hex.into_bytes(),
            vec![HashType::Uci],
            "list-1",
        );
        list.kid = Some(b"kid1".to_vec());
        list.expires_at = Some(NOW);
        let slice = Slice::load(list.clone()).unwrap();
        assert_eq!(slice.source(), "list-1");
        assert_eq!(slice.kid.as_deref(), Some(&b"kid1"[..]));
        assert!(!slice.in_force(NOW));
        assert!(slice.filter().might_contain(&uci()));

        let mut bad_prefix = list.clone();
        bad_prefix.prefix = "xyz".to_owned();
        assert_eq!(Slice::load(bad_prefix), Err(RevocationError::InvalidPrefix));
        let mut no_types = list.clone();
        no_types.hash_types.clear();
        assert_eq!(Slice::load(no_types), Err(RevocationError::NoHashTypes));
        list.kind = FilterKind::Bloom; // hex text is no Bloom filter
        assert!(Slice::load(list).is_err());
    }

    #[test]
    fn prefixes() {
        assert_eq!(
            Prefix::parse("5a").map(|p| (p.len, p.digits)),
            Some((2, [5, 10, 0]))
        );
        assert!(Prefix::parse("5A").is_none());
        assert!(Prefix::parse("5abc").is_none());
        assert!(Prefix::parse("g").is_none());
        let all: Vec<Prefix> = Prefix::leading(&[0x5a, 0x3f]).collect();
        assert_eq!(all.len(), 4);
        assert_eq!(all.get(3).map(|p| p.digits), Some([5, 10, 3]));
        assert_eq!(Prefix::leading(&[0x5a]).count(), 3);
    }

    #[test]
    fn scope_kid_type_prefix_and_expiry() {
        let hash = uci();
        let hex = super::super::to_hex(&hash);
        let certificate = certificate();
        let kid = b"kid-1234";
        let check = |slice: Slice| {
            let mut store = RevocationStore::new();
            store.add(slice);
            store.check(kid, &certificate, NOW)
        };
        let revoked = |s| matches!(s, RevocationStatus::Revoked(_));
        let slice = || Slice::new(blocklist_with(&hash), [HashType::Uci], "test").unwrap();
        assert!(revoked(check(slice())));
        assert!(revoked(check(slice().for_kid(kid))));
        assert_eq!(
            check(slice().for_kid(b"other")),
            RevocationStatus::NotCovered
        );
        let other_type = Slice::new(blocklist_with(&hash), [HashType::Signature], "t").unwrap();
        assert_eq!(check(other_type), RevocationStatus::NotCovered);
        assert!(revoked(check(slice().with_prefix(&hex[..3]).unwrap())));
        let other_prefix = if hex.starts_with('0') { "1" } else { "0" };
        assert_eq!(
            check(slice().with_prefix(other_prefix).unwrap()),
            RevocationStatus::NotRevoked,
            "the kid has data, just not in this chunk"
        );
        assert_eq!(check(slice().expires_at(NOW)), RevocationStatus::NotCovered);
        assert!(revoked(check(
            slice().expires_at(UnixTime::from_secs(NOW.secs() + 60))
        )));
        let unrelated = Slice::new(blocklist_with(&[0; 16]), [HashType::Uci], "u").unwrap();
        assert_eq!(check(unrelated), RevocationStatus::NotRevoked);
    }

    #[test]
    fn match_names_type_source_and_probability() {
        let hash = uci();
        let mut store = RevocationStore::new();
        let list = HashList::from_hashes(4, 1, 1e-12, [hash.as_slice()]).unwrap();
        store.add(Slice::new(Filter::HashList(list), [HashType::Uci], "list.bin").unwrap());
        let RevocationStatus::Revoked(m) = store.check(b"k", &certificate(), NOW) else {
            panic!("not revoked");
        };
        assert_eq!(m.hash_type, HashType::Uci);
        assert_eq!(m.source, "list.bin");
        assert_eq!(
            m.false_positive_probability.map(|p| p.value()),
            Some(2f64.powi(-32))
        );
    }
}
