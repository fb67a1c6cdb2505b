//! A generator of EU revocation distribution-service mirrors (the `--revocation-drl` layout:
//! `lists.json`, `<kid as unpadded base64url>/partitions.json`, `<kid>/<id or null>.tar.gz`),
//! built the way the reference service groups hashes (revocation SPEC §4.1): per kid, by
//! partition and chunk (hex digits of the hash, by mode), then one slice per expiry.

use std::collections::BTreeMap;
use std::path::Path;

use base64::Engine as _;
use dcc_verifier::revocation::{to_hex, BloomFilter, HashList, PartitionMode};
use sha2::{Digest as _, Sha256};

use super::tar_gz::{gzip, tar};

/// The false-positive rate of the reference service.
const P: f32 = 1e-12;

/// A scratch directory for one mirror, removed when dropped.
pub(crate) struct Scratch(std::path::PathBuf);

impl Scratch {
    /// An empty directory path unique to this test process and `name` (not yet created).
    pub(crate) fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("dcc-drl-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        Self(dir)
    }
}

impl std::ops::Deref for Scratch {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// One kid of the mirror.
pub(crate) struct MirrorKid {
    pub(crate) kid: Vec<u8>,
    /// `POINT`, `VECTOR` or `COORDINATE`.
    pub(crate) mode: &'static str,
    pub(crate) hash_types: Vec<&'static str>,
    /// `BLOOMFILTER` or `VARHASHLIST`.
    pub(crate) kind: &'static str,
    /// The revoked 16-byte hashes, each with its batch expiry (`…Z`).
    pub(crate) revoked: Vec<(Vec<u8>, String)>,
    pub(crate) expires: String,
    pub(crate) last_updated: String,
}

/// What to spoil in the first slice of the first kid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Tamper {
    None,
    /// One byte of the slice flipped after its sid was computed.
    FlipSliceByte,
    /// The partition lists another hash for the slice.
    WrongListedHash,
    /// The partition lists the other slice type.
    TypeMismatch,
}

impl MirrorKid {
    pub(crate) fn kid_text(&self) -> String {
        base64::engine::general_purpose::STANDARD.encode(&self.kid)
    }

    fn folder(&self) -> String {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&self.kid)
    }

    /// (partition id, x, y, chunk id) of a hash in this kid's mode.
    fn coordinates(&self, hash: &[u8]) -> (Option<String>, Option<char>, Option<char>, char) {
        let hex: Vec<char> = to_hex(hash).chars().collect();
        match self.mode {
            "POINT" => (None, None, None, hex[0]),
            "VECTOR" => (Some(hex[0].to_string()), Some(hex[0]), None, hex[1]),
            "COORDINATE" => (
                Some(format!("{}{}", hex[0], hex[1])),
                Some(hex[0]),
                Some(hex[1]),
                hex[2],
            ),
            other => panic!("mode {other}"),
        }
    }

    fn slice_bytes(&self, hashes: &[Vec<u8>]) -> Vec<u8> {
        let n = u32::try_from(hashes.len()).unwrap();
        match self.kind {
            "BLOOMFILTER" => {
                let mut filter = BloomFilter::new(n, P).unwrap();
                for hash in hashes {
                    filter.add(hash);
                }
                filter.into_bytes()
            }
            "VARHASHLIST" => {
                let mode = match self.mode {
                    "POINT" => PartitionMode::Point,
                    "VECTOR" => PartitionMode::Vector,
                    _ => PartitionMode::Coordinate,
                };
                let size = HashList::entry_size(4, mode, n, P).unwrap();
                let n = i32::try_from(n).unwrap();
                HashList::from_hashes(size, n, P, hashes.iter().map(Vec::as_slice))
                    .unwrap()
                    .to_bytes()
            }
            other => panic!("kind {other}"),
        }
    }
}

type Chunks = BTreeMap<char, BTreeMap<String, Vec<Vec<u8>>>>;

