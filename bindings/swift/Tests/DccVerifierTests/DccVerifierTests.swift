// XCTest suite for the Swift bindings: the generated DccVerifier module and the Rust library, end
// to end, the same scenarios as the Kotlin (bindings/kotlin/DccVerifierTest.kt) and Python suites.
// Run by bindings/swift/test-linux.sh on Linux (scripts/test-bindings.sh, so CI), or on a Mac:
// ./build-xcframework.sh && swift test (from bindings/swift).

import DccVerifier
import Foundation
import XCTest

final class DccVerifierTests: XCTestCase {
    let at = Fixtures.at
    var trust = Data()
    var valid = ""
    var verifier: DccVerifier!

    /// Trusting no DCC signer is a choice the app states: an empty list alone is refused.
    let allowEmpty = VerifierOptions(allowEmptyTrust: true)

    override func setUpWithError() throws {
        trust = try Fixtures.trust()
        valid = try Fixtures.pass("valid-es256-vaccination")
        verifier = try DccVerifier(trust: [trust], acceptance: .authenticityOnly)
    }

    func testLibraryVersion() {
        XCTAssertFalse(libraryVersion().isEmpty)
    }

    func testValidPassVerdictChecksAndSummary() throws {
        let v = verifier.verify(qr: valid, now: at)
        XCTAssertTrue(v.valid, "not valid: \(String(describing: v.reasonCode)) \(v.failures)")
        XCTAssertNil(v.reason)
        XCTAssertNil(v.reasonCode)
        XCTAssertEqual(v.format, .euDcc)
        XCTAssertEqual(v.checks.signature, .pass)
        XCTAssertEqual(v.checks.revocation, .skipped)
        XCTAssertEqual(v.algorithm, .es256)
        XCTAssertEqual(v.kid?.count, 8)
        XCTAssertEqual(v.failures, [])
        let c = try XCTUnwrap(v.certificate)
        XCTAssertEqual(c.kind, .vaccination)
        XCTAssertEqual(c.familyNameStandardised, "TESTPERSON")
        XCTAssertEqual(c.dateOfBirth, "1990-01-01")
        XCTAssertEqual(c.issuedAt, Fixtures.date("2021-06-01T00:00:00Z"))
        XCTAssertEqual(c.expiresAt, Fixtures.date("2022-06-01T00:00:00Z"))
        XCTAssertEqual(c.issuerCountry, "XX")
        XCTAssertEqual(c.country, "XX")
        XCTAssertTrue(c.certificateId.hasPrefix("URN:UVCI:"), c.certificateId)
        let payload = try JSONSerialization.jsonObject(with: Data(c.payloadJson.utf8)) as? [String: Any]
        XCTAssertNotNil(payload?["v"], "payload JSON without v")
        let skipped = Dictionary(uniqueKeysWithValues: v.skipped.map { ($0.check, $0.reason) })
        XCTAssertEqual(skipped, [.revocation: .noData, .rules: .notRequested])
        XCTAssertEqual(v.admission, .notEvaluated)
        XCTAssertEqual(v.admissionCode, "not_evaluated")
        XCTAssertNil(v.ruleSet)
        XCTAssertTrue(v.ruleResults.isEmpty)
    }

    func testNoPersonalDataInStringForms() throws {
        let v = verifier.verify(qr: valid, now: at)
        let c = try XCTUnwrap(v.certificate)
        let secrets = [c.familyName, c.familyNameStandardised, c.givenName, c.givenNameStandardised,
                       c.dateOfBirth, c.certificateId].compactMap { $0 }
        XCTAssertGreaterThanOrEqual(secrets.count, 4)
        // The generated string forms; `dump`, which reflects stored fields, is left out.
        let forms = ["\(v)", String(describing: v), String(reflecting: v), "\(v.failures)",
                     "\(c)", c.description, c.debugDescription, String(reflecting: c)]
        for form in forms {
            for secret in secrets {
                XCTAssertFalse(form.contains(secret), "a string form leaks holder data: \(form)")
            }
        }
        XCTAssertTrue("\(v)".contains("valid: true"), "the verdict itself still prints: \(v)")
        XCTAssertTrue(c.description.contains("redacted"), "summary string form: \(c.description)")
        XCTAssertTrue(c.debugDescription.contains("redacted"), "summary debug form: \(c.debugDescription)")
    }

