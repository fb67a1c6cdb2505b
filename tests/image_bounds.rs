//! Hostile pictures through `image::decode_qr`: each one ends in a precise error, never a panic
//! or an unbounded search, and the bounds in `limits.rs` do not cost a readable code its
//! reading. The pictures are made in code (`common/pictures.rs`); their timings are in
//! `benches/image.rs` (`cargo bench --features image --bench image`), not here.
#![cfg(feature = "image")]

mod common;
#[path = "common/pictures.rs"]
mod pictures;

use common::fixture;
use dcc_verifier::image::{decode_qr, ImageError};
use dcc_verifier::limits::{MAX_DECODE_PIXELS, MAX_IMAGE_PIXELS, MAX_QR_FINDER_HITS};
use image::{imageops, GrayImage, Luma};

fn demo_qr() -> (GrayImage, String) {
    let png = std::fs::read(fixture("demo/valid.png")).unwrap();
    let text = std::fs::read_to_string(fixture("demo/valid.txt")).unwrap();
    let picture = image::load_from_memory(&png).unwrap().into_luma8();
    (picture, text.trim_end().to_owned())
}

/// The finder-pattern tiling at 1 pixel per module: 15,625 patterns, far more finder-like runs
/// than the bound, so the QR search is not even started (rqrr 0.9 panicked on this picture:
/// "assertion failed: scan >= 1").
#[test]
fn finder_pattern_tiling_is_refused_by_the_candidate_bound() {
    let png = pictures::png(&pictures::finder_tiles(1000, 1));
    assert_eq!(
        decode_qr(&png),
        Err(ImageError::TooManyCandidates {
            limit: MAX_QR_FINDER_HITS
        })
    );
    // The same at the largest size the detectors see (65,536 patterns: rxing's own search took
    // 10 s on it).
    let side = u32::try_from(MAX_DECODE_PIXELS.isqrt()).unwrap();
    let png = pictures::png(&pictures::finder_tiles(side, 1));
    assert_eq!(
        decode_qr(&png),
        Err(ImageError::TooManyCandidates {
            limit: MAX_QR_FINDER_HITS
        })
    );
}

/// The picture (1000 x 1000, 2 pixels per module, 3,844 finder patterns; rqrr spent
/// minutes on it) and its neighbours below the candidate bound: searched, but only the largest
/// patterns and the most plausible triples, so they end as an undecodable QR code.
#[test]
fn finder_pattern_tilings_below_the_bound_are_undecodable() {
    for (side, module) in [(1000, 2), (1000, 3), (1000, 4), (720, 1)] {
        let png = pictures::png(&pictures::finder_tiles(side, module));
        let result = decode_qr(&png);
        assert!(
            matches!(result, Err(ImageError::Undecodable(_))),
            "{side} px, {module} px per module: {result:?}"
        );
    }
    let png = pictures::png(&pictures::mixed_finder_tiles(1000, 4));
    assert!(matches!(decode_qr(&png), Err(ImageError::Undecodable(_))));
}

#[test]
fn noise_and_datamatrix_decoys_are_errors() {
    for picture in [
        pictures::noise(1000, 1, 7),
        pictures::noise(1000, 3, 11),
        pictures::datamatrix_tiles(1000, 20),
        pictures::datamatrix_tiles(1000, 40),
    ] {
        let result = decode_qr(&pictures::png(&picture));
        assert!(
            matches!(
                result,
                Err(ImageError::NoQrCode
                    | ImageError::Undecodable(_)
                    | ImageError::TooManyCandidates { .. })
            ),
            "{result:?}"
        );
    }
}

/// A uniform picture at the pixel cap is read, scaled down and searched (nothing found); one
/// pixel wider is refused before decoding.
#[test]
fn uniform_picture_at_the_pixel_cap() {
    let side = u32::try_from(MAX_IMAGE_PIXELS.isqrt()).unwrap();
    let png = pictures::png(&pictures::uniform(side, side));
    assert_eq!(decode_qr(&png), Err(ImageError::NoQrCode));
    let png = pictures::png(&pictures::uniform(side + 1, 1));
    assert!(matches!(decode_qr(&png), Err(ImageError::Unreadable(_))));
}

/// A QR code in a picture larger than the detectors see is still read after scaling down.
#[test]
fn large_picture_is_scaled_down_and_read() {
    let (qr, text) = demo_qr();
    let side = u32::try_from(MAX_DECODE_PIXELS.isqrt()).unwrap() + 952; // 3000 px
    let large = imageops::resize(&qr, side, side, imageops::FilterType::Nearest);
    assert!(u64::from(side) * u64::from(side) > u64::try_from(MAX_DECODE_PIXELS).unwrap());
    assert_eq!(decode_qr(&pictures::png(&large)).unwrap(), text);
}

/// A QR code among a few dozen finder-pattern decoys (smaller than its own, as in a busy
/// background) is still read: the candidate bounds keep the largest patterns first.
#[test]
fn qr_code_among_decoys_is_read() {
    let (qr, text) = demo_qr();
    let mut canvas = GrayImage::from_pixel(1200, 1200, Luma([255]));
    imageops::overlay(&mut canvas, &qr, 400, 400);
    for i in 0..12u32 {
        pictures::draw_finder(&mut canvas, 20 + i * 95, 40, 2);
        pictures::draw_finder(&mut canvas, 20 + i * 95, 1100, 2);
        pictures::draw_finder(&mut canvas, 40, 150 + i * 70, 3);
        pictures::draw_finder(&mut canvas, 1120, 150 + i * 70, 3);
    }
    assert_eq!(decode_qr(&pictures::png(&canvas)).unwrap(), text);
}
