//! Every file under `../shared/revocation/vectors` (upstream EU test vectors and the reference
//! checker's derived slices), each checked byte for byte. A file this test does not know fails
//! it, so that no vector is silently skipped.

mod common;

use std::path::{Path, PathBuf};

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use dcc_verifier::danger;
use dcc_verifier::revocation::{from_hex, to_hex, BloomFilter, HashList, HashType, PartitionMode};
use serde_json::Value;
use sha2::{Digest as _, Sha256};

fn load(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn hex(text: &str) -> Vec<u8> {
    from_hex(text).unwrap_or_else(|| panic!("not hex: {text}"))
}

fn bytes_of(value: &Value) -> Vec<u8> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|b| u8::try_from(b.as_u64().unwrap()).unwrap())
        .collect()
}

fn f32_of(value: &Value) -> f32 {
    value.as_f64().unwrap() as f32
}

fn u32_of(value: &Value) -> u32 {
    u32::try_from(value.as_u64().unwrap()).unwrap()
}

/// The data words as Java's `AtomicIntegerArray.toString()` prints them.
fn java_words(filter: &BloomFilter) -> String {
    let words: Vec<String> = filter.as_bytes()[20..]
        .chunks_exact(4)
        .map(|w| i32::from_be_bytes(w.try_into().unwrap()).to_string())
        .collect();
    format!("[{}]", words.join(", "))
}

