import Foundation
import GRDB
import InsigneStore
import OpenBadges
import OpenBadgesCrypto

/// Tokens handed to a client at the token endpoint (RFC 6749 §5.1).
struct OAuthTokenResponse: Sendable {
    var accessToken: String
    var refreshToken: String?
    var scopes: [String]

    /// The JSON body.
    var json: JSONValue {
        var o: [String: JSONValue] = [
            "access_token": .string(accessToken), "token_type": "Bearer",
            "expires_in": .number(OAuth.accessLifetime), "scope": .string(scopes.joined(separator: " ")),
        ]
        if let refreshToken { o["refresh_token"] = .string(refreshToken) }
        return .object(o)
    }
}

/// One consent of a learner to a client, as shown on `/backpack/apps`.
struct OAuthGrantSummary: Sendable {
    var client: OAuthClientRecord
    var grantedAt: Date
    var scopes: [String]
}

/// The provider's OAuth state: clients, one-time codes and tokens, all secrets kept as SHA-256 only.
///
/// A grant (one consent) is identified by the hash of the code that started it: its tokens carry it as
/// `grantID`, so replaying a used code (RFC 6749 §4.1.2) or a rotated refresh token revokes the whole grant.
struct OAuthStore: Sendable {
    let db: AppDatabase

    /// A registered client.
    func client(id: String) async throws -> OAuthClientRecord? {
        try await db.writer.read { db in try OAuthClientRecord.fetchOne(db, key: id) }
    }

    /// Registers a client; returns it with its secret (shown once).
    func register(_ registration: ClientRegistration, now: Date = Date()) async throws -> (OAuthClientRecord, String) {
        let secret = try OAuth.newSecret()
        let record = OAuthClientRecord(
            id: "bc-" + (try SecureRandom.hex(byteCount: 16)), secretHash: OAuth.hash(secret),
            metadataJSON: JSONValue.object(registration.metadata).encodedString(),
            redirectURIs: registration.redirectURIs, scopes: registration.scopes.joined(separator: " "), createdAt: now)
        try await db.writer.write { db in try record.insert(db) }
        return (record, secret)
    }

    /// The client whose secret this is (`invalid_client` otherwise; the secret's hash is compared in constant time).
    func authenticate(clientID: String, secret: String) async throws -> OAuthClientRecord {
        let presented = OAuth.hash(secret)
        var client: OAuthClientRecord?
        if clientID.count <= 200 { client = try await self.client(id: clientID) }
        guard WebSecurity.equal(presented, client?.secretHash ?? String(repeating: "0", count: 64)), let client else {
            throw OAuthError.invalidClient
        }
        return client
    }

    /// Records the learner's consent as a one-time code (10 minutes); returns the code.
    func issueCode(
        client: OAuthClientRecord, accountID: String, redirectURI: String, scopes: [String], challenge: String,
        now: Date = Date()
    ) async throws -> String {
        let code = try OAuth.newSecret()
        let record = OAuthCodeRecord(
            codeHash: OAuth.hash(code), clientID: client.id, accountID: accountID, redirectURI: redirectURI,
            scopes: scopes.joined(separator: " "), codeChallenge: challenge,
            expiresAt: now.addingTimeInterval(OAuth.codeLifetime))
        try await db.writer.write { db in
            try db.execute(
                sql: "DELETE FROM oauthCode WHERE expiresAt < ?", arguments: [now.addingTimeInterval(-86400)])
            try record.insert(db)
        }
        return code
    }

