//! Arbitrary bytes as a PNG or JPEG picture (`image::decode_qr`: decoding, scaling down, the QR
//! and DataMatrix detectors): must never panic, and must finish quickly whatever the picture
//! (the smoke and campaign scripts pass libFuzzer a `-timeout`, so a slow input is a failure).
//! A text that comes out is no longer than the largest QR code holds.
#![no_main]

use dcc_verifier::image::{decode_qr, ImageError};
use dcc_verifier::limits::MAX_IMAGE_BYTES;
use libfuzzer_sys::fuzz_target;

/// Characters in a version 40-L QR code in numeric mode (ISO/IEC 18004, table 7): more than
/// any QR or DataMatrix code holds.
const MAX_CODE_CHARS: usize = 7_089;

fuzz_target!(|data: &[u8]| {
    match decode_qr(data) {
        Ok(text) => assert!(
            text.chars().count() <= MAX_CODE_CHARS,
            "{} chars",
            text.len()
        ),
        Err(ImageError::TooLarge { len, limit }) => {
            assert!(len > limit && limit == MAX_IMAGE_BYTES && len == data.len());
        }
        Err(_) => {}
    }
});
