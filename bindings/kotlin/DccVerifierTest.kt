// Kotlin binding tests on JUnit 5: the jar of bindings/kotlin/build-jar.sh (the generated Kotlin
// and the native library as JNA resources), JNA, and the Rust library. Run by
// bindings/kotlin/test.sh with the JUnit console launcher, which writes JUnit XML reports.
// System properties: dcc.root (the repository; default "."), jna.tmpdir (where JNA unpacks the
// library from the jar: the jar-layout test checks that it was loaded from there).

import java.io.File
import java.time.Instant
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicBoolean
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Assumptions.assumeTrue
import org.junit.jupiter.api.Test
import uniffi.dcc_verifier.*

/** `Assertions.assertThrows` for a Kotlin block (Debian's JUnit jar has no Kotlin extensions). */
private inline fun <reified T : Throwable> assertThrows(noinline block: () -> Unit): T =
    org.junit.jupiter.api.Assertions.assertThrows(T::class.java) { block() }

/** One manifest entry: the pass file, its expected verdict and reason code. */
private data class Case(val name: String, val file: String, val verdict: String, val reason: String?)

class DccVerifierTest {
    private val root = File(System.getProperty("dcc.root") ?: ".")
    private val trust = File(root, "fixtures/trust/trustlist.json").readBytes()
    private val at = Instant.parse("2021-09-01T00:00:00Z")
    // Most tests check authenticity only (the fixture signers are test keys of no real country).
    private val authenticityOnly = Acceptance.AuthenticityOnly
    private val verifier = DccVerifier(listOf(trust), authenticityOnly)
    private val valid = pass("valid-es256-vaccination")
    // Trusting no DCC signer is a choice the app states: an empty list alone is refused.
    private val allowEmpty = VerifierOptions(allowEmptyTrust = true)

    private fun pass(name: String) = File(root, "fixtures/passes/$name.txt").readText().trimEnd('\n')

    /** Reads fixtures/passes/manifest.json (written by the fixture generator, one field per line). */
    private fun manifest(): List<Case> {
        val text = File(root, "fixtures/passes/manifest.json").readText()
        val entry = Regex(
            """"name": "([^"]+)",\s*"file": "([^"]+)",[\s\S]*?"verdict": "(\w+)",\s*"reason": (null|"(\w+)")"""
        )
        return entry.findAll(text).map { m ->
            Case(m.groupValues[1], m.groupValues[2], m.groupValues[3], m.groupValues[5].ifEmpty { null })
        }.toList()
    }

    @Test
    fun `library version`() {
        assertTrue(libraryVersion().matches(Regex("""\d+\.\d+\.\d+.*"""))) { "version ${libraryVersion()}" }
    }

    @Test
    fun `the native library comes from the jar's resources`() {
        val resource = "${com.sun.jna.Platform.RESOURCE_PREFIX}/libdcc_verifier.so"
        val url = DccVerifier::class.java.classLoader.getResource(resource)
        assertNotNull(url) { "no $resource on the class path" }
        assertTrue(url.toString().startsWith("jar:") && url.toString().contains(".jar!/$resource")) { "$url" }
        assertNull(System.getProperty("jna.library.path")) { "jna.library.path is set: the jar is not what is tested" }
        // JNA unpacks a library found in a jar into jna.tmpdir, under a temporary name: that file,
        // and no libdcc_verifier.so from a system or build directory, is mapped into this process.
        val tmp = File(requireNotNull(System.getProperty("jna.tmpdir")) { "set -Djna.tmpdir" }).canonicalPath
        assertTrue(libraryVersion().isNotEmpty())
        val mapped = File("/proc/self/maps").readLines().map { it.substringAfter('/', "") }.filter { it.isNotEmpty() }
            .map { "/$it" }.toSet()
        assertTrue(mapped.none { it.endsWith("/libdcc_verifier.so") }) { "loaded from a file: ${mapped.filter { "dcc" in it }}" }
        assertTrue(mapped.any { it.startsWith("$tmp/") }) { "nothing mapped from $tmp" }
    }

