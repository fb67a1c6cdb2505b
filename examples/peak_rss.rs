//! Peak memory of a verifier as an app holds it: the real DE trust list (832 certificates) plus
//! a 1,000,000-entry EU Bloom filter at p = 1e-6, then one verification. Prints the resident
//! set (VmRSS) after each step and the peak (VmHWM) from /proc/self/status (Linux only).
//!
//! `cargo run --release --example peak_rss [-- path/to/trustlist_de.json]`
//! (default `../shared/trustlists/trustlist_de.json`, or under `$DCC_SHARED_DIR`)

use std::path::PathBuf;

use dcc_verifier::revocation::{BloomFilter, Filter, HashType, RevocationStore, Slice};
use dcc_verifier::{TrustStore, UnixTime, Verifier};
use sha2::{Digest as _, Sha256};

const ENTRIES: u32 = 1_000_000;
const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// `VmRSS` and `VmHWM` in KiB.
fn memory_kib() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status (Linux)");
    let field = |name: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("field in /proc/self/status")
    };
    (field("VmRSS:"), field("VmHWM:"))
}

fn step(label: &str, baseline: u64) {
    let (rss, hwm) = memory_kib();
    println!(
        "{label:<44} VmRSS {rss:>7} KiB (+{:>6} KiB)  VmHWM {hwm:>7} KiB",
        rss.saturating_sub(baseline)
    );
}

fn main() {
    let (baseline, _) = memory_kib();
    step("baseline (process started, nothing loaded)", baseline);
    let path = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            std::env::var_os("DCC_SHARED_DIR")
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from(ROOT).join("../shared"))
                .join("trustlists/trustlist_de.json")
        });
    let de = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let fixtures = std::fs::read(format!("{ROOT}/fixtures/trust/trustlist.json")).unwrap();
    let qr = std::fs::read_to_string(format!(
        "{ROOT}/fixtures/passes/valid-es256-vaccination.txt"
    ))
    .unwrap();
    step(
        &format!("+ inputs read ({} B of DE trust list JSON)", de.len()),
        baseline,
    );

    let mut trust = TrustStore::from_bytes(&de).unwrap();
    let de_keys = trust.len();
    drop(de); // an app drops the downloaded bytes once loaded
    trust.add_bytes(&fixtures).unwrap(); // the signer of the pass verified below
    let verifier = Verifier::new(trust);
    step(
        &format!("+ DE trust list ({de_keys} keys) in a verifier"),
        baseline,
    );

    let mut filter = BloomFilter::new(ENTRIES, 1e-6).unwrap();
    for i in 0..ENTRIES {
        let digest = Sha256::new()
            .chain_update("member")
            .chain_update(i.to_be_bytes())
            .finalize();
        filter.add(&digest[..16]);
    }
    let filter_bytes = filter.bits().div_ceil(8);
    let mut store = RevocationStore::new();
    let all = [HashType::Uci, HashType::CountryCodeUci, HashType::Signature];
    store.add(Slice::new(Filter::Bloom(filter), all, "1M").unwrap());
    let verifier = verifier.with_revocation(store);
    step(
        &format!("+ 1M-entry Bloom filter ({filter_bytes} B)"),
        baseline,
    );

    let now = UnixTime::parse_rfc3339("2021-09-01T00:00:00Z").unwrap();
    let report = verifier.verify(qr.trim_end(), now);
    assert!(report.is_valid(), "{:?}", report.failures());
    step("+ one verification (valid)", baseline);

    let (rss, hwm) = memory_kib();
    println!(
        "peak RSS (VmHWM) {hwm} KiB; baseline {baseline} KiB; peak - baseline {} KiB; now {rss} KiB",
        hwm.saturating_sub(baseline)
    );
}
