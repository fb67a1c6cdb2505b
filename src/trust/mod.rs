//! Trusted signer keys, by kid, and the loaders that read them from trust data.
//!
//! A [`TrustStore`] maps a kid (the COSE key identifier, usually the first 8 bytes of the
//! SHA-256 of the signer certificate) to one or more [`SignerKey`]s: real lists contain several
//! document signer certificates (DSCs) under one kid, and the verifier tries them all.
//!
//! [`TrustStore::add_bytes`] reads, detecting the format:
//! - the DGCG / national trust-list JSON `{"certificates": [{"kid", "rawData", "country"?}]}`,
//!   where `rawData` is a base64 DER X.509 certificate;
//! - the French kid-keyed map `{kid: {"publicKeyPem": base64 SPKI, "notBefore", "notAfter"}}`;
//! - the Swiss JWK-style map `{kid: [{"use", "alg", "crv", "x", "y", "n", "e"}]}`;
//! - PEM text with `CERTIFICATE` and/or `PUBLIC KEY` blocks;
//! - a single DER X.509 certificate or DER `SubjectPublicKeyInfo`;
//! - a compact binary key set ([`crate::trust::keyset`]), whose publisher signature is not checked
//!   here: use [`TrustStore::add_key_set`] with the pinned publisher key for that.
//!
//! Loading is pure (bytes in, never files) and all-or-nothing: on error the store is unchanged.
//!
//! A bare public key (PEM `PUBLIC KEY` or DER SPKI) has no kid. It is stored *kid-less* and
//! offered by [`TrustStore::candidates`] for every kid, after that kid's own keys, so a store
//! built from one bare key verifies whatever that key signed.
//!
//! Certificates are read leniently, because real DSCs break DER rules (explicitly encoded
//! defaults, negative or over-long serial numbers, malformed extensions, odd time encodings):
//! only the public key must be usable. Unreadable validity or extensions become
//! [`KeyWarning`]s on the key. Certificate signatures are not checked: the list is the trust
//! anchor, so its integrity is the caller's business (e.g. check the list's own signature).

use std::collections::HashMap;

use base64::alphabet;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine as _;
use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;
use sha2::{Digest as _, Sha256};

