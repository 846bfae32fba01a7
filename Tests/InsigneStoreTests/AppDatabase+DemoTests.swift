import Foundation
import GRDB
import InsigneStore
import Testing

/// The demo seed's steps in the store: each recorded once, the first administrator created once.
@Suite("Demo seed store")
struct DemoSeedStoreTests {
    typealias F = IssuingFixture

    @Test func theFirstAdministratorIsCreatedOnce() async throws {
        let db = try AppDatabase.inMemory()
        #expect(!(try await db.hasSetting("seeded")))
        try await db.seedFirstAdmin(passwordHash: "scrypt$x", apiTokenHash: "h1", now: F.start)
        #expect(try await db.hasSetting("seeded"))
        #expect(try await db.apiTokenAccount(tokenHash: "h1")?.role == .admin)
        #expect(try await db.accountForSignIn(login: "admin")?.passwordHash == "scrypt$x")
        // Once seeded, the step cannot be recorded again, and nothing else was written.
        await #expect(throws: DatabaseError.self) {
            try await db.seedFirstAdmin(passwordHash: "other", apiTokenHash: "h2", now: F.start)
        }
        #expect(try await db.apiTokenAccount(tokenHash: "h2") == nil)
    }

    @Test func anExistingAdminLoginIsKept() async throws {
        let db = try await F.database()  // has an account whose login is "Admin"
        try await db.seedFirstAdmin(passwordHash: "scrypt$x", apiTokenHash: "h1", now: F.start)
        #expect(try await db.apiTokenAccount(tokenHash: "h1") == nil)
        #expect(try await db.hasSetting("seeded"))
    }

    @Test func seedStepsAreRecordedOnce() async throws {
        let db = try await F.database()
        #expect(
            try await db.seedStep("seed.align", badgeClassID: "foyer-badge") == (
                false, F.badge("foyer-badge", issuer: "foyer", name: "Badge foyer")
            ))
        try await db.recordSetting("seed.align", value: "now")
        #expect(try await db.seedStep("seed.align", badgeClassID: "nope") == (true, nil))
        await #expect(throws: DatabaseError.self) { try await db.recordSetting("seed.align", value: "again") }
        #expect(try await db.badgeClassExists(id: "foyer-badge"))
        #expect(!(try await db.badgeClassExists(id: "nope")))
    }
}
