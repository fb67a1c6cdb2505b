//! What one verification found: a [`Report`] with each [`Check`]'s [`Status`], the failures,
//! and — only when the signature verified — the content ([`Verified`]).

use core::fmt;
use std::sync::OnceLock;

use super::{Admission, Check, Error, Reason};
use crate::crypto::Algorithm;
use crate::eudcc::hcert::{EntryType, Hcert, Warning};
use crate::eudcc::payload::Node;
use crate::revocation::{RevocationMatch, RevocationStatus};
use crate::rules::RuleResult;
use crate::time::UnixTime;
use crate::twoddoc::TwoDDoc;

/// The kind of code a report is about, detected from the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Format {
    /// An EU Digital COVID Certificate (`HC1:`).
    EuDcc,
    /// A French 2D-DOC (`DC02`..`DC04`).
    TwoDDoc,
}

impl Format {
    /// `dcc` or `2d-doc`.
    pub const fn name(self) -> &'static str {
        match self {
            Self::EuDcc => "dcc",
            Self::TwoDDoc => "2d-doc",
        }
    }
}

/// The outcome of one check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Status {
    /// The check ran and passed.
    Pass,
    /// The check ran and failed.
    Fail,
    /// The check could not run (an earlier stage failed, or no data for it).
    Skipped,
}

impl Status {
    /// `pass`, `fail` or `skipped`.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Pass => "pass",
            Self::Fail => "fail",
            Self::Skipped => "skipped",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why a check did not run: each skipped check in a [`Report`] has one, so that no check is
/// ever off without a word.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SkipReason {
    /// A check it depends on failed or could not run.
    EarlierCheckFailed,
    /// The check does not apply to this input: the QR text layers of a bare COSE message, the
    /// DCC-only checks of a 2D-DOC, the expiry of a 2D-DOC that carries no expiry date.
    NotApplicable,
    /// The verifier has no data for it: no revocation data, no acceptance rules, or a signer
    /// key without a validity period.
    NoData,
    /// Revocation data is loaded, but no list in force covers this certificate's signer and
    /// hash types (or every list that would has expired).
    NotCovered,
    /// The caller chose not to run it: `rules` under [`Acceptance::AuthenticityOnly`](crate::Acceptance::AuthenticityOnly).
    NotRequested,
}

impl SkipReason {
    /// `earlier_check_failed`, `not_applicable`, `no_data`, `not_covered` or `not_requested`.
    pub const fn code(self) -> &'static str {
        match self {
            Self::EarlierCheckFailed => "earlier_check_failed",
            Self::NotApplicable => "not_applicable",
            Self::NoData => "no_data",
            Self::NotCovered => "not_covered",
            Self::NotRequested => "not_requested",
        }
    }
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// One failed check and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// The check that failed.
    pub check: Check,
    /// Why, with context.
    pub error: Error,
}

/// Everything one verification found. Contains no personal data except inside [`Verified`].
#[derive(Clone, Debug)]
pub struct Report {
    pub(super) statuses: [Status; Check::ALL.len()],
    pub(super) skips: [Option<SkipReason>; Check::ALL.len()],
    pub(super) failures: Vec<Failure>,
    pub(super) kid: Option<Vec<u8>>,
    pub(super) algorithm: Option<Algorithm>,
    pub(super) issuer: Option<String>,
    pub(super) issued_at: Option<UnixTime>,
    pub(super) expires_at: Option<UnixTime>,
    pub(super) entry_type: Option<EntryType>,
    pub(super) revocation_data_age_secs: Option<i64>,
    pub(super) verified: Option<Verified>,
    pub(super) format: Format,
    pub(super) clock_raised_to: Option<UnixTime>,
    pub(super) rule_set: Option<String>,
    pub(super) rule_results: Vec<RuleResult>,
}

/// The content of a certificate whose signature verified with a trusted key.
///
/// Only a [`Report`] hands it out. Its `Debug` output redacts the personal data.
#[derive(Clone)]
pub struct Verified {
    /// The DCC payload's CBOR (empty for a 2D-DOC), turned into JSON on the first request:
    /// most scans never ask.
    pub(super) dcc_cbor: Vec<u8>,
    pub(super) dcc_json: OnceLock<serde_json::Value>,
    pub(super) hcert: Option<Hcert>,
    pub(super) warnings: Vec<Warning>,
    pub(super) twoddoc: Option<TwoDDoc>,
}