/// Writes the mirror of `kids` into `dir` (created), spoiling one slice as `tamper` says.
pub(crate) fn write_mirror(dir: &Path, kids: &[MirrorKid], tamper: Tamper) {
    std::fs::create_dir_all(dir).unwrap();
    let lists: Vec<serde_json::Value> = kids
        .iter()
        .map(|k| {
            serde_json::json!({
                "kid": k.kid_text(), "mode": k.mode, "hashTypes": k.hash_types,
                "expires": k.expires, "lastUpdated": k.last_updated,
            })
        })
        .collect();
    std::fs::write(dir.join("lists.json"), serde_json::to_vec(&lists).unwrap()).unwrap();
    let mut tamper = tamper;
    for kid in kids {
        let mut partitions: BTreeMap<Option<String>, (Option<char>, Option<char>, Chunks)> =
            BTreeMap::new();
        for (hash, expiry) in &kid.revoked {
            let (id, x, y, cid) = kid.coordinates(hash);
            let (_, _, chunks) = partitions.entry(id).or_insert((x, y, BTreeMap::new()));
            let slices = chunks.entry(cid).or_default();
            slices.entry(expiry.clone()).or_default().push(hash.clone());
        }
        let folder = dir.join(kid.folder());
        std::fs::create_dir_all(&folder).unwrap();
        let mut listed = Vec::new();
        for (id, (x, y, chunks)) in &partitions {
            let id_text = id.clone().unwrap_or_else(|| "null".to_owned());
            let mut files = Vec::new();
            let mut chunk_json = serde_json::Map::new();
            for (cid, slices) in chunks {
                let mut by_expiry = serde_json::Map::new();
                for (expiry, hashes) in slices {
                    let mut data = kid.slice_bytes(hashes);
                    let sid = to_hex(&Sha256::digest(&data));
                    let (mut listed_hash, mut listed_kind) = (sid.clone(), kid.kind);
                    match std::mem::replace(&mut tamper, Tamper::None) {
                        Tamper::None => {}
                        Tamper::FlipSliceByte => *data.last_mut().unwrap() ^= 0x01,
                        Tamper::WrongListedHash => listed_hash = to_hex(&[0xab; 32]),
                        Tamper::TypeMismatch => {
                            listed_kind = match kid.kind {
                                "BLOOMFILTER" => "VARHASHLIST",
                                _ => "BLOOMFILTER",
                            }
                        }
                    }
                    by_expiry.insert(
                        expiry.clone(),
                        serde_json::json!({"type": listed_kind, "version": "1.0", "hash": listed_hash}),
                    );
                    files.push((format!("{}/{id_text}/{cid}/{sid}", kid.kid_text()), data));
                }
                chunk_json.insert(cid.to_string(), by_expiry.into());
            }
            listed.push(serde_json::json!({
                "kid": kid.kid_text(), "id": id, "x": x.map(String::from), "y": y.map(String::from),
                // The service's two date formats: microseconds here, seconds elsewhere.
                "lastUpdated": kid.last_updated.replace('Z', ".123456Z"),
                "expired": kid.expires, "chunks": chunk_json,
            }));
            std::fs::write(folder.join(format!("{id_text}.tar.gz")), gzip(&tar(&files))).unwrap();
        }
        std::fs::write(
            folder.join("partitions.json"),
            serde_json::to_vec(&listed).unwrap(),
        )
        .unwrap();
    }
}

/// The kid of a fixture pass (from its COSE headers, decoded independently of the library).
pub(crate) fn kid_of(qr: &str) -> Vec<u8> {
    use coset::TaggedCborSerializable as _;
    let cose = super::cose_from_qr(qr).unwrap();
    let sign1 = coset::CoseSign1::from_tagged_slice(&cose)
        .or_else(|_| {
            use coset::CborSerializable as _;
            coset::CoseSign1::from_slice(&cose)
        })
        .unwrap();
    super::coset_alg_and_kid(&sign1).unwrap().1
}
