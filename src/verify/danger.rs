//! Decoding without any signature check, for diagnostics and conformance tests only: the
//! result is whatever the QR code claims, authentic or not. Never show it to a verifier user.

use crate::eudcc::{cose, cwt, decode, DecodeError};
use crate::revocation::CertificateHashes;

/// The DCC payload as JSON, without verifying anything.
///
/// # Errors
/// The first decoding failure.
pub fn decode_unverified(qr: &str) -> Result<serde_json::Value, DecodeError> {
    let body = decode::strip_prefix(super::scanned_text(qr))?;
    let cose = decode::inflate(&decode::base45_decode(body)?)?;
    let sign1 = cose::parse(&cose)?;
    Ok(cwt::parse(&sign1.payload)?.dcc.to_json())
}

/// The revocation hashes of a certificate, without verifying anything: they are what the
/// QR code claims, e.g. to build or debug revocation lists.
///
/// # Errors
/// The first decoding failure.
pub fn revocation_hashes(qr: &str) -> Result<CertificateHashes, DecodeError> {
    let body = decode::strip_prefix(super::scanned_text(qr))?;
    let cose = decode::inflate(&decode::base45_decode(body)?)?;
    let sign1 = cose::parse(&cose)?;
    let claims = cwt::parse(&sign1.payload)?;
    Ok(super::eudcc::revocation_hashes(|_| true, &sign1, &claims))
}
