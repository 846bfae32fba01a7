import Foundation
import GRDB

/// Expiry reminders: which awards may need one, which thresholds are done, and recording a reminder or a digest
/// together with its queued message in one transaction (at most once, decided by the primary keys).
extension AppDatabase {
    /// The awards that may be reminded: not revoked, with an expiry, not renewed (no `renewedBy`, and no later
    /// non-revoked award of the same badge class to the same address). Whether the expiry is near is the caller's.
    public func remindableAwards() async throws -> [AssertionRecord] {
        try await writer.read { db in
            try AssertionRecord.fetchAll(
                db,
                sql: """
                    SELECT a.* FROM assertion a
                    WHERE a.revokedAt IS NULL AND a.expires IS NOT NULL AND a.renewedBy IS NULL
                    AND NOT EXISTS (
                        SELECT 1 FROM assertion b
                        WHERE b.badgeClassID = a.badgeClassID AND b.recipientEmail = a.recipientEmail
                        AND b.revokedAt IS NULL AND b.id <> a.id
                        AND (b.issuedOn > a.issuedOn OR (b.issuedOn = a.issuedOn AND b.createdAt > a.createdAt)))
                    ORDER BY a.expires, a.id
                    """)
        }
    }

    /// The thresholds already done (sent or skipped) for each of these awards.
    public func reminderThresholds(assertionIDs: [String]) async throws -> [String: Set<Int>] {
        guard !assertionIDs.isEmpty else { return [:] }
        return try await writer.read { db in
            var done: [String: Set<Int>] = [:]
            for chunk in stride(from: 0, to: assertionIDs.count, by: 500) {
                let ids = Array(assertionIDs[chunk..<min(chunk + 500, assertionIDs.count)])
                for r in try ReminderRecord.filter { ids.contains($0.assertionID) }.fetchAll(db) {
                    done[r.assertionID, default: []].insert(r.threshold)
                }
            }
            return done
        }
    }

    /// Records the reminder of `threshold` for an award as sent on `day`, the `skipped` thresholds as done, and
    /// queues `mail` (nil: the caller writes it to the outbox after this returns), in one transaction. False, and
    /// nothing written, when this reminder was already recorded (another run sent it).
    public func recordReminder(
        assertionID: String, threshold: Int, skipped: [Int], day: String, at now: Date, mail: MailMessageRecord?
    ) async throws -> Bool {
        try await writer.write { db in
            guard try ReminderRecord.fetchOne(db, key: ["assertionID": assertionID, "threshold": threshold]) == nil
            else { return false }
            try ReminderRecord(assertionID: assertionID, threshold: threshold, day: day, skipped: false, createdAt: now)
                .insert(db)
            for t in skipped where t != threshold {
                try ReminderRecord(assertionID: assertionID, threshold: t, day: day, skipped: true, createdAt: now)
                    .insert(db, onConflict: .ignore)
            }
            try mail?.insert(db)
            return true
        }
    }

    /// The awards whose holder was sent a reminder on `day` (skipped thresholds not counted), by expiry.
    public func remindedAwards(day: String) async throws -> [AssertionRecord] {
        try await writer.read { db in
            try AssertionRecord.fetchAll(
                db,
                sql: """
                    SELECT a.* FROM assertion a
                    WHERE a.id IN (SELECT assertionID FROM reminder WHERE day = ? AND skipped = 0)
                    ORDER BY a.expires, a.recipientEmail
                    """, arguments: [day])
        }
    }

    /// Records the digest of `digest.day` for its account and queues `mail` (nil: outbox, written by the caller
    /// afterwards), in one transaction. False, and nothing written, when that account already had its digest.
    public func recordReminderDigest(_ digest: ReminderDigestRecord, mail: MailMessageRecord?) async throws -> Bool {
        try await writer.write { db in
            guard try ReminderDigestRecord.fetchOne(db, key: ["accountID": digest.accountID, "day": digest.day]) == nil
            else { return false }
            try digest.insert(db)
            try mail?.insert(db)
            return true
        }
    }
}
