//! What can go wrong, at two levels: a rich internal [`Error`] per failed check (context as data,
//! never personal data), and the small, stable [`Reason`] code a UI or a test harness keys on.
//! [`Error::reason`] is the one exhaustive mapping between them.

use core::fmt;

use crate::eudcc::hcert::EntryType;
use crate::revocation::RevocationMatch;
use crate::time::UnixTime;

/// One step of the verification, in pipeline order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
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
    /// The acceptance rules cannot judge the content (no entry, unreadable date, other document).
    RulesNotApplicable,
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
    pub const ALL: [Self; 35] = [
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
        Self::RulesNotApplicable,
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
            Self::RulesNotApplicable => "rules_not_applicable",
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

/// Where in the input a CBOR problem was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CborContext {
    /// The COSE_Sign1 message.
    Cose,
    /// The protected header bucket.
    ProtectedHeader,
    /// The CWT claims set (the COSE payload).
    Claims,
}

impl fmt::Display for CborContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Cose => "COSE message",
            Self::ProtectedHeader => "protected header",
            Self::Claims => "CWT claims",
        })
    }
}

/// A failed check, with its context. Messages are lowercase and never contain personal data
/// or payload bytes.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// See [`Reason::AlgorithmKeyMismatch`].
    #[error("algorithm {alg} does not match the signer's {key} key")]
    AlgorithmKeyMismatch {
        /// The algorithm named in the protected header.
        alg: &'static str,
        /// The signer key type.
        key: &'static str,
    },
    /// See [`Reason::Base45Invalid`].
    #[error("invalid base45 at offset {offset}")]
    Base45 {
        /// Byte offset of the offending chunk in the base45 text.
        offset: usize,
    },
    /// A CBOR structure nests deeper than allowed.
    #[error("{context}: CBOR nesting deeper than {limit}")]
    CborTooDeep {
        /// Where.
        context: CborContext,
        /// The bound.
        limit: usize,
    },
    /// A CBOR structure holds more items than allowed.
    #[error("{context}: more than {limit} CBOR items")]
    CborTooManyItems {
        /// Where.
        context: CborContext,
        /// The bound.
        limit: usize,
    },
    /// CBOR is malformed.
    #[error("{context}: malformed CBOR: {detail}")]
    CborMalformed {
        /// Where.
        context: CborContext,
        /// What is wrong.
        detail: &'static str,
    },
    /// See [`Reason::CoseMalformed`].
    #[error("malformed COSE_Sign1: {detail}")]
    CoseMalformed {
        /// What is wrong.
        detail: &'static str,
    },
    /// See [`Reason::DecompressedTooLarge`].
    #[error("decompressed data exceeds {limit} bytes")]
    DecompressedTooLarge {
        /// The bound.
        limit: usize,
    },
    /// See [`Reason::DecompressFailed`].
    #[error("not a valid zlib stream: {detail}")]
    DecompressFailed {
        /// What is wrong.
        detail: &'static str,
    },
    /// `exp` is in the past.
    #[error("expired at {exp} (checked at {now})")]
    Expired {
        /// The certificate's `exp`.
        exp: UnixTime,
        /// The time checked against.
        now: UnixTime,
    },
    /// See [`Reason::InputTooLarge`].
    #[error("input of {len} bytes exceeds {limit}")]
    InputTooLarge {
        /// Input length.
        len: usize,
        /// The bound.
        limit: usize,
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
    /// The protected header names no algorithm (an unprotected `alg` is never used).
    #[error("no algorithm in the protected header")]
    MissingAlgorithm,
    /// Neither header holds a kid.
    #[error("no kid in either header")]
    MissingKid,
    /// See [`Reason::MissingPrefix`].
    #[error("missing HC1: prefix")]
    MissingPrefix,
    /// See [`Reason::PayloadMalformed`].
    #[error("malformed payload: {detail}")]
    PayloadMalformed {
        /// What is wrong.
        detail: &'static str,
    },
    /// See [`Reason::Revoked`]: which hash type matched, in which list, and how likely the hit
    /// is a false positive. (A struct rather than named fields: `thiserror` takes a field named
    /// `source` for the error's cause.)
    #[error("revoked: {0}")]
    Revoked(RevocationMatch),
    /// See [`Reason::SchemaInvalid`]. `path` names the offending field, never its value.
    #[error("schema: {path}: {detail}")]
    Schema {
        /// JSON path of the field, e.g. `v[0].dn`.
        path: String,
        /// What is wrong.
        detail: &'static str,
    },
    /// See [`Reason::SignatureInvalid`].
    #[error("signature does not verify")]
    SignatureInvalid,
    /// The acceptance rules refuse the certificate (see [`crate::rules`]).
    #[error("rules: {0}")]
    Rules(crate::rules::Violation),
    /// A French 2D-DOC problem; its [`Reason`] is the nearest DCC one (see [`Error::reason`]).
    #[error("2D-DOC: {0}")]
    TwoDDoc(crate::twoddoc::TwoDDocError),
    /// See [`Reason::SignatureMalformed`].
    #[error("signature of {actual} bytes, expected {expected}")]
    SignatureLength {
        /// The length the algorithm requires.
        expected: usize,
        /// The length found.
        actual: usize,
    },
    /// An RSA signature whose value is not below the signer's modulus (RFC 8017 §5.2.2): no
    /// valid signature has that encoding.
    #[error("signature value not below the signer's RSA modulus")]
    SignatureOutOfRange,
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
    /// A timestamp claim does not fit the supported range.
    #[error("{claim} claim out of range")]
    TimestampOutOfRange {
        /// `iat` or `exp`.
        claim: &'static str,
    },
    /// See [`Reason::UnknownSigner`].
    #[error("no trusted key for this kid")]
    UnknownSigner,
    /// See [`Reason::UnsupportedAlgorithm`].
    #[error("unsupported algorithm {alg}")]
    UnsupportedAlgorithm {
        /// The COSE algorithm identifier.
        alg: i64,
    },
}

