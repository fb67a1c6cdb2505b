//! The trust store: signer keys by kid, with what each key may sign and when, merged per key
//! across sources, and the all-or-nothing commit every loader goes through.

use std::collections::HashMap;

use crate::crypto::{KeyError, PublicKey};
use crate::eudcc::hcert::EntryType;
use crate::fast_hash::FastMap;
use crate::limits::MAX_KEYS_PER_KID;
use crate::time::UnixTime;

/// Which certificate types a signer may sign, from its extended key usage.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyUsage {
    /// No DCC-specific extended key usage: any type.
    Any,
    /// Only the types whose OID the signer certificate lists.
    Only {
        /// 1.3.6.1.4.1.1847.2021.1.1 (or the .0. variant).
        test: bool,
        /// 1.3.6.1.4.1.1847.2021.1.2 (or the .0. variant).
        vaccination: bool,
        /// 1.3.6.1.4.1.1847.2021.1.3 (or the .0. variant).
        recovery: bool,
    },
}

impl KeyUsage {
    /// The types both usages allow.
    #[must_use]
    pub const fn intersect(self, other: Self) -> Self {
        match (self, other) {
            (Self::Any, usage) | (usage, Self::Any) => usage,
            (
                Self::Only {
                    test,
                    vaccination,
                    recovery,
                },
                Self::Only {
                    test: t,
                    vaccination: v,
                    recovery: r,
                },
            ) => Self::Only {
                test: test && t,
                vaccination: vaccination && v,
                recovery: recovery && r,
            },
        }
    }

    /// Whether a certificate of type `entry` may be signed.
    pub const fn allows(self, entry: EntryType) -> bool {
        match self {
            Self::Any => true,
            Self::Only {
                test,
                vaccination,
                recovery,
            } => match entry {
                EntryType::Test => test,
                EntryType::Vaccination => vaccination,
                EntryType::Recovery => recovery,
            },
        }
    }
}

/// Something in a signer certificate that could not be read. The key is still usable; a strict
/// caller may drop keys with warnings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KeyWarning {
    /// The validity period (or one of its dates) could not be read: the unread bound is `None`.
    UnreadableValidity,
    /// An extension could not be read. If it was the extended key usage, the usage is built
    /// from the DCC OIDs read before the fault ([`KeyUsage::Any`] if none were).
    UnreadableExtensions,
}

/// One trusted signer key with what its certificate says about it.
#[derive(Clone, Debug)]
pub struct SignerKey {
    /// The public key.
    pub key: PublicKey,
    /// Signer certificate notBefore, if known.
    pub not_before: Option<UnixTime>,
    /// Signer certificate notAfter, if known.
    pub not_after: Option<UnixTime>,
    /// Allowed certificate types.
    pub usage: KeyUsage,
    /// The issuing country (ISO 3166 alpha-2), from the trust list or the certificate subject.
    pub country: Option<String>,
    /// What could not be read from the certificate.
    pub warnings: Vec<KeyWarning>,
}

impl SignerKey {
    /// A key with no known validity, country or warnings, allowed to sign any type.
    pub const fn new(key: PublicKey) -> Self {
        Self {
            key,
            not_before: None,
            not_after: None,
            usage: KeyUsage::Any,
            country: None,
            warnings: Vec::new(),
        }
    }

    /// This key with the metadata that both `self` and `other` allow: the later notBefore,
    /// the earlier notAfter, the usages both list, the warnings of either. A country both do
    /// not agree on becomes unknown. Unknown validity or usage restricts nothing, so a source
    /// without metadata (a bare key, a kid map) cannot lift another source's restriction.
    #[must_use]
    pub fn restrict_to(mut self, other: &Self) -> Self {
        // `None < Some`: the later of two bounds, or the one that is known.
        self.not_before = self.not_before.max(other.not_before);
        self.not_after = match (self.not_after, other.not_after) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self.usage = self.usage.intersect(other.usage);
        self.country = match (self.country.take(), &other.country) {
            (Some(a), Some(b)) if a != *b => None,
            (a, b) => a.or_else(|| b.clone()),
        };
        for warning in &other.warnings {
            if !self.warnings.contains(warning) {
                self.warnings.push(*warning);
            }
        }
        self
    }

