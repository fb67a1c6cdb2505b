//! EU revocation straight from the distribution service (dgca-revocation-distribution-service,
//! revocation SPEC §4-6): its `/lists` and `/lists/{kid}/partitions` JSON and its slice
//! archives (tar.gz), checked and turned into [`Slice`]s for the [`RevocationStore`].
//!
//! Nothing the service sends is signed (SPEC §5): the only integrity data is each slice's
//! SHA-256, which is its `sid` and is listed under `chunks[cid][expiry]` of its partition.
//! [`load_partition`] checks both, and the slice's type against its bytes, for every slice
//! before returning any: a bad slice refuses the whole partition.
//!
//! The caller does the HTTP and the storage; the functions here take the bytes of each
//! response. Expiry is left to the store: each slice carries the earliest of its own expiry,
//! its partition's and its kid's, and the verifier judges it at `now` less the clock skew,
//! like every other revocation slice.
//!
//! [`RevocationStore`]: crate::revocation::RevocationStore

mod archive;
mod error;
mod lists;
mod sync;

use std::collections::BTreeSet;

use base64::Engine as _;
use sha2::{Digest as _, Sha256};

pub use self::archive::{gunzip, read_tar, ArchiveError, TarEntry};
pub use self::error::DrlError;
pub use self::lists::{
    parse_lists, parse_partitions, KidEntry, ListedSlice, Partition, UNKNOWN_KID,
};
pub use self::sync::{Request, SyncState};
use super::{to_hex, Filter, FilterKind, RevocationStore, Slice};
use crate::time::UnixTime;

/// A whole mirror of the service, checked: every listed kid's partitions and slices.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Mirror {
    /// The kids of `/lists`.
    pub kids: Vec<KidEntry>,
    /// Every slice of every partition of every kid.
    pub slices: Vec<Slice>,
}

/// Why a mirror was refused: a response could not be fetched, or was invalid.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MirrorError<E> {
    /// The caller's fetch failed.
    #[error("{path}: {error}")]
    Fetch {
        /// The mirror path asked for.
        path: String,
        /// The caller's error.
        error: E,
    },
    /// The response at `path` was refused.
    #[error("{path}: {error}")]
    Invalid {
        /// The mirror path.
        path: String,
        /// Why.
        error: DrlError,
    },
}

impl Mirror {
    /// The mirror path of the `/lists` response.
    pub const LISTS: &'static str = "lists.json";

    /// Loads a mirror laid out as the service's responses: [`Mirror::LISTS`], then for each
    /// kid `<kid>/partitions.json` and for each of its partitions `<kid>/<id>.tar.gz`, with
    /// the kid as [`KidEntry::path_segment`] and the id as [`Partition::id_text`]. `fetch`
    /// returns the bytes at a path (the library reads no files); every kid, partition and
    /// slice must check, or nothing is returned.
    ///
    /// # Errors
    /// [`MirrorError::Fetch`] with the caller's error, or [`MirrorError::Invalid`] with the
    /// path and the [`DrlError`] of the first response refused.
    pub fn load<E>(
        mut fetch: impl FnMut(&str) -> Result<Vec<u8>, E>,
    ) -> Result<Self, MirrorError<E>> {
        let mut read = |path: String| {
            fetch(&path)
                .map(|bytes| (bytes, path.clone()))
                .map_err(|error| MirrorError::Fetch { path, error })
        };
        let invalid = |path: &str| {
            let path = path.to_owned();
            move |error| MirrorError::Invalid { path, error }
        };
        let (bytes, path) = read(Self::LISTS.to_owned())?;
        let kids = parse_lists(&bytes).map_err(invalid(&path))?;
        let mut slices = Vec::new();
        for kid in &kids {
            let folder = kid.path_segment();
            let (bytes, path) = read(format!("{folder}/partitions.json"))?;
            let partitions = parse_partitions(kid, &bytes).map_err(invalid(&path))?;
            for partition in &partitions {
                let (bytes, path) = read(format!("{folder}/{}.tar.gz", partition.id_text()))?;
                slices.extend(load_partition(kid, partition, &bytes).map_err(invalid(&path))?);
            }
        }
        Ok(Self { kids, slices })
    }

    /// The newest `lastUpdated` of its kids: when the data was issued.
    pub fn last_updated(&self) -> Option<UnixTime> {
        self.kids.iter().map(|k| k.last_updated).max()
    }

    /// Adds every slice to the store and records the issue time (the newer of the store's
    /// and [`Mirror::last_updated`]).
    pub fn add_to(self, store: &mut RevocationStore) {
        if let Some(updated) = self.last_updated() {
            store.set_issued_at(store.issued_at().map_or(updated, |at| at.max(updated)));
        }
        for slice in self.slices {
            store.add(slice);
        }
    }
}

impl KidEntry {
    /// The kid as the service's paths and the mirror's folders spell it: unpadded base64url
    /// (or [`UNKNOWN_KID`] verbatim).
    pub fn path_segment(&self) -> String {
        match &self.kid {
            Some(kid) => base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(kid),
            None => self.kid_text.clone(),
        }
    }
}

