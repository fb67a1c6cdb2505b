//! The verifier: runs every check that can run on a scanned QR text and reports them all.
//!
//! A bad, expired or unverifiable certificate is an outcome ([`Report`]), not an error: the
//! caller gets one report per scan, with the status of each [`Check`], every failure found,
//! and — only when the signature verified — the certificate content ([`Verified`]).

use core::fmt;
use std::sync::{Arc, OnceLock};

mod reason;

pub use self::reason::{Check, Error, Reason};

use crate::crypto::{Algorithm, Backend, SignatureError};
use crate::eudcc::cose::{self, Sign1};
use crate::eudcc::cwt::{self, Claims};
use crate::eudcc::decode;
use crate::eudcc::hcert::{self, EntryType, Hcert, Warning};
use crate::eudcc::payload::Node;
use crate::limits::{DEFAULT_CLOCK_SKEW_SECS, MAX_CLOCK_SKEW_SECS};
use crate::revocation::{
    CertificateHashes, HashType, KidScope, RevocationMatch, RevocationStatus, RevocationStore,
};
use crate::rules::Rules;
use crate::time::{TimeZone, UnixTime, SECS_PER_DAY};
use crate::trust::twoddoc_keys::{check_signer_validity, TwoDDocKeys};
use crate::trust::{SignerKey, TrustStore};
use crate::twoddoc::{self, TwoDDoc};

/// What the verifier accepts beyond the specification's hard rules.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Policy {
    /// Seconds of tolerance between the caller's clock and the issuer's, applied in the
    /// holder's favour to `iat`, `exp`, the signer certificate's window and revocation data
    /// expiry (default [`DEFAULT_CLOCK_SKEW_SECS`]; the verifier uses at most
    /// [`MAX_CLOCK_SKEW_SECS`] and never less than 0).
    pub clock_skew_secs: i64,
    /// Whether 2D-DOCs signed by a test CA (`XX00`) or the reserved test certificate id
    /// `0000` may verify (default `false`).
    pub allow_2ddoc_test_ca: bool,
    /// Whether a DCC's issuer country (`iss`) must be the signer's country (from the trust
    /// list or the signer certificate): otherwise the `key_usage` check fails with
    /// [`Reason::IssuerCountryMismatch`], also when either country is unknown (default
    /// `false`: see the README for the real signers this would refuse).
    pub require_issuer_country_match: bool,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            clock_skew_secs: DEFAULT_CLOCK_SKEW_SECS,
            allow_2ddoc_test_ca: false,
            require_issuer_country_match: false,
        }
    }
}

impl Policy {
    /// The default policy with another clock skew tolerance, kept within 0 and
    /// [`MAX_CLOCK_SKEW_SECS`].
    pub fn with_clock_skew_secs(mut self, secs: i64) -> Self {
        self.clock_skew_secs = secs.clamp(0, MAX_CLOCK_SKEW_SECS);
        self
    }

    /// The same policy, requiring (or not) that a DCC's `iss` is its signer's country.
    pub fn with_issuer_country_match(mut self, require: bool) -> Self {
        self.require_issuer_country_match = require;
        self
    }

    /// The skew in force: [`Policy::clock_skew_secs`] within 0 and [`MAX_CLOCK_SKEW_SECS`]
    /// (the field is public, so it may hold anything).
    fn skew(&self) -> i64 {
        self.clock_skew_secs.clamp(0, MAX_CLOCK_SKEW_SECS)
    }

    /// The same policy, accepting (or not) 2D-DOCs from test CAs.
    pub fn with_2ddoc_test_ca(mut self, allow: bool) -> Self {
        self.allow_2ddoc_test_ca = allow;
        self
    }
}

/// Verifies EU DCC QR texts against a fixed set of trusted signer keys and, optionally,
/// revocation data.
#[derive(Clone, Debug, Default)]
pub struct Verifier {
    // Shared, so that cloning a verifier to swap one part (trust or revocation data, each
    // possibly megabytes) never copies the other.
    trust: Arc<TrustStore>,
    policy: Policy,
    revocation: Arc<RevocationStore>,
    twoddoc_keys: Arc<TwoDDocKeys>,
    rules: Option<Arc<Rules>>,
    backend: Backend,
}

