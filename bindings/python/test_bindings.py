"""Python binding tests: the installed wheel (the generated module, the Rust library and the
hand-written package around them), end to end.

Run by bindings/python/test.sh, which builds the wheel with the test-only panic probe, installs
it into a fresh venv and runs this file with that venv's pytest; or, with such a wheel
installed:  python -m pytest bindings/python/test_bindings.py
"""

import array
import contextlib
import datetime
import gc
import hashlib
import io
import json
import os
import pathlib
import subprocess
import sys
import threading
import time
import unittest
import weakref

import dcc_verifier as dcc
from dcc_verifier._ffi import dcc_verifier as native  # the generated module, for the probe

ROOT = pathlib.Path(__file__).resolve().parents[2]
AT = datetime.datetime(2021, 9, 1, tzinfo=datetime.timezone.utc)
TRUST = (ROOT / "fixtures" / "trust" / "trustlist.json").read_bytes()
# Most tests check authenticity only (the fixture signers are test keys of no real country).
AUTHENTICITY = dcc.Acceptance.AUTHENTICITY_ONLY()


def pass_text(name):
    return (ROOT / "fixtures" / "passes" / f"{name}.txt").read_text().rstrip("\n")


def shared_dir(path):
    """The shared third-party data: $DCC_SHARED_DIR, else ../shared next to the repository.
    Absent: the test is skipped, except under CI=true, where it fails."""
    directory = pathlib.Path(os.environ.get("DCC_SHARED_DIR", ROOT.parent / "shared")) / path
    if not directory.is_dir():
        if os.environ.get("CI") == "true":
            raise AssertionError(f"{directory} missing under CI")
        raise unittest.SkipTest(f"{directory} not found (set DCC_SHARED_DIR)")
    return directory


def nothing_trusted():
    """A verifier trusting no DCC signer, on purpose (an empty list alone is refused)."""
    return dcc.DccVerifier.with_options([], AUTHENTICITY, dcc.VerifierOptions(allow_empty_trust=True))


class BindingTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.verifier = dcc.DccVerifier([TRUST], AUTHENTICITY)
        cls.valid = pass_text("valid-es256-vaccination")

    def test_valid_pass_with_summary(self):
        v = self.verifier.verify(self.valid, AT)
        self.assertTrue(v.valid, v.reason_code)
        self.assertIsNone(v.reason)
        self.assertEqual(v.checks.signature, dcc.CheckStatus.PASS)
        self.assertEqual(v.checks.revocation, dcc.CheckStatus.SKIPPED)
        self.assertEqual(v.algorithm, dcc.SignatureAlgorithm.ES256)
        c = v.certificate
        self.assertEqual(c.kind, dcc.CertificateKind.VACCINATION)
        self.assertEqual(c.family_name_standardised, "TESTPERSON")
        self.assertEqual(c.date_of_birth, "1990-01-01")
        self.assertEqual(c.expires_at, datetime.datetime(2022, 6, 1, tzinfo=datetime.timezone.utc))
        self.assertTrue(c.certificate_id.startswith("URN:UVCI:"))
        self.assertIn("v", json.loads(c.payload_json))
        skipped = {s.check: s.reason for s in v.skipped}
        self.assertEqual(skipped, {dcc.Check.REVOCATION: dcc.SkipReason.NO_DATA,
                                   dcc.Check.RULES: dcc.SkipReason.NOT_REQUESTED})
        self.assertEqual((v.admission, v.admission_code), (dcc.Admission.NOT_EVALUATED, "not_evaluated"))
        self.assertIsNone(v.rule_set)
        self.assertEqual(v.rule_results, [])

    def test_no_personal_data_in_string_forms(self):
        v = self.verifier.verify(self.valid, AT)
        c = v.certificate
        secrets = [c.family_name, c.family_name_standardised, c.given_name,
                   c.date_of_birth, c.certificate_id]
        for text in [repr(v), str(v), repr(c), str(c), f"{v}", f"{c!r}"]:
            for secret in secrets:
                self.assertNotIn(secret, text)
        self.assertIn("valid=True", str(v), "the verdict itself still prints")
        self.assertIn("redacted", str(c))

    def test_unencodable_text_is_a_verdict(self):
        for text in ["\ud800", "HC1:\ud800", self.valid + "\udfff", "DC04\ud800"]:
            v = self.verifier.verify(text, AT)
            self.assertFalse(v.valid)
            self.assertIsNotNone(v.reason)
        framed = self.verifier.verify_bytes(("\ufeff" + self.valid + "\r\n").encode(), AT)
        self.assertTrue(framed.valid, framed.reason_code)
        self.assertEqual(self.verifier.verify_bytes(b"HC1:\xff\xfe", AT).reason,
                         dcc.Reason.BASE45_INVALID)

    def test_misconfiguration_is_refused(self):
        for empty in [[], [b"{}"], [b'{"certificates":[]}']]:
            with self.assertRaises(dcc.DccError.InvalidTrustData):
                dcc.DccVerifier(empty, AUTHENTICITY)
            with self.assertRaises(dcc.DccError.InvalidTrustData):
                self.verifier.replace_trust(empty)
        self.assertTrue(self.verifier.verify(self.valid, AT).valid, "trust kept")
        with self.assertRaises(dcc.DccError.InvalidOptions):
            dcc.DccVerifier.with_options([TRUST], AUTHENTICITY, dcc.VerifierOptions(clock_skew_seconds=10**9))
        no_types = dcc.RevocationSlice(kind=dcc.RevocationListKind.BLOOM_FILTER, data=b"",
                                       hash_types=[], source="no types")
        with self.assertRaises(dcc.DccError.InvalidRevocationData):
            self.verifier.replace_revocation(dcc.RevocationData(slices=[no_types]))
        self.assertIsNone(self.verifier.keyset_issued_at(), "no key set loaded")

    def test_every_fixture_case(self):
        cases = json.loads((ROOT / "fixtures" / "passes" / "manifest.json").read_text())
        self.assertGreaterEqual(len(cases), 40)
        for case in cases:
            with self.subTest(case["name"]):
                v = self.verifier.verify((ROOT / case["file"]).read_text().rstrip("\n"), AT)
                self.assertEqual(v.valid, case["verdict"] == "valid")
                self.assertEqual(v.reason_code, case["reason"])
                for check, status in case["checks"].items():
                    self.assertEqual(getattr(v.checks, check).name.lower(), status, check)

    def test_certificate_only_after_verified_signature(self):
        forged = self.verifier.verify(pass_text("bad-signature"), AT)
        self.assertEqual(forged.reason, dcc.Reason.SIGNATURE_INVALID)
        self.assertIsNone(forged.certificate)
        expired = self.verifier.verify(pass_text("expired"), AT)
        self.assertEqual(expired.reason, dcc.Reason.EXPIRED)
        self.assertIsNotNone(expired.certificate)

    def test_garbage_is_a_verdict(self):
        for text in ["", "garbage", "HC1:", "HC1:%%%%", "HC1:" + "A" * 10_000, "\x00\uffff", "\ud800"]:
            v = self.verifier.verify(text, AT)
            self.assertFalse(v.valid)
            self.assertIsNotNone(v.reason)

    def test_bad_trust_data_raises(self):
        with self.assertRaises(dcc.DccError.InvalidTrustData):
            dcc.DccVerifier([b"not a trust list"], AUTHENTICITY)

    def test_nothing_trusted_without_trust(self):
        v = nothing_trusted().verify(self.valid, AT)
        self.assertEqual(v.reason, dcc.Reason.UNKNOWN_SIGNER)

    def test_concurrent_verifies_and_trust_replacement(self):
        shared = dcc.DccVerifier.with_options([TRUST], AUTHENTICITY, dcc.VerifierOptions(allow_empty_trust=True))
        seen, stop = [], threading.Event()

        def scan():
            while not stop.is_set():
                seen.append(shared.verify(self.valid, AT).reason_code)

        threads = [threading.Thread(target=scan) for _ in range(4)]
        for t in threads:
            t.start()
        for _ in range(30):
            shared.replace_trust([])
            shared.replace_trust([TRUST])
        with self.assertRaises(dcc.DccError.InvalidTrustData):
            shared.replace_trust([b"junk"])
        stop.set()
        for t in threads:
            t.join()
        self.assertTrue(shared.verify(self.valid, AT).valid, "a failed replace kept the trust")
        self.assertTrue(set(seen) <= {None, "unknown_signer"}, set(seen))
        self.assertIn(None, seen)

    def test_revocation_french_blocklist(self):
        shared = dcc.DccVerifier([TRUST], AUTHENTICITY)
        before = shared.verify(self.valid, AT)
        self.assertEqual(before.checks.revocation, dcc.CheckStatus.SKIPPED)
        c = before.certificate
        fingerprint = hashlib.sha256((c.country.upper() + c.certificate_id).encode()).hexdigest()
        blocklist = dcc.RevocationSlice(
            kind=dcc.RevocationListKind.FRENCH_BLOCKLIST,
            data=f"{fingerprint}\n".encode(),
            hash_types=[],
            source="fr-blocklist-test",
            kid=None,
            prefix="",
            expires_at=None,
        )
        shared.replace_revocation(dcc.RevocationData(slices=[blocklist], issued_at=None))
        after = shared.verify(self.valid, AT)
        self.assertEqual(after.reason, dcc.Reason.REVOKED)
        self.assertEqual(after.revocation_hit.hash_type, "FR_DCC")
        junk = dcc.RevocationSlice(
            kind=dcc.RevocationListKind.HASH_LIST,
            data=b"\x00",
            hash_types=[dcc.RevocationHashType.UCI],
            source="junk",
            kid=None,
            prefix="",
            expires_at=None,
        )
        with self.assertRaises(dcc.DccError.InvalidRevocationData):
            shared.replace_revocation(dcc.RevocationData(slices=[junk], issued_at=None))
        self.assertEqual(shared.verify(self.valid, AT).reason, dcc.Reason.REVOKED)

    def test_french_2ddoc(self):
        shared = shared_dir("france/vectors")
        doc = (shared / "2ddoc" / "tac_B2_test_DHI0-TST1.2ddoc").read_bytes().decode("ascii")
        key = (shared / "keys" / "DHI0-TST1_pub.pem").read_bytes()
        fr = nothing_trusted()
        before = fr.verify(doc, AT)
        self.assertEqual(before.format, dcc.CodeFormat.TWO_D_DOC)
        self.assertEqual(before.reason, dcc.Reason.UNKNOWN_SIGNER)
        fr.replace_2ddoc_keys([dcc.TwoDDocTrust(ca_id="DHI0", cert_id="TST1", key=key)])
        v = fr.verify(doc, AT)
        self.assertTrue(v.valid, v.reason_code)
        self.assertEqual(v.checks.cose, dcc.CheckStatus.SKIPPED)
        self.assertEqual(v.certificate.kind, dcc.CertificateKind.TEST)
        self.assertEqual(v.certificate.family_name, "DUPOND")
        self.assertEqual(v.certificate.date_of_birth, "1980-11-25")
        self.assertEqual(json.loads(v.certificate.payload_json)["F5"], "N")
        tampered = fr.verify(doc.replace("F5N", "F5P"), AT)
        self.assertEqual(tampered.reason, dcc.Reason.SIGNATURE_INVALID)
        self.assertIsNone(tampered.certificate)
        self.assertEqual(self.verifier.verify(self.valid, AT).format, dcc.CodeFormat.EU_DCC)
        with self.assertRaises(dcc.DccError.InvalidTrustData):
            fr.replace_2ddoc_keys([dcc.TwoDDocTrust(ca_id="DHI0", cert_id="TST1", key=b"junk")])

        # Acceptance rules: the TAC test vector's LOINC code (94309) is not an accepted type.
        self.assertIn("fr-2022-03-15-health", dcc.rules_names())
        fr.add_french_rules("health", "fr-2022-03-15-health")
        health = dcc.ScanOptions(acceptance=dcc.Acceptance.RULE_SET(name="health"))
        ruled = fr.verify_with(doc, AT, health)
        self.assertFalse(ruled.valid)
        self.assertEqual(ruled.reason, dcc.Reason.TEST_TYPE_NOT_ACCEPTED)
        self.assertEqual(ruled.checks.rules, dcc.CheckStatus.FAIL)
        self.assertEqual((ruled.admission, ruled.rule_set), (dcc.Admission.REFUSED, "health"))
        self.assertEqual([(r.id, r.outcome) for r in ruled.rule_results],
                         [("FR-RULES", dcc.RuleOutcome.FAILED)])
        self.assertEqual(fr.verify(doc, AT).checks.rules, dcc.CheckStatus.SKIPPED,
                         "the verifier's own acceptance is still authenticity only")
        with self.assertRaises(dcc.DccError.InvalidRules):
            fr.add_french_rules("health", '{"tests": {}}')
        self.assertEqual(fr.verify_with(doc, AT, health).reason, dcc.Reason.TEST_TYPE_NOT_ACCEPTED,
                         "a failed add changed the rules")
        self.assertTrue(fr.remove_rule_set("health"))
        self.assertEqual(fr.verify_with(doc, AT, health).reason, dcc.Reason.RULES_NOT_APPLICABLE)

    def test_panic_becomes_exception(self):
        with self.assertRaises(dcc.InternalError):
            native.panic_probe("boom")
        self.assertTrue(self.verifier.verify(self.valid, AT).valid)


