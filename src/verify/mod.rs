//! The verifier: runs every check that can run on a scanned QR text and reports them all.
//!
//! A bad, expired or unverifiable certificate is an outcome ([`Report`]), not an error: the
//! caller gets one report per scan, with the status of each [`Check`], every failure found,
//! and — only when the signature verified — the certificate content ([`Verified`]).

use std::collections::BTreeMap;
use std::sync::Arc;

mod acceptance;
pub mod danger;
mod eudcc;
mod reason;
mod report;
mod twoddoc;

pub use self::acceptance::{Acceptance, Admission, ScanOptions};
pub use self::reason::{Check, Error, Reason};
pub use self::report::{Failure, Format, Report, SkipReason, Status, Verified};

use crate::crypto::Backend;
use crate::limits::{DEFAULT_CLOCK_SKEW_SECS, MAX_CLOCK_SKEW_SECS};
use crate::revocation::RevocationStore;
use crate::rules::{RuleSet, Rules};
use crate::time::UnixTime;
use crate::trust::twoddoc_keys::TwoDDocKeys;
use crate::trust::TrustStore;

/// The name [`Verifier::with_rules`] gives its rule set.
pub const DEFAULT_RULE_SET: &str = "default";

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
    pub allow_twoddoc_test_ca: bool,
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
            allow_twoddoc_test_ca: false,
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
    pub fn with_twoddoc_test_ca(mut self, allow: bool) -> Self {
        self.allow_twoddoc_test_ca = allow;
        self
    }
}

/// The named rule sets of a verifier (here, not in `acceptance`, which imports this module).
type RuleSets = BTreeMap<String, Arc<RuleSet>>;

/// Verifies EU DCC QR texts against a fixed set of trusted signer keys and, optionally,
/// revocation data.
#[derive(Clone, Debug)]
pub struct Verifier {
    // Shared, so that cloning a verifier to swap one part (trust or revocation data, each
    // possibly megabytes) never copies the other.
    trust: Arc<TrustStore>,
    policy: Policy,
    revocation: Arc<RevocationStore>,
    twoddoc_keys: Arc<TwoDDocKeys>,
    // Named rule sets: one `Arc` each, so that adding one set never copies another.
    rule_sets: Arc<RuleSets>,
    scan: ScanOptions,
    backend: Backend,
}

/// A verifier trusting nothing, authenticity only.
impl Default for Verifier {
    fn default() -> Self {
        Self::new(TrustStore::new())
    }
}

