//! Arbitrary bytes as an EU revocation Bloom filter: must never panic, and a filter that loads
//! must keep its bytes exactly and answer lookups within its bounds.
#![no_main]

use dcc_verifier::revocation::BloomFilter;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(filter) = BloomFilter::from_bytes(data) else {
        return;
    };
    assert_eq!(filter.as_bytes(), data);
    assert!(filter.hash_rounds() >= 1 && filter.bits() >= 32);
    // Elements of several lengths, including the data itself.
    for element in [&data[..0], &data[..data.len().min(16)], data] {
        let _ = filter.might_contain(element);
    }
    let p = filter.false_positive_probability().value();
    assert!((0.0..=1.0).contains(&p));
});
