// EU business rules through the bindings: the Gateway's production rules and value sets from the
// shared data (../shared/business-rules/production), on the fixture passes at their manifest
// time, 2021-09-01T00:00:00Z (the Kotlin and Python suites justify each outcome from the rules'
// logic; in short: on that date only IE, LT, LU, SI and UA rules were in force).

import DccVerifier
import Foundation
import XCTest

final class EuRulesTests: XCTestCase {
    let at = Fixtures.at
    let eu = Acceptance.ruleSet(name: "eu")

    func production() throws -> (rules: Data, valueSets: Data) {
        let dir = try Fixtures.shared("business-rules/production")
        return (try Data(contentsOf: dir.appendingPathComponent("eu-rules.json")),
                try Data(contentsOf: dir.appendingPathComponent("eu-value-sets.json")))
    }

    func testProductionRulesPerCountryAndAuthenticityOnly() throws {
        let (rules, valueSets) = try production()
        let verifier = try DccVerifier(trust: [try Fixtures.trust()], acceptance: eu)
        let info = try verifier.addEuRules(name: "eu", rules: [rules], valueSets: [valueSets], ruleTypes: [])
        XCTAssertTrue(info.countries.contains("IE"), "\(info.countries)")
        XCTAssertEqual(info.invalidRules.count, 0)
        XCTAssertEqual(verifier.ruleSetNames(), ["eu"])

        // Vaccination, dose 2 of 2: one event, COVID-19, a complete series: admitted in IE.
        let vaccination = try Fixtures.pass("valid-es256-vaccination")
        let ie = verifier.verifyWith(qr: vaccination, now: at, scan: ScanOptions(acceptance: eu, country: "IE"))
        XCTAssertEqual(ie.admission, .admitted, "\(String(describing: ie.reasonCode))")
        XCTAssertEqual(ie.ruleSet, "eu")
        XCTAssertEqual(ie.ruleResults.map(\.id), ["GR-IE-0000", "GR-IE-0001", "VR-IE-0000", "VR-IE-0002"])
        XCTAssertEqual(Set(ie.ruleResults.map(\.outcome)), [.passed])
        // Slovenian descriptions under SI's own tag "si".
        let si = verifier.verifyWith(qr: vaccination, now: at,
                                     scan: ScanOptions(acceptance: eu, country: "SI", lang: "si"))
        XCTAssertEqual(si.ruleResults.first { $0.id == "VR-SI-0000" }?.description, "Največ en dogodek cepljenja.")

        // The PCR test was sampled three months earlier: TR-IE-0006 (72 hours) fails.
        let test = try Fixtures.pass("valid-es256-test")
        let refused = verifier.verifyWith(qr: test, now: at, scan: ScanOptions(acceptance: eu, country: "IE"))
        XCTAssertEqual(refused.admission, .refused)
        XCTAssertEqual(refused.reason, .rulesFailed)
        XCTAssertEqual(refused.ruleResults.filter { $0.outcome == .failed }.map(\.id), ["TR-IE-0006"])

        // Authenticity only, per scan: valid, admission not evaluated, rules not requested.
        let plain = verifier.verifyWith(qr: test, now: at, scan: ScanOptions(acceptance: .authenticityOnly, country: "IE"))
        XCTAssertTrue(plain.valid)
        XCTAssertEqual(plain.admission, .notEvaluated)
        XCTAssertEqual(plain.admissionCode, "not_evaluated")
        XCTAssertTrue(plain.skipped.contains { $0.check == .rules && $0.reason == .notRequested })

        // An unknown name, and the verifier's own default scan (no country): not applicable.
        let unknown = verifier.verifyWith(qr: vaccination, now: at,
                                          scan: ScanOptions(acceptance: .ruleSet(name: "none"), country: "IE"))
        XCTAssertEqual(unknown.reason, .rulesNotApplicable)
        XCTAssertEqual(verifier.verify(qr: vaccination, now: at).reason, .rulesNotApplicable)
    }

    func testTamperedGatewayRuleChangesNothing() throws {
        let (rules, valueSets) = try production()
        let all = try XCTUnwrap(try JSONSerialization.jsonObject(with: rules) as? [[String: Any]])
        var rule = try XCTUnwrap(all.first { $0["Identifier"] as? String == "VR-IE-0002" })
        rule.removeValue(forKey: "hash")
        let served = try JSONSerialization.data(withJSONObject: rule)
        let verifier = try DccVerifier(trust: [try Fixtures.trust()], acceptance: eu)
        let info = try verifier.addGatewayEuRules(name: "eu", rules: [GatewayRule(hash: SHA256.hex(served), bytes: served)],
                                                  valueSets: [valueSets], ruleTypes: [])
        XCTAssertEqual(info.ruleCount, 1)
        var tampered = served
        tampered.append(contentsOf: Array(" ".utf8))
        XCTAssertThrowsError(try verifier.addGatewayEuRules(name: "other", rules: [GatewayRule(hash: SHA256.hex(served), bytes: tampered)],
                                                            valueSets: [valueSets], ruleTypes: [])) { error in
            guard case let DccError.InvalidEuRules(ruleId, detail) = error else { return XCTFail("unexpected error \(error)") }
            XCTAssertEqual(ruleId, "VR-IE-0002")
            XCTAssertTrue(detail.contains("SHA-256"), detail)
        }
        XCTAssertEqual(verifier.ruleSetNames(), ["eu"])
    }
}