    /// Takes the key's common metadata (`common`, folded with [`SignerKey::restrict_to`]):
    /// its usage, country and warnings and, for an entry that states no validity period of
    /// its own, the common period. An entry with a period keeps it: several certificates of
    /// one key are renewals, each vouching for its own period (the German list holds 57 keys
    /// under certificates with different periods, one pair of them disjoint).
    fn take_common_metadata(&mut self, common: &Self) {
        if self.not_before.is_none() && self.not_after.is_none() {
            self.not_before = common.not_before;
            self.not_after = common.not_after;
        }
        self.usage = common.usage;
        self.country.clone_from(&common.country);
        self.warnings.clone_from(&common.warnings);
    }
}

/// Why trust data could not be loaded. Messages are lowercase and never contain key bytes.
///
/// `entry` counts from 0 in document order: a list item, a map entry, a JWK within a kid's
/// array, or a PEM block.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TrustError {
    /// The bytes are none of the supported formats.
    #[error("unrecognised trust data format")]
    UnrecognisedFormat,
    /// JSON syntax error, or JSON of an unexpected shape.
    #[error("invalid trust list JSON at line {line}, column {column}")]
    InvalidJson {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// A field is not valid base64.
    #[error("entry {entry}: invalid base64 in {field}")]
    InvalidBase64 {
        /// Which entry.
        entry: usize,
        /// Which field, e.g. `kid` or `rawData`.
        field: &'static str,
    },
    /// An X.509 certificate could not be read.
    #[error("entry {entry}: bad certificate: {detail}")]
    BadCertificate {
        /// Which entry.
        entry: usize,
        /// What is wrong.
        detail: &'static str,
    },
    /// A bare public key (SPKI or JWK) could not be read.
    #[error("entry {entry}: bad public key: {detail}")]
    BadKey {
        /// Which entry.
        entry: usize,
        /// What is wrong.
        detail: &'static str,
    },
    /// An entry does not have the shape its format requires.
    #[error("entry {entry}: {detail}")]
    BadEntry {
        /// Which entry.
        entry: usize,
        /// What is wrong.
        detail: &'static str,
    },
    /// The key is of a type this crate cannot verify with (only from the single-key loaders;
    /// lists skip such entries instead, see [`LoadReport`]).
    #[error("entry {entry}: unsupported key type")]
    UnsupportedKey {
        /// Which entry.
        entry: usize,
    },
    /// A compact key set is malformed: `offset` is where, in bytes from its start.
    #[error("key set at byte {offset}: {detail}")]
    BadKeySet {
        /// Byte offset of the fault.
        offset: usize,
        /// What is wrong.
        detail: &'static str,
    },
    /// A compact key set of a format version this crate does not read.
    #[error("unsupported key set version {version}")]
    UnsupportedKeySetVersion {
        /// The version byte found.
        version: u8,
    },
    /// The input holds no usable key: loading it would trust nothing (one bad backend answer
    /// must not empty the trust). Build an empty [`TrustStore::new`] to trust nothing on purpose.
    #[error("trust data holds no usable key")]
    NoKeys,
    /// A key set older than the one in force, or than the minimum the caller persisted: an
    /// older set, even genuinely signed, could bring back a removed signer and lower the clock
    /// floor.
    #[error(
        "key set {} is older than the required {minimum}",
        .issued_at.map_or_else(|| "(none loaded)".to_owned(), |t| format!("issued at {t}"))
    )]
    KeySetRollback {
        /// The issue time of the newest key set loaded (`None` when none was).
        issued_at: Option<UnixTime>,
        /// The minimum required.
        minimum: UnixTime,
    },
    /// A publisher key is pinned but the input is not a compact key set.
    #[error("a publisher key is pinned: trust data must be a signed key set")]
    KeySetRequired,
    /// A publisher key is pinned but the key set carries no signature.
    #[error("key set is not signed, but a publisher key is pinned")]
    KeySetUnsigned,
    /// The key set's signature does not verify with the pinned publisher key.
    #[error("key set signature does not verify with the pinned publisher key")]
    KeySetSignatureInvalid,
    /// The input exceeds [`MAX_TRUST_BYTES`](crate::limits::MAX_TRUST_BYTES).
    #[error("trust data larger than {limit} bytes")]
    TooLarge {
        /// The bound.
        limit: usize,
    },
    /// The input holds more than [`MAX_TRUST_ENTRIES`](crate::limits::MAX_TRUST_ENTRIES) entries.
    #[error("trust data has more than {limit} entries")]
    TooManyEntries {
        /// The bound.
        limit: usize,
    },
    /// Loading would put more than [`MAX_KEYS_PER_KID`] keys under one kid (or kid-less).
    #[error("more than {limit} keys for one kid")]
    TooManyKeysForKid {
        /// The bound.
        limit: usize,
    },
}

