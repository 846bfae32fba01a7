import Foundation
import InsigneStore
import OpenBadgesCrypto

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
