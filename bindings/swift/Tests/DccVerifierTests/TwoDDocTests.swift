// French 2D-DOC and acceptance rules through the bindings: the repository's own 2D-DOC fixture
// (always there) and the TAC test vector from the shared data (as in the Kotlin and Python suites).

import DccVerifier
import Foundation
import XCTest

final class TwoDDocTests: XCTestCase {
    /// Trusting no DCC signer, on purpose: only 2D-DOC keys.
    let nothingTrusted = VerifierOptions(allowEmptyTrust: true)

    func testRepositoryFixture() throws {
        let doc = try Fixtures.text("fixtures/2ddoc/b2-negative.2ddoc")
        let tampered = try Fixtures.text("fixtures/2ddoc/b2-tampered.2ddoc")
        let at = Fixtures.date("2021-09-02T00:00:00Z")
        let fr = try DccVerifier.withOptions(trust: [], acceptance: .authenticityOnly, options: nothingTrusted)
        let before = fr.verify(qr: doc, now: at)
        XCTAssertEqual(before.format, .twoDDoc)
        XCTAssertEqual(before.reason, .unknownSigner)
        XCTAssertNil(before.certificate)
        // The fixture's signer: the es256 key as CA FX01, certificate FIX1.
        try fr.replace2ddocKeys(keys: [TwoDDocTrust(caId: "FX01", certId: "FIX1",
                                                    key: try Fixtures.data("fixtures/trust/es256.pem"))])
        let v = fr.verify(qr: doc, now: at)
        XCTAssertTrue(v.valid, "\(String(describing: v.reasonCode)) \(v.failures)")
        XCTAssertEqual(v.format, .twoDDoc)
        XCTAssertEqual(v.checks.signature, .pass)
        XCTAssertEqual(v.checks.cose, .skipped)
        let c = try XCTUnwrap(v.certificate)
        XCTAssertEqual(c.kind, .test)
        XCTAssertEqual(c.familyName, "FIXTURE")
        XCTAssertFalse(c.description.contains("FIXTURE"), c.description)
        let payload = try JSONSerialization.jsonObject(with: Data(c.payloadJson.utf8)) as? [String: Any]
        XCTAssertEqual(payload?["F5"] as? String, "N")
        let forged = fr.verify(qr: tampered, now: at)
        XCTAssertEqual(forged.reason, .signatureInvalid)
        XCTAssertNil(forged.certificate)
        // The same bytes as a scanner hands them over.
        XCTAssertTrue(fr.verifyBytes(scanned: Data(doc.utf8), now: at).valid)
    }

