import Foundation
import GRDB

/// What presenting an OAuth code or refresh token did. The caller's `decide` closure (run inside the transaction)
/// chose between issuing tokens and refusing.
public enum OAuthRedemption<Issued: Sendable, Refusal: Error>: Sendable {
    /// No such code or refresh token for this client: nothing written.
    case unknown
    /// Presented a second time: every token of its grant is now revoked.
    case replayed
    /// `decide` refused; for a code, the code is spent all the same.
    case refused(Refusal)
    /// `decide` accepted: its tokens are stored.
    case issued(Issued)
}

/// A live token of a learner, with when its grant started and its client (nil when the client is gone).
public struct OAuthLiveToken: Sendable, Equatable {
    /// The token.
    public var token: OAuthTokenRecord
    /// When the first token of its grant was issued (the learner's consent).
    public var grantedAt: Date
    /// Its client.
    public var client: OAuthClientRecord?
}

extension AppDatabase {
    /// A registered Badge Connect client.
    public func oauthClient(id: String) async throws -> OAuthClientRecord? {
        try await writer.read { db in try OAuthClientRecord.fetchOne(db, key: id) }
    }

    /// Registers a client.
    public func registerOAuthClient(_ client: OAuthClientRecord) async throws {
        try await writer.write { db in try client.insert(db) }
    }

    /// Stores a one-time code, deleting codes expired for more than a day in the same transaction.
    public func storeOAuthCode(_ code: OAuthCodeRecord, now: Date = Date()) async throws {
        try await writer.write { db in
            try OAuthCodeRecord.filter { $0.expiresAt < now.addingTimeInterval(-86400) }.deleteAll(db)
            try code.insert(db)
        }
    }

    /// Redeems a code in one transaction: unknown (or another client's) → `.unknown`; already used → its grant
    /// (whose id is the code hash) is revoked, `.replayed`; otherwise the code is spent, then `decide` returns the
    /// tokens to store (all with `grantID == codeHash`) and what to answer, or a refusal.
    public func redeemOAuthCode<Issued: Sendable, Refusal: Error>(
        codeHash: String, clientID: String, now: Date = Date(),
        decide: @escaping @Sendable (OAuthCodeRecord) -> Result<(tokens: [OAuthTokenRecord], issued: Issued), Refusal>
    ) async throws -> OAuthRedemption<Issued, Refusal> {
        try await writer.write { db in
            guard var record = try OAuthCodeRecord.fetchOne(db, key: codeHash), record.clientID == clientID else {
                return .unknown
            }
            if record.usedAt != nil {
                try Self.revokeOAuthGrant(db, grantID: codeHash, now: now)
                return .replayed
            }
            record.usedAt = now
            try record.update(db)
            switch decide(record) {
            case .failure(let refusal): return .refused(refusal)
            case .success(let out):
                for t in out.tokens { try t.insert(db) }
                return .issued(out.issued)
            }
        }
    }

    /// Rotates a refresh token in one transaction: unknown (or not a refresh token, or another client's) →
    /// `.unknown`; already revoked → its whole grant is revoked, `.replayed`; otherwise `decide` returns the new
    /// tokens (nothing written on a refusal), and on success the presented token is revoked and the new ones stored.
    public func rotateOAuthRefreshToken<Issued: Sendable, Refusal: Error>(
        tokenHash: String, clientID: String, now: Date = Date(),
        decide: @escaping @Sendable (OAuthTokenRecord) -> Result<(tokens: [OAuthTokenRecord], issued: Issued), Refusal>
    ) async throws -> OAuthRedemption<Issued, Refusal> {
        try await writer.write { db in
            guard var record = try OAuthTokenRecord.fetchOne(db, key: tokenHash), record.kind == .refresh,
                record.clientID == clientID
            else { return .unknown }
            if record.revokedAt != nil {
                try Self.revokeOAuthGrant(db, grantID: record.grantID, now: now)
                return .replayed
            }
            switch decide(record) {
            case .failure(let refusal): return .refused(refusal)
            case .success(let out):
                record.revokedAt = now
                try record.update(db)
                for t in out.tokens { try t.insert(db) }
                return .issued(out.issued)
            }
        }
    }

    /// RFC 7009 in one transaction: revokes an access token, or a refresh token with its whole grant. Unknown
    /// tokens and another client's are ignored.
    public func revokeOAuthToken(tokenHash: String, clientID: String, now: Date = Date()) async throws {
        try await writer.write { db in
            guard var record = try OAuthTokenRecord.fetchOne(db, key: tokenHash), record.clientID == clientID else {
                return
            }
            switch record.kind {
            case .refresh: try Self.revokeOAuthGrant(db, grantID: record.grantID, now: now)
            case .access:
                if record.revokedAt == nil {
                    record.revokedAt = now
                    try record.update(db)
                }
            }
        }
    }

    /// The live access token with this hash and its learner, or nil (unknown, expired, revoked, account erased or
    /// not a learner).
    public func liveOAuthAccess(tokenHash: String, now: Date = Date()) async throws
        -> (OAuthTokenRecord, AccountRecord)?
    {
        try await writer.read { db in
            guard let t = try OAuthTokenRecord.fetchOne(db, key: tokenHash), t.kind == .access, t.revokedAt == nil,
                t.expiresAt > now, let a = try AccountRecord.fetchOne(db, key: t.accountID), a.role == .learner,
                a.erasedAt == nil
            else { return nil }
            return (t, a)
        }
    }

    /// A learner's live (unrevoked, unexpired) tokens, each with its grant's start and its client, read at once.
    public func liveOAuthTokens(accountID: String, now: Date = Date()) async throws -> [OAuthLiveToken] {
        try await writer.read { db in
            let live =
                try OAuthTokenRecord
                .filter { $0.accountID == accountID && $0.revokedAt == nil && $0.expiresAt > now }
                .fetchAll(db)
            return try live.map { t in
                let first =
                    try Date.fetchOne(
                        db, sql: "SELECT MIN(createdAt) FROM oauthToken WHERE grantID = ?", arguments: [t.grantID])
                    ?? t.createdAt
                return OAuthLiveToken(
                    token: t, grantedAt: first, client: try OAuthClientRecord.fetchOne(db, key: t.clientID))
            }
        }
    }

    /// The learner withdraws a client's access, in one transaction: codes not yet exchanged are spent and every
    /// live token revoked; returns how many tokens were revoked.
    @discardableResult
    public func revokeOAuthClient(_ clientID: String, accountID: String, now: Date = Date()) async throws -> Int {
        try await writer.write { db in
            try OAuthCodeRecord
                .filter { $0.clientID == clientID && $0.accountID == accountID && $0.usedAt == nil }
                .updateAll(db) { $0.usedAt.set(to: now) }
            return
                try OAuthTokenRecord
                .filter {
                    $0.clientID == clientID && $0.accountID == accountID && $0.revokedAt == nil
                }
                .updateAll(db) { $0.revokedAt.set(to: now) }
        }
    }

    /// Revokes every live token of a grant.
    static func revokeOAuthGrant(_ db: Database, grantID: String, now: Date) throws {
        try OAuthTokenRecord.filter { $0.grantID == grantID && $0.revokedAt == nil }
            .updateAll(db) { $0.revokedAt.set(to: now) }
    }
}
