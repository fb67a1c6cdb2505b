//! Offline verification of EU Digital COVID Certificates (`HC1:` QR codes) and French 2D-DOC
//! health passes: bounded parsing, signatures against trusted keys, revocation lists and
//! acceptance rules, with one [`Report`] per scan and a stable [`Reason`] for every failure.
//!
//! The paved path: load the trust data once, build a [`Verifier`], verify each scanned text.
//!
//! ```
//! use dcc_verifier::{TrustStore, UnixTime, Verifier};
//!
//! let trust = TrustStore::from_bytes(include_bytes!("../fixtures/trust/trustlist.json"))?;
//! let verifier = Verifier::new(trust);
//! let qr = include_str!("../fixtures/passes/valid-es256-vaccination.txt");
//! let now = UnixTime::parse_rfc3339("2021-09-01T00:00:00Z").expect("a valid time");
//! let report = verifier.verify(qr, now);
//! assert!(report.is_valid());
//! assert_eq!(report.reason(), None); // on failure: the stable code a screen keys on
//! let payload = report.verified().expect("a verified signature").dcc_json();
//! assert!(payload["v"].is_array());
//! # Ok::<(), dcc_verifier::trust::TrustError>(())
//! ```
//!
//! A bad, expired or unverifiable certificate is a [`Report`], not an error; errors are for
//! bad trust, revocation or rule data. The content is reachable only through
//! [`Report::verified`], which exists only when the signature verified with a trusted key.
//! Revocation data ([`RevocationStore`]), acceptance rules ([`rules::Rules`]) and 2D-DOC keys
//! ([`trust::twoddoc_keys::TwoDDocKeys`]) are added with the `with_*` builders of
//! [`Verifier`]. The core never reads a clock, a file or the network: time and bytes come from
//! the caller. The README covers the CLI, the bindings, limits and measurements; the
//! architecture is in `docs/ARCHITECTURE.md`.
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

// The README's Rust examples are compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

pub use crate::revocation::{RevocationError, RevocationStore};
pub use crate::time::UnixTime;
pub use crate::trust::TrustStore;
pub use crate::verify::{
    danger, scanned_text, Acceptance, Admission, Check, Error, Failure, Format, Policy, Reason,
    Report, ScanOptions, SkipReason, Status, Verified, Verifier, DEFAULT_RULE_SET,
};
