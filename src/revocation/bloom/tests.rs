//! Unit tests: the index derivation against the big-integer definition, the reference
//! constructors, round trips and hostile headers.
#![allow(clippy::arithmetic_side_effects, clippy::as_conversions)] // test arithmetic on small values

use super::*;
use crate::revocation::{from_hex, to_hex};

#[test]
fn probe_digest_is_sha256_of_element_and_round() {
    let data: Vec<u8> = (0u8..=80).collect();
    for len in 0..=data.len() {
        for round in [0u8, 1, 19, 255] {
            let expected: [u8; 32] = Sha256::new()
                .chain_update(&data[..len])
                .chain_update([round])
                .finalize()
                .into();
            assert_eq!(probe_digest(&data[..len], round), expected, "{len} {round}");
        }
    }
}

fn hex(s: &str) -> Vec<u8> {
    from_hex(s).unwrap()
}

/// The index by the definition: `BigInteger(digest).mod(m)` with a two's-complement digest.
fn reference_index(element: &[u8], round: u8, m: u64) -> u64 {
    let digest = Sha256::new()
        .chain_update(element)
        .chain_update([round])
        .finalize();
    let mut r: u128 = 0;
    for &b in digest.iter() {
        r = (r * 256 + u128::from(b)) % u128::from(m);
    }
    if digest[0] & 0x80 != 0 {
        let mut t: u128 = 1 % u128::from(m);
        for _ in 0..256 {
            t = t * 2 % u128::from(m);
        }
        r = (r + u128::from(m) - t) % u128::from(m);
    }
    u64::try_from(r).unwrap()
}

fn filter_with_bits(words: usize) -> BloomFilter {
    BloomFilter::with_storage(vec![0; 20 + 4 * words], 1, words)
}

#[test]
fn index_is_the_signed_modulus() {
    // SPEC §2.3: element "1", m = 96, round 0 has its top bit set: signed 89, unsigned 57.
    assert_eq!(filter_with_bits(3).index(b"1", 0), 89);
    // dgc-bloomfilter unit tests: calcIndex([0x0b], 1, 100) = 75 and calcIndex([1], 1, 1) = 0
    // (m = 100 and 1 are not multiples of 32: checked through the reference formula).
    assert_eq!(reference_index(&[0x0b], 1, 100), 75);
    assert_eq!(reference_index(&[0x01], 1, 1), 0);
    for words in [1, 3, 7, 674, 898_601, MAX_BLOOM_WORDS] {
        let filter = filter_with_bits(words);
        for element in [&b""[..], b"1", b"abc", &[0xff; 16]] {
            for round in [0, 1, 29, 126] {
                assert_eq!(
                    filter.index(element, round),
                    reference_index(element, round, 32 * words as u64),
                    "words {words} round {round}"
                );
            }
        }
    }
}

#[test]
fn spec_server_style_slice() {
    // SPEC §2.6: the UCI of the DE vaccination in a slice for n = 1, p = 1e-12f.
    let mut filter = BloomFilter::new(1, 1e-12).unwrap();
    assert_eq!((filter.hash_rounds(), filter.bits()), (44, 64));
    let uci = hex("54a90383b0e792489835caec8befd2a4");
    filter.add(&uci);
    assert_eq!(
        to_hex(filter.as_bytes()),
        "00012c002b8cbccc000000010000000100000002521233583".to_owned() + "7e67fe9"
    );
    assert!(filter.might_contain(&uci));
    assert!(!filter.might_contain(&hex("b80307723714cb7cd9a653a0bc56c89d")));
}

#[test]
fn reference_constructor_geometry() {
    // dgc-bloomfilter unit tests: (n = 10000, p = 1e-5) gives k = 17, m = 239,680; (1, 1.0)
    // serializes to 24 bytes; p = 0.125 has as many words as p = 1.0 for n = 1.
    let f = BloomFilter::new(10_000, 1e-5).unwrap();
    assert_eq!((f.hash_rounds(), f.bits()), (17, 239_680));
    assert_eq!(BloomFilter::new(1, 1.0).unwrap().as_bytes().len(), 24);
    assert_eq!(
        BloomFilter::new(1, 0.125).unwrap().bits(),
        BloomFilter::new(1, 1.0).unwrap().bits()
    );
    // PERF-ANCHORS: n = 1,000,000 at p = 1e-6 is 3,594,404 data bytes, k = 20.
    let big = BloomFilter::new(1_000_000, 1e-6).unwrap();
    assert_eq!((big.hash_rounds(), big.as_bytes().len()), (20, 3_594_424));
}

