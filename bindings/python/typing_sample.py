"""What an app's type checker sees: bindings/python/test.sh runs `mypy --strict` on this file
against the installed wheel's stub (it is never executed). Each `type: ignore[...]` line is a
mistake the stub must catch: with --strict (warn_unused_ignores), an ignore that is not needed
fails the run, so a stub that stopped catching it is noticed."""

import datetime

import dcc_verifier as dcc


def scan(trust: bytes, key_set: bytearray, text: str, raw: memoryview) -> str | None:
    now = datetime.datetime.now(datetime.timezone.utc)
    options = dcc.VerifierOptions(allow_empty_trust=True, keyset_publisher_key=memoryview(b""))
    authenticity = dcc.Acceptance.AUTHENTICITY_ONLY()
    with dcc.DccVerifier.with_options([trust, key_set], authenticity, options) as verifier:
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
        verifier.add_french_rules("fr", "fr-latest")
        info: dcc.EuRuleSetInfo = verifier.add_eu_rules("eu", [trust, bytearray(trust)], (raw,), ["Acceptance"])
        gateway = dcc.GatewayRule(hash="00" * 32, bytes=memoryview(trust))
        verifier.add_gateway_eu_rules("eu", [gateway], [trust])
        names: list[str] = verifier.rule_set_names()
        removed: bool = verifier.remove_rule_set("eu")
        print(info.rule_count, [i.issues for i in info.invalid_rules], names, removed)
        scan = dcc.ScanOptions(acceptance=dcc.Acceptance.RULE_SET(name="eu"), country="IE")
        judged = verifier.verify_with(text, now, scan)
        if judged.admission is dcc.Admission.ADMITTED:
            print([(r.id, r.outcome is dcc.RuleOutcome.OPEN, r.open_reason) for r in judged.rule_results])
        count: int = verifier.trusted_key_count()
        issued: datetime.datetime | None = verifier.keyset_issued_at()
        print(count, issued, verifier.closed)
    try:
        dcc.DccVerifier([trust], authenticity)
    except dcc.DccError.InvalidTrustData as e:
        detail: str = e.detail
        print(detail)
    except dcc.DccError.InvalidEuRules as e:
        rule_id: str | None = e.rule_id
        print(rule_id)
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
    dcc.DccVerifier(["text"], authenticity)  # type: ignore[list-item]
    dcc.DccVerifier([trust])  # type: ignore[call-arg]
    dcc.ScanOptions(country="IE")  # type: ignore[call-arg]
    verifier.verify_with(text, now, dcc.Acceptance.AUTHENTICITY_ONLY())  # type: ignore[arg-type]
    dcc.VerifierOptions(60)  # type: ignore[call-arg]
    dcc.TwoDDocTrust(ca_id="FR03", cert_id="AV01", key="text")  # type: ignore[arg-type]
    verdict.certificate.family_name  # type: ignore[union-attr]
    verdict.valid = "yes"  # type: ignore[assignment]
    return verdict.reason_code