    func testTacVectorAndRules() throws {
        let vectors = try Fixtures.shared("france/vectors")
        let doc = String(decoding: try Data(contentsOf: vectors.appendingPathComponent("2ddoc/tac_B2_test_DHI0-TST1.2ddoc")),
                         as: UTF8.self)
        let key = try Data(contentsOf: vectors.appendingPathComponent("keys/DHI0-TST1_pub.pem"))
        let at = Fixtures.at
        let fr = try DccVerifier.withOptions(trust: [], acceptance: .authenticityOnly, options: nothingTrusted)
        let before = fr.verify(qr: doc, now: at)
        XCTAssertEqual(before.format, .twoDDoc)
        XCTAssertEqual(before.reason, .unknownSigner)
        try fr.replace2ddocKeys(keys: [TwoDDocTrust(caId: "DHI0", certId: "TST1", key: key)])
        let v = fr.verify(qr: doc, now: at)
        XCTAssertTrue(v.valid, "not valid: \(String(describing: v.reasonCode)) \(v.failures)")
        XCTAssertEqual(v.checks.cose, .skipped)
        let c = try XCTUnwrap(v.certificate)
        XCTAssertEqual(c.kind, .test)
        XCTAssertEqual(c.familyName, "DUPOND")
        XCTAssertEqual(c.dateOfBirth, "1980-11-25")
        let payload = try JSONSerialization.jsonObject(with: Data(c.payloadJson.utf8)) as? [String: Any]
        XCTAssertEqual(payload?["F5"] as? String, "N")
        let tampered = fr.verify(qr: doc.replacingOccurrences(of: "F5N", with: "F5P"), now: at)
        XCTAssertEqual(tampered.reason, .signatureInvalid)
        XCTAssertNil(tampered.certificate)
        let dcc = try DccVerifier(trust: [try Fixtures.trust()], acceptance: .authenticityOnly)
        XCTAssertEqual(dcc.verify(qr: try Fixtures.pass("valid-es256-vaccination"), now: at).format, .euDcc)
        XCTAssertThrowsError(try fr.replace2ddocKeys(keys: [TwoDDocTrust(caId: "DHI0", certId: "TST1",
                                                                         key: Data("junk".utf8))])) { error in
            guard case DccError.InvalidTrustData = error else { return XCTFail("unexpected error \(error)") }
        }
        XCTAssertTrue(fr.verify(qr: doc, now: at).valid, "a failed key replace changed the keys")

        // Acceptance rules: the TAC test vector's LOINC code (94309) is not an accepted type.
        XCTAssertTrue(rulesNames().contains("fr-2022-03-15-health"), "built-in rules \(rulesNames())")
        try fr.addFrenchRules(name: "health", rules: "fr-2022-03-15-health")
        let health = ScanOptions(acceptance: .ruleSet(name: "health"))
        let ruled = fr.verifyWith(qr: doc, now: at, scan: health)
        XCTAssertFalse(ruled.valid)
        XCTAssertEqual(ruled.reason, .testTypeNotAccepted)
        XCTAssertEqual(ruled.checks.rules, .fail)
        XCTAssertEqual(ruled.checks.signature, .pass)
        XCTAssertEqual(ruled.ruleSet, "health")
        XCTAssertEqual(ruled.ruleResults.map(\.id), ["FR-RULES"])
        XCTAssertEqual(ruled.ruleResults.map(\.outcome), [.failed])
        XCTAssertEqual(fr.verify(qr: doc, now: at).checks.rules, .skipped, "the verifier's own acceptance is authenticity only")
        for bad in ["no-such-rules", #"{"tests": {}}"#] {
            XCTAssertThrowsError(try fr.addFrenchRules(name: "health", rules: bad)) { error in
                guard case DccError.InvalidRules = error else { return XCTFail("unexpected error \(error)") }
            }
        }
        XCTAssertEqual(fr.verifyWith(qr: doc, now: at, scan: health).reason, .testTypeNotAccepted,
                       "a failed rules add changed the rules")
        XCTAssertTrue(fr.removeRuleSet(name: "health"))
        XCTAssertEqual(fr.verifyWith(qr: doc, now: at, scan: health).reason, .rulesNotApplicable, "rules not removed")

        // The same rules as the constructor's acceptance.
        let optioned = try DccVerifier.withOptions(trust: [], acceptance: .ruleSet(name: "health"),
                                                   options: VerifierOptions(allowEmptyTrust: true))
        try optioned.replace2ddocKeys(keys: [TwoDDocTrust(caId: "DHI0", certId: "TST1", key: key)])
        XCTAssertEqual(optioned.verify(qr: doc, now: at).reason, .rulesNotApplicable, "named, not added yet")
        try optioned.addFrenchRules(name: "health", rules: "fr-2022-03-15-health")
        XCTAssertEqual(optioned.verify(qr: doc, now: at).reason, .testTypeNotAccepted)
    }

    func testRulesNames() throws {
        let names = rulesNames()
        XCTAssertGreaterThanOrEqual(names.count, 2, "\(names)")
        XCTAssertEqual(Set(names).count, names.count, "duplicate names")
        let verifier = try DccVerifier.withOptions(trust: [], acceptance: .authenticityOnly,
                                                   options: VerifierOptions(allowEmptyTrust: true))
        XCTAssertThrowsError(try verifier.addFrenchRules(name: "fr", rules: "no-such-rules")) { error in
            guard case DccError.InvalidRules = error else { return XCTFail("unexpected error \(error)") }
        }
        XCTAssertEqual(verifier.ruleSetNames(), [])
    }
}
