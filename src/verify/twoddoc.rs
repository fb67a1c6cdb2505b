//! The French 2D-DOC check sequence.

use std::sync::OnceLock;

use super::acceptance::Judged;
use super::{Check, Error, Format, Report, ScanOptions, SkipReason, Verified, Verifier};
use crate::time::{TimeZone, UnixTime};
use crate::trust::twoddoc_keys::check_signer_validity;

impl Verifier {
    /// A French 2D-DOC: `prefix` (header), `signature`, `signer_validity` (at the signature
    /// date), `schema` (fields), `revocation` and `rules` run; the DCC-only checks are skipped.
    /// `expiry` runs only when the document carries its own expiry date (field `08`): B2 and
    /// L1 usually do not, and acceptance rules judge their age.
    pub(super) fn verify_twoddoc(&self, text: &str, now: UnixTime, scan: &ScanOptions) -> Report {
        let mut report = Report::new();
        report.format = Format::TwoDDoc;
        for dcc_only in [
            Check::Base45,
            Check::Decompress,
            Check::Cose,
            Check::Payload,
            Check::KeyUsage,
        ] {
            report.skip(dcc_only, SkipReason::NotApplicable);
        }
        let doc = match crate::twoddoc::parse(text) {
            Ok(doc) => doc,
            Err(e) => {
                report.fail(Check::Prefix, Error::TwoDDoc(e));
                return report;
            }
        };
        report.pass(Check::Prefix);
        report.issuer = doc.header().country.clone();
        report.issued_at = doc.header().issue_date;
        let verified = match self
            .twoddoc_keys
            .verify(&doc, self.policy.allow_twoddoc_test_ca)
        {
            Ok(key) => {
                report.pass(Check::Signature);
                match check_signer_validity(key, &doc, now, self.policy.skew()) {
                    Ok(()) => report.pass(Check::SignerValidity),
                    Err(e) => report.fail(Check::SignerValidity, Error::TwoDDoc(e)),
                }
                true
            }
            Err(e) => {
                report.fail(Check::Signature, Error::TwoDDoc(e));
                false
            }
        };
        match doc.expiry_date() {
            Ok(None) => report.skip(Check::Expiry, SkipReason::NotApplicable),
            Ok(Some(day)) => {
                report.expires_at = Some(day);
                // Valid through the whole expiry day in France (a French document's dates are
                // Paris days), with the clock skew in the holder's favour.
                let end = day
                    .end_of_day()
                    .and_then(|local| TimeZone::EuropeParis.to_utc(local))
                    .and_then(|t| t.checked_add_secs(self.policy.skew()));
                if end.is_some_and(|end| now > end) {
                    report.fail(Check::Expiry, Error::Expired { exp: day, now });
                } else {
                    report.pass(Check::Expiry);
                }
            }
            Err(e) => report.fail(Check::Expiry, Error::TwoDDoc(e)),
        }
        let content = doc.content();
        match &content {
            Ok(_) => report.pass(Check::Schema),
            Err(e) => report.fail(Check::Schema, Error::TwoDDoc(e.clone())),
        }
        if self.revocation.is_empty() {
            report.skip(Check::Revocation, SkipReason::NoData);
        } else {
            report.revocation_data_age_secs = self.revocation_data_age(now);
            let status = doc.revocation_status(&self.revocation, self.slice_time(now));
            report.revocation(status);
        }
        if verified {
            if let Ok(content) = &content {
                self.judge(Judged::TwoDDoc(content), now, scan, &mut report);
            }
            report.verified = Some(Verified {
                dcc_cbor: Vec::new(),
                dcc_json: OnceLock::new(),
                hcert: None,
                warnings: Vec::new(),
                twoddoc: Some(doc),
            });
        }
        report
    }
}