    /// Swift strings hold no lone surrogate (Kotlin's and Python's case): whatever a scanner
    /// hands over as text decodes to a String with replacement characters, which is a verdict.
    func testScannedTextWithReplacementCharactersIsAVerdict() {
        let loneSurrogate = String(decoding: [0xD800] as [UInt16], as: UTF16.self)
        XCTAssertEqual(loneSurrogate, "\u{FFFD}")
        for input in [loneSurrogate, "HC1:" + loneSurrogate, valid + "\u{FFFD}", "DC04\u{FFFD}"] {
            let v = verifier.verify(qr: input, now: at)
            XCTAssertFalse(v.valid, input)
            XCTAssertNotNil(v.reason, input)
            XCTAssertNil(v.certificate, input)
        }
        let invalidUtf8: [UInt8] = [0x48, 0x43, 0x31, 0x3A, 0xFF]
        XCTAssertEqual(verifier.verify(qr: String(decoding: invalidUtf8, as: UTF8.self), now: at).reason,
                       .base45Invalid)
        // ScannedText is lowered as the string's UTF-8, characters outside ASCII included.
        let accented = verifier.verify(qr: "HC1:é", now: at)
        XCTAssertEqual(accented.reason, .base45Invalid)
    }

    func testVerifyBytes() {
        let framed = verifier.verifyBytes(scanned: Data(("\u{FEFF}" + valid + "\r\n").utf8), now: at)
        XCTAssertTrue(framed.valid, "scanner framing: \(String(describing: framed.reasonCode))")
        let bytes = verifier.verifyBytes(scanned: Data([0x48, 0x43, 0x31, 0x3A, 0xFF]), now: at)
        XCTAssertEqual(bytes.reason, .base45Invalid)
        XCTAssertEqual(bytes.reasonCode, "base45_invalid")
    }