impl Report {
    pub(super) fn new() -> Self {
        Self {
            statuses: [Status::Skipped; Check::ALL.len()],
            skips: [None; Check::ALL.len()],
            failures: Vec::new(),
            kid: None,
            algorithm: None,
            issuer: None,
            issued_at: None,
            expires_at: None,
            entry_type: None,
            revocation_data_age_secs: None,
            verified: None,
            format: Format::EuDcc,
            clock_raised_to: None,
            rule_set: None,
            rule_results: Vec::new(),
        }
    }

    pub(super) fn pass(&mut self, check: Check) {
        if let Some(status) = self.statuses.get_mut(check.index()) {
            if *status == Status::Skipped {
                *status = Status::Pass;
            }
        }
    }

    /// Records why `check` does not run (it stays skipped).
    pub(super) fn skip(&mut self, check: Check, why: SkipReason) {
        if let Some(skip) = self.skips.get_mut(check.index()) {
            *skip = Some(why);
        }
    }

    /// Records a revocation lookup's outcome.
    pub(super) fn revocation(&mut self, status: RevocationStatus) {
        match status {
            RevocationStatus::NotCovered => self.skip(Check::Revocation, SkipReason::NotCovered),
            RevocationStatus::NotRevoked => self.pass(Check::Revocation),
            RevocationStatus::Revoked(found) => self.fail(Check::Revocation, Error::Revoked(found)),
        }
    }

    /// Gives every check still skipped without a recorded reason the one left: an earlier
    /// check failed (or could not run), and clears reasons of checks that ran.
    pub(super) fn finish(&mut self) {
        for (status, skip) in self.statuses.iter().zip(self.skips.iter_mut()) {
            *skip = match status {
                Status::Skipped => Some(skip.unwrap_or(SkipReason::EarlierCheckFailed)),
                Status::Pass | Status::Fail => None,
            };
        }
    }

    pub(super) fn fail(&mut self, check: Check, error: impl Into<Error>) {
        let error = error.into();
        if let Some(status) = self.statuses.get_mut(check.index()) {
            *status = Status::Fail;
        }
        self.failures.push(Failure { check, error });
    }

    /// Whether the certificate is genuine, in force, well-formed and not revoked: no check failed
    /// and every check from the COSE structure to the schema passed. (The QR text layers are
    /// skipped by [`Verifier::verify_cose`](crate::Verifier::verify_cose); revocation is skipped when no revocation data
    /// covers the certificate; `rules` is skipped under [`Acceptance::AuthenticityOnly`](crate::Acceptance::AuthenticityOnly), and
    /// otherwise a refusal is a failure.) Valid is not "admit": see [`Report::admission`].
    pub fn is_valid(&self) -> bool {
        if self.format == Format::TwoDDoc {
            const REQUIRED_TWODDOC: [Check; 4] = [
                Check::Prefix,
                Check::Signature,
                Check::SignerValidity,
                Check::Schema,
            ];
            return self.failures.is_empty()
                && REQUIRED_TWODDOC.iter().all(|&c| self.ran_or_no_data(c));
        }
        const REQUIRED: [Check; 7] = [
            Check::Cose,
            Check::Payload,
            Check::Signature,
            Check::KeyUsage,
            Check::SignerValidity,
            Check::Expiry,
            Check::Schema,
        ];
        self.failures.is_empty() && REQUIRED.iter().all(|&c| self.ran_or_no_data(c))
    }

    /// A required check passed, or it is the signer validity of a key that has no validity
    /// period (the trust data vouches for the key without dates: reported as skipped).
    fn ran_or_no_data(&self, check: Check) -> bool {
        match self.status(check) {
            Status::Pass => true,
            Status::Skipped => {
                check == Check::SignerValidity
                    && self.skip_reason(check) == Some(SkipReason::NoData)
            }
            Status::Fail => false,
        }
    }

    /// The decision to show: admitted (valid, and the rules admit it), refused (not valid), or
    /// not evaluated (valid, but no acceptance rules judged it).
    pub fn admission(&self) -> Admission {
        match (self.is_valid(), self.status(Check::Rules)) {
            (false, _) => Admission::Refused,
            (true, Status::Pass) => Admission::Admitted,
            (true, _) => Admission::NotEvaluated,
        }
    }

    /// The rule set that judged the scan (`None` under authenticity only).
    pub fn rule_set(&self) -> Option<&str> {
        self.rule_set.as_deref()
    }