    /// `grant_type=authorization_code`: checks the code (single use, unexpired, same client and redirect URI, PKCE)
    /// and issues tokens. A code presented twice revokes every token of its grant.
    func exchange(
        code: String, client: OAuthClientRecord, redirectURI: String, verifier: String, scope: [String]?,
        now: Date = Date()
    ) async throws -> OAuthTokenResponse {
        let codeHash = OAuth.hash(code)
        let fresh = try newTokens()
        let result = try await db.writer.write { db -> Result<OAuthTokenResponse, OAuthError> in
            guard var record = try OAuthCodeRecord.fetchOne(db, key: codeHash), record.clientID == client.id else {
                return .failure(.invalidGrant("unknown authorization code"))
            }
            if record.usedAt != nil {
                try revokeGrant(db, grantID: codeHash, now: now)
                return .failure(.invalidGrant("authorization code already used: its tokens are revoked"))
            }
            record.usedAt = now
            try record.update(db)
            guard record.expiresAt > now else { return .failure(.invalidGrant("authorization code expired")) }
            guard record.redirectURI == redirectURI else {
                return .failure(.invalidGrant("redirect_uri does not match"))
            }
            guard OAuth.pkceMatches(verifier: verifier, challenge: record.codeChallenge) else {
                return .failure(.invalidGrant("code_verifier does not match the code_challenge"))
            }
            let scopes: [String]
            switch OAuth.narrowed(scope, granted: record.scopes, exceeding: "consent") {
            case .success(let s): scopes = s
            case .failure(let e): return .failure(e)
            }
            return .success(
                try insertTokens(
                    db, fresh, client: client, accountID: record.accountID, scopes: scopes, grantID: codeHash, now: now)
            )
        }
        return try result.get()
    }

    /// `grant_type=refresh_token`: rotates the refresh token (the old one is revoked; replaying it revokes the grant).
    func refresh(
        token: String, client: OAuthClientRecord, scope: [String]?, now: Date = Date()
    ) async throws -> OAuthTokenResponse {
        let hash = OAuth.hash(token)
        let fresh = try newTokens()
        let result = try await db.writer.write { db -> Result<OAuthTokenResponse, OAuthError> in
            guard var record = try OAuthTokenRecord.fetchOne(db, key: hash), record.kind == .refresh,
                record.clientID == client.id
            else { return .failure(.invalidGrant("unknown refresh token")) }
            if record.revokedAt != nil {
                try revokeGrant(db, grantID: record.grantID, now: now)
                return .failure(.invalidGrant("refresh token revoked"))
            }
            guard record.expiresAt > now else { return .failure(.invalidGrant("refresh token expired")) }
            let scopes: [String]
            switch OAuth.narrowed(scope, granted: record.scopes, exceeding: "grant") {
            case .success(let s): scopes = s
            case .failure(let e): return .failure(e)
            }
            record.revokedAt = now
            try record.update(db)
            return .success(
                try insertTokens(
                    db, fresh, client: client, accountID: record.accountID, scopes: scopes, grantID: record.grantID,
                    now: now))
        }
        return try result.get()
    }

    /// RFC 7009: revokes an access token, or a refresh token with its whole grant. Unknown tokens, and tokens of
    /// another client, are silently ignored (the answer is 200 either way).
    func revoke(token: String, client: OAuthClientRecord, now: Date = Date()) async throws {
        let hash = OAuth.hash(token)
        try await db.writer.write { db in
            guard var record = try OAuthTokenRecord.fetchOne(db, key: hash), record.clientID == client.id else {
                return
            }
            switch record.kind {
            case .refresh: try revokeGrant(db, grantID: record.grantID, now: now)
            case .access:
                if record.revokedAt == nil {
                    record.revokedAt = now
                    try record.update(db)
                }
            }
        }
    }

    /// The live access token and its learner, or nil (unknown, expired, revoked, account erased or not a learner).
    func accessToken(_ token: String, now: Date = Date()) async throws -> (OAuthTokenRecord, AccountRecord)? {
        guard !token.isEmpty, token.utf8.count <= 512 else { return nil }
        let hash = OAuth.hash(token)
        return try await db.writer.read { db in
            guard let t = try OAuthTokenRecord.fetchOne(db, key: hash), t.kind == .access, t.revokedAt == nil,
                t.expiresAt > now, let a = try AccountRecord.fetchOne(db, key: t.accountID), a.role == .learner,
                a.erasedAt == nil
            else { return nil }
            return (t, a)
        }
    }