/// A file of 4 cases: build (n = len(data), p), add the written items, compare the words and
/// the lookups; then round-trip through the binary format.
fn filter_test(path: &Path) -> usize {
    let mut checks = 0;
    for (i, case) in load(path).as_array().unwrap().iter().enumerate() {
        let data: Vec<&str> = case["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d.as_str().unwrap())
            .collect();
        let written: Vec<u64> = case["written"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w.as_u64().unwrap())
            .collect();
        let n = u32::try_from(data.len()).unwrap();
        let mut filter = BloomFilter::new(n, f32_of(&case["p"])).unwrap();
        for (d, w) in data.iter().zip(&written) {
            if *w == 1 {
                filter.add(d.as_bytes());
            }
        }
        let expected = String::from_utf8(BASE64.decode(case["filter"].as_str().unwrap()).unwrap());
        assert_eq!(
            java_words(&filter),
            expected.unwrap(),
            "{} case {i}",
            path.display()
        );
        let exists: Vec<&str> = data
            .iter()
            .map(|d| {
                if filter.might_contain(d.as_bytes()) {
                    "1"
                } else {
                    "0"
                }
            })
            .collect();
        assert_eq!(
            format!("[{}]", exists.join(", ")),
            case["exists"].as_str().unwrap()
        );
        let back = BloomFilter::from_bytes(filter.as_bytes()).unwrap();
        assert_eq!(back.as_bytes(), filter.as_bytes());
        checks += 2;
    }
    checks
}

/// Files kept upstream from a pre-release algorithm (bit-per-int arrays): SPEC §6.21 says none
/// reproduces with the final one, and that is checked so a change in them is noticed.
fn legacy(path: &Path) -> usize {
    let cases = load(path);
    for case in cases.as_array().unwrap() {
        let data: Vec<&str> = case["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d.as_str().unwrap())
            .collect();
        let mut filter =
            BloomFilter::new(u32::try_from(data.len()).unwrap(), f32_of(&case["p"])).unwrap();
        for (d, w) in data.iter().zip(case["written"].as_array().unwrap()) {
            if w.as_u64() == Some(1) {
                filter.add(d.as_bytes());
            }
        }
        let words = BASE64.encode(java_words(&filter));
        assert_ne!(
            words,
            case["filter"].as_str().unwrap(),
            "legacy case reproduces?"
        );
    }
    1
}

fn unit_constants(path: &Path) -> usize {
    let v = load(path);
    let mut checks = 0;
    for c in v["sha256_seed"].as_array().unwrap() {
        let mut input = hex(c["element_hex"].as_str().unwrap());
        input.push(u8::try_from(c["seed"].as_u64().unwrap()).unwrap());
        let digest = BASE64.encode(Sha256::digest(&input));
        assert_eq!(digest, c["sha256_base64"].as_str().unwrap());
        checks += 1;
    }
    // calcIndex(element, i, m) for m = 100 and 1, which are not filter sizes (32 L bits): a
    // filter of m words has 32 m bits, a multiple of m, so its index reduced mod m is the
    // signed residue mod m.
    for c in v["calcIndex"].as_array().unwrap() {
        let element = hex(c["element_hex"].as_str().unwrap());
        let round = u8::try_from(c["i"].as_u64().unwrap()).unwrap();
        let m = u32_of(&c["m"]);
        let index = set_bit_of_round(&element, round, m);
        assert_eq!(index % m, u32_of(&c["index"]), "calcIndex {c}");
        checks += 1;
    }
    let c = &v["basic"][0];
    let mut filter = BloomFilter::with_size(
        u32_of(&c["size"]),
        u8::try_from(c["k"].as_u64().unwrap()).unwrap(),
        u32_of(&c["n"]),
    )
    .unwrap();
    filter.add(&hex(c["add_hex"][0].as_str().unwrap()));
    let shift = c["expect_word0_equals_int_min_ushr"].as_u64().unwrap();
    assert_eq!(
        filter.as_bytes()[20..],
        (0x8000_0000u32 >> shift).to_be_bytes()
    );
    assert!(filter.might_contain(&hex(c["contains_hex"][0].as_str().unwrap())));
    assert!(!filter.might_contain(&hex(c["not_contains_hex"][0].as_str().unwrap())));
    checks += 1;
    let c = &v["different_block"][0];
    let mut filter = BloomFilter::with_size(
        u32_of(&c["size"]),
        u8::try_from(c["k"].as_u64().unwrap()).unwrap(),
        u32_of(&c["n"]),
    )
    .unwrap();
    let element = hex(c["add_hex"][0].as_str().unwrap());
    filter.add(&element);
    let index = set_bit_of_round(&element, 0, 2);
    let long = (0x8000_0000_0000_0000u64 >> index).to_be_bytes();
    assert_eq!(
        filter.as_bytes()[24..28],
        long[4..],
        "data[1] as the low half of the long"
    );
    checks += 1;
    for c in v["ctor_np"].as_array().unwrap() {
        let filter = BloomFilter::new(u32_of(&c["n"]), f32_of(&c["p_float32"])).unwrap();
        if let Some(k) = c.get("expect_k") {
            assert_eq!(u64::from(filter.hash_rounds()), k.as_u64().unwrap());
            assert_eq!(u64::from(filter.bits()), c["expect_m"].as_u64().unwrap());
        }
        if let Some(len) = c.get("expect_serialized_len") {
            assert_eq!(filter.as_bytes().len() as u64, len.as_u64().unwrap());
        }
        if let Some(other) = c.get("expect_same_words_as") {
            let other = BloomFilter::new(u32_of(&other["n"]), f32_of(&other["p_float32"])).unwrap();
            assert_eq!(filter.bits(), other.bits());
        }
        checks += 1;
    }
    checks
}

/// The index a single-round filter of `words` words sets for `element` at `round`, found
/// through the public API: build a one-round filter and read the one bit set. Since the seed
/// byte is appended by the filter, the round is selected by building with k = round + 1 and
/// diffing against k = round.
fn set_bit_of_round(element: &[u8], round: u8, words: u32) -> u32 {
    let bits_after = |k: u8| -> Vec<u8> {
        if k == 0 {
            return vec![0; 4 * words as usize];
        }
        let mut f = BloomFilter::with_size(4 * words, k, 1).unwrap();
        f.add(element);
        f.as_bytes()[20..].to_vec()
    };
    // With k rounds the bits of rounds 0..k are set; a new bit that appears going from k to
    // k + 1 is round k's (if round k hits an already-set bit, any set bit of it is fine since
    // indices of distinct rounds that collide are equal).
    let (before, after) = (bits_after(round), bits_after(round + 1));
    let filter = |bytes: &[u8]| -> Vec<u32> {
        (0..words * 32)
            .filter(|i| bytes[(i / 8) as usize] & (0x80 >> (i % 8)) != 0)
            .collect()
    };
    let new: Vec<u32> = filter(&after)
        .into_iter()
        .filter(|i| !filter(&before).contains(i))
        .collect();
    match new.as_slice() {
        [index] => *index,
        [] => panic!("round {round} collided with an earlier round; pick another test"),
        _ => unreachable!(),
    }
}

fn byte_stream(path: &Path) -> usize {
    let v = load(path);
    let raw = BASE64
        .decode(v["serialized_base64"].as_str().unwrap())
        .unwrap();
    assert_eq!(raw.len() as u64, v["serialized_length"].as_u64().unwrap());
    let filter = BloomFilter::from_bytes(&raw).unwrap();
    let e = &v["expect"];
    assert_eq!(u64::from(filter.hash_rounds()), e["k"].as_u64().unwrap());
    assert_eq!(i64::from(filter.capacity()), e["n"].as_i64().unwrap());
    assert_eq!(i64::from(filter.count()), e["current"].as_i64().unwrap());
    assert_eq!(u64::from(filter.bits()), 32 * e["words"].as_u64().unwrap());
    assert_eq!(
        filter.target_probability(),
        f32_of(&e["p_bits_equal_float32_of"])
    );
    assert_eq!(raw[3], 0, "usedHashFunction");
    for x in e["mightContain_true"].as_array().unwrap() {
        assert!(filter.might_contain(&bytes_of(x)));
    }
    for x in e["mightContain_false"].as_array().unwrap() {
        assert!(!filter.might_contain(&bytes_of(x)));
    }
    let c = &v["construct"];
    let mut rebuilt = BloomFilter::new(u32_of(&c["n"]), f32_of(&c["p_float32"])).unwrap();
    for x in c["added"].as_array().unwrap() {
        rebuilt.add(&bytes_of(x));
    }
    assert_eq!(rebuilt.as_bytes(), raw.as_slice(), "byte-identical rebuild");
    // The reference checker's hostile variants of this blob.
    let hostile = [
        raw[..raw.len() - 1].to_vec(),
        [raw.clone(), vec![0]].concat(),
        [&raw[..3], &[1], &raw[4..]].concat(),
        [&[0, 2], &raw[2..]].concat(),
        [&raw[..2], &[0], &raw[3..]].concat(),
    ];
    for blob in hostile {
        assert!(BloomFilter::from_bytes(&blob).is_err());
    }
    4
}

fn partition_mode(name: &str) -> PartitionMode {
    match name {
        "POINT" => PartitionMode::Point,
        "VECTOR" => PartitionMode::Vector,
        "COORDINATE" => PartitionMode::Coordinate,
        other => panic!("unknown mode {other}"),
    }
}

/// The x / y / chunk coordinates of a hash in a partition mode (SPEC §4.1).
fn coordinates(hash: &[u8], mode: &str) -> (Option<char>, Option<char>, char) {
    let h: Vec<char> = to_hex(hash).chars().collect();
    match mode {
        "POINT" => (None, None, h[0]),
        "VECTOR" => (Some(h[0]), None, h[1]),
        _ => (Some(h[0]), Some(h[1]), h[2]),
    }
}

fn pvhf(path: &Path) -> usize {
    let v = load(path);
    let mut checks = 0;
    for c in v["parse_roundtrip"].as_array().unwrap() {
        let raw = hex(c["hex"].as_str().unwrap());
        let list = HashList::from_bytes(&raw).unwrap();
        for h in c["mightContain_true"].as_array().unwrap() {
            assert!(list.might_contain(&hex(h.as_str().unwrap())));
        }
        assert_eq!(list.to_bytes(), raw, "round trip {}", c["origin"]);
        checks += 2;
    }
    for c in v["construct"].as_array().unwrap() {
        let p = f32_of(&c["p_float32"]);
        let n = u32_of(&c["n"]);
        let size = HashList::entry_size(
            u8::try_from(c["minSize"].as_u64().unwrap()).unwrap(),
            partition_mode(c["offset"].as_str().unwrap()),
            n,
            p,
        )
        .unwrap();
        let added: Vec<Vec<u8>> = c["add"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| hex(h.as_str().unwrap()))
            .collect();
        let list = HashList::from_hashes(
            size,
            i32::try_from(n).unwrap(),
            p,
            added.iter().map(Vec::as_slice),
        )
        .unwrap();
        let out = list.to_bytes();
        if let Some(expected) = c.get("expect_hex") {
            assert_eq!(to_hex(&out), expected.as_str().unwrap());
        }
        if let Some(len) = c.get("expect_len") {
            assert_eq!(out.len() as u64, len.as_u64().unwrap());
        }
        if let Some(expected) = c.get("expect_size") {
            assert_eq!(u64::from(size), expected.as_u64().unwrap());
        }
        if let Some(values) = c.get("expect_sorted_values") {
            // Java keeps BigInteger values, sorted as signed numbers.
            let got: Vec<i128> = out[11..]
                .chunks_exact(usize::from(size))
                .map(|e| {
                    let mut v: i128 = if e[0] & 0x80 != 0 { -1 } else { 0 };
                    for &b in e {
                        v = (v << 8) | i128::from(b);
                    }
                    v
                })
                .collect();
            let want: Vec<i128> = values
                .as_array()
                .unwrap()
                .iter()
                .map(|x| i128::from(x.as_i64().unwrap()))
                .collect();
            assert_eq!(got, want);
        }
        let back = HashList::from_bytes(&out).unwrap();
        assert!(added.iter().all(|h| back.might_contain(h)));
        checks += 2;
    }
    for c in v["size_calc"].as_array().unwrap() {
        let size = HashList::entry_size(
            u8::try_from(c["minSize"].as_u64().unwrap()).unwrap(),
            partition_mode(c["offset"].as_str().unwrap()),
            u32_of(&c["n"]),
            f32_of(&c["p_float32"]),
        )
        .unwrap();
        assert_eq!(
            u64::from(size),
            c["expect_size"].as_u64().unwrap(),
            "{}",
            c["origin"]
        );
        checks += 1;
    }
    for c in v["android_slices"].as_array().unwrap() {
        let list = HashList::from_bytes(&hex(c["slice_hex"].as_str().unwrap())).unwrap();
        let hash = hex(c["hash"].as_str().unwrap());
        assert!(list.might_contain(&hash), "{}", c["test"]);
        let (x, y, cid) = coordinates(&hash, c["mode"].as_str().unwrap());
        let quoted = |o: Option<char>| o.map_or("null".to_string(), |ch| format!("'{ch}'"));
        assert_eq!(quoted(x), c["x"].as_str().unwrap());
        assert_eq!(quoted(y), c["y"].as_str().unwrap());
        assert_eq!(cid.to_string(), c["cid"].as_str().unwrap());
        checks += 1;
    }
    // Negative lookups on the first blob: below the smallest entry, above the largest (where
    // the Java reader reads past its array), in between, and shorter than an entry.
    let list =
        HashList::from_bytes(&hex(v["parse_roundtrip"][0]["hex"].as_str().unwrap())).unwrap();
    for probe in ["ffff", "0000", "7fff", "0505", "03"] {
        assert!(!list.might_contain(&hex(probe)), "{probe}");
    }
    checks + 1
}

fn cwa_hashes(path: &Path) -> usize {
    let mut checks = 0;
    for case in load(path).as_array().unwrap() {
        let hashes = danger::revocation_hashes(case["barcodeData"].as_str().unwrap()).unwrap();
        for (hash_type, key) in [
            (HashType::Uci, "expUCI"),
            (HashType::CountryCodeUci, "expCOUNTRYCODEUCI"),
            (HashType::Signature, "expSIGNATURE"),
        ] {
            let got: Vec<String> = hashes.of_type(hash_type).map(to_hex).collect();
            assert_eq!(
                got,
                [case[key].as_str().unwrap()],
                "{} {hash_type}",
                case["description"]
            );
            checks += 1;
        }
    }
    checks
}

fn e2e_slices(path: &Path) -> usize {
    let mut checks = 0;
    for case in load(path)["cases"].as_array().unwrap() {
        let hash = hex(case["hash_hex"].as_str().unwrap());
        let mut bloom = BloomFilter::new(1, 1e-12).unwrap();
        bloom.add(&hash);
        let bloom_hex = case["bloom_slice_n1_p1e-12_hex"].as_str().unwrap();
        assert_eq!(to_hex(bloom.as_bytes()), bloom_hex);
        assert_eq!(
            u64::from(bloom.hash_rounds()),
            case["bloom_k"].as_u64().unwrap()
        );
        assert_eq!(u64::from(bloom.bits()), case["bloom_m"].as_u64().unwrap());
        assert_eq!(
            to_hex(&Sha256::digest(bloom.as_bytes())),
            case["bloom_slice_sha256_sid"].as_str().unwrap()
        );
        let parsed = BloomFilter::from_bytes(&hex(bloom_hex)).unwrap();
        assert!(parsed.might_contain(&hash));
        assert!(!parsed.might_contain(&Sha256::digest(b"not revoked")[..16]));

        let size = HashList::entry_size(4, PartitionMode::Coordinate, 1, 1e-12).unwrap();
        let list = HashList::from_hashes(size, 1, 1e-12, [hash.as_slice()]).unwrap();
        let list_hex = case["varhashlist_slice_n1_p1e-12_minsize4_hex"]
            .as_str()
            .unwrap();
        assert_eq!(to_hex(&list.to_bytes()), list_hex);
        assert_eq!(
            to_hex(&Sha256::digest(list.to_bytes())),
            case["varhashlist_slice_sha256_sid"].as_str().unwrap()
        );
        assert!(HashList::from_bytes(&hex(list_hex))
            .unwrap()
            .might_contain(&hash));
        for (mode, coords) in case["coords"].as_object().unwrap() {
            let (x, y, cid) = coordinates(&hash, mode);
            let text = |o: Option<char>| o.map_or(Value::Null, |c| Value::from(c.to_string()));
            assert_eq!(text(x), coords["x"]);
            assert_eq!(text(y), coords["y"]);
            assert_eq!(Value::from(cid.to_string()), coords["chunk"]);
        }
        checks += 3;
    }
    checks
}

fn e2e_multi_slice(path: &Path) -> usize {
    let v = load(path);
    let added: Vec<Vec<u8>> = v["added_hex"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| hex(h.as_str().unwrap()))
        .collect();
    let mut filter = BloomFilter::new(u32_of(&v["n"]), f32_of(&v["p_float32"])).unwrap();
    for h in &added {
        filter.add(h);
    }
    assert_eq!(u64::from(filter.hash_rounds()), v["k"].as_u64().unwrap());
    assert_eq!(u64::from(filter.bits()), v["m"].as_u64().unwrap());
    assert_eq!(
        to_hex(filter.as_bytes()),
        v["serialized_hex"].as_str().unwrap()
    );
    assert_eq!(
        to_hex(&Sha256::digest(filter.as_bytes())),
        v["sid_sha256"].as_str().unwrap()
    );
    for h in v["non_members_sample_hex"].as_array().unwrap() {
        assert!(!filter.might_contain(&hex(h.as_str().unwrap())));
    }
    // SPEC §7: 0 of 1,000 random non-members.
    for i in 0..1000 {
        assert!(!filter.might_contain(&Sha256::digest(format!("x{i}"))[..16]));
    }
    3
}

fn android_bf(path: &Path) -> usize {
    let mut checks = 0;
    for case in load(path)["cases"].as_array().unwrap() {
        let hash = hex(case["hash_hex"].as_str().unwrap());
        let mut filter = BloomFilter::with_size(1, 1, 1).unwrap();
        filter.add(&hash);
        let expected = case["serialized_hex"].as_str().unwrap();
        assert_eq!(to_hex(filter.as_bytes()), expected);
        assert!(BloomFilter::from_bytes(&hex(expected))
            .unwrap()
            .might_contain(&hash));
        checks += 1;
    }
    checks
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files(&path));
        } else {
            out.push(path);
        }
    }
    out.sort();
    out
}

