//! The EU DCC check sequence: the QR text layers, COSE and CWT, the signature against the
//! trusted keys, what the signer may sign and when, expiry, schema, revocation and rules.

use std::sync::OnceLock;

use super::acceptance::Judged;
use super::{Check, Error, Report, ScanOptions, SkipReason, Verified, Verifier};
use crate::crypto::SignatureError;
use crate::eudcc::cose::{self, Sign1};
use crate::eudcc::cwt::{self, Claims};
use crate::eudcc::decode;
use crate::eudcc::hcert::{self, EntryType, Hcert};
use crate::eudcc::payload::Node;
use crate::revocation::{CertificateHashes, HashType, KidScope};
use crate::rules::eu::CertificateFacts;
use crate::time::UnixTime;
use crate::trust::SignerKey;

impl Verifier {
    /// An `HC1:` text: the QR text layers, then the COSE message they carry.
    pub(super) fn verify_hc1(&self, qr: &str, now: UnixTime, scan: &ScanOptions) -> Report {
        let mut report = Report::new();
        match unwrap_qr(qr, &mut report) {
            Some(cose) => self.verify_cose_into(&cose, now, report, scan),
            None => report,
        }
    }

    pub(super) fn verify_cose_into(
        &self,
        cose: &[u8],
        now: UnixTime,
        mut report: Report,
        scan: &ScanOptions,
    ) -> Report {
        let sign1 = match cose::parse(cose) {
            Ok(sign1) => sign1,
            Err(e) => {
                report.fail(Check::Cose, e);
                return report;
            }
        };
        match &sign1.algorithm {
            Ok(_) => report.pass(Check::Cose),
            Err(e) => report.fail(Check::Cose, e.clone()),
        }
        report.kid = Some(sign1.kid.to_vec());
        report.algorithm = sign1.algorithm.as_ref().ok().copied();

        let claims = match cwt::parse(&sign1.payload) {
            Ok(claims) => {
                report.pass(Check::Payload);
                report.issuer = claims.issuer.as_deref().map(str::to_owned);
                report.issued_at = claims.issued_at;
                report.expires_at = claims.expires_at;
                report.entry_type = hcert::entry_type(&claims.dcc);
                Some(claims)
            }
            Err(e) => {
                report.fail(Check::Payload, e);
                None
            }
        };

        let signer = self.check_signature(&sign1, claims.as_ref(), now, &mut report);
        if let Some(signer) = signer {
            self.check_key_usage(signer, claims.as_ref(), report.entry_type, &mut report);
            self.check_signer_validity(signer, claims.as_ref(), now, &mut report);
        }
        if let Some(claims) = claims {
            self.check_expiry(&claims, now, &mut report);
            let schema = Hcert::from_node(&claims.dcc);
            let (hcert, warnings) = match schema {
                Ok((hcert, warnings)) => {
                    report.pass(Check::Schema);
                    (Some(hcert), warnings)
                }
                Err(e) => {
                    report.fail(Check::Schema, e);
                    (None, Vec::new())
                }
            };
            self.check_revocation(&sign1, signer, &claims, now, &mut report);
            if signer.is_some() {
                let facts = CertificateFacts {
                    issuer_country: claims.issuer.as_deref(),
                    issued_at: claims.issued_at,
                    expires_at: claims.expires_at,
                    kid: Some(&sign1.kid),
                };
                self.judge(Judged::Dcc(&claims.dcc, facts), now, scan, &mut report);
                report.verified = Some(Verified {
                    dcc_cbor: claims.dcc_cbor.to_vec(),
                    dcc_json: OnceLock::new(),
                    hcert,
                    warnings,
                    twoddoc: None,
                });
            }
        }
        report
    }

