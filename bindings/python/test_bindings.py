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


def pass_text(name):
    return (ROOT / "fixtures" / "passes" / f"{name}.txt").read_text().rstrip("\n")


def nothing_trusted():
    """A verifier trusting no DCC signer, on purpose (an empty list alone is refused)."""
    return dcc.DccVerifier.with_options([], dcc.VerifierOptions(allow_empty_trust=True))


class BindingTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.verifier = dcc.DccVerifier([TRUST])
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
                                   dcc.Check.RULES: dcc.SkipReason.NO_DATA})

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
                dcc.DccVerifier(empty)
            with self.assertRaises(dcc.DccError.InvalidTrustData):
                self.verifier.replace_trust(empty)
        self.assertTrue(self.verifier.verify(self.valid, AT).valid, "trust kept")
        with self.assertRaises(dcc.DccError.InvalidOptions):
            dcc.DccVerifier.with_options([TRUST], dcc.VerifierOptions(clock_skew_seconds=10**9))
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
            dcc.DccVerifier([b"not a trust list"])

    def test_nothing_trusted_without_trust(self):
        v = nothing_trusted().verify(self.valid, AT)
        self.assertEqual(v.reason, dcc.Reason.UNKNOWN_SIGNER)

    def test_concurrent_verifies_and_trust_replacement(self):
        shared = dcc.DccVerifier.with_options([TRUST], dcc.VerifierOptions(allow_empty_trust=True))
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
        shared = dcc.DccVerifier([TRUST])
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
        shared = pathlib.Path(os.environ.get("DCC_SHARED_DIR", ROOT.parent / "shared")) / "france" / "vectors"
        if not shared.is_dir():
            if os.environ.get("CI") == "true":
                self.fail(f"{shared} missing under CI")
            self.skipTest(f"{shared} not found (set DCC_SHARED_DIR)")
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
        fr.replace_rules("fr-2022-03-15-health")
        ruled = fr.verify(doc, AT)
        self.assertFalse(ruled.valid)
        self.assertEqual(ruled.reason, dcc.Reason.TEST_TYPE_NOT_ACCEPTED)
        self.assertEqual(ruled.checks.rules, dcc.CheckStatus.FAIL)
        with self.assertRaises(dcc.DccError.InvalidRules):
            fr.replace_rules('{"tests": {}}')
        fr.replace_rules(None)
        self.assertEqual(fr.verify(doc, AT).checks.rules, dcc.CheckStatus.SKIPPED)

    def test_panic_becomes_exception(self):
        with self.assertRaises(dcc.InternalError):
            native.panic_probe("boom")
        self.assertTrue(self.verifier.verify(self.valid, AT).valid)


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
                verifier = dcc.DccVerifier([trust])
                self.assertTrue(verifier.verify(self.valid, AT).valid)
                verifier.replace_trust(iter([trust]))
                self.assertTrue(verifier.verify(self.valid, AT).valid)
        verifier = dcc.DccVerifier((TRUST,))  # any iterable of lists
        self.assertGreater(verifier.trusted_key_count(), 0)

    def test_scanned_bytes_of_any_bytes_like(self):
        verifier = dcc.DccVerifier([TRUST])
        raw = self.valid.encode()
        for scanned in [raw, bytearray(raw), memoryview(raw), memoryview(bytearray(raw))[0:]]:
            with self.subTest(type(scanned).__name__):
                v = verifier.verify_bytes(scanned, AT)
                self.assertTrue(v.valid, v.reason_code)
        half = verifier.verify_bytes(memoryview(raw)[: len(raw) // 2], AT)
        self.assertFalse(half.valid, "a slice is only the bytes it shows")

    def test_revocation_and_2ddoc_data_of_any_bytes_like(self):
        verifier = dcc.DccVerifier([TRUST])
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
        verifier = dcc.DccVerifier([TRUST])
        cases = [
            lambda: dcc.DccVerifier([TRUST.decode()]),
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
                dcc.DccVerifier(one_file)
            with self.assertRaisesRegex(TypeError, r"pass \[data\]"):
                verifier.replace_trust(one_file)
        self.assertTrue(verifier.verify(self.valid, AT).valid, "nothing changed")


class DatetimeTests(unittest.TestCase):
    """A naive datetime (no time zone) is refused with a clear TypeError wherever a time goes
    in; an aware one in any zone is the instant it names."""

    NAIVE = datetime.datetime(2021, 9, 1)

    @classmethod
    def setUpClass(cls):
        cls.verifier = dcc.DccVerifier([TRUST])
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
            [TRUST], dcc.VerifierOptions(minimum_keyset_issued_at=self.NAIVE)))
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
        with dcc.DccVerifier([TRUST]) as verifier:
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
            lambda: verifier.replace_rules(None),
            lambda: verifier.trusted_key_count(),
            lambda: verifier.keyset_issued_at(),
            lambda: verifier.__enter__(),
        ]
        for call in calls:
            with self.assertRaisesRegex(ValueError, "closed"):
                call()
        verifier.close()  # idempotent

    def test_close_releases_the_rust_object(self):
        verifier = dcc.DccVerifier.with_options([TRUST], dcc.VerifierOptions())
        inner = weakref.ref(verifier._verifier)
        verifier.close()
        gc.collect()
        self.assertIsNone(inner(), "the generated object (and so its Rust handle) is freed")

    def test_close_while_other_threads_scan(self):
        verifier = dcc.DccVerifier([TRUST])
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
        self.assertEqual(printed, "True None\nTESTPERSON\n")

    def test_snippet_expired(self):
        scope, printed = self.run_snippet(datetime.datetime(2023, 1, 1, tzinfo=UTC))
        self.assertEqual(scope["verdict"].reason, dcc.Reason.EXPIRED)
        self.assertEqual(printed, "False expired\n")


if __name__ == "__main__":
    unittest.main(verbosity=2)