    /// The learner's live grants, one per client, oldest consent first.
    func grants(accountID: String, now: Date = Date()) async throws -> [OAuthGrantSummary] {
        try await db.writer.read { db in
            let live =
                try OAuthTokenRecord
                .filter(Column("accountID") == accountID && Column("revokedAt") == nil && Column("expiresAt") > now)
                .fetchAll(db)
            var byClient: [String: OAuthGrantSummary] = [:]
            for t in live {
                let first =
                    try Date.fetchOne(
                        db, sql: "SELECT MIN(createdAt) FROM oauthToken WHERE grantID = ?", arguments: [t.grantID])
                    ?? t.createdAt
                if var g = byClient[t.clientID] {
                    g.grantedAt = min(g.grantedAt, first)
                    g.scopes = OAuth.offered.filter { g.scopes.contains($0) || OAuth.scopes(t.scopes).contains($0) }
                    byClient[t.clientID] = g
                } else if let c = try OAuthClientRecord.fetchOne(db, key: t.clientID) {
                    byClient[t.clientID] = OAuthGrantSummary(
                        client: c, grantedAt: first, scopes: OAuth.reduce(OAuth.scopes(t.scopes), to: OAuth.offered))
                }
            }
            return byClient.values.sorted { $0.grantedAt < $1.grantedAt }
        }
    }

    /// The resource owner withdraws a client's access: every token of theirs for that client is revoked, and codes
    /// not yet exchanged are spent.
    @discardableResult
    func revokeClient(_ clientID: String, accountID: String, now: Date = Date()) async throws -> Int {
        try await db.writer.write { db in
            try OAuthCodeRecord
                .filter(Column("clientID") == clientID && Column("accountID") == accountID && Column("usedAt") == nil)
                .updateAll(db, Column("usedAt").set(to: now))
            return
                try OAuthTokenRecord
                .filter(
                    Column("clientID") == clientID && Column("accountID") == accountID && Column("revokedAt") == nil
                )
                .updateAll(db, Column("revokedAt").set(to: now))
        }
    }

    // MARK: - Helpers

    private func newTokens() throws -> (access: String, refresh: String) {
        (try OAuth.newSecret(), try OAuth.newSecret())
    }

    private func revokeGrant(_ db: Database, grantID: String, now: Date) throws {
        try OAuthTokenRecord.filter(Column("grantID") == grantID && Column("revokedAt") == nil)
            .updateAll(db, Column("revokedAt").set(to: now))
    }

    /// Inserts an access token, and a refresh token when `offline_access` is granted to a client allowed to refresh.
    private func insertTokens(
        _ db: Database, _ fresh: (access: String, refresh: String), client: OAuthClientRecord, accountID: String,
        scopes: [String], grantID: String, now: Date
    ) throws -> OAuthTokenResponse {
        let joined = scopes.joined(separator: " ")
        try OAuthTokenRecord(
            tokenHash: OAuth.hash(fresh.access), kind: .access, clientID: client.id, accountID: accountID,
            scopes: joined,
            grantID: grantID, createdAt: now, expiresAt: now.addingTimeInterval(OAuth.accessLifetime)
        ).insert(db)
        var response = OAuthTokenResponse(accessToken: fresh.access, refreshToken: nil, scopes: scopes)
        if scopes.contains(OAuth.offlineAccess), OAuth.scopes(client.scopes).contains(OAuth.offlineAccess) {
            try OAuthTokenRecord(
                tokenHash: OAuth.hash(fresh.refresh), kind: .refresh, clientID: client.id, accountID: accountID,
                scopes: joined, grantID: grantID, createdAt: now,
                expiresAt: now.addingTimeInterval(OAuth.refreshLifetime)
            ).insert(db)
            response.refreshToken = fresh.refresh
        }
        return response
    }
}
