//! `image::decode_qr` on a real picture and on hostile ones: the EU corpus picture of a
//! vaccination DCC (`../shared`, else the demo fixture), the finder-pattern tiling
//! (1000 x 1000, 2 pixels per module, 3,844 patterns), the worst tiling below the candidate
//! bound (720 x 720, 1 pixel per module, 8,100 runs) and one far above it (2048 x 2048).
//!
//! `cargo bench --features image --bench image -- --warm-up-time 1 --measurement-time 3`

#![allow(missing_docs)] // criterion_group! generates an undocumented function

#[path = "../tests/common/pictures.rs"]
mod pictures;

use std::hint::black_box;
use std::path::PathBuf;

use base64::Engine as _;
use criterion::{criterion_group, criterion_main, Criterion};
use dcc_verifier::image::decode_qr;

/// The `2DCODE` picture of dgc-testdata `AT/2DCode/raw/1.json`, or the demo fixture.
fn real_picture() -> (&'static str, Vec<u8>) {
    let base = std::env::var_os("DCC_SHARED_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    let case = base.join("dgc-testdata/AT/2DCode/raw/1.json");
    match std::fs::read_to_string(&case) {
        Ok(json) => {
            let case: serde_json::Value = serde_json::from_str(&json).unwrap();
            let png = base64::engine::general_purpose::STANDARD
                .decode(case["2DCODE"].as_str().unwrap())
                .unwrap();
            ("corpus_at_1", png)
        }
        Err(e) => {
            eprintln!(
                "skipped {}: {e}; benchmarking fixtures/demo/valid.png",
                case.display()
            );
            let demo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo/valid.png");
            ("demo_valid", std::fs::read(demo).unwrap())
        }
    }
}

fn decode(c: &mut Criterion) {
    let (name, real) = real_picture();
    assert!(decode_qr(&real).is_ok());
    let mut group = c.benchmark_group("decode_qr");
    group.sample_size(20);
    group.bench_function(name, |b| b.iter(|| decode_qr(black_box(&real))));
    for (name, picture) in [
        ("finder_tiles_1000px_2", pictures::finder_tiles(1000, 2)),
        ("finder_tiles_720px_1", pictures::finder_tiles(720, 1)),
        ("finder_tiles_2048px_1", pictures::finder_tiles(2048, 1)),
    ] {
        let png = pictures::png(&picture);
        assert!(decode_qr(&png).is_err());
        group.bench_function(name, |b| b.iter(|| decode_qr(black_box(&png))));
    }
    group.finish();
}

criterion_group!(benches, decode);
criterion_main!(benches);
