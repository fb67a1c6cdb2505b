//! The verdict's vocabulary: the [`Check`]s a verification runs, a rich [`Error`] per failed
//! check (wrapping each format's own error; context as data, never personal data), and the
//! small, stable [`Reason`] code a UI or a test harness keys on. [`Error::reason`] is the one
//! exhaustive mapping between them.

use core::fmt;

use crate::crypto::SignatureError;
use crate::eudcc::hcert::EntryType;
use crate::eudcc::DecodeError;
use crate::revocation::RevocationMatch;
use crate::rules::Violation;
use crate::time::UnixTime;
use crate::twoddoc::TwoDDocError;

/// One step of the verification, in pipeline order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Check {
    /// The `HC1:` context identifier (and the overall input length).
    Prefix,
    /// Base45 decoding.
    Base45,
    /// zlib decompression.
    Decompress,
    /// COSE_Sign1 structure and headers.
    Cose,
    /// CWT claims and the hcert claim.
    Payload,
    /// The signature, with a trusted key found by kid.
    Signature,
    /// The signer certificate's extended key usage allows this certificate type.
    KeyUsage,
    /// The signer certificate's validity window covers the certificate.
    SignerValidity,
    /// `iat` is not in the future and `exp` is not in the past.
    Expiry,
    /// The health certificate matches the DCC schema.
    Schema,
    /// The revocation data supplied to the verifier: skipped when none covers the certificate.
    Revocation,
    /// The acceptance rules configured on the verifier (e.g. the French pass-sanitaire rules):
    /// skipped when none are configured or the signature did not verify.
    Rules,
}

impl Check {
    /// Every check, in pipeline order.
    pub const ALL: [Self; 12] = [
        Self::Prefix,
        Self::Base45,
        Self::Decompress,
        Self::Cose,
        Self::Payload,
        Self::Signature,
        Self::KeyUsage,
        Self::SignerValidity,
        Self::Expiry,
        Self::Schema,
        Self::Revocation,
        Self::Rules,
    ];

    /// The stable snake_case name used in reports (`key_usage`, `signer_validity`, ...).
    pub const fn name(self) -> &'static str {
        match self {
            Self::Prefix => "prefix",
            Self::Base45 => "base45",
            Self::Decompress => "decompress",
            Self::Cose => "cose",
            Self::Payload => "payload",
            Self::Signature => "signature",
            Self::KeyUsage => "key_usage",
            Self::SignerValidity => "signer_validity",
            Self::Expiry => "expiry",
            Self::Schema => "schema",
            Self::Revocation => "revocation",
            Self::Rules => "rules",
        }
    }

    /// Position in [`Check::ALL`].
    pub(crate) const fn index(self) -> usize {
        match self {
            Self::Prefix => 0,
            Self::Base45 => 1,
            Self::Decompress => 2,
            Self::Cose => 3,
            Self::Payload => 4,
            Self::Signature => 5,
            Self::KeyUsage => 6,
            Self::SignerValidity => 7,
            Self::Expiry => 8,
            Self::Schema => 9,
            Self::Revocation => 10,
            Self::Rules => 11,
        }
    }
}

