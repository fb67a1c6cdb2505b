//! Reading the code out of a PNG or JPEG picture (pure Rust, `rxing`): QR codes (EU DCC) and
//! DataMatrix codes (French 2D-DOC), for the CLI and for conformance tests. The mobile build
//! leaves this out: apps scan with the camera.
//!
//! The work is bounded, not only the memory: a picture larger than [`MAX_DECODE_PIXELS`] is
//! scaled down before any detector sees it; the QR finder-pattern search (whose cost grows with
//! the square of the patterns found) runs only when a linear pre-scan crosses at most
//! [`MAX_QR_FINDER_HITS`] finder-like runs; and the QR detector samples at most
//! [`MAX_QR_FINDER_SETS`] triples built from the [`MAX_QR_FINDER_PATTERNS`] largest finder
//! patterns, however many a crafted picture holds (rxing's own reader samples every plausible
//! triple, and its fallback compares every triple of candidate patterns).

use std::cmp::Reverse;

use image::GrayImage;
use rxing::common::cpp_essentials::{
    FindLeftGuardBy, FixedPattern, GetPatternRowTP, IsPattern, PatternRow, PatternView,
};
use rxing::common::{BitMatrix, DetectorRXingResult as _, HybridBinarizer};
use rxing::datamatrix::DataMatrixReader;
use rxing::qrcode::cpp_port::decoder::Decode;
use rxing::qrcode::cpp_port::detector::{FindFinderPatterns, GenerateFinderPatternSets, SampleQR};
use rxing::{BinaryBitmap, DecodeHints, Exceptions, Luma8Source, Reader as _};

use crate::limits::{
    MAX_DECODE_PIXELS, MAX_IMAGE_BYTES, MAX_IMAGE_PIXELS, MAX_QR_FINDER_HITS,
    MAX_QR_FINDER_PATTERNS, MAX_QR_FINDER_SETS,
};

/// Why no QR text came out of a picture.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ImageError {
    /// The file is larger than [`MAX_IMAGE_BYTES`].
    #[error("image of {len} bytes exceeds {limit}")]
    TooLarge {
        /// File size.
        len: usize,
        /// The bound.
        limit: usize,
    },
    /// Not a PNG or JPEG picture we can read (or over [`MAX_IMAGE_PIXELS`]).
    #[error("unreadable image: {0}")]
    Unreadable(String),
    /// Neither a QR code nor a DataMatrix code found in the picture.
    #[error("no QR code or DataMatrix code found in the image")]
    NoQrCode,
    /// A QR code was found but could not be decoded.
    #[error("QR code could not be decoded: {0}")]
    Undecodable(String),
    /// The picture holds more QR finder-pattern candidates than [`MAX_QR_FINDER_HITS`] (a real
    /// QR code has 3 finder patterns): it was not searched for a QR code, and no DataMatrix
    /// code was found in it either.
    #[error("image holds over {limit} QR finder-pattern candidates; no DataMatrix code either")]
    TooManyCandidates {
        /// The bound.
        limit: usize,
    },
}

/// The text of the first QR code found in a PNG or JPEG picture or, failing that, of its
/// DataMatrix code (2D-DOC control bytes GS, RS and US kept).
///
/// # Errors
/// See [`ImageError`].
pub fn decode_qr(bytes: &[u8]) -> Result<String, ImageError> {
    if bytes.len() > MAX_IMAGE_BYTES {
        return Err(ImageError::TooLarge {
            len: bytes.len(),
            limit: MAX_IMAGE_BYTES,
        });
    }
    let mut reader = image::ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| ImageError::Unreadable(e.to_string()))?;
    let mut limits = image::Limits::default();
    let side = u32::try_from(MAX_IMAGE_PIXELS.isqrt()).unwrap_or(u32::MAX);
    limits.max_image_width = Some(side);
    limits.max_image_height = Some(side);
    limits.max_alloc = Some(u64::try_from(MAX_IMAGE_PIXELS.saturating_mul(8)).unwrap_or(u64::MAX));
    reader.limits(limits);
    let luma = reader
        .decode()
        .map_err(|e| ImageError::Unreadable(e.to_string()))?
        .into_luma8();
    let luma = fit_for_detectors(luma);
    let (width, height) = luma.dimensions();
    // rxing ports Java and C++ code that threw exceptions or asserted ("this function can
    // panic", says its finder-pattern search): should a path still panic on a crafted picture,
    // report the picture as undecodable rather than abort the caller.
    std::panic::catch_unwind(|| decode_luma(luma.as_raw(), width, height))
        .unwrap_or_else(|_| Err(ImageError::Undecodable("decoder failed".to_owned())))
}

/// The picture itself if it has at most [`MAX_DECODE_PIXELS`] pixels, else a copy scaled down
/// (area averaging, aspect ratio kept) to fit under that bound.
fn fit_for_detectors(luma: GrayImage) -> GrayImage {
    let (width, height) = luma.dimensions();
    let pixels = u64::from(width).saturating_mul(u64::from(height));
    let max = u64::try_from(MAX_DECODE_PIXELS).unwrap_or(u64::MAX);
    if pixels <= max {
        return luma;
    }
    // Each side times sqrt(max) / (isqrt(pixels) + 1): the product stays below `max`.
    let scale = |side: u32| {
        let scaled = u64::from(side)
            .saturating_mul(max.isqrt())
            .checked_div(pixels.isqrt().saturating_add(1))
            .unwrap_or(0);
        u32::try_from(scaled).unwrap_or(u32::MAX).max(1)
    };
    image::imageops::thumbnail(&luma, scale(width), scale(height))
}

