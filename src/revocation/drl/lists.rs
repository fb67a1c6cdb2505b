//! The JSON responses of the EU distribution service: `/lists` and `/lists/{kid}/partitions`
//! (revocation SPEC §4.2), parsed strictly into typed values.

use std::collections::BTreeMap;

use base64::Engine as _;
use serde::Deserialize;

use super::error::DrlError;
use crate::limits::{
    MAX_DRL_JSON_BYTES, MAX_DRL_KIDS, MAX_DRL_PARTITIONS, MAX_DRL_SLICES_PER_CHUNK,
};
use crate::revocation::{from_hex, FilterKind, HashType, PartitionMode};
use crate::time::UnixTime;

/// The literal kid of gateway batches uploaded without one (SPEC §6.14): they apply to every
/// certificate, whatever its kid.
pub const UNKNOWN_KID: &str = "UNKNOWN_KID";

/// One entry of `/lists`: a kid with revocation data.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct KidEntry {
    /// The kid as listed (standard base64, or [`UNKNOWN_KID`]).
    pub kid_text: String,
    /// The kid's bytes; `None` for [`UNKNOWN_KID`], whose data applies to every kid.
    pub kid: Option<Vec<u8>>,
    /// How the kid's hashes are split into partitions and chunks.
    pub mode: PartitionMode,
    /// The hash types its slices hold (at least one; the EU types only).
    pub hash_types: Vec<HashType>,
    /// The latest batch expiry: the kid's data applies until then.
    pub expires: UnixTime,
    /// When the kid's data last changed.
    pub last_updated: UnixTime,
}

/// One partition of a kid, from `/lists/{kid}/partitions`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Partition {
    /// The kid as listed (standard base64).
    pub kid_text: String,
    /// The partition id: `None` in POINT mode (the literal `null` in paths and tar names).
    pub id: Option<String>,
    /// The first hex digit of its hashes (VECTOR and COORDINATE modes).
    pub x: Option<char>,
    /// The second hex digit of its hashes (COORDINATE mode).
    pub y: Option<char>,
    /// When the partition last changed.
    pub last_updated: UnixTime,
    /// When the partition's data stops applying.
    pub expires: UnixTime,
    /// Per chunk id (one hex digit), its slices.
    pub chunks: BTreeMap<char, Vec<ListedSlice>>,
}

/// A slice as the partition lists it: the bytes to expect and until when they apply.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ListedSlice {
    /// The slice expiry (the batch expiry truncated to the minute).
    pub expires: UnixTime,
    /// `BLOOMFILTER` or `VARHASHLIST`.
    pub kind: FilterKind,
    /// The listed format version (the configured string `"1.0"`).
    pub version: String,
    /// The SHA-256 of the slice's bytes, which is also its `sid`.
    pub hash: [u8; 32],
}

impl Partition {
    /// The tar-name and path spelling of the id: the id, or `null`.
    pub fn id_text(&self) -> &str {
        self.id.as_deref().unwrap_or("null")
    }

