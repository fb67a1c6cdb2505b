// Kotlin binding tests on a real JVM: the generated bindings, JNA and the Rust library.
// Run by scripts/test-bindings.sh; prints "N passed, N failed" and exits non-zero on failure.

import java.io.File
import java.time.Instant
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicBoolean
import kotlin.system.exitProcess
import uniffi.dcc_verifier.*

private var passed = 0
private var failed = 0

private fun test(name: String, body: () -> Unit) {
    try {
        body()
        passed++
        println("ok   $name")
    } catch (e: Throwable) {
        failed++
        println("FAIL $name: $e")
    }
}

private fun expect(condition: Boolean, message: () -> String) {
    if (!condition) throw AssertionError(message())
}

/** One manifest entry: the pass file, its expected verdict and reason code. */
private data class Case(val name: String, val file: String, val verdict: String, val reason: String?)

/** Reads fixtures/passes/manifest.json (written by the fixture generator, one field per line). */
private fun manifest(root: File): List<Case> {
    val text = File(root, "fixtures/passes/manifest.json").readText()
    val entry = Regex(
        """"name": "([^"]+)",\s*"file": "([^"]+)",[\s\S]*?"verdict": "(\w+)",\s*"reason": (null|"(\w+)")"""
    )
    return entry.findAll(text).map { m ->
        Case(m.groupValues[1], m.groupValues[2], m.groupValues[3], m.groupValues[5].ifEmpty { null })
    }.toList()
}

