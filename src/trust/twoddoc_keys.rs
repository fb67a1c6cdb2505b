//! Trusted 2D-DOC signer keys, by `(CA id, certificate id)`, and whether a key was entitled
//! to sign a given document (its certificate's validity at the signature date).

use std::collections::HashMap;

use crate::crypto::{Algorithm, PublicKey};
use crate::limits::MAX_TWODDOC_KEYS;
use crate::time::{TimeZone, UnixTime};
use crate::trust::{TrustError, TrustStore};
use crate::twoddoc::{Content, TwoDDoc, TwoDDocError};

/// One 2D-DOC signer key with its certificate's validity window, if known.
#[derive(Clone, Debug)]
pub struct TwoDDocKey {
    /// The public key.
    pub key: PublicKey,
    /// Certificate notBefore, if the key came from a certificate.
    pub not_before: Option<UnixTime>,
    /// Certificate notAfter, if the key came from a certificate.
    pub not_after: Option<UnixTime>,
}

/// Why a 2D-DOC key could not be added to a [`TwoDDocKeys`] store.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TwoDDocKeyError {
    /// A CA id or certificate id that is not 4 characters `A-Z`/`0-9` (spec §3.3.1–3.3.2): no
    /// document header could name it.
    #[error("2D-DOC {part} {id:?} is not 4 characters A-Z or 0-9")]
    BadId {
        /// `CA id` or `certificate id`.
        part: &'static str,
        /// The id as given.
        id: String,
    },
    /// The key bytes could not be read.
    #[error(transparent)]
    Trust(#[from] TrustError),
}