    /// The hash prefix of a chunk of this partition (partition digits, then the chunk id), as
    /// [`Slice::with_prefix`](crate::revocation::Slice::with_prefix) takes it.
    pub fn prefix(&self, cid: char) -> String {
        self.x.into_iter().chain(self.y).chain([cid]).collect()
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKid {
    kid: String,
    mode: String,
    #[serde(rename = "hashTypes")]
    hash_types: Vec<String>,
    expires: String,
    #[serde(rename = "lastUpdated")]
    last_updated: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPartition {
    kid: String,
    id: Option<String>,
    x: Option<String>,
    y: Option<String>,
    #[serde(rename = "lastUpdated")]
    last_updated: String,
    expired: String,
    chunks: BTreeMap<String, BTreeMap<String, RawSlice>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSlice {
    #[serde(rename = "type")]
    kind: String,
    version: String,
    hash: String,
}

/// Parses a `/lists` response.
///
/// # Errors
/// [`DrlError::TooLarge`], [`DrlError::Json`], [`DrlError::TooMany`], [`DrlError::BadKid`],
/// [`DrlError::BadMode`], [`DrlError::BadHashType`], [`DrlError::BadTime`] or
/// [`DrlError::Duplicate`].
pub fn parse_lists(bytes: &[u8]) -> Result<Vec<KidEntry>, DrlError> {
    let raw: Vec<RawKid> = json("lists", bytes)?;
    if raw.len() > MAX_DRL_KIDS {
        return Err(DrlError::TooMany {
            what: "kids",
            limit: MAX_DRL_KIDS,
        });
    }
    let mut seen = std::collections::BTreeSet::new();
    let mut kids = Vec::with_capacity(raw.len());
    for entry in raw {
        if !seen.insert(entry.kid.clone()) {
            return Err(DrlError::Duplicate(format!("kid {}", entry.kid)));
        }
        let kid = if entry.kid == UNKNOWN_KID {
            None
        } else {
            Some(decode_kid(&entry.kid)?)
        };
        let mode = match entry.mode.as_str() {
            "POINT" => PartitionMode::Point,
            "VECTOR" => PartitionMode::Vector,
            "COORDINATE" => PartitionMode::Coordinate,
            _ => return Err(DrlError::BadMode(entry.mode)),
        };
        let mut hash_types = Vec::with_capacity(entry.hash_types.len());
        for name in &entry.hash_types {
            match HashType::from_name(name) {
                Some(t) if t != HashType::FrDcc => hash_types.push(t),
                _ => return Err(DrlError::BadHashType(name.clone())),
            }
        }
        if hash_types.is_empty() {
            return Err(DrlError::BadHashType(String::new()));
        }
        kids.push(KidEntry {
            kid,
            mode,
            hash_types,
            expires: time(&entry.expires)?,
            last_updated: time(&entry.last_updated)?,
            kid_text: entry.kid,
        });
    }
    Ok(kids)
}

/// Parses a `/lists/{kid}/partitions` response for the kid `kid`, whose mode fixes which
/// partition ids (`null`, `x`, `xy`) and coordinates are valid.
///
/// # Errors
/// [`DrlError::TooLarge`], [`DrlError::Json`], [`DrlError::TooMany`],
/// [`DrlError::WrongKid`], [`DrlError::BadPartition`], [`DrlError::BadChunk`],
/// [`DrlError::BadSliceType`], [`DrlError::BadHash`], [`DrlError::BadTime`] or
/// [`DrlError::Duplicate`].
pub fn parse_partitions(kid: &KidEntry, bytes: &[u8]) -> Result<Vec<Partition>, DrlError> {
    let raw: Vec<RawPartition> = json("partitions", bytes)?;
    if raw.len() > MAX_DRL_PARTITIONS {
        return Err(DrlError::TooMany {
            what: "partitions",
            limit: MAX_DRL_PARTITIONS,
        });
    }
    let mut seen = std::collections::BTreeSet::new();
    let mut partitions = Vec::with_capacity(raw.len());
    for entry in raw {
        if entry.kid != kid.kid_text {
            return Err(DrlError::WrongKid {
                expected: kid.kid_text.clone(),
                found: entry.kid,
            });
        }
        let id_text = entry.id.clone().unwrap_or_else(|| "null".to_owned());
        if !seen.insert(id_text.clone()) {
            return Err(DrlError::Duplicate(format!("partition {id_text}")));
        }
        let x = digit(entry.x.as_deref()).ok_or_else(|| DrlError::BadPartition(id_text.clone()))?;
        let y = digit(entry.y.as_deref()).ok_or_else(|| DrlError::BadPartition(id_text.clone()))?;
        // The id is the coordinates spelled out; the mode fixes how many there are.
        let coordinates: String = x.into_iter().chain(y).collect();
        let shape_fits = match kid.mode {
            PartitionMode::Point => x.is_none() && y.is_none(),
            PartitionMode::Vector => x.is_some() && y.is_none(),
            PartitionMode::Coordinate => x.is_some() && y.is_some(),
        };
        let id_fits = match &entry.id {
            None => coordinates.is_empty(),
            Some(id) => *id == coordinates,
        };
        if !shape_fits || !id_fits {
            return Err(DrlError::BadPartition(id_text));
        }
        let mut chunks = BTreeMap::new();
        for (cid, slices) in entry.chunks {
            let cid_digit = digit(Some(&cid))
                .flatten()
                .ok_or_else(|| DrlError::BadChunk(cid.clone()))?;
            if slices.len() > MAX_DRL_SLICES_PER_CHUNK {
                return Err(DrlError::TooMany {
                    what: "slices in a chunk",
                    limit: MAX_DRL_SLICES_PER_CHUNK,
                });
            }
            let listed = slices
                .into_iter()
                .map(|(expiry, slice)| listed_slice(&expiry, slice))
                .collect::<Result<Vec<_>, _>>()?;
            chunks.insert(cid_digit, listed);
        }
        partitions.push(Partition {
            kid_text: entry.kid,
            id: entry.id,
            x,
            y,
            last_updated: time(&entry.last_updated)?,
            expires: time(&entry.expired)?,
            chunks,
        });
    }
    Ok(partitions)
}

fn listed_slice(expiry: &str, slice: RawSlice) -> Result<ListedSlice, DrlError> {
    let kind = match slice.kind.as_str() {
        "BLOOMFILTER" => FilterKind::Bloom,
        "VARHASHLIST" => FilterKind::HashList,
        _ => return Err(DrlError::BadSliceType(slice.kind)),
    };
    let hash = lowercase_sha256(&slice.hash).ok_or(DrlError::BadHash(slice.hash))?;
    Ok(ListedSlice {
        expires: time(expiry)?,
        kind,
        version: slice.version,
        hash,
    })
}

/// A SHA-256 spelled as 64 lowercase hex digits (a `sid` or a listed `hash`).
pub(super) fn lowercase_sha256(text: &str) -> Option<[u8; 32]> {
    if text.bytes().any(|b| b.is_ascii_uppercase()) {
        return None;
    }
    from_hex(text)?.try_into().ok()
}

/// A kid in standard base64 (with or without padding).
fn decode_kid(text: &str) -> Result<Vec<u8>, DrlError> {
    let engine = base64::engine::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::GeneralPurposeConfig::new()
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
    );
    engine
        .decode(text)
        .ok()
        .filter(|kid| !kid.is_empty())
        .ok_or_else(|| DrlError::BadKid(text.to_owned()))
}

/// A coordinate or chunk id: `Some(None)` when absent, `Some(Some(d))` for one lowercase hex
/// digit, `None` (refused) for anything else.
fn digit(text: Option<&str>) -> Option<Option<char>> {
    let Some(text) = text else {
        return Some(None);
    };
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if c.is_ascii_hexdigit() && !c.is_ascii_uppercase() => Some(Some(c)),
        _ => None,
    }
}

/// Both date formats of the service (`…:ssXXX` and `…:ss.SSSSSSXXX`), through the RFC 3339
/// parser; a time without a zone is refused (the service always writes one).
fn time(text: &str) -> Result<UnixTime, DrlError> {
    let zoned =
        text.ends_with(['Z', 'z']) || text.get(19..).is_some_and(|t| t.contains(['+', '-']));
    UnixTime::parse_rfc3339(text)
        .filter(|_| zoned && text.contains('T'))
        .ok_or_else(|| DrlError::BadTime(text.to_owned()))
}

fn json<T: serde::de::DeserializeOwned>(what: &'static str, bytes: &[u8]) -> Result<T, DrlError> {
    if bytes.len() > MAX_DRL_JSON_BYTES {
        return Err(DrlError::TooLarge {
            what,
            limit: MAX_DRL_JSON_BYTES,
        });
    }
    serde_json::from_slice(bytes).map_err(|e| DrlError::Json {
        what,
        detail: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const LISTS: &str = r#"[ { "kid": "ddUu88CmvpY=", "mode": "POINT", "hashTypes": ["UCI","SIGNATURE"],
        "expires": "2023-01-01T00:00:00Z", "lastUpdated": "2022-05-10T12:30:00Z" } ]"#;
    const PARTITIONS: &str = r#"[ { "kid": "ddUu88CmvpY=", "id": null, "x": null, "y": null,
        "lastUpdated": "2022-05-10T12:30:00.123456Z", "expired": "2023-01-01T00:00:00Z",
        "chunks": { "5": { "2023-01-01T00:00:00Z": { "type": "BLOOMFILTER", "version": "1.0",
        "hash": "cff43b78002d546a725612cd6ee9530f7eb86a9da323bfa067a2df5a8669ccd3" } } } } ]"#;

