//! Incremental sync with the distribution service (revocation SPEC §4.3, with the deletion
//! scope of §6.20 fixed): the state an app keeps between syncs, the exact requests to make
//! next, and each response applied all or nothing.
//!
//! The loop: [`SyncState::apply_lists`] with a `/lists` response gives the partition requests;
//! [`SyncState::apply_partitions`] with each answer gives the slice requests;
//! [`SyncState::apply_slices`] takes each archive. [`SyncState::store`] then builds the
//! [`RevocationStore`] of everything held.

use std::collections::{BTreeMap, BTreeSet};

use super::{check_archive, CheckedSlice, DrlError, KidEntry, Partition};
use super::{parse_lists, parse_partitions};
use crate::revocation::RevocationStore;
use crate::time::UnixTime;

/// What an app keeps between syncs: the `/lists` ETag, and per kid its listing, its partitions
/// and the slices downloaded for them.
#[derive(Clone, Debug, Default)]
pub struct SyncState {
    etag: Option<String>,
    last_sync: Option<UnixTime>,
    kids: BTreeMap<String, KidState>,
}

#[derive(Clone, Debug)]
struct KidState {
    entry: KidEntry,
    /// The `lastUpdated` its partitions were last applied for: `None` until they are, so that
    /// a sync cut short asks again.
    partitions_for: Option<UnixTime>,
    /// By partition id text (`null` in POINT mode).
    partitions: BTreeMap<String, PartitionState>,
}

#[derive(Clone, Debug)]
struct PartitionState {
    listing: Partition,
    /// By (chunk id, sid).
    slices: BTreeMap<(char, [u8; 32]), CheckedSlice>,
}

/// One HTTP request to the distribution service (paths relative to its base URL; the kid is
/// unpadded base64url, a POINT partition id the literal `null`).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Request {
    /// `GET /lists/{kid}/partitions`, answered into [`SyncState::apply_partitions`]. Sent
    /// without `If-Modified-Since`: a filtered answer could not tell a removed partition from an
    /// unchanged one.
    Partitions {
        /// The kid as `/lists` spells it.
        kid: String,
    },
    /// `POST /lists/{kid}/partitions/{id}/slices` with the JSON array of `cids` as body: a new
    /// partition's slices.
    PartitionSlices {
        /// The kid as `/lists` spells it.
        kid: String,
        /// The partition id text.
        partition: String,
        /// Its chunk ids.
        cids: Vec<char>,
    },
    /// `GET /lists/{kid}/partitions/{id}/chunks/{cid}/slices`: a chunk whose slices changed by
    /// half or more.
    Chunk {
        /// The kid as `/lists` spells it.
        kid: String,
        /// The partition id text.
        partition: String,
        /// The chunk id.
        cid: char,
    },
    /// `POST /lists/{kid}/partitions/{id}/chunks/{cid}/slices` with the JSON array of `sids` as
    /// body: the few slices a chunk lacks.
    Slices {
        /// The kid as `/lists` spells it.
        kid: String,
        /// The partition id text.
        partition: String,
        /// The chunk id.
        cid: char,
        /// The missing slices' ids (lowercase hex SHA-256).
        sids: Vec<String>,
    },
}

impl Request {
    /// `GET` or `POST`.
    pub const fn method(&self) -> &'static str {
        match self {
            Self::Partitions { .. } | Self::Chunk { .. } => "GET",
            Self::PartitionSlices { .. } | Self::Slices { .. } => "POST",
        }
    }

    /// The path, from the service's base URL.
    pub fn path(&self) -> String {
        let kid_path = |kid: &str| {
            use base64::Engine as _;
            base64::engine::general_purpose::STANDARD
                .decode(kid)
                .map(|bytes| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
                .unwrap_or_else(|_| kid.to_owned())
        };
        match self {
            Self::Partitions { kid } => format!("/lists/{}/partitions", kid_path(kid)),
            Self::PartitionSlices { kid, partition, .. } => {
                format!("/lists/{}/partitions/{partition}/slices", kid_path(kid))
            }
            Self::Chunk {
                kid,
                partition,
                cid,
            }
            | Self::Slices {
                kid,
                partition,
                cid,
                ..
            } => format!(
                "/lists/{}/partitions/{partition}/chunks/{cid}/slices",
                kid_path(kid)
            ),
        }
    }

    /// The JSON body of a `POST`.
    pub fn body(&self) -> Option<String> {
        match self {
            Self::PartitionSlices { cids, .. } => serde_json::to_string(cids).ok(),
            Self::Slices { sids, .. } => serde_json::to_string(sids).ok(),
            Self::Partitions { .. } | Self::Chunk { .. } => None,
        }
    }
}

