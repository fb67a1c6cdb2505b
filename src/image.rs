//! Reading the code out of a PNG or JPEG picture (pure Rust): QR codes with `rqrr` (EU DCC),
//! DataMatrix codes with `rxing` (French 2D-DOC), for the CLI and for conformance tests. The
//! mobile build leaves this out: apps scan with the camera.

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
    /// Neither a QR code nor a DataMatrix code found in the picture.
    #[error("no QR code or DataMatrix code found in the image")]
    NoQrCode,
    /// A QR code was found but could not be decoded.
    #[error("QR code could not be decoded: {0}")]
    Undecodable(String),
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
    let (width, height) = luma.dimensions();
    let mut prepared = rqrr::PreparedImage::prepare(luma.clone());
    let grids = prepared.detect_grids();
    let mut last_error = None;
    for grid in grids {
        match grid.decode() {
            Ok((_, text)) => return Ok(text),
            Err(e) => last_error = Some(e.to_string()),
        }
    }
    // A QR code that was found but did not decode is the more precise error.
    if let Some(error) = last_error {
        return Err(ImageError::Undecodable(error));
    }
    decode_datamatrix(luma.as_raw(), width, height)
}

/// The text of a DataMatrix code in a greyscale picture.
fn decode_datamatrix(luma: &[u8], width: u32, height: u32) -> Result<String, ImageError> {
    use rxing::{BarcodeFormat, Exceptions};

    // rxing ports Java code that threw exceptions: should a path still panic on a crafted
    // picture, report the picture as undecodable rather than abort the caller.
    let detected = std::panic::catch_unwind(|| {
        rxing::helpers::detect_in_luma_slice(luma, width, height, Some(BarcodeFormat::DATA_MATRIX))
    })
    .map_err(|_| ImageError::Undecodable("DataMatrix decoder failed".to_owned()))?;
    match detected {
        Ok(found) => Ok(found.getText().to_owned()),
        Err(Exceptions::NotFoundException(_)) => Err(ImageError::NoQrCode),
        Err(e) => Err(ImageError::Undecodable(format!("DataMatrix: {e}"))),
    }
}
