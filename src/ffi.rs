//! The UniFFI surface: what Kotlin (Android), Swift (iOS) and Python see. The only file that
//! names `uniffi`. Doc comments here travel into the generated bindings, so they are written
//! for app developers.
//!
//! Shape: one thread-safe [`DccVerifier`] object per set of trust material, built with an
//! explicit [`Acceptance`] (named rule sets, or authenticity only); `verify` returns a
//! [`Verdict`] for every scan, valid or not (an invalid pass is an outcome, not an exception);
//! [`DccError`] is thrown only for caller mistakes such as unreadable trust data or rules.
//!
//! Integers are signed (`i32`, `i64`): Kotlin maps unsigned ones to inline classes, which Java
//! cannot call (mangled method names such as `trustedKeyCount-s-VKNKU`, hidden constructors).
//! Byte strings are `Vec<u8>` (a `ByteArray`/`byte[]`, `Data`, `bytes`).

use core::fmt;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::eudcc::hcert::{EntryType, Hcert};
use crate::limits::MAX_CLOCK_SKEW_SECS;
use crate::revocation::{FilterKind, HashType, RevocationStore, Slice, SliceData};
use crate::rules::eu::{EuRules, EuRulesError, RuleType, ValueSets};
use crate::rules::{RuleOutcome as CoreRuleOutcome, RuleResult as CoreRuleResult, RuleSet};
use crate::time::UnixTime;
use crate::trust::TrustStore;
use crate::verify::{Acceptance as CoreAcceptance, Admission as CoreAdmission};
use crate::verify::{Check as CoreCheck, Reason as CoreReason, ScanOptions as CoreScanOptions};
use crate::verify::{Policy, Report, SkipReason as CoreSkipReason, Status};
use crate::Verifier;

/// Verifies EU Digital COVID Certificates offline against trusted signer keys.
///
/// Safe to share between threads: scans may run concurrently, and [`DccVerifier::replace_trust`]
/// (like every method that adds or removes data) swaps the trust material atomically while
/// they do (a scan uses either the old or the new set, never a mix).
#[derive(uniffi::Object)]
pub struct DccVerifier {
    /// Swapped whole under the write lock; scans clone the `Arc` and run without the lock.
    current: RwLock<Arc<Verifier>>,
    /// The pinned key set publisher ([`VerifierOptions::keyset_publisher_key`]), kept for
    /// [`DccVerifier::replace_trust`].
    keyset_pin: Option<crate::crypto::PublicKey>,
    /// [`VerifierOptions::allow_empty_trust`], kept for [`DccVerifier::replace_trust`].
    allow_empty_trust: bool,
    /// [`VerifierOptions::minimum_keyset_issued_at`].
    minimum_keyset_issued_at: Option<UnixTime>,
}

/// The text of a scanned code. Kotlin, Swift and Python pass a plain string: the bindings
/// encode it to UTF-8 themselves without ever throwing (a lone UTF-16 surrogate becomes `?`
/// in Kotlin and an invalid byte in Python, which the verdict then reports), so `verify`
/// keeps its promise of never throwing.
pub struct ScannedText(Vec<u8>);

uniffi::custom_newtype!(ScannedText, Vec<u8>);

/// What a verifier judges scans for beyond authenticity: chosen when it is built (there is no
/// default) and again per scan with [`DccVerifier::verify_with`].
#[derive(uniffi::Enum, Clone, Debug, PartialEq, Eq)]
pub enum Acceptance {
    /// Genuine, in force and not revoked, nothing more: the `rules` check is skipped
    /// ([`SkipReason::NotRequested`]) and the verdict's admission is
    /// [`Admission::NotEvaluated`].
    AuthenticityOnly,
    /// The rule set added under `name` ([`DccVerifier::add_eu_rules`],
    /// [`DccVerifier::add_gateway_eu_rules`], [`DccVerifier::add_french_rules`]). While no set
    /// of that name is added, the `rules` check fails with `rules_not_applicable`.
    RuleSet {
        /// The rule set's name.
        name: String,
    },
}

/// The choices made for one scan: which rules, for which arrival country and region, in which
/// language.
#[derive(uniffi::Record)]
pub struct ScanOptions {
    /// Which rule set judges the scan, or authenticity only.
    pub acceptance: Acceptance,
    /// The arrival country for EU rules (ISO 3166 alpha-2, e.g. `DE`). Default "".
    #[uniffi(default = "")]
    pub country: String,
    /// The region within it for EU rules; "" (the default) for none.
    #[uniffi(default = "")]
    pub region: String,
    /// The language of rule descriptions (`en`, `de`, `fr`...); English where a rule has no
    /// text in it. Default `en`.
    #[uniffi(default = "en")]
    pub lang: String,
    /// Whether a rule that could not be evaluated (OPEN) lets the certificate pass. Default
    /// false: an OPEN rule then refuses it with reason `rules_open`.
    #[uniffi(default = false)]
    pub accept_open_rules: bool,
}

/// Tuning of the verification policy, and the scan options [`DccVerifier::verify`] uses (with
/// the acceptance given to the constructor).
#[derive(uniffi::Record)]
pub struct VerifierOptions {
    /// Seconds of tolerance between the device clock and the issuer's, applied in the
    /// holder's favour to the issue and expiry times: 0 to 86,400 (one day). Default 300.
    #[uniffi(default = 300)]
    pub clock_skew_seconds: i32,
    /// Accept French 2D-DOCs signed by a test CA (`XX00`) or test certificate `0000`.
    /// Default false.
    #[uniffi(default = false)]
    pub allow_2ddoc_test_ca: bool,
    /// The compact key set publisher's EC P-256 public key (PEM or DER), pinned by the app:
    /// every trust element must then be a key set signed with it. Default none.
    #[uniffi(default = None)]
    pub keyset_publisher_key: Option<Vec<u8>>,
    /// Refuse a DCC whose issuing country (`iss`) is not its signer's country (reason
    /// `issuer_country_mismatch`). Default false: some real signers would be refused (README).
    #[uniffi(default = false)]
    pub require_issuer_country_match: bool,
    /// Accept an empty trust list (no signer trusted: every DCC is refused). Default false: an
    /// empty list is usually a failed download, and must not silently replace the trust.
    #[uniffi(default = false)]
    pub allow_empty_trust: bool,
    /// The issue time of the newest key set this app has loaded before (persist
    /// [`DccVerifier::keyset_issued_at`] and pass it back at start-up): an older key set is
    /// then refused ([`DccError::TrustRollback`]), also across restarts. Default none.
    #[uniffi(default = None)]
    pub minimum_keyset_issued_at: Option<SystemTime>,
    /// The default arrival country for EU rules ([`ScanOptions::country`]). Default "".
    #[uniffi(default = "")]
    pub country: String,
    /// The default region ([`ScanOptions::region`]). Default "".
    #[uniffi(default = "")]
    pub region: String,
    /// The default language of rule descriptions ([`ScanOptions::lang`]). Default `en`.
    #[uniffi(default = "en")]
    pub lang: String,
    /// The default for OPEN rules ([`ScanOptions::accept_open_rules`]). Default false.
    #[uniffi(default = false)]
    pub accept_open_rules: bool,
}

impl Default for VerifierOptions {
    fn default() -> Self {
        Self {
            clock_skew_seconds: 300,
            allow_2ddoc_test_ca: false,
            keyset_publisher_key: None,
            require_issuer_country_match: false,
            allow_empty_trust: false,
            minimum_keyset_issued_at: None,
            country: String::new(),
            region: String::new(),
            lang: "en".to_string(),
            accept_open_rules: false,
        }
    }
}

/// The kind of code scanned, detected from the text.
#[derive(uniffi::Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeFormat {
    /// An EU Digital COVID Certificate (`HC1:`).
    EuDcc,
    /// A French 2D-DOC (`DC02`..`DC04`).
    TwoDDoc,
}

/// One trusted French 2D-DOC signer key.
#[derive(uniffi::Record)]
pub struct TwoDDocTrust {
    /// CA id from the 2D-DOC header, e.g. `FR03`.
    pub ca_id: String,
    /// Certificate id from the 2D-DOC header, e.g. `AV01`.
    pub cert_id: String,
    /// An X.509 certificate (DER or PEM) or a PEM public key.
    pub key: Vec<u8>,
}