/// Reads the slice archive of one partition (the `…/partitions/{id}/slices` response: every
/// slice of the partition) and returns its slices, scoped to the kid, its hash types, the
/// chunk's hash prefix and the earliest of the slice's, partition's and kid's expiries.
///
/// Every entry must be named `{kid}/{id}/{cid}/{sid}` (split from the right: a standard
/// base64 kid can hold `/`), hash to its `sid`, be listed under `chunks[cid]` with that hash,
/// and read as a filter of the listed type; every listed slice must be present. Any failure
/// refuses the whole partition.
///
/// # Errors
/// [`DrlError::Archive`], [`DrlError::BadEntryName`], [`DrlError::BadHash`],
/// [`DrlError::Duplicate`], [`DrlError::SliceHashMismatch`], [`DrlError::SliceNotListed`],
/// [`DrlError::SliceMissing`], [`DrlError::SliceTypeMismatch`] or [`DrlError::BadSlice`].
pub fn load_partition(
    kid: &KidEntry,
    partition: &Partition,
    archive_gz: &[u8],
) -> Result<Vec<Slice>, DrlError> {
    let checked = check_archive(partition, &kid.kid_text, archive_gz)?;
    let found: BTreeSet<(char, [u8; 32])> = checked.iter().map(|c| (c.cid, c.sid)).collect();
    for (&cid, listed) in &partition.chunks {
        if let Some(missing) = listed.iter().find(|s| !found.contains(&(cid, s.hash))) {
            return Err(DrlError::SliceMissing {
                partition: partition.id_text().to_owned(),
                cid,
                hash: to_hex(&missing.hash),
            });
        }
    }
    checked
        .into_iter()
        .map(|c| c.into_slice(kid, partition))
        .collect()
}

/// A slice of an archive that passed every check against its partition's listing.
#[derive(Clone, Debug)]
struct CheckedSlice {
    name: String,
    cid: char,
    sid: [u8; 32],
    expires: UnixTime,
    filter: Filter,
}

impl CheckedSlice {
    /// The slice scoped to the kid, its hash types, the chunk's prefix and the earliest of the
    /// slice's, partition's and kid's expiry.
    fn into_slice(self, kid: &KidEntry, partition: &Partition) -> Result<Slice, DrlError> {
        let expires = self.expires.min(partition.expires).min(kid.expires);
        let slice = Slice::new(
            self.filter,
            kid.hash_types.iter().copied(),
            self.name.clone(),
        )
        .and_then(|s| s.with_prefix(&partition.prefix(self.cid)))
        .map_err(|error| DrlError::BadSlice {
            name: self.name,
            error,
        })?
        .expires_at(expires);
        Ok(match &kid.kid {
            Some(kid) => slice.for_kid(kid),
            None => slice,
        })
    }
}

/// Reads a slice archive of one partition (all its slices, or some) and checks every entry
/// against the listing: name, SHA-256 against the `sid` and the listed hash, type.
fn check_archive(
    partition: &Partition,
    kid_text: &str,
    archive_gz: &[u8],
) -> Result<Vec<CheckedSlice>, DrlError> {
    let inflated = gunzip(archive_gz)?;
    let entries = read_tar(&inflated)?;
    let mut found = BTreeSet::new();
    let mut checked = Vec::with_capacity(entries.len());
    for entry in entries {
        let (cid, sid) = entry_coordinates(kid_text, partition, &entry.name)?;
        if !found.insert((cid, sid)) {
            return Err(DrlError::Duplicate(format!("archive entry {}", entry.name)));
        }
        let actual: [u8; 32] = Sha256::digest(entry.data).into();
        if actual != sid {
            return Err(DrlError::SliceHashMismatch {
                name: entry.name,
                actual: to_hex(&actual),
            });
        }
        let Some(listed) = partition
            .chunks
            .get(&cid)
            .and_then(|listed| listed.iter().find(|s| s.hash == sid))
        else {
            return Err(DrlError::SliceNotListed {
                name: entry.name,
                cid,
            });
        };
        let filter = read_listed(listed.kind, entry.data, &entry.name)?;
        checked.push(CheckedSlice {
            name: entry.name,
            cid,
            sid,
            expires: listed.expires,
            filter,
        });
    }
    Ok(checked)
}

/// The chunk id and `sid` of an entry named `{kid}/{id}/{cid}/{sid}` of this partition.
fn entry_coordinates(
    kid_text: &str,
    partition: &Partition,
    name: &str,
) -> Result<(char, [u8; 32]), DrlError> {
    let bad = || DrlError::BadEntryName(name.to_owned());
    // From the right: sid, cid and id hold no `/`, the kid may.
    let mut parts = name.rsplitn(4, '/');
    let (Some(sid), Some(cid), Some(id), Some(entry_kid)) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(bad());
    };
    if entry_kid != kid_text || id != partition.id_text() {
        return Err(bad());
    }
    let mut cid_chars = cid.chars();
    let cid = match (cid_chars.next(), cid_chars.next()) {
        (Some(c), None) => c,
        _ => return Err(bad()),
    };
    let sid = lists::lowercase_sha256(sid).ok_or_else(|| DrlError::BadHash(sid.to_owned()))?;
    Ok((cid, sid))
}

/// Reads a slice as its listed type; when that fails but the other type reads, the listing
/// and the bytes disagree on the type.
fn read_listed(kind: FilterKind, data: &[u8], name: &str) -> Result<Filter, DrlError> {
    let other = match kind {
        FilterKind::Bloom => FilterKind::HashList,
        _ => FilterKind::Bloom,
    };
    Filter::read(kind, data.to_vec()).map_err(|error| {
        if Filter::read(other, data.to_vec()).is_ok() {
            DrlError::SliceTypeMismatch {
                name: name.to_owned(),
                listed: kind,
                found: other,
            }
        } else {
            DrlError::BadSlice {
                name: name.to_owned(),
                error,
            }
        }
    })
}