impl fmt::Display for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why a certificate is not valid: a stable code for UIs, logs and test harnesses.
///
/// The codes (see [`Reason::code`]) are part of the public contract and never change meaning.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Reason {
    /// The `alg` header does not fit the signer's key type (e.g. PS256 with an EC key).
    AlgorithmKeyMismatch,
    /// The input is not base45 (bad character, dangling character, value out of range).
    Base45Invalid,
    /// The primary vaccination (or a single Janssen dose) is past its validity: a booster is required.
    BoosterRequired,
    /// A CBOR structure breaks the bounds on nesting depth or item count.
    CborLimitExceeded,
    /// CBOR is malformed: truncated, trailing bytes, duplicate map keys, bad types.
    CborMalformed,
    /// The COSE_Sign1 structure or its headers are malformed (wrong tag, no payload, no kid...).
    CoseMalformed,
    /// The data is not a valid zlib stream (uncompressed certificates are rejected too).
    DecompressFailed,
    /// The decompressed data would exceed its bound (a zip bomb, or not a health certificate).
    DecompressedTooLarge,
    /// `exp` is in the past, or absent.
    Expired,
    /// The QR text is longer than any QR code can carry.
    InputTooLarge,
    /// The text starts like a French 2D-DOC (`DC` and two digits) but its header is unreadable.
    InvalidTwoDDocHeader,
    /// `iat` is in the future (beyond the allowed clock skew).
    IssuedInFuture,
    /// The issuer country (`iss`) is not the signer's country, or either is unknown (only
    /// with [`crate::Policy::require_issuer_country_match`]).
    IssuerCountryMismatch,
    /// The signer certificate's extended key usage does not allow this certificate type.
    KeyUsageMismatch,
    /// The text does not start with the `HC1:` context identifier.
    MissingPrefix,
    /// The CWT claims or the hcert claim are missing or malformed.
    PayloadMalformed,
    /// A recovery (or positive test) is past the end of its acceptance window.
    RecoveryExpired,
    /// A recovery (or positive test) is too recent to be accepted.
    RecoveryNotYetValid,
    /// One of the certificate's revocation hashes is in the revocation data (for a Bloom filter
    /// or hash list, possibly a false positive, with the probability reported).
    Revoked,
    /// An EU business rule failed.
    RulesFailed,
    /// The acceptance rules cannot judge the content (no entry, unreadable date, other
    /// document, no rule selected for it).
    RulesNotApplicable,
    /// An EU business rule could not be evaluated (OPEN), and open rules are not accepted.
    RulesOpen,
    /// The health certificate does not match the DCC schema.
    SchemaInvalid,
    /// The signature does not verify with any trusted key for its kid.
    SignatureInvalid,
    /// The signature has the wrong length or encoding for its algorithm.
    SignatureMalformed,
    /// The signer certificate had expired when the certificate was issued or expires.
    SignerExpired,
    /// The signer certificate was not yet valid when the certificate was issued.
    SignerNotYetValid,
    /// Negative tests are not accepted at the holder's age under the acceptance rules.
    TestNotAcceptedForAge,
    /// The test result is neither negative nor positive (indeterminate, non-compliant).
    TestNotNegative,
    /// The test was sampled after the verification time.
    TestNotYetValid,
    /// A negative test is older than the acceptance rules allow.
    TestTooOld,
    /// The test type is not accepted by the acceptance rules.
    TestTypeNotAccepted,
    /// No trusted key has this kid.
    UnknownSigner,
    /// The `alg` header is absent from the protected header or not ES256/PS256.
    UnsupportedAlgorithm,
    /// A booster vaccination is past its validity.
    VaccinationExpired,
    /// The vaccination series is incomplete.
    VaccinationIncomplete,
    /// Too soon after the last vaccine dose.
    VaccinationNotYetValid,
}

impl Reason {
    /// Every reason, in alphabetical order of its code.
    pub const ALL: [Self; 37] = [
        Self::AlgorithmKeyMismatch,
        Self::Base45Invalid,
        Self::BoosterRequired,
        Self::CborLimitExceeded,
        Self::CborMalformed,
        Self::CoseMalformed,
        Self::DecompressFailed,
        Self::DecompressedTooLarge,
        Self::Expired,
        Self::InputTooLarge,
        Self::InvalidTwoDDocHeader,
        Self::IssuedInFuture,
        Self::IssuerCountryMismatch,
        Self::KeyUsageMismatch,
        Self::MissingPrefix,
        Self::PayloadMalformed,
        Self::RecoveryExpired,
        Self::RecoveryNotYetValid,
        Self::Revoked,
        Self::RulesFailed,
        Self::RulesNotApplicable,
        Self::RulesOpen,
        Self::SchemaInvalid,
        Self::SignatureInvalid,
        Self::SignatureMalformed,
        Self::SignerExpired,
        Self::SignerNotYetValid,
        Self::TestNotAcceptedForAge,
        Self::TestNotNegative,
        Self::TestNotYetValid,
        Self::TestTooOld,
        Self::TestTypeNotAccepted,
        Self::UnknownSigner,
        Self::UnsupportedAlgorithm,
        Self::VaccinationExpired,
        Self::VaccinationIncomplete,
        Self::VaccinationNotYetValid,
    ];

    /// The stable snake_case code, e.g. `unknown_signer`.
    pub const fn code(self) -> &'static str {
        match self {
            Self::AlgorithmKeyMismatch => "algorithm_key_mismatch",
            Self::Base45Invalid => "base45_invalid",
            Self::BoosterRequired => "booster_required",
            Self::CborLimitExceeded => "cbor_limit_exceeded",
            Self::CborMalformed => "cbor_malformed",
            Self::CoseMalformed => "cose_malformed",
            Self::DecompressFailed => "decompress_failed",
            Self::DecompressedTooLarge => "decompressed_too_large",
            Self::Expired => "expired",
            Self::InputTooLarge => "input_too_large",
            Self::InvalidTwoDDocHeader => "invalid_2ddoc_header",
            Self::IssuedInFuture => "issued_in_future",
            Self::IssuerCountryMismatch => "issuer_country_mismatch",
            Self::KeyUsageMismatch => "key_usage_mismatch",
            Self::MissingPrefix => "missing_prefix",
            Self::PayloadMalformed => "payload_malformed",
            Self::RecoveryExpired => "recovery_expired",
            Self::RecoveryNotYetValid => "recovery_not_yet_valid",
            Self::Revoked => "revoked",
            Self::RulesFailed => "rules_failed",
            Self::RulesNotApplicable => "rules_not_applicable",
            Self::RulesOpen => "rules_open",
            Self::SchemaInvalid => "schema_invalid",
            Self::SignatureInvalid => "signature_invalid",
            Self::SignatureMalformed => "signature_malformed",
            Self::SignerExpired => "signer_expired",
            Self::SignerNotYetValid => "signer_not_yet_valid",
            Self::TestNotAcceptedForAge => "test_not_accepted_for_age",
            Self::TestNotNegative => "test_not_negative",
            Self::TestNotYetValid => "test_not_yet_valid",
            Self::TestTooOld => "test_too_old",
            Self::TestTypeNotAccepted => "test_type_not_accepted",
            Self::UnknownSigner => "unknown_signer",
            Self::UnsupportedAlgorithm => "unsupported_algorithm",
            Self::VaccinationExpired => "vaccination_expired",
            Self::VaccinationIncomplete => "vaccination_incomplete",
            Self::VaccinationNotYetValid => "vaccination_not_yet_valid",
        }
    }

    /// The reason with this code, if any.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A failed check, with its context: what a format's reader found wrong, or what the
