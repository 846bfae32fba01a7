import Foundation
import GRDB
import Testing

@testable import InsigneStore

/// Which awards may be reminded, and the at-most-once records of reminders and digests with their queued mail.
@Suite("Store: reminders")
struct AppDatabaseRemindersTests {
    typealias F = IssuingFixture

    static func mail(_ id: String, to: String = "lea@example.org") -> MailMessageRecord {
        MailMessageRecord(
            id: id, sender: "ne-pas-repondre@example.org", recipient: to, subject: "s", content: "c",
            createdAt: F.start)
    }

    /// Revoked, renewed (link or a later award to the same address) and never-expiring awards are left out.
    @Test func remindableAwardsLeaveOutRevokedAndRenewed() async throws {
        let db = try await F.database()
        try await db.writer.write { db in
            var plain = F.award("plain")
            plain.expires = "2029-12-07T10:00:00Z"
            try plain.insert(db)
            try F.award("never", email: "never@example.org").insert(db)
            var revoked = F.award("revoked", email: "r@example.org")
            revoked.expires = "2029-12-07T10:00:00Z"
            revoked.revokedAt = F.start
            try revoked.insert(db)
            var linked = F.award("linked", email: "l@example.org")
            linked.expires = "2029-12-07T10:00:00Z"
            linked.renewedBy = "other"
            try linked.insert(db)
            var old = F.award("old", email: "o@example.org")
            old.expires = "2029-12-07T10:00:00Z"
            try old.insert(db)
            var newer = F.award("newer", email: "o@example.org")
            newer.issuedOn = "2028-01-15T08:00:00Z"
            newer.expires = "2031-01-15T08:00:00Z"
            try newer.insert(db)
        }
        #expect(try await db.remindableAwards().map(\.id) == ["plain", "newer"])
    }

    /// A reminder is recorded with its mail once; the second attempt writes nothing; skipped thresholds are done
    /// but not listed among the day's reminders.
    @Test func reminderRecordedOnceWithItsMail() async throws {
        let db = try await F.database()
        try await db.writer.write { db in
            var a = F.award("a")
            a.expires = "2029-12-07T10:00:00Z"
            try a.insert(db)
        }
        #expect(
            try await db.recordReminder(
                assertionID: "a", threshold: 7, skipped: [30, 90], day: "2029-12-01", at: F.start, mail: Self.mail("m1")
            ))
        #expect(
            try await !db.recordReminder(
                assertionID: "a", threshold: 7, skipped: [], day: "2029-12-01", at: F.start, mail: Self.mail("m2")))
        #expect(try await db.mailMessages().map(\.id) == ["m1"])
        #expect(try await db.reminderThresholds(assertionIDs: ["a", "b"]) == ["a": [7, 30, 90]])
        #expect(try await db.remindedAwards(day: "2029-12-01").map(\.id) == ["a"])
        #expect(try await db.remindedAwards(day: "2029-12-02").isEmpty)
    }

    /// One digest per account and day.
    @Test func digestRecordedOncePerAccountAndDay() async throws {
        let db = try await F.database()
        let digest = ReminderDigestRecord(accountID: "staff", day: "2029-12-01", holders: 2, createdAt: F.start)
        #expect(try await db.recordReminderDigest(digest, mail: Self.mail("d1", to: "staff@example.org")))
        #expect(try await !db.recordReminderDigest(digest, mail: Self.mail("d2", to: "staff@example.org")))
        var next = digest
        next.day = "2029-12-02"
        #expect(try await db.recordReminderDigest(next, mail: nil))
        #expect(try await db.mailMessages().map(\.id) == ["d1"])
    }
}
