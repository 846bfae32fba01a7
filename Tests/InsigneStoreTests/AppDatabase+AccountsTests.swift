import Foundation
import GRDB
import Testing

@testable import InsigneStore

/// Sign-in look-ups, browser sessions and API tokens in the store.
@Suite("Accounts store")
struct AccountsStoreTests {
    typealias F = IssuingFixture

    static func session(_ hash: String, account: String = "staff", expires: Date) -> WebSessionRecord {
        WebSessionRecord(tokenHash: hash, accountID: account, csrfToken: "csrf-\(hash)", expiresAt: expires)
    }

    @Test func loginsAreFoundWithoutRegardToCaseAndSignInsAreAudited() async throws {
        let db = try await F.database()
        #expect(try await db.accountForSignIn(login: "ADMIN")?.id == "admin")
        #expect(try await db.accountForSignIn(login: "Staff")?.id == "staff")
        #expect(try await db.accountForSignIn(login: "nobody") == nil)
        try await db.recordSignIn(accountID: "staff")
        try await db.recordFailedSignIn(login: String(repeating: "x", count: 300))
        let ok = try await F.audit(db, action: "session.signin")
        #expect(ok.map(\.actor) == ["staff"] && ok.map(\.subject) == ["staff"])
        let failed = try await F.audit(db, action: "session.signin-failed")
        #expect(failed.map(\.actor) == ["web"] && failed.first?.subject.count == 200)
    }

    @Test func aSessionLivesUntilItExpiresOrIsDeleted() async throws {
        let db = try await F.database()
        let now = F.start
        try await db.createWebSession(
            Self.session("old", expires: now.addingTimeInterval(-1)), now: now.addingTimeInterval(-100))
        try await db.createWebSession(Self.session("s1", expires: now.addingTimeInterval(3600)), now: now)
        let (account, session) = try #require(try await db.liveWebSession(tokenHash: "s1", now: now))
        #expect(account.id == "staff" && session.csrfToken == "csrf-s1")
        #expect(try await db.liveWebSession(tokenHash: "s1", now: now.addingTimeInterval(3600)) == nil)
        #expect(try await db.liveWebSession(tokenHash: "unknown", now: now) == nil)
        // Creating a session deleted the expired one.
        #expect(try await db.writer.read { db in try WebSessionRecord.fetchCount(db) } == 1)
        try await db.deleteWebSession(tokenHash: "s1")
        try await db.deleteWebSession(tokenHash: "s1")
        #expect(try await db.liveWebSession(tokenHash: "s1", now: now) == nil)
    }

    @Test func anAPITokenOpensItsAccount() async throws {
        let db = try await F.database()
        try await db.writer.write { db in
            try APITokenRecord(tokenHash: "h1", accountID: "staff", label: "t", createdAt: F.start).insert(db)
        }
        #expect(try await db.apiTokenAccount(tokenHash: "h1")?.id == "staff")
        #expect(try await db.apiTokenAccount(tokenHash: "h2") == nil)
    }
}