/// The answer for one scanned code.
#[derive(uniffi::Record)]
pub struct Verdict {
    /// EU DCC or French 2D-DOC.
    pub format: CodeFormat,
    /// True when the certificate is genuine, in force and well-formed.
    pub valid: bool,
    /// Why it is not valid (the earliest failed check); null when valid.
    pub reason: Option<Reason>,
    /// The stable snake_case code of `reason` (e.g. `"expired"`), for logs and analytics.
    pub reason_code: Option<String>,
    /// The outcome of each check.
    pub checks: Checks,
    /// Every failure found, in check order (there may be several).
    pub failures: Vec<Failure>,
    /// Every skipped check with why it did not run (no check is ever off without a reason).
    pub skipped: Vec<SkippedCheck>,
    /// The key identifier of the signer, once the code could be decoded that far.
    pub kid: Option<Vec<u8>>,
    /// The signature algorithm, if supported.
    pub algorithm: Option<SignatureAlgorithm>,
    /// Which revocation list matched, when the certificate is revoked.
    pub revocation_hit: Option<RevocationHit>,
    /// Seconds between the revocation data's issue time and `now`, when the revocation check
    /// ran and [`RevocationData::issued_at`] was given: show a warning when it grows old.
    pub revocation_data_age_seconds: Option<i64>,
    /// The decision to show: admitted (valid, and the acceptance rules admit it), refused (not
    /// valid), or not evaluated (valid, but no rules judged it: authenticity only, or the
    /// rules could not run). Never admitted without rules.
    pub admission: Admission,
    /// The stable code of `admission`: `admitted`, `refused` or `not_evaluated`.
    pub admission_code: String,
    /// The rule set the scan was judged by; null under authenticity only.
    pub rule_set: Option<String>,
    /// Each rule's result, in identifier order (EU rules; the French rules give one result
    /// for the whole set); empty when no rules ran.
    pub rule_results: Vec<RuleResult>,
    /// The certificate content. Present only when the signature verified with a trusted key
    /// and the content matches the schema, even if another check (e.g. expiry) failed:
    /// show the holder's name only together with the verdict. Its string forms, and so the
    /// verdict's, print no personal data.
    pub certificate: Option<CertificateSummary>,
}

/// The decision a gate screen shows.
#[derive(uniffi::Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Admission {
    /// Valid, and the acceptance rules admit it.
    Admitted,
    /// Not valid: a check failed (authenticity, expiry, revocation or the rules).
    Refused,
    /// Valid, but no rules judged it: the verifier does not say whether to admit.
    NotEvaluated,
}

/// One acceptance rule's result.
#[derive(uniffi::Record)]
pub struct RuleResult {
    /// The rule's identifier (`VR-EU-0001`; the French rules' is `FR-RULES`).
    pub id: String,
    /// Its version (`1.0.0`; "" for the French rules).
    pub version: String,
    /// Passed, failed or open.
    pub outcome: RuleOutcome,
    /// Why the rule is open, as a stable code (`engine`, `engine_version`, `schema_version`,
    /// `invalid_logic`, `evaluation_error`, `not_boolean`); null unless open.
    pub open_reason: Option<String>,
    /// What the rule requires, in the language asked for (English as fallback).
    pub description: String,
}

/// The outcome of one rule.
#[derive(uniffi::Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleOutcome {
    /// The rule holds.
    Passed,
    /// The rule does not hold: the certificate is refused.
    Failed,
    /// The rule could not be evaluated: not a pass (see [`ScanOptions::accept_open_rules`]).
    Open,
}

/// One EU rule as the Gateway serves it (`/rules/{country}/{hash}`), with the hash the
/// Gateway's `/rules` list gives for it.
#[derive(uniffi::Record)]
pub struct GatewayRule {
    /// The SHA-256 of `bytes`, 64 hex digits, from the `/rules` list.
    pub hash: String,
    /// The rule's JSON, exactly as served.
    pub bytes: Vec<u8>,
}

/// What an EU rule set holds once added.
#[derive(uniffi::Record)]
pub struct EuRuleSetInfo {
    /// How many rules it holds (every version of every rule).
    pub rule_count: i64,
    /// The countries whose rules it holds, sorted.
    pub countries: Vec<String>,
    /// The rules whose CertLogic is invalid: kept, and OPEN wherever they are selected.
    pub invalid_rules: Vec<InvalidRule>,
}

/// A rule whose CertLogic the validator refused.
#[derive(uniffi::Record)]
pub struct InvalidRule {
    /// The rule's identifier.
    pub id: String,
    /// What is wrong, with the JSON paths.
    pub issues: String,
}

/// A check that did not run, and why.
#[derive(uniffi::Record)]
pub struct SkippedCheck {
    /// Which check.
    pub check: Check,
    /// Why it did not run.
    pub reason: SkipReason,
}

/// Why a check did not run.
#[derive(uniffi::Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SkipReason {
    /// A check it depends on failed or could not run.
    EarlierCheckFailed,
    /// It does not apply to this code (e.g. the DCC-only checks of a 2D-DOC).
    NotApplicable,
    /// No data for it: no revocation lists, no rules, or a signer key without validity dates.
    NoData,
    /// Revocation lists are loaded, but none in force covers this certificate.
    NotCovered,
    /// Not asked for: the acceptance rules under authenticity only.
    NotRequested,
}

/// The outcome of each verification step, in the order they run.
#[derive(uniffi::Record)]
pub struct Checks {
    /// The `HC1:` prefix (and input length).
    pub prefix: CheckStatus,
    /// Base45 decoding.
    pub base45: CheckStatus,
    /// zlib decompression.
    pub decompress: CheckStatus,
    /// The COSE_Sign1 structure and headers.
    pub cose: CheckStatus,
    /// The CWT claims and the health certificate claim.
    pub payload: CheckStatus,
    /// The signature with a trusted key.
    pub signature: CheckStatus,
    /// The signer may sign this type of certificate.
    pub key_usage: CheckStatus,
    /// The signer's certificate was valid for this certificate's lifetime.
    pub signer_validity: CheckStatus,
    /// Issued in the past and not expired.
    pub expiry: CheckStatus,
    /// The content matches the EU DCC schema.
    pub schema: CheckStatus,
    /// Revocation lists.
    pub revocation: CheckStatus,
    /// The acceptance rules (skipped when none are set).
    pub rules: CheckStatus,
}

/// The outcome of one check.
#[derive(uniffi::Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum CheckStatus {
    /// The check ran and passed.
    Pass,
    /// The check ran and failed.
    Fail,
    /// The check could not run (an earlier step failed, or there was no data for it).
    Skipped,
}

/// A verification step.
#[derive(uniffi::Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Check {
    /// The `HC1:` prefix.
    Prefix,
    /// Base45 decoding.
    Base45,
    /// zlib decompression.
    Decompress,
    /// The COSE structure.
    Cose,
    /// The claims and payload.
    Payload,
    /// The signature.
    Signature,
    /// The signer's key usage.
    KeyUsage,
    /// The signer certificate's validity.
    SignerValidity,
    /// Issue and expiry times.
    Expiry,
    /// The schema.
    Schema,
    /// Revocation.
    Revocation,
    /// Acceptance rules.
    Rules,
}

/// One failed check.
#[derive(uniffi::Record)]
pub struct Failure {
    /// Which check failed.
    pub check: Check,
    /// Why.
    pub reason: Reason,
    /// A technical description for logs, in English, without personal data.
    pub message: String,
}