#[test]
fn size_constructor_basic_blocks() {
    // runBasicBloom: BloomFilterImpl(1, 1, 1) + add(0005212c): one word, MIN_VALUE >>> 26.
    let mut f = BloomFilter::with_size(1, 1, 1).unwrap();
    f.add(&hex("0005212c"));
    assert_eq!(&f.as_bytes()[20..], &(0x8000_0000u32 >> 26).to_be_bytes());
    assert!(f.might_contain(&hex("0005212c")) && !f.might_contain(&hex("0005582c")));
    // runDifferentByteSizeBlock: BloomFilterImpl(8, 1, 1): two words, the bit in word 1.
    let mut f = BloomFilter::with_size(8, 1, 1).unwrap();
    f.add(&hex("0005212c"));
    let index = reference_index(&hex("0005212c"), 0, 64);
    let long = (0x8000_0000_0000_0000u64 >> index).to_be_bytes();
    assert_eq!(f.bits(), 64);
    assert_eq!(&f.as_bytes()[24..28], &long[4..]);
}

#[test]
fn round_trip() {
    let mut f = BloomFilter::new(500, 1e-9).unwrap();
    for e in [&b"a"[..], b"bc", &[0xff; 16]] {
        f.add(e);
    }
    let back = BloomFilter::from_bytes(f.as_bytes()).unwrap();
    assert_eq!(back, f);
    assert_eq!(back.count(), 3);
    assert_eq!(back.capacity(), 500);
    assert_eq!(back.target_probability(), 1e-9);
    assert!(back.might_contain(b"bc") && !back.might_contain(b"b"));
    assert_eq!(BloomFilter::from_vec(f.clone().into_bytes()).unwrap(), f);
}

#[test]
fn hostile_headers_are_rejected() {
    let good = BloomFilter::new(10, 1e-3).unwrap().into_bytes();
    let with = |offset: usize, bytes: &[u8]| {
        let mut b = good.clone();
        b[offset..offset + bytes.len()].copy_from_slice(bytes);
        b
    };
    let words = |w: i32| with(16, &w.to_be_bytes());
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (vec![], "empty"),
        (good[..19].to_vec(), "truncated header"),
        (good[..good.len() - 1].to_vec(), "truncated data"),
        ([good.clone(), vec![0]].concat(), "trailing byte"),
        (with(0, &[0, 2]), "version 2"),
        (with(0, &[1, 0]), "version 256"),
        (with(2, &[0]), "k = 0"),
        (with(2, &[0x80]), "k = -128"),
        (with(3, &[1]), "hash function 1"),
        (words(0), "L = 0"),
        (words(-1), "L = -1"),
        (words(i32::MAX), "L = 2^31 - 1"),
        (words(MAX_BLOOM_WORDS as i32 + 1), "L above the bound"),
    ];
    for (blob, why) in cases {
        let err = BloomFilter::from_bytes(&blob).expect_err(why);
        assert!(!err.to_string().is_empty(), "{why}");
    }
    assert!(matches!(
        BloomFilter::from_bytes(&with(2, &[0])),
        Err(RevocationError::InvalidHashRounds { k: 0, .. })
    ));
}

#[test]
fn unbuildable_parameters_are_rejected() {
    assert!(BloomFilter::new(0, 0.1).is_err());
    assert!(BloomFilter::new(10, 0.0).is_err());
    assert!(BloomFilter::new(10, 1.5).is_err());
    assert!(BloomFilter::new(10, f32::NAN).is_err());
    assert!(matches!(
        BloomFilter::new(100_000_000, 1e-12),
        Err(RevocationError::InvalidSize { .. })
    ));
    assert!(matches!(
        BloomFilter::new(1, 1e-45),
        Err(RevocationError::InvalidHashRounds { .. })
    ));
    assert!(BloomFilter::with_size(0, 1, 1).is_err());
    assert!(BloomFilter::with_size(4, 0, 1).is_err());
}

#[test]
fn false_positive_probability_from_fill() {
    let mut f = BloomFilter::with_size(4, 2, 1).unwrap();
    assert_eq!(f.false_positive_probability().value(), 0.0);
    f.add(b"x");
    let set = f.as_bytes()[20..]
        .iter()
        .map(|b| b.count_ones())
        .sum::<u32>();
    let expected = (f64::from(set) / 32.0).powi(2);
    assert_eq!(f.false_positive_probability().value(), expected);
}