    /// Tries the trusted keys with the kid; any success wins. Returns the signer, preferring
    /// one whose key usage and validity also fit when several keys verify (the search stops
    /// at the first such key).
    fn check_signature<'a>(
        &'a self,
        sign1: &'a Sign1,
        claims: Option<&Claims>,
        now: UnixTime,
        report: &mut Report,
    ) -> Option<&'a SignerKey> {
        let algorithm = match &sign1.algorithm {
            Ok(alg) => *alg,
            Err(_) => return None, // already reported by the cose check
        };
        // The first key that verifies, and the first that also fits.
        let (mut first, mut fitting): (Option<&SignerKey>, Option<&SignerKey>) = (None, None);
        let mut most_specific: Option<SignatureError> = None;
        for key in self.trust.candidates(&sign1.kid) {
            match key.key.verify_with(
                self.backend,
                algorithm,
                &sign1.to_be_signed,
                &sign1.signature,
            ) {
                Ok(()) => {
                    first = first.or(Some(key));
                    let fits = report
                        .entry_type
                        .is_none_or(|entry| key.usage.allows(entry))
                        && self.issuer_country_error(key, claims).is_none()
                        && signer_validity_error(key, claims, now, self.policy.skew()).is_none();
                    if fits {
                        fitting = Some(key);
                        break; // later keys cannot change the outcome
                    }
                }
                Err(e) => {
                    if most_specific.as_ref().is_none_or(|m| e.rank() > m.rank()) {
                        most_specific = Some(e);
                    }
                }
            }
        }
        let Some(first) = first else {
            let error = most_specific.map_or(Error::UnknownSigner, Error::Signature);
            report.fail(Check::Signature, error);
            return None;
        };
        report.pass(Check::Signature);
        Some(fitting.unwrap_or(first))
    }

    /// What the signer may sign: the certificate type its key usage allows and, when the
    /// policy asks, its own country as the issuer.
    fn check_key_usage(
        &self,
        signer: &SignerKey,
        claims: Option<&Claims>,
        entry: Option<EntryType>,
        report: &mut Report,
    ) {
        if let Some(e) = self.issuer_country_error(signer, claims) {
            report.fail(Check::KeyUsage, e);
        }
        if signer.usage == crate::trust::KeyUsage::Any {
            report.pass(Check::KeyUsage);
            return;
        }
        match entry {
            Some(entry) if signer.usage.allows(entry) => report.pass(Check::KeyUsage),
            Some(entry) => report.fail(Check::KeyUsage, Error::KeyUsageMismatch { entry }),
            None if claims.is_some() => report.fail(Check::KeyUsage, Error::KeyUsageAmbiguousEntry),
            None => {}
        }
    }

    /// With [`Policy::require_issuer_country_match`], the `iss` claim must name the signer's
    /// country (ASCII case aside); an unknown country on either side is a mismatch.
    fn issuer_country_error(&self, signer: &SignerKey, claims: Option<&Claims>) -> Option<Error> {
        if !self.policy.require_issuer_country_match {
            return None;
        }
        let issuer = claims.and_then(|c| c.issuer.as_deref());
        let signer_country = signer.country.as_deref();
        match (issuer, signer_country) {
            (Some(iss), Some(country)) if iss.eq_ignore_ascii_case(country) => None,
            _ => Some(Error::IssuerCountryMismatch {
                issuer: issuer.map(str::to_owned),
                signer: signer_country.map(str::to_owned),
            }),
        }
    }

    fn check_signer_validity(
        &self,
        signer: &SignerKey,
        claims: Option<&Claims>,
        now: UnixTime,
        report: &mut Report,
    ) {
        if signer.not_before.is_none() && signer.not_after.is_none() {
            // A bare key, or a kid map without dates: nothing to check against.
            report.skip(Check::SignerValidity, SkipReason::NoData);
            return;
        }
        match signer_validity_error(signer, claims, now, self.policy.skew()) {
            None => report.pass(Check::SignerValidity),
            Some(e) => report.fail(Check::SignerValidity, e),
        }
    }

    fn check_expiry(&self, claims: &Claims, now: UnixTime, report: &mut Report) {
        let skew = self.policy.skew();
        let mut failed = false;
        if let Some(iat) = claims.issued_at {
            if now
                .checked_add_secs(skew)
                .is_some_and(|latest| iat > latest)
            {
                report.fail(Check::Expiry, Error::IssuedInFuture { iat, now });
                failed = true;
            }
        }
        match claims.expires_at {
            None => {
                report.fail(Check::Expiry, Error::MissingExpiry);
                failed = true;
            }
            Some(exp)
                if now
                    .checked_sub_secs(skew)
                    .is_some_and(|earliest| exp < earliest) =>
            {
                report.fail(Check::Expiry, Error::Expired { exp, now });
                failed = true;
            }
            Some(_) => {}
        }
        if !failed {
            report.pass(Check::Expiry);
        }
    }

    /// Looks the certificate's revocation hashes up, computed from the COSE signature and the
    /// claims. They run whether or not the signature verified (every check that can run does);
    /// without a verified signature the certificate is invalid anyway and a `revoked` verdict
    /// concerns content nobody vouched for.
    ///
    /// The kid-scoped lists consulted are those of every kid the verifying key is trusted
    /// under (all of them for a kid-less key), never only the kid the pass names: an
    /// unprotected kid is not signed, and swapping it must not move the pass out of its list.
    fn check_revocation(
        &self,
        sign1: &Sign1,
        signer: Option<&SignerKey>,
        claims: &Claims,
        now: UnixTime,
        report: &mut Report,
    ) {
        if self.revocation.is_empty() {
            report.skip(Check::Revocation, SkipReason::NoData);
            return;
        }
        report.revocation_data_age_secs = self.revocation_data_age(now);
        let placement = signer.and_then(|key| self.trust.placement(&key.key));
        let scope = match placement {
            Some(p) if p.kidless => KidScope::Every,
            Some(p) => KidScope::Kids(&p.kids),
            None => KidScope::One(&sign1.kid),
        };
        let wanted = |hash_type| self.revocation.has_hash_type(scope, hash_type);
        let hashes = revocation_hashes(wanted, sign1, claims);
        let status = self
            .revocation
            .check_scope(scope, &hashes, self.slice_time(now));
        report.revocation(status);
    }
}