    @Test
    fun `valid pass - verdict, checks and summary`() {
        val v = verifier.verify(valid, at)
        assertTrue(v.valid) { "not valid: ${v.reasonCode} ${v.failures}" }
        assertTrue(v.reason == null && v.reasonCode == null) { "reason on a valid pass" }
        assertEquals(CheckStatus.PASS, v.checks.signature)
        assertEquals(CheckStatus.SKIPPED, v.checks.revocation)
        assertEquals(SignatureAlgorithm.ES256, v.algorithm)
        assertEquals(8, v.kid?.size)
        val c = v.certificate ?: throw AssertionError("no certificate")
        assertEquals(CertificateKind.VACCINATION, c.kind)
        assertEquals("TESTPERSON", c.familyNameStandardised)
        assertEquals("1990-01-01", c.dateOfBirth)
        assertEquals(Instant.parse("2021-06-01T00:00:00Z"), c.issuedAt)
        assertEquals(Instant.parse("2022-06-01T00:00:00Z"), c.expiresAt)
        assertTrue(c.issuerCountry == "XX" && c.country == "XX") { "countries" }
        assertTrue(c.certificateId.startsWith("URN:UVCI:")) { "ci ${c.certificateId}" }
        assertTrue(c.payloadJson.contains("\"v\"")) { "payload json" }
        val skipped = v.skipped.associate { it.check to it.reason }
        assertEquals(mapOf(Check.REVOCATION to SkipReason.NO_DATA, Check.RULES to SkipReason.NOT_REQUESTED), skipped)
        assertEquals(Admission.NOT_EVALUATED, v.admission)
        assertEquals("not_evaluated", v.admissionCode)
        assertTrue(v.ruleSet == null && v.ruleResults.isEmpty()) { "rules on an authenticity-only verdict" }
    }

    @Test
    fun `no personal data in toString()`() {
        val v = verifier.verify(valid, at)
        val c = v.certificate!!
        val secrets = listOfNotNull(c.familyName, c.familyNameStandardised, c.givenName, c.dateOfBirth, c.certificateId)
        for (text in listOf(v.toString(), c.toString(), "$v", v.failures.toString())) {
            for (secret in secrets) assertTrue(!text.contains(secret)) { "string form leaks holder data" }
        }
        assertTrue(v.toString().contains("valid=true")) { "the verdict itself still prints" }
        assertTrue(c.toString().contains("redacted")) { "summary string form: $c" }
    }

    @Test
    fun `unencodable text is a verdict, never an exception`() {
        for (input in listOf("\uD800", "HC1:\uD800", valid + "\uDFFF", "DC04\uD800")) {
            val v = verifier.verify(input, at)
            assertTrue(!v.valid && v.reason != null) { "input with a lone surrogate" }
        }
        val framed = verifier.verifyBytes(("\uFEFF" + valid + "\r\n").toByteArray(), at)
        assertTrue(framed.valid) { "scanner framing: ${framed.reasonCode}" }
        val bytes = verifier.verifyBytes(byteArrayOf(0x48, 0x43, 0x31, 0x3a, 0xff.toByte()), at)
        assertEquals(Reason.BASE45_INVALID, bytes.reason) { "invalid UTF-8: ${bytes.reasonCode}" }
    }

    @Test
    fun `misconfiguration is refused, nothing half-applied`() {
        for (empty in listOf(emptyList(), listOf("{}".toByteArray()), listOf("{\"certificates\":[]}".toByteArray()))) {
            assertThrows<DccException.InvalidTrustData> { DccVerifier(empty, authenticityOnly) }
            assertThrows<DccException.InvalidTrustData> { verifier.replaceTrust(empty) }
        }
        assertTrue(verifier.verify(valid, at).valid) { "trust lost" }
        for (skew in listOf(1_000_000, 86_401, -1)) {
            assertThrows<DccException.InvalidOptions> {
                DccVerifier.withOptions(listOf(trust), authenticityOnly, VerifierOptions(clockSkewSeconds = skew))
            }
        }
        val noTypes = RevocationSlice(RevocationListKind.BLOOM_FILTER, ByteArray(0), emptyList(), "no types")
        assertThrows<DccException.InvalidRevocationData> {
            verifier.replaceRevocation(RevocationData(listOf(noTypes), null))
        }
        assertNull(verifier.keysetIssuedAt()) { "no key set loaded" }
    }

    @Test
    fun `PS256 pass`() {
        val v = verifier.verify(pass("valid-ps256"), at)
        assertTrue(v.valid && v.algorithm == SignatureAlgorithm.PS256) { "${v.reasonCode}" }
    }

