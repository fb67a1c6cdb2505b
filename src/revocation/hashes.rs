//! The hashes a certificate is looked up by (revocation SPEC §1.2; French blocklist: France
//! REPORT §3.1).
//!
//! | type | SHA-256 input | kept |
//! |---|---|---|
//! | `UCI` | `ci`, exactly as printed | first 16 bytes |
//! | `COUNTRYCODEUCI` | country code ‖ `ci`, with both `iss` and `co` | first 16 bytes |
//! | `SIGNATURE` | ES256: `r` (first half of the COSE signature); PS256: the whole signature | first 16 bytes |
//! | `FR_DCC` | uppercase `co` ‖ `ci` | all 32 bytes |

use sha2::{Digest as _, Sha256};

use super::HashType;
use crate::crypto::Algorithm;

/// Length of an EU revocation hash: the first 128 bits of a SHA-256.
const EU_HASH_LEN: usize = 16;

/// `UCI`: the first 16 bytes of SHA-256 of the certificate identifier, verbatim.
pub fn uci_hash(ci: &str) -> [u8; EU_HASH_LEN] {
    truncated(Sha256::digest(ci.as_bytes()).into())
}

/// `COUNTRYCODEUCI`: the first 16 bytes of SHA-256 of a country code followed by the
/// certificate identifier.
pub fn country_code_uci_hash(country: &str, ci: &str) -> [u8; EU_HASH_LEN] {
    truncated(
        Sha256::new()
            .chain_update(country)
            .chain_update(ci)
            .finalize()
            .into(),
    )
}

/// `SIGNATURE`: the first 16 bytes of SHA-256 of the signature's `r` half for ES256 (an
/// ECDSA signature `(r, s)` can be re-encoded as `(r, n − s)` without the key, `r` cannot), or
/// of the whole signature for PS256.
pub fn signature_hash(algorithm: Algorithm, signature: &[u8]) -> [u8; EU_HASH_LEN] {
    let input = match algorithm {
        Algorithm::Es256 => signature.get(..signature.len() / 2).unwrap_or(signature),
        Algorithm::Ps256 => signature,
    };
    truncated(Sha256::digest(input).into())
}

/// `FR_DCC`: the French blocklist fingerprint of a DCC, SHA-256 of the uppercase `co` followed by
/// `ci` (TousAntiCovid, TAC-Verif).
pub fn fr_dcc_fingerprint(country: &str, ci: &str) -> [u8; 32] {
    Sha256::new()
        .chain_update(country.to_uppercase())
        .chain_update(ci)
        .finalize()
        .into()
}

/// The French blocklist fingerprint of a 2D-DOC: SHA-256 of its signed data (header and
/// message, everything before the 0x1F unit separator).
pub fn fr_twoddoc_fingerprint(signed_data: &[u8]) -> [u8; 32] {
    Sha256::digest(signed_data).into()
}

/// Every hash one certificate can be revoked by, each type in [`HashType::ALL`] order, without
/// duplicates.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CertificateHashes {
    hashes: Vec<(HashType, Hash)>,
}

/// One hash, inline: 16 bytes (EU types) or 32 (French fingerprints).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Hash {
    bytes: [u8; 32],
    len: u8,
}

impl Hash {
    fn new(hash: &[u8]) -> Option<Self> {
        let mut bytes = [0; 32];
        bytes.get_mut(..hash.len())?.copy_from_slice(hash);
        Some(Self {
            bytes,
            len: u8::try_from(hash.len()).ok()?,
        })
    }

    fn as_slice(&self) -> &[u8] {
        self.bytes.get(..usize::from(self.len)).unwrap_or_default()
    }
}