impl Error {
    /// The stable reason code of this failure. One exhaustive match: a new variant must decide.
    pub const fn reason(&self) -> Reason {
        match self {
            Self::AlgorithmKeyMismatch { .. } => Reason::AlgorithmKeyMismatch,
            Self::Base45 { .. } => Reason::Base45Invalid,
            Self::CborTooDeep { .. } | Self::CborTooManyItems { .. } => Reason::CborLimitExceeded,
            Self::CborMalformed { .. } => Reason::CborMalformed,
            Self::CoseMalformed { .. } | Self::MissingKid => Reason::CoseMalformed,
            Self::DecompressedTooLarge { .. } => Reason::DecompressedTooLarge,
            Self::DecompressFailed { .. } => Reason::DecompressFailed,
            Self::Expired { .. } | Self::MissingExpiry => Reason::Expired,
            Self::InputTooLarge { .. } => Reason::InputTooLarge,
            Self::IssuedInFuture { .. } => Reason::IssuedInFuture,
            Self::IssuerCountryMismatch { .. } => Reason::IssuerCountryMismatch,
            Self::KeyUsageMismatch { .. } | Self::KeyUsageAmbiguousEntry => {
                Reason::KeyUsageMismatch
            }
            Self::MissingPrefix => Reason::MissingPrefix,
            Self::PayloadMalformed { .. } | Self::TimestampOutOfRange { .. } => {
                Reason::PayloadMalformed
            }
            Self::Revoked(_) => Reason::Revoked,
            Self::Schema { .. } => Reason::SchemaInvalid,
            Self::SignatureInvalid => Reason::SignatureInvalid,
            Self::Rules(v) => rules_reason(v),
            Self::TwoDDoc(e) => twoddoc_reason(e),
            Self::SignatureLength { .. } | Self::SignatureOutOfRange => Reason::SignatureMalformed,
            Self::SignerExpired { .. } => Reason::SignerExpired,
            Self::SignerNotYetValid { .. } => Reason::SignerNotYetValid,
            Self::UnknownSigner => Reason::UnknownSigner,
            Self::MissingAlgorithm | Self::UnsupportedAlgorithm { .. } => {
                Reason::UnsupportedAlgorithm
            }
        }
    }

    /// How informative this failure is when several signer keys share a kid and all fail:
    /// the highest rank is reported (webpki's `most_specific`).
    pub(crate) const fn rank(&self) -> u8 {
        match self {
            Self::SignatureInvalid => 3,
            Self::SignatureLength { .. } | Self::SignatureOutOfRange => 2,
            Self::AlgorithmKeyMismatch { .. } => 1,
            _ => 0,
        }
    }
}

/// The reason of an acceptance-rule refusal.
const fn rules_reason(v: &crate::rules::Violation) -> Reason {
    use crate::rules::Violation as V;
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
    }
}

/// The reason of a 2D-DOC failure: a header that is not a readable 2D-DOC is
/// `invalid_2ddoc_header`, a test CA is `unknown_signer` (not trusted), field problems
/// (a repeated field, or a content date after the signature date, included) are
/// `schema_invalid`, a signature date in the future `issued_in_future`.
const fn twoddoc_reason(e: &crate::twoddoc::TwoDDocError) -> Reason {
    use crate::twoddoc::TwoDDocError as E;
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