/// verifier's own checks found. Messages are lowercase and never contain personal data or
/// payload bytes.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The bytes of an `HC1:` code (prefix, base45, zlib, COSE, CWT claims, schema).
    #[error(transparent)]
    Dcc(#[from] DecodeError),
    /// A French 2D-DOC problem; its [`Reason`] is the nearest DCC one (see [`Error::reason`]).
    #[error("2D-DOC: {0}")]
    TwoDDoc(TwoDDocError),
    /// The signature was refused by the signer's key (the most specific refusal when several
    /// keys share the kid).
    #[error(transparent)]
    Signature(#[from] SignatureError),
    /// See [`Reason::Expired`].
    #[error("expired at {exp} (checked at {now})")]
    Expired {
        /// The certificate's `exp`.
        exp: UnixTime,
        /// The time checked against.
        now: UnixTime,
    },
    /// See [`Reason::IssuedInFuture`].
    #[error("issued at {iat}, after {now}")]
    IssuedInFuture {
        /// The certificate's `iat`.
        iat: UnixTime,
        /// The time checked against.
        now: UnixTime,
    },
    /// See [`Reason::IssuerCountryMismatch`]. Countries are codes, not personal data.
    #[error("issuer country {} is not the signer's country {}", .issuer.as_deref().unwrap_or("(none)"), .signer.as_deref().unwrap_or("(unknown)"))]
    IssuerCountryMismatch {
        /// The `iss` claim, if any.
        issuer: Option<String>,
        /// The signer's country, if known.
        signer: Option<String>,
    },
    /// See [`Reason::KeyUsageMismatch`].
    #[error("the signer may not sign {entry} certificates")]
    KeyUsageMismatch {
        /// The certificate type.
        entry: EntryType,
    },
    /// The key usage cannot be judged: the certificate holds no entry or several kinds of entry.
    #[error("the certificate type is ambiguous (expected exactly one of v, t, r)")]
    KeyUsageAmbiguousEntry,
    /// `exp` is absent: a certificate without an end of validity is not accepted.
    #[error("no exp claim")]
    MissingExpiry,
    /// See [`Reason::Revoked`]: which hash type matched, in which list, and how likely the hit
    /// is a false positive. (A struct rather than named fields: `thiserror` takes a field named
    /// `source` for the error's cause.)
    #[error("revoked: {0}")]
    Revoked(RevocationMatch),
    /// The acceptance rules refuse the certificate (see [`crate::rules`]).
    #[error("rules: {0}")]
    Rules(Violation),
    /// The signer certificate expired before the certificate's `exp`, or before `now`.
    #[error("signer certificate valid until {not_after}, needed until {at}")]
    SignerExpired {
        /// The signer certificate's notAfter.
        not_after: UnixTime,
        /// The time it should have covered.
        at: UnixTime,
    },
    /// The signer certificate was not yet valid at the certificate's `iat`.
    #[error("signer certificate valid from {not_before}, used at {at}")]
    SignerNotYetValid {
        /// The signer certificate's notBefore.
        not_before: UnixTime,
        /// The time it should have covered.
        at: UnixTime,
    },
    /// See [`Reason::UnknownSigner`].
    #[error("no trusted key for this kid")]
    UnknownSigner,
}

impl Error {
    /// The stable reason code of this failure. One exhaustive match: a new variant must decide.
    pub const fn reason(&self) -> Reason {
        match self {
            Self::Dcc(e) => dcc_reason(e),
            Self::TwoDDoc(e) => twoddoc_reason(e),
            Self::Signature(e) => signature_reason(e),
            Self::Expired { .. } | Self::MissingExpiry => Reason::Expired,
            Self::IssuedInFuture { .. } => Reason::IssuedInFuture,
            Self::IssuerCountryMismatch { .. } => Reason::IssuerCountryMismatch,
            Self::KeyUsageMismatch { .. } | Self::KeyUsageAmbiguousEntry => {
                Reason::KeyUsageMismatch
            }
            Self::Revoked(_) => Reason::Revoked,
            Self::Rules(v) => rules_reason(v),
            Self::SignerExpired { .. } => Reason::SignerExpired,
            Self::SignerNotYetValid { .. } => Reason::SignerNotYetValid,
            Self::UnknownSigner => Reason::UnknownSigner,
        }
    }
}

/// The reason of an `HC1:` decoding failure.
const fn dcc_reason(e: &DecodeError) -> Reason {
    use DecodeError as E;
    match e {
        E::Base45 { .. } => Reason::Base45Invalid,
        E::CborTooDeep { .. } | E::CborTooManyItems { .. } => Reason::CborLimitExceeded,
        E::CborMalformed { .. } => Reason::CborMalformed,
        E::CoseMalformed { .. } | E::MissingKid => Reason::CoseMalformed,
        E::DecompressedTooLarge { .. } => Reason::DecompressedTooLarge,
        E::DecompressFailed { .. } => Reason::DecompressFailed,
        E::InputTooLarge { .. } => Reason::InputTooLarge,
        E::MissingAlgorithm | E::UnsupportedAlgorithm { .. } => Reason::UnsupportedAlgorithm,
        E::MissingPrefix => Reason::MissingPrefix,
        E::PayloadMalformed { .. } | E::TimestampOutOfRange { .. } => Reason::PayloadMalformed,
        E::Schema { .. } => Reason::SchemaInvalid,
    }
}

/// The reason of a signature refused by a key.
const fn signature_reason(e: &SignatureError) -> Reason {
    match e {
        SignatureError::AlgorithmKeyMismatch { .. } => Reason::AlgorithmKeyMismatch,
        SignatureError::Length { .. } | SignatureError::OutOfRange => Reason::SignatureMalformed,
        SignatureError::Invalid => Reason::SignatureInvalid,
    }
}

/// The reason of an acceptance-rule refusal.
const fn rules_reason(v: &Violation) -> Reason {
    use Violation as V;
    match v {
        V::TestTypeNotAccepted => Reason::TestTypeNotAccepted,
        V::TestNotNegative => Reason::TestNotNegative,
        V::TestTooOld { .. } => Reason::TestTooOld,
        V::TestNotYetValid => Reason::TestNotYetValid,
        V::TestNotAcceptedForAge { .. } => Reason::TestNotAcceptedForAge,
        V::VaccinationIncomplete => Reason::VaccinationIncomplete,
        V::VaccinationNotYetValid { .. } => Reason::VaccinationNotYetValid,
        V::VaccinationExpired { .. } => Reason::VaccinationExpired,
        V::BoosterRequired { .. } => Reason::BoosterRequired,
        V::RecoveryNotYetValid { .. } => Reason::RecoveryNotYetValid,
        V::RecoveryExpired { .. } => Reason::RecoveryExpired,
        V::NotApplicable { .. } => Reason::RulesNotApplicable,
        V::RuleFailed { .. } => Reason::RulesFailed,
        V::RuleOpen { .. } => Reason::RulesOpen,
    }
}

/// The reason of a 2D-DOC failure: a header that is not a readable 2D-DOC is
/// `invalid_2ddoc_header`, a test CA is `unknown_signer` (not trusted), field problems
/// (a repeated field, or a content date after the signature date, included) are
/// `schema_invalid`, a signature date in the future `issued_in_future`.
const fn twoddoc_reason(e: &TwoDDocError) -> Reason {
    use TwoDDocError as E;
    match e {
        E::TooLong { .. } => Reason::InputTooLarge,
        E::NotTwoDDoc => Reason::MissingPrefix,
        E::NonAscii { .. } | E::UnsupportedVersion { .. } | E::BadHeader { .. } => {
            Reason::InvalidTwoDDocHeader
        }
        E::MissingSignature | E::SignatureEncoding | E::SignatureLength { .. } => {
            Reason::SignatureMalformed
        }
        E::UnknownField { .. }
        | E::ShortField { .. }
        | E::MissingField { .. }
        | E::RepeatedField { .. }
        | E::InvalidField { .. }
        | E::ContentAfterSignature { .. } => Reason::SchemaInvalid,
        E::SignatureDateInFuture { .. } => Reason::IssuedInFuture,
        E::UnknownSigner { .. } | E::TestCa { .. } => Reason::UnknownSigner,
        E::SignatureInvalid => Reason::SignatureInvalid,
        E::SignerNotYetValid { .. } => Reason::SignerNotYetValid,
        E::SignerExpired { .. } => Reason::SignerExpired,
    }
}