impl SyncState {
    /// An empty state: the first sync downloads everything.
    pub fn new() -> Self {
        Self::default()
    }

    /// The ETag of the last `/lists` applied: send it as `If-None-Match` (a 304 answer means
    /// nothing to do).
    pub fn etag(&self) -> Option<&str> {
        self.etag.as_deref()
    }

    /// When the last `/lists` was applied (the caller's clock, passed in).
    pub const fn last_sync(&self) -> Option<UnixTime> {
        self.last_sync
    }

    /// Applies a `/lists` response received at `now` with its ETag: kids no longer listed are
    /// dropped, a kid whose mode changed is wiped (its partitions are re-keyed), and the
    /// partitions of every new or changed kid are requested.
    ///
    /// # Errors
    /// The [`parse_lists`] error, or [`DrlError::Rollback`] when a kid's `lastUpdated` is older
    /// than the one held; the state is then unchanged.
    pub fn apply_lists(
        &mut self,
        bytes: &[u8],
        etag: Option<String>,
        now: UnixTime,
    ) -> Result<Vec<Request>, DrlError> {
        let listed = parse_lists(bytes)?;
        // An older copy replayed (by a cache or an attacker) must not roll the data back.
        for entry in &listed {
            if let Some(held) = self.kids.get(&entry.kid_text) {
                if entry.last_updated < held.entry.last_updated {
                    return Err(DrlError::Rollback {
                        kid: entry.kid_text.clone(),
                        held: held.entry.last_updated,
                        offered: entry.last_updated,
                    });
                }
            }
        }
        let listed_kids: BTreeSet<&str> = listed.iter().map(|e| e.kid_text.as_str()).collect();
        self.kids
            .retain(|kid, _| listed_kids.contains(kid.as_str()));
        let mut requests = Vec::new();
        for entry in listed {
            if self
                .kids
                .get(&entry.kid_text)
                .is_some_and(|held| held.entry.mode != entry.mode)
            {
                self.kids.remove(&entry.kid_text);
            }
            let held = self
                .kids
                .entry(entry.kid_text.clone())
                .or_insert_with(|| KidState {
                    entry: entry.clone(),
                    partitions_for: None,
                    partitions: BTreeMap::new(),
                });
            held.entry = entry;
            if let Some(request) = held.partitions_request() {
                requests.push(request);
            }
        }
        self.etag = etag;
        self.last_sync = Some(now);
        Ok(requests)
    }

    /// Applies the `/lists/{kid}/partitions` response of a listed kid: partitions, chunks and
    /// slices no longer listed are dropped (only within this kid and partition), and the
    /// missing slices are requested: a new partition whole, a chunk whole when half or more of
    /// it is missing, else the missing slices by id.
    ///
    /// # Errors
    /// [`DrlError::UnknownKid`] for a kid not in the last `/lists`, or the
    /// [`parse_partitions`] error; the state is then unchanged.
    pub fn apply_partitions(
        &mut self,
        kid_text: &str,
        bytes: &[u8],
    ) -> Result<Vec<Request>, DrlError> {
        let Some(kid) = self.kids.get_mut(kid_text) else {
            return Err(DrlError::UnknownKid(kid_text.to_owned()));
        };
        let listed = parse_partitions(&kid.entry, bytes)?;
        let mut partitions = BTreeMap::new();
        let mut requests = Vec::new();
        for listing in listed {
            let id = listing.id_text().to_owned();
            let mut slices = kid
                .partitions
                .remove(&id)
                .map(|p| p.slices)
                .unwrap_or_default();
            slices.retain(|(cid, sid), _| {
                listing
                    .chunks
                    .get(cid)
                    .is_some_and(|l| l.iter().any(|s| s.hash == *sid))
            });
            requests.extend(missing_slices(kid_text, &listing, &slices));
            partitions.insert(id, PartitionState { listing, slices });
        }
        kid.partitions = partitions;
        kid.partitions_for = Some(kid.entry.last_updated);
        Ok(requests)
    }

