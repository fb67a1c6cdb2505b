//! Arbitrary bytes as an EU partial variable hash list, and as a hex-lines blocklist: must
//! never panic; a list that loads must serialize to a list with the same entries.
#![no_main]

use dcc_verifier::revocation::{Blocklist, HashList};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(list) = HashList::from_bytes(data) {
        let again = HashList::from_bytes(&list.to_bytes()).expect("own output loads");
        assert_eq!(again, list);
        for probe in [&data[..0], &data[..data.len().min(16)], data] {
            assert_eq!(list.might_contain(probe), again.might_contain(probe));
        }
        let p = list.false_positive_probability(3).value();
        assert!((0.0..=1.0).contains(&p));
    }
    if let Ok(list) = Blocklist::from_hex_lines(data) {
        let _ = list.contains(data);
    }
});
