import Foundation
import GRDB
import Testing

@testable import InsigneStore

/// Badge Connect's OAuth state in the store: one-time codes, token rotation, replays revoking the grant, and the
/// learner withdrawing a client.
@Suite("Badge Connect store")
struct BadgeConnectStoreTests {
    typealias F = IssuingFixture
    struct Refusal: Error, Equatable { var why: String }
    typealias Decision = Result<(tokens: [OAuthTokenRecord], issued: String), Refusal>

    static let now = F.start

    static func database() async throws -> AppDatabase {
        let db = try await F.database()
        try await db.registerOAuthClient(
            OAuthClientRecord(
                id: "bc-app", secretHash: "secret", metadataJSON: "{}", redirectURIs: ["https://app.example/cb"],
                scopes: "a b offline_access", createdAt: now))
        try await db.storeOAuthCode(
            OAuthCodeRecord(
                codeHash: "code", clientID: "bc-app", accountID: "lea", redirectURI: "https://app.example/cb",
                scopes: "a b", codeChallenge: "c", expiresAt: now.addingTimeInterval(600)), now: now)
        return db
    }

    static func token(_ hash: String, _ kind: OAuthTokenRecord.Kind, grant: String, at date: Date = now)
        -> OAuthTokenRecord
    {
        OAuthTokenRecord(
            tokenHash: hash, kind: kind, clientID: "bc-app", accountID: "lea", scopes: "a", grantID: grant,
            createdAt: date, expiresAt: date.addingTimeInterval(3600))
    }

    static func token(_ db: AppDatabase, _ hash: String) async throws -> OAuthTokenRecord? {
        try await db.writer.read { db in try OAuthTokenRecord.fetchOne(db, key: hash) }
    }

    @Test func aCodeIsRedeemedOnceAndAReplayRevokesItsGrant() async throws {
        let db = try await Self.database()
        #expect(try await db.oauthClient(id: "bc-app")?.scopes == "a b offline_access")
        let wrongClient = try await db.redeemOAuthCode(codeHash: "code", clientID: "other", now: Self.now) {
            _ -> Decision in .failure(Refusal(why: "never asked"))
        }
        guard case .unknown = wrongClient else {
            Issue.record("\(wrongClient)")
            return
        }
        let first = try await db.redeemOAuthCode(codeHash: "code", clientID: "bc-app", now: Self.now) {
            code -> Decision in
            #expect(code.accountID == "lea" && code.usedAt == Self.now)
            return .success(
                ([Self.token("t1", .access, grant: "code"), Self.token("r1", .refresh, grant: "code")], "ok"))
        }
        guard case .issued("ok") = first else {
            Issue.record("\(first)")
            return
        }
        #expect(try await db.liveOAuthAccess(tokenHash: "t1", now: Self.now)?.1.id == "lea")
        #expect(try await db.liveOAuthAccess(tokenHash: "r1", now: Self.now) == nil)  // a refresh token opens nothing

        let replay = try await db.redeemOAuthCode(codeHash: "code", clientID: "bc-app", now: Self.now) {
            _ -> Decision in .success(([Self.token("t2", .access, grant: "code")], "again"))
        }
        guard case .replayed = replay else {
            Issue.record("\(replay)")
            return
        }
        #expect(try await Self.token(db, "t1")?.revokedAt == Self.now)
        #expect(try await Self.token(db, "r1")?.revokedAt == Self.now)
        #expect(try await Self.token(db, "t2") == nil)
    }

    @Test func aRefusedCodeIsSpentAllTheSame() async throws {
        let db = try await Self.database()
        let refused = try await db.redeemOAuthCode(codeHash: "code", clientID: "bc-app", now: Self.now) {
            _ -> Decision in .failure(Refusal(why: "pkce"))
        }
        guard case .refused(let r) = refused else {
            Issue.record("\(refused)")
            return
        }
        #expect(r.why == "pkce")
        let again = try await db.redeemOAuthCode(codeHash: "code", clientID: "bc-app", now: Self.now) {
            _ -> Decision in .success(([], "late"))
        }
        guard case .replayed = again else {
            Issue.record("\(again)")
            return
        }
    }

