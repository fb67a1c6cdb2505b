// Dates across the FFI: Swift `Date` (a Double of seconds since 2001) to Rust `SystemTime` and
// back. The verifier works in whole seconds: a time is truncated to its second, so the checks
// below pin both the conversion and that truncation, at whole seconds, sub-second instants and
// before 1970.

import DccVerifier
import Foundation
import XCTest

final class DateTests: XCTestCase {
    var trust = Data()
    var valid = ""
    /// No clock tolerance: the boundaries are the pass's own iat and exp.
    var strict: DccVerifier!
    let issued = Fixtures.date("2021-06-01T00:00:00Z")
    let expires = Fixtures.date("2022-06-01T00:00:00Z")

    override func setUpWithError() throws {
        trust = try Fixtures.trust()
        valid = try Fixtures.pass("valid-es256-vaccination")
        strict = try DccVerifier.withOptions(trust: [trust], acceptance: .authenticityOnly, options: VerifierOptions(clockSkewSeconds: 0))
    }

    func testDatesFromRustAreExactWholeSeconds() throws {
        let c = try XCTUnwrap(strict.verify(qr: valid, now: Fixtures.at).certificate)
        XCTAssertEqual(c.issuedAt?.timeIntervalSince1970, 1_622_505_600)
        XCTAssertEqual(c.expiresAt?.timeIntervalSince1970, 1_654_041_600)
        XCTAssertEqual(c.issuedAt, issued)
        // Float CBOR times (iat/exp as 64-bit floats) arrive as the same whole seconds.
        let float = try XCTUnwrap(strict.verify(qr: try Fixtures.pass("float-timestamps"), now: Fixtures.at).certificate)
        XCTAssertEqual(float.issuedAt, issued)
        XCTAssertEqual(float.expiresAt, expires)
    }

    func testWholeSecondBoundaries() {
        XCTAssertTrue(strict.verify(qr: valid, now: issued).valid, "at iat")
        XCTAssertEqual(strict.verify(qr: valid, now: issued.addingTimeInterval(-1)).reason, .issuedInFuture)
        XCTAssertTrue(strict.verify(qr: valid, now: expires).valid, "at exp")
        XCTAssertEqual(strict.verify(qr: valid, now: expires.addingTimeInterval(1)).reason, .expired)
    }

    func testSubSecondNowIsTruncatedToItsSecond() {
        // Half a second before iat is in the second before: in the future.
        XCTAssertEqual(strict.verify(qr: valid, now: issued.addingTimeInterval(-0.5)).reason, .issuedInFuture)
        XCTAssertEqual(strict.verify(qr: valid, now: issued.addingTimeInterval(-0.001)).reason, .issuedInFuture)
        XCTAssertTrue(strict.verify(qr: valid, now: issued.addingTimeInterval(0.25)).valid)
        // Up to a whole second after exp is still exp's second: in force.
        XCTAssertTrue(strict.verify(qr: valid, now: expires.addingTimeInterval(0.5)).valid)
        XCTAssertTrue(strict.verify(qr: valid, now: expires.addingTimeInterval(0.999)).valid)
        XCTAssertEqual(strict.verify(qr: valid, now: expires.addingTimeInterval(1.001)).reason, .expired)
    }

    func testNowBefore1970() {
        for now in [Date(timeIntervalSince1970: -1), Date(timeIntervalSince1970: -0.5),
                    Fixtures.date("1969-07-20T20:17:40Z"), Date(timeIntervalSince1970: -4_000_000_000.75)] {
            let v = strict.verify(qr: valid, now: now)
            XCTAssertFalse(v.valid, "\(now)")
            // The signer (valid from 2021) is not yet valid, and the pass is issued in the future.
            XCTAssertEqual(v.reason, .signerNotYetValid, "\(now)")
            XCTAssertTrue(v.failures.contains { $0.check == .expiry && $0.reason == .issuedInFuture }
                          || v.checks.expiry == .skipped, "\(now): \(v.failures)")
        }
    }

    /// `revocationDataAgeSeconds` is `now` less the revocation data's `issuedAt`, both sent from
    /// Swift: it shows the seconds each Date arrived as.
    private func age(issuedAt: Date, now: Date = Fixtures.at) throws -> Int64? {
        let verifier = try DccVerifier(trust: [trust], acceptance: .authenticityOnly)
        // A list that revokes nothing (one unrelated fingerprint), only to carry the issue time.
        let list = RevocationSlice(kind: .frenchBlocklist, data: Data((String(repeating: "0", count: 64) + "\n").utf8),
                                   hashTypes: [], source: "dates")
        try verifier.replaceRevocation(revocation: RevocationData(slices: [list], issuedAt: issuedAt))
        let v = verifier.verify(qr: valid, now: now)
        XCTAssertTrue(v.valid, "\(String(describing: v.reasonCode))")
        XCTAssertEqual(v.checks.revocation, .pass)
        return v.revocationDataAgeSeconds
    }

    func testRevocationIssueTimeRoundTrips() throws {
        let at = Fixtures.at.timeIntervalSince1970 // 1_630_454_400
        XCTAssertEqual(try age(issuedAt: Fixtures.at), 0)
        XCTAssertEqual(try age(issuedAt: Fixtures.date("2021-08-31T00:00:00Z")), 86_400)
        // Sub-second: the issue time falls to its second (floor), `now` too.
        XCTAssertEqual(try age(issuedAt: Fixtures.at.addingTimeInterval(-86_400.25)), 86_401)
        XCTAssertEqual(try age(issuedAt: Fixtures.at.addingTimeInterval(-0.999)), 1)
        XCTAssertEqual(try age(issuedAt: Fixtures.at, now: Fixtures.at.addingTimeInterval(0.999)), 0)
        // Data from the future (a clock behind the publisher's): a negative age.
        XCTAssertEqual(try age(issuedAt: Fixtures.at.addingTimeInterval(3_600)), -3_600)
        // Before 1970, whole seconds.
        XCTAssertEqual(try age(issuedAt: Date(timeIntervalSince1970: 0)), Int64(at))
        XCTAssertEqual(try age(issuedAt: Date(timeIntervalSince1970: -1)), Int64(at) + 1)
        XCTAssertEqual(try age(issuedAt: Fixtures.date("1960-01-01T00:00:00Z")), Int64(at) + 315_619_200)
    }
}
