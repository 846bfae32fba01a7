import Foundation
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
        try await db.oauthClient(id: id)
    }

    /// Registers a client; returns it with its secret (shown once).
    func register(_ registration: ClientRegistration, now: Date = Date()) async throws -> (OAuthClientRecord, String) {
        let secret = try OAuth.newSecret()
        let record = OAuthClientRecord(
            id: "bc-" + (try SecureRandom.hex(byteCount: 16)), secretHash: OAuth.hash(secret),
            metadataJSON: JSONValue.object(registration.metadata).encodedString(),
            redirectURIs: registration.redirectURIs, scopes: registration.scopes.joined(separator: " "), createdAt: now)
        try await db.registerOAuthClient(record)
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
        try await db.storeOAuthCode(record, now: now)
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
        let outcome = try await db.redeemOAuthCode(codeHash: codeHash, clientID: client.id, now: now) {
            record -> Result<(tokens: [OAuthTokenRecord], issued: OAuthTokenResponse), OAuthError> in
            guard record.expiresAt > now else { return .failure(.invalidGrant("authorization code expired")) }
            guard record.redirectURI == redirectURI else {
                return .failure(.invalidGrant("redirect_uri does not match"))
            }
            guard OAuth.pkceMatches(verifier: verifier, challenge: record.codeChallenge) else {
                return .failure(.invalidGrant("code_verifier does not match the code_challenge"))
            }
            return OAuth.narrowed(scope, granted: record.scopes, exceeding: "consent").map { scopes in
                Self.tokens(
                    fresh, client: client, accountID: record.accountID, scopes: scopes, grantID: codeHash, now: now)
            }
        }
        switch outcome {
        case .unknown: throw OAuthError.invalidGrant("unknown authorization code")
        case .replayed: throw OAuthError.invalidGrant("authorization code already used: its tokens are revoked")
        case .refused(let e): throw e
        case .issued(let response): return response
        }
    }

    /// `grant_type=refresh_token`: rotates the refresh token (the old one is revoked; replaying it revokes the grant).
    func refresh(
        token: String, client: OAuthClientRecord, scope: [String]?, now: Date = Date()
    ) async throws -> OAuthTokenResponse {
        let hash = OAuth.hash(token)
        let fresh = try newTokens()
        let outcome = try await db.rotateOAuthRefreshToken(tokenHash: hash, clientID: client.id, now: now) {
            record -> Result<(tokens: [OAuthTokenRecord], issued: OAuthTokenResponse), OAuthError> in
            guard record.expiresAt > now else { return .failure(.invalidGrant("refresh token expired")) }
            return OAuth.narrowed(scope, granted: record.scopes, exceeding: "grant").map { scopes in
                Self.tokens(
                    fresh, client: client, accountID: record.accountID, scopes: scopes, grantID: record.grantID,
                    now: now)
            }
        }
        switch outcome {
        case .unknown: throw OAuthError.invalidGrant("unknown refresh token")
        case .replayed: throw OAuthError.invalidGrant("refresh token revoked")
        case .refused(let e): throw e
        case .issued(let response): return response
        }
    }

    /// RFC 7009: revokes an access token, or a refresh token with its whole grant. Unknown tokens, and tokens of
    /// another client, are silently ignored (the answer is 200 either way).
    func revoke(token: String, client: OAuthClientRecord, now: Date = Date()) async throws {
        let hash = OAuth.hash(token)
        try await db.revokeOAuthToken(tokenHash: hash, clientID: client.id, now: now)
    }

    /// The live access token and its learner, or nil (unknown, expired, revoked, account erased or not a learner).
    func accessToken(_ token: String, now: Date = Date()) async throws -> (OAuthTokenRecord, AccountRecord)? {
        guard !token.isEmpty, token.utf8.count <= 512 else { return nil }
        let hash = OAuth.hash(token)
        return try await db.liveOAuthAccess(tokenHash: hash, now: now)
    }

    /// The learner's live grants, one per client, oldest consent first.
    func grants(accountID: String, now: Date = Date()) async throws -> [OAuthGrantSummary] {
        var byClient: [String: OAuthGrantSummary] = [:]
        for live in try await db.liveOAuthTokens(accountID: accountID, now: now) {
            let t = live.token
            if var g = byClient[t.clientID] {
                g.grantedAt = min(g.grantedAt, live.grantedAt)
                g.scopes = OAuth.offered.filter { g.scopes.contains($0) || OAuth.scopes(t.scopes).contains($0) }
                byClient[t.clientID] = g
            } else if let c = live.client {
                byClient[t.clientID] = OAuthGrantSummary(
                    client: c, grantedAt: live.grantedAt,
                    scopes: OAuth.reduce(OAuth.scopes(t.scopes), to: OAuth.offered))
            }
        }
        return byClient.values.sorted { $0.grantedAt < $1.grantedAt }
    }

    /// The resource owner withdraws a client's access: every token of theirs for that client is revoked, and codes
    /// not yet exchanged are spent.
    @discardableResult
    func revokeClient(_ clientID: String, accountID: String, now: Date = Date()) async throws -> Int {
        try await db.revokeOAuthClient(clientID, accountID: accountID, now: now)
    }

    // MARK: - Helpers

    private func newTokens() throws -> (access: String, refresh: String) {
        (try OAuth.newSecret(), try OAuth.newSecret())
    }

    /// The tokens to store for a grant: an access token, and a refresh token when `offline_access` is granted to a
    /// client allowed to refresh; with the answer the client gets.
    private static func tokens(
        _ fresh: (access: String, refresh: String), client: OAuthClientRecord, accountID: String, scopes: [String],
        grantID: String, now: Date
    ) -> (tokens: [OAuthTokenRecord], issued: OAuthTokenResponse) {
        let joined = scopes.joined(separator: " ")
        var tokens = [
            OAuthTokenRecord(
                tokenHash: OAuth.hash(fresh.access), kind: .access, clientID: client.id, accountID: accountID,
                scopes: joined, grantID: grantID, createdAt: now,
                expiresAt: now.addingTimeInterval(OAuth.accessLifetime))
        ]
        var response = OAuthTokenResponse(accessToken: fresh.access, refreshToken: nil, scopes: scopes)
        if scopes.contains(OAuth.offlineAccess), OAuth.scopes(client.scopes).contains(OAuth.offlineAccess) {
            tokens.append(
                OAuthTokenRecord(
                    tokenHash: OAuth.hash(fresh.refresh), kind: .refresh, clientID: client.id, accountID: accountID,
                    scopes: joined, grantID: grantID, createdAt: now,
                    expiresAt: now.addingTimeInterval(OAuth.refreshLifetime)))
            response.refreshToken = fresh.refresh
        }
        return (tokens, response)
    }
}