/// Why a certificate is not valid. Each value maps to one message and one action in a UI.
#[derive(uniffi::Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reason {
    /// The `alg` header does not fit the signer's key type.
    AlgorithmKeyMismatch,
    /// The text is not valid base45: not an EU certificate, or damaged.
    Base45Invalid,
    /// The data nests too deep or holds too many items.
    CborLimitExceeded,
    /// The data is malformed.
    CborMalformed,
    /// The signed structure is malformed.
    CoseMalformed,
    /// The data decompresses to more than any certificate needs.
    DecompressedTooLarge,
    /// The data is not compressed as a certificate must be.
    DecompressFailed,
    /// The certificate has expired.
    Expired,
    /// The scanned text is too long to be a certificate.
    InputTooLarge,
    /// The certificate is issued in the future: check the device clock.
    IssuedInFuture,
    /// The issuing country is not the signer's (only with
    /// [`VerifierOptions::require_issuer_country_match`]).
    IssuerCountryMismatch,
    /// The signer may not sign this type of certificate.
    KeyUsageMismatch,
    /// Not an EU certificate (no `HC1:` prefix).
    MissingPrefix,
    /// The certificate content is missing or malformed.
    PayloadMalformed,
    /// The certificate is on a revocation list (a Bloom-filter hit may be a false positive:
    /// see [`RevocationHit::false_positive_probability`]).
    Revoked,
    /// The content does not match the EU DCC schema.
    SchemaInvalid,
    /// The signature is malformed.
    SignatureMalformed,
    /// The signature is not valid: forged or altered.
    SignatureInvalid,
    /// The signer's certificate had expired.
    SignerExpired,
    /// The signer's certificate was not yet valid.
    SignerNotYetValid,
    /// The signer is not trusted: update the trust list.
    UnknownSigner,
    /// The signature algorithm is not supported.
    UnsupportedAlgorithm,
    /// The primary vaccination is past its validity under the acceptance rules: a booster is required.
    BoosterRequired,
    /// A French 2D-DOC whose header is unreadable.
    InvalidTwoDDocHeader,
    /// The recovery (or positive test) is too old for the acceptance rules.
    RecoveryExpired,
    /// The recovery (or positive test) is too recent for the acceptance rules.
    RecoveryNotYetValid,
    /// An EU business rule refuses the certificate (see the verdict's rule results).
    RulesFailed,
    /// The acceptance rules cannot judge this certificate.
    RulesNotApplicable,
    /// An EU business rule could not be evaluated, so admission is not decided.
    RulesOpen,
    /// Negative tests are not accepted at the holder's age.
    TestNotAcceptedForAge,
    /// The test result is neither negative nor positive.
    TestNotNegative,
    /// The test was sampled after the verification time: check the device clock.
    TestNotYetValid,
    /// The negative test is too old.
    TestTooOld,
    /// The test type is not accepted.
    TestTypeNotAccepted,
    /// The booster vaccination is past its validity.
    VaccinationExpired,
    /// The vaccination series is incomplete.
    VaccinationIncomplete,
    /// Too soon after the last vaccine dose.
    VaccinationNotYetValid,
}

/// A signature algorithm.
#[derive(uniffi::Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignatureAlgorithm {
    /// ECDSA P-256 with SHA-256.
    Es256,
    /// RSASSA-PSS with SHA-256.
    Ps256,
}

/// The kind of certificate.
#[derive(uniffi::Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum CertificateKind {
    /// A vaccination.
    Vaccination,
    /// A test result.
    Test,
    /// A recovery.
    Recovery,
}

/// What a verified certificate says. Personal data: do not log it. Its string forms
/// (`toString`, `description`, `__str__`, `__repr__`) name the kind only, never the holder.
#[derive(uniffi::Record)]
#[uniffi::export(Debug, Display)]
pub struct CertificateSummary {
    /// Vaccination, test or recovery.
    pub kind: CertificateKind,
    /// Surname(s) as written (`nam.fn`).
    pub family_name: Option<String>,
    /// Surname(s) transliterated, `A`-`Z` and `<` (`nam.fnt`).
    pub family_name_standardised: Option<String>,
    /// Forename(s) as written (`nam.gn`).
    pub given_name: Option<String>,
    /// Forename(s) transliterated (`nam.gnt`).
    pub given_name_standardised: Option<String>,
    /// Date of birth as written: `YYYY-MM-DD`, `YYYY-MM`, `YYYY` or empty.
    pub date_of_birth: String,
    /// When the certificate was issued (`iat`).
    pub issued_at: Option<SystemTime>,
    /// When the certificate expires (`exp`).
    pub expires_at: Option<SystemTime>,
    /// The issuing country (`iss`).
    pub issuer_country: Option<String>,
    /// The country of vaccination, test or recovery (`co`).
    pub country: String,
    /// The unique certificate identifier (`ci`).
    pub certificate_id: String,
    /// The schema version (`ver`).
    pub schema_version: String,
    /// The whole payload as JSON, with the issuer's field names.
    pub payload_json: String,
}

/// The string form the bindings generate from: the kind, nothing about the holder.
impl fmt::Display for CertificateSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "CertificateSummary({:?}, personal data redacted)",
            self.kind
        )
    }
}

impl fmt::Debug for CertificateSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Which revocation list matched.
#[derive(uniffi::Record)]
pub struct RevocationHit {
    /// The hash type that matched: `UCI`, `COUNTRYCODEUCI`, `SIGNATURE` or `FR_DCC`.
    pub hash_type: String,
    /// The [`RevocationSlice::source`] of the list that matched.
    pub source: String,
    /// The chance that this hit is a false positive (Bloom filters and hash lists); null for
    /// exact lists.
    pub false_positive_probability: Option<f64>,
}

/// Revocation lists as the app's backend downloaded them.
#[derive(uniffi::Record)]
pub struct RevocationData {
    /// The lists.
    pub slices: Vec<RevocationSlice>,
    /// When the data was issued or downloaded, to report its age in each verdict.
    #[uniffi(default = None)]
    pub issued_at: Option<SystemTime>,
}

/// One revocation list (an EU "slice", or a national list) with the certificates it covers.
#[derive(uniffi::Record)]
pub struct RevocationSlice {
    /// The format of `data`.
    pub kind: RevocationListKind,
    /// The list, as served (EU binary Bloom filter or hash list; French list: one lowercase
    /// hex fingerprint per line).
    pub data: Vec<u8>,
    /// The EU hash types the list holds (ignored for the French list, which holds its own).
    pub hash_types: Vec<RevocationHashType>,
    /// A name for reports (a list id, a URL).
    pub source: String,
    /// Only certificates signed under this kid; null for every kid.
    #[uniffi(default = None)]
    pub kid: Option<Vec<u8>>,
    /// Only hashes starting with these lowercase hex digits (the EU partition coordinates and
    /// chunk id concatenated); empty for every hash.
    #[uniffi(default = "")]
    pub prefix: String,
    /// The list stops applying at this time; null for never.
    #[uniffi(default = None)]
    pub expires_at: Option<SystemTime>,
}

/// The format of a revocation list.
#[derive(uniffi::Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum RevocationListKind {
    /// EU DCC Bloom filter (binary format version 1).
    BloomFilter,
    /// EU DCC partial variable hash list.
    HashList,
    /// French blocklist: SHA-256 of the uppercase country and certificate id, one per line.
    FrenchBlocklist,
}

/// An EU revocation hash type.
#[derive(uniffi::Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum RevocationHashType {
    /// The certificate identifier.
    Uci,
    /// The country code followed by the certificate identifier.
    CountryCodeUci,
    /// The signature (its `r` half for ES256).
    Signature,
}

/// A caller mistake or unusable input data: thrown, unlike invalid certificates.
#[derive(Debug, thiserror::Error, uniffi::Error)]
#[uniffi::export(Display)]
pub enum DccError {
    /// The trust material could not be read (format, encoding or key problem).
    #[error("invalid trust data: {detail}")]
    InvalidTrustData {
        /// What is wrong, without key bytes.
        detail: String,
    },
    /// The revocation data could not be read (format or bounds).
    #[error("invalid revocation data: {detail}")]
    InvalidRevocationData {
        /// What is wrong, and in which slice.
        detail: String,
    },
    /// The French acceptance rules are not a built-in name nor a valid rules document.
    #[error("invalid rules: {detail}")]
    InvalidRules {
        /// What is wrong.
        detail: String,
    },
    /// EU business rules or value sets are unreadable or invalid, or a Gateway rule's bytes
    /// do not hash to its listed hash. Nothing changes.
    #[error("invalid EU rules: {detail}")]
    InvalidEuRules {
        /// The identifier of the rule at fault, when one is.
        rule_id: Option<String>,
        /// What is wrong: which element, which rule, and the JSON path in its logic.
        detail: String,
    },
    /// An option is out of range (e.g. a negative clock skew, or one above a day).
    #[error("invalid options: {detail}")]
    InvalidOptions {
        /// What is wrong.
        detail: String,
    },
    /// The key set is older than the one in force or than
    /// [`VerifierOptions::minimum_keyset_issued_at`]: a replayed set could bring back a removed
    /// signer. Nothing changes.
    #[error("trust rollback refused: {detail}")]
    TrustRollback {
        /// The issue times involved.
        detail: String,
    },
}

