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
        let u = Array(text.utf8)
        guard let dollar = u.firstIndex(of: UInt8(ascii: "$")) else { return nil }
        let name = String(decoding: u[..<dollar], as: UTF8.self).lowercased()
        guard let alg = Algorithm(rawValue: name) else { return nil }
        var hex = Array(u[(dollar + 1)...])
        guard hex.count == (alg == .sha256 ? 64 : 32), hex.allSatisfy({ $0.isHexDigit }) else { return nil }
        for i in hex.indices where (65...70).contains(hex[i]) { hex[i] += 32 }
        algorithm = alg
        hexDigest = String(decoding: hex, as: UTF8.self)
    }

    /// Computes the hash of `identifier` with `salt` appended (no separator; an absent salt is empty).
    public static func compute(identifier: String, salt: String?, algorithm: Algorithm = .sha256) -> IdentityHash {
        let input = Array((identifier + (salt ?? "")).utf8)
        let digest = algorithm == .sha256 ? SHA256Digest.hash(input) : MD5Digest.hash(input)
        return IdentityHash(algorithm: algorithm, hexDigest: digest.hexString)
    }

    init(algorithm: Algorithm, hexDigest: String) {
        self.algorithm = algorithm
        self.hexDigest = hexDigest
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
        // Fast path for plain ASCII addresses (the usual case): same result without Foundation.
        let u = email.utf8
        if u.allSatisfy({ $0 < 0x80 }) {
            var bytes = Array(u)
            while let f = bytes.first, f == 0x20 || (0x09...0x0D).contains(f) { bytes.removeFirst() }
            while let l = bytes.last, l == 0x20 || (0x09...0x0D).contains(l) { bytes.removeLast() }
            for i in bytes.indices where (65...90).contains(bytes[i]) { bytes[i] += 32 }
            return String(decoding: bytes, as: UTF8.self)
        }
        return email.trimmingCharacters(in: .whitespacesAndNewlines).precomposedStringWithCanonicalMapping.lowercased()
    }

    /// A light syntax check: one `@`, a non-empty local part, a domain with a dot, no spaces or controls.
    public static func isPlausible(_ email: String) -> Bool {
        let u = Array(email.utf8)
        guard u.count <= 254, let at = u.firstIndex(of: UInt8(ascii: "@")), at > 0 else { return false }
        let domain = u[(at + 1)...]
        guard !domain.isEmpty, !domain.contains(UInt8(ascii: "@")), domain.contains(UInt8(ascii: ".")),
            domain.first != UInt8(ascii: "."), domain.last != UInt8(ascii: ".")
        else { return false }
        if u.allSatisfy({ $0 < 0x80 }) {
            return !u.contains { $0 <= 0x20 || $0 == 0x7F || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">") }
        }
        return !email.unicodeScalars.contains {
            $0.properties.isWhitespace || $0.value < 0x20 || $0 == "<" || $0 == ">"
        }
    }
}