PASSED, FAILED, OPEN = dcc.RuleOutcome.PASSED, dcc.RuleOutcome.FAILED, dcc.RuleOutcome.OPEN


class EuRulesTests(unittest.TestCase):
    """The EU business rules of the Gateway's production set (../shared/business-rules), as the
    app receives them, on the fixture passes at their manifest time (2021-09-01T00:00:00Z).

    The passes (examples/gen_fixtures/pass.rs), schema 1.3.0, issued by `XX`:
    - vaccination: Comirnaty (tg 840539006), dose 2 of 2 on 2021-05-20;
    - test: NAA/PCR (LP6464-4), "not detected" (260415000), sampled 2021-05-31T08:00:00Z;
    - recovery: first positive test 2021-04-10, valid from 2021-05-01 until 2021-10-31.
    In force on 2021-09-01 are only IE, LT, LU, SI and UA rules (the other countries' current
    versions start later); every rule below reads schema 1.0.0, which a 1.3.0 DCC fits, and no
    Invalidation rule of `XX` exists."""

    @classmethod
    def setUpClass(cls):
        production = shared_dir("business-rules/production")
        cls.rules_bytes = (production / "eu-rules.json").read_bytes()
        cls.value_sets = (production / "eu-value-sets.json").read_bytes()
        cls.rules = json.loads(cls.rules_bytes)
        cls.verifier = dcc.DccVerifier([TRUST], dcc.Acceptance.RULE_SET(name="eu"))
        cls.info = cls.verifier.add_eu_rules("eu", [cls.rules_bytes], [cls.value_sets])
        cls.passes = {kind: pass_text(f"valid-es256-{kind}")
                      for kind in ["vaccination", "test", "recovery"]}

    def scan(self, country, lang="en", **options):
        return dcc.ScanOptions(acceptance=dcc.Acceptance.RULE_SET(name="eu"), country=country,
                               lang=lang, **options)

    def judged(self, kind, country, lang="en", **options):
        return self.verifier.verify_with(self.passes[kind], AT, self.scan(country, lang, **options))

    def outcomes(self, verdict):
        return [(r.id, r.outcome) for r in verdict.rule_results]

    def test_the_production_set_loads_whole(self):
        self.assertEqual(self.info.rule_count, len(self.rules))
        self.assertEqual(self.info.countries, sorted({r["Country"] for r in self.rules}))
        self.assertIn("IE", self.info.countries)
        self.assertEqual(self.info.invalid_rules, [], "every production rule's CertLogic is valid")
        self.assertEqual(self.verifier.rule_set_names(), ["eu"])

    def test_vaccination_admitted_in_ireland_lithuania_and_slovenia(self):
        # Each country's General rules: exactly one kind of event (only `v`: 1) and a COVID-19
        # target (840539006 is the one code of disease-agent-targeted); its Vaccination rules:
        # no second entry (`!payload.v.1`) and a complete series (dn 2 >= sd 2). All true.
        expected = {
            "IE": ["GR-IE-0000", "GR-IE-0001", "VR-IE-0000", "VR-IE-0002"],
            "LT": ["GR-LT-0001", "VR-LT-0000", "VR-LT-0002"],
            "SI": ["GR-SI-0000", "GR-SI-0001", "VR-SI-0000", "VR-SI-0002"],
        }
        for country, ids in expected.items():
            with self.subTest(country):
                v = self.judged("vaccination", country)
                self.assertTrue(v.valid, v.reason_code)
                self.assertEqual((v.admission, v.admission_code), (dcc.Admission.ADMITTED, "admitted"))
                self.assertEqual((v.rule_set, v.checks.rules), ("eu", dcc.CheckStatus.PASS))
                self.assertEqual(self.outcomes(v), [(i, PASSED) for i in ids])
                self.assertTrue(all(r.version and r.open_reason is None for r in v.rule_results))
        ie = {r.id: r.description for r in self.judged("vaccination", "IE").rule_results}
        self.assertEqual(ie["VR-IE-0002"], "Dosage information is less than expected number of doses")

    def test_descriptions_in_the_language_asked_for(self):
        # SI writes Slovenian under the tag "si", LT Lithuanian under "lt"; IE only English,
        # which is then the fallback.
        si = {r.id: r.description for r in self.judged("vaccination", "SI", "si").rule_results}
        self.assertEqual(si["VR-SI-0000"], "Največ en dogodek cepljenja.")
        lt = {r.id: r.description for r in self.judged("vaccination", "LT", "lt").rule_results}
        self.assertEqual(lt["VR-LT-0002"], "Turi būti pilnas skiepijimo dozių kursas.")
        ie = {r.id: r.description for r in self.judged("vaccination", "IE", "de").rule_results}
        self.assertEqual(ie["VR-IE-0000"],
                         "Vaccine Certificate can only relate to a single Vaccine event for Covid-19")

    def test_an_old_pcr_test_is_refused_in_ireland_and_lithuania_not_in_slovenia(self):
        # Sampled 2021-05-31T08:00Z: TR-IE-0006 and TR-LT-0003 require the validation clock
        # before sampling + 72 h (2021-06-03T08:00Z), false on 2021-09-01; the type (PCR) and
        # result (not detected) rules hold; TR-LT-0002 and TR-LT-0004 concern RAT only (true).
        # Slovenia's test rules then checked only one event and an accepted type: admitted.
        ie = self.judged("test", "IE")
        self.assertFalse(ie.valid)
        self.assertEqual((ie.reason, ie.reason_code), (dcc.Reason.RULES_FAILED, "rules_failed"))
        self.assertEqual(ie.admission, dcc.Admission.REFUSED)
        self.assertEqual(self.outcomes(ie), [
            ("GR-IE-0000", PASSED), ("GR-IE-0001", PASSED), ("TR-IE-0000", PASSED),
            ("TR-IE-0001", PASSED), ("TR-IE-0004", PASSED), ("TR-IE-0006", FAILED)])
        self.assertIn("TR-IE-0006", [f.message for f in ie.failures if f.check == dcc.Check.RULES][0])
        self.assertEqual(dict(self.outcomes(self.judged("test", "LT"))), {
            "GR-LT-0001": PASSED, "TR-LT-0000": PASSED, "TR-LT-0001": PASSED,
            "TR-LT-0002": PASSED, "TR-LT-0003": FAILED, "TR-LT-0004": PASSED,
            "TR-LT-0005": PASSED})
        si = self.judged("test", "SI")
        self.assertEqual(si.admission, dcc.Admission.ADMITTED, si.reason_code)
        self.assertEqual(self.outcomes(si), [
            ("GR-SI-0000", PASSED), ("GR-SI-0001", PASSED), ("TR-SI-0000", PASSED),
            ("TR-SI-0001", PASSED)])

    def test_recovery_by_country(self):
        # IE: RR-IE-0001 needs df (05-01) <= clock (09-01) <= du (10-31): true. LT: RR-LT-0002
        # also needs du <= fr + 180 days (2021-10-07), but du is 2021-10-31: false. LU (no
        # General rule): clock >= fr + 11 days and clock <= fr + 180 days: both true.
        ie = self.judged("recovery", "IE")
        self.assertEqual(ie.admission, dcc.Admission.ADMITTED, ie.reason_code)
        self.assertEqual(self.outcomes(ie), [
            ("GR-IE-0000", PASSED), ("GR-IE-0001", PASSED), ("RR-IE-0000", PASSED),
            ("RR-IE-0001", PASSED)])
        lt = self.judged("recovery", "LT")
        self.assertEqual((lt.admission, lt.reason), (dcc.Admission.REFUSED, dcc.Reason.RULES_FAILED))
        self.assertEqual(dict(self.outcomes(lt))["RR-LT-0002"], FAILED)
        lu = self.judged("recovery", "LU", "de")
        self.assertEqual(lu.admission, dcc.Admission.ADMITTED, lu.reason_code)
        self.assertEqual([(r.id, r.outcome, r.description) for r in lu.rule_results], [
            ("RR-LU-0001", PASSED, "Der positive NAA-Test (z.B. PCR) muss mindestens 11 Tage zurückliegen."),
            ("RR-LU-0002", PASSED, "Der positive NAA-Test (z.B. PCR) darf maximal 180 Tage zurückliegen.")])

    def test_no_rule_for_the_certificate_cannot_admit(self):
        # LU had test and recovery rules only; a country without rules has none at all.
        for country in ["LU", "DE", ""]:
            with self.subTest(country):
                v = self.judged("vaccination", country)
                self.assertEqual(v.reason, dcc.Reason.RULES_NOT_APPLICABLE)
                self.assertEqual((v.admission, v.rule_results), (dcc.Admission.REFUSED, []))
        # The verifier's own defaults: rule set "eu", no country.
        self.assertEqual(self.verifier.verify(self.passes["vaccination"], AT).reason,
                         dcc.Reason.RULES_NOT_APPLICABLE)

    def test_authenticity_only_per_scan(self):
        v = self.verifier.verify_with(self.passes["test"], AT, dcc.ScanOptions(acceptance=AUTHENTICITY,
                                                                             country="IE"))
        self.assertTrue(v.valid, v.reason_code)
        self.assertEqual((v.admission, v.admission_code), (dcc.Admission.NOT_EVALUATED, "not_evaluated"))
        self.assertEqual((v.rule_set, v.rule_results, v.checks.rules),
                         (None, [], dcc.CheckStatus.SKIPPED))
        self.assertIn(dcc.SkippedCheck(check=dcc.Check.RULES, reason=dcc.SkipReason.NOT_REQUESTED),
                      v.skipped)

    def test_an_unknown_rule_set_name(self):
        scan = dcc.ScanOptions(acceptance=dcc.Acceptance.RULE_SET(name="no-such-set"), country="IE")
        v = self.verifier.verify_with(self.passes["vaccination"], AT, scan)
        self.assertEqual((v.valid, v.reason), (False, dcc.Reason.RULES_NOT_APPLICABLE))
        self.assertEqual((v.admission, v.rule_set), (dcc.Admission.REFUSED, "no-such-set"))
        self.assertFalse(self.verifier.remove_rule_set("no-such-set"))
        # Named at construction, added later: not applicable until then.
        later = dcc.DccVerifier.with_options([TRUST], dcc.Acceptance.RULE_SET(name="eu"),
                                             dcc.VerifierOptions(country="IE"))
        self.assertEqual(later.rule_set_names(), [])
        self.assertEqual(later.verify(self.passes["vaccination"], AT).reason,
                         dcc.Reason.RULES_NOT_APPLICABLE)
        later.add_eu_rules("eu", [self.rules_bytes], [self.value_sets])
        self.assertEqual(later.verify(self.passes["vaccination"], AT).admission, dcc.Admission.ADMITTED)

    def gateway_rule(self, identifier):
        """A rule as the Gateway serves it (no `hash` member) and the hash its list gives."""
        rule = dict(next(r for r in self.rules if r["Identifier"] == identifier
                         and r["ValidFrom"] < "2021-09-01"))
        del rule["hash"]
        served = json.dumps(rule, ensure_ascii=False).encode()
        return dcc.GatewayRule(hash=hashlib.sha256(served).hexdigest(), bytes=served)

    def test_a_tampered_gateway_rule_is_refused_and_nothing_changes(self):
        ids = ["GR-IE-0000", "GR-IE-0001", "TR-IE-0000", "TR-IE-0001", "TR-IE-0004", "TR-IE-0006"]
        verifier = dcc.DccVerifier([TRUST], dcc.Acceptance.RULE_SET(name="ie"))
        info = verifier.add_gateway_eu_rules("ie", [self.gateway_rule(i) for i in ids], [self.value_sets])
        self.assertEqual((info.rule_count, info.countries), (6, ["IE"]))
        scan = dcc.ScanOptions(acceptance=dcc.Acceptance.RULE_SET(name="ie"), country="IE")
        before = verifier.verify_with(self.passes["test"], AT, scan)
        self.assertEqual(dict(self.outcomes(before))["TR-IE-0006"], FAILED)

        # 72 hours made 7200 after the Gateway listed the hash: the whole update is refused.
        good = self.gateway_rule("TR-IE-0006")
        tampered = dcc.GatewayRule(hash=good.hash, bytes=good.bytes.replace(b"72, ", b"7200, "))
        self.assertNotEqual(tampered.bytes, good.bytes)
        for name in ["ie", "ie-new"]:
            with self.assertRaises(dcc.DccError.InvalidEuRules) as refused:
                verifier.add_gateway_eu_rules(name, [self.gateway_rule("GR-IE-0000"), tampered],
                                              [self.value_sets])
            self.assertEqual(refused.exception.rule_id, "TR-IE-0006")
            self.assertIn("gateway rule 1", str(refused.exception))
            self.assertIn("SHA-256", str(refused.exception))
        self.assertEqual(verifier.rule_set_names(), ["ie"])
        after = verifier.verify_with(self.passes["test"], AT, scan)
        self.assertEqual(self.outcomes(after), self.outcomes(before))
        with self.assertRaises(dcc.DccError.InvalidEuRules):
            verifier.add_gateway_eu_rules("ie", [dcc.GatewayRule(hash="not hex", bytes=good.bytes)], [])

    def test_bad_rules_and_value_sets_are_refused_with_the_rule_and_path(self):
        verifier = dcc.DccVerifier([TRUST], AUTHENTICITY)
        rule = {k: v for k, v in self.rules[0].items() if k != "hash"}
        bad_date = dict(rule, ValidFrom="the first of May")
        cases = [
            ([b"{not json"], [self.value_sets], None, "rules element 0"),
            ([self.rules_bytes, json.dumps(bad_date).encode()], [self.value_sets], rule["Identifier"],
             "ValidFrom"),
            ([self.rules_bytes], [self.value_sets, b'{"country-2-codes": "DE"}'], None,
             "value sets element 1"),
        ]
        for rules, value_sets, rule_id, detail in cases:
            with self.subTest(detail):
                with self.assertRaises(dcc.DccError.InvalidEuRules) as refused:
                    verifier.add_eu_rules("eu", rules, value_sets)
                self.assertEqual(refused.exception.rule_id, rule_id)
                self.assertIn(detail, str(refused.exception))
        self.assertEqual(verifier.rule_set_names(), [])
        # Logic the CertLogic validator refuses is kept, OPEN wherever selected, and reported
        # with its JSON path.
        broken = dict(rule, Identifier="GR-XX-0001", Country="XX", Region="",
                      Logic={"and": [True, {"no-such-operator": [1]}]})
        info = verifier.add_eu_rules("xx", [json.dumps(broken).encode()], [self.value_sets])
        self.assertEqual([i.id for i in info.invalid_rules], ["GR-XX-0001"])
        self.assertIn("/and/1", info.invalid_rules[0].issues)

    def open_rule_set(self):
        """The production rules plus a newer VR-IE-0002 written for schema 1.4.0, which a
        1.3.0 DCC does not fit: the rule is OPEN (not evaluated) for it."""
        newer = dict(next(r for r in self.rules if r["Identifier"] == "VR-IE-0002"),
                     Version="1.0.2", SchemaVersion="1.4.0")
        del newer["hash"]
        verifier = dcc.DccVerifier([TRUST], dcc.Acceptance.RULE_SET(name="eu"))
        verifier.add_eu_rules("eu", [self.rules_bytes, json.dumps(newer).encode()], [self.value_sets])
        return verifier

    def test_an_open_rule_refuses_unless_open_rules_are_accepted(self):
        verifier = self.open_rule_set()
        strict = verifier.verify_with(self.passes["vaccination"], AT, self.scan("IE"))
        self.assertEqual((strict.admission, strict.reason), (dcc.Admission.REFUSED, dcc.Reason.RULES_OPEN))
        self.assertEqual([(r.id, r.version, r.outcome, r.open_reason) for r in strict.rule_results][-1],
                         ("VR-IE-0002", "1.0.2", OPEN, "schema_version"))
        lenient = verifier.verify_with(self.passes["vaccination"], AT,
                                       self.scan("IE", accept_open_rules=True))
        self.assertEqual(lenient.admission, dcc.Admission.ADMITTED, lenient.reason_code)
        self.assertEqual(self.outcomes(lenient)[-1], ("VR-IE-0002", OPEN))
        # A failed rule still refuses when open rules are accepted.
        test = verifier.verify_with(self.passes["test"], AT, self.scan("IE", accept_open_rules=True))
        self.assertEqual(test.reason, dcc.Reason.RULES_FAILED)