#[uniffi::export]
impl DccVerifier {
    /// A verifier trusting the signer keys in `trust`: each element is one file's bytes in any
    /// supported format (DGCG trust-list JSON, French or Swiss key lists, X.509 certificates
    /// in DER or PEM, PEM or DER public keys). `acceptance` is what [`DccVerifier::verify`]
    /// judges scans for: [`Acceptance::AuthenticityOnly`], or a rule set by name, which is
    /// added afterwards (until then such scans fail the `rules` check with
    /// `rules_not_applicable`).
    ///
    /// # Errors
    /// [`DccError::InvalidTrustData`] if any element is unreadable or holds no key, or if
    /// `trust` is empty (see [`VerifierOptions::allow_empty_trust`]).
    #[uniffi::constructor]
    pub fn new(trust: Vec<Vec<u8>>, acceptance: Acceptance) -> Result<Arc<Self>, DccError> {
        Self::with_options(trust, acceptance, VerifierOptions::default())
    }

    /// Like the primary constructor, with explicit options.
    ///
    /// # Errors
    /// [`DccError::InvalidTrustData`] as for the primary constructor;
    /// [`DccError::TrustRollback`] for a key set older than
    /// `options.minimum_keyset_issued_at`; [`DccError::InvalidOptions`] for a negative clock
    /// skew or one above a day.
    #[uniffi::constructor]
    pub fn with_options(
        trust: Vec<Vec<u8>>,
        acceptance: Acceptance,
        options: VerifierOptions,
    ) -> Result<Arc<Self>, DccError> {
        let skew = i64::from(options.clock_skew_seconds);
        if !(0..=MAX_CLOCK_SKEW_SECS).contains(&skew) {
            return Err(DccError::InvalidOptions {
                detail: format!("clock skew of {skew} s is outside 0..={MAX_CLOCK_SKEW_SECS} s"),
            });
        }
        let policy = Policy::default()
            .with_clock_skew_secs(skew)
            .with_twoddoc_test_ca(options.allow_2ddoc_test_ca)
            .with_issuer_country_match(options.require_issuer_country_match);
        let keyset_pin = options
            .keyset_publisher_key
            .map(|key| crate::trust::keyset::publisher_key(&key))
            .transpose()
            .map_err(|e| DccError::InvalidTrustData {
                detail: format!("key set publisher key: {e}"),
            })?;
        let scan = ScanOptions {
            acceptance,
            country: options.country,
            region: options.region,
            lang: options.lang,
            accept_open_rules: options.accept_open_rules,
        };
        let untrusting =
            Verifier::with_policy(TrustStore::new(), policy).with_scan_options(scan.into());
        let this = Self {
            current: RwLock::new(Arc::new(untrusting)),
            keyset_pin,
            allow_empty_trust: options.allow_empty_trust,
            minimum_keyset_issued_at: options.minimum_keyset_issued_at.map(unix_time),
        };
        this.replace_trust_checked(trust, true)?;
        Ok(Arc::new(this))
    }

    /// Verifies the text of a scanned code as of `now` (pass the clock you trust), judged for
    /// the acceptance and options the verifier was built with.
    /// Never throws: every outcome, including garbage input, is a [`Verdict`].
    pub fn verify(&self, qr: ScannedText, now: SystemTime) -> Verdict {
        self.verify_bytes(qr.0, now)
    }

    /// [`DccVerifier::verify`] with this scan's own choices: another rule set or
    /// authenticity only, the arrival country and region, the language. Never throws.
    pub fn verify_with(&self, qr: ScannedText, now: SystemTime, scan: ScanOptions) -> Verdict {
        let verifier = self.snapshot();
        let report = verifier.verify_bytes_with(&qr.0, unix_time(now), &scan.into());
        Verdict::from_report(&report)
    }

    /// [`DccVerifier::verify`] for the raw bytes a scanner delivered (bytes that are not
    /// UTF-8 fail the check that reads them). Never throws.
    pub fn verify_bytes(&self, scanned: Vec<u8>, now: SystemTime) -> Verdict {
        let verifier = self.snapshot();
        Verdict::from_report(&verifier.verify_bytes(&scanned, unix_time(now)))
    }

    /// Replaces the trusted keys atomically; scans in progress finish with the old set. A key
    /// set older than the one in force is refused (see
    /// [`DccVerifier::replace_trust_allowing_rollback`]).
    ///
    /// # Errors
    /// [`DccError::InvalidTrustData`] if any element is unreadable or holds no key (or if
    /// `trust` is empty, unless [`VerifierOptions::allow_empty_trust`]);
    /// [`DccError::TrustRollback`] for an older key set. Nothing changes then.
    pub fn replace_trust(&self, trust: Vec<Vec<u8>>) -> Result<(), DccError> {
        self.replace_trust_checked(trust, true)
    }

    /// [`DccVerifier::replace_trust`] that also accepts a key set older than the one in
    /// force (never older than [`VerifierOptions::minimum_keyset_issued_at`]): for an
    /// operator who withdraws a bad key set on purpose.
    ///
    /// # Errors
    /// As [`DccVerifier::replace_trust`].
    pub fn replace_trust_allowing_rollback(&self, trust: Vec<Vec<u8>>) -> Result<(), DccError> {
        self.replace_trust_checked(trust, false)
    }

    /// The issue time of the newest key set in force (null when the trust holds no key set):
    /// persist it and pass it back as [`VerifierOptions::minimum_keyset_issued_at`].
    pub fn keyset_issued_at(&self) -> Option<SystemTime> {
        self.snapshot().trust().key_set_issued_at().map(system_time)
    }

    /// Replaces the revocation lists atomically; scans in progress finish with the old ones.
    /// Certificates no list covers report the revocation check as skipped.
    ///
    /// # Errors
    /// [`DccError::InvalidRevocationData`] if a list is unreadable; nothing changes then.
    pub fn replace_revocation(&self, revocation: RevocationData) -> Result<(), DccError> {
        let store = load_revocation(revocation)?;
        let mut current = self.current.write().unwrap_or_else(PoisonError::into_inner);
        *current = Arc::new(Verifier::clone(&current).with_revocation(store));
        Ok(())
    }

    /// Replaces the trusted French 2D-DOC keys atomically.
    ///
    /// # Errors
    /// [`DccError::InvalidTrustData`] if a key is unreadable; nothing changes then.
    pub fn replace_2ddoc_keys(&self, keys: Vec<TwoDDocTrust>) -> Result<(), DccError> {
        let mut store = crate::trust::twoddoc_keys::TwoDDocKeys::new();
        for (index, k) in keys.iter().enumerate() {
            store.add_bytes(&k.ca_id, &k.cert_id, &k.key).map_err(|e| {
                DccError::InvalidTrustData {
                    detail: format!("2D-DOC key {index}: {e}"),
                }
            })?;
        }
        let mut current = self.current.write().unwrap_or_else(PoisonError::into_inner);
        *current = Arc::new(Verifier::clone(&current).with_twoddoc_keys(store));
        Ok(())
    }

    /// Adds French acceptance rules under `name` (replacing a set of that name, atomically):
    /// a built-in name (see [`rules_names`], e.g. `fr-2022-03-15-health`) or a rules JSON
    /// document.
    ///
    /// # Errors
    /// [`DccError::InvalidRules`]; nothing changes then.
    pub fn add_french_rules(&self, name: String, rules: String) -> Result<(), DccError> {
        let rules = load_rules(&rules)?;
        self.swap_rule_set(&name, RuleSet::France(rules));
        Ok(())
    }

    /// Adds EU business rules under `name` (replacing a set of that name, atomically). Each
    /// element of `rules` is JSON bytes holding one rule or a list of rules (as stored from
    /// earlier downloads); `value_sets` are merged, each in either shape served (the
    /// compressed `{id: [codes]}` object or the Gateway's list of value sets); `rule_types`
    /// are the rule types selected for the arrival country (e.g. `Acceptance`, or a national
    /// mode such as `ImpfstatusBZwei`), empty for `Acceptance`. The issuer's `Invalidation`
    /// rules always apply. A rule whose CertLogic is invalid is kept and is OPEN wherever it
    /// is selected: see [`EuRuleSetInfo::invalid_rules`].
    ///
    /// # Errors
    /// [`DccError::InvalidEuRules`] naming the element, the rule and what is wrong; nothing
    /// changes then.
    pub fn add_eu_rules(
        &self,
        name: String,
        rules: Vec<Vec<u8>>,
        value_sets: Vec<Vec<u8>>,
        rule_types: Vec<String>,
    ) -> Result<EuRuleSetInfo, DccError> {
        let mut set = eu_rules(&value_sets, &rule_types)?;
        for (index, bytes) in rules.iter().enumerate() {
            set.add_json(bytes)
                .map_err(|e| eu_rules_error(&format!("rules element {index}"), e))?;
        }
        Ok(self.add_eu_rule_set(&name, set))
    }

