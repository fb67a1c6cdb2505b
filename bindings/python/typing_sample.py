"""What an app's type checker sees: bindings/python/test.sh runs `mypy --strict` on this file
against the installed wheel's stub (it is never executed). Each `type: ignore[...]` line is a
mistake the stub must catch: with --strict (warn_unused_ignores), an ignore that is not needed
fails the run, so a stub that stopped catching it is noticed."""

import datetime

import dcc_verifier as dcc


def scan(trust: bytes, key_set: bytearray, text: str, raw: memoryview) -> str | None:
    now = datetime.datetime.now(datetime.timezone.utc)
    options = dcc.VerifierOptions(allow_empty_trust=True, keyset_publisher_key=memoryview(b""))
    with dcc.DccVerifier.with_options([trust, key_set], options) as verifier:
        verdict: dcc.Verdict = verifier.verify(text, now)
        verifier.verify_bytes(raw, now)
        verifier.replace_trust((trust, memoryview(key_set)))
        verifier.replace_revocation(
            dcc.RevocationData(
                slices=[
                    dcc.RevocationSlice(
                        kind=dcc.RevocationListKind.FRENCH_BLOCKLIST,
                        data=bytearray(b"00\n"),
                        hash_types=[],
                        source="sample",
                    )
                ],
                issued_at=now,
            )
        )
        verifier.replace_2ddoc_keys([dcc.TwoDDocTrust(ca_id="FR03", cert_id="AV01", key=trust)])
        verifier.replace_rules(None)
        count: int = verifier.trusted_key_count()
        issued: datetime.datetime | None = verifier.keyset_issued_at()
        print(count, issued, verifier.closed)
    try:
        dcc.DccVerifier([trust])
    except dcc.DccError.InvalidTrustData as e:
        detail: str = e.detail
        print(detail)
    except dcc.DccError:
        pass
    if verdict.certificate is not None:
        expires: datetime.datetime | None = verdict.certificate.expires_at
        print(expires, verdict.certificate.kind is dcc.CertificateKind.TEST)
    if verdict.reason is dcc.Reason.EXPIRED or verdict.checks.rules is dcc.CheckStatus.FAIL:
        print([f.reason for f in verdict.failures], [s.check for s in verdict.skipped])
    print(dcc.library_version(), dcc.rules_names(), dcc.__version__)

    verifier.verify(raw, now)  # type: ignore[arg-type]
    verifier.verify(text)  # type: ignore[call-arg]
    verifier.verify_bytes("text", now)  # type: ignore[arg-type]
    dcc.DccVerifier(["text"])  # type: ignore[list-item]
    dcc.VerifierOptions(60)  # type: ignore[call-arg]
    dcc.TwoDDocTrust(ca_id="FR03", cert_id="AV01", key="text")  # type: ignore[arg-type]
    verdict.certificate.family_name  # type: ignore[union-attr]
    verdict.valid = "yes"  # type: ignore[assignment]
    return verdict.reason_code