    /// Applies a slice archive of one partition (any of the requests above): every entry is
    /// checked against the partition's listing before any is kept. Returns how many slices
    /// were added.
    ///
    /// # Errors
    /// [`DrlError::UnknownPartition`] for a kid or partition not held, or the archive's first
    /// failed check ([`super::load_partition`]'s errors except [`DrlError::SliceMissing`]);
    /// the state is then unchanged.
    pub fn apply_slices(
        &mut self,
        kid_text: &str,
        partition_id: &str,
        archive_gz: &[u8],
    ) -> Result<usize, DrlError> {
        let partition = self
            .kids
            .get_mut(kid_text)
            .and_then(|kid| kid.partitions.get_mut(partition_id))
            .ok_or_else(|| DrlError::UnknownPartition {
                kid: kid_text.to_owned(),
                partition: partition_id.to_owned(),
            })?;
        let checked = check_archive(&partition.listing, kid_text, archive_gz)?;
        let count = checked.len();
        for slice in checked {
            partition.slices.insert((slice.cid, slice.sid), slice);
        }
        Ok(count)
    }

    /// Forgets what no verification can use any more: kids, partitions and slices whose expiry
    /// is at or before `before`. Pass `now` less the verifier's clock skew (the time it judges
    /// slices at), so that nothing a verifier still applies is dropped. Returns how many slices
    /// were dropped.
    pub fn prune_expired(&mut self, before: UnixTime) -> usize {
        let mut dropped = 0usize;
        self.kids.retain(|_, kid| {
            let kid_expired = kid.entry.expires <= before;
            kid.partitions.retain(|_, partition| {
                let partition_expired = kid_expired || partition.listing.expires <= before;
                let held = partition.slices.len();
                partition
                    .slices
                    .retain(|_, slice| !partition_expired && before < slice.expires);
                dropped = dropped.saturating_add(held.saturating_sub(partition.slices.len()));
                !partition_expired
            });
            !kid_expired
        });
        dropped
    }

    /// The requests still needed for every listed kid to have its current partitions and all
    /// their listed slices (after a sync cut short, say).
    pub fn pending(&self) -> Vec<Request> {
        self.kids
            .iter()
            .flat_map(|(kid, state)| {
                state.partitions_request().into_iter().chain(
                    state
                        .partitions
                        .values()
                        .flat_map(move |p| missing_slices(kid, &p.listing, &p.slices)),
                )
            })
            .collect()
    }

    /// A store of every slice held, each scoped as [`super::load_partition`] scopes it, with
    /// the newest `lastUpdated` as its issue time.
    ///
    /// # Errors
    /// [`DrlError::BadSlice`] if a slice cannot be scoped (not for data this state accepted).
    pub fn store(&self) -> Result<RevocationStore, DrlError> {
        let mut store = RevocationStore::new();
        for kid in self.kids.values() {
            for partition in kid.partitions.values() {
                for slice in partition.slices.values() {
                    store.add(slice.clone().into_slice(&kid.entry, &partition.listing)?);
                }
            }
        }
        if let Some(updated) = self.kids.values().map(|k| k.entry.last_updated).max() {
            store.set_issued_at(updated);
        }
        Ok(store)
    }
}

impl KidState {
    /// The partitions request, unless they were applied for the kid's current `lastUpdated`.
    fn partitions_request(&self) -> Option<Request> {
        (self.partitions_for != Some(self.entry.last_updated)).then(|| Request::Partitions {
            kid: self.entry.kid_text.clone(),
        })
    }
}

/// The requests for the listed slices of a partition not held: the whole partition when none
/// is held, else per chunk the whole chunk when half or more of it is missing (as the
/// reference app does), else the missing ids.
fn missing_slices(
    kid: &str,
    listing: &Partition,
    held: &BTreeMap<(char, [u8; 32]), CheckedSlice>,
) -> Vec<Request> {
    let mut requests = Vec::new();
    if held.is_empty() {
        if !listing.chunks.is_empty() {
            requests.push(Request::PartitionSlices {
                kid: kid.to_owned(),
                partition: listing.id_text().to_owned(),
                cids: listing.chunks.keys().copied().collect(),
            });
        }
        return requests;
    }
    for (&cid, listed) in &listing.chunks {
        let missing: Vec<String> = listed
            .iter()
            .filter(|s| !held.contains_key(&(cid, s.hash)))
            .map(|s| super::to_hex(&s.hash))
            .collect();
        if missing.is_empty() {
            continue;
        }
        let partition = listing.id_text().to_owned();
        if missing.len().saturating_mul(2) >= listed.len() {
            requests.push(Request::Chunk {
                kid: kid.to_owned(),
                partition,
                cid,
            });
        } else {
            requests.push(Request::Slices {
                kid: kid.to_owned(),
                partition,
                cid,
                sids: missing,
            });
        }
    }
    requests
}
