//! Arbitrary bytes as the EU distribution service's `/lists` and `/lists/{kid}/partitions`
//! JSON: must never panic; whatever parses keeps its invariants (a hash type at least, one
//! hex digit per coordinate and chunk).
#![no_main]

use dcc_verifier::revocation::drl::{parse_lists, parse_partitions};
use libfuzzer_sys::fuzz_target;

const LISTS: &[u8] = br#"[{"kid":"bMIm/1VFK1c=","mode":"COORDINATE","hashTypes":["UCI"],
  "expires":"2022-01-01T00:00:00Z","lastUpdated":"2021-08-30T12:00:00Z"}]"#;

fuzz_target!(|data: &[u8]| {
    if let Ok(kids) = parse_lists(data) {
        for kid in &kids {
            assert!(!kid.hash_types.is_empty());
            let _ = kid.path_segment();
        }
    }
    let kids = parse_lists(LISTS).expect("the seed list parses");
    if let Ok(partitions) = parse_partitions(&kids[0], data) {
        for partition in &partitions {
            assert!(partition.x.is_some() && partition.y.is_some());
            for &cid in partition.chunks.keys() {
                assert_eq!(partition.prefix(cid).len(), 3);
            }
        }
    }
});
