import Foundation
import HTTPTypes
import Hummingbird
import InsigneStore
import OpenBadgesCrypto

// MARK: - Forms

/// An `application/x-www-form-urlencoded` body or a query string, decoded leniently: malformed percent escapes
/// are kept as text and invalid UTF-8 is replaced, so garbage input gives a validation message, never a crash.
struct WebForm: Sendable {
    private(set) var values: [String: [String]] = [:]
    /// Uploaded files (multipart forms only).
    var files: [String: MultipartPart] = [:]

    init() {}

    init(urlEncoded bytes: [UInt8]) {
        for pair in bytes.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let kv = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.decode(kv[0])
            let value = kv.count > 1 ? Self.decode(kv[1]) : ""
            add(name, value)
        }
    }

    mutating func add(_ name: String, _ value: String) {
        guard values.count < 200 || values[name] != nil else { return }
        values[name, default: []].append(value)
    }

    /// The first value of a field, or "".
    subscript(_ name: String) -> String { values[name]?.first ?? "" }

    /// The first value, trimmed; nil when empty.
    func optional(_ name: String) -> String? {
        let v = self[name].trimmingCharacters(in: .whitespacesAndNewlines)
        return v.isEmpty ? nil : v
    }

    static func decode<S: Collection>(_ part: S) -> String where S.Element == UInt8 {
        var out = [UInt8]()
        out.reserveCapacity(part.count)
        var i = part.startIndex
        func hex(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: c - 48
            case 97...102: c - 87
            case 65...70: c - 55
            default: nil
            }
        }
        while i != part.endIndex {
            let c = part[i]
            if c == UInt8(ascii: "+") {
                out.append(0x20)
            } else if c == UInt8(ascii: "%"), let a = part.index(i, offsetBy: 1, limitedBy: part.endIndex),
                a != part.endIndex,
                let b = part.index(a, offsetBy: 1, limitedBy: part.endIndex), b != part.endIndex,
                let h = hex(part[a]), let l = hex(part[b])
            {
                out.append(h << 4 | l)
                i = b
            } else {
                out.append(c)
            }
            i = part.index(after: i)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Percent-encodes a query value.
    static func encode(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}

// MARK: - Security helpers

enum WebSecurity {
    /// Constant-time comparison of two tokens (the length is not secret).
    static func equal(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count, !x.isEmpty else { return false }
        var diff: UInt8 = 0
        for i in 0..<x.count { diff |= x[i] ^ y[i] }
        return diff == 0
    }

    /// A `Set-Cookie` value.
    static func cookie(_ name: String, _ value: String, maxAge: Int?, secure: Bool, httpOnly: Bool = true) -> String {
        var c = "\(name)=\(value); Path=/; SameSite=Lax"
        if let maxAge { c += "; Max-Age=\(maxAge)" }
        if httpOnly { c += "; HttpOnly" }
        if secure { c += "; Secure" }
        return c
    }

    /// A safe local redirect target (trainer pages, or a Badge Connect consent request), or `/trainer`.
    static func localNext(_ next: String) -> String {
        guard next.hasPrefix("/trainer") || next.hasPrefix("/oauth/authorize?"), !next.contains("//"),
            !next.contains("\\"),
            !next.unicodeScalars.contains(where: { $0.value < 0x20 })
        else { return "/trainer" }
        return next
    }
}

// MARK: - Sessions

/// Browser sessions: the cookie holds a random token, the database only its SHA-256.
struct WebSessionStore: Sendable {
    static let cookieName = "insigne_session"
    static let lifetime: TimeInterval = 8 * 3600
    let db: AppDatabase

    /// Creates a session for the account; returns the cookie token.
    func create(accountID: String, now: Date = Date()) async throws -> (token: String, record: WebSessionRecord) {
        let token = try SecureRandom.hex(byteCount: 32)
        let record = WebSessionRecord(
            tokenHash: SHA256Digest.hexHash(Array(token.utf8)), accountID: accountID,
            csrfToken: try SecureRandom.hex(byteCount: 32), expiresAt: now.addingTimeInterval(Self.lifetime))
        try await db.createWebSession(record, now: now)
        return (token, record)
    }

    /// The live session and its account for a cookie token.
    func find(token: String, now: Date = Date()) async throws -> (AccountRecord, WebSessionRecord)? {
        guard token.count == 64, token.allSatisfy(\.isHexDigit) else { return nil }
        let hash = SHA256Digest.hexHash(Array(token.utf8))
        return try await db.liveWebSession(tokenHash: hash, now: now)
    }

    /// Deletes the session of a cookie token.
    func delete(token: String) async throws {
        let hash = SHA256Digest.hexHash(Array(token.utf8))
        try await db.deleteWebSession(tokenHash: hash)
    }
}

extension ServiceError {
    /// The message without the `« field » : ` prefix that Validation adds (the page shows it next to the field).
    func fieldMessage(english: Bool) -> String {
        let m = english ? messageEN : messageFR
        for sep in [" » : ", "\": "] {
            if let r = m.range(of: sep), m.hasPrefix("«") || m.hasPrefix("\"") {
                let rest = m[r.upperBound...]
                return rest.prefix(1).uppercased() + rest.dropFirst()
            }
        }
        return m.prefix(1).uppercased() + m.dropFirst()
    }
}

extension [UInt8] {
    var trimmingWhitespaceIsEmpty: Bool { allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D } }
}