/// What a load did: keys added, and entries deliberately left out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LoadReport {
    /// Keys added to the store.
    pub added: usize,
    /// Entries not loaded, in input order.
    pub skipped: Vec<SkippedEntry>,
}

/// An entry a list loader left out instead of failing the whole list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SkippedEntry {
    /// Position of the entry (see [`TrustError`]).
    pub entry: usize,
    /// Why it was left out.
    pub reason: SkipReason,
}

/// Why a list entry was left out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SkipReason {
    /// A well-formed key of a type this crate cannot verify with (e.g. EC P-384, RSA above
    /// [`MAX_RSA_BITS`](crate::limits::MAX_RSA_BITS)).
    UnsupportedKey,
    /// A DGCG entry whose `certificateType` is not `DSC` (a CSCA or upload certificate).
    NotDocumentSigner,
}

/// Trusted signer keys, by kid; several keys may share one kid.
///
/// One public key may come from several entries (a DGCG list and a national kid map, under
/// one kid or several, or as a bare key): every entry of a key carries the usages all its
/// entries allow, and an entry without a validity period of its own (a bare key, the Swiss
/// map) the period all the others allow (see [`SignerKey::restrict_to`]), whatever the order
/// of loading, so that adding a source can never widen what a signer may sign.
#[derive(Clone, Debug, Default)]
pub struct TrustStore {
    by_kid: FastMap<Vec<u8>, Vec<SignerKey>>,
    kidless: Vec<SignerKey>,
    clock_floor: Option<UnixTime>,
    key_set_issued_at: Option<UnixTime>,
    /// Per public key ([`PublicKey::identity`]): where it is trusted.
    placements: FastMap<Vec<u8>, Placement>,
}

/// The kids a public key is trusted under, and whether it is also trusted kid-less: what a
/// signature that verified with it proves about its kid.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Placement {
    /// The kids, in the order first added.
    pub kids: Vec<Vec<u8>>,
    /// Whether the key is also trusted without a kid (it then verifies under any kid).
    pub kidless: bool,
}

impl TrustStore {
    /// An empty store: nothing is trusted.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `key` under `kid`, after any keys already there. Nothing is replaced; entries for
    /// the same public key are restricted to their common metadata.
    pub fn add_key(&mut self, kid: Vec<u8>, key: SignerKey) {
        let public = key.key.clone();
        let identity = self.insert(Some(kid), key);
        self.restrict_entries_of(&identity, &public);
    }

    /// Adds a key with no kid: it is offered for every kid (see [`TrustStore::candidates`]).
    /// Entries for the same public key are restricted to their common metadata.
    pub fn add_kidless_key(&mut self, key: SignerKey) {
        let public = key.key.clone();
        let identity = self.insert(None, key);
        self.restrict_entries_of(&identity, &public);
    }

    /// Where `key` is trusted: its kids, and whether it is also kid-less. `None` if the store
    /// does not hold it.
    pub fn placement(&self, key: &PublicKey) -> Option<&Placement> {
        self.placements.get(&key.identity())
    }