    #[test]
    fn the_spec_examples_parse() {
        let kids = parse_lists(LISTS.as_bytes()).unwrap();
        let kid = &kids[0];
        assert_eq!(
            kid.kid.as_deref(),
            Some(&[0x75, 0xd5, 0x2e, 0xf3, 0xc0, 0xa6, 0xbe, 0x96][..])
        );
        assert_eq!(kid.mode, PartitionMode::Point);
        assert_eq!(kid.hash_types, [HashType::Uci, HashType::Signature]);
        let partitions = parse_partitions(kid, PARTITIONS.as_bytes()).unwrap();
        let p = &partitions[0];
        assert_eq!((p.id_text(), p.prefix('5').as_str()), ("null", "5"));
        assert_eq!(
            p.last_updated,
            UnixTime::parse_rfc3339("2022-05-10T12:30:00Z").unwrap()
        );
        let slice = &p.chunks[&'5'][0];
        assert_eq!(slice.kind, FilterKind::Bloom);
        assert_eq!(slice.hash[0], 0xcf);
    }

    #[test]
    fn refusals_are_precise() {
        let kid = &parse_lists(LISTS.as_bytes()).unwrap()[0];
        let lists = |from: &str, to: &str| parse_lists(LISTS.replace(from, to).as_bytes());
        assert_eq!(
            lists("POINT", "LINE"),
            Err(DrlError::BadMode("LINE".into()))
        );
        assert_eq!(
            lists("\"UCI\"", "\"FR_DCC\""),
            Err(DrlError::BadHashType("FR_DCC".into()))
        );
        assert_eq!(
            lists("2023-01-01T00:00:00Z", "2023-01-01"),
            Err(DrlError::BadTime("2023-01-01".into()))
        );
        assert!(matches!(
            lists("ddUu88CmvpY=", "d!"),
            Err(DrlError::BadKid(_))
        ));
        let partitions =
            |from: &str, to: &str| parse_partitions(kid, PARTITIONS.replace(from, to).as_bytes());
        assert_eq!(
            partitions("\"id\": null", "\"id\": \"5\""),
            Err(DrlError::BadPartition("5".into()))
        );
        assert_eq!(
            partitions("\"5\": {", "\"A\": {"),
            Err(DrlError::BadChunk("A".into()))
        );
        assert!(matches!(
            partitions("BLOOMFILTER", "BLOOM"),
            Err(DrlError::BadSliceType(_))
        ));
        assert!(matches!(
            partitions("cff4", "CFF4"),
            Err(DrlError::BadHash(_))
        ));
        assert!(matches!(
            partitions("ddUu88CmvpY=", "AAAAAAAAAAA="),
            Err(DrlError::WrongKid { .. })
        ));
        assert!(matches!(
            partitions("\"chunks\"", "\"extra\": 1, \"chunks\""),
            Err(DrlError::Json { .. })
        ));
    }

