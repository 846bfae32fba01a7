import Foundation
import OpenBadgesCrypto

/// A hashed recipient identity: `alg$hex(H(identifier ‖ salt))`, with alg `sha256` or `md5`.
public struct IdentityHash: Sendable, Equatable {
    /// Supported hash algorithms.
    public enum Algorithm: String, Sendable { case sha256, md5 }

    /// The algorithm.
    public var algorithm: Algorithm
    /// Lowercase hex digest.
    public var hexDigest: String

    /// Parses `sha256$<64 hex>` or `md5$<32 hex>` (hex in either case); nil otherwise.
    public init?(_ text: String) {
        guard let dollar = text.firstIndex(of: "$") else { return nil }
        guard let alg = Algorithm(rawValue: String(text[..<dollar]).lowercased()) else { return nil }
        let hex = text[text.index(after: dollar)...]
        let expected = alg == .sha256 ? 64 : 32
        guard hex.utf8.count == expected, hex.utf8.allSatisfy({ $0.isHexDigit }) else { return nil }
        algorithm = alg
        hexDigest = hex.lowercased()
    }

    /// Computes the hash of `identifier` with `salt` appended (no separator; an absent salt is empty).
    public static func compute(identifier: String, salt: String?, algorithm: Algorithm = .sha256) -> IdentityHash {
        let input = Array((identifier + (salt ?? "")).utf8)
        let digest = algorithm == .sha256 ? SHA256Digest.hash(input) : MD5Digest.hash(input)
        var h = IdentityHash("sha256$" + String(repeating: "0", count: 64))!
        h.algorithm = algorithm
        h.hexDigest = digest.hexString
        return h
    }

    /// Whether this hash is the hash of `identifier` with `salt`; the comparison is case-insensitive on hex.
    public func matches(identifier: String, salt: String?) -> Bool {
        IdentityHash.compute(identifier: identifier, salt: salt, algorithm: algorithm).hexDigest == hexDigest
    }

    /// `alg$hex`.
    public var text: String { "\(algorithm.rawValue)$\(hexDigest)" }
}

extension UInt8 {
    var isHexDigit: Bool {
        (48...57).contains(self) || (65...70).contains(self) || (97...102).contains(self)
    }
}

extension Array where Element == UInt8 {
    /// Lowercase hex.
    var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(count * 2)
        for b in self {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// How Insigne normalises an email address before hashing it (documented in the README):
/// surrounding white space removed, Unicode NFC, the whole address lowercased.
public enum EmailNormalization {
    /// Normalises an email address.
    public static func normalize(_ email: String) -> String {
        email.trimmingCharacters(in: .whitespacesAndNewlines).precomposedStringWithCanonicalMapping.lowercased()
    }

    /// A light syntax check: one `@`, a non-empty local part, a domain with a dot, no spaces or controls.
    public static func isPlausible(_ email: String) -> Bool {
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), email.utf8.count <= 254 else {
            return false
        }
        guard !parts[1].hasPrefix("."), !parts[1].hasSuffix(".") else { return false }
        return !email.unicodeScalars.contains { $0.properties.isWhitespace || $0.value < 0x20 || $0 == "<" || $0 == ">" }
    }
}
