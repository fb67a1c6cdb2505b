// XCTest suite for the Swift bindings, the same scenarios as the Kotlin and Python suites.
// Run on a Mac: ./build-xcframework.sh && swift test (from bindings/swift).

import DccVerifier
import Foundation
import XCTest

final class DccVerifierTests: XCTestCase {
    /// The repository root, from this file's location (bindings/swift/Tests/DccVerifierTests).
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let at = ISO8601DateFormatter().date(from: "2021-09-01T00:00:00Z")!

    func fixture(_ path: String) throws -> Data {
        try Data(contentsOf: Self.root.appendingPathComponent("fixtures/\(path)"))
    }

    func pass(_ name: String) throws -> String {
        let text = String(decoding: try fixture("passes/\(name).txt"), as: UTF8.self)
        return text.trimmingCharacters(in: .newlines)
    }

    func verifier() throws -> DccVerifier {
        try DccVerifier(trust: [try fixture("trust/trustlist.json")])
    }

    func testValidPass() throws {
        let verdict = try verifier().verify(qr: try pass("valid-es256-vaccination"), now: Self.at)
        XCTAssertTrue(verdict.valid)
        XCTAssertNil(verdict.reason)
        XCTAssertEqual(verdict.checks.signature, .pass)
        XCTAssertEqual(verdict.algorithm, .es256)
        let certificate = try XCTUnwrap(verdict.certificate)
        XCTAssertEqual(certificate.kind, .vaccination)
        XCTAssertEqual(certificate.familyNameStandardised, "TESTPERSON")
        XCTAssertEqual(certificate.dateOfBirth, "1990-01-01")
    }

    func testNoPersonalDataInStringForms() throws {
        let verdict = try verifier().verify(qr: try pass("valid-es256-vaccination"), now: Self.at)
        let certificate = try XCTUnwrap(verdict.certificate)
        // The generated string forms; `dump` reflects stored fields and is left out.
        let forms = ["\(verdict)", String(describing: verdict), String(reflecting: verdict),
                     "\(certificate)", String(reflecting: certificate)]
        let secrets = [certificate.familyName, certificate.familyNameStandardised,
                       certificate.givenName, certificate.dateOfBirth,
                       certificate.certificateId].compactMap { $0 }
        for form in forms {
            for secret in secrets {
                XCTAssertFalse(form.contains(secret), "a string form leaks holder data")
            }
        }
    }

    func testInvalidReasons() throws {
        let v = try verifier()
        XCTAssertEqual(v.verify(qr: try pass("expired"), now: Self.at).reason, .expired)
        XCTAssertEqual(v.verify(qr: try pass("bad-signature"), now: Self.at).reason, .signatureInvalid)
        XCTAssertNil(v.verify(qr: try pass("bad-signature"), now: Self.at).certificate)
        XCTAssertEqual(v.verify(qr: try pass("key-usage-mismatch"), now: Self.at).reason, .keyUsageMismatch)
        XCTAssertEqual(v.verify(qr: "garbage", now: Self.at).reason, .missingPrefix)
    }

    func testBadTrustDataThrows() {
        XCTAssertThrowsError(try DccVerifier(trust: [Data("not a trust list".utf8)])) { error in
            guard case DccError.InvalidTrustData = error else {
                return XCTFail("unexpected error \(error)")
            }
        }
    }

    func testConcurrentVerifiesAndTrustReplacement() throws {
        let v = try verifier()
        let qr = try pass("valid-es256-vaccination")
        let trust = try fixture("trust/trustlist.json")
        DispatchQueue.concurrentPerform(iterations: 200) { i in
            if i % 20 == 0 {
                try? v.replaceTrust(trust: [trust])
            }
            let verdict = v.verify(qr: qr, now: Self.at)
            XCTAssertTrue(verdict.valid)
        }
    }
}
