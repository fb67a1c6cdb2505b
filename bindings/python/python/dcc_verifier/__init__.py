"""Offline verification of EU Digital COVID Certificates (HC1 QR codes) and French 2D-DOCs.

The verifier is the Rust library's UniFFI surface (src/ffi.rs), generated into the private
module ``dcc_verifier._ffi`` when the wheel is built. This package re-exports it unchanged and
adds only what the generated code cannot do:

- any bytes-like object (``bytes``, ``bytearray``, ``memoryview``) wherever data goes in
  (trust lists, key sets, revocation lists, 2D-DOC keys, EU rules and value sets,
  ``verify_bytes``), and any iterable where the generated code takes a list;
- a ``TypeError`` that says what to do for a naive ``datetime`` (no time zone), which could
  mean any time zone: pass an aware one, e.g. ``datetime.now(timezone.utc)``;
- ``close()`` and ``with`` on :class:`DccVerifier`;
- type hints (``__init__.pyi``, checked against this module by ``mypy.stubtest``).
"""

from __future__ import annotations

import datetime as _datetime
from typing import Any, Iterable, List, Optional

from ._ffi import dcc_verifier as _native
from ._ffi.dcc_verifier import (
    Acceptance,
    Admission,
    CertificateKind,
    CertificateSummary,
    Check,
    Checks,
    CheckStatus,
    CodeFormat,
    DccError,
    EuRuleSetInfo,
    Failure,
    GatewayRule,
    InternalError,
    InvalidRule,
    Reason,
    RevocationData,
    RevocationHashType,
    RevocationHit,
    RevocationListKind,
    RevocationSlice,
    RuleOutcome,
    RuleResult,
    ScanOptions,
    SignatureAlgorithm,
    SkippedCheck,
    SkipReason,
    TwoDDocTrust,
    Verdict,
    VerifierOptions,
    library_version,
    rules_names,
)

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

__version__: str = library_version()


# The two converters every value of these types goes through, in arguments and nested in
# records alike (uniffi is pinned, `=0.32.2`: a rename fails here, at import, not later).
try:
    _Bytes: Any = _native._UniffiFfiConverterBytes
    _Timestamp: Any = _native._UniffiFfiConverterTimestamp
except AttributeError as missing:  # pragma: no cover - only after a uniffi upgrade
    raise ImportError(
        f"dcc_verifier: the generated bindings changed ({missing}); "
        "update bindings/python/python/dcc_verifier/__init__.py"
    ) from None


# Built without the crate root's uniffi.toml (e.g. `maturin build` with no uniffi.toml at the
# crate root), `verify` would take bytes instead of the scanned text.
if getattr(_native, "ScannedText", None) is not str:  # pragma: no cover
    raise ImportError(
        "dcc_verifier: built without uniffi.toml (ScannedText is not str): "
        "build the wheel with bindings/python/build-wheel.sh"
    )


def _check_bytes(value: Any) -> None:
    try:
        memoryview(value)
    except TypeError:
        raise TypeError(
            "a bytes-like object (bytes, bytearray, memoryview) is required, "
            f"not {type(value).__name__!r}"
        ) from None


def _as_bytes(value: Any) -> bytes:
    """`bytes` as they are; any other bytes-like object copied into `bytes` (the generated
    writer hands its argument to ctypes.memmove, which takes only `bytes`, and counts a
    memoryview's items, not its bytes)."""
    if isinstance(value, bytes):
        return value
    _check_bytes(value)
    return memoryview(value).tobytes()


def _check_time(value: Any) -> None:
    if not isinstance(value, _datetime.datetime):
        raise TypeError(f"a datetime.datetime is required, not {type(value).__name__!r}")
    if value.utcoffset() is None:
        raise TypeError(
            f"naive datetime {value.isoformat()!r} (no time zone): pass an aware datetime, "
            "e.g. datetime.now(timezone.utc) or datetime(2021, 9, 1, tzinfo=timezone.utc)"
        )


_write_bytes = _Bytes.write
_write_time = _Timestamp.write


def _write_bytes_like(value: Any, buf: Any) -> None:
    _write_bytes(_as_bytes(value), buf)


def _write_checked_time(value: Any, buf: Any) -> None:
    _check_time(value)
    _write_time(value, buf)


_Bytes.check_lower = staticmethod(_check_bytes)
_Bytes.write = staticmethod(_write_bytes_like)
_Timestamp.check_lower = staticmethod(_check_time)
_Timestamp.write = staticmethod(_write_checked_time)


def _documents(documents: Iterable[Any]) -> List[Any]:
    """A list of JSON documents' bytes; one document's bytes alone is a mistake worth naming."""
    if isinstance(documents, (str, bytes, bytearray, memoryview)):
        raise TypeError(
            f"rules and value sets are lists of documents' bytes, not one "
            f"{type(documents).__name__!r}: pass [data]"
        )
    return list(documents)


def _trust_list(trust: Iterable[Any]) -> List[Any]:
    """The list of trust files' bytes; one file's bytes alone is a mistake worth naming."""
    if isinstance(trust, (str, bytes, bytearray, memoryview)):
        raise TypeError(
            f"trust is a list of files' bytes, not one {type(trust).__name__!r}: "
            "pass [data], e.g. DccVerifier([trust_list_bytes], acceptance)"
        )
    return list(trust)


