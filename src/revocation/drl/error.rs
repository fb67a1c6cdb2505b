//! Why data of the EU distribution service was refused.

use super::archive::ArchiveError;
use crate::revocation::{FilterKind, RevocationError};
use crate::time::UnixTime;

/// Why distribution-service data was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DrlError {
    /// A response is larger than the bound.
    #[error("{what}: more than {limit} bytes")]
    TooLarge {
        /// Which response.
        what: &'static str,
        /// The bound.
        limit: usize,
    },
    /// A response is not the JSON shape the service sends.
    #[error("{what}: not the service's JSON ({detail})")]
    Json {
        /// Which response.
        what: &'static str,
        /// The parser's message.
        detail: String,
    },
    /// More items than the bound.
    #[error("more than {limit} {what}")]
    TooMany {
        /// What was counted.
        what: &'static str,
        /// The bound.
        limit: usize,
    },
    /// The same kid, partition or slice twice.
    #[error("{0} appears twice")]
    Duplicate(String),
    /// A kid that is neither standard base64 nor `UNKNOWN_KID`.
    #[error("kid {0:?} is not standard base64")]
    BadKid(String),
    /// A mode other than `POINT`, `VECTOR` and `COORDINATE`.
    #[error("unknown partition mode {0:?}")]
    BadMode(String),
    /// A hash type other than `UCI`, `COUNTRYCODEUCI` and `SIGNATURE` (empty: none listed).
    #[error("unknown hash type {0:?}")]
    BadHashType(String),
    /// A time in neither of the service's formats.
    #[error("not a zoned ISO 8601 time: {0:?}")]
    BadTime(String),
    /// A partition response for another kid.
    #[error("partition of kid {found:?} in the response for kid {expected:?}")]
    WrongKid {
        /// The kid asked for.
        expected: String,
        /// The kid found.
        found: String,
    },
    /// A `/lists` whose `lastUpdated` for a kid is older than the one already applied.
    #[error("kid {kid:?}: lastUpdated {offered} is older than the {held} already applied")]
    Rollback {
        /// The kid as `/lists` spells it.
        kid: String,
        /// The `lastUpdated` held.
        held: UnixTime,
        /// The older one offered.
        offered: UnixTime,
    },
    /// A kid the sync state does not hold (not in the last `/lists` applied).
    #[error("kid {0:?} is not in the last /lists applied")]
    UnknownKid(String),
    /// A partition the sync state does not hold (not in the kid's last partitions applied).
    #[error("kid {kid:?} has no partition {partition:?} in the last partitions applied")]
    UnknownPartition {
        /// The kid as `/lists` spells it.
        kid: String,
        /// The partition id text.
        partition: String,
    },
    /// A partition whose id or coordinates do not fit each other or the kid's mode.
    #[error("partition {0:?}: id and coordinates do not fit the kid's mode")]
    BadPartition(String),
    /// A chunk id that is not one lowercase hex digit.
    #[error("chunk id {0:?} is not one lowercase hex digit")]
    BadChunk(String),
    /// A slice type other than `BLOOMFILTER` and `VARHASHLIST`.
    #[error("unknown slice type {0:?}")]
    BadSliceType(String),
    /// A listed hash or `sid` that is not a lowercase hex SHA-256.
    #[error("{0:?} is not a lowercase hex SHA-256")]
    BadHash(String),
    /// The slice archive could not be read.
    #[error("slice archive: {0}")]
    Archive(#[from] ArchiveError),
    /// An archive entry not named `{kid}/{id}/{cid}/{sid}` for this partition.
    #[error("archive entry {0:?} is not named kid/partition/chunk/sid of this partition")]
    BadEntryName(String),
    /// A slice whose SHA-256 is not its `sid`.
    #[error("slice {name}: SHA-256 {actual} does not match its sid")]
    SliceHashMismatch {
        /// The entry name.
        name: String,
        /// The SHA-256 of the bytes found.
        actual: String,
    },
    /// A slice whose SHA-256 is not listed under its chunk in the partition.
    #[error("slice {name}: its hash is not listed under chunk {cid} of the partition")]
    SliceNotListed {
        /// The entry name.
        name: String,
        /// The chunk id.
        cid: char,
    },
    /// A listed slice missing from the archive.
    #[error("partition {partition}: listed slice {hash} of chunk {cid} is not in the archive")]
    SliceMissing {
        /// The partition id (`null` in POINT mode).
        partition: String,
        /// The chunk id.
        cid: char,
        /// The listed hash.
        hash: String,
    },
    /// A slice whose bytes are of the other type than listed.
    #[error("slice {name}: listed as {listed} but its bytes are a {found}")]
    SliceTypeMismatch {
        /// The entry name.
        name: String,
        /// The listed type.
        listed: FilterKind,
        /// The type the bytes read as.
        found: FilterKind,
    },
    /// A slice whose bytes are not a valid filter of its listed type.
    #[error("slice {name}: {error}")]
    BadSlice {
        /// The entry name.
        name: String,
        /// The reader's error.
        error: RevocationError,
    },
}