/// The kind of code a report is about, detected from the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
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
}

impl SkipReason {
    /// `earlier_check_failed`, `not_applicable`, `no_data` or `not_covered`.
    pub const fn code(self) -> &'static str {
        match self {
            Self::EarlierCheckFailed => "earlier_check_failed",
            Self::NotApplicable => "not_applicable",
            Self::NoData => "no_data",
            Self::NotCovered => "not_covered",
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
    statuses: [Status; Check::ALL.len()],
    skips: [Option<SkipReason>; Check::ALL.len()],
    failures: Vec<Failure>,
    kid: Option<Vec<u8>>,
    algorithm: Option<Algorithm>,
    issuer: Option<String>,
    issued_at: Option<UnixTime>,
    expires_at: Option<UnixTime>,
    entry_type: Option<EntryType>,
    revocation_data_age_secs: Option<i64>,
    verified: Option<Verified>,
    format: Format,
    clock_raised_to: Option<UnixTime>,
}

/// The content of a certificate whose signature verified with a trusted key.
///
/// Only a [`Report`] hands it out. Its `Debug` output redacts the personal data.
#[derive(Clone)]
pub struct Verified {
    /// The DCC payload's CBOR (empty for a 2D-DOC), turned into JSON on the first request:
    /// most scans never ask.
    dcc_cbor: Vec<u8>,
    dcc_json: OnceLock<serde_json::Value>,
    hcert: Option<Hcert>,
    warnings: Vec<Warning>,
    twoddoc: Option<TwoDDoc>,
}

impl Verifier {
    /// A verifier trusting the keys in `trust`, with the default [`Policy`].
    pub fn new(trust: TrustStore) -> Self {
        Self::with_policy(trust, Policy::default())
    }

    /// A verifier with an explicit policy.
    pub fn with_policy(trust: TrustStore, policy: Policy) -> Self {
        Self {
            trust: Arc::new(trust),
            policy,
            revocation: Arc::new(RevocationStore::new()),
            twoddoc_keys: Arc::new(TwoDDocKeys::new()),
            rules: None,
            backend: Backend::DEFAULT,
        }
    }

    /// The same verifier, also judging authentic certificates by acceptance `rules` (the
    /// `rules` check); `None` removes them (the check is then skipped).
    #[must_use]
    pub fn with_rules(mut self, rules: Option<Rules>) -> Self {
        self.rules = rules.map(Arc::new);
        self
    }

    /// The acceptance rules in force, if any.
    pub fn rules(&self) -> Option<&Rules> {
        self.rules.as_deref()
    }

    /// The same verifier, checking DCC signatures with `backend` (default
    /// [`Backend::DEFAULT`]), e.g. to compare backends in one process.
    #[must_use]
    pub fn with_backend(mut self, backend: Backend) -> Self {
        self.backend = backend;
        self
    }

    /// The same verifier, trusting `keys` for French 2D-DOCs (replacing any earlier ones).
    #[must_use]
    pub fn with_2ddoc_keys(mut self, keys: TwoDDocKeys) -> Self {
        self.twoddoc_keys = Arc::new(keys);
        self
    }

    /// The trusted 2D-DOC keys.
    pub fn twoddoc_keys(&self) -> &TwoDDocKeys {
        &self.twoddoc_keys
    }

    /// The same verifier, checking revocation against `store` (which replaces any earlier one).
    #[must_use]
    pub fn with_revocation(mut self, store: RevocationStore) -> Self {
        self.revocation = Arc::new(store);
        self
    }

    /// The same verifier with other trusted keys (the revocation data and policy are kept).
    #[must_use]
    pub fn with_trust(mut self, trust: TrustStore) -> Self {
        self.trust = Arc::new(trust);
        self
    }

    /// The revocation data in use (empty unless set by [`Verifier::with_revocation`]).
    pub fn revocation(&self) -> &RevocationStore {
        &self.revocation
    }

    /// The trusted keys.
    pub fn trust(&self) -> &TrustStore {
        &self.trust
    }