    /// Stores one entry and records its placement; returns the key's identity.
    fn insert(&mut self, kid: Option<Vec<u8>>, key: SignerKey) -> Vec<u8> {
        let identity = key.key.identity();
        let placement = self.placements.entry(identity.clone()).or_default();
        match kid {
            Some(kid) => {
                if !placement.kids.contains(&kid) {
                    placement.kids.push(kid.clone());
                }
                self.by_kid.entry(kid).or_default().push(key);
            }
            None => {
                placement.kidless = true;
                self.kidless.push(key);
            }
        }
        identity
    }

    /// Gives every entry of `public` (whose identity is given, to find where it is) the
    /// metadata common to all of them. Entries are matched by key equality: encoding a P-256
    /// point for its identity costs field multiplications, comparing two does not.
    fn restrict_entries_of(&mut self, identity: &[u8], public: &PublicKey) {
        let Some(placement) = self.placements.get(identity) else {
            return;
        };
        let keyed = placement
            .kids
            .iter()
            .filter_map(|kid| self.by_kid.get(kid))
            .flatten();
        let kidless = self.kidless.iter().filter(|_| placement.kidless);
        let mut entries = keyed.chain(kidless).filter(|key| key.key == *public);
        let Some(first) = entries.next() else {
            return;
        };
        let mut others = entries.peekable();
        if others.peek().is_none() {
            return; // one entry: nothing to share (most keys)
        }
        let common = others.fold(first.clone(), SignerKey::restrict_to);
        for kid in &placement.kids {
            for key in self.by_kid.get_mut(kid).into_iter().flatten() {
                if key.key == common.key {
                    key.take_common_metadata(&common);
                }
            }
        }
        if placement.kidless {
            for key in &mut self.kidless {
                if key.key == common.key {
                    key.take_common_metadata(&common);
                }
            }
        }
    }

    /// The keys to try for `kid`: those added under `kid`, in the order they were added,
    /// followed by the kid-less keys.
    pub fn candidates<'a>(&'a self, kid: &[u8]) -> impl Iterator<Item = &'a SignerKey> + 'a {
        self.by_kid
            .get(kid)
            .into_iter()
            .flatten()
            .chain(&self.kidless)
    }

    /// Every key with its kid (`None` for kid-less keys). Kids come in no particular order;
    /// the keys of one kid come in the order they were added.
    pub fn iter(&self) -> impl Iterator<Item = (Option<&[u8]>, &SignerKey)> + '_ {
        let keyed = self
            .by_kid
            .iter()
            .flat_map(|(kid, keys)| keys.iter().map(move |key| (Some(kid.as_slice()), key)));
        keyed.chain(self.kidless.iter().map(|key| (None, key)))
    }

    /// The number of keys, kid-less ones included.
    pub fn len(&self) -> usize {
        self.by_kid
            .values()
            .map(Vec::len)
            .fold(self.kidless.len(), usize::saturating_add)
    }

    /// The latest issue time of the key sets loaded: the verifier never evaluates a certificate
    /// at an earlier time (a device clock set back cannot revive expired certificates).
    pub fn clock_floor(&self) -> Option<UnixTime> {
        self.clock_floor
    }

    /// The issue time of the newest key set loaded, if any: what an app persists, to refuse an
    /// older set later ([`TrustStore::check_not_older_than`]), across restarts too.
    pub fn key_set_issued_at(&self) -> Option<UnixTime> {
        self.key_set_issued_at
    }

    /// Checks that this store holds a key set issued at `minimum` or later: the issue time
    /// is the key sets' sequence, which a verifier never goes below unless its caller says so.
    ///
    /// # Errors
    /// [`TrustError::KeySetRollback`] if the newest key set is older, or none was loaded.
    pub fn check_not_older_than(&self, minimum: UnixTime) -> Result<(), TrustError> {
        match self.key_set_issued_at {
            Some(issued_at) if issued_at >= minimum => Ok(()),
            issued_at => Err(TrustError::KeySetRollback { issued_at, minimum }),
        }
    }

    /// Raises [`TrustStore::clock_floor`] to `at` if it is later (never lowers it).
    pub fn raise_clock_floor(&mut self, at: UnixTime) {
        self.clock_floor = self.clock_floor.max(Some(at));
    }

    /// Whether the store trusts nothing.
    pub fn is_empty(&self) -> bool {
        self.kidless.is_empty() && self.by_kid.values().all(Vec::is_empty)
    }

    /// Adds the keys of a parsed key set and raises the clock floor to its issue time: all or
    /// nothing.
    pub(crate) fn commit_key_set(
        &mut self,
        keys: Vec<(Option<Vec<u8>>, SignerKey)>,
        issued_at: UnixTime,
    ) -> Result<LoadReport, TrustError> {
        let report = self.commit(Batch {
            keys,
            skipped: Vec::new(),
        })?;
        self.raise_clock_floor(issued_at);
        self.key_set_issued_at = self.key_set_issued_at.max(Some(issued_at));
        Ok(report)
    }

    /// Checks that the batch holds a key and the per-kid bound, then adds it: all or nothing.
    pub(super) fn commit(&mut self, batch: Batch) -> Result<LoadReport, TrustError> {
        if batch.keys.is_empty() {
            return Err(TrustError::NoKeys);
        }
        let mut counts: HashMap<Option<&[u8]>, usize> = HashMap::new();
        for (kid, _) in &batch.keys {
            let count = counts.entry(kid.as_deref()).or_insert_with(|| match kid {
                Some(kid) => self.by_kid.get(kid.as_slice()).map_or(0, Vec::len),
                None => self.kidless.len(),
            });
            *count = count.saturating_add(1);
            if *count > MAX_KEYS_PER_KID {
                return Err(TrustError::TooManyKeysForKid {
                    limit: MAX_KEYS_PER_KID,
                });
            }
        }
        drop(counts);
        let added = batch.keys.len();
        let mut inserted = Vec::with_capacity(added);
        for (kid, key) in batch.keys {
            let public = key.key.clone();
            inserted.push((self.insert(kid, key), public));
        }
        // Once per entry: restricting a key twice changes nothing.
        for (identity, public) in &inserted {
            self.restrict_entries_of(identity, public);
        }
        Ok(LoadReport {
            added,
            skipped: batch.skipped,
        })
    }
}