UTC = datetime.timezone.utc


class PackageTests(unittest.TestCase):
    """The installed wheel: what is in it and where it is."""

    def test_installed_not_generated(self):
        package = pathlib.Path(dcc.__file__).parent
        self.assertIn("site-packages", package.parts, "the tests must run against the wheel")
        self.assertTrue((package / "py.typed").is_file())
        self.assertTrue((package / "__init__.pyi").is_file())
        self.assertTrue((package / "_ffi" / "libdcc_verifier.so").is_file())
        self.assertEqual(dcc.__version__, dcc.library_version())
        self.assertRegex(dcc.__version__, r"^\d+\.\d+\.\d+")

    def test_public_names(self):
        self.assertEqual(sorted(dcc.__all__), sorted(set(dcc.__all__)))
        for name in dcc.__all__:
            self.assertTrue(hasattr(dcc, name), name)
        generated = set(native.__all__) - {"DccVerifier", "DccVerifierProtocol", "panic_probe"}
        self.assertEqual(generated - set(dcc.__all__), set(), "a generated name not re-exported")
        self.assertNotIn("panic_probe", dcc.__all__, "the probe is for tests only")
        self.assertIs(dcc.Verdict, native.Verdict, "records are the generated ones, unchanged")


class BytesLikeTests(unittest.TestCase):
    """Any bytes-like object wherever data goes in (the generated code takes only bytes)."""

    @classmethod
    def setUpClass(cls):
        cls.valid = pass_text("valid-es256-vaccination")

    def test_trust_list_of_any_bytes_like(self):
        padded = TRUST + b" " * (-len(TRUST) % 4)  # whitespace after the JSON: still the list
        for trust in [bytearray(TRUST), memoryview(TRUST), memoryview(padded).cast("I"),
                      array.array("B", TRUST)]:
            with self.subTest(type(trust).__name__):
                verifier = dcc.DccVerifier([trust], AUTHENTICITY)
                self.assertTrue(verifier.verify(self.valid, AT).valid)
                verifier.replace_trust(iter([trust]))
                self.assertTrue(verifier.verify(self.valid, AT).valid)
        verifier = dcc.DccVerifier((TRUST,), AUTHENTICITY)  # any iterable of lists
        self.assertGreater(verifier.trusted_key_count(), 0)

    def test_scanned_bytes_of_any_bytes_like(self):
        verifier = dcc.DccVerifier([TRUST], AUTHENTICITY)
        raw = self.valid.encode()
        for scanned in [raw, bytearray(raw), memoryview(raw), memoryview(bytearray(raw))[0:]]:
            with self.subTest(type(scanned).__name__):
                v = verifier.verify_bytes(scanned, AT)
                self.assertTrue(v.valid, v.reason_code)
        half = verifier.verify_bytes(memoryview(raw)[: len(raw) // 2], AT)
        self.assertFalse(half.valid, "a slice is only the bytes it shows")

    def test_revocation_and_2ddoc_data_of_any_bytes_like(self):
        verifier = dcc.DccVerifier([TRUST], AUTHENTICITY)
        c = verifier.verify(self.valid, AT).certificate
        fingerprint = hashlib.sha256((c.country.upper() + c.certificate_id).encode()).hexdigest()
        blocklist = dcc.RevocationSlice(kind=dcc.RevocationListKind.FRENCH_BLOCKLIST,
                                        data=bytearray(f"{fingerprint}\n".encode()),
                                        hash_types=[], source="bytearray blocklist",
                                        kid=memoryview(verifier.verify(self.valid, AT).kid))
        verifier.replace_revocation(dcc.RevocationData(slices=[blocklist]))
        self.assertEqual(verifier.verify(self.valid, AT).reason, dcc.Reason.REVOKED)

        doc = (ROOT / "fixtures" / "2ddoc" / "b2-negative.2ddoc").read_text()
        key = (ROOT / "fixtures" / "trust" / "es256.pem").read_bytes()
        verifier.replace_2ddoc_keys([dcc.TwoDDocTrust(ca_id="FX01", cert_id="FIX1",
                                                      key=memoryview(bytearray(key)))])
        v = verifier.verify(doc, AT)
        self.assertTrue(v.valid, v.reason_code)
        self.assertEqual(v.format, dcc.CodeFormat.TWO_D_DOC)

    def test_not_bytes_is_a_clear_type_error(self):
        verifier = dcc.DccVerifier([TRUST], AUTHENTICITY)
        cases = [
            lambda: dcc.DccVerifier([TRUST.decode()], AUTHENTICITY),
            lambda: verifier.replace_trust([None]),
            lambda: verifier.verify_bytes(self.valid, AT),
            lambda: verifier.replace_revocation(dcc.RevocationData(slices=[dcc.RevocationSlice(
                kind=dcc.RevocationListKind.FRENCH_BLOCKLIST, data="text", hash_types=[],
                source="str")])),
        ]
        for case in cases:
            with self.assertRaisesRegex(TypeError, "bytes-like object .* is required"):
                case()
        with self.assertRaisesRegex(TypeError, "use verify_bytes"):
            verifier.verify(self.valid.encode(), AT)
        for one_file in [TRUST, bytearray(TRUST), TRUST.decode()]:
            with self.assertRaisesRegex(TypeError, r"pass \[data\]"):
                dcc.DccVerifier(one_file, AUTHENTICITY)
            with self.assertRaisesRegex(TypeError, r"pass \[data\]"):
                verifier.replace_trust(one_file)
        self.assertTrue(verifier.verify(self.valid, AT).valid, "nothing changed")


class DatetimeTests(unittest.TestCase):
    """A naive datetime (no time zone) is refused with a clear TypeError wherever a time goes
    in; an aware one in any zone is the instant it names."""

    NAIVE = datetime.datetime(2021, 9, 1)

    @classmethod
    def setUpClass(cls):
        cls.verifier = dcc.DccVerifier([TRUST], AUTHENTICITY)
        cls.valid = pass_text("valid-es256-vaccination")

    def assertNaiveRefused(self, call):
        with self.assertRaises(TypeError) as raised:
            call()
        message = str(raised.exception)
        self.assertIn("naive datetime", message)
        self.assertIn("timezone.utc", message, "says what to pass instead")

    def test_naive_now_is_refused(self):
        self.assertNaiveRefused(lambda: self.verifier.verify(self.valid, self.NAIVE))
        self.assertNaiveRefused(lambda: self.verifier.verify_bytes(self.valid.encode(), self.NAIVE))
        with self.assertRaisesRegex(TypeError, "datetime.datetime is required, not 'date'"):
            self.verifier.verify(self.valid, datetime.date(2021, 9, 1))
        with self.assertRaisesRegex(TypeError, "datetime.datetime is required, not 'float'"):
            self.verifier.verify(self.valid, 1630454400.0)

    def test_naive_times_in_records_are_refused(self):
        self.assertNaiveRefused(lambda: dcc.DccVerifier.with_options(
            [TRUST], AUTHENTICITY, dcc.VerifierOptions(minimum_keyset_issued_at=self.NAIVE)))
        self.assertNaiveRefused(lambda: self.verifier.replace_revocation(
            dcc.RevocationData(slices=[], issued_at=self.NAIVE)))
        blocklist = dcc.RevocationSlice(kind=dcc.RevocationListKind.FRENCH_BLOCKLIST,
                                        data=b"", hash_types=[], source="naive",
                                        expires_at=self.NAIVE)
        self.assertNaiveRefused(lambda: self.verifier.replace_revocation(
            dcc.RevocationData(slices=[blocklist])))
        self.assertEqual(self.verifier.verify(self.valid, AT).checks.revocation,
                         dcc.CheckStatus.SKIPPED, "nothing was loaded")

    def test_aware_times_in_any_zone(self):
        paris = datetime.timezone(datetime.timedelta(hours=2))
        self.assertEqual(self.verifier.verify(self.valid, AT.astimezone(paris)).reason_code,
                         self.verifier.verify(self.valid, AT).reason_code)
        expires = self.verifier.verify(self.valid, AT).certificate.expires_at
        self.assertEqual(expires, datetime.datetime(2022, 6, 1, tzinfo=UTC))
        self.assertEqual(expires.utcoffset(), datetime.timedelta(0), "times come back in UTC")
        # 01:00 in UTC+2 is an hour before the expiry, 01:00 UTC an hour after (skew: 300 s).
        before = datetime.datetime(2022, 6, 1, 1, 0, tzinfo=paris)
        after = datetime.datetime(2022, 6, 1, 1, 0, tzinfo=UTC)
        self.assertTrue(self.verifier.verify(self.valid, before).valid)
        self.assertEqual(self.verifier.verify(self.valid, after).reason, dcc.Reason.EXPIRED)


class CloseTests(unittest.TestCase):
    """`close()` and `with`: the Rust verifier is released at once, later calls raise."""

    @classmethod
    def setUpClass(cls):
        cls.valid = pass_text("valid-es256-vaccination")

    def test_with_block_closes(self):
        with dcc.DccVerifier([TRUST], AUTHENTICITY) as verifier:
            self.assertFalse(verifier.closed)
            self.assertTrue(verifier.verify(self.valid, AT).valid)
            self.assertRegex(repr(verifier), r"<DccVerifier trusting \d+ keys>")
        self.assertTrue(verifier.closed)
        self.assertEqual(repr(verifier), "<DccVerifier closed>")
        calls = [
            lambda: verifier.verify(self.valid, AT),
            lambda: verifier.verify_bytes(b"", AT),
            lambda: verifier.replace_trust([TRUST]),
            lambda: verifier.replace_trust_allowing_rollback([TRUST]),
            lambda: verifier.replace_revocation(dcc.RevocationData(slices=[])),
            lambda: verifier.replace_2ddoc_keys([]),
            lambda: verifier.verify_with(self.valid, AT, dcc.ScanOptions(acceptance=AUTHENTICITY)),
            lambda: verifier.add_french_rules("fr", "fr-latest"),
            lambda: verifier.add_eu_rules("eu", [], []),
            lambda: verifier.add_gateway_eu_rules("eu", [], []),
            lambda: verifier.remove_rule_set("eu"),
            lambda: verifier.rule_set_names(),
            lambda: verifier.trusted_key_count(),
            lambda: verifier.keyset_issued_at(),
            lambda: verifier.__enter__(),
        ]
        for call in calls:
            with self.assertRaisesRegex(ValueError, "closed"):
                call()
        verifier.close()  # idempotent

    def test_close_releases_the_rust_object(self):
        verifier = dcc.DccVerifier.with_options([TRUST], AUTHENTICITY, dcc.VerifierOptions())
        inner = weakref.ref(verifier._verifier)
        verifier.close()
        gc.collect()
        self.assertIsNone(inner(), "the generated object (and so its Rust handle) is freed")

    def test_close_while_other_threads_scan(self):
        verifier = dcc.DccVerifier([TRUST], AUTHENTICITY)
        outcomes, started = [], threading.Barrier(5)

        def scan():
            started.wait()
            while True:
                try:
                    outcomes.append(verifier.verify(self.valid, AT).valid)
                except ValueError:
                    return

        threads = [threading.Thread(target=scan) for _ in range(4)]
        for t in threads:
            t.start()
        started.wait()
        while len(outcomes) < 20:
            time.sleep(0.001)
        verifier.close()
        for t in threads:
            t.join(timeout=30)
            self.assertFalse(t.is_alive())
        self.assertTrue(all(outcomes), "every scan before the close completed normally")


class ReadmeSnippetTests(unittest.TestCase):
    """The README's "Use it from Python" snippet, run as written against the installed wheel."""

    def run_snippet(self, now):
        snippet = subprocess.run([sys.executable, str(ROOT / "scripts" / "readme-snippet.py"),
                                  "python"], check=True, capture_output=True, text=True).stdout
        scope = {
            "trust_list": (ROOT / "fixtures" / "trust" / "trustlist.json").read_bytes(),
            "qr_text": pass_text("valid-es256-vaccination"),
            "now": now,
        }
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(compile(snippet, "README.md (python snippet)", "exec"), scope)
        return scope, printed.getvalue()

    def test_snippet_valid(self):
        scope, printed = self.run_snippet(AT)
        self.assertTrue(scope["verdict"].valid)
        self.assertTrue(scope["verifier"].closed, "the snippet closes its verifier")
        self.assertEqual(printed, "True None not_evaluated\nTESTPERSON\n")

    def test_snippet_expired(self):
        scope, printed = self.run_snippet(datetime.datetime(2023, 1, 1, tzinfo=UTC))
        self.assertEqual(scope["verdict"].reason, dcc.Reason.EXPIRED)
        self.assertEqual(printed, "False expired refused\n")


if __name__ == "__main__":
    unittest.main(verbosity=2)