    /// The policy in force.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Verifies the text of a scanned QR code at time `now`, or at the trust data's
    /// [clock floor](TrustStore::clock_floor) if `now` is earlier (see
    /// [`Report::clock_raised_to`]). The text is first freed of what scanners add around a
    /// code (see [`scanned_text`]).
    ///
    /// Never fails and never panics: every outcome, including garbage input, is a [`Report`].
    pub fn verify(&self, qr: &str, now: UnixTime) -> Report {
        let (now, raised) = self.floored(now);
        let mut report = self.verify_at(scanned_text(qr), now);
        report.clock_raised_to = raised;
        report.finish();
        report
    }

    /// [`Verifier::verify`] for the bytes a scanner delivered. Bytes that are not UTF-8 are
    /// replaced by U+FFFD, which no code contains, so they fail the check that reads them
    /// (`base45`, or the 2D-DOC header) instead of the whole call.
    pub fn verify_bytes(&self, scanned: &[u8], now: UnixTime) -> Report {
        self.verify(&String::from_utf8_lossy(scanned), now)
    }

    /// `now`, raised to the trust data's clock floor, and the floor if it was applied: a
    /// key set issued at T proves the real time is at least T.
    fn floored(&self, now: UnixTime) -> (UnixTime, Option<UnixTime>) {
        match self.trust.clock_floor() {
            Some(floor) if now < floor => (floor, Some(floor)),
            _ => (now, None),
        }
    }

    fn verify_at(&self, qr: &str, now: UnixTime) -> Report {
        if twoddoc::looks_like_2ddoc(qr) {
            return self.verify_2ddoc(qr, now);
        }
        let mut report = Report::new();
        match unwrap_qr(qr, &mut report) {
            Some(cose) => self.verify_cose_into(&cose, now, report),
            None => report,
        }
    }

    /// Verifies a COSE_Sign1 message that arrived without the QR text layers (prefix,
    /// base45, zlib), which are then reported as skipped. The clock floor applies as in
    /// [`Verifier::verify`].
    pub fn verify_cose(&self, cose: &[u8], now: UnixTime) -> Report {
        let (now, raised) = self.floored(now);
        let mut report = Report::new();
        for layer in [Check::Prefix, Check::Base45, Check::Decompress] {
            report.skip(layer, SkipReason::NotApplicable);
        }
        let mut report = self.verify_cose_into(cose, now, report);
        report.clock_raised_to = raised;
        report.finish();
        report
    }

