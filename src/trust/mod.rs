//! Trusted signer keys, by kid, and the loaders that read them from trust data.
//!
//! A [`TrustStore`] maps a kid (the COSE key identifier, usually the first 8 bytes of the
//! SHA-256 of the signer certificate) to one or more [`SignerKey`]s: real lists contain several
//! document signer certificates (DSCs) under one kid, and the verifier tries them all.
//!
//! [`TrustStore::add_bytes`] reads, detecting the format:
//! - the DGCG / national trust-list JSON `{"certificates": [{"kid", "rawData", "country"?}]}`,
//!   where `rawData` is a base64 DER X.509 certificate;
//! - the French kid-keyed map `{kid: {"publicKeyPem": base64 SPKI, "notBefore", "notAfter"}}`;
//! - the Swiss JWK-style map `{kid: [{"use", "alg", "crv", "x", "y", "n", "e"}]}`;
//! - PEM text with `CERTIFICATE` and/or `PUBLIC KEY` blocks;
//! - a single DER X.509 certificate or DER `SubjectPublicKeyInfo`;
//! - a compact binary key set ([`crate::trust::keyset`]), whose publisher signature is not checked
//!   here: use [`TrustStore::add_key_set`] with the pinned publisher key for that.
//!
//! Loading is pure (bytes in, never files) and all-or-nothing: on error the store is unchanged.
//!
//! A bare public key (PEM `PUBLIC KEY` or DER SPKI) has no kid. It is stored *kid-less* and
//! offered by [`TrustStore::candidates`] for every kid, after that kid's own keys, so a store
//! built from one bare key verifies whatever that key signed.
//!
//! Certificates are read leniently, because real DSCs break DER rules (explicitly encoded
//! defaults, negative or over-long serial numbers, malformed extensions, odd time encodings):
//! only the public key must be usable. Unreadable validity or extensions become
//! [`KeyWarning`]s on the key. Certificate signatures are not checked: the list is the trust
//! anchor, so its integrity is the caller's business (e.g. check the list's own signature).

mod lists;
mod store;
mod x509;

pub mod keyset;
pub mod twoddoc_keys;

pub use self::store::{
    KeyUsage, KeyWarning, LoadReport, Placement, SignerKey, SkipReason, SkippedEntry, TrustError,
    TrustStore,
};

#[cfg(test)]
mod tests;