    func testMisconfigurationIsRefusedNothingHalfApplied() throws {
        for empty in [[], [Data("{}".utf8)], [Data(#"{"certificates":[]}"#.utf8)]] {
            XCTAssertThrowsError(try DccVerifier(trust: empty, acceptance: .authenticityOnly)) { error in
                guard case DccError.InvalidTrustData = error else {
                    return XCTFail("unexpected error \(error)")
                }
            }
            XCTAssertThrowsError(try verifier.replaceTrust(trust: empty)) { error in
                guard case DccError.InvalidTrustData = error else {
                    return XCTFail("unexpected error \(error)")
                }
            }
        }
        XCTAssertTrue(verifier.verify(qr: valid, now: at).valid, "trust lost")
        XCTAssertThrowsError(try DccVerifier.withOptions(trust: [trust], acceptance: .authenticityOnly,
                                                         options: VerifierOptions(clockSkewSeconds: 1_000_000))) { error in
            guard case DccError.InvalidOptions = error else {
                return XCTFail("unexpected error \(error)")
            }
        }
        let noTypes = RevocationSlice(kind: .bloomFilter, data: Data(), hashTypes: [], source: "no types")
        XCTAssertThrowsError(try verifier.replaceRevocation(revocation: RevocationData(slices: [noTypes], issuedAt: nil))) { error in
            guard case DccError.InvalidRevocationData = error else {
                return XCTFail("unexpected error \(error)")
            }
        }
        XCTAssertNil(verifier.keysetIssuedAt(), "no key set loaded")
        XCTAssertTrue(verifier.verify(qr: valid, now: at).valid, "revocation half-applied")
    }

    func testPS256Pass() {
        let v = verifier.verify(qr: try! Fixtures.pass("valid-ps256"), now: at)
        XCTAssertTrue(v.valid, "\(String(describing: v.reasonCode))")
        XCTAssertEqual(v.algorithm, .ps256)
    }

    func testEveryFixtureCaseVerdictReasonAndChecks() throws {
        let cases = try Fixtures.manifest()
        XCTAssertGreaterThanOrEqual(cases.count, 40, "manifest cases")
        var reasons = Set<String>()
        var checksCompared = 0
        for fixture in cases {
            let v = verifier.verify(qr: try Fixtures.text(fixture.file), now: at)
            XCTAssertEqual(v.valid, fixture.verdict == "valid", "\(fixture.name): valid")
            XCTAssertEqual(v.reasonCode, fixture.reason, "\(fixture.name): reason")
            XCTAssertEqual(v.reason == nil, v.reasonCode == nil, "\(fixture.name): reason and code")
            if !v.valid {
                XCTAssertNotNil(v.reason, fixture.name)
                XCTAssertFalse(v.failures.isEmpty, "\(fixture.name): no failure listed")
                XCTAssertTrue(v.failures.contains { $0.reason == v.reason }, "\(fixture.name): primary reason not listed")
                if let code = v.reasonCode { reasons.insert(code) }
            }
            XCTAssertFalse(fixture.checks.isEmpty, fixture.name)
            for (check, expected) in fixture.checks {
                guard let status = v.checks.status(named: check) else {
                    XCTFail("\(fixture.name): unknown check \(check)")
                    continue
                }
                XCTAssertEqual(status.name, expected, "\(fixture.name): check \(check)")
                checksCompared += 1
            }
        }
        XCTAssertGreaterThanOrEqual(reasons.count, 20, "distinct reasons covered: \(reasons.sorted())")
        XCTAssertGreaterThanOrEqual(checksCompared, 200)
    }

    func testExpiryAnInjectedClockDecides() {
        XCTAssertEqual(verifier.verify(qr: valid, now: Fixtures.date("2022-07-01T00:00:00Z")).reason, .expired)
        XCTAssertEqual(verifier.verify(qr: valid, now: Fixtures.date("2021-05-01T00:00:00Z")).reason, .issuedInFuture)
    }

    func testCertificateOnlyAfterAVerifiedSignature() throws {
        let forged = verifier.verify(qr: try Fixtures.pass("bad-signature"), now: at)
        XCTAssertEqual(forged.reason, .signatureInvalid)
        XCTAssertEqual(forged.checks.signature, .fail)
        XCTAssertNil(forged.certificate)
        let expired = verifier.verify(qr: try Fixtures.pass("expired"), now: at)
        XCTAssertEqual(expired.reason, .expired)
        XCTAssertNotNil(expired.certificate)
        XCTAssertEqual(verifier.verify(qr: try Fixtures.pass("key-usage-mismatch"), now: at).reason, .keyUsageMismatch)
        XCTAssertEqual(verifier.verify(qr: "garbage", now: at).reason, .missingPrefix)
    }

    func testGarbageInputIsAVerdictNeverAnError() {
        let inputs = ["", "garbage", "HC1:", "HC1:%%%%", "HC1:" + String(repeating: "A", count: 10_000),
                      "\u{0}\u{FFFF}", "\u{FFFD}", "DC04", "DC04" + String(repeating: "Z", count: 100)]
        for input in inputs {
            let v = verifier.verify(qr: input, now: at)
            XCTAssertFalse(v.valid, "input \(input.prefix(20))")
            XCTAssertNotNil(v.reason, "input \(input.prefix(20))")
            XCTAssertNil(v.certificate, "input \(input.prefix(20))")
        }
    }

    func testBadTrustDataThrowsATypedError() {
        XCTAssertThrowsError(try DccVerifier(trust: [Data("not a trust list".utf8)], acceptance: .authenticityOnly)) { error in
            guard let dccError = error as? DccError, case let .InvalidTrustData(detail) = dccError else {
                return XCTFail("unexpected error \(error)")
            }
            XCTAssertFalse(detail.isEmpty)
            XCTAssertTrue(dccError.description.hasPrefix("invalid trust data"), "message: \(dccError.description)")
            XCTAssertTrue(dccError.localizedDescription.contains("InvalidTrustData"), dccError.localizedDescription)
        }
    }

    func testNothingIsTrustedWithoutTrustMaterial() throws {
        let v = try DccVerifier.withOptions(trust: [], acceptance: .authenticityOnly, options: allowEmpty).verify(qr: valid, now: at)
        XCTAssertEqual(v.reason, .unknownSigner)
        XCTAssertNil(v.certificate)
    }

    func testOptionsClockSkew() throws {
        let strict = try DccVerifier.withOptions(trust: [trust], acceptance: .authenticityOnly, options: VerifierOptions(clockSkewSeconds: 0))
        // Issued 2021-06-01T00:00:00Z: one minute earlier is in the future without tolerance.
        let early = Fixtures.date("2021-05-31T23:59:00Z")
        XCTAssertEqual(strict.verify(qr: valid, now: early).reason, .issuedInFuture)
        XCTAssertTrue(verifier.verify(qr: valid, now: early).valid, "default tolerance (300 s)")
        XCTAssertEqual(verifier.verify(qr: valid, now: Fixtures.date("2021-05-31T23:54:59Z")).reason, .issuedInFuture)
        XCTAssertEqual(VerifierOptions().clockSkewSeconds, 300)
    }

    func testOptionsIssuerCountryMatch() throws {
        // The fixture signers and passes are all from XX: the option changes nothing for them.
        let v = try DccVerifier.withOptions(trust: [trust], acceptance: .authenticityOnly, options: VerifierOptions(requireIssuerCountryMatch: true))
        XCTAssertTrue(v.verify(qr: valid, now: at).valid)
    }

    func testConcurrentVerifiesFromSeveralThreads() throws {
        let expired = try Fixtures.pass("expired")
        let results = Locked([String: Int]())
        let verifier = self.verifier!, valid = self.valid, at = self.at
        let finished = onThreads(8) { thread in
            for i in 0..<50 {
                let v = verifier.verify(qr: (thread * 50 + i) % 2 == 0 ? valid : expired, now: at)
                results.withValue { $0[v.reasonCode ?? "valid", default: 0] += 1 }
            }
        }
        XCTAssertTrue(finished, "timeout")
        XCTAssertEqual(results.current, ["valid": 200, "expired": 200])
    }

    func testTrustReplacedWhileScansRun() throws {
        let shared = try DccVerifier.withOptions(trust: [trust], acceptance: .authenticityOnly, options: allowEmpty)
        let stop = Locked(false)
        let seen = Locked([String: Int]())
        let valid = self.valid, at = self.at
        let scanners = DispatchGroup()
        for _ in 0..<4 {
            scanners.enter()
            Thread {
                while !stop.current {
                    let v = shared.verify(qr: valid, now: at)
                    seen.withValue { $0[v.reasonCode ?? "valid", default: 0] += 1 }
                }
                scanners.leave()
            }.start()
        }
        for _ in 0..<50 {
            try shared.replaceTrust(trust: [])
            try shared.replaceTrust(trust: [trust])
        }
        try shared.replaceTrust(trust: [])
        XCTAssertEqual(shared.trustedKeyCount(), 0, "count after clear")
        XCTAssertEqual(shared.verify(qr: valid, now: at).reason, .unknownSigner, "old trust still used")
        XCTAssertThrowsError(try shared.replaceTrust(trust: [Data("junk".utf8)])) { error in
            guard case DccError.InvalidTrustData = error else { return XCTFail("unexpected error \(error)") }
        }
        XCTAssertEqual(shared.trustedKeyCount(), 0, "failed replace changed the trust")
        try shared.replaceTrust(trust: [trust])
        XCTAssertGreaterThan(shared.trustedKeyCount(), 0)
        XCTAssertTrue(shared.verify(qr: valid, now: at).valid, "new trust not used")
        stop.withValue { $0 = true }
        XCTAssertEqual(scanners.wait(timeout: .now() + 60), .success, "timeout")
        // Each scan saw a complete trust set: either trusted (valid) or nothing (unknown signer).
        let counts = seen.current
        XCTAssertTrue(Set(counts.keys).isSubset(of: ["valid", "unknown_signer"]), "\(counts)")
        XCTAssertGreaterThan(counts["valid"] ?? 0, 0, "\(counts)")
    }

    func testReplaceTrustAllowingRollback() throws {
        let v = try DccVerifier.withOptions(trust: [], acceptance: .authenticityOnly, options: allowEmpty)
        try v.replaceTrustAllowingRollback(trust: [trust])
        XCTAssertTrue(v.verify(qr: valid, now: at).valid)
        XCTAssertEqual(v.trustedKeyCount(), verifier.trustedKeyCount())
    }

    func testSha256Helper() {
        // FIPS 180-4 examples: the fingerprints below are only as good as this.
        XCTAssertEqual(SHA256.hex(Data("abc".utf8)),
                       "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(SHA256.hex(Data("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    func testRevocationFrenchBlocklistReplacedAtomically() throws {
        let shared = try DccVerifier(trust: [trust], acceptance: .authenticityOnly)
        let before = shared.verify(qr: valid, now: at)
        XCTAssertTrue(before.valid)
        XCTAssertEqual(before.checks.revocation, .skipped)
        XCTAssertNil(before.revocationHit)
        let c = try XCTUnwrap(before.certificate)
        // The French fingerprint: lowercase hex SHA-256 of the uppercase country and the id.
        let fingerprint = SHA256.hex(Data((c.country.uppercased() + c.certificateId).utf8))
        let list = RevocationSlice(kind: .frenchBlocklist, data: Data("\(fingerprint)\n".utf8),
                                   hashTypes: [], source: "fr-blocklist-test")
        try shared.replaceRevocation(revocation: RevocationData(slices: [list],
                                                                issuedAt: Fixtures.date("2021-08-31T00:00:00Z")))
        let after = shared.verify(qr: valid, now: at)
        XCTAssertFalse(after.valid)
        XCTAssertEqual(after.reason, .revoked)
        XCTAssertEqual(after.checks.revocation, .fail)
        XCTAssertEqual(after.revocationHit?.hashType, "FR_DCC")
        XCTAssertEqual(after.revocationHit?.source, "fr-blocklist-test")
        XCTAssertEqual(after.revocationDataAgeSeconds, 86_400)
        XCTAssertNotNil(after.certificate, "a revoked pass still shows whose it is")
        // Another pass is not on the list.
        XCTAssertTrue(shared.verify(qr: try Fixtures.pass("valid-es256-test"), now: at).valid)
        // Trust replacement keeps the revocation data.
        try shared.replaceTrust(trust: [trust])
        XCTAssertEqual(shared.verify(qr: valid, now: at).reason, .revoked, "revocation lost")
        let junk = RevocationSlice(kind: .bloomFilter, data: Data(count: 7), hashTypes: [.uci], source: "junk")
        XCTAssertThrowsError(try shared.replaceRevocation(revocation: RevocationData(slices: [junk], issuedAt: nil))) { error in
            guard case DccError.InvalidRevocationData = error else { return XCTFail("unexpected error \(error)") }
        }
        let junkList = RevocationSlice(kind: .hashList, data: Data([0]), hashTypes: [.uci], source: "junk")
        XCTAssertThrowsError(try shared.replaceRevocation(revocation: RevocationData(slices: [junkList], issuedAt: nil))) { error in
            guard case DccError.InvalidRevocationData = error else { return XCTFail("unexpected error \(error)") }
        }
        XCTAssertEqual(shared.verify(qr: valid, now: at).reason, .revoked, "failed replace changed the data")
        try shared.replaceRevocation(revocation: RevocationData(slices: [], issuedAt: nil))
        let cleared = shared.verify(qr: valid, now: at)
        XCTAssertTrue(cleared.valid, "cleared revocation still applies")
        XCTAssertEqual(cleared.checks.revocation, .skipped)
    }

    /// A Rust panic unwinds to the FFI boundary and is caught there (no undefined behaviour, no
    /// abort in Rust); UniFFI hands it to Swift as `UniffiInternalError.rustPanic`, which a
    /// non-throwing generated function (`panicProbe`, like `verify`) meets with `try!`: in Swift
    /// it ends the process with the panic's message, where Kotlin and Python get an exception.
    /// So the probe runs in a child process (this same test, re-run with DCC_PANIC_PROBE_CHILD),
    /// and this process checks how the child ended. Linux only: on a Mac the test bundle is not
    /// an executable to re-run.
    func testRustPanicReachesSwiftAsRustPanicAndStopsTheProcess() throws {
        if ProcessInfo.processInfo.environment["DCC_PANIC_PROBE_CHILD"] == "1" {
            _ = panicProbe(message: "boom")
            return XCTFail("panicProbe returned")
        }
        #if os(Linux)
        let child = Process()
        child.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        child.arguments = ["DccVerifierTests.DccVerifierTests/testRustPanicReachesSwiftAsRustPanicAndStopsTheProcess"]
        var environment = ProcessInfo.processInfo.environment
        environment["DCC_PANIC_PROBE_CHILD"] = "1"
        environment["RUST_BACKTRACE"] = "0"
        child.environment = environment
        let output = Pipe()
        child.standardOutput = output
        child.standardError = output
        try child.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        child.waitUntilExit()
        XCTAssertEqual(child.terminationReason, .uncaughtSignal, "the child ended normally:\n\(text)")
        XCTAssertTrue(text.contains("panic probe: boom"), "Rust's panic message missing:\n\(text)")
        XCTAssertTrue(text.contains("rustPanic(\"panic probe: boom\")"), "not a caught rustPanic:\n\(text)")
        XCTAssertFalse(text.contains("panicProbe returned"), text)
        // This process never called into a panicking Rust function: the library is fine.
        XCTAssertTrue(verifier.verify(qr: valid, now: at).valid)
        #else
        throw XCTSkip("re-runs the Linux test executable; see the Kotlin and Python suites for the exception")
        #endif
    }

    func testSkippedChecksCarryTheirReason() throws {
        let forged = verifier.verify(qr: try Fixtures.pass("bad-signature"), now: at)
        let skipped = Dictionary(uniqueKeysWithValues: forged.skipped.map { ($0.check, $0.reason) })
        // Signature failed: the checks that depend on the signer are skipped, expiry still runs.
        XCTAssertEqual(forged.checks.keyUsage, .skipped)
        XCTAssertEqual(skipped[.keyUsage], .earlierCheckFailed, "\(forged.skipped)")
        XCTAssertEqual(skipped[.signerValidity], .earlierCheckFailed, "\(forged.skipped)")
        XCTAssertEqual(skipped[.revocation], .noData, "\(forged.skipped)")
        XCTAssertNil(skipped[.expiry], "\(forged.skipped)")
        for entry in forged.skipped {
            XCTAssertEqual(forged.checks.status(named: Self.name(of: entry.check)), .skipped, "\(entry)")
        }
        let garbage = verifier.verify(qr: "garbage", now: at)
        XCTAssertEqual(garbage.checks.prefix, .fail)
        XCTAssertEqual(garbage.failures.map(\.check), [.prefix])
        XCTAssertEqual(garbage.failures.first?.reason, .missingPrefix)
        XCTAssertFalse(garbage.failures.first?.message.isEmpty ?? true)
        XCTAssertTrue(garbage.skipped.contains { $0.check == .signature && $0.reason == .earlierCheckFailed })
    }

    static func name(of check: Check) -> String {
        switch check {
        case .prefix: return "prefix"
        case .base45: return "base45"
        case .decompress: return "decompress"
        case .cose: return "cose"
        case .payload: return "payload"
        case .signature: return "signature"
        case .keyUsage: return "key_usage"
        case .signerValidity: return "signer_validity"
        case .expiry: return "expiry"
        case .schema: return "schema"
        case .revocation: return "revocation"
        case .rules: return "rules"
        }
    }
}