#[test]
fn every_revocation_vector() {
    let Some(dir) = common::shared_dir("revocation/vectors") else {
        return;
    };
    let mut checks = 0;
    for path in files(&dir) {
        let rel = path
            .strip_prefix(&dir)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let n = match rel.as_str() {
            "README.md" | "dgc-bloomfilter/test-template.jsonc" => 0, // documentation, template
            "dgc-bloomfilter/filter-test.json"
            | "dgc-bloomfilter-ios/filter-test.json"
            | "dgca-verifier-app-android/filter-test.json" => filter_test(&path),
            "dgc-bloomfilter/testcase1.json"
            | "dgc-bloomfilter-ios/filter-testdata.json"
            | "dgca-verifier-app-android/testcase1.json" => legacy(&path),
            "dgc-bloomfilter/unit-test-constants.json" => unit_constants(&path),
            "dgc-bloomfilter-ios/testByteStream-vector.json" => byte_stream(&path),
            "dgca-partialvarhashfilter/pvhf-vectors.json" => pvhf(&path),
            "cwa-app-android/RevocationCalculationSampleData.json" => cwa_hashes(&path),
            "derived/e2e-slices.json" => e2e_slices(&path),
            "derived/e2e-multi-slice.json" => e2e_multi_slice(&path),
            "derived/android-bf-1-1-1.json" => android_bf(&path),
            other => panic!("unknown vector file {other}: add a check for it"),
        };
        eprintln!("{rel}: {n} checks");
        checks += n;
    }
    eprintln!("{checks} revocation vector checks passed");
    assert!(checks > 60);
}
