//! Revocation speed: a 1,000,000-hash EU Bloom filter at p = 1e-6 (3.4 MiB), loaded from its
//! serialized bytes and queried for members and non-members; the revocation hashes of one
//! certificate; and a whole verification with and without that filter.
//!
//! `cargo bench --bench revocation -- --warm-up-time 1 --measurement-time 3`

#![allow(missing_docs)] // criterion_group! generates an undocumented function

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use dcc_verifier::crypto::Algorithm;
use dcc_verifier::revocation::{
    BloomFilter, CertificateHashes, Filter, HashType, RevocationStore, Slice,
};
use dcc_verifier::{TrustStore, UnixTime, Verifier};
use sha2::{Digest as _, Sha256};

const ENTRIES: u32 = 1_000_000;

/// Deterministic 16-byte "revocation hashes": SHA-256 of a tag and a counter, truncated.
fn hash(tag: &str, i: u32) -> [u8; 16] {
    let digest = Sha256::new()
        .chain_update(tag)
        .chain_update(i.to_be_bytes())
        .finalize();
    digest[..16].try_into().unwrap()
}

fn filter_bytes() -> Vec<u8> {
    let mut filter = BloomFilter::new(ENTRIES, 1e-6).unwrap();
    for i in 0..ENTRIES {
        filter.add(&hash("member", i));
    }
    filter.into_bytes()
}

fn bloom(c: &mut Criterion, bytes: &[u8]) {
    let filter = BloomFilter::from_bytes(bytes).unwrap();
    eprintln!(
        "filter: {} bytes, m = {} bits, k = {}",
        bytes.len(),
        filter.bits(),
        filter.hash_rounds()
    );
    let members: Vec<[u8; 16]> = (0..1024).map(|i| hash("member", i * 977)).collect();
    let others: Vec<[u8; 16]> = (0..1024).map(|i| hash("other", i)).collect();
    assert!(members.iter().all(|m| filter.might_contain(m)));

    let mut group = c.benchmark_group("bloom_1M_p1e-6");
    group.bench_function("load_from_bytes_one_copy", |b| {
        b.iter(|| BloomFilter::from_bytes(black_box(bytes)).unwrap())
    });
    group.bench_function("load_from_vec_no_copy", |b| {
        b.iter_batched(
            || bytes.to_vec(),
            |v| BloomFilter::from_vec(black_box(v)).unwrap(),
            BatchSize::LargeInput,
        )
    });
    let mut i = 0usize;
    group.bench_function("lookup_member", |b| {
        b.iter(|| {
            i = (i + 1) % members.len();
            filter.might_contain(black_box(&members[i]))
        })
    });
    let mut i = 0usize;
    group.bench_function("lookup_non_member", |b| {
        b.iter(|| {
            i = (i + 1) % others.len();
            filter.might_contain(black_box(&others[i]))
        })
    });
    group.finish();
}

fn hashes(c: &mut Criterion) {
    let signature = [0x5a; 64];
    c.bench_function("certificate_hashes_es256", |b| {
        b.iter(|| {
            CertificateHashes::compute(
                Some(Algorithm::Es256),
                black_box(&signature),
                Some("DE"),
                [(
                    Some("DE"),
                    black_box("URN:UVCI:01DE/A42234539/43CUH2UMZUJW382VP58G2Q#F"),
                )],
            )
        })
    });
}

fn verify(c: &mut Criterion, bytes: &[u8]) {
    let root = env!("CARGO_MANIFEST_DIR");
    let trust = std::fs::read(format!("{root}/fixtures/trust/trustlist.json")).unwrap();
    let qr = std::fs::read_to_string(format!(
        "{root}/fixtures/passes/valid-es256-vaccination.txt"
    ))
    .unwrap();
    let qr = qr.trim_end();
    let now = UnixTime::parse_rfc3339("2021-09-01T00:00:00Z").unwrap();
    let plain = Verifier::new(TrustStore::from_bytes(&trust).unwrap());
    let mut store = RevocationStore::new();
    let filter = Filter::Bloom(BloomFilter::from_bytes(bytes).unwrap());
    let all = [HashType::Uci, HashType::CountryCodeUci, HashType::Signature];
    store.add(Slice::new(filter, all, "1M").unwrap());
    let revoking = plain.clone().with_revocation(store);
    assert!(revoking.verify(qr, now).is_valid());

    let mut group = c.benchmark_group("verify_es256");
    group.bench_function("without_revocation", |b| {
        b.iter(|| plain.verify(black_box(qr), now))
    });
    group.bench_function("with_1M_bloom_filter", |b| {
        b.iter(|| revoking.verify(black_box(qr), now))
    });
    group.finish();
}

fn benches(c: &mut Criterion) {
    let bytes = filter_bytes();
    bloom(c, &bytes);
    hashes(c);
    verify(c, &bytes);
}

criterion_group!(revocation, benches);
criterion_main!(revocation);
