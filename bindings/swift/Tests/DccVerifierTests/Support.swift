// Fixtures and helpers shared by the XCTest classes: the repository's fixtures/ directory, the
// shared third-party data, the fixture manifest, a lock, threads, and SHA-256 (CryptoKit is
// Apple-only and the tests must run on Linux too).

import DccVerifier
import Foundation
import XCTest

enum Fixtures {
    /// The repository root, from this file's location (bindings/swift/Tests/DccVerifierTests).
    static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<5 { url = url.deletingLastPathComponent() }
        return url
    }()

    /// The verification time of every fixture case.
    static let at = date("2021-09-01T00:00:00Z")

    static func date(_ text: String) -> Date {
        guard let date = ISO8601DateFormatter().date(from: text) else {
            preconditionFailure("bad date literal \(text)")
        }
        return date
    }

    static func data(_ path: String) throws -> Data {
        try Data(contentsOf: root.appendingPathComponent(path))
    }

    /// A pass's text, without the file's trailing newline.
    static func text(_ path: String) throws -> String {
        var text = String(decoding: try data(path), as: UTF8.self)
        while text.hasSuffix("\n") { text.removeLast() }
        return text
    }

    static func pass(_ name: String) throws -> String {
        try text("fixtures/passes/\(name).txt")
    }

    static func trust() throws -> Data {
        try data("fixtures/trust/trustlist.json")
    }

    /// The shared third-party data: $DCC_SHARED_DIR, else ../shared next to the repository.
    /// Absent: the test is skipped, except under CI=true, where it fails.
    static func shared(_ path: String) throws -> URL {
        let environment = ProcessInfo.processInfo.environment
        let base = environment["DCC_SHARED_DIR"].map { URL(fileURLWithPath: $0) }
            ?? root.deletingLastPathComponent().appendingPathComponent("shared")
        let dir = base.appendingPathComponent(path)
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: dir.path, isDirectory: &isDirectory) || !isDirectory.boolValue {
            if environment["CI"] == "true" {
                throw FixtureError.missing("\(dir.path) missing under CI")
            }
            throw XCTSkip("\(dir.path) not found (set DCC_SHARED_DIR)")
        }
        return dir
    }

    /// One entry of fixtures/passes/manifest.json (written by the fixture generator).
    struct Case: Decodable {
        let name: String
        let file: String
        let verdict: String
        let reason: String?
        let checks: [String: String]
    }

    static func manifest() throws -> [Case] {
        try JSONDecoder().decode([Case].self, from: data("fixtures/passes/manifest.json"))
    }
}

enum FixtureError: Error {
    case missing(String)
}

extension Checks {
    /// A check's status by the name the manifest uses (`Check::name` in Rust).
    func status(named name: String) -> CheckStatus? {
        switch name {
        case "prefix": return prefix
        case "base45": return base45
        case "decompress": return decompress
        case "cose": return cose
        case "payload": return payload
        case "signature": return signature
        case "key_usage": return keyUsage
        case "signer_validity": return signerValidity
        case "expiry": return expiry
        case "schema": return schema
        case "revocation": return revocation
        case "rules": return rules
        default: return nil
        }
    }
}

extension CheckStatus {
    /// The manifest's spelling.
    var name: String {
        switch self {
        case .pass: return "pass"
        case .fail: return "fail"
        case .skipped: return "skipped"
        }
    }
}

/// A value shared between threads, behind a lock.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withValue<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }

    var current: Value { withValue { $0 } }
}

/// Runs `body(i)` on `count` new threads at once; returns false if they are not all done
/// within `timeout` seconds.
func onThreads(_ count: Int, timeout: TimeInterval = 60, _ body: @escaping @Sendable (Int) -> Void) -> Bool {
    let group = DispatchGroup()
    for index in 0..<count {
        group.enter()
        Thread {
            body(index)
            group.leave()
        }.start()
    }
    return group.wait(timeout: .now() + timeout) == .success
}

/// SHA-256 (FIPS 180-4), for the French blocklist fingerprints.
enum SHA256 {
    private static let k: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ]

    static func hex(_ message: Data) -> String {
        digest(message).map { String(format: "%02x", $0) }.joined()
    }

    static func digest(_ message: Data) -> [UInt8] {
        var h: [UInt32] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                           0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]
        var bytes = [UInt8](message)
        let bitLength = UInt64(bytes.count) * 8
        bytes.append(0x80)
        while bytes.count % 64 != 56 { bytes.append(0) }
        for shift in stride(from: 56, through: 0, by: -8) {
            bytes.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift)))
        }
        func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 - n)) }
        var w = [UInt32](repeating: 0, count: 64)
        for chunk in stride(from: 0, to: bytes.count, by: 64) {
            for i in 0..<16 {
                let j = chunk + 4 * i
                w[i] = UInt32(bytes[j]) << 24 | UInt32(bytes[j + 1]) << 16
                    | UInt32(bytes[j + 2]) << 8 | UInt32(bytes[j + 3])
            }
            for i in 16..<64 {
                let s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3)
                let s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10)
                w[i] = w[i - 16] &+ s0 &+ w[i - 7] &+ s1
            }
            var (a, b, c, d, e, f, g, hh) = (h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7])
            for i in 0..<64 {
                let s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
                let choice = (e & f) ^ (~e & g)
                let t1 = hh &+ s1 &+ choice &+ k[i] &+ w[i]
                let s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
                let majority = (a & b) ^ (a & c) ^ (b & c)
                let t2 = s0 &+ majority
                (hh, g, f, e, d, c, b, a) = (g, f, e, d &+ t1, c, b, a, t1 &+ t2)
            }
            for (i, value) in [a, b, c, d, e, f, g, hh].enumerated() { h[i] = h[i] &+ value }
        }
        return h.flatMap { word in (0..<4).map { UInt8(truncatingIfNeeded: word >> (24 - 8 * UInt32($0))) } }
    }
}
