import Foundation
import GRDB
import Testing

@testable import InsigneStore

/// Badge class validity (migrated from the former days) and renewal links written with the award.
@Suite("Store: validity and renewal")
struct AppDatabaseValidityTests {
    typealias F = IssuingFixture

    /// "v6-validity": a validity in days becomes an ISO 8601 duration, reminders get their defaults.
    @Test func validityDaysBecomeADuration() async throws {
        var config = Configuration()
        config.foreignKeysEnabled = true
        let queue = try DatabaseQueue(configuration: config)
        try AppDatabase.migrator.migrate(
            queue, upTo: "v6-edit: badge classes can be archived (still verify, no new awards)")
        let t = "2026-01-01 10:00:00.000"
        try await queue.write { db in
            try db.execute(
                sql:
                    "INSERT INTO issuer (id, name, url, email, createdAt) VALUES ('i', 'I', 'https://x.example', 'a@x.example', ?)",
                arguments: [t])
            for (id, days) in [("b365", 365 as Int?), ("bnone", nil)] {
                try db.execute(
                    sql: """
                        INSERT INTO badgeClass (id, issuerID, name, description, criteriaNarrative, imageData, imageType,
                        tags, alignment, validityDays, createdAt) VALUES (?, 'i', 'n', 'd', 'c', x'00', 'png', '[]', '[]', ?, ?)
                        """,
                    arguments: [id, days, t])
            }
        }
        try AppDatabase.migrator.migrate(queue)
        let db = try AppDatabase(queue)
        #expect(try await db.badgeClass(id: "b365")?.validity == "P365D")
        #expect(try await db.badgeClass(id: "bnone")?.validity == nil)
        #expect(try await db.badgeClass(id: "bnone")?.reminderDays == [90, 30, 7])
    }

    @Test func aRenewalMarksTheEarlierAwardInTheSameTransaction() async throws {
        let db = try await F.database()
        _ = try await db.storeAward(F.award("a1"), actor: "staff")
        var renewal = F.award("a2", idempotencyKey: "renew:a1")
        renewal.renewalOf = "a1"
        let (stored, created) = try await db.storeAward(renewal, actor: "staff")
        #expect(created)
        #expect(stored.renewalOf == "a1")
        #expect(try await db.assertion(id: "a1")?.renewedBy == "a2")
        let audit = try await db.writer.read { db in
            try AuditEventRecord.filter { $0.subject == "a2" }.fetchOne(db)
        }
        #expect(audit?.action == "assertion.renew")
        #expect(audit?.detail == "renews a1")
        // Renewed already, revoked or unknown: nothing written.
        for (id, previous) in [("a3", "a1"), ("a4", "nope")] {
            var again = F.award(id)
            again.renewalOf = previous
            await #expect(throws: AwardNotRenewable.self) { try await db.storeAward(again, actor: "staff") }
            #expect(try await db.assertion(id: id) == nil)
        }
        _ = try await db.revokeAward(id: "a2", reason: "erreur", actor: "staff")
        var afterRevocation = F.award("a5")
        afterRevocation.renewalOf = "a2"
        await #expect(throws: AwardNotRenewable.self) { try await db.storeAward(afterRevocation, actor: "staff") }
        #expect(try await db.assertion(id: "a2")?.renewedBy == nil)
    }
}
