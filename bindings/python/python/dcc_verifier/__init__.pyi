# The types of the public API (the generated module's own annotations say `bytes` where any
# bytes-like object works, and hide DccError's variants from type checkers). Checked against
# the installed package by `python -m mypy.stubtest dcc_verifier` (bindings/python/test.sh):
# a name, field or parameter added to src/ffi.rs fails that check until it is added here.

import datetime
import enum
from collections.abc import Iterable
from types import TracebackType

from typing_extensions import Buffer, Self

__all__ = [
    "Acceptance",
    "Admission",
    "CertificateKind",
    "CertificateSummary",
    "Check",
    "CheckStatus",
    "Checks",
    "CodeFormat",
    "DccError",
    "DccVerifier",
    "EuRuleSetInfo",
    "Failure",
    "GatewayRule",
    "InternalError",
    "InvalidRule",
    "Reason",
    "RevocationData",
    "RevocationHashType",
    "RevocationHit",
    "RevocationListKind",
    "RevocationSlice",
    "RuleOutcome",
    "RuleResult",
    "ScanOptions",
    "SignatureAlgorithm",
    "SkipReason",
    "SkippedCheck",
    "TwoDDocTrust",
    "Verdict",
    "VerifierOptions",
    "library_version",
    "rules_names",
]

__version__: str

def library_version() -> str: ...
def rules_names() -> list[str]: ...

class InternalError(Exception):
    """A bug in the Rust library (a panic), caught at the boundary."""

class DccError(Exception):
    """A caller mistake or unusable input data: raised, unlike invalid certificates."""

    class InvalidTrustData(DccError):
        detail: str
        def __init__(self, detail: str) -> None: ...

    class InvalidRevocationData(DccError):
        detail: str
        def __init__(self, detail: str) -> None: ...

    class InvalidRules(DccError):
        detail: str
        def __init__(self, detail: str) -> None: ...

    class InvalidEuRules(DccError):
        rule_id: str | None
        detail: str
        def __init__(self, rule_id: str | None, detail: str) -> None: ...

    class InvalidOptions(DccError):
        detail: str
        def __init__(self, detail: str) -> None: ...

    class TrustRollback(DccError):
        detail: str
        def __init__(self, detail: str) -> None: ...

class DccVerifier:
    """Verifies EU DCCs and French 2D-DOCs offline; thread-safe; `with` closes it."""

    def __init__(self, trust: Iterable[Buffer], acceptance: Acceptance) -> None: ...
    @classmethod
    def with_options(
        cls, trust: Iterable[Buffer], acceptance: Acceptance, options: VerifierOptions
    ) -> DccVerifier: ...
    def verify(self, qr: str, now: datetime.datetime) -> Verdict: ...
    def verify_bytes(self, scanned: Buffer, now: datetime.datetime) -> Verdict: ...
    def verify_with(self, qr: str, now: datetime.datetime, scan: ScanOptions) -> Verdict: ...
    def replace_trust(self, trust: Iterable[Buffer]) -> None: ...
    def replace_trust_allowing_rollback(self, trust: Iterable[Buffer]) -> None: ...
    def keyset_issued_at(self) -> datetime.datetime | None: ...
    def replace_revocation(self, revocation: RevocationData) -> None: ...
    def replace_2ddoc_keys(self, keys: Iterable[TwoDDocTrust]) -> None: ...
    def add_french_rules(self, name: str, rules: str) -> None: ...
    def add_eu_rules(
        self,
        name: str,
        rules: Iterable[Buffer],
        value_sets: Iterable[Buffer],
        rule_types: Iterable[str] = (),
    ) -> EuRuleSetInfo: ...
    def add_gateway_eu_rules(
        self,
        name: str,
        rules: Iterable[GatewayRule],
        value_sets: Iterable[Buffer],
        rule_types: Iterable[str] = (),
    ) -> EuRuleSetInfo: ...
    def remove_rule_set(self, name: str) -> bool: ...
    def rule_set_names(self) -> list[str]: ...
    def trusted_key_count(self) -> int: ...
    def close(self) -> None: ...
    @property
    def closed(self) -> bool: ...
    def __enter__(self) -> Self: ...
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
        /,
    ) -> None: ...

class VerifierOptions:
    clock_skew_seconds: int
    allow_2ddoc_test_ca: bool
    keyset_publisher_key: Buffer | None
    require_issuer_country_match: bool
    allow_empty_trust: bool
    minimum_keyset_issued_at: datetime.datetime | None
    country: str
    region: str
    lang: str
    accept_open_rules: bool
    def __init__(
        self,
        *,
        clock_skew_seconds: int = 300,
        allow_2ddoc_test_ca: bool = False,
        keyset_publisher_key: Buffer | None = ...,
        require_issuer_country_match: bool = False,
        allow_empty_trust: bool = False,
        minimum_keyset_issued_at: datetime.datetime | None = ...,
        country: str = "",
        region: str = "",
        lang: str = "en",
        accept_open_rules: bool = False,
    ) -> None: ...