/// Whether `id` can be a header's CA id or certificate id: 4 characters `A-Z`/`0-9`.
fn is_header_id(id: &str) -> bool {
    id.len() == 4
        && id
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

/// Both ids of a key, checked as a header would carry them.
fn check_ids(ca_id: &str, cert_id: &str) -> Result<(), TwoDDocKeyError> {
    for (part, id) in [("CA id", ca_id), ("certificate id", cert_id)] {
        if !is_header_id(id) {
            return Err(TwoDDocKeyError::BadId {
                part,
                id: id.to_owned(),
            });
        }
    }
    Ok(())
}

/// Trusted 2D-DOC signer keys by `(CA id, certificate id)`.
#[derive(Clone, Debug, Default)]
pub struct TwoDDocKeys {
    keys: HashMap<(String, String), Vec<TwoDDocKey>>,
}

impl TwoDDocKeys {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a key under `(ca_id, cert_id)`.
    ///
    /// # Errors
    /// [`TwoDDocKeyError::BadId`] when an id is not 4 characters `A-Z`/`0-9`.
    pub fn add_key(
        &mut self,
        ca_id: &str,
        cert_id: &str,
        key: TwoDDocKey,
    ) -> Result<(), TwoDDocKeyError> {
        check_ids(ca_id, cert_id)?;
        self.keys
            .entry((ca_id.to_owned(), cert_id.to_owned()))
            .or_default()
            .push(key);
        Ok(())
    }

    /// Adds the key(s) in `bytes` — an X.509 certificate (DER or PEM) or a PEM
    /// `SubjectPublicKeyInfo` — under `(ca_id, cert_id)`; returns how many were added.
    /// A certificate's validity window is kept and judged at each document's signature date.
    ///
    /// # Errors
    /// [`TwoDDocKeyError::BadId`] when an id is not 4 characters `A-Z`/`0-9`; the
    /// [`TrustError`] of the underlying reader; [`TrustError::TooLarge`] beyond
    /// [`MAX_TWODDOC_KEYS`] keys.
    pub fn add_bytes(
        &mut self,
        ca_id: &str,
        cert_id: &str,
        bytes: &[u8],
    ) -> Result<usize, TwoDDocKeyError> {
        check_ids(ca_id, cert_id)?;
        let store = TrustStore::from_bytes(bytes)?;
        let added = store.len();
        if self.len().saturating_add(added) > MAX_TWODDOC_KEYS {
            return Err(TrustError::TooLarge {
                limit: MAX_TWODDOC_KEYS,
            }
            .into());
        }
        for (_, signer) in store.iter() {
            self.add_key(
                ca_id,
                cert_id,
                TwoDDocKey {
                    key: signer.key.clone(),
                    not_before: signer.not_before,
                    not_after: signer.not_after,
                },
            )?;
        }
        Ok(added)
    }

    /// The keys for `(ca_id, cert_id)`.
    pub fn get(&self, ca_id: &str, cert_id: &str) -> &[TwoDDocKey] {
        self.keys
            .get(&(ca_id.to_owned(), cert_id.to_owned()))
            .map_or(&[], Vec::as_slice)
    }

    /// The number of keys.
    pub fn len(&self) -> usize {
        self.keys
            .values()
            .map(Vec::len)
            .fold(0, usize::saturating_add)
    }

    /// Whether the store is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Verifies the signature of `doc` and returns the key that verified it. Test CAs are
    /// rejected unless `allow_test_ca`.
    ///
    /// # Errors
    /// [`TwoDDocError::TestCa`], [`TwoDDocError::UnknownSigner`], the signature's encoding
    /// errors, [`TwoDDocError::SignatureInvalid`].
    pub fn verify(&self, doc: &TwoDDoc, allow_test_ca: bool) -> Result<&TwoDDocKey, TwoDDocError> {
        let h = doc.header();
        if h.is_test() && !allow_test_ca {
            return Err(TwoDDocError::TestCa {
                ca_id: h.ca_id.clone(),
                cert_id: h.cert_id.clone(),
            });
        }
        let candidates = self.get(&h.ca_id, &h.cert_id);
        if candidates.is_empty() {
            return Err(TwoDDocError::UnknownSigner {
                ca_id: h.ca_id.clone(),
                cert_id: h.cert_id.clone(),
            });
        }
        let signature = doc.signature().map_err(Clone::clone)?;
        if signature.len() != 64 {
            return Err(TwoDDocError::SignatureLength {
                actual: signature.len(),
            });
        }
        candidates
            .iter()
            .find(|k| {
                k.key
                    .verify(Algorithm::Es256, doc.signed_data(), signature)
                    .is_ok()
            })
            .ok_or(TwoDDocError::SignatureInvalid)
    }
}

/// Whether `doc`'s signer was entitled to sign it: its header signature date is credible and
/// `key`'s certificate was valid then (at `now` for an undated document).
///
/// The signature date is self-declared by the signer, so it is checked first:
/// - it must not be in the future: a header date names a calendar day without a time zone,
///   taken as a French or a UTC day, so it is refused only once its day has not yet begun in
///   Paris (the earlier of the two) at `now + clock_skew_secs`;
/// - the signed content must not be dated after it where the document type implies an order:
///   a B2 is signed after its sample was taken (`F6`, French civil time) and an L1 after the
///   last dose it attests (`L9`). A content time is refused only when it is certainly after
///   the signature day under both readings, i.e. after the end of that day in UTC (a sample
///   taken at 00:30 in Paris may bear the previous UTC day as signature date; a dose dated the
///   day after the signature date may still have begun before the UTC day ended). Other
///   document types, and other fields, are not compared: their dates (an expiry `08`, a
///   generic date `06`, a due date) may legitimately follow the signature. Unreadable content
///   is left to [`TwoDDoc::content`].
///
/// Without this, a key whose certificate expired could sign new documents with a signature
/// date inside its old validity window.
///
/// # Errors
/// [`TwoDDocError::SignatureDateInFuture`], [`TwoDDocError::ContentAfterSignature`],
/// [`TwoDDocError::SignerNotYetValid`] or [`TwoDDocError::SignerExpired`].
pub fn check_signer_validity(
    key: &TwoDDocKey,
    doc: &TwoDDoc,
    now: UnixTime,
    clock_skew_secs: i64,
) -> Result<(), TwoDDocError> {
    if let Some(signed) = doc.header().signature_date {
        check_signature_date(doc, signed, now, clock_skew_secs)?;
    }
    let at = doc.header().signature_date.unwrap_or(now);
    if let Some(not_before) = key.not_before {
        // The signature date is a day: the certificate may start later that day.
        if at.end_of_day().is_some_and(|end| end < not_before) {
            return Err(TwoDDocError::SignerNotYetValid { not_before, at });
        }
    }
    if let Some(not_after) = key.not_after {
        if at > not_after {
            return Err(TwoDDocError::SignerExpired { not_after, at });
        }
    }
    Ok(())
}

/// The signature date `signed` (midnight UTC of the header's day) against `now` and against
/// the signed content dates; see [`check_signer_validity`].
fn check_signature_date(
    doc: &TwoDDoc,
    signed: UnixTime,
    now: UnixTime,
    clock_skew_secs: i64,
) -> Result<(), TwoDDocError> {
    let earliest_start = TimeZone::EuropeParis.to_utc(signed).unwrap_or(signed);
    let latest = now.checked_add_secs(clock_skew_secs.max(0)).unwrap_or(now);
    if earliest_start > latest {
        return Err(TwoDDocError::SignatureDateInFuture { signed, now });
    }
    let Some(latest_end) = signed.checked_add_days(1) else {
        return Ok(());
    };
    let (id, earliest) = match doc.content() {
        Ok(Content::TestResult(t)) => ("F6", t.sampled_at_utc()),
        Ok(Content::Vaccination(v)) => (
            "L9",
            v.last_dose_day()
                .and_then(|day| TimeZone::EuropeParis.to_utc(day)),
        ),
        _ => return Ok(()),
    };
    if earliest.is_some_and(|t| t >= latest_end) {
        return Err(TwoDDocError::ContentAfterSignature { id: id.to_owned() });
    }
    Ok(())
}

#[cfg(test)]
mod tests;