    /// [`DccVerifier::add_eu_rules`] for rules exactly as the Gateway served them, one rule
    /// each: each rule's bytes must hash to its listed hash, or nothing changes.
    ///
    /// # Errors
    /// [`DccError::InvalidEuRules`] for a hash mismatch or an invalid rule or value set;
    /// nothing changes then.
    pub fn add_gateway_eu_rules(
        &self,
        name: String,
        rules: Vec<GatewayRule>,
        value_sets: Vec<Vec<u8>>,
        rule_types: Vec<String>,
    ) -> Result<EuRuleSetInfo, DccError> {
        let mut set = eu_rules(&value_sets, &rule_types)?;
        for (index, rule) in rules.iter().enumerate() {
            set.add_gateway_rule(&rule.bytes, &rule.hash)
                .map_err(|e| eu_rules_error(&format!("gateway rule {index}"), e))?;
        }
        Ok(self.add_eu_rule_set(&name, set))
    }

    /// Removes the rule set `name` atomically; returns whether there was one. Scans that
    /// name it then fail the `rules` check with `rules_not_applicable`.
    pub fn remove_rule_set(&self, name: String) -> bool {
        let mut current = self.current.write().unwrap_or_else(PoisonError::into_inner);
        let held = current.rule_set(&name).is_some();
        if held {
            *current = Arc::new(Verifier::clone(&current).without_rule_set(&name));
        }
        held
    }

    /// The names of the rule sets added, sorted.
    pub fn rule_set_names(&self) -> Vec<String> {
        self.snapshot()
            .rule_set_names()
            .map(str::to_string)
            .collect()
    }

    /// How many signer keys are trusted.
    pub fn trusted_key_count(&self) -> i64 {
        i64::try_from(self.snapshot().trust().len()).unwrap_or(i64::MAX)
    }
}

impl DccVerifier {
    /// Loads `trust`, refuses a key set older than the minimum (and, if `monotonic`, than the
    /// one in force), then swaps it in.
    fn replace_trust_checked(&self, trust: Vec<Vec<u8>>, monotonic: bool) -> Result<(), DccError> {
        let trust = self.load_trust(&trust)?;
        let mut current = self.current.write().unwrap_or_else(PoisonError::into_inner);
        let in_force = current.trust().key_set_issued_at().filter(|_| monotonic);
        let minimum = in_force.max(self.minimum_keyset_issued_at);
        if let Some(minimum) = minimum {
            trust
                .check_not_older_than(minimum)
                .map_err(|e| DccError::TrustRollback {
                    detail: e.to_string(),
                })?;
        }
        *current = Arc::new(Verifier::clone(&current).with_trust(trust));
        Ok(())
    }

    /// Every element in any format, or with a pinned publisher only key sets signed by it.
    fn load_trust(&self, trust: &[Vec<u8>]) -> Result<TrustStore, DccError> {
        if trust.is_empty() && !self.allow_empty_trust {
            return Err(DccError::InvalidTrustData {
                detail: "no trust data given (set allow_empty_trust to trust nothing)".to_owned(),
            });
        }
        let mut store = TrustStore::new();
        for (index, bytes) in trust.iter().enumerate() {
            match &self.keyset_pin {
                Some(pin) => store.add_pinned_key_set(bytes, pin).map(drop),
                None => store.add_bytes(bytes).map(drop),
            }
            .map_err(|e| DccError::InvalidTrustData {
                detail: format!("trust element {index}: {e}"),
            })?;
        }
        Ok(store)
    }

    /// Swaps in a verifier that also holds `set` under `name`.
    fn swap_rule_set(&self, name: &str, set: RuleSet) {
        let mut current = self.current.write().unwrap_or_else(PoisonError::into_inner);
        *current = Arc::new(Verifier::clone(&current).with_rule_set(name, set));
    }

    fn add_eu_rule_set(&self, name: &str, set: EuRules) -> EuRuleSetInfo {
        let info = EuRuleSetInfo {
            rule_count: i64::try_from(set.rules().len()).unwrap_or(i64::MAX),
            countries: set.countries().into_iter().map(str::to_string).collect(),
            invalid_rules: set
                .invalid_rules()
                .map(|(id, issues)| InvalidRule {
                    id: id.to_string(),
                    issues: issues.to_string(),
                })
                .collect(),
        };
        self.swap_rule_set(name, RuleSet::Eu(set));
        info
    }

    /// The verifier in force, held only for the time of a scan.
    fn snapshot(&self) -> Arc<Verifier> {
        // A poisoned lock only means another thread panicked while swapping an `Arc`:
        // the value inside is still a complete verifier.
        Arc::clone(&self.current.read().unwrap_or_else(PoisonError::into_inner))
    }
}

/// The version of this library, e.g. `0.1.0`.
#[uniffi::export]
pub fn library_version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// Panics on purpose, to prove in binding tests that a Rust panic reaches the app as an
/// exception instead of aborting it. Only in builds with the `ffi-panic-probe` feature.
#[cfg(feature = "ffi-panic-probe")]
#[uniffi::export]
#[allow(clippy::panic)] // the whole point
pub fn panic_probe(message: String) -> i32 {
    panic!("panic probe: {message}");
}

/// The names of the built-in acceptance rule sets.
#[uniffi::export]
pub fn rules_names() -> Vec<String> {
    crate::rules::names().map(str::to_string).collect()
}

/// A built-in name, or else (starting with `{`) a rules JSON document.
fn load_rules(spec: &str) -> Result<crate::rules::Rules, DccError> {
    let loaded = if spec.trim_start().starts_with('{') {
        crate::rules::Rules::from_json(spec.as_bytes())
    } else {
        crate::rules::Rules::named(spec)
    };
    loaded.map_err(|e| DccError::InvalidRules {
        detail: e.to_string(),
    })
}

/// An empty EU rule set over the merged `value_sets`, selecting `rule_types` (none:
/// `Acceptance`).
fn eu_rules(value_sets: &[Vec<u8>], rule_types: &[String]) -> Result<EuRules, DccError> {
    let mut merged = ValueSets::new();
    for (index, bytes) in value_sets.iter().enumerate() {
        let set = ValueSets::from_slice(bytes)
            .map_err(|e| eu_rules_error(&format!("value sets element {index}"), e))?;
        merged = merged.merged(set);
    }
    let rules = EuRules::new(merged);
    if rule_types.is_empty() {
        return Ok(rules);
    }
    Ok(rules.with_types(rule_types.iter().map(|t| RuleType::from_name(t)).collect()))
}

fn eu_rules_error(element: &str, error: EuRulesError) -> DccError {
    let rule_id = match &error {
        EuRulesError::Rule { id, .. } | EuRulesError::HashMismatch { id } => Some(id.clone()),
        _ => None,
    };
    DccError::InvalidEuRules {
        rule_id,
        detail: format!("{element}: {error}"),
    }
}

fn load_revocation(data: RevocationData) -> Result<RevocationStore, DccError> {
    let mut store = RevocationStore::new();
    for (index, slice) in data.slices.into_iter().enumerate() {
        let (kind, hash_types) = match slice.kind {
            RevocationListKind::BloomFilter => (FilterKind::Bloom, eu(&slice.hash_types)),
            RevocationListKind::HashList => (FilterKind::HashList, eu(&slice.hash_types)),
            RevocationListKind::FrenchBlocklist => (FilterKind::Blocklist, vec![HashType::FrDcc]),
        };
        let mut list = SliceData::new(kind, slice.data, hash_types, slice.source);
        list.kid = slice.kid;
        list.prefix = slice.prefix;
        list.expires_at = slice.expires_at.map(unix_time);
        let loaded = Slice::load(list).map_err(|e| DccError::InvalidRevocationData {
            detail: format!("slice {index}: {e}"),
        })?;
        store.add(loaded);
    }
    if let Some(issued_at) = data.issued_at {
        store.set_issued_at(unix_time(issued_at));
    }
    Ok(store)
}

fn eu(types: &[RevocationHashType]) -> Vec<HashType> {
    types
        .iter()
        .map(|t| match t {
            RevocationHashType::Uci => HashType::Uci,
            RevocationHashType::CountryCodeUci => HashType::CountryCodeUci,
            RevocationHashType::Signature => HashType::Signature,
        })
        .collect()
}

