//! EU distribution-service data: one POINT partition of 100,000 hashes (the most a POINT kid
//! holds, SPEC §4.1) in 16 Bloom slices at the service's p = 1e-12, served as tar.gz. Times the
//! whole check and load of the archive (inflate, tar, SHA-256 of every slice, parse), and a
//! sync plan: applying a changed `/lists` and partitions response to a state holding it all.
//!
//! `cargo bench --bench drl -- --warm-up-time 1 --measurement-time 3`

#![allow(missing_docs)] // criterion_group! generates an undocumented function

use std::collections::BTreeMap;
use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use dcc_verifier::revocation::drl::{self, SyncState};
use dcc_verifier::revocation::{to_hex, BloomFilter};
use dcc_verifier::UnixTime;
use sha2::{Digest as _, Sha256};

#[allow(clippy::arithmetic_side_effects, dead_code)]
mod tar_gz {
    include!("../tests/common/tar_gz.rs");
}

const HASHES: u32 = 100_000;
const KID: &str = "bMIm/1VFK1c=";
const EXPIRY: &str = "2022-01-01T00:00:00Z";

fn lists(updated: &str) -> Vec<u8> {
    format!(
        r#"[{{"kid":"{KID}","mode":"POINT","hashTypes":["UCI","SIGNATURE"],"expires":"{EXPIRY}","lastUpdated":"{updated}"}}]"#
    )
    .into_bytes()
}

/// The partitions response and archive of `HASHES` hashes, slice `changed` rebuilt with one
/// more hash (a delta).
fn partition(extra: Option<char>) -> (Vec<u8>, Vec<u8>) {
    let mut chunks: BTreeMap<char, Vec<[u8; 16]>> = BTreeMap::new();
    for i in 0..HASHES {
        let digest = Sha256::digest(i.to_be_bytes());
        let hash: [u8; 16] = digest[..16].try_into().unwrap();
        let cid = to_hex(&hash).chars().next().unwrap();
        chunks.entry(cid).or_default().push(hash);
    }
    if let Some(cid) = extra {
        let digit = u8::try_from(cid.to_digit(16).unwrap()).unwrap();
        chunks.get_mut(&cid).unwrap().push([digit << 4; 16]);
    }
    let mut files = Vec::new();
    let mut listing = serde_json::Map::new();
    for (cid, hashes) in &chunks {
        let mut filter = BloomFilter::new(u32::try_from(hashes.len()).unwrap(), 1e-12).unwrap();
        for hash in hashes {
            filter.add(hash);
        }
        let bytes = filter.into_bytes();
        let sid = to_hex(&Sha256::digest(&bytes));
        listing.insert(
            cid.to_string(),
            serde_json::json!({EXPIRY: {"type": "BLOOMFILTER", "version": "1.0", "hash": sid}}),
        );
        files.push((format!("{KID}/null/{cid}/{sid}"), bytes));
    }
    let partitions = serde_json::json!([{"kid": KID, "id": null, "x": null, "y": null,
        "lastUpdated": "2021-08-30T12:00:00.123456Z", "expired": EXPIRY, "chunks": listing}]);
    (
        partitions.to_string().into_bytes(),
        tar_gz::gzip(&tar_gz::tar(&files)),
    )
}

fn benches(c: &mut Criterion) {
    let (partitions, archive) = partition(None);
    let (changed_partitions, _) = partition(Some('7'));
    eprintln!("archive: {} bytes gzipped", archive.len());
    let kids = drl::parse_lists(&lists("2021-08-30T12:00:00Z")).unwrap();
    let parsed = drl::parse_partitions(&kids[0], &partitions).unwrap();
    let mut group = c.benchmark_group("drl");
    group.bench_function("load_partition_100k_hashes", |b| {
        b.iter(|| drl::load_partition(&kids[0], &parsed[0], black_box(&archive)).unwrap());
    });
    let now = UnixTime::from_secs(1_630_454_400);
    let mut state = SyncState::new();
    state
        .apply_lists(&lists("2021-08-30T12:00:00Z"), None, now)
        .unwrap();
    state.apply_partitions(KID, &partitions).unwrap();
    state.apply_slices(KID, "null", &archive).unwrap();
    group.bench_function("sync_plan_one_changed_chunk", |b| {
        b.iter(|| {
            let mut state = state.clone();
            let next = state
                .apply_lists(&lists("2021-08-31T12:00:00Z"), None, now)
                .unwrap();
            let requests = state
                .apply_partitions(KID, black_box(&changed_partitions))
                .unwrap();
            assert_eq!((next.len(), requests.len()), (1, 1));
            requests
        });
    });
    group.bench_function("sync_state_clone_only", |b| {
        b.iter(|| black_box(state.clone()))
    });
    group.finish();
}

criterion_group!(drl_benches, benches);
criterion_main!(drl_benches);
