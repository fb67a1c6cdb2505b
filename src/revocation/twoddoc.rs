//! The French blocklist's view of a 2D-DOC: its fingerprint and its lookup.

use super::{fr_twoddoc_fingerprint, CertificateHashes, RevocationStatus, RevocationStore};
use crate::time::UnixTime;
use crate::twoddoc::TwoDDoc;

impl TwoDDoc {
    /// The French blocklist fingerprint: SHA-256 of [`TwoDDoc::signed_data`].
    pub fn fingerprint(&self) -> [u8; 32] {
        fr_twoddoc_fingerprint(self.signed_data())
    }

    /// Looks the fingerprint up in the French blocklist slices of `store` (those of type
    /// [`crate::revocation::HashType::FrDcc`], for every kid or for the kid `CA id + cert id`).
    pub fn revocation_status(&self, store: &RevocationStore, now: UnixTime) -> RevocationStatus {
        let header = self.header();
        let kid = format!("{}{}", header.ca_id, header.cert_id);
        store.check(
            kid.as_bytes(),
            &CertificateHashes::for_twoddoc(self.signed_data()),
            now,
        )
    }
}
