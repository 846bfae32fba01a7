import Foundation
import GRDB
import Testing

@testable import InsigneStore

/// Password changes, reset links and the first administrator's setup in the store.
@Suite("Passwords store")
struct PasswordsStoreTests {
    typealias F = IssuingFixture

    static func session(_ hash: String, account: String) -> WebSessionRecord {
        WebSessionRecord(
            tokenHash: hash, accountID: account, csrfToken: "c", expiresAt: F.start.addingTimeInterval(3600))
    }

    static func sessionHashes(_ db: AppDatabase) async throws -> Set<String> {
        try await db.writer.read { db in Set(try WebSessionRecord.fetchAll(db).map(\.tokenHash)) }
    }

    static func reset(_ hash: String, account: String = "lea", at date: Date = F.start) -> PasswordResetRecord {
        PasswordResetRecord(
            tokenHash: hash, accountID: account, createdAt: date, expiresAt: date.addingTimeInterval(3600))
    }

    @Test func changingAPasswordEndsTheOtherSessionsOnlyAndIsAudited() async throws {
        let db = try await F.database()
        for (hash, account) in [("mine", "lea"), ("other", "lea"), ("staff1", "staff")] {
            try await db.createWebSession(Self.session(hash, account: account), now: F.start)
        }
        try await db.issuePasswordReset(Self.reset("r1"), now: F.start)
        try await db.changePassword(accountID: "lea", passwordHash: "h2", keepSessionHash: "mine", now: F.start)
        #expect(try await Self.sessionHashes(db) == ["mine", "staff1"])
        #expect(try await db.accountForSignIn(login: "lea")?.passwordHash == "h2")
        #expect(try await db.livePasswordReset(tokenHash: "r1", now: F.start) == nil)
        #expect(try await F.audit(db, action: "account.password-changed").map(\.subject) == ["lea"])
    }

    @Test func resetLinksAreSingleUseShortLivedAndReplacedByNewerOnes() async throws {
        let db = try await F.database()
        try await db.writer.write { db in try db.execute(sql: "UPDATE account SET passwordHash = 'h' WHERE id = 'lea'")
        }
        #expect(try await db.accountsForPasswordReset(email: "LEA@example.org").map(\.id) == ["lea"])
        #expect(try await db.accountsForPasswordReset(email: "nobody@example.org").isEmpty)
        try await db.issuePasswordReset(Self.reset("r1"), now: F.start)
        try await db.issuePasswordReset(Self.reset("r2"), now: F.start.addingTimeInterval(10))
        #expect(try await db.livePasswordReset(tokenHash: "r1", now: F.start) == nil, "replaced by r2")
        #expect(try await db.livePasswordReset(tokenHash: "r2", now: F.start.addingTimeInterval(3599))?.1.id == "lea")
        #expect(try await db.livePasswordReset(tokenHash: "r2", now: F.start.addingTimeInterval(3601)) == nil)
        #expect(
            try await db.completePasswordReset(
                tokenHash: "r2", passwordHash: "late", now: F.start.addingTimeInterval(3601)) == nil)
        try await db.createWebSession(Self.session("s", account: "lea"), now: F.start)
        let done = try await db.completePasswordReset(tokenHash: "r2", passwordHash: "new", now: F.start)
        #expect(done?.passwordHash == "new")
        #expect(try await Self.sessionHashes(db).isEmpty)
        #expect(try await db.completePasswordReset(tokenHash: "r2", passwordHash: "again", now: F.start) == nil)
        #expect(try await F.audit(db, action: "account.password-reset").count == 1)
        #expect(try await F.audit(db, action: "account.password-reset-requested").count == 2)
    }

    @Test func erasedAccountsAndAccountsWithoutPasswordGetNoLink() async throws {
        let db = try await F.database()
        #expect(try await db.accountsForPasswordReset(email: "lea@example.org").isEmpty, "no password yet")
        try await db.writer.write { db in
            try db.execute(
                sql: "UPDATE account SET passwordHash = 'h', erasedAt = ? WHERE id = 'lea'", arguments: [F.start])
        }
        #expect(try await db.accountsForPasswordReset(email: "lea@example.org").isEmpty)
    }

    @Test func anAddressBelongsToOneAccount() async throws {
        let db = try await F.database()
        #expect(try await db.setAccountEmail(accountID: "admin", email: "lea@example.org") == .taken)
        #expect(try await db.setAccountEmail(accountID: "admin", email: "admin@example.org") == .changed)
        #expect(try await db.accountForSignIn(login: "admin")?.email == "admin@example.org")
        #expect(try await F.audit(db, action: "account.email-changed").map(\.subject) == ["admin"])
    }

    @Test func theFirstSetupServesUntilUsedOrUntilAdminSignsIn() async throws {
        let db = try await F.database()
        #expect(try await db.firstAdminSetupCodeHash() == nil, "no code recorded")
        try await db.writer.write { db in
            try SettingRecord(key: AppDatabase.firstAdminSetupKey, value: "codehash").insert(db)
        }
        #expect(try await db.firstAdminSetupCodeHash() == "codehash")
        try await db.createWebSession(Self.session("s", account: "admin"), now: F.start)
        let admin = try await db.completeFirstAdminSetup(passwordHash: "p", email: "root@example.org", now: F.start)
        #expect(admin?.passwordHash == "p" && admin?.email == "root@example.org")
        #expect(try await Self.sessionHashes(db).isEmpty)
        #expect(try await db.firstAdminSetupCodeHash() == nil)
        #expect(try await db.completeFirstAdminSetup(passwordHash: "q", email: nil, now: F.start) == nil)
        #expect(try await F.audit(db, action: "account.setup").count == 1)

        // A second database: the first sign-in of admin closes the setup too.
        let other = try await F.database()
        try await other.writer.write { db in
            try SettingRecord(key: AppDatabase.firstAdminSetupKey, value: "codehash").insert(db)
        }
        try await other.recordSignIn(accountID: "staff")
        #expect(try await other.firstAdminSetupCodeHash() == "codehash")
        try await other.recordSignIn(accountID: "admin")
        #expect(try await other.firstAdminSetupCodeHash() == nil)
        #expect(try await other.hasSetting(AppDatabase.firstAdminSetupKey) == false, "the code is forgotten")
        #expect(try await other.completeFirstAdminSetup(passwordHash: "q", email: nil) == nil)
    }
}