class Acceptance:
    """Authenticity only, or a rule set by name: `Acceptance.RULE_SET(name="eu")`."""

    def __init__(self) -> None: ...
    class AUTHENTICITY_ONLY(Acceptance):
        def __init__(self) -> None: ...

    class RULE_SET(Acceptance):
        name: str
        def __init__(self, name: str) -> None: ...

    def is_AUTHENTICITY_ONLY(self) -> bool: ...
    def is_authenticity_only(self) -> bool: ...
    def is_RULE_SET(self) -> bool: ...
    def is_rule_set(self) -> bool: ...

class ScanOptions:
    acceptance: Acceptance
    country: str
    region: str
    lang: str
    accept_open_rules: bool
    def __init__(
        self,
        *,
        acceptance: Acceptance,
        country: str = "",
        region: str = "",
        lang: str = "en",
        accept_open_rules: bool = False,
    ) -> None: ...

class GatewayRule:
    hash: str
    bytes: Buffer
    def __init__(self, *, hash: str, bytes: Buffer) -> None: ...

class EuRuleSetInfo:
    rule_count: int
    countries: list[str]
    invalid_rules: list[InvalidRule]
    def __init__(
        self, *, rule_count: int, countries: list[str], invalid_rules: list[InvalidRule]
    ) -> None: ...

class InvalidRule:
    id: str
    issues: str
    def __init__(self, *, id: str, issues: str) -> None: ...

class RuleResult:
    id: str
    version: str
    outcome: RuleOutcome
    open_reason: str | None
    description: str
    def __init__(
        self,
        *,
        id: str,
        version: str,
        outcome: RuleOutcome,
        open_reason: str | None,
        description: str,
    ) -> None: ...

class TwoDDocTrust:
    ca_id: str
    cert_id: str
    key: Buffer
    def __init__(self, *, ca_id: str, cert_id: str, key: Buffer) -> None: ...

class RevocationData:
    slices: list[RevocationSlice]
    issued_at: datetime.datetime | None
    def __init__(
        self, *, slices: list[RevocationSlice], issued_at: datetime.datetime | None = ...
    ) -> None: ...

class RevocationSlice:
    kind: RevocationListKind
    data: Buffer
    hash_types: list[RevocationHashType]
    source: str
    kid: Buffer | None
    prefix: str
    expires_at: datetime.datetime | None
    def __init__(
        self,
        *,
        kind: RevocationListKind,
        data: Buffer,
        hash_types: list[RevocationHashType],
        source: str,
        kid: Buffer | None = ...,
        prefix: str = "",
        expires_at: datetime.datetime | None = ...,
    ) -> None: ...

class Verdict:
    format: CodeFormat
    valid: bool
    reason: Reason | None
    reason_code: str | None
    checks: Checks
    failures: list[Failure]
    skipped: list[SkippedCheck]
    kid: bytes | None
    algorithm: SignatureAlgorithm | None
    revocation_hit: RevocationHit | None
    revocation_data_age_seconds: int | None
    admission: Admission
    admission_code: str
    rule_set: str | None
    rule_results: list[RuleResult]
    certificate: CertificateSummary | None
    def __init__(
        self,
        *,
        format: CodeFormat,
        valid: bool,
        reason: Reason | None,
        reason_code: str | None,
        checks: Checks,
        failures: list[Failure],
        skipped: list[SkippedCheck],
        kid: bytes | None,
        algorithm: SignatureAlgorithm | None,
        revocation_hit: RevocationHit | None,
        revocation_data_age_seconds: int | None,
        admission: Admission,
        admission_code: str,
        rule_set: str | None,
        rule_results: list[RuleResult],
        certificate: CertificateSummary | None,
    ) -> None: ...

class CertificateSummary:
    kind: CertificateKind
    family_name: str | None
    family_name_standardised: str | None
    given_name: str | None
    given_name_standardised: str | None
    date_of_birth: str
    issued_at: datetime.datetime | None
    expires_at: datetime.datetime | None
    issuer_country: str | None
    country: str
    certificate_id: str
    schema_version: str
    payload_json: str
    def __init__(
        self,
        *,
        kind: CertificateKind,
        family_name: str | None,
        family_name_standardised: str | None,
        given_name: str | None,
        given_name_standardised: str | None,
        date_of_birth: str,
        issued_at: datetime.datetime | None,
        expires_at: datetime.datetime | None,
        issuer_country: str | None,
        country: str,
        certificate_id: str,
        schema_version: str,
        payload_json: str,
    ) -> None: ...