    @Test func refreshTokensRotateAndAReplayRevokesTheGrant() async throws {
        let db = try await Self.database()
        _ = try await db.redeemOAuthCode(codeHash: "code", clientID: "bc-app", now: Self.now) { _ -> Decision in
            .success(([Self.token("t1", .access, grant: "code"), Self.token("r1", .refresh, grant: "code")], ""))
        }
        let notRefresh = try await db.rotateOAuthRefreshToken(tokenHash: "t1", clientID: "bc-app") { _ -> Decision in
            .success(([], ""))
        }
        guard case .unknown = notRefresh else {
            Issue.record("\(notRefresh)")
            return
        }
        let refused = try await db.rotateOAuthRefreshToken(tokenHash: "r1", clientID: "bc-app") { _ -> Decision in
            .failure(Refusal(why: "scope"))
        }
        guard case .refused = refused else {
            Issue.record("\(refused)")
            return
        }
        #expect(try await Self.token(db, "r1")?.revokedAt == nil)  // a refusal writes nothing

        let later = Self.now.addingTimeInterval(60)
        let rotated = try await db.rotateOAuthRefreshToken(tokenHash: "r1", clientID: "bc-app", now: later) {
            old -> Decision in
            .success(
                (
                    [Self.token("t2", .access, grant: old.grantID), Self.token("r2", .refresh, grant: old.grantID)],
                    "new"
                ))
        }
        guard case .issued("new") = rotated else {
            Issue.record("\(rotated)")
            return
        }
        #expect(try await Self.token(db, "r1")?.revokedAt == later)
        #expect(try await Self.token(db, "t1")?.revokedAt == nil)

        let replay = try await db.rotateOAuthRefreshToken(tokenHash: "r1", clientID: "bc-app", now: later) {
            _ -> Decision in .success(([], ""))
        }
        guard case .replayed = replay else {
            Issue.record("\(replay)")
            return
        }
        for hash in ["t1", "t2", "r2"] { #expect(try await Self.token(db, hash)?.revokedAt == later) }
    }

    @Test func revokingATokenAndWithdrawingAClient() async throws {
        let db = try await Self.database()
        _ = try await db.redeemOAuthCode(codeHash: "code", clientID: "bc-app", now: Self.now) { _ -> Decision in
            .success(([Self.token("t1", .access, grant: "code"), Self.token("r1", .refresh, grant: "code")], ""))
        }
        let live = try await db.liveOAuthTokens(accountID: "lea", now: Self.now)
        #expect(live.map(\.token.tokenHash).sorted() == ["r1", "t1"])
        #expect(live.allSatisfy { $0.grantedAt == Self.now && $0.client?.id == "bc-app" })
        #expect(try await db.liveOAuthTokens(accountID: "staff", now: Self.now).isEmpty)

        try await db.revokeOAuthToken(tokenHash: "t1", clientID: "other", now: Self.now)  // another client's: ignored
        #expect(try await Self.token(db, "t1")?.revokedAt == nil)
        try await db.revokeOAuthToken(tokenHash: "t1", clientID: "bc-app", now: Self.now)
        #expect(try await Self.token(db, "t1")?.revokedAt == Self.now)
        #expect(try await Self.token(db, "r1")?.revokedAt == nil)

        try await db.storeOAuthCode(
            OAuthCodeRecord(
                codeHash: "code2", clientID: "bc-app", accountID: "lea", redirectURI: "https://app.example/cb",
                scopes: "a", codeChallenge: "c", expiresAt: Self.now.addingTimeInterval(600)), now: Self.now)
        #expect(try await db.revokeOAuthClient("bc-app", accountID: "lea", now: Self.now) == 1)
        #expect(try await db.liveOAuthTokens(accountID: "lea", now: Self.now).isEmpty)
        let spent = try await db.redeemOAuthCode(codeHash: "code2", clientID: "bc-app", now: Self.now) {
            _ -> Decision in .success(([], ""))
        }
        guard case .replayed = spent else {
            Issue.record("\(spent)")
            return
        }
    }

    @Test func storingACodePrunesCodesExpiredForADay() async throws {
        let db = try await Self.database()
        let muchLater = Self.now.addingTimeInterval(600 + 86400 + 1)
        try await db.storeOAuthCode(
            OAuthCodeRecord(
                codeHash: "fresh", clientID: "bc-app", accountID: "lea", redirectURI: "https://app.example/cb",
                scopes: "a", codeChallenge: "c", expiresAt: muchLater.addingTimeInterval(600)), now: muchLater)
        let codes = try await db.writer.read { db in try OAuthCodeRecord.fetchAll(db).map(\.codeHash) }
        #expect(codes == ["fresh"])
    }
}