impl Verifier {
    /// A verifier trusting the keys in `trust`, with the default [`Policy`], checking
    /// authenticity only until told otherwise ([`Verifier::with_acceptance`]).
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
            rule_sets: Arc::default(),
            scan: ScanOptions::new(Acceptance::AuthenticityOnly),
            backend: Backend::DEFAULT,
        }
    }

    /// The same verifier judging every scan by acceptance `rules` (a rule set named
    /// [`DEFAULT_RULE_SET`]); `None` removes them: authenticity only.
    #[must_use]
    pub fn with_rules(self, rules: Option<Rules>) -> Self {
        match rules {
            Some(rules) => self
                .with_rule_set(DEFAULT_RULE_SET, RuleSet::France(rules))
                .with_acceptance(Acceptance::RuleSet(DEFAULT_RULE_SET.to_string())),
            None => self
                .without_rule_set(DEFAULT_RULE_SET)
                .with_acceptance(Acceptance::AuthenticityOnly),
        }
    }

    /// The French rules the default scan options judge by, if any.
    pub fn rules(&self) -> Option<&Rules> {
        match &self.scan.acceptance {
            Acceptance::RuleSet(name) => match self.rule_sets.get(name).map(|set| &**set) {
                Some(RuleSet::France(rules)) => Some(rules),
                _ => None,
            },
            Acceptance::AuthenticityOnly => None,
        }
    }

    /// The same verifier, also holding `set` under `name` (replacing a set of that name), for
    /// scans whose [`ScanOptions::acceptance`] names it.
    #[must_use]
    pub fn with_rule_set(mut self, name: &str, set: RuleSet) -> Self {
        Arc::make_mut(&mut self.rule_sets).insert(name.to_string(), Arc::new(set));
        self
    }

    /// The same verifier without the rule set `name`.
    #[must_use]
    pub fn without_rule_set(mut self, name: &str) -> Self {
        if self.rule_sets.contains_key(name) {
            Arc::make_mut(&mut self.rule_sets).remove(name);
        }
        self
    }

    /// The names of the rule sets held.
    pub fn rule_set_names(&self) -> impl Iterator<Item = &str> {
        self.rule_sets.keys().map(String::as_str)
    }

    /// The rule set held under `name`.
    pub fn rule_set(&self, name: &str) -> Option<&RuleSet> {
        self.rule_sets.get(name).map(|set| &**set)
    }

    /// The same verifier, judging scans by `acceptance` by default (see
    /// [`Verifier::verify_with`] to choose per scan).
    #[must_use]
    pub fn with_acceptance(mut self, acceptance: Acceptance) -> Self {
        self.scan.acceptance = acceptance;
        self
    }

    /// The same verifier with other default scan options.
    #[must_use]
    pub fn with_scan_options(mut self, scan: ScanOptions) -> Self {
        self.scan = scan;
        self
    }

    /// The scan options [`Verifier::verify`] uses.
    pub fn scan_options(&self) -> &ScanOptions {
        &self.scan
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
    pub fn with_twoddoc_keys(mut self, keys: TwoDDocKeys) -> Self {
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
        self.verify_with(qr, now, &self.scan)
    }

    /// [`Verifier::verify`] with the scan options of this scan (another rule set, country or
    /// language than the verifier's defaults), without rebuilding anything.
    pub fn verify_with(&self, qr: &str, now: UnixTime, scan: &ScanOptions) -> Report {
        let (now, raised) = self.floored(now);
        let mut report = self.verify_at(scanned_text(qr), now, scan);
        report.clock_raised_to = raised;
        report.finish();
        report
    }

    /// [`Verifier::verify`] for the bytes a scanner delivered. Bytes that are not UTF-8 are
    /// replaced by U+FFFD, which no code contains, so they fail the check that reads them
    /// (`base45`, or the 2D-DOC header) instead of the whole call.
    pub fn verify_bytes(&self, scanned: &[u8], now: UnixTime) -> Report {
        self.verify_bytes_with(scanned, now, &self.scan)
    }

    /// [`Verifier::verify_bytes`] with the scan options of this scan.
    pub fn verify_bytes_with(&self, scanned: &[u8], now: UnixTime, scan: &ScanOptions) -> Report {
        self.verify_with(&String::from_utf8_lossy(scanned), now, scan)
    }

    /// `now`, raised to the trust data's clock floor, and the floor if it was applied: a
    /// key set issued at T proves the real time is at least T.
    fn floored(&self, now: UnixTime) -> (UnixTime, Option<UnixTime>) {
        match self.trust.clock_floor() {
            Some(floor) if now < floor => (floor, Some(floor)),
            _ => (now, None),
        }
    }

    fn verify_at(&self, qr: &str, now: UnixTime, scan: &ScanOptions) -> Report {
        if crate::twoddoc::looks_like_twoddoc(qr) {
            return self.verify_twoddoc(qr, now, scan);
        }
        self.verify_hc1(qr, now, scan)
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
        let mut report = self.verify_cose_into(cose, now, report, &self.scan);
        report.clock_raised_to = raised;
        report.finish();
        report
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

/// The one place where scanner input is normalised, before anything reads it: a leading
/// byte order mark (U+FEFF) and trailing CR and LF characters (handheld scanners in keyboard
/// mode end each code with them) are removed. Nothing else changes: no other whitespace is
/// trimmed (a space is a base45 character), no URL-decoding, no case folding.
pub fn scanned_text(text: &str) -> &str {
    text.strip_prefix('\u{feff}')
        .unwrap_or(text)
        .trim_end_matches(['\r', '\n'])
}