class DccVerifier:
    """Verifies EU Digital COVID Certificates and French 2D-DOCs offline against trusted
    signer keys.

    Built with an explicit :class:`Acceptance`: ``Acceptance.AUTHENTICITY_ONLY()``, or
    ``Acceptance.RULE_SET(name=...)`` for a rule set added afterwards (``add_eu_rules``,
    ``add_gateway_eu_rules``, ``add_french_rules``).

    Safe to share between threads: scans may run concurrently, and :meth:`replace_trust`
    (like every method that adds or removes data) swaps it atomically while they do.
    ``close()`` (or leaving a ``with`` block) releases the Rust verifier at once instead of at
    garbage collection; scans already running finish first, and any later call raises
    ``ValueError``.
    """

    __slots__ = ("_verifier", "__weakref__")

    def __init__(self, trust: Iterable[Any], acceptance: Acceptance) -> None:
        self._verifier: Optional[_native.DccVerifier] = _native.DccVerifier(
            _trust_list(trust), acceptance
        )

    @classmethod
    def with_options(
        cls, trust: Iterable[Any], acceptance: Acceptance, options: VerifierOptions
    ) -> DccVerifier:
        self = cls.__new__(cls)
        self._verifier = _native.DccVerifier.with_options(_trust_list(trust), acceptance, options)
        return self

    def _open(self) -> _native.DccVerifier:
        verifier = self._verifier
        if verifier is None:
            raise ValueError("the DccVerifier is closed")
        return verifier

    def verify(self, qr: str, now: _datetime.datetime) -> Verdict:
        if not isinstance(qr, str):
            raise TypeError(
                f"verify() takes the scanned text as str, not {type(qr).__name__!r} "
                "(use verify_bytes() for bytes)"
            )
        return self._open().verify(qr, now)

    def verify_bytes(self, scanned: Any, now: _datetime.datetime) -> Verdict:
        return self._open().verify_bytes(scanned, now)

    def verify_with(self, qr: str, now: _datetime.datetime, scan: ScanOptions) -> Verdict:
        if not isinstance(qr, str):
            raise TypeError(
                f"verify_with() takes the scanned text as str, not {type(qr).__name__!r}"
            )
        return self._open().verify_with(qr, now, scan)

    def replace_trust(self, trust: Iterable[Any]) -> None:
        self._open().replace_trust(_trust_list(trust))

    def replace_trust_allowing_rollback(self, trust: Iterable[Any]) -> None:
        self._open().replace_trust_allowing_rollback(_trust_list(trust))

    def keyset_issued_at(self) -> Optional[_datetime.datetime]:
        return self._open().keyset_issued_at()

    def replace_revocation(self, revocation: RevocationData) -> None:
        self._open().replace_revocation(revocation)

    def replace_2ddoc_keys(self, keys: Iterable[TwoDDocTrust]) -> None:
        self._open().replace_2ddoc_keys(list(keys))

    def add_french_rules(self, name: str, rules: str) -> None:
        self._open().add_french_rules(name, rules)

    def add_eu_rules(
        self,
        name: str,
        rules: Iterable[Any],
        value_sets: Iterable[Any],
        rule_types: Iterable[str] = (),
    ) -> EuRuleSetInfo:
        return self._open().add_eu_rules(
            name, _documents(rules), _documents(value_sets), list(rule_types)
        )

    def add_gateway_eu_rules(
        self,
        name: str,
        rules: Iterable[GatewayRule],
        value_sets: Iterable[Any],
        rule_types: Iterable[str] = (),
    ) -> EuRuleSetInfo:
        return self._open().add_gateway_eu_rules(
            name, list(rules), _documents(value_sets), list(rule_types)
        )

    def remove_rule_set(self, name: str) -> bool:
        return self._open().remove_rule_set(name)

    def rule_set_names(self) -> List[str]:
        return self._open().rule_set_names()

    def trusted_key_count(self) -> int:
        return self._open().trusted_key_count()

    def close(self) -> None:
        self._verifier = None

    @property
    def closed(self) -> bool:
        return self._verifier is None

    def __enter__(self) -> DccVerifier:
        self._open()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        verifier = self._verifier
        if verifier is None:
            return "<DccVerifier closed>"
        return f"<DccVerifier trusting {verifier.trusted_key_count()} keys>"


# Each method's documentation is the Rust doc comment that the generated method carries.
for _name in (
    "with_options",
    "verify",
    "verify_bytes",
    "replace_trust",
    "replace_trust_allowing_rollback",
    "keyset_issued_at",
    "replace_revocation",
    "replace_2ddoc_keys",
    "verify_with",
    "add_french_rules",
    "add_eu_rules",
    "add_gateway_eu_rules",
    "remove_rule_set",
    "rule_set_names",
    "trusted_key_count",
):
    _method = vars(DccVerifier)[_name]
    getattr(_method, "__func__", _method).__doc__ = getattr(_native.DccVerifier, _name).__doc__
DccVerifier.__init__.__doc__ = _native.DccVerifier.__init__.__doc__
DccVerifier.close.__doc__ = """Releases the Rust verifier now (idempotent); scans already
running finish first. Any later call raises ``ValueError``."""
del _name, _method