    /// Each rule's result, in identifier order (EU rules), or the French engine's one result;
    /// empty when no rules ran.
    pub fn rule_results(&self) -> &[RuleResult] {
        &self.rule_results
    }

    /// Why `check` was skipped; `None` when it ran.
    pub fn skip_reason(&self, check: Check) -> Option<SkipReason> {
        self.skips.get(check.index()).copied().flatten()
    }

    /// The primary reason the certificate is invalid: the first failure of the earliest
    /// failed check, in [`Check::ALL`] order. `None` when valid.
    pub fn reason(&self) -> Option<Reason> {
        self.failures
            .iter()
            .min_by_key(|f| f.check)
            .map(|f| f.error.reason())
    }

    /// The status of one check.
    pub fn status(&self, check: Check) -> Status {
        self.statuses
            .get(check.index())
            .copied()
            .unwrap_or(Status::Skipped)
    }

    /// Every failure found, in the order the checks ran.
    pub fn failures(&self) -> &[Failure] {
        &self.failures
    }

    /// The kid the signer was looked up by (protected header first), once the COSE parsed.
    pub fn kid(&self) -> Option<&[u8]> {
        self.kid.as_deref()
    }

    /// The signature algorithm from the protected header, if supported.
    pub fn algorithm(&self) -> Option<Algorithm> {
        self.algorithm
    }

    /// The issuing country (`iss`), as claimed (authentic only if [`Report::verified`]).
    pub fn issuer(&self) -> Option<&str> {
        self.issuer.as_deref()
    }

    /// The issue time (`iat`), as claimed.
    pub fn issued_at(&self) -> Option<UnixTime> {
        self.issued_at
    }

    /// The expiry (`exp`), as claimed.
    pub fn expires_at(&self) -> Option<UnixTime> {
        self.expires_at
    }

    /// The certificate type, when exactly one of v/t/r is present.
    pub fn entry_type(&self) -> Option<EntryType> {
        self.entry_type
    }

    /// The revocation hit, when the revocation check failed: which hash type matched, in which
    /// list, and the chance that it is a false positive.
    pub fn revocation_match(&self) -> Option<&RevocationMatch> {
        self.failures.iter().find_map(|f| match &f.error {
            Error::Revoked(found) => Some(found),
            _ => None,
        })
    }

    /// Seconds between the revocation data's issue time and the verification time, when the
    /// revocation check ran and the data's issue time was supplied
    /// ([`RevocationStore::set_issued_at`](crate::RevocationStore::set_issued_at)); negative if the data claims to come from the future.
    pub fn revocation_data_age_secs(&self) -> Option<i64> {
        self.revocation_data_age_secs
    }

    /// The certificate content, present only when the signature verified with a trusted key
    /// (even if another check, such as expiry, failed).
    pub fn verified(&self) -> Option<&Verified> {
        self.verified.as_ref()
    }

    /// The format detected from the text: EU DCC (`HC1:`) or French 2D-DOC (`DC0x`).
    pub fn format(&self) -> Format {
        self.format
    }

    /// The time the checks ran at when the caller's `now` was earlier than the trust data's
    /// [clock floor](crate::TrustStore::clock_floor) (a key set's issue time): the device clock is
    /// then known to be wrong, and the floor is used instead. `None` when `now` was used.
    pub fn clock_raised_to(&self) -> Option<UnixTime> {
        self.clock_raised_to
    }
}

impl Verified {
    /// The DCC payload as JSON, with the issuer's field names and values (`null` for a 2D-DOC).
    pub fn dcc_json(&self) -> &serde_json::Value {
        self.dcc_json.get_or_init(|| {
            // Read once already while verifying, so this cannot fail; `null` if it did.
            Node::from_cbor(&self.dcc_cbor).map_or(serde_json::Value::Null, |dcc| dcc.to_json())
        })
    }

    /// The typed payload, when it matches the schema.
    pub fn hcert(&self) -> Option<&Hcert> {
        self.hcert.as_ref()
    }

    /// The French 2D-DOC whose signature verified (`None` for a DCC). Its unsigned annex is
    /// not covered by the signature.
    pub fn twoddoc(&self) -> Option<&TwoDDoc> {
        self.twoddoc.as_ref()
    }

    /// Normalisations applied while reading the payload.
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }
}

impl fmt::Debug for Verified {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verified")
            .field("dcc", &"<redacted>")
            .finish_non_exhaustive()
    }
}