/// Keys parsed from one input, not yet in the store.
#[derive(Default)]
pub(super) struct Batch {
    pub(super) keys: Vec<(Option<Vec<u8>>, SignerKey)>,
    pub(super) skipped: Vec<SkippedEntry>,
}

impl Batch {
    pub(super) fn single(kid: Option<Vec<u8>>, key: SignerKey) -> Self {
        Self {
            keys: vec![(kid, key)],
            skipped: Vec::new(),
        }
    }

    /// Adds a parsed entry, skipping an unsupported key; other problems fail the load.
    pub(super) fn push(
        &mut self,
        entry: usize,
        kid: Option<Vec<u8>>,
        key: Result<SignerKey, Problem>,
        error: fn(Problem, usize) -> TrustError,
    ) -> Result<(), TrustError> {
        match key {
            Ok(key) => self.keys.push((kid, key)),
            Err(Problem::Unsupported) => {
                self.skipped.push(SkippedEntry {
                    entry,
                    reason: SkipReason::UnsupportedKey,
                });
            }
            Err(problem) => return Err(error(problem, entry)),
        }
        Ok(())
    }
}

/// Why one key could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Problem {
    /// Malformed: fails the load.
    Bad(&'static str),
    /// Well-formed but of a type we cannot verify with: skipped in lists.
    Unsupported,
}

impl Problem {
    pub(super) fn certificate_error(self, entry: usize) -> TrustError {
        match self {
            Self::Bad(detail) => TrustError::BadCertificate { entry, detail },
            Self::Unsupported => TrustError::UnsupportedKey { entry },
        }
    }

    pub(super) fn key_error(self, entry: usize) -> TrustError {
        match self {
            Self::Bad(detail) => TrustError::BadKey { entry, detail },
            Self::Unsupported => TrustError::UnsupportedKey { entry },
        }
    }
}

impl From<KeyError> for Problem {
    fn from(error: KeyError) -> Self {
        match error {
            KeyError::InvalidEcPoint => Self::Bad("invalid P-256 point"),
            KeyError::InvalidRsaKey => Self::Bad("invalid RSA key"),
            _ => Self::Unsupported,
        }
    }
}
