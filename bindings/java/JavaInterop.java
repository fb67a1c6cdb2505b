// The whole public API of the JVM jar, from Java: compiled with javac and run against the release
// jar by bindings/java/test.sh. Every DccException is caught by its own type, around the very
// call that throws it: javac refuses that unless the Kotlin declares it (`@Throws`), so this file
// compiling is itself the check that Java sees the typed exceptions. Prints "N passed, N failed"
// and exits non-zero on any wrong result.
//
// System properties: dcc.root (the repository), dcc.keysets (a directory with the key sets
// keyset-2021-07.bin and keyset-2021-08.bin that test.sh builds, signed with
// fixtures/keys/es256.key.pem), jna.tmpdir (where JNA unpacks the library from the jar).

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import uniffi.dcc_verifier.*;

public final class JavaInterop {
    private static int passed;
    private static int failed;

    private interface Body {
        void run() throws Exception;
    }

    private static void test(String name, Body body) {
        try {
            body.run();
            passed++;
            System.out.println("ok   " + name);
        } catch (Throwable e) {
            failed++;
            System.out.println("FAIL " + name + ": " + e);
        }
    }

    private static void expect(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError(message);
        }
    }

    private static void expectEquals(Object expected, Object actual, String what) {
        if (expected == null ? actual != null : !expected.equals(actual)) {
            throw new AssertionError(what + ": expected " + expected + ", got " + actual);
        }
    }

    private static final Path ROOT = Path.of(System.getProperty("dcc.root", "."));
    private static final Instant AT = Instant.parse("2021-09-01T00:00:00Z");
    /** A Kotlin object (a variant without data of a sealed class): its INSTANCE. */
    private static final Acceptance AUTHENTICITY_ONLY = Acceptance.AuthenticityOnly.INSTANCE;

    private static byte[] read(String path) throws IOException {
        return Files.readAllBytes(ROOT.resolve(path));
    }

    private static String pass(String name) throws IOException {
        return Files.readString(ROOT.resolve("fixtures/passes/" + name + ".txt")).stripTrailing();
    }

    private static byte[] keyset(String month) throws IOException {
        return Files.readAllBytes(Path.of(System.getProperty("dcc.keysets"), "keyset-" + month + ".bin"));
    }

    public static void main(String[] args) throws Exception {
        byte[] trust = read("fixtures/trust/trustlist.json");
        String valid = pass("valid-es256-vaccination");
        DccVerifier verifier = new DccVerifier(List.of(trust), AUTHENTICITY_ONLY);

        test("library version and built-in rules (top-level functions: Dcc_verifierKt)", () -> {
            expect(Dcc_verifierKt.libraryVersion().matches("\\d+\\.\\d+\\.\\d+.*"), Dcc_verifierKt.libraryVersion());
            List<String> names = Dcc_verifierKt.rulesNames();
            expect(names.contains("fr-2022-03-15-health"), "rules " + names);
        });

        test("the native library comes from the jar's resources", () -> {
            String resource = com.sun.jna.Platform.RESOURCE_PREFIX + "/libdcc_verifier.so";
            URL url = DccVerifier.class.getClassLoader().getResource(resource);
            expect(url != null && url.toString().startsWith("jar:") && url.toString().endsWith(".jar!/" + resource),
                    "resource " + url);
            expect(System.getProperty("jna.library.path") == null, "jna.library.path is set");
            String tmp = new File(System.getProperty("jna.tmpdir")).getCanonicalPath() + "/";
            List<String> mapped = new ArrayList<>();
            for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
                int slash = line.indexOf('/');
                if (slash >= 0) {
                    mapped.add(line.substring(slash));
                }
            }
            expect(mapped.stream().noneMatch(m -> m.endsWith("/libdcc_verifier.so")), "loaded from a file");
            expect(mapped.stream().anyMatch(m -> m.startsWith(tmp)), "nothing mapped from " + tmp);
        });

        test("valid pass: every Verdict field, CertificateSummary", () -> {
            Verdict v = verifier.verify(valid, AT);
            expect(v.getValid(), "not valid: " + v.getReasonCode() + " " + v.getFailures());
            expectEquals(CodeFormat.EU_DCC, v.getFormat(), "format");
            expect(v.getReason() == null && v.getReasonCode() == null, "reason on a valid pass");
            Checks c = v.getChecks();
            for (CheckStatus status : List.of(c.getPrefix(), c.getBase45(), c.getDecompress(), c.getCose(),
                    c.getPayload(), c.getSignature(), c.getKeyUsage(), c.getSignerValidity(), c.getExpiry(),
                    c.getSchema())) {
                expectEquals(CheckStatus.PASS, status, "check");
            }
            expect(c.getRevocation() == CheckStatus.SKIPPED && c.getRules() == CheckStatus.SKIPPED, "skipped checks");
            expect(v.getFailures().isEmpty(), "failures " + v.getFailures());
            Map<Check, SkipReason> skipped = new HashMap<>();
            for (SkippedCheck s : v.getSkipped()) {
                skipped.put(s.getCheck(), s.getReason());
            }
            expectEquals(Map.of(Check.REVOCATION, SkipReason.NO_DATA, Check.RULES, SkipReason.NOT_REQUESTED), skipped,
                    "skipped");
            expect(v.getAdmission() == Admission.NOT_EVALUATED && "not_evaluated".equals(v.getAdmissionCode()),
                    "admission " + v.getAdmission());
            expect(v.getRuleSet() == null && v.getRuleResults().isEmpty(), "rules on an authenticity-only verdict");
            expect(v.getKid() != null && v.getKid().length == 8, "kid");
            expectEquals(SignatureAlgorithm.ES256, v.getAlgorithm(), "algorithm");
            expect(v.getRevocationHit() == null && v.getRevocationDataAgeSeconds() == null, "revocation fields");
            CertificateSummary s = v.getCertificate();
            expect(s != null, "no certificate");
            expectEquals(CertificateKind.VACCINATION, s.getKind(), "kind");
            expectEquals("TESTPERSON", s.getFamilyNameStandardised(), "fnt");
            expect(s.getFamilyName() != null && s.getGivenName() != null && s.getGivenNameStandardised() != null,
                    "names");
            expectEquals("1990-01-01", s.getDateOfBirth(), "dob");
            expectEquals(Instant.parse("2021-06-01T00:00:00Z"), s.getIssuedAt(), "iat");
            expectEquals(Instant.parse("2022-06-01T00:00:00Z"), s.getExpiresAt(), "exp");
            expect("XX".equals(s.getIssuerCountry()) && "XX".equals(s.getCountry()), "countries");
            expect(s.getCertificateId().startsWith("URN:UVCI:"), "ci");
            expect(!s.getSchemaVersion().isEmpty() && s.getPayloadJson().contains("\"v\""), "ver, payload");
            expect(s.toString().contains("redacted") && !s.toString().contains("TESTPERSON"), "toString " + s);
            expect(!v.toString().contains("TESTPERSON") && v.toString().contains("valid=true"), "verdict toString");
        });

        test("verifyBytes, invalid passes, failures", () -> {
            expect(verifier.verifyBytes(valid.getBytes(UTF_8), AT).getValid(), "verifyBytes");
            Verdict bytes = verifier.verifyBytes(new byte[] {'H', 'C', '1', ':', (byte) 0xff}, AT);
            expectEquals(Reason.BASE45_INVALID, bytes.getReason(), "invalid UTF-8");
            Verdict expired = verifier.verify(valid, Instant.parse("2022-07-01T00:00:00Z"));
            expect(!expired.getValid() && expired.getReason() == Reason.EXPIRED, "expired");
            expectEquals("expired", expired.getReasonCode(), "reason code");
            Failure failure = expired.getFailures().get(0);
            expect(failure.getCheck() == Check.EXPIRY && failure.getReason() == Reason.EXPIRED
                    && !failure.getMessage().isEmpty(), "failure " + failure);
            expect(expired.getCertificate() != null, "an expired pass keeps its summary");
            Verdict forged = verifier.verify(pass("bad-signature"), AT);
            expect(forged.getReason() == Reason.SIGNATURE_INVALID && forged.getCertificate() == null, "forged");
            Verdict ps256 = verifier.verify(pass("valid-ps256"), AT);
            expect(ps256.getValid() && ps256.getAlgorithm() == SignatureAlgorithm.PS256, "PS256");
            for (String garbage : List.of("", "garbage", "HC1:", "\uD800", "DC04\uD800")) {
                Verdict g = verifier.verify(garbage, AT);
                expect(!g.getValid() && g.getReason() != null, "garbage '" + garbage + "'");
            }
        });

        test("typed exceptions: each caught by its own class around the call that throws it", () -> {
            try {
                new DccVerifier(List.of("not a trust list".getBytes(UTF_8)), AUTHENTICITY_ONLY);
                throw new AssertionError("constructor accepted junk");
            } catch (DccException.InvalidTrustData e) {
                expect(!e.getDetail().isEmpty() && e.toString().startsWith("invalid trust data"), "message " + e);
            }
            try {
                new DccVerifier(List.of(), AUTHENTICITY_ONLY);
                throw new AssertionError("constructor accepted no trust");
            } catch (DccException e) {  // the base class works as well
                expect(e instanceof DccException.InvalidTrustData, "type " + e.getClass());
            }
            for (int skew : new int[] {-1, 86_401}) {
                VerifierOptions options = new VerifierOptions();
                options.setClockSkewSeconds(skew);
                try {
                    DccVerifier.Companion.withOptions(List.of(trust), AUTHENTICITY_ONLY, options);
                    throw new AssertionError("clock skew " + skew + " accepted");
                } catch (DccException.InvalidOptions e) {
                    expect(e.getDetail().contains(Integer.toString(skew)), e.getDetail());
                }
            }
            try {
                verifier.addEuRules("eu", List.of("{not json".getBytes(UTF_8)), List.of(), List.of());
                throw new AssertionError("junk EU rules accepted");
            } catch (DccException.InvalidEuRules e) {
                expect(e.getRuleId() == null && e.getDetail().startsWith("rules element 0"), e.getDetail());
                expect(verifier.ruleSetNames().isEmpty(), "a failed add added a rule set");
            }
            try {
                verifier.replaceTrust(List.of("junk".getBytes(UTF_8)));
                throw new AssertionError("replaceTrust accepted junk");
            } catch (DccException.InvalidTrustData e) {
                expect(verifier.verify(valid, AT).getValid(), "a failed replace changed the trust");
            }
            try {
                verifier.replaceTrustAllowingRollback(List.of("junk".getBytes(UTF_8)));
                throw new AssertionError("replaceTrustAllowingRollback accepted junk");
            } catch (DccException.InvalidTrustData e) {
                expect(verifier.verify(valid, AT).getValid(), "a failed replace changed the trust");
            }
            RevocationSlice junk = new RevocationSlice(RevocationListKind.BLOOM_FILTER, new byte[7],
                    List.of(RevocationHashType.UCI), "junk", null, "", null);
            try {
                verifier.replaceRevocation(new RevocationData(List.of(junk), null));
                throw new AssertionError("junk revocation accepted");
            } catch (DccException.InvalidRevocationData e) {
                expect(e.getDetail().contains("slice 0"), e.getDetail());
            }
            try {
                verifier.addFrenchRules("fr", "no-such-rules");
                throw new AssertionError("unknown rules accepted");
            } catch (DccException.InvalidRules e) {
                expect(verifier.ruleSetNames().isEmpty(), "rules changed");
            }
            try {
                verifier.replace2ddocKeys(List.of(new TwoDDocTrust("FR03", "AV01", "junk".getBytes(UTF_8))));
                throw new AssertionError("junk 2D-DOC key accepted");
            } catch (DccException.InvalidTrustData e) {
                expect(e.getDetail().contains("2D-DOC key 0"), e.getDetail());
            }
        });

        test("options: defaults, setters, the full constructor", () -> {
            VerifierOptions defaults = new VerifierOptions();
            expect(defaults.getClockSkewSeconds() == 300 && !defaults.getAllow2ddocTestCa()
                    && defaults.getKeysetPublisherKey() == null
                    && !defaults.getRequireIssuerCountryMatch() && !defaults.getAllowEmptyTrust()
                    && defaults.getMinimumKeysetIssuedAt() == null && defaults.getCountry().isEmpty()
                    && defaults.getRegion().isEmpty() && "en".equals(defaults.getLang())
                    && !defaults.getAcceptOpenRules(), "defaults " + defaults);
            VerifierOptions strict = new VerifierOptions(0, false, null, true, false, null, "", "", "en", false);
            DccVerifier noSkew = DccVerifier.Companion.withOptions(List.of(trust), AUTHENTICITY_ONLY, strict);
            // Issued 2021-06-01T00:00:00Z: one minute earlier is in the future without tolerance.
            Instant early = Instant.parse("2021-05-31T23:59:00Z");
            expectEquals(Reason.ISSUED_IN_FUTURE, noSkew.verify(valid, early).getReason(), "no skew");
            expect(verifier.verify(valid, early).getValid(), "default skew");
            VerifierOptions empty = new VerifierOptions();
            empty.setAllowEmptyTrust(true);
            DccVerifier untrusting = DccVerifier.Companion.withOptions(List.of(), AUTHENTICITY_ONLY, empty);
            expect(untrusting.trustedKeyCount() == 0L, "keys " + untrusting.trustedKeyCount());
            expectEquals(Reason.UNKNOWN_SIGNER, untrusting.verify(valid, AT).getReason(), "no trust");
            DccVerifier ruled = DccVerifier.Companion.withOptions(List.of(trust), new Acceptance.RuleSet("fr"),
                    new VerifierOptions());
            expectEquals(Reason.RULES_NOT_APPLICABLE, ruled.verify(valid, AT).getReason(), "named, not added yet");
            ruled.addFrenchRules("fr", "fr-2022-03-15-health");
            CheckStatus rules = ruled.verify(valid, AT).getChecks().getRules();
            expect(rules != CheckStatus.SKIPPED, "rules did not run");
            expectEquals(List.of("fr"), ruled.ruleSetNames(), "rule set names");
        });

        test("trust: replaced while scans run, trustedKeyCount as a long", () -> {
            VerifierOptions options = new VerifierOptions();
            options.setAllowEmptyTrust(true);
            DccVerifier shared = DccVerifier.Companion.withOptions(List.of(trust), AUTHENTICITY_ONLY, options);
            long keys = shared.trustedKeyCount();
            expect(keys > 0, "keys " + keys);
            AtomicBoolean stop = new AtomicBoolean(false);
            Map<String, Integer> seen = new ConcurrentHashMap<>();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            for (int i = 0; i < 4; i++) {
                pool.submit(() -> {
                    while (!stop.get()) {
                        String code = shared.verify(valid, AT).getReasonCode();
                        seen.merge(code == null ? "valid" : code, 1, Integer::sum);
                    }
                });
            }
            try {
                for (int i = 0; i < 50; i++) {
                    shared.replaceTrust(List.of());
                    shared.replaceTrust(List.of(trust));
                }
                shared.replaceTrust(List.of());
                expect(shared.trustedKeyCount() == 0L, "count after clear");
                shared.replaceTrust(List.of(trust));
                expect(shared.trustedKeyCount() == keys, "count after restore");
            } finally {
                stop.set(true);
                pool.shutdown();
            }
            expect(pool.awaitTermination(60, TimeUnit.SECONDS), "timeout");
            expect(seen.keySet().stream().allMatch(k -> k.equals("valid") || k.equals("unknown_signer")), "" + seen);
            expect(seen.getOrDefault("valid", 0) > 0, "" + seen);
        });

        test("key sets: pinned publisher, keysetIssuedAt, rollback refused and allowed", () -> {
            Instant july = Instant.parse("2021-07-01T00:00:00Z");
            Instant august = Instant.parse("2021-08-01T00:00:00Z");
            VerifierOptions pinned = new VerifierOptions();
            pinned.setKeysetPublisherKey(read("fixtures/trust/es256.pem"));
            DccVerifier v = DccVerifier.Companion.withOptions(List.of(keyset("2021-08")), AUTHENTICITY_ONLY, pinned);
            expectEquals(august, v.keysetIssuedAt(), "issued at");
            expect(v.verify(valid, AT).getValid(), "a pass under the key set");
            try {
                v.replaceTrust(List.of(keyset("2021-07")));
                throw new AssertionError("older key set accepted");
            } catch (DccException.TrustRollback e) {
                expectEquals(august, v.keysetIssuedAt(), "unchanged");
            }
            v.replaceTrustAllowingRollback(List.of(keyset("2021-07")));
            expectEquals(july, v.keysetIssuedAt(), "rolled back on purpose");
            try {
                v.replaceTrust(List.of(trust));
                throw new AssertionError("a trust list accepted under a pinned publisher");
            } catch (DccException.InvalidTrustData e) {
                expectEquals(july, v.keysetIssuedAt(), "unchanged");
            }
            // Across a restart: the app passes back the issue time it persisted.
            pinned.setMinimumKeysetIssuedAt(august);
            try {
                DccVerifier.Companion.withOptions(List.of(keyset("2021-07")), AUTHENTICITY_ONLY, pinned);
                throw new AssertionError("older key set accepted at start-up");
            } catch (DccException.TrustRollback e) {
                expect(!e.getDetail().isEmpty(), "detail");
            }
            expect(verifier.keysetIssuedAt() == null, "no key set in a trust list");
        });

        test("revocation: French blocklist, slice expiry, data age", () -> {
            DccVerifier shared = new DccVerifier(List.of(trust), AUTHENTICITY_ONLY);
            CertificateSummary s = shared.verify(valid, AT).getCertificate();
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((s.getCountry().toUpperCase() + s.getCertificateId()).getBytes(UTF_8));
            byte[] list = (HexFormat.of().formatHex(digest) + "\n").getBytes(UTF_8);
            RevocationSlice blocklist = new RevocationSlice(RevocationListKind.FRENCH_BLOCKLIST, list,
                    Collections.emptyList(), "fr-blocklist-test", null, "", null);
            shared.replaceRevocation(new RevocationData(List.of(blocklist), Instant.parse("2021-08-31T00:00:00Z")));
            Verdict revoked = shared.verify(valid, AT);
            expect(!revoked.getValid() && revoked.getReason() == Reason.REVOKED, "not revoked");
            expectEquals(CheckStatus.FAIL, revoked.getChecks().getRevocation(), "revocation check");
            RevocationHit hit = revoked.getRevocationHit();
            expect(hit != null && hit.getHashType().equals("FR_DCC") && hit.getSource().equals("fr-blocklist-test")
                    && hit.getFalsePositiveProbability() == null, "hit " + hit);
            expectEquals(86_400L, revoked.getRevocationDataAgeSeconds(), "age");
            RevocationSlice lapsed = new RevocationSlice(RevocationListKind.FRENCH_BLOCKLIST, list,
                    Collections.emptyList(), "lapsed", null, "", Instant.parse("2021-08-01T00:00:00Z"));
            shared.replaceRevocation(new RevocationData(List.of(lapsed), null));
            expect(shared.verify(valid, AT).getValid(), "a lapsed list still applies");
            shared.replaceRevocation(new RevocationData(List.of(), null));
            expect(shared.verify(valid, AT).getValid(), "cleared revocation still applies");
        });

        test("French 2D-DOC: keys, format, summary, rules", () -> {
            String sharedDir = System.getenv().getOrDefault("DCC_SHARED_DIR", ROOT.resolve("../shared").toString());
            Path vectors = Path.of(sharedDir, "france/vectors");
            if (!Files.isDirectory(vectors)) {
                expect(!"true".equals(System.getenv("CI")), vectors + " missing under CI");
                System.out.println("     skipped: " + vectors + " not found (set DCC_SHARED_DIR)");
                return;
            }
            String doc = Files.readString(vectors.resolve("2ddoc/tac_B2_test_DHI0-TST1.2ddoc"));
            byte[] key = Files.readAllBytes(vectors.resolve("keys/DHI0-TST1_pub.pem"));
            VerifierOptions options = new VerifierOptions();
            options.setAllowEmptyTrust(true);
            DccVerifier fr = DccVerifier.Companion.withOptions(List.of(), AUTHENTICITY_ONLY, options);
            expectEquals(Reason.UNKNOWN_SIGNER, fr.verify(doc, AT).getReason(), "before the key");
            fr.replace2ddocKeys(List.of(new TwoDDocTrust("DHI0", "TST1", key)));
            Verdict v = fr.verify(doc, AT);
            expect(v.getValid() && v.getFormat() == CodeFormat.TWO_D_DOC, "not valid: " + v.getReasonCode());
            CertificateSummary s = v.getCertificate();
            expect(s.getKind() == CertificateKind.TEST && "DUPOND".equals(s.getFamilyName()), "summary");
            fr.addFrenchRules("health", "fr-2022-03-15-health");
            ScanOptions health = new ScanOptions(new Acceptance.RuleSet("health"), "", "", "en", false);
            expectEquals(Reason.TEST_TYPE_NOT_ACCEPTED, fr.verifyWith(doc, AT, health).getReason(), "rules");
            expect(fr.verify(doc, AT).getValid(), "the verifier's own acceptance is authenticity only");
            expect(fr.removeRuleSet("health"), "rule set not held");
            expectEquals(Reason.RULES_NOT_APPLICABLE, fr.verifyWith(doc, AT, health).getReason(), "rules not removed");
        });

        test("EU business rules: production set, per-rule results, a tampered Gateway rule", () -> {
            String sharedDir = System.getenv().getOrDefault("DCC_SHARED_DIR", ROOT.resolve("../shared").toString());
            Path production = Path.of(sharedDir, "business-rules/production");
            if (!Files.isDirectory(production)) {
                expect(!"true".equals(System.getenv("CI")), production + " missing under CI");
                System.out.println("     skipped: " + production + " not found (set DCC_SHARED_DIR)");
                return;
            }
            byte[] rules = Files.readAllBytes(production.resolve("eu-rules.json"));
            byte[] valueSets = Files.readAllBytes(production.resolve("eu-value-sets.json"));
            Acceptance eu = new Acceptance.RuleSet("eu");
            DccVerifier ruled = new DccVerifier(List.of(trust), eu);
            EuRuleSetInfo info = ruled.addEuRules("eu", List.of(rules), List.of(valueSets), List.of());
            expect(info.getRuleCount() > 200 && info.getCountries().contains("IE") && info.getInvalidRules().isEmpty(),
                    "info " + info);
            // In force on 2021-09-01 in IE: one event, COVID-19, a complete series (dose 2 of 2).
            ScanOptions ireland = new ScanOptions(eu, "IE", "", "en", false);
            Verdict admitted = ruled.verifyWith(valid, AT, ireland);
            expectEquals(Admission.ADMITTED, admitted.getAdmission(), "vaccination in IE");
            List<String> ids = new ArrayList<>();
            for (RuleResult r : admitted.getRuleResults()) {
                expect(r.getOutcome() == RuleOutcome.PASSED && r.getOpenReason() == null, r.getId());
                ids.add(r.getId());
            }
            expectEquals(List.of("GR-IE-0000", "GR-IE-0001", "VR-IE-0000", "VR-IE-0002"), ids, "IE rules");
            // The PCR test was sampled three months before: TR-IE-0006 (72 hours) fails.
            Verdict refused = ruled.verifyWith(pass("valid-es256-test"), AT, ireland);
            expect(refused.getAdmission() == Admission.REFUSED && refused.getReason() == Reason.RULES_FAILED,
                    "test in IE: " + refused.getReasonCode());
            RuleResult last = refused.getRuleResults().get(refused.getRuleResults().size() - 1);
            expect("TR-IE-0006".equals(last.getId()) && last.getOutcome() == RuleOutcome.FAILED, "" + last);
            // Served bytes that do not hash to the listed hash: refused, nothing changes.
            byte[] served = "{\"Identifier\": \"VR-XX-0001\"}".getBytes(UTF_8);
            try {
                ruled.addGatewayEuRules("eu", List.of(new GatewayRule("00".repeat(32), served)), List.of(valueSets),
                        List.of());
                throw new AssertionError("a rule with the wrong hash accepted");
            } catch (DccException.InvalidEuRules e) {
                expect("VR-XX-0001".equals(e.getRuleId()) && e.getDetail().contains("SHA-256"), e.getDetail());
            }
            expectEquals(Admission.ADMITTED, ruled.verifyWith(valid, AT, ireland).getAdmission(), "rules kept");
        });

        test("close(): try-with-resources frees the Rust object", () -> {
            DccVerifier closed;
            try (DccVerifier scoped = new DccVerifier(List.of(trust), AUTHENTICITY_ONLY)) {
                expect(scoped.verify(valid, AT).getValid(), "inside");
                closed = scoped;
            }
            try {
                closed.verify(valid, AT);
                throw new AssertionError("a closed verifier still verifies");
            } catch (IllegalStateException e) {
                expect(e.getMessage().contains("destroyed"), e.getMessage());
            }
        });

        test("the README's Java snippet: valid, expired, bad trust list", () -> {
            ReadmeSnippet valid1 = new ReadmeSnippet();
            valid1.run(trust, valid, AT);
            expectEquals(List.of("Testperson"), valid1.shown, "valid pass");
            ReadmeSnippet expired = new ReadmeSnippet();
            expired.run(trust, valid, Instant.parse("2022-07-01T00:00:00Z"));
            expectEquals(List.of("expired"), expired.shown, "expired pass");
            ReadmeSnippet junk = new ReadmeSnippet();
            junk.run("junk".getBytes(UTF_8), valid, AT);
            expect(junk.shown.size() == 1 && junk.shown.get(0).startsWith("trust list refused: invalid trust data: "),
                    "" + junk.shown);
        });

        System.out.println("java: " + passed + " passed, " + failed + " failed");
        System.exit(failed == 0 && passed > 0 ? 0 : 1);
    }
}