impl CertificateHashes {
    /// The hashes of a certificate with the given signature algorithm (none when unsupported:
    /// then there is no `SIGNATURE` hash), signature, CWT issuer and entries, each entry its
    /// `co` (if present) and `ci`. A DCC has one entry; checking every one is harmless.
    pub fn compute<'a>(
        algorithm: Option<Algorithm>,
        signature: &[u8],
        issuer: Option<&str>,
        entries: impl IntoIterator<Item = (Option<&'a str>, &'a str)> + Clone,
    ) -> Self {
        Self::compute_types(|_| true, algorithm, signature, issuer, entries)
    }

    /// [`CertificateHashes::compute`], for the types `wanted` accepts only (each hash costs
    /// a SHA-256).
    pub(crate) fn compute_types<'a>(
        wanted: impl Fn(HashType) -> bool,
        algorithm: Option<Algorithm>,
        signature: &[u8],
        issuer: Option<&str>,
        entries: impl IntoIterator<Item = (Option<&'a str>, &'a str)> + Clone,
    ) -> Self {
        let mut out = Self::default();
        if wanted(HashType::Uci) {
            for (_, ci) in entries.clone() {
                out.push(HashType::Uci, &uci_hash(ci));
            }
        }
        if wanted(HashType::CountryCodeUci) {
            for (country, ci) in entries.clone() {
                // The entry's country is usually the issuer: one hash then.
                let country = country.filter(|&c| Some(c) != issuer);
                for cc in [issuer, country].into_iter().flatten() {
                    out.push(HashType::CountryCodeUci, &country_code_uci_hash(cc, ci));
                }
            }
        }
        if let (Some(algorithm), true) = (algorithm, wanted(HashType::Signature)) {
            out.push(HashType::Signature, &signature_hash(algorithm, signature));
        }
        if wanted(HashType::FrDcc) {
            for (country, ci) in entries {
                if let Some(country) = country {
                    out.push(HashType::FrDcc, &fr_dcc_fingerprint(country, ci));
                }
            }
        }
        out
    }

    /// The hash a 2D-DOC can be revoked by: its French blocklist fingerprint
    /// ([`fr_twoddoc_fingerprint`]). It is typed [`HashType::FrDcc`] because the French
    /// blocklist is one list of SHA-256 fingerprints for both formats (the TAC-Verif list mixes
    /// DCC and 2D-DOC entries), so a French blocklist slice covers both.
    pub fn for_twoddoc(signed_data: &[u8]) -> Self {
        let mut out = Self::default();
        out.push(HashType::FrDcc, &fr_twoddoc_fingerprint(signed_data));
        out
    }

    /// Every (type, hash) pair.
    pub fn iter(&self) -> impl Iterator<Item = (HashType, &[u8])> {
        self.hashes.iter().map(|(t, h)| (*t, h.as_slice()))
    }

    /// The hashes of one type.
    pub fn of_type(&self, hash_type: HashType) -> impl Iterator<Item = &[u8]> {
        self.iter()
            .filter(move |(t, _)| *t == hash_type)
            .map(|(_, h)| h)
    }

    /// Adds a hash (16 or 32 bytes) unless already there.
    fn push(&mut self, hash_type: HashType, hash: &[u8]) {
        let Some(hash) = Hash::new(hash) else {
            return; // longer than a SHA-256: never produced here
        };
        if !self.hashes.contains(&(hash_type, hash)) {
            self.hashes.push((hash_type, hash));
        }
    }
}

fn truncated(digest: [u8; 32]) -> [u8; EU_HASH_LEN] {
    let [head @ .., _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _] = digest;
    head
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::revocation::to_hex;

    // SPEC §1.4, DE vaccination (CWA sample data).
    const CI: &str = "URN:UVCI:01DE/A42234539/43CUH2UMZUJW382VP58G2Q#F";

    #[test]
    fn spec_worked_example() {
        assert_eq!(to_hex(&uci_hash(CI)), "54a90383b0e792489835caec8befd2a4");
        assert_eq!(
            to_hex(&country_code_uci_hash("DE", CI)),
            "eeabbcbbb1637ddf343458f1f41842da"
        );
        let mut signature = crate::revocation::from_hex(
            "0783a38fdbddf4d9e25bad173097def0ab6e55a69ab603c4069baaefeb1cca30",
        )
        .unwrap();
        let r_only = signature_hash(
            Algorithm::Es256,
            &[signature.clone(), signature.clone()].concat(),
        );
        assert_eq!(to_hex(&r_only), "b80307723714cb7cd9a653a0bc56c89d");
        signature.extend_from_slice(&[0; 32]);
        assert_eq!(
            signature_hash(Algorithm::Es256, &signature),
            r_only,
            "s is ignored"
        );
    }

    #[test]
    fn french_fingerprint_uppercases_the_country() {
        // France REPORT §3.1: dgc-testdata FR DCC_Test_0010.
        let expected = "afe98db8c94a83ec77e973acc7be55a994f3c160be27ce233e52e69760970b5c";
        assert_eq!(
            to_hex(&fr_dcc_fingerprint("fr", "URN:UVCI:01:FR:Y4996KBJ4Q3Q#:")),
            expected
        );
        assert_eq!(
            to_hex(&fr_dcc_fingerprint("FR", "URN:UVCI:01:FR:Y4996KBJ4Q3Q#:")),
            expected
        );
    }

    #[test]
    fn both_country_codes_deduplicated() {
        let same = CertificateHashes::compute(None, &[], Some("DE"), [(Some("DE"), CI)]);
        assert_eq!(same.of_type(HashType::CountryCodeUci).count(), 1);
        assert_eq!(same.of_type(HashType::Signature).count(), 0, "no algorithm");
        let differ = CertificateHashes::compute(
            Some(Algorithm::Ps256),
            &[1, 2, 3],
            Some("DE"),
            [(Some("AT"), CI)],
        );
        let types: Vec<HashType> = differ.iter().map(|(t, _)| t).collect();
        assert_eq!(
            types,
            [
                HashType::Uci,
                HashType::CountryCodeUci,
                HashType::CountryCodeUci,
                HashType::Signature,
                HashType::FrDcc
            ]
        );
    }
}