/// What the QR pass found.
enum QrOutcome {
    Text(String),
    /// A symbol was sampled but did not decode: the last decoder error.
    Undecodable(String),
    /// More finder-like runs than [`MAX_QR_FINDER_HITS`]: not searched.
    TooManyCandidates,
    NotFound,
}

/// The text of a QR code or, failing that, of a DataMatrix code in a greyscale picture.
fn decode_luma(luma: &[u8], width: u32, height: u32) -> Result<String, ImageError> {
    let Ok(source) = Luma8Source::new_with_slice(luma, width, height) else {
        return Err(ImageError::NoQrCode); // an empty picture
    };
    let mut bitmap = BinaryBitmap::new(HybridBinarizer::new(source));
    let qr_error = match decode_qr_code(bitmap.get_black_matrix()) {
        QrOutcome::Text(text) => return Ok(text),
        QrOutcome::Undecodable(error) => Some(ImageError::Undecodable(error)),
        QrOutcome::TooManyCandidates => Some(ImageError::TooManyCandidates {
            limit: MAX_QR_FINDER_HITS,
        }),
        QrOutcome::NotFound => None,
    };
    let hints = DecodeHints {
        TryHarder: Some(true),
        ..DecodeHints::default()
    };
    match (
        DataMatrixReader.decode_with_hints(&mut bitmap, &hints),
        qr_error,
    ) {
        (Ok(found), _) => Ok(found.getText().to_owned()),
        // A QR code that was found but did not decode is the more precise error.
        (Err(_), Some(error)) => Err(error),
        (Err(Exceptions::NotFoundException(_)), None) => Err(ImageError::NoQrCode),
        (Err(e), None) => Err(ImageError::Undecodable(format!("DataMatrix: {e}"))),
    }
}

/// rxing's QR reader (its port of zxing-cpp) with bounded candidates: rxing's finder-pattern
/// search runs only if [`finder_hits`] stays within [`MAX_QR_FINDER_HITS`], then only the
/// largest [`MAX_QR_FINDER_PATTERNS`] patterns form triples, and only the
/// [`MAX_QR_FINDER_SETS`] most plausible triples are sampled and decoded.
fn decode_qr_code(matrix: &BitMatrix) -> QrOutcome {
    if finder_hits(matrix) > MAX_QR_FINDER_HITS {
        return QrOutcome::TooManyCandidates;
    }
    let mut patterns = FindFinderPatterns(matrix, true, 0);
    // A stable sort: equal sizes keep rxing's scan order (top to bottom).
    patterns.sort_by_key(|pattern| Reverse(pattern.size));
    patterns.truncate(MAX_QR_FINDER_PATTERNS);
    let mut outcome = QrOutcome::NotFound;
    for set in GenerateFinderPatternSets(&mut patterns)
        .iter()
        .take(MAX_QR_FINDER_SETS)
    {
        let Ok(symbol) = SampleQR(matrix, set) else {
            continue;
        };
        match Decode(symbol.getBits()) {
            Ok(decoded) if decoded.isValid() => return QrOutcome::Text(decoded.text()),
            Ok(_) => outcome = QrOutcome::Undecodable("invalid QR code content".to_owned()),
            Err(e) => outcome = QrOutcome::Undecodable(e.to_string()),
        }
    }
    outcome
}

/// How many finder-like runs (dark, light, dark, light, dark in the ratio 1:1:3:1:1) rxing's
/// finder-pattern search would stop at, counted with its own row scan and test but without
/// locating each pattern: work linear in the pixels, stopping once past
/// [`MAX_QR_FINDER_HITS`]. rxing compares each run with every pattern found so far, so its
/// search costs up to the square of this count.
fn finder_hits(matrix: &BitMatrix) -> usize {
    // rxing's `FindFinderPatterns` when trying harder: every third row from the third, the
    // pattern tested end to end, no minimum module size.
    const PATTERN: FixedPattern<5, 7, false> = FixedPattern::new([1, 1, 3, 1, 1]);
    let is_finder = |view: &PatternView<'_>, space: Option<f32>| {
        let mut bars = [0u16; 5];
        for (bar, width) in bars.iter_mut().zip(view.iter()) {
            *bar = width;
        }
        let [a, b, core, d, e] = bars;
        // rxing's quick plausibility test, then its exact one.
        core >= 3
            && core >= a.max(e).saturating_mul(2)
            && core >= b.max(d)
            && IsPattern::<true, 5, 7, false>(view, &PATTERN, space, 0.1, 0.0, 0.0) != 0.0
    };
    let mut hits = 0usize;
    let mut row = PatternRow::default();
    for y in (2..matrix.height()).step_by(3) {
        GetPatternRowTP(matrix, y, &mut row, false);
        let mut next = PatternView::new(&row);
        while let Ok(found) = FindLeftGuardBy::<5, _>(next, 5, is_finder) {
            if !found.isValid() {
                break;
            }
            hits = hits.saturating_add(1);
            if hits > MAX_QR_FINDER_HITS {
                return hits;
            }
            next = found;
            next.skipPair();
            next.skipPair();
            next.extend();
        }
    }
    hits
}