    @Test
    fun `every fixture case - verdict and reason`() {
        val cases = manifest()
        assertTrue(cases.size >= 40) { "only ${cases.size} manifest cases parsed" }
        val reasons = mutableSetOf<String>()
        for (case in cases) {
            val v = verifier.verify(File(root, case.file).readText().trimEnd('\n'), at)
            assertEquals(case.verdict == "valid", v.valid) { "${case.name}: valid=${v.valid}" }
            assertEquals(case.reason, v.reasonCode) { case.name }
            if (!v.valid) {
                assertTrue(v.reason != null && v.failures.isNotEmpty()) { "${case.name}: no reason" }
                reasons.add(v.reasonCode!!)
            }
        }
        assertTrue(reasons.size >= 20) { "only ${reasons.size} distinct reasons covered" }
    }

    @Test
    fun `expiry - an injected clock decides`() {
        assertEquals(Reason.EXPIRED, verifier.verify(valid, Instant.parse("2022-07-01T00:00:00Z")).reason)
        assertEquals(Reason.ISSUED_IN_FUTURE, verifier.verify(valid, Instant.parse("2021-05-01T00:00:00Z")).reason)
    }

    @Test
    fun `certificate only after a verified signature`() {
        val forged = verifier.verify(pass("bad-signature"), at)
        assertTrue(forged.reason == Reason.SIGNATURE_INVALID && forged.certificate == null) { "forged shows content" }
        val expired = verifier.verify(pass("expired"), at)
        assertTrue(expired.reason == Reason.EXPIRED && expired.certificate != null) { "expired hides content" }
    }

    @Test
    fun `garbage input is a verdict, never an exception`() {
        for (input in listOf("", "garbage", "HC1:", "HC1:%%%%", "HC1:" + "A".repeat(10_000), "\u0000\uFFFF", "\uD800")) {
            val v = verifier.verify(input, at)
            assertTrue(!v.valid && v.reason != null && v.certificate == null) { "input '$input'" }
        }
    }

    @Test
    fun `bad trust data throws a typed exception`() {
        val e = assertThrows<DccException.InvalidTrustData> { DccVerifier(listOf("not a trust list".toByteArray()), authenticityOnly) }
        assertTrue(e.toString().startsWith("invalid trust data")) { "message: $e" }
        assertTrue(e.detail.isNotEmpty()) { "detail" }
    }

    @Test
    fun `nothing is trusted without trust material`() {
        val v = DccVerifier.withOptions(emptyList(), authenticityOnly, allowEmpty).verify(valid, at)
        assertTrue(v.reason == Reason.UNKNOWN_SIGNER && v.certificate == null) { "${v.reasonCode}" }
    }

    @Test
    fun `options - clock skew`() {
        assertEquals(300, VerifierOptions().clockSkewSeconds)
        val strict = DccVerifier.withOptions(listOf(trust), authenticityOnly, VerifierOptions(clockSkewSeconds = 0))
        // Issued 2021-06-01T00:00:00Z: one minute earlier is in the future without tolerance.
        val early = Instant.parse("2021-05-31T23:59:00Z")
        assertEquals(Reason.ISSUED_IN_FUTURE, strict.verify(valid, early).reason) { "strict" }
        assertTrue(verifier.verify(valid, early).valid) { "default tolerance" }
    }

