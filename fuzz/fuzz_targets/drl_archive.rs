//! Arbitrary bytes as an EU distribution-service slice archive: as gzip, as a bare tar, and
//! as a whole partition's archive. Must never panic or exceed the bounds; a gzip stream that
//! inflates must hold at most the archive bound.
#![no_main]

use dcc_verifier::limits::{MAX_DRL_ARCHIVE_BYTES, MAX_DRL_ARCHIVE_ENTRIES, MAX_DRL_SLICE_BYTES};
use dcc_verifier::revocation::drl::{
    gunzip, load_partition, parse_lists, parse_partitions, read_tar,
};
use libfuzzer_sys::fuzz_target;

const LISTS: &[u8] = br#"[{"kid":"bMIm/1VFK1c=","mode":"POINT","hashTypes":["UCI"],
  "expires":"2022-01-01T00:00:00Z","lastUpdated":"2021-08-30T12:00:00Z"}]"#;
const PARTITIONS: &[u8] = br#"[{"kid":"bMIm/1VFK1c=","id":null,"x":null,"y":null,
  "lastUpdated":"2021-08-30T12:00:00.123456Z","expired":"2022-01-01T00:00:00Z","chunks":{}}]"#;

fuzz_target!(|data: &[u8]| {
    if let Ok(inflated) = gunzip(data) {
        assert!(inflated.len() <= MAX_DRL_ARCHIVE_BYTES);
        let _ = read_tar(&inflated);
    }
    if let Ok(entries) = read_tar(data) {
        assert!(entries.len() <= MAX_DRL_ARCHIVE_ENTRIES);
        assert!(entries.iter().all(|e| e.data.len() <= MAX_DRL_SLICE_BYTES));
    }
    let kids = parse_lists(LISTS).expect("the seed list parses");
    let partitions = parse_partitions(&kids[0], PARTITIONS).expect("the seed partition parses");
    // An empty partition accepts only an archive without entries.
    if let Ok(slices) = load_partition(&kids[0], &partitions[0], data) {
        assert!(slices.is_empty());
    }
});