    #[test]
    fn bounds() {
        let huge = vec![b' '; MAX_DRL_JSON_BYTES + 1];
        assert!(matches!(parse_lists(&huge), Err(DrlError::TooLarge { .. })));
        let kid = &parse_lists(LISTS.as_bytes()).unwrap()[0];
        let one = PARTITIONS
            .trim()
            .trim_start_matches('[')
            .trim_end_matches(']');
        let many = format!("[{}]", vec![one; MAX_DRL_PARTITIONS + 1].join(","));
        assert_eq!(
            parse_partitions(kid, many.as_bytes()),
            Err(DrlError::TooMany {
                what: "partitions",
                limit: MAX_DRL_PARTITIONS
            })
        );
        let twice = format!("[{one},{one}]");
        assert!(matches!(
            parse_partitions(kid, twice.as_bytes()),
            Err(DrlError::Duplicate(_))
        ));
    }

    #[test]
    fn vector_and_coordinate_ids_match_their_coordinates() {
        let vector = LISTS.replace("POINT", "VECTOR");
        let kid = &parse_lists(vector.as_bytes()).unwrap()[0];
        let vector_partition =
            PARTITIONS.replace("\"id\": null, \"x\": null", "\"id\": \"a\", \"x\": \"a\"");
        let p = &parse_partitions(kid, vector_partition.as_bytes()).unwrap()[0];
        assert_eq!(p.prefix('5'), "a5");
        // A POINT partition under a VECTOR kid is refused.
        assert!(parse_partitions(kid, PARTITIONS.as_bytes()).is_err());
    }
}