/// Seconds since the epoch, saturating far outside any certificate's lifetime.
fn unix_time(time: SystemTime) -> UnixTime {
    let secs = match time.duration_since(UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
        Err(before) => {
            // Rounded down on both sides of the epoch: 0.5 s before it is second -1, as 0.5 s
            // after it is second 0.
            let before = before.duration();
            let whole = before
                .as_secs()
                .saturating_add(u64::from(before.subsec_nanos() > 0));
            i64::try_from(whole)
                .ok()
                .and_then(i64::checked_neg)
                .unwrap_or(i64::MIN)
        }
    };
    UnixTime::from_secs(secs)
}

fn system_time(time: UnixTime) -> SystemTime {
    let magnitude = Duration::from_secs(time.secs().unsigned_abs());
    let shifted = if time.secs() >= 0 {
        UNIX_EPOCH.checked_add(magnitude)
    } else {
        UNIX_EPOCH.checked_sub(magnitude)
    };
    shifted.unwrap_or(UNIX_EPOCH)
}

impl Verdict {
    fn from_report(report: &Report) -> Self {
        let status = |check| CheckStatus::from(report.status(check));
        Self {
            format: match report.format() {
                crate::Format::EuDcc => CodeFormat::EuDcc,
                crate::Format::TwoDDoc => CodeFormat::TwoDDoc,
            },
            valid: report.is_valid(),
            reason: report.reason().map(Reason::from),
            reason_code: report.reason().map(|r| r.code().to_string()),
            checks: Checks {
                prefix: status(CoreCheck::Prefix),
                base45: status(CoreCheck::Base45),
                decompress: status(CoreCheck::Decompress),
                cose: status(CoreCheck::Cose),
                payload: status(CoreCheck::Payload),
                signature: status(CoreCheck::Signature),
                key_usage: status(CoreCheck::KeyUsage),
                signer_validity: status(CoreCheck::SignerValidity),
                expiry: status(CoreCheck::Expiry),
                schema: status(CoreCheck::Schema),
                revocation: status(CoreCheck::Revocation),
                rules: status(CoreCheck::Rules),
            },
            failures: report
                .failures()
                .iter()
                .map(|f| Failure {
                    check: f.check.into(),
                    reason: f.error.reason().into(),
                    message: f.error.to_string(),
                })
                .collect(),
            skipped: CoreCheck::ALL
                .into_iter()
                .filter_map(|check| {
                    Some(SkippedCheck {
                        check: check.into(),
                        reason: report.skip_reason(check)?.into(),
                    })
                })
                .collect(),
            kid: report.kid().map(<[u8]>::to_vec),
            algorithm: report.algorithm().map(|a| match a {
                crate::crypto::Algorithm::Es256 => SignatureAlgorithm::Es256,
                crate::crypto::Algorithm::Ps256 => SignatureAlgorithm::Ps256,
            }),
            revocation_hit: report.revocation_match().map(|hit| RevocationHit {
                hash_type: hit.hash_type.name().to_string(),
                source: hit.source.clone(),
                false_positive_probability: hit.false_positive_probability.map(|p| p.value()),
            }),
            revocation_data_age_seconds: report.revocation_data_age_secs(),
            admission: report.admission().into(),
            admission_code: report.admission().code().to_string(),
            rule_set: report.rule_set().map(str::to_string),
            rule_results: report.rule_results().iter().map(RuleResult::from).collect(),
            certificate: report.verified().and_then(|verified| {
                if let Some(doc) = verified.twoddoc() {
                    return twoddoc_summary(doc, report);
                }
                let hcert = verified.hcert()?;
                Some(summary(hcert, report, verified.dcc_json().to_string()))
            }),
        }
    }
}

/// A verified B2 or L1 2D-DOC as a summary (`None` for other document types): names as written,
/// the birth date as `YYYY-MM-DD` (`00` kept for an unknown day or month), the signed fields
/// as `payload_json`.
fn twoddoc_summary(doc: &crate::twoddoc::TwoDDoc, report: &Report) -> Option<CertificateSummary> {
    use crate::twoddoc::Content;
    let (kind, family, given, birth) = match doc.content().ok()? {
        Content::TestResult(t) => (
            CertificateKind::Test,
            t.surname,
            t.first_names,
            t.birth_date,
        ),
        Content::Vaccination(v) => (
            CertificateKind::Vaccination,
            v.surname,
            v.first_names,
            v.birth_date,
        ),
        _ => return None,
    };
    let date_of_birth = match (birth.get(0..2), birth.get(2..4), birth.get(4..8)) {
        (Some(d), Some(m), Some(y)) => format!("{y}-{m}-{d}"),
        _ => String::new(),
    };
    let fields: serde_json::Map<String, serde_json::Value> = doc
        .fields()
        .ok()
        .flatten()
        .unwrap_or_default()
        .iter()
        .map(|f| (f.id.clone(), serde_json::Value::from(f.value.clone())))
        .collect();
    let header = doc.header();
    Some(CertificateSummary {
        kind,
        family_name: Some(family),
        family_name_standardised: None,
        given_name: Some(given),
        given_name_standardised: None,
        date_of_birth,
        issued_at: report.issued_at().map(system_time),
        expires_at: None,
        issuer_country: header.country.clone(),
        country: header.country.clone().unwrap_or_default(),
        certificate_id: crate::revocation::to_hex(&doc.fingerprint()),
        schema_version: format!("2D-DOC {:02} {}", header.version, header.doc_type),
        payload_json: serde_json::Value::Object(fields).to_string(),
    })
}

fn summary(hcert: &Hcert, report: &Report, payload_json: String) -> CertificateSummary {
    let name = hcert.name();
    let entry = hcert.entry();
    CertificateSummary {
        kind: match hcert.entry_type() {
            EntryType::Vaccination => CertificateKind::Vaccination,
            EntryType::Test => CertificateKind::Test,
            EntryType::Recovery => CertificateKind::Recovery,
        },
        family_name: name.surname().map(str::to_string),
        family_name_standardised: name.surname_std().map(str::to_string),
        given_name: name.forename().map(str::to_string),
        given_name_standardised: name.forename_std().map(str::to_string),
        date_of_birth: hcert.dob().as_str().to_string(),
        issued_at: report.issued_at().map(system_time),
        expires_at: report.expires_at().map(system_time),
        issuer_country: report.issuer().map(str::to_string),
        country: entry.country().to_string(),
        certificate_id: entry.certificate_id().to_string(),
        schema_version: hcert.ver().to_string(),
        payload_json,
    }
}

impl From<Acceptance> for CoreAcceptance {
    fn from(acceptance: Acceptance) -> Self {
        match acceptance {
            Acceptance::AuthenticityOnly => Self::AuthenticityOnly,
            Acceptance::RuleSet { name } => Self::RuleSet(name),
        }
    }
}

impl From<ScanOptions> for CoreScanOptions {
    fn from(scan: ScanOptions) -> Self {
        Self {
            acceptance: scan.acceptance.into(),
            country: scan.country,
            region: scan.region,
            lang: scan.lang,
            accept_open_rules: scan.accept_open_rules,
        }
    }
}

impl From<CoreAdmission> for Admission {
    fn from(admission: CoreAdmission) -> Self {
        match admission {
            CoreAdmission::Admitted => Self::Admitted,
            CoreAdmission::Refused => Self::Refused,
            CoreAdmission::NotEvaluated => Self::NotEvaluated,
        }
    }
}

impl From<&CoreRuleResult> for RuleResult {
    fn from(result: &CoreRuleResult) -> Self {
        let (outcome, open_reason) = match &result.outcome {
            CoreRuleOutcome::Passed => (RuleOutcome::Passed, None),
            CoreRuleOutcome::Failed => (RuleOutcome::Failed, None),
            CoreRuleOutcome::Open(why) => (RuleOutcome::Open, Some(why.code().to_string())),
        };
        Self {
            id: result.id.to_string(),
            version: result.version.to_string(),
            outcome,
            open_reason,
            description: result.description.to_string(),
        }
    }
}

impl From<CoreSkipReason> for SkipReason {
    fn from(reason: CoreSkipReason) -> Self {
        match reason {
            CoreSkipReason::EarlierCheckFailed => Self::EarlierCheckFailed,
            CoreSkipReason::NotApplicable => Self::NotApplicable,
            CoreSkipReason::NoData => Self::NoData,
            CoreSkipReason::NotCovered => Self::NotCovered,
            CoreSkipReason::NotRequested => Self::NotRequested,
        }
    }
}

