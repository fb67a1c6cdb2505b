//! The EU Digital COVID Certificate: from the text of an `HC1:` QR code to the signed-over
//! content, layer by layer (prefix, base45, zlib, COSE_Sign1, CWT claims, the hcert payload).
//! Nothing here knows keys, revocation data or verdicts.

pub(crate) mod cbor;
pub(crate) mod cose;
pub(crate) mod cwt;
pub(crate) mod decode;
mod error;
pub mod hcert;
pub(crate) mod payload;

pub use self::error::{CborContext, DecodeError};