class Checks:
    prefix: CheckStatus
    base45: CheckStatus
    decompress: CheckStatus
    cose: CheckStatus
    payload: CheckStatus
    signature: CheckStatus
    key_usage: CheckStatus
    signer_validity: CheckStatus
    expiry: CheckStatus
    schema: CheckStatus
    revocation: CheckStatus
    rules: CheckStatus
    def __init__(
        self,
        *,
        prefix: CheckStatus,
        base45: CheckStatus,
        decompress: CheckStatus,
        cose: CheckStatus,
        payload: CheckStatus,
        signature: CheckStatus,
        key_usage: CheckStatus,
        signer_validity: CheckStatus,
        expiry: CheckStatus,
        schema: CheckStatus,
        revocation: CheckStatus,
        rules: CheckStatus,
    ) -> None: ...

class Failure:
    check: Check
    reason: Reason
    message: str
    def __init__(self, *, check: Check, reason: Reason, message: str) -> None: ...

class SkippedCheck:
    check: Check
    reason: SkipReason
    def __init__(self, *, check: Check, reason: SkipReason) -> None: ...

class RevocationHit:
    hash_type: str
    source: str
    false_positive_probability: float | None
    def __init__(
        self, *, hash_type: str, source: str, false_positive_probability: float | None
    ) -> None: ...

class CodeFormat(enum.Enum):
    EU_DCC = 0
    TWO_D_DOC = 1

class CheckStatus(enum.Enum):
    PASS = 0
    FAIL = 1
    SKIPPED = 2

class Check(enum.Enum):
    PREFIX = 0
    BASE45 = 1
    DECOMPRESS = 2
    COSE = 3
    PAYLOAD = 4
    SIGNATURE = 5
    KEY_USAGE = 6
    SIGNER_VALIDITY = 7
    EXPIRY = 8
    SCHEMA = 9
    REVOCATION = 10
    RULES = 11

class SkipReason(enum.Enum):
    EARLIER_CHECK_FAILED = 0
    NOT_APPLICABLE = 1
    NO_DATA = 2
    NOT_COVERED = 3
    NOT_REQUESTED = 4

class Reason(enum.Enum):
    ALGORITHM_KEY_MISMATCH = 0
    BASE45_INVALID = 1
    CBOR_LIMIT_EXCEEDED = 2
    CBOR_MALFORMED = 3
    COSE_MALFORMED = 4
    DECOMPRESSED_TOO_LARGE = 5
    DECOMPRESS_FAILED = 6
    EXPIRED = 7
    INPUT_TOO_LARGE = 8
    ISSUED_IN_FUTURE = 9
    ISSUER_COUNTRY_MISMATCH = 10
    KEY_USAGE_MISMATCH = 11
    MISSING_PREFIX = 12
    PAYLOAD_MALFORMED = 13
    REVOKED = 14
    SCHEMA_INVALID = 15
    SIGNATURE_MALFORMED = 16
    SIGNATURE_INVALID = 17
    SIGNER_EXPIRED = 18
    SIGNER_NOT_YET_VALID = 19
    UNKNOWN_SIGNER = 20
    UNSUPPORTED_ALGORITHM = 21
    BOOSTER_REQUIRED = 22
    INVALID_TWO_D_DOC_HEADER = 23
    RECOVERY_EXPIRED = 24
    RECOVERY_NOT_YET_VALID = 25
    RULES_FAILED = 26
    RULES_NOT_APPLICABLE = 27
    RULES_OPEN = 28
    TEST_NOT_ACCEPTED_FOR_AGE = 29
    TEST_NOT_NEGATIVE = 30
    TEST_NOT_YET_VALID = 31
    TEST_TOO_OLD = 32
    TEST_TYPE_NOT_ACCEPTED = 33
    VACCINATION_EXPIRED = 34
    VACCINATION_INCOMPLETE = 35
    VACCINATION_NOT_YET_VALID = 36

class SignatureAlgorithm(enum.Enum):
    ES256 = 0
    PS256 = 1

class CertificateKind(enum.Enum):
    VACCINATION = 0
    TEST = 1
    RECOVERY = 2

class RevocationListKind(enum.Enum):
    BLOOM_FILTER = 0
    HASH_LIST = 1
    FRENCH_BLOCKLIST = 2

class RevocationHashType(enum.Enum):
    UCI = 0
    COUNTRY_CODE_UCI = 1
    SIGNATURE = 2

class Admission(enum.Enum):
    ADMITTED = 0
    REFUSED = 1
    NOT_EVALUATED = 2

class RuleOutcome(enum.Enum):
    PASSED = 0
    FAILED = 1
    OPEN = 2