    fn verify_cose_into(&self, cose: &[u8], now: UnixTime, mut report: Report) -> Report {
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
                match &self.rules {
                    Some(rules) => report.judge(rules.check_dcc_node(&claims.dcc, now)),
                    None => report.skip(Check::Rules, SkipReason::NoData),
                }
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
}

impl Verifier {
    /// A French 2D-DOC: `prefix` (header), `signature`, `signer_validity` (at the signature
    /// date), `schema` (fields), `revocation` and `rules` run; the DCC-only checks are skipped.
    /// `expiry` runs only when the document carries its own expiry date (field `08`): B2 and
    /// L1 usually do not, and acceptance rules judge their age.
    fn verify_2ddoc(&self, text: &str, now: UnixTime) -> Report {
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
        let doc = match twoddoc::parse(text) {
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
            .verify(&doc, self.policy.allow_2ddoc_test_ca)
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
                    .checked_add_secs(SECS_PER_DAY.saturating_sub(1))
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
            match (&self.rules, &content) {
                (Some(rules), Ok(content)) => report.judge(rules.check_2ddoc(content, now)),
                (None, _) => report.skip(Check::Rules, SkipReason::NoData),
                (Some(_), Err(_)) => {}
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

    fn revocation_data_age(&self, now: UnixTime) -> Option<i64> {
        self.revocation
            .issued_at()
            .and_then(|issued| now.secs().checked_sub(issued.secs()))
    }

    /// The time revocation lists are judged in force at: `now` less the clock skew, so that a
    /// list covers every certificate whose `exp` the skew still accepts.
    fn slice_time(&self, now: UnixTime) -> UnixTime {
        now.checked_sub_secs(self.policy.skew()).unwrap_or(now)
    }
}

/// The hashes of the `wanted` types of every v/t/r entry of the claims (the schema allows one;
/// checking all of them is harmless), with the COSE signature and the CWT issuer.
fn revocation_hashes(
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

/// The one place where scanner input is normalised, before anything reads it: a leading
/// byte order mark (U+FEFF) and trailing CR and LF characters (handheld scanners in keyboard
/// mode end each code with them) are removed. Nothing else changes: no other whitespace is
/// trimmed (a space is a base45 character), no URL-decoding, no case folding.
pub fn scanned_text(text: &str) -> &str {
    text.strip_prefix('\u{feff}')
        .unwrap_or(text)
        .trim_end_matches(['\r', '\n'])
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

impl Report {
    fn new() -> Self {
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
        }
    }

    fn pass(&mut self, check: Check) {
        if let Some(status) = self.statuses.get_mut(check.index()) {
            if *status == Status::Skipped {
                *status = Status::Pass;
            }
        }
    }

    /// Records why `check` does not run (it stays skipped).
    fn skip(&mut self, check: Check, why: SkipReason) {
        if let Some(skip) = self.skips.get_mut(check.index()) {
            *skip = Some(why);
        }
    }

    /// Records a revocation lookup's outcome.
    fn revocation(&mut self, status: RevocationStatus) {
        match status {
            RevocationStatus::NotCovered => self.skip(Check::Revocation, SkipReason::NotCovered),
            RevocationStatus::NotRevoked => self.pass(Check::Revocation),
            RevocationStatus::Revoked(found) => self.fail(Check::Revocation, Error::Revoked(found)),
        }
    }

    /// Gives every check still skipped without a recorded reason the one left: an earlier
    /// check failed (or could not run), and clears reasons of checks that ran.
    fn finish(&mut self) {
        for (status, skip) in self.statuses.iter().zip(self.skips.iter_mut()) {
            *skip = match status {
                Status::Skipped => Some(skip.unwrap_or(SkipReason::EarlierCheckFailed)),
                Status::Pass | Status::Fail => None,
            };
        }
    }

    /// Records the acceptance rules' outcome.
    fn judge(&mut self, outcome: Result<(), crate::rules::Violation>) {
        match outcome {
            Ok(()) => self.pass(Check::Rules),
            Err(v) => self.fail(Check::Rules, Error::Rules(v)),
        }
    }

    fn fail(&mut self, check: Check, error: impl Into<Error>) {
        let error = error.into();
        if let Some(status) = self.statuses.get_mut(check.index()) {
            *status = Status::Fail;
        }
        self.failures.push(Failure { check, error });
    }

    /// Whether the certificate is genuine, in force, well-formed and not revoked: no check failed
    /// and every check from the COSE structure to the schema passed. (The QR text layers are
    /// skipped by [`Verifier::verify_cose`]; revocation is skipped when no revocation data
    /// covers the certificate; `rules` is skipped when no acceptance rules are configured, and
    /// when they are, a refusal is a failure.)
    pub fn is_valid(&self) -> bool {
        if self.format == Format::TwoDDoc {
            const REQUIRED_2DDOC: [Check; 4] = [
                Check::Prefix,
                Check::Signature,
                Check::SignerValidity,
                Check::Schema,
            ];
            return self.failures.is_empty()
                && REQUIRED_2DDOC.iter().all(|&c| self.ran_or_no_data(c));
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
    /// ([`RevocationStore::set_issued_at`]); negative if the data claims to come from the future.
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
    /// [clock floor](TrustStore::clock_floor) (a key set's issue time): the device clock is
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
    pub fn two_d_doc(&self) -> Option<&TwoDDoc> {
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

/// Decoding without any signature check, for diagnostics and conformance tests only: the
/// result is whatever the QR code claims, authentic or not. Never show it to a verifier user.
pub mod danger {
    use super::{cose, cwt, decode, CertificateHashes};
    use crate::eudcc::DecodeError;

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
        Ok(super::revocation_hashes(|_| true, &sign1, &claims))
    }
}