fun main(args: Array<String>) {
    val root = File(args.getOrElse(0) { "." })
    val trust = File(root, "fixtures/trust/trustlist.json").readBytes()
    val at = Instant.parse("2021-09-01T00:00:00Z")
    fun pass(name: String) = File(root, "fixtures/passes/$name.txt").readText().trimEnd('\n')
    val verifier = DccVerifier(listOf(trust))
    val valid = pass("valid-es256-vaccination")
    // Trusting no DCC signer is a choice the app states: an empty list alone is refused.
    val allowEmpty = VerifierOptions(allowEmptyTrust = true)

    test("library version") { expect(libraryVersion().isNotEmpty()) { "empty version" } }

    test("valid pass: verdict, checks and summary") {
        val v = verifier.verify(valid, at)
        expect(v.valid) { "not valid: ${v.reasonCode} ${v.failures}" }
        expect(v.reason == null && v.reasonCode == null) { "reason on a valid pass" }
        expect(v.checks.signature == CheckStatus.PASS) { "signature ${v.checks.signature}" }
        expect(v.checks.revocation == CheckStatus.SKIPPED) { "revocation ${v.checks.revocation}" }
        expect(v.algorithm == SignatureAlgorithm.ES256) { "algorithm ${v.algorithm}" }
        expect(v.kid?.size == 8) { "kid ${v.kid?.size}" }
        val c = v.certificate ?: throw AssertionError("no certificate")
        expect(c.kind == CertificateKind.VACCINATION) { "kind ${c.kind}" }
        expect(c.familyNameStandardised == "TESTPERSON") { "fnt" }
        expect(c.dateOfBirth == "1990-01-01") { "dob" }
        expect(c.issuedAt == Instant.parse("2021-06-01T00:00:00Z")) { "iat ${c.issuedAt}" }
        expect(c.expiresAt == Instant.parse("2022-06-01T00:00:00Z")) { "exp ${c.expiresAt}" }
        expect(c.issuerCountry == "XX" && c.country == "XX") { "countries" }
        expect(c.certificateId.startsWith("URN:UVCI:")) { "ci" }
        expect(c.payloadJson.contains("\"v\"")) { "payload json" }
        val skipped = v.skipped.associate { it.check to it.reason }
        expect(skipped == mapOf(Check.REVOCATION to SkipReason.NO_DATA, Check.RULES to SkipReason.NO_DATA)) { "skipped $skipped" }
    }

    test("no personal data in toString()") {
        val v = verifier.verify(valid, at)
        val c = v.certificate!!
        val secrets = listOfNotNull(c.familyName, c.familyNameStandardised, c.givenName, c.dateOfBirth, c.certificateId)
        for (text in listOf(v.toString(), c.toString(), "$v", v.failures.toString())) {
            for (secret in secrets) expect(!text.contains(secret)) { "string form leaks holder data" }
        }
        expect(v.toString().contains("valid=true")) { "the verdict itself still prints" }
        expect(c.toString().contains("redacted")) { "summary string form: $c" }
    }

    test("unencodable text is a verdict, never an exception") {
        for (input in listOf("\uD800", "HC1:\uD800", valid + "\uDFFF", "DC04\uD800")) {
            val v = verifier.verify(input, at)
            expect(!v.valid && v.reason != null) { "input with a lone surrogate" }
        }
        val framed = verifier.verifyBytes(("\uFEFF" + valid + "\r\n").toByteArray(), at)
        expect(framed.valid) { "scanner framing: ${framed.reasonCode}" }
        val bytes = verifier.verifyBytes(byteArrayOf(0x48, 0x43, 0x31, 0x3a, 0xff.toByte()), at)
        expect(bytes.reason == Reason.BASE45_INVALID) { "invalid UTF-8: ${bytes.reasonCode}" }
    }

    test("misconfiguration is refused, nothing half-applied") {
        for (empty in listOf(emptyList(), listOf("{}".toByteArray()), listOf("{\"certificates\":[]}".toByteArray()))) {
            try {
                DccVerifier(empty)
                throw AssertionError("empty trust accepted")
            } catch (e: DccException.InvalidTrustData) {
            }
            try {
                verifier.replaceTrust(empty)
                throw AssertionError("empty trust accepted")
            } catch (e: DccException.InvalidTrustData) {
            }
        }
        expect(verifier.verify(valid, at).valid) { "trust lost" }
        try {
            DccVerifier.withOptions(listOf(trust), VerifierOptions(clockSkewSeconds = 1_000_000u))
            throw AssertionError("huge skew accepted")
        } catch (e: DccException.InvalidOptions) {
        }
        try {
            val noTypes = RevocationSlice(RevocationListKind.BLOOM_FILTER, ByteArray(0), emptyList(), "no types")
            verifier.replaceRevocation(RevocationData(listOf(noTypes), null))
            throw AssertionError("slice without hash types accepted")
        } catch (e: DccException.InvalidRevocationData) {
        }
        expect(verifier.keysetIssuedAt() == null) { "no key set loaded" }
    }

    test("PS256 pass") {
        val v = verifier.verify(pass("valid-ps256"), at)
        expect(v.valid && v.algorithm == SignatureAlgorithm.PS256) { "${v.reasonCode}" }
    }

    test("every fixture case: verdict and reason") {
        val cases = manifest(root)
        expect(cases.size >= 40) { "only ${cases.size} manifest cases parsed" }
        val reasons = mutableSetOf<String>()
        for (case in cases) {
            val v = verifier.verify(File(root, case.file).readText().trimEnd('\n'), at)
            expect(v.valid == (case.verdict == "valid")) { "${case.name}: valid=${v.valid}" }
            expect(v.reasonCode == case.reason) { "${case.name}: ${v.reasonCode} != ${case.reason}" }
            if (!v.valid) {
                expect(v.reason != null && v.failures.isNotEmpty()) { "${case.name}: no reason" }
                reasons.add(v.reasonCode!!)
            }
        }
        expect(reasons.size >= 20) { "only ${reasons.size} distinct reasons covered" }
    }

    test("expiry: an injected clock decides") {
        expect(verifier.verify(valid, Instant.parse("2022-07-01T00:00:00Z")).reason == Reason.EXPIRED) { "not expired" }
        expect(verifier.verify(valid, Instant.parse("2021-05-01T00:00:00Z")).reason == Reason.ISSUED_IN_FUTURE) { "not future" }
    }

    test("certificate only after a verified signature") {
        val forged = verifier.verify(pass("bad-signature"), at)
        expect(forged.reason == Reason.SIGNATURE_INVALID && forged.certificate == null) { "forged shows content" }
        val expired = verifier.verify(pass("expired"), at)
        expect(expired.reason == Reason.EXPIRED && expired.certificate != null) { "expired hides content" }
    }

    test("garbage input is a verdict, never an exception") {
        for (input in listOf("", "garbage", "HC1:", "HC1:%%%%", "HC1:" + "A".repeat(10_000), "\u0000\uFFFF", "\uD800")) {
            val v = verifier.verify(input, at)
            expect(!v.valid && v.reason != null && v.certificate == null) { "input '$input'" }
        }
    }

    test("bad trust data throws a typed exception") {
        try {
            DccVerifier(listOf("not a trust list".toByteArray()))
            throw AssertionError("no exception")
        } catch (e: DccException.InvalidTrustData) {
            expect(e.toString().startsWith("invalid trust data")) { "message: $e" }
        }
    }

    test("nothing is trusted without trust material") {
        val v = DccVerifier.withOptions(emptyList(), allowEmpty).verify(valid, at)
        expect(v.reason == Reason.UNKNOWN_SIGNER && v.certificate == null) { "${v.reasonCode}" }
    }

    test("options: clock skew") {
        val strict = DccVerifier.withOptions(listOf(trust), VerifierOptions(clockSkewSeconds = 0u))
        // Issued 2021-06-01T00:00:00Z: one minute earlier is in the future without tolerance.
        val early = Instant.parse("2021-05-31T23:59:00Z")
        expect(strict.verify(valid, early).reason == Reason.ISSUED_IN_FUTURE) { "strict" }
        expect(verifier.verify(valid, early).valid) { "default tolerance" }
    }

    test("concurrent verifies from several threads") {
        val pool = Executors.newFixedThreadPool(8)
        val results = ConcurrentHashMap<String, Int>()
        repeat(400) { i ->
            pool.submit {
                val v = verifier.verify(if (i % 2 == 0) valid else pass("expired"), at)
                results.merge(v.reasonCode ?: "valid", 1, Int::plus)
            }
        }
        pool.shutdown()
        expect(pool.awaitTermination(60, TimeUnit.SECONDS)) { "timeout" }
        expect(results == mapOf("valid" to 200, "expired" to 200)) { "$results" }
    }

    test("trust replaced while scans run") {
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
        repeat(50) {
            shared.replaceTrust(emptyList())
            shared.replaceTrust(listOf(trust))
        }
        shared.replaceTrust(emptyList())
        expect(shared.trustedKeyCount() == 0uL) { "count after clear" }
        expect(shared.verify(valid, at).reason == Reason.UNKNOWN_SIGNER) { "old trust still used" }
        try {
            shared.replaceTrust(listOf("junk".toByteArray()))
            throw AssertionError("no exception")
        } catch (e: DccException.InvalidTrustData) {
        }
        expect(shared.trustedKeyCount() == 0uL) { "failed replace changed the trust" }
        shared.replaceTrust(listOf(trust))
        expect(shared.verify(valid, at).valid) { "new trust not used" }
        stop.set(true)
        pool.shutdown()
        expect(pool.awaitTermination(60, TimeUnit.SECONDS)) { "timeout" }
        // Each scan saw a complete trust set: either trusted (valid) or nothing (unknown signer).
        expect(seen.keys.all { it == "valid" || it == "unknown_signer" }) { "$seen" }
        expect((seen["valid"] ?: 0) > 0) { "$seen" }
    }

    test("revocation: French blocklist, replaced atomically; bad data throws") {
        val shared = DccVerifier(listOf(trust))
        val before = shared.verify(valid, at)
        expect(before.valid && before.checks.revocation == CheckStatus.SKIPPED) { "before" }
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
        expect(!after.valid && after.reason == Reason.REVOKED) { "not revoked: ${after.reasonCode}" }
        expect(after.checks.revocation == CheckStatus.FAIL) { "revocation ${after.checks.revocation}" }
        expect(after.revocationHit?.hashType == "FR_DCC") { "hit ${after.revocationHit?.hashType}" }
        expect(after.revocationHit?.source == "fr-blocklist-test") { "source" }
        expect(after.revocationDataAgeSeconds == 86_400L) { "age ${after.revocationDataAgeSeconds}" }
        // Trust replacement keeps the revocation data.
        shared.replaceTrust(listOf(trust))
        expect(shared.verify(valid, at).reason == Reason.REVOKED) { "revocation lost" }
        val junk = RevocationSlice(RevocationListKind.BLOOM_FILTER, ByteArray(7), listOf(RevocationHashType.UCI), "junk")
        try {
            shared.replaceRevocation(RevocationData(listOf(junk), null))
            throw AssertionError("no exception")
        } catch (e: DccException.InvalidRevocationData) {
        }
        expect(shared.verify(valid, at).reason == Reason.REVOKED) { "failed replace changed the data" }
        shared.replaceRevocation(RevocationData(emptyList(), null))
        expect(shared.verify(valid, at).valid) { "cleared revocation still applies" }
    }

    test("a Rust panic surfaces as an exception and the JVM survives") {
        try {
            panicProbe("boom")
            throw AssertionError("no exception")
        } catch (e: InternalException) {
            expect(e.message?.contains("boom") == true) { "message: ${e.message}" }
        }
        expect(verifier.verify(valid, at).valid) { "library unusable after a panic" }
    }

    test("French 2D-DOC: format, verdict and summary") {
        val shared = File(System.getenv("DCC_SHARED_DIR") ?: File(root, "../shared").path, "france/vectors")
        if (!shared.isDirectory) {
            if (System.getenv("CI") == "true") throw AssertionError("$shared missing under CI")
            println("     skipped: $shared not found (set DCC_SHARED_DIR)")
            return@test
        }
        val doc = File(shared, "2ddoc/tac_B2_test_DHI0-TST1.2ddoc").readText()
        val key = File(shared, "keys/DHI0-TST1_pub.pem").readBytes()
        val fr = DccVerifier.withOptions(emptyList(), allowEmpty)
        val before = fr.verify(doc, at)
        expect(before.format == CodeFormat.TWO_D_DOC) { "format ${before.format}" }
        expect(before.reason == Reason.UNKNOWN_SIGNER) { "reason ${before.reasonCode}" }
        fr.replace2ddocKeys(listOf(TwoDDocTrust("DHI0", "TST1", key)))
        val v = fr.verify(doc, at)
        expect(v.valid) { "not valid: ${v.reasonCode} ${v.failures}" }
        expect(v.checks.cose == CheckStatus.SKIPPED) { "cose ${v.checks.cose}" }
        val c = v.certificate ?: throw AssertionError("no summary")
        expect(c.kind == CertificateKind.TEST && c.familyName == "DUPOND") { "summary ${c.kind}" }
        expect(c.dateOfBirth == "1980-11-25") { "birth date" }
        val tampered = fr.verify(doc.replace("F5N", "F5P"), at)
        expect(tampered.reason == Reason.SIGNATURE_INVALID && tampered.certificate == null) { "tampered ${tampered.reasonCode}" }
        expect(verifier.verify(valid, at).format == CodeFormat.EU_DCC) { "DCC format" }

        // Acceptance rules: the TAC test vector's LOINC code (94309) is not an accepted type.
        expect(rulesNames().contains("fr-2022-03-15-health")) { "built-in rules ${rulesNames()}" }
        fr.replaceRules("fr-2022-03-15-health")
        val ruled = fr.verify(doc, at)
        expect(!ruled.valid && ruled.reason == Reason.TEST_TYPE_NOT_ACCEPTED) { "rules ${ruled.reasonCode}" }
        expect(ruled.checks.rules == CheckStatus.FAIL && ruled.checks.signature == CheckStatus.PASS) { "rules check" }
        try {
            fr.replaceRules("no-such-rules")
            throw AssertionError("unknown rules accepted")
        } catch (e: DccException.InvalidRules) {
        }
        fr.replaceRules(null)
        expect(fr.verify(doc, at).checks.rules == CheckStatus.SKIPPED) { "rules not removed" }
    }

    println("$passed passed, $failed failed")
    exitProcess(if (failed == 0) 0 else 1)
}