    @Test
    fun `concurrent verifies from several threads`() {
        val pool = Executors.newFixedThreadPool(8)
        val results = ConcurrentHashMap<String, Int>()
        repeat(400) { i ->
            pool.submit {
                val v = verifier.verify(if (i % 2 == 0) valid else pass("expired"), at)
                results.merge(v.reasonCode ?: "valid", 1, Int::plus)
            }
        }
        pool.shutdown()
        assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS)) { "timeout" }
        assertEquals(mapOf("valid" to 200, "expired" to 200), results.toMap())
    }

    @Test
    fun `trust replaced while scans run`() {
        val shared = DccVerifier.withOptions(listOf(trust), authenticityOnly, allowEmpty)
        val stop = AtomicBoolean(false)
        val seen = ConcurrentHashMap<String, Int>()
        val pool = Executors.newFixedThreadPool(4)
        repeat(4) {
            pool.submit {
                while (!stop.get()) {
                    val v = shared.verify(valid, at)
                    seen.merge(v.reasonCode ?: "valid", 1, Int::plus)
                }
            }
        }
        try {
            repeat(50) {
                shared.replaceTrust(emptyList())
                shared.replaceTrust(listOf(trust))
            }
            shared.replaceTrust(emptyList())
            assertEquals(0L, shared.trustedKeyCount()) { "count after clear" }
            assertEquals(Reason.UNKNOWN_SIGNER, shared.verify(valid, at).reason) { "old trust still used" }
            assertThrows<DccException.InvalidTrustData> { shared.replaceTrust(listOf("junk".toByteArray())) }
            assertEquals(0L, shared.trustedKeyCount()) { "failed replace changed the trust" }
            shared.replaceTrust(listOf(trust))
            assertTrue(shared.trustedKeyCount() > 0) { "count after restore" }
            assertTrue(shared.verify(valid, at).valid) { "new trust not used" }
        } finally {
            stop.set(true)
            pool.shutdown()
        }
        assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS)) { "timeout" }
        // Each scan saw a complete trust set: either trusted (valid) or nothing (unknown signer).
        assertTrue(seen.keys.all { it == "valid" || it == "unknown_signer" }) { "$seen" }
        assertTrue((seen["valid"] ?: 0) > 0) { "$seen" }
    }

    @Test
    fun `revocation - French blocklist, replaced atomically, bad data throws`() {
        val shared = DccVerifier(listOf(trust), authenticityOnly)
        val before = shared.verify(valid, at)
        assertTrue(before.valid && before.checks.revocation == CheckStatus.SKIPPED) { "before" }
        val c = before.certificate!!
        // The French fingerprint: lowercase hex SHA-256 of the uppercase country and the id.
        val digest = java.security.MessageDigest.getInstance("SHA-256")
            .digest((c.country.uppercase() + c.certificateId).toByteArray())
        val fingerprint = digest.joinToString("") { "%02x".format(it) }
        val list = RevocationSlice(
            kind = RevocationListKind.FRENCH_BLOCKLIST,
            data = "$fingerprint\n".toByteArray(),
            hashTypes = emptyList(),
            source = "fr-blocklist-test",
        )
        shared.replaceRevocation(RevocationData(listOf(list), Instant.parse("2021-08-31T00:00:00Z")))
        val after = shared.verify(valid, at)
        assertTrue(!after.valid && after.reason == Reason.REVOKED) { "not revoked: ${after.reasonCode}" }
        assertEquals(CheckStatus.FAIL, after.checks.revocation)
        assertEquals("FR_DCC", after.revocationHit?.hashType)
        assertEquals("fr-blocklist-test", after.revocationHit?.source)
        assertEquals(86_400L, after.revocationDataAgeSeconds)
        // Trust replacement keeps the revocation data.
        shared.replaceTrust(listOf(trust))
        assertEquals(Reason.REVOKED, shared.verify(valid, at).reason) { "revocation lost" }
        val junk = RevocationSlice(RevocationListKind.BLOOM_FILTER, ByteArray(7), listOf(RevocationHashType.UCI), "junk")
        assertThrows<DccException.InvalidRevocationData> { shared.replaceRevocation(RevocationData(listOf(junk), null)) }
        assertEquals(Reason.REVOKED, shared.verify(valid, at).reason) { "failed replace changed the data" }
        shared.replaceRevocation(RevocationData(emptyList(), null))
        assertTrue(shared.verify(valid, at).valid) { "cleared revocation still applies" }
    }

    @Test
    fun `a Rust panic surfaces as an exception and the JVM survives`() {
        val e = assertThrows<InternalException> { panicProbe("boom") }
        assertTrue(e.message?.contains("boom") == true) { "message: ${e.message}" }
        assertTrue(verifier.verify(valid, at).valid) { "library unusable after a panic" }
    }

    @Test
    fun `French 2D-DOC - format, verdict, summary and rules`() {
        val shared = File(System.getenv("DCC_SHARED_DIR") ?: File(root, "../shared").path, "france/vectors")
        if (System.getenv("CI") == "true") assertTrue(shared.isDirectory) { "$shared missing under CI" }
        assumeTrue(shared.isDirectory) { "$shared not found (set DCC_SHARED_DIR)" }
        val doc = File(shared, "2ddoc/tac_B2_test_DHI0-TST1.2ddoc").readText()
        val key = File(shared, "keys/DHI0-TST1_pub.pem").readBytes()
        val fr = DccVerifier.withOptions(emptyList(), authenticityOnly, allowEmpty)
        val before = fr.verify(doc, at)
        assertEquals(CodeFormat.TWO_D_DOC, before.format)
        assertEquals(Reason.UNKNOWN_SIGNER, before.reason)
        fr.replace2ddocKeys(listOf(TwoDDocTrust("DHI0", "TST1", key)))
        val v = fr.verify(doc, at)
        assertTrue(v.valid) { "not valid: ${v.reasonCode} ${v.failures}" }
        assertEquals(CheckStatus.SKIPPED, v.checks.cose)
        val c = v.certificate ?: throw AssertionError("no certificate")
        assertTrue(c.kind == CertificateKind.TEST && c.familyName == "DUPOND") { "summary ${c.kind}" }
        assertEquals("1980-11-25", c.dateOfBirth)
        val tampered = fr.verify(doc.replace("F5N", "F5P"), at)
        assertTrue(tampered.reason == Reason.SIGNATURE_INVALID && tampered.certificate == null) { "tampered ${tampered.reasonCode}" }
        assertEquals(CodeFormat.EU_DCC, verifier.verify(valid, at).format)
        assertThrows<DccException.InvalidTrustData> { fr.replace2ddocKeys(listOf(TwoDDocTrust("DHI0", "TST1", "junk".toByteArray()))) }
        assertTrue(fr.verify(doc, at).valid) { "failed key replace changed the keys" }

        // Acceptance rules: the TAC test vector's LOINC code (94309) is not an accepted type.
        assertTrue(rulesNames().contains("fr-2022-03-15-health")) { "built-in rules ${rulesNames()}" }
        fr.addFrenchRules("health", "fr-2022-03-15-health")
        val health = ScanOptions(Acceptance.RuleSet("health"))
        val ruled = fr.verifyWith(doc, at, health)
        assertTrue(!ruled.valid && ruled.reason == Reason.TEST_TYPE_NOT_ACCEPTED) { "rules ${ruled.reasonCode}" }
        assertTrue(ruled.checks.rules == CheckStatus.FAIL && ruled.checks.signature == CheckStatus.PASS) { "rules check" }
        assertEquals(listOf("FR-RULES" to RuleOutcome.FAILED), ruled.ruleResults.map { it.id to it.outcome })
        assertEquals(CheckStatus.SKIPPED, fr.verify(doc, at).checks.rules) { "the verifier's own acceptance is authenticity only" }
        assertThrows<DccException.InvalidRules> { fr.addFrenchRules("health", "no-such-rules") }
        assertEquals(Reason.TEST_TYPE_NOT_ACCEPTED, fr.verifyWith(doc, at, health).reason) { "a failed add changed the rules" }
        assertTrue(fr.removeRuleSet("health"))
        assertEquals(Reason.RULES_NOT_APPLICABLE, fr.verifyWith(doc, at, health).reason) { "rules not removed" }
    }

    // EU business rules: the Gateway's production set (../shared/business-rules/production), on
    // the fixture passes at their manifest time, 2021-09-01T00:00:00Z. The passes (schema 1.3.0,
    // issuer XX): vaccination Comirnaty dose 2/2 on 2021-05-20; a PCR test, not detected, sampled
    // 2021-05-31T08:00Z; a recovery, first positive 2021-04-10, valid 2021-05-01..2021-10-31.
    // Only IE, LT, LU, SI and UA rules were in force then; all read schema 1.0.0 (a 1.3.0 DCC
    // fits), and XX has no Invalidation rule.

    private fun production(): File {
        val dir = File(System.getenv("DCC_SHARED_DIR") ?: File(root, "../shared").path, "business-rules/production")
        if (System.getenv("CI") == "true") assertTrue(dir.isDirectory) { "$dir missing under CI" }
        assumeTrue(dir.isDirectory) { "$dir not found (set DCC_SHARED_DIR)" }
        return dir
    }

    private fun euRules() = File(production(), "eu-rules.json").readBytes()
    private fun valueSets() = File(production(), "eu-value-sets.json").readBytes()
    private val eu = Acceptance.RuleSet("eu")

    /** A verifier judging by the production rules, named "eu". */
    private fun euVerifier(extraRules: List<ByteArray> = emptyList()): DccVerifier {
        val v = DccVerifier(listOf(trust), eu)
        val info = v.addEuRules("eu", listOf(euRules()) + extraRules, listOf(valueSets()), emptyList())
        assertTrue(info.invalidRules.isEmpty()) { "invalid rules ${info.invalidRules.map { it.id }}" }
        return v
    }

    /** One rule's JSON text from the production file (pretty-printed: each rule between lines
     *  `  {` and `  }`), the version in force on 2021-09-01, without the stored `hash` member:
     *  as the Gateway serves it. */
    private fun productionRule(id: String): String =
        Regex("""(?ms)^  \{\n.*?^  \}""").findAll(String(euRules()))
            .map { it.value }
            .first { "\"Identifier\": \"$id\"" in it && "\"ValidFrom\": \"2021-" in it }
            .replace(Regex(""""hash": "[0-9a-f]{64}",\s*"""), "")

    private fun scan(country: String, lang: String = "en", acceptOpen: Boolean = false) =
        ScanOptions(eu, country = country, lang = lang, acceptOpenRules = acceptOpen)

    private fun outcomes(v: Verdict) = v.ruleResults.map { it.id to it.outcome }

    private fun sha256Hex(bytes: ByteArray) =
        java.security.MessageDigest.getInstance("SHA-256").digest(bytes).joinToString("") { "%02x".format(it) }

    @Test
    fun `EU rules - the production set loads, and a vaccination is admitted in IE, LT and SI`() {
        val v = DccVerifier(listOf(trust), eu)
        val info = v.addEuRules("eu", listOf(euRules()), listOf(valueSets()), emptyList())
        assertTrue(info.ruleCount > 200 && "IE" in info.countries && info.invalidRules.isEmpty()) { "$info" }
        assertEquals(listOf("eu"), v.ruleSetNames())
        // General rules: one kind of event (only v) and a COVID-19 target (840539006, the one code
        // of disease-agent-targeted); vaccination rules: no second entry, dn 2 >= sd 2. All true.
        val expected = mapOf(
            "IE" to listOf("GR-IE-0000", "GR-IE-0001", "VR-IE-0000", "VR-IE-0002"),
            "LT" to listOf("GR-LT-0001", "VR-LT-0000", "VR-LT-0002"),
            "SI" to listOf("GR-SI-0000", "GR-SI-0001", "VR-SI-0000", "VR-SI-0002"),
        )
        for ((country, ids) in expected) {
            val verdict = v.verifyWith(valid, at, scan(country))
            assertTrue(verdict.valid) { "$country: ${verdict.reasonCode} ${verdict.failures}" }
            assertEquals(Admission.ADMITTED, verdict.admission, country)
            assertEquals("admitted", verdict.admissionCode)
            assertEquals("eu", verdict.ruleSet)
            assertEquals(ids.map { it to RuleOutcome.PASSED }, outcomes(verdict), country)
            assertTrue(verdict.ruleResults.all { it.version.isNotEmpty() && it.openReason == null }) { country }
        }
        // Descriptions in the language asked for: SI writes Slovenian under "si", LT Lithuanian
        // under "lt"; IE only English, the fallback.
        val si = v.verifyWith(valid, at, scan("SI", "si")).ruleResults.associate { it.id to it.description }
        assertEquals("Največ en dogodek cepljenja.", si["VR-SI-0000"])
        val lt = v.verifyWith(valid, at, scan("LT", "lt")).ruleResults.associate { it.id to it.description }
        assertEquals("Turi būti pilnas skiepijimo dozių kursas.", lt["VR-LT-0002"])
        val ie = v.verifyWith(valid, at, scan("IE", "de")).ruleResults.associate { it.id to it.description }
        assertEquals("Dosage information is less than expected number of doses", ie["VR-IE-0002"])
    }

    @Test
    fun `EU rules - an old PCR test is refused in IE but admitted in SI, a recovery refused in LT`() {
        val v = euVerifier()
        val test = pass("valid-es256-test")
        // TR-IE-0006: the clock must be before sampling + 72 h (2021-06-03T08:00Z): false on
        // 2021-09-01. Type (PCR) and result (not detected) hold.
        val ie = v.verifyWith(test, at, scan("IE"))
        assertTrue(!ie.valid && ie.reason == Reason.RULES_FAILED && ie.reasonCode == "rules_failed") { "${ie.reasonCode}" }
        assertEquals(Admission.REFUSED, ie.admission)
        assertEquals(
            listOf("GR-IE-0000", "GR-IE-0001", "TR-IE-0000", "TR-IE-0001", "TR-IE-0004").map { it to RuleOutcome.PASSED } +
                listOf("TR-IE-0006" to RuleOutcome.FAILED),
            outcomes(ie),
        )
        assertEquals("Test Certificate has expired for entry", ie.ruleResults.last().description)
        // Slovenia's test rules then checked one event and an accepted type only.
        val si = v.verifyWith(test, at, scan("SI"))
        assertEquals(Admission.ADMITTED, si.admission) { "${si.reasonCode}" }
        assertEquals(listOf("GR-SI-0000", "GR-SI-0001", "TR-SI-0000", "TR-SI-0001").map { it to RuleOutcome.PASSED }, outcomes(si))
        // RR-LT-0002: du (2021-10-31) must not be after fr + 180 days (2021-10-07): false. IE
        // only asks df <= clock <= du: true.
        val recovery = pass("valid-es256-recovery")
        val lt = v.verifyWith(recovery, at, scan("LT"))
        assertEquals(Reason.RULES_FAILED, lt.reason)
        assertEquals(RuleOutcome.FAILED, outcomes(lt).toMap()["RR-LT-0002"])
        assertEquals(listOf(RuleOutcome.PASSED), outcomes(lt).filter { it.first != "RR-LT-0002" }.map { it.second }.distinct())
        assertEquals(Admission.ADMITTED, v.verifyWith(recovery, at, scan("IE")).admission)
    }

    @Test
    fun `EU rules - authenticity only, no rule for the certificate, an unknown rule set`() {
        val v = euVerifier()
        val plain = v.verifyWith(pass("valid-es256-test"), at, ScanOptions(authenticityOnly, country = "IE"))
        assertTrue(plain.valid) { "${plain.reasonCode}" }
        assertEquals(Admission.NOT_EVALUATED, plain.admission)
        assertTrue(plain.ruleSet == null && plain.ruleResults.isEmpty() && plain.checks.rules == CheckStatus.SKIPPED) { "$plain" }
        assertTrue(plain.skipped.any { it.check == Check.RULES && it.reason == SkipReason.NOT_REQUESTED }) { "${plain.skipped}" }
        // LU had no vaccination rule, DE none at all then: no rule cannot admit.
        for (country in listOf("LU", "DE")) {
            val none = v.verifyWith(valid, at, scan(country))
            assertTrue(none.reason == Reason.RULES_NOT_APPLICABLE && none.admission == Admission.REFUSED) { country }
            assertTrue(none.ruleResults.isEmpty()) { country }
        }
        val unknown = v.verifyWith(valid, at, ScanOptions(Acceptance.RuleSet("no-such-set"), country = "IE"))
        assertEquals(Reason.RULES_NOT_APPLICABLE, unknown.reason)
        assertEquals("no-such-set", unknown.ruleSet)
        assertTrue(!v.removeRuleSet("no-such-set"))
        // A rule set named at construction and added later: not applicable until then.
        val later = DccVerifier.withOptions(listOf(trust), eu, VerifierOptions(country = "IE"))
        assertEquals(Reason.RULES_NOT_APPLICABLE, later.verify(valid, at).reason)
        later.addEuRules("eu", listOf(euRules()), listOf(valueSets()), emptyList())
        assertEquals(Admission.ADMITTED, later.verify(valid, at).admission)
        assertTrue(later.removeRuleSet("eu") && later.ruleSetNames().isEmpty())
        assertEquals(Reason.RULES_NOT_APPLICABLE, later.verify(valid, at).reason)
    }

    @Test
    fun `EU rules - a tampered Gateway rule is refused and nothing changes`() {
        val ids = listOf("GR-IE-0000", "GR-IE-0001", "TR-IE-0000", "TR-IE-0001", "TR-IE-0004", "TR-IE-0006")
        val served = ids.map { productionRule(it).toByteArray() }
        val v = DccVerifier(listOf(trust), Acceptance.RuleSet("ie"))
        val info = v.addGatewayEuRules("ie", served.map { GatewayRule(sha256Hex(it), it) }, listOf(valueSets()), emptyList())
        assertEquals(6L, info.ruleCount)
        assertEquals(listOf("IE"), info.countries)
        val ieScan = ScanOptions(Acceptance.RuleSet("ie"), country = "IE")
        val before = outcomes(v.verifyWith(pass("valid-es256-test"), at, ieScan))
        assertEquals(RuleOutcome.FAILED, before.toMap()["TR-IE-0006"])
        // 72 hours made 7200 after the Gateway listed the hash: the whole update is refused.
        val good = served.last()
        val tampered = String(good).replace("72,", "7200,").toByteArray()
        assertTrue(!tampered.contentEquals(good))
        for (name in listOf("ie", "ie-new")) {
            val e = assertThrows<DccException.InvalidEuRules> {
                v.addGatewayEuRules(name, listOf(GatewayRule(sha256Hex(served[0]), served[0]), GatewayRule(sha256Hex(good), tampered)),
                    listOf(valueSets()), emptyList())
            }
            assertEquals("TR-IE-0006", e.ruleId)
            assertTrue("gateway rule 1" in e.toString() && "SHA-256" in e.toString()) { "$e" }
        }
        assertEquals(listOf("ie"), v.ruleSetNames())
        assertEquals(before, outcomes(v.verifyWith(pass("valid-es256-test"), at, ieScan)))
        val junk = assertThrows<DccException.InvalidEuRules> {
            v.addEuRules("ie", listOf("{not json".toByteArray()), emptyList(), emptyList())
        }
        assertTrue(junk.ruleId == null && "rules element 0" in junk.detail) { "$junk" }
        assertEquals(before, outcomes(v.verifyWith(pass("valid-es256-test"), at, ieScan)))
    }

    @Test
    fun `EU rules - an OPEN rule refuses unless open rules are accepted`() {
        // A newer VR-IE-0002 written for schema 1.4.0, which a 1.3.0 DCC does not fit: OPEN.
        val newer = productionRule("VR-IE-0002")
            .replace("\"Version\": \"1.0.1\"", "\"Version\": \"1.0.2\"")
            .replace("\"SchemaVersion\": \"1.0.0\"", "\"SchemaVersion\": \"1.4.0\"")
        assertTrue("1.4.0" in newer && "1.0.2" in newer) { newer }
        val v = euVerifier(listOf(newer.toByteArray()))
        val strict = v.verifyWith(valid, at, scan("IE"))
        assertTrue(strict.reason == Reason.RULES_OPEN && strict.admission == Admission.REFUSED) { "${strict.reasonCode}" }
        val open = strict.ruleResults.single { it.id == "VR-IE-0002" }
        assertTrue(open.outcome == RuleOutcome.OPEN && open.openReason == "schema_version" && open.version == "1.0.2") { "$open" }
        val lenient = v.verifyWith(valid, at, scan("IE", acceptOpen = true))
        assertEquals(Admission.ADMITTED, lenient.admission) { "${lenient.reasonCode}" }
        assertEquals(RuleOutcome.OPEN, outcomes(lenient).toMap()["VR-IE-0002"])
        // A failed rule still refuses.
        assertEquals(Reason.RULES_FAILED, v.verifyWith(pass("valid-es256-test"), at, scan("IE", acceptOpen = true)).reason)
    }

    /** The README's Kotlin snippet (bindings/kotlin/test.sh wraps it in `readmeSnippet`), run on
     *  a valid pass, an expired one and a bad trust list: what it shows for each. */
    @Test
    fun `the README's Kotlin snippet compiles and runs`() {
        fun shown(trustList: ByteArray, now: Instant): List<String> {
            val shown = mutableListOf<String>()
            readmeSnippet(trustList, valid, now) { shown.add(it) }
            return shown
        }
        // The snippet also shows the admission: authenticity only says it was not evaluated.
        assertEquals(listOf("Testperson", "not_evaluated"), shown(trust, at))
        assertEquals(listOf("expired"), shown(trust, Instant.parse("2022-07-01T00:00:00Z")))
        assertThrows<DccException.InvalidTrustData> { shown("junk".toByteArray(), at) }
    }
}