impl From<Status> for CheckStatus {
    fn from(status: Status) -> Self {
        match status {
            Status::Pass => Self::Pass,
            Status::Fail => Self::Fail,
            Status::Skipped => Self::Skipped,
        }
    }
}

impl From<CoreCheck> for Check {
    fn from(check: CoreCheck) -> Self {
        match check {
            CoreCheck::Prefix => Self::Prefix,
            CoreCheck::Base45 => Self::Base45,
            CoreCheck::Decompress => Self::Decompress,
            CoreCheck::Cose => Self::Cose,
            CoreCheck::Payload => Self::Payload,
            CoreCheck::Signature => Self::Signature,
            CoreCheck::KeyUsage => Self::KeyUsage,
            CoreCheck::SignerValidity => Self::SignerValidity,
            CoreCheck::Expiry => Self::Expiry,
            CoreCheck::Schema => Self::Schema,
            CoreCheck::Revocation => Self::Revocation,
            CoreCheck::Rules => Self::Rules,
        }
    }
}

/// One exhaustive match: a new core reason does not compile until it is mapped here.
impl From<CoreReason> for Reason {
    fn from(reason: CoreReason) -> Self {
        match reason {
            CoreReason::AlgorithmKeyMismatch => Self::AlgorithmKeyMismatch,
            CoreReason::Base45Invalid => Self::Base45Invalid,
            CoreReason::CborLimitExceeded => Self::CborLimitExceeded,
            CoreReason::CborMalformed => Self::CborMalformed,
            CoreReason::CoseMalformed => Self::CoseMalformed,
            CoreReason::DecompressedTooLarge => Self::DecompressedTooLarge,
            CoreReason::DecompressFailed => Self::DecompressFailed,
            CoreReason::Expired => Self::Expired,
            CoreReason::InputTooLarge => Self::InputTooLarge,
            CoreReason::IssuedInFuture => Self::IssuedInFuture,
            CoreReason::IssuerCountryMismatch => Self::IssuerCountryMismatch,
            CoreReason::KeyUsageMismatch => Self::KeyUsageMismatch,
            CoreReason::MissingPrefix => Self::MissingPrefix,
            CoreReason::PayloadMalformed => Self::PayloadMalformed,
            CoreReason::Revoked => Self::Revoked,
            CoreReason::SchemaInvalid => Self::SchemaInvalid,
            CoreReason::SignatureMalformed => Self::SignatureMalformed,
            CoreReason::SignatureInvalid => Self::SignatureInvalid,
            CoreReason::SignerExpired => Self::SignerExpired,
            CoreReason::SignerNotYetValid => Self::SignerNotYetValid,
            CoreReason::UnknownSigner => Self::UnknownSigner,
            CoreReason::UnsupportedAlgorithm => Self::UnsupportedAlgorithm,
            CoreReason::BoosterRequired => Self::BoosterRequired,
            CoreReason::InvalidTwoDDocHeader => Self::InvalidTwoDDocHeader,
            CoreReason::RecoveryExpired => Self::RecoveryExpired,
            CoreReason::RecoveryNotYetValid => Self::RecoveryNotYetValid,
            CoreReason::RulesFailed => Self::RulesFailed,
            CoreReason::RulesNotApplicable => Self::RulesNotApplicable,
            CoreReason::RulesOpen => Self::RulesOpen,
            CoreReason::TestNotAcceptedForAge => Self::TestNotAcceptedForAge,
            CoreReason::TestNotNegative => Self::TestNotNegative,
            CoreReason::TestNotYetValid => Self::TestNotYetValid,
            CoreReason::TestTooOld => Self::TestTooOld,
            CoreReason::TestTypeNotAccepted => Self::TestTypeNotAccepted,
            CoreReason::VaccinationExpired => Self::VaccinationExpired,
            CoreReason::VaccinationIncomplete => Self::VaccinationIncomplete,
            CoreReason::VaccinationNotYetValid => Self::VaccinationNotYetValid,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn authenticity_only(
        trust: Vec<Vec<u8>>,
        options: VerifierOptions,
    ) -> Result<Arc<DccVerifier>, DccError> {
        DccVerifier::with_options(trust, Acceptance::AuthenticityOnly, options)
    }

    /// A one-rule EU set for country `XX` (the fixtures' country): a complete series.
    const SERIES_RULE: &str = r#"{"Identifier": "VR-XX-0001", "Type": "Acceptance",
        "Country": "XX", "Version": "1.0.0", "SchemaVersion": "1.0.0", "Engine": "CERTLOGIC",
        "EngineVersion": "1.0.0", "CertificateType": "Vaccination",
        "Description": [{"lang": "en", "desc": "Full series."}, {"lang": "de", "desc": "Volle Serie."}],
        "ValidFrom": "2021-06-01T00:00:00Z", "ValidTo": "2030-06-01T00:00:00Z",
        "AffectedFields": ["v.0.dn", "v.0.sd"],
        "Logic": {">=": [{"var": "payload.v.0.dn"}, {"var": "payload.v.0.sd"}]}}"#;

    fn fixture_verifier(acceptance: Acceptance) -> Arc<DccVerifier> {
        let trust = include_bytes!("../fixtures/trust/trustlist.json").to_vec();
        DccVerifier::new(vec![trust], acceptance).unwrap()
    }

    fn fixture_pass() -> ScannedText {
        ScannedText(include_bytes!("../fixtures/passes/valid-es256-vaccination.txt").to_vec())
    }

    fn at() -> SystemTime {
        system_time(UnixTime::from_secs(1_630_454_400)) // 2021-09-01T00:00:00Z
    }

    fn rule_set(name: &str) -> Acceptance {
        Acceptance::RuleSet {
            name: name.to_string(),
        }
    }

    #[test]
    fn authenticity_only_is_valid_but_not_evaluated() {
        let verdict = fixture_verifier(Acceptance::AuthenticityOnly).verify(fixture_pass(), at());
        assert!(verdict.valid);
        assert_eq!(verdict.admission, Admission::NotEvaluated);
        assert_eq!(verdict.admission_code, "not_evaluated");
        assert_eq!(verdict.rule_set, None);
        assert!(verdict.rule_results.is_empty());
        let rules = verdict.skipped.iter().find(|s| s.check == Check::Rules);
        assert_eq!(rules.map(|s| s.reason), Some(SkipReason::NotRequested));
    }

    #[test]
    fn a_rule_set_named_before_it_is_added_is_not_applicable() {
        let verifier = fixture_verifier(rule_set("xx"));
        let before = verifier.verify(fixture_pass(), at());
        assert_eq!(before.reason, Some(Reason::RulesNotApplicable));
        assert_eq!(before.admission, Admission::Refused);
        assert_eq!(before.rule_set.as_deref(), Some("xx"));
        let info = verifier
            .add_eu_rules(
                "xx".into(),
                vec![SERIES_RULE.into()],
                Vec::new(),
                Vec::new(),
            )
            .unwrap();
        assert_eq!(
            (info.rule_count, info.countries),
            (1, vec!["XX".to_string()])
        );
        assert!(info.invalid_rules.is_empty());
        assert_eq!(verifier.rule_set_names(), ["xx"]);
        let scan = |lang: &str| ScanOptions {
            acceptance: rule_set("xx"),
            country: "XX".into(),
            region: String::new(),
            lang: lang.into(),
            accept_open_rules: false,
        };
        let admitted = verifier.verify_with(fixture_pass(), at(), scan("de"));
        assert_eq!(
            admitted.admission,
            Admission::Admitted,
            "{:?}",
            admitted.reason
        );
        let result = &admitted.rule_results[0];
        assert_eq!(
            (result.id.as_str(), result.version.as_str()),
            ("VR-XX-0001", "1.0.0")
        );
        assert_eq!(
            (result.outcome, result.open_reason.as_deref()),
            (RuleOutcome::Passed, None)
        );
        assert_eq!(result.description, "Volle Serie.");
        // The verifier's default scan has no country: no rule of "" applies.
        assert_eq!(
            verifier.verify(fixture_pass(), at()).reason,
            Some(Reason::RulesNotApplicable)
        );
        assert!(verifier.remove_rule_set("xx".into()));
        assert!(!verifier.remove_rule_set("xx".into()));
        let removed = verifier.verify_with(fixture_pass(), at(), scan("en"));
        assert_eq!(removed.reason, Some(Reason::RulesNotApplicable));
    }

    #[test]
    fn bad_eu_rules_change_nothing_and_name_the_rule() {
        let verifier = fixture_verifier(Acceptance::AuthenticityOnly);
        let broken = SERIES_RULE.replace(r#""Version": "1.0.0""#, r#""Version": "one""#);
        let refused = verifier.add_eu_rules(
            "xx".into(),
            vec![SERIES_RULE.into(), broken.into()],
            Vec::new(),
            Vec::new(),
        );
        match refused {
            Err(DccError::InvalidEuRules { rule_id, detail }) => {
                assert_eq!(rule_id.as_deref(), Some("VR-XX-0001"));
                assert!(
                    detail.starts_with("rules element 1: rule VR-XX-0001"),
                    "{detail}"
                );
            }
            other => panic!("{:?}", other.map(|i| i.rule_count)),
        }
        let bad_sets = verifier.add_eu_rules(
            "xx".into(),
            vec![SERIES_RULE.into()],
            vec![b"[1]".to_vec()],
            Vec::new(),
        );
        assert!(matches!(
            bad_sets,
            Err(DccError::InvalidEuRules { rule_id: None, .. })
        ));
        let gateway = GatewayRule {
            hash: "00".repeat(32),
            bytes: SERIES_RULE.into(),
        };
        let tampered =
            verifier.add_gateway_eu_rules("xx".into(), vec![gateway], Vec::new(), Vec::new());
        assert!(
            matches!(tampered, Err(DccError::InvalidEuRules { rule_id: Some(id), .. }) if id == "VR-XX-0001")
        );
        assert!(verifier.rule_set_names().is_empty());
    }

    #[test]
    fn time_conversion_round_trips_and_saturates() {
        for secs in [0, 1_630_454_400, -86_400] {
            let t = UnixTime::from_secs(secs);
            assert_eq!(unix_time(system_time(t)), t);
        }
        assert!(unix_time(UNIX_EPOCH + Duration::from_secs(u64::MAX / 2)).secs() == i64::MAX);
        // Sub-second times fall in the second that holds them, before the epoch too.
        let half = Duration::from_millis(500);
        assert_eq!(unix_time(UNIX_EPOCH + half).secs(), 0);
        assert_eq!(unix_time(UNIX_EPOCH - half).secs(), -1);
        assert_eq!(
            unix_time(UNIX_EPOCH - Duration::from_millis(1_500)).secs(),
            -2
        );
        assert_eq!(unix_time(UNIX_EPOCH - Duration::from_secs(1)).secs(), -1);
    }

    #[test]
    fn every_reason_maps_to_a_distinct_ffi_reason() {
        let mapped: Vec<Reason> = CoreReason::ALL.into_iter().map(Reason::from).collect();
        for (i, a) in mapped.iter().enumerate() {
            assert!(!mapped[i + 1..].contains(a), "{a:?} mapped twice");
        }
    }

    #[test]
    fn a_clock_skew_outside_zero_to_one_day_is_refused() {
        let trust = || vec![include_bytes!("../fixtures/trust/es256.pem").to_vec()];
        let skew = |clock_skew_seconds| VerifierOptions {
            clock_skew_seconds,
            ..VerifierOptions::default()
        };
        for refused in [-1, i32::MIN, 86_401, i32::MAX] {
            assert!(matches!(
                authenticity_only(trust(), skew(refused)),
                Err(DccError::InvalidOptions { .. })
            ));
        }
        for accepted in [0, 300, 86_400] {
            assert!(authenticity_only(trust(), skew(accepted)).is_ok());
        }
    }

    #[test]
    fn bad_trust_data_is_an_error_and_garbage_a_verdict() {
        assert!(matches!(
            DccVerifier::new(
                vec![b"not trust data".to_vec()],
                Acceptance::AuthenticityOnly
            ),
            Err(DccError::InvalidTrustData { .. })
        ));
        assert!(matches!(
            DccVerifier::new(Vec::new(), Acceptance::AuthenticityOnly),
            Err(DccError::InvalidTrustData { .. })
        ));
        let options = VerifierOptions {
            allow_empty_trust: true,
            ..VerifierOptions::default()
        };
        let verifier = authenticity_only(Vec::new(), options).unwrap();
        let verdict = verifier.verify(ScannedText(b"garbage".to_vec()), UNIX_EPOCH);
        assert!(!verdict.valid);
        assert_eq!(verdict.reason, Some(Reason::MissingPrefix));
        assert_eq!(verdict.reason_code.as_deref(), Some("missing_prefix"));
        assert_eq!(verdict.checks.prefix, CheckStatus::Fail);
        assert_eq!(verdict.checks.base45, CheckStatus::Skipped);
        assert!(verdict.certificate.is_none());
    }

    /// DER SubjectPublicKeyInfo: the fixed P-256 header, then the uncompressed point.
    fn spki_der(key: &p256::ecdsa::SigningKey) -> Vec<u8> {
        let mut der = b"\x30\x59\x30\x13\x06\x07\x2a\x86\x48\xce\x3d\x02\x01\x06\x08\x2a\x86\x48\xce\x3d\x03\x01\x07\x03\x42\x00".to_vec();
        der.extend_from_slice(key.verifying_key().to_encoded_point(false).as_bytes());
        der
    }

    #[test]
    fn a_pinned_publisher_accepts_only_key_sets_it_signed() {
        let trust = TrustStore::from_bytes(include_bytes!("../fixtures/trust/es256.pem")).unwrap();
        let publisher = p256::ecdsa::SigningKey::from_slice(&[7; 32]).unwrap();
        let issued = UnixTime::from_secs(1_630_454_400);
        let signed = crate::trust::keyset::KeySet::build(&trust, issued, Some(&publisher)).unwrap();
        let unsigned = crate::trust::keyset::KeySet::build(&trust, issued, None).unwrap();
        let pin = spki_der(&publisher);
        let options = || VerifierOptions {
            keyset_publisher_key: Some(pin.clone()),
            ..VerifierOptions::default()
        };
        let verifier = authenticity_only(vec![signed.clone()], options()).unwrap();
        assert_eq!(verifier.trusted_key_count(), 1);
        for rejected in [
            unsigned,
            include_bytes!("../fixtures/trust/es256.pem").to_vec(),
        ] {
            assert!(matches!(
                authenticity_only(vec![rejected.clone()], options()),
                Err(DccError::InvalidTrustData { .. })
            ));
            assert!(verifier.replace_trust(vec![rejected]).is_err());
        }
        assert!(verifier.replace_trust(vec![signed]).is_ok());
    }

    #[test]
    fn an_older_key_set_is_refused_unless_asked_for() {
        let trust = TrustStore::from_bytes(include_bytes!("../fixtures/trust/es256.pem")).unwrap();
        let publisher = p256::ecdsa::SigningKey::from_slice(&[7; 32]).unwrap();
        let (t1, t2) = (
            UnixTime::from_secs(1_630_000_000),
            UnixTime::from_secs(1_640_000_000),
        );
        let set = |t| crate::trust::keyset::KeySet::build(&trust, t, Some(&publisher)).unwrap();
        let pin = spki_der(&publisher);
        let options = |minimum: Option<UnixTime>| VerifierOptions {
            keyset_publisher_key: Some(pin.clone()),
            minimum_keyset_issued_at: minimum.map(system_time),
            ..VerifierOptions::default()
        };
        let verifier = authenticity_only(vec![set(t2)], options(None)).unwrap();
        assert_eq!(verifier.keyset_issued_at(), Some(system_time(t2)));
        assert!(matches!(
            verifier.replace_trust(vec![set(t1)]),
            Err(DccError::TrustRollback { .. })
        ));
        assert_eq!(
            verifier.keyset_issued_at(),
            Some(system_time(t2)),
            "unchanged"
        );
        verifier
            .replace_trust_allowing_rollback(vec![set(t1)])
            .unwrap();
        assert_eq!(verifier.keyset_issued_at(), Some(system_time(t1)));

        // Across a restart: the app passes back the issue time it persisted.
        assert!(matches!(
            authenticity_only(vec![set(t1)], options(Some(t2))),
            Err(DccError::TrustRollback { .. })
        ));
        let restarted = authenticity_only(vec![set(t2)], options(Some(t2))).unwrap();
        assert!(matches!(
            restarted.replace_trust_allowing_rollback(vec![set(t1)]),
            Err(DccError::TrustRollback { .. })
        ));
    }
}
