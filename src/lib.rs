//! Offline verification of EU Digital COVID Certificates.
#![forbid(unsafe_code)]

pub mod crypto;
pub(crate) mod der;
pub mod error;
pub mod hcert;
pub mod limits;
pub mod time;
pub mod trust;
