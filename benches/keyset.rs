//! Start-up: the German trust list (832 DSCs, 4 MB of JSON) loaded into a ready verifier, and
//! the same keys from a compact key set, unsigned and signed with the publisher key pinned.
//! Without ../shared the German list is skipped and the fixtures' trust list stands in.
//!
//! `cargo bench --bench keyset -- --warm-up-time 1 --measurement-time 3`

#![allow(missing_docs)] // criterion_group! generates an undocumented function

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion};
use dcc_verifier::crypto::PublicKey;
use dcc_verifier::trust::keyset::KeySet;
use dcc_verifier::{TrustStore, UnixTime, Verifier};
use p256::ecdsa::SigningKey;

fn trust_input() -> (&'static str, Vec<u8>) {
    let base = std::env::var_os("DCC_SHARED_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    let de = base.join("trustlists/trustlist_de.json");
    match std::fs::read(&de) {
        Ok(bytes) => ("de_832", bytes),
        Err(e) => {
            eprintln!(
                "skipped the German list: {} ({e}); benchmarking fixtures/trust/trustlist.json",
                de.display()
            );
            let fixture =
                PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/trust/trustlist.json");
            ("fixtures", std::fs::read(fixture).unwrap())
        }
    }
}

fn startup(c: &mut Criterion) {
    let (name, json) = trust_input();
    let store = TrustStore::from_bytes(&json).unwrap();
    let issued = UnixTime::from_secs(1_700_000_000);
    let publisher = SigningKey::from_slice(&[7; 32]).unwrap();
    let pin = PublicKey::EcP256(*publisher.verifying_key());
    let unsigned = KeySet::build(&store, issued, None).unwrap();
    let signed = KeySet::build(&store, issued, Some(&publisher)).unwrap();
    eprintln!(
        "{name}: {} keys; JSON {} bytes, key set {} bytes ({} signed)",
        store.len(),
        json.len(),
        unsigned.len(),
        signed.len()
    );

    let mut group = c.benchmark_group(format!("startup_{name}"));
    group.bench_function("trust_list_json", |b| {
        b.iter(|| Verifier::new(TrustStore::from_bytes(black_box(&json)).unwrap()))
    });
    group.bench_function("keyset_unsigned", |b| {
        b.iter(|| Verifier::new(TrustStore::from_bytes(black_box(&unsigned)).unwrap()))
    });
    group.bench_function("keyset_signed_pinned", |b| {
        b.iter(|| {
            let mut store = TrustStore::new();
            store.add_pinned_key_set(black_box(&signed), &pin).unwrap();
            Verifier::new(store)
        })
    });
    group.finish();
}

criterion_group!(benches, startup);
criterion_main!(benches);