use crate::crypto::{KeyError, PublicKey};
use crate::der::{self, Reader, Tlv};
use crate::eudcc::hcert::EntryType;
use crate::fast_hash::FastMap;
use crate::limits::{MAX_KEYS_PER_KID, MAX_RSA_BITS, MAX_TRUST_BYTES, MAX_TRUST_ENTRIES};
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
    /// The input exceeds [`MAX_TRUST_BYTES`].
    #[error("trust data larger than {limit} bytes")]
    TooLarge {
        /// The bound.
        limit: usize,
    },
    /// The input holds more than [`MAX_TRUST_ENTRIES`] entries.
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
    /// [`MAX_RSA_BITS`]).
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

    /// A store holding the keys in `bytes` (any format [`TrustStore::add_bytes`] reads).
    ///
    /// # Errors
    /// As [`TrustStore::add_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, TrustError> {
        let mut store = Self::new();
        store.add_bytes(bytes)?;
        Ok(store)
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

    /// Adds every key in `bytes`, detecting the format (see the [module docs](self)), and
    /// returns how many were added. Entries with unsupported key types are skipped: use
    /// [`TrustStore::add_bytes_with_report`] to see them.
    ///
    /// # Errors
    /// Any [`TrustError`] except [`TrustError::UnsupportedKey`]; the store is then unchanged.
    pub fn add_bytes(&mut self, bytes: &[u8]) -> Result<usize, TrustError> {
        self.add_bytes_with_report(bytes).map(|report| report.added)
    }

    /// As [`TrustStore::add_bytes`], also reporting the entries that were skipped because their
    /// key type is not supported (so one odd DSC does not reject a whole national list).
    ///
    /// # Errors
    /// Any [`TrustError`] except [`TrustError::UnsupportedKey`]; the store is then unchanged.
    pub fn add_bytes_with_report(&mut self, bytes: &[u8]) -> Result<LoadReport, TrustError> {
        if bytes.len() > MAX_TRUST_BYTES {
            return Err(TrustError::TooLarge {
                limit: MAX_TRUST_BYTES,
            });
        }
        if keyset::is_key_set(bytes) {
            return self.add_key_set(bytes, None);
        }
        // serde_json reports positions after the byte order mark, which it does not accept.
        let text = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
        let batch = if trim_start(text).first() == Some(&b'{') {
            parse_json(text)?
        } else if bytes.first() == Some(&der::SEQUENCE) {
            parse_der(bytes)?
        } else if find(bytes, PEM_BEGIN).is_some() {
            parse_pem(bytes)?
        } else {
            return Err(TrustError::UnrecognisedFormat);
        };
        self.commit(batch)
    }

    /// Adds the key of one DER X.509 certificate under `kid`, by default the first 8 bytes of
    /// the certificate's SHA-256 (the DCC convention). A `kid` that does not match is still
    /// used as given: real lists contain such kids.
    ///
    /// # Errors
    /// [`TrustError::BadCertificate`] if the certificate or its key cannot be read,
    /// [`TrustError::UnsupportedKey`] for a key type this crate does not verify with,
    /// [`TrustError::TooLarge`] and [`TrustError::TooManyKeysForKid`] for the bounds.
    pub fn add_certificate_der(
        &mut self,
        der: &[u8],
        kid: Option<&[u8]>,
    ) -> Result<(), TrustError> {
        if der.len() > MAX_TRUST_BYTES {
            return Err(TrustError::TooLarge {
                limit: MAX_TRUST_BYTES,
            });
        }
        let key = certificate_key(der).map_err(|problem| problem.certificate_error(0))?;
        let kid = kid.map_or_else(|| default_kid(der), <[u8]>::to_vec);
        self.commit(Batch::single(Some(kid), key)).map(drop)
    }

    /// Adds the key in one DER `SubjectPublicKeyInfo`, under `kid` or, if `None`, kid-less.
    ///
    /// # Errors
    /// [`TrustError::BadKey`] if the key cannot be read, [`TrustError::UnsupportedKey`] for a
    /// key type this crate does not verify with, [`TrustError::TooLarge`] and
    /// [`TrustError::TooManyKeysForKid`] for the bounds.
    pub fn add_spki_der(&mut self, der: &[u8], kid: Option<&[u8]>) -> Result<(), TrustError> {
        if der.len() > MAX_TRUST_BYTES {
            return Err(TrustError::TooLarge {
                limit: MAX_TRUST_BYTES,
            });
        }
        let key = spki_key(der).map_err(|problem| problem.key_error(0))?;
        self.commit(Batch::single(kid.map(<[u8]>::to_vec), SignerKey::new(key)))
            .map(drop)
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
    fn commit(&mut self, batch: Batch) -> Result<LoadReport, TrustError> {
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
struct Batch {
    keys: Vec<(Option<Vec<u8>>, SignerKey)>,
    skipped: Vec<SkippedEntry>,
}

impl Batch {
    fn single(kid: Option<Vec<u8>>, key: SignerKey) -> Self {
        Self {
            keys: vec![(kid, key)],
            skipped: Vec::new(),
        }
    }

    /// Adds a parsed entry, skipping an unsupported key; other problems fail the load.
    fn push(
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
enum Problem {
    /// Malformed: fails the load.
    Bad(&'static str),
    /// Well-formed but of a type we cannot verify with: skipped in lists.
    Unsupported,
}

impl Problem {
    fn certificate_error(self, entry: usize) -> TrustError {
        match self {
            Self::Bad(detail) => TrustError::BadCertificate { entry, detail },
            Self::Unsupported => TrustError::UnsupportedKey { entry },
        }
    }

    fn key_error(self, entry: usize) -> TrustError {
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

// ---------------------------------------------------------------------------------------------
// JSON formats

/// The DCC convention for a kid: the first 8 bytes of the certificate's SHA-256.
fn default_kid(certificate: &[u8]) -> Vec<u8> {
    Sha256::digest(certificate)
        .iter()
        .take(8)
        .copied()
        .collect()
}

/// A parsed JSON trust list, before key material is decoded.
enum JsonTrust {
    /// `{"certificates": [...]}`; other top-level members are metadata and ignored.
    Dgcg(Vec<DgcgEntry>),
    /// `{kid: entry}` in document order.
    KidMap(Vec<(String, KidEntry)>),
}

/// One item of a DGCG-style `certificates` array.
#[derive(Deserialize)]
struct DgcgEntry {
    kid: Option<String>,
    #[serde(rename = "rawData")]
    raw_data: String,
    country: Option<String>,
    #[serde(rename = "certificateType")]
    certificate_type: Option<String>,
}

/// The value under one kid in a kid-keyed map.
#[derive(Deserialize)]
#[serde(untagged)]
enum KidEntry {
    /// French shape.
    Spki(SpkiEntry),
    /// Swiss shape.
    Jwks(Vec<Jwk>),
    /// Anything else (a metadata member, or garbage).
    Other(IgnoredAny),
}

/// The French (TousAntiCovid) entry: a bare SPKI plus what the certificate said.
#[derive(Deserialize)]
struct SpkiEntry {
    #[serde(rename = "publicKeyPem")]
    public_key: String,
    #[serde(rename = "notBefore")]
    not_before: Option<String>,
    #[serde(rename = "notAfter")]
    not_after: Option<String>,
    subject: Option<String>,
}

/// A JWK-like key as in the Swiss lists (standard or URL-safe base64 both accepted).
#[derive(Deserialize)]
struct Jwk {
    kty: Option<String>,
    #[serde(rename = "use")]
    usage: Option<String>,
    crv: Option<String>,
    x: Option<String>,
    y: Option<String>,
    n: Option<String>,
    e: Option<String>,
}

impl<'de> Deserialize<'de> for JsonTrust {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TrustVisitor;

        impl<'de> Visitor<'de> for TrustVisitor {
            type Value = JsonTrust;

            fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str("a trust list object")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<JsonTrust, A::Error> {
                let mut entries = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    if key == "certificates" {
                        let certificates = map.next_value()?;
                        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                        return Ok(JsonTrust::Dgcg(certificates));
                    }
                    entries.push((key, map.next_value()?));
                }
                Ok(JsonTrust::KidMap(entries))
            }
        }

        deserializer.deserialize_map(TrustVisitor)
    }
}

fn parse_json(text: &[u8]) -> Result<Batch, TrustError> {
    let json: JsonTrust = serde_json::from_slice(text).map_err(|e| TrustError::InvalidJson {
        line: e.line(),
        column: e.column(),
    })?;
    match json {
        JsonTrust::Dgcg(entries) => parse_dgcg(entries),
        JsonTrust::KidMap(entries) => parse_kid_map(entries),
    }
}

fn parse_dgcg(entries: Vec<DgcgEntry>) -> Result<Batch, TrustError> {
    if entries.len() > MAX_TRUST_ENTRIES {
        return Err(TrustError::TooManyEntries {
            limit: MAX_TRUST_ENTRIES,
        });
    }
    let mut batch = Batch::default();
    for (index, entry) in entries.into_iter().enumerate() {
        if entry
            .certificate_type
            .as_deref()
            .is_some_and(|t| t != "DSC")
        {
            let skipped = SkippedEntry {
                entry: index,
                reason: SkipReason::NotDocumentSigner,
            };
            batch.skipped.push(skipped);
            continue;
        }
        let der = decode_base64(&entry.raw_data).ok_or(TrustError::InvalidBase64 {
            entry: index,
            field: "rawData",
        })?;
        let kid = match entry.kid {
            Some(kid) => decode_kid(&kid, index)?,
            None => default_kid(&der),
        };
        let key = certificate_key(&der).map(|mut key| {
            // The list's country is what the gateway vouches for; the subject's is a fallback.
            if let Some(country) = entry.country {
                key.country = Some(country);
            }
            key
        });
        batch.push(index, Some(kid), key, Problem::certificate_error)?;
    }
    Ok(batch)
}

fn parse_kid_map(entries: Vec<(String, KidEntry)>) -> Result<Batch, TrustError> {
    let mut batch = Batch::default();
    let mut index = 0usize;
    let mut recognised = false;
    for (kid_text, entry) in entries {
        if index >= MAX_TRUST_ENTRIES {
            return Err(TrustError::TooManyEntries {
                limit: MAX_TRUST_ENTRIES,
            });
        }
        match entry {
            KidEntry::Spki(spki) => {
                let kid = decode_kid(&kid_text, index)?;
                let key = spki_entry_key(&spki, index)?;
                batch.push(index, Some(kid), key, Problem::key_error)?;
                index = index.saturating_add(1);
            }
            KidEntry::Jwks(jwks) => {
                let kid = decode_kid(&kid_text, index)?;
                for jwk in &jwks {
                    if index >= MAX_TRUST_ENTRIES {
                        return Err(TrustError::TooManyEntries {
                            limit: MAX_TRUST_ENTRIES,
                        });
                    }
                    let key = jwk_key(jwk, index)?;
                    batch.push(index, Some(kid.clone()), key, Problem::key_error)?;
                    index = index.saturating_add(1);
                }
            }
            KidEntry::Other(_) => {
                if recognised {
                    return Err(TrustError::BadEntry {
                        entry: index,
                        detail: "not a key entry",
                    });
                }
                return Err(TrustError::UnrecognisedFormat);
            }
        }
        recognised = true;
    }
    Ok(batch)
}

fn decode_kid(text: &str, entry: usize) -> Result<Vec<u8>, TrustError> {
    let kid = decode_base64(text).ok_or(TrustError::InvalidBase64 {
        entry,
        field: "kid",
    })?;
    if kid.is_empty() {
        return Err(TrustError::BadEntry {
            entry,
            detail: "empty kid",
        });
    }
    Ok(kid)
}

/// A French entry's key; the dates and subject are as the list states them.
fn spki_entry_key(
    entry: &SpkiEntry,
    index: usize,
) -> Result<Result<SignerKey, Problem>, TrustError> {
    // The field is named "Pem" and holds bare base64; tolerate real PEM armour too.
    let body: String = entry
        .public_key
        .lines()
        .filter(|line| !line.starts_with("-----"))
        .collect();
    let der = decode_base64(&body).ok_or(TrustError::InvalidBase64 {
        entry: index,
        field: "publicKeyPem",
    })?;
    Ok(spki_key(&der).map(|key| {
        let mut key = SignerKey::new(key);
        let not_before = entry.not_before.as_deref().map(UnixTime::parse_rfc3339);
        let not_after = entry.not_after.as_deref().map(UnixTime::parse_rfc3339);
        if not_before == Some(None) || not_after == Some(None) {
            key.warnings.push(KeyWarning::UnreadableValidity);
        }
        key.not_before = not_before.flatten();
        key.not_after = not_after.flatten();
        key.country = entry.subject.as_deref().and_then(country_in_dn_text);
        key
    }))
}

/// `C=XX` in an RFC 4514-style subject string such as `C=AD, O=SAAS, CN=DSC03`.
fn country_in_dn_text(subject: &str) -> Option<String> {
    subject
        .split(',')
        .find_map(|part| part.trim().strip_prefix("C="))
        .and_then(country_code)
}

/// A Swiss JWK. `use` is `sig` (any type) or letters naming the allowed types: `t`est,
/// `v`accination, `r`ecovery (any other letter, such as `l` for Swiss light certificates, adds
/// nothing). `alg` is not used: the COSE header names the algorithm, the key only its type.
fn jwk_key(jwk: &Jwk, index: usize) -> Result<Result<SignerKey, Problem>, TrustError> {
    let field = |value: &Option<String>, name: &'static str| match value {
        Some(text) => decode_base64(text)
            .map(Some)
            .ok_or(TrustError::InvalidBase64 {
                entry: index,
                field: name,
            }),
        None => Ok(None),
    };
    let is_ec = jwk.kty.as_deref() == Some("EC") || jwk.crv.is_some() || jwk.x.is_some();
    let is_rsa = jwk.kty.as_deref() == Some("RSA") || jwk.n.is_some();
    let key = if is_ec {
        if jwk.crv.as_deref().is_some_and(|crv| crv != "P-256") {
            Err(Problem::Unsupported)
        } else {
            match (field(&jwk.x, "x")?, field(&jwk.y, "y")?) {
                (Some(x), Some(y)) => ec_point(&x, &y),
                _ => Err(Problem::Bad("EC key without x and y")),
            }
        }
    } else if is_rsa {
        match (field(&jwk.n, "n")?, field(&jwk.e, "e")?) {
            (Some(n), Some(e)) => rsa_key(&n, &e),
            _ => Err(Problem::Bad("RSA key without n and e")),
        }
    } else if jwk.kty.is_some() {
        Err(Problem::Unsupported)
    } else {
        Err(Problem::Bad("no key type"))
    };
    Ok(key.map(|key| {
        let mut key = SignerKey::new(key);
        key.usage = match jwk.usage.as_deref() {
            None | Some("sig") => KeyUsage::Any,
            Some(letters) => KeyUsage::Only {
                test: letters.contains('t'),
                vaccination: letters.contains('v'),
                recovery: letters.contains('r'),
            },
        };
        key
    }))
}

/// `04 || x || y`, restoring leading zeros some encoders drop.
fn ec_point(x: &[u8], y: &[u8]) -> Result<PublicKey, Problem> {
    const COORDINATE: usize = 32;
    let mut sec1 = Vec::with_capacity(65);
    sec1.push(0x04);
    for coordinate in [x, y] {
        let pad = COORDINATE
            .checked_sub(coordinate.len())
            .ok_or(Problem::Bad("EC coordinate too long"))?;
        sec1.extend(core::iter::repeat_n(0, pad));
        sec1.extend_from_slice(coordinate);
    }
    Ok(PublicKey::ec_p256_from_sec1(&sec1)?)
}

/// An RSA key from big-endian integers; leading zero bytes (sign padding) are ignored.
fn rsa_key(modulus: &[u8], exponent: &[u8]) -> Result<PublicKey, Problem> {
    let modulus = strip_leading_zeros(modulus);
    // A larger modulus is well-formed, just beyond what we verify with: unsupported, not bad.
    if modulus.len() > MAX_RSA_BITS.div_ceil(8) {
        return Err(Problem::Unsupported);
    }
    Ok(PublicKey::rsa_from_components(
        modulus,
        strip_leading_zeros(exponent),
    )?)
}

fn strip_leading_zeros(bytes: &[u8]) -> &[u8] {
    let zeros = bytes.iter().take_while(|&&b| b == 0).count();
    bytes.get(zeros..).unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// PEM and DER

const PEM_BEGIN: &[u8] = b"-----BEGIN ";
const PEM_END: &[u8] = b"-----END ";
const PEM_DASHES: &[u8] = b"-----";

/// PEM blocks in order; text around them (such as `openssl x509 -text` output) is ignored.
fn parse_pem(text: &[u8]) -> Result<Batch, TrustError> {
    let mut batch = Batch::default();
    let mut rest = text;
    let mut index = 0usize;
    while let Some(begin) = find(rest, PEM_BEGIN) {
        if index >= MAX_TRUST_ENTRIES {
            return Err(TrustError::TooManyEntries {
                limit: MAX_TRUST_ENTRIES,
            });
        }
        let unterminated = TrustError::BadEntry {
            entry: index,
            detail: "unterminated PEM block",
        };
        let after_begin = rest
            .get(begin.saturating_add(PEM_BEGIN.len())..)
            .unwrap_or_default();
        let (label, after_label) =
            split_at_needle(after_begin, PEM_DASHES).ok_or(unterminated.clone())?;
        let (body, after_end) =
            split_at_needle(after_label, PEM_END).ok_or(unterminated.clone())?;
        let (_, after_block) = split_at_needle(after_end, PEM_DASHES).ok_or(unterminated)?;
        rest = after_block;

        let base64: Vec<u8> = body
            .iter()
            .copied()
            .filter(|b| !b.is_ascii_whitespace())
            .collect();
        let der = core::str::from_utf8(&base64)
            .ok()
            .and_then(decode_base64)
            .ok_or(TrustError::InvalidBase64 {
                entry: index,
                field: "PEM block",
            })?;
        match label {
            b"CERTIFICATE" => {
                let kid = default_kid(&der);
                batch.push(
                    index,
                    Some(kid),
                    certificate_key(&der),
                    Problem::certificate_error,
                )?;
            }
            b"PUBLIC KEY" => {
                let key = spki_key(&der).map(SignerKey::new);
                batch.push(index, None, key, Problem::key_error)?;
            }
            _ => {
                return Err(TrustError::BadEntry {
                    entry: index,
                    detail: "unsupported PEM block",
                })
            }
        }
        index = index.saturating_add(1);
    }
    Ok(batch)
}

/// A single DER certificate (kid from its hash) or SubjectPublicKeyInfo (kid-less).
fn parse_der(bytes: &[u8]) -> Result<Batch, TrustError> {
    let mut batch = Batch::default();
    if is_spki(bytes) {
        batch.push(
            0,
            None,
            spki_key(bytes).map(SignerKey::new),
            Problem::key_error,
        )?;
    } else {
        let key = certificate_key(bytes);
        batch.push(0, Some(default_kid(bytes)), key, Problem::certificate_error)?;
    }
    Ok(batch)
}

/// An SPKI starts `SEQUENCE { SEQUENCE { OID ...`; a certificate starts `SEQUENCE { SEQUENCE {
/// [0] version` or `INTEGER serial`.
fn is_spki(bytes: &[u8]) -> bool {
    let mut outer = Reader::new(bytes);
    let first = outer
        .read(der::SEQUENCE)
        .and_then(|v| Reader::new(v).read(der::SEQUENCE));
    first.is_ok_and(|inner| Reader::new(inner).peek_tag() == Some(der::OID))
}

// ---------------------------------------------------------------------------------------------
// X.509

/// 1.2.840.10045.2.1 id-ecPublicKey.
const OID_EC_PUBLIC_KEY: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
/// 1.2.840.10045.3.1.7 prime256v1 (P-256).
const OID_P256: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
/// 1.2.840.113549.1.1.1 rsaEncryption.
const OID_RSA_ENCRYPTION: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
/// 1.2.840.113549.1.1.10 id-RSASSA-PSS.
const OID_RSASSA_PSS: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a];
/// 2.5.4.6 countryName.
const OID_COUNTRY: &[u8] = &[0x55, 0x04, 0x06];
/// 2.5.29.37 extKeyUsage.
const OID_EXT_KEY_USAGE: &[u8] = &[0x55, 0x1d, 0x25];

/// The DCC extended key usage OIDs (hcert spec §5.1.1, "Key usage"): 1.3.6.1.4.1.1847.2021.1.x
/// and the 1.3.6.1.4.1.0.1847.2021.1.x variant that many issuers use.
const DCC_USAGE_OIDS: [(&[u8], EntryType); 6] = [
    (
        &[0x2b, 6, 1, 4, 1, 0x8e, 0x37, 0x8f, 0x65, 1, 1],
        EntryType::Test,
    ),
    (
        &[0x2b, 6, 1, 4, 1, 0x8e, 0x37, 0x8f, 0x65, 1, 2],
        EntryType::Vaccination,
    ),
    (
        &[0x2b, 6, 1, 4, 1, 0x8e, 0x37, 0x8f, 0x65, 1, 3],
        EntryType::Recovery,
    ),
    (
        &[0x2b, 6, 1, 4, 1, 0, 0x8e, 0x37, 0x8f, 0x65, 1, 1],
        EntryType::Test,
    ),
    (
        &[0x2b, 6, 1, 4, 1, 0, 0x8e, 0x37, 0x8f, 0x65, 1, 2],
        EntryType::Vaccination,
    ),
    (
        &[0x2b, 6, 1, 4, 1, 0, 0x8e, 0x37, 0x8f, 0x65, 1, 3],
        EntryType::Recovery,
    ),
];

/// Tag of the `[0] EXPLICIT Version` in TBSCertificate.
const TAG_VERSION: u8 = 0xa0;
/// Tag of the `[3] EXPLICIT Extensions` in TBSCertificate.
const TAG_EXTENSIONS: u8 = 0xa3;

/// The signer key in a DER certificate, with its validity, country and DCC key usage.
///
/// ```text
/// Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }
/// TBSCertificate ::= SEQUENCE { version [0] OPTIONAL, serialNumber, signature, issuer,
///     validity, subject, subjectPublicKeyInfo, issuerUniqueID [1] OPTIONAL,
///     subjectUniqueID [2] OPTIONAL, extensions [3] OPTIONAL }
/// ```
fn certificate_key(der: &[u8]) -> Result<SignerKey, Problem> {
    let certificate = der::read_single(der, der::SEQUENCE).map_err(|e| match e {
        der::DerError::TrailingData => Problem::Bad("data after the certificate"),
        _ => Problem::Bad("not a DER sequence"),
    })?;
    let tbs = Reader::new(certificate)
        .read(der::SEQUENCE)
        .map_err(|_| Problem::Bad("malformed tbsCertificate"))?;
    let mut tbs = Reader::new(tbs);
    let malformed = |_| Problem::Bad("malformed tbsCertificate");
    tbs.read_optional(TAG_VERSION).map_err(malformed)?;
    // The serial number, signature algorithm and issuer are not needed, and real DSCs get the
    // serial wrong (zero, negative, over 20 bytes): skip them whatever they hold.
    for _ in 0..3 {
        tbs.read_any().map_err(malformed)?;
    }
    let validity = tbs.read_any().map_err(malformed)?;
    let subject = tbs.read_any().map_err(malformed)?;
    let spki = tbs
        .read(der::SEQUENCE)
        .map_err(|_| Problem::Bad("no subjectPublicKeyInfo"))?;

    let mut key = SignerKey::new(spki_content_key(spki)?);
    let (not_before, not_after) = validity_times(validity);
    if not_before.is_none() || not_after.is_none() {
        key.warnings.push(KeyWarning::UnreadableValidity);
    }
    key.not_before = not_before;
    key.not_after = not_after;
    if subject.tag == der::SEQUENCE {
        key.country = name_country(subject.value);
    }
    // Unique IDs ([1], [2]) are skipped; the extensions carry the key usage.
    let mut usage = DccUsage::default();
    while !tbs.is_empty() {
        match tbs.read_any() {
            Ok(Tlv {
                tag: TAG_EXTENSIONS,
                value,
            }) => usage.read_extensions(value),
            Ok(_) => {}
            Err(_) => {
                usage.unreadable = true;
                break;
            }
        }
    }
    key.usage = usage.key_usage();
    if usage.unreadable {
        key.warnings.push(KeyWarning::UnreadableExtensions);
    }
    Ok(key)
}

/// The DCC types found in extended key usage extensions.
#[derive(Default)]
struct DccUsage {
    test: bool,
    vaccination: bool,
    recovery: bool,
    unreadable: bool,
}

impl DccUsage {
    /// `[3] EXPLICIT SEQUENCE OF Extension`, where `Extension ::= SEQUENCE { extnID,
    /// critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }`. One unreadable extension
    /// does not hide the others.
    fn read_extensions(&mut self, explicit: &[u8]) {
        let Ok(list) = der::read_single(explicit, der::SEQUENCE) else {
            self.unreadable = true;
            return;
        };
        let mut list = Reader::new(list);
        while !list.is_empty() {
            let Ok(extension) = list.read_any() else {
                self.unreadable = true;
                return;
            };
            if extension.tag != der::SEQUENCE || self.read_extension(extension.value).is_err() {
                self.unreadable = true;
            }
        }
    }

    fn read_extension(&mut self, extension: &[u8]) -> Result<(), der::DerError> {
        let mut extension = Reader::new(extension);
        if extension.read(der::OID)? != OID_EXT_KEY_USAGE {
            return Ok(()); // Other extensions' contents are not read.
        }
        // `critical` is often encoded explicitly even when FALSE, against DER; accept it.
        extension.read_optional(der::BOOLEAN)?;
        let value = extension.read(der::OCTET_STRING)?;
        let mut purposes = Reader::new(der::read_single(value, der::SEQUENCE)?);
        while !purposes.is_empty() {
            let purpose = purposes.read(der::OID)?;
            for (oid, entry) in DCC_USAGE_OIDS {
                if purpose == oid {
                    match entry {
                        EntryType::Test => self.test = true,
                        EntryType::Vaccination => self.vaccination = true,
                        EntryType::Recovery => self.recovery = true,
                    }
                }
            }
        }
        Ok(())
    }

    /// Restricted only if at least one DCC OID is listed: an EKU naming only unrelated purposes
    /// (e.g. TLS client) says nothing about DCC types.
    const fn key_usage(&self) -> KeyUsage {
        if self.test || self.vaccination || self.recovery {
            KeyUsage::Only {
                test: self.test,
                vaccination: self.vaccination,
                recovery: self.recovery,
            }
        } else {
            KeyUsage::Any
        }
    }
}

/// `Validity ::= SEQUENCE { notBefore Time, notAfter Time }`; each bound is read on its own.
fn validity_times(validity: Tlv<'_>) -> (Option<UnixTime>, Option<UnixTime>) {
    if validity.tag != der::SEQUENCE {
        return (None, None);
    }
    let mut times = Reader::new(validity.value);
    let not_before = times.read_any().ok().and_then(asn1_time);
    let not_after = times.read_any().ok().and_then(asn1_time);
    (not_before, not_after)
}

/// `UTCTime` (`YYMMDDHHMM[SS]`, years 50..99 are 19xx) or `GeneralizedTime`
/// (`YYYYMMDDHH[MM[SS[.fff]]]`), then `Z`, `+hhmm`, `-hhmm` or nothing (read as UTC). Leniency
/// beyond RFC 5280 (missing seconds, fractions, offsets) because real DSCs have all of these.
fn asn1_time(time: Tlv<'_>) -> Option<UnixTime> {
    let text = time.value;
    let (year, rest) = match time.tag {
        der::UTC_TIME => {
            let (yy, rest) = digits(text, 2)?;
            (
                if yy >= 50 {
                    yy.checked_add(1900)?
                } else {
                    yy.checked_add(2000)?
                },
                rest,
            )
        }
        der::GENERALIZED_TIME => digits(text, 4)?,
        _ => return None,
    };
    let (month, rest) = digits(rest, 2)?;
    let (day, rest) = digits(rest, 2)?;
    let (hour, rest) = digits(rest, 2)?;
    let (minute, rest) = digits(rest, 2).unwrap_or((0, rest));
    let (second, mut rest) = digits(rest, 2).unwrap_or((0, rest));
    if let Some(fraction) = rest.strip_prefix(b".").or_else(|| rest.strip_prefix(b",")) {
        let count = fraction.iter().take_while(|b| b.is_ascii_digit()).count();
        rest = fraction.get(count..)?;
    }
    let offset = match rest {
        [] | [b'Z'] => 0,
        [sign @ (b'+' | b'-'), tail @ ..] => {
            let (oh, tail) = digits(tail, 2)?;
            let (om, tail) = digits(tail, 2).unwrap_or((0, tail));
            if !tail.is_empty() || oh > 23 || om > 59 {
                return None;
            }
            let magnitude = seconds_of(oh, om, 0)?;
            if *sign == b'-' {
                magnitude.checked_neg()?
            } else {
                magnitude
            }
        }
        _ => return None,
    };
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let date = UnixTime::from_date(year, u32::try_from(month).ok()?, u32::try_from(day).ok()?)?;
    date.checked_add_secs(seconds_of(hour, minute, second)?.checked_sub(offset)?)
}

fn seconds_of(hour: i64, minute: i64, second: i64) -> Option<i64> {
    hour.checked_mul(3600)?
        .checked_add(minute.checked_mul(60)?)?
        .checked_add(second)
}

/// The value of `count` leading ASCII digits (at most 4), and the rest.
fn digits(bytes: &[u8], count: usize) -> Option<(i64, &[u8])> {
    let (head, rest) = bytes.split_at_checked(count)?;
    let value = head.iter().try_fold(0i64, |acc, &b| {
        b.is_ascii_digit().then_some(())?;
        acc.checked_mul(10)?
            .checked_add(i64::from(b.checked_sub(b'0')?))
    })?;
    Some((value, rest))
}

/// The countryName in a `Name ::= SEQUENCE OF SET OF SEQUENCE { type OID, value ANY }`, if it
/// is two ASCII letters.
fn name_country(name: &[u8]) -> Option<String> {
    let mut rdns = Reader::new(name);
    while !rdns.is_empty() {
        let mut set = Reader::new(rdns.read(der::SET).ok()?);
        while !set.is_empty() {
            let mut attribute = Reader::new(set.read(der::SEQUENCE).ok()?);
            if attribute.read(der::OID).ok()? == OID_COUNTRY {
                let value = attribute.read_any().ok()?.value;
                return core::str::from_utf8(value).ok().and_then(country_code);
            }
        }
    }
    None
}

fn country_code(text: &str) -> Option<String> {
    let text = text.trim();
    (text.len() == 2 && text.bytes().all(|b| b.is_ascii_alphabetic()))
        .then(|| text.to_ascii_uppercase())
}

/// The key in a DER `SubjectPublicKeyInfo`.
fn spki_key(der: &[u8]) -> Result<PublicKey, Problem> {
    let content = der::read_single(der, der::SEQUENCE)
        .map_err(|_| Problem::Bad("not a DER SubjectPublicKeyInfo"))?;
    spki_content_key(content)
}

/// ```text
/// SubjectPublicKeyInfo ::= SEQUENCE { algorithm SEQUENCE { OID, parameters ANY OPTIONAL },
///     subjectPublicKey BIT STRING }
/// RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }
/// ```
/// EC keys must name the P-256 curve: explicit curve parameters count as unsupported.
fn spki_content_key(spki: &[u8]) -> Result<PublicKey, Problem> {
    let malformed = |_| Problem::Bad("malformed subjectPublicKeyInfo");
    let mut spki = Reader::new(spki);
    let mut algorithm = Reader::new(spki.read(der::SEQUENCE).map_err(malformed)?);
    let algorithm_oid = algorithm.read(der::OID).map_err(malformed)?;
    let bits = spki.read(der::BIT_STRING).map_err(malformed)?;
    // The first content byte counts unused bits, which a key never has.
    let key = match bits.split_first() {
        Some((0, key)) => key,
        _ => return Err(Problem::Bad("malformed public key bit string")),
    };
    match algorithm_oid {
        OID_EC_PUBLIC_KEY => match algorithm.read(der::OID) {
            Ok(OID_P256) => Ok(PublicKey::ec_p256_from_sec1(key)?),
            _ => Err(Problem::Unsupported),
        },
        OID_RSA_ENCRYPTION | OID_RSASSA_PSS => {
            let malformed = |_| Problem::Bad("malformed RSA public key");
            let mut rsa = Reader::new(Reader::new(key).read(der::SEQUENCE).map_err(malformed)?);
            let modulus = rsa.read(der::INTEGER).map_err(malformed)?;
            let exponent = rsa.read(der::INTEGER).map_err(malformed)?;
            rsa_key(modulus, exponent)
        }
        _ => Err(Problem::Unsupported),
    }
}

// ---------------------------------------------------------------------------------------------
// Helpers

/// Padding-indifferent engines: lists differ in padding, and some use the URL-safe alphabet.
const STANDARD_LENIENT: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);
const URL_SAFE_LENIENT: GeneralPurpose = GeneralPurpose::new(
    &alphabet::URL_SAFE,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let text = text.trim();
    STANDARD_LENIENT
        .decode(text)
        .or_else(|_| URL_SAFE_LENIENT.decode(text))
        .ok()
}

fn trim_start(bytes: &[u8]) -> &[u8] {
    let spaces = bytes.iter().take_while(|b| b.is_ascii_whitespace()).count();
    bytes.get(spaces..).unwrap_or_default()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

/// The bytes before the first `needle`, and those after it.
fn split_at_needle<'a>(haystack: &'a [u8], needle: &[u8]) -> Option<(&'a [u8], &'a [u8])> {
    let at = find(haystack, needle)?;
    Some((
        haystack.get(..at)?,
        haystack.get(at.checked_add(needle.len())?..)?,
    ))
}

pub mod keyset;
pub mod twoddoc_keys;

#[cfg(test)]
mod tests;