/// The hashes of the `wanted` types of every v/t/r entry of the claims (the schema allows one;
/// checking all of them is harmless), with the COSE signature and the CWT issuer.
pub(super) fn revocation_hashes(
    wanted: impl Fn(HashType) -> bool,
    sign1: &Sign1,
    claims: &Claims,
) -> CertificateHashes {
    let entries: Vec<(Option<&str>, &str)> = ["v", "t", "r"]
        .iter()
        .filter_map(|group| claims.dcc.get(group)?.as_array())
        .flatten()
        .filter_map(|entry| {
            let ci = entry.get("ci")?.as_str()?;
            Some((entry.get("co").and_then(Node::as_str), ci))
        })
        .collect();
    CertificateHashes::compute_types(
        wanted,
        sign1.algorithm.as_ref().ok().copied(),
        &sign1.signature,
        claims.issuer.as_deref(),
        entries.iter().copied(),
    )
}

/// The signer certificate must be valid when the certificate was issued and until it expires
/// (notBefore <= iat and exp <= notAfter), and at `now`, all with the skew tolerance.
fn signer_validity_error(
    signer: &SignerKey,
    claims: Option<&Claims>,
    now: UnixTime,
    skew: i64,
) -> Option<Error> {
    let issued = claims.and_then(|c| c.issued_at).unwrap_or(now);
    let expires = claims.and_then(|c| c.expires_at).unwrap_or(now);
    if let Some(not_before) = signer.not_before {
        for at in [issued, now] {
            if at.checked_add_secs(skew).is_some_and(|t| t < not_before) {
                return Some(Error::SignerNotYetValid { not_before, at });
            }
        }
    }
    if let Some(not_after) = signer.not_after {
        for at in [expires, now] {
            if at.checked_sub_secs(skew).is_some_and(|t| t > not_after) {
                return Some(Error::SignerExpired { not_after, at });
            }
        }
    }
    None
}

/// Prefix, base45 and zlib: each stage needs the previous one, so the first failure ends
/// the verification.
fn unwrap_qr(qr: &str, report: &mut Report) -> Option<Vec<u8>> {
    let stages = (|| {
        let body = decode::strip_prefix(qr).map_err(|e| (Check::Prefix, e))?;
        report.pass(Check::Prefix);
        let compressed = decode::base45_decode(body).map_err(|e| (Check::Base45, e))?;
        report.pass(Check::Base45);
        let cose = decode::inflate(&compressed).map_err(|e| (Check::Decompress, e))?;
        report.pass(Check::Decompress);
        Ok(cose)
    })();
    stages.map_err(|(check, e)| report.fail(check, e)).ok()
}
