#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
// Untrusted input must never panic: no unwrap, indexing, `as` or unchecked arithmetic.
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::as_conversions,
    clippy::arithmetic_side_effects
)]

pub mod crypto;
mod der;
pub mod eudcc;
mod fast_hash;
#[cfg(feature = "ffi")]
pub mod ffi;
#[cfg(feature = "image")]
pub mod image;
pub mod limits;
pub mod revocation;
pub mod rules;
pub mod time;
pub mod trust;
pub mod twoddoc;
mod verify;

#[cfg(feature = "ffi")]
uniffi::setup_scaffolding!();

pub use crate::revocation::{RevocationError, RevocationStore};
pub use crate::time::UnixTime;
pub use crate::trust::TrustStore;
pub use crate::verify::{
    danger, scanned_text, Check, Error, Failure, Format, Policy, Reason, Report, SkipReason,
    Status, Verified, Verifier,
};
