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
    private val verifier = DccVerifier(listOf(trust))
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
        assertEquals(mapOf(Check.REVOCATION to SkipReason.NO_DATA, Check.RULES to SkipReason.NO_DATA), skipped)
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
            assertThrows<DccException.InvalidTrustData> { DccVerifier(empty) }
            assertThrows<DccException.InvalidTrustData> { verifier.replaceTrust(empty) }
        }
        assertTrue(verifier.verify(valid, at).valid) { "trust lost" }
        for (skew in listOf(1_000_000, 86_401, -1)) {
            assertThrows<DccException.InvalidOptions> {
                DccVerifier.withOptions(listOf(trust), VerifierOptions(clockSkewSeconds = skew))
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
        val e = assertThrows<DccException.InvalidTrustData> { DccVerifier(listOf("not a trust list".toByteArray())) }
        assertTrue(e.toString().startsWith("invalid trust data")) { "message: $e" }
        assertTrue(e.detail.isNotEmpty()) { "detail" }
    }

    @Test
    fun `nothing is trusted without trust material`() {
        val v = DccVerifier.withOptions(emptyList(), allowEmpty).verify(valid, at)
        assertTrue(v.reason == Reason.UNKNOWN_SIGNER && v.certificate == null) { "${v.reasonCode}" }
    }

    @Test
    fun `options - clock skew`() {
        assertEquals(300, VerifierOptions().clockSkewSeconds)
        val strict = DccVerifier.withOptions(listOf(trust), VerifierOptions(clockSkewSeconds = 0))
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
        val shared = DccVerifier.withOptions(listOf(trust), allowEmpty)
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
        val shared = DccVerifier(listOf(trust))
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
        val fr = DccVerifier.withOptions(emptyList(), allowEmpty)
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
        fr.replaceRules("fr-2022-03-15-health")
        val ruled = fr.verify(doc, at)
        assertTrue(!ruled.valid && ruled.reason == Reason.TEST_TYPE_NOT_ACCEPTED) { "rules ${ruled.reasonCode}" }
        assertTrue(ruled.checks.rules == CheckStatus.FAIL && ruled.checks.signature == CheckStatus.PASS) { "rules check" }
        assertThrows<DccException.InvalidRules> { fr.replaceRules("no-such-rules") }
        fr.replaceRules(null)
        assertEquals(CheckStatus.SKIPPED, fr.verify(doc, at).checks.rules) { "rules not removed" }
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
        assertEquals(listOf("Testperson"), shown(trust, at))
        assertEquals(listOf("expired"), shown(trust, Instant.parse("2022-07-01T00:00:00Z")))
        assertThrows<DccException.InvalidTrustData> { shown("junk".toByteArray(), at) }
    }
}
