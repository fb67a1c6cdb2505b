//! Offline verification of EU Digital COVID Certificates.
#![forbid(unsafe_code)]

mod cbor;
mod cose;
pub mod crypto;
mod cwt;
mod decode;
mod der;
pub mod error;
pub mod hcert;
#[cfg(feature = "image")]
pub mod image;
pub mod limits;
pub mod time;
pub mod trust;
mod verify;

pub use crate::error::{Check, Error, Reason};
pub use crate::time::UnixTime;
pub use crate::trust::TrustStore;
pub use crate::verify::{danger, Failure, Policy, Report, Status, Verified, Verifier};
