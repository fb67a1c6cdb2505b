//! Reading the QR code out of a PNG or JPEG picture (pure Rust: `image` + `rqrr`), for the
//! CLI and for conformance tests. The mobile build leaves this out: apps scan with the camera.

use crate::limits::{MAX_IMAGE_BYTES, MAX_IMAGE_PIXELS};

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
    /// No QR code found in the picture.
    #[error("no QR code found in the image")]
    NoQrCode,
    /// A QR code was found but could not be decoded.
    #[error("QR code could not be decoded: {0}")]
    Undecodable(String),
}

/// The text of the first QR code found in a PNG or JPEG picture.
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
    let mut prepared = rqrr::PreparedImage::prepare(luma);
    let grids = prepared.detect_grids();
    let mut last_error = None;
    for grid in grids {
        match grid.decode() {
            Ok((_, text)) => return Ok(text),
            Err(e) => last_error = Some(e.to_string()),
        }
    }
    Err(last_error.map_or(ImageError::NoQrCode, ImageError::Undecodable))
}
