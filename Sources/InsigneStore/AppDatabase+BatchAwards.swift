import Foundation
import GRDB

/// What became of one award of a group stored by `storeAwardGroup`.
public enum GroupedAwardOutcome: Sendable {
    /// Stored and audited.
    case created(AssertionRecord)
    /// Its idempotency key was already used: the earlier award.
    case existing(AssertionRecord)
    /// The award it renews is unknown, revoked or already renewed: nothing written for it.
    case notRenewable(previousID: String, previous: AssertionRecord?)
    /// Another constraint refused it (its badge class deleted meanwhile…): nothing written for it.
    case failed
}

/// Bulk awards (issue 15 point 1): many signed awards stored in one write transaction, the unique idempotency key
/// deciding between rows, and the awards whose OB 3.0 form is made afterwards in the background.
extension AppDatabase {
    /// The awards already made with some of these idempotency keys, by key (one query; a retried batch skips them
    /// before signing).
    public func assertions(idempotencyKeys keys: [String]) async throws -> [String: AssertionRecord] {
        guard !keys.isEmpty else { return [:] }
        return try await writer.read { db in
            var found: [String: AssertionRecord] = [:]
            for start in stride(from: 0, to: keys.count, by: 500) {
                let slice = Array(keys[start..<min(start + 500, keys.count)])
                let marks = slice.map { _ in "?" }.joined(separator: ",")
                let rows = try AssertionRecord.fetchAll(
                    db, sql: "SELECT * FROM assertion WHERE idempotencyKey IN (\(marks))",
                    arguments: StatementArguments(slice))
                for a in rows { found[a.idempotencyKey] = a }
            }
            return found
        }
    }

    /// The awards of a badge class not revoked held by some recipients (normalised emails), by email: what a bulk
    /// row may renew (one query for a group of rows instead of one per row).
    public func unrevokedAwards(badgeClassID: String, recipientEmails emails: [String]) async throws
        -> [String: [AssertionRecord]]
    {
        let unique = Array(Set(emails))
        guard !unique.isEmpty else { return [:] }
        return try await writer.read { db in
            var found: [String: [AssertionRecord]] = [:]
            for start in stride(from: 0, to: unique.count, by: 500) {
                let slice = Array(unique[start..<min(start + 500, unique.count)])
                let marks = slice.map { _ in "?" }.joined(separator: ",")
                let rows = try AssertionRecord.fetchAll(
                    db,
                    sql: """
                        SELECT * FROM assertion WHERE recipientEmail IN (\(marks)) AND badgeClassID = ? \
                        AND revokedAt IS NULL
                        """, arguments: StatementArguments(slice) + [badgeClassID])
                for a in rows { found[a.recipientEmail, default: []].append(a) }
            }
            return found
        }
    }

    /// Stores signed awards in ONE write transaction (all or nothing: a crash leaves whole awards of whole groups),
    /// each award audited like `storeAward` and, with `ob3Pending`, listed for the background OB 3.0 maker. Each
    /// award is written in its own savepoint: one the unique idempotency key refuses comes back as the earlier award
    /// (`existing`), one that cannot renew what it names is left out (`notRenewable`), and the others are stored.
    public func storeAwardGroup(_ records: [AssertionRecord], actor: String, ob3Pending: Bool) async throws
        -> [GroupedAwardOutcome]
    {
        try await writer.write { db in
            var outcomes: [GroupedAwardOutcome] = []
            outcomes.reserveCapacity(records.count)
            for record in records {
                do {
                    outcomes.append(try Self.storeInSavepoint(db, record, actor: actor, ob3Pending: ob3Pending))
                } catch let e as DatabaseError where e.resultCode == .SQLITE_CONSTRAINT {
                    let statement = try db.cachedStatement(sql: "SELECT * FROM assertion WHERE idempotencyKey = ?")
                    if let existing = try AssertionRecord.fetchOne(statement, arguments: [record.idempotencyKey]) {
                        outcomes.append(.existing(existing))
                    } else {
                        outcomes.append(.failed)
                    }
                }
            }
            return outcomes
        }
    }

    /// One award of a group, in a savepoint (rolled back alone when it fails).
    static func storeInSavepoint(_ db: Database, _ record: AssertionRecord, actor: String, ob3Pending: Bool) throws
        -> GroupedAwardOutcome
    {
        var outcome = GroupedAwardOutcome.created(record)
        try db.inSavepoint {
            if let previousID = record.renewalOf {
                let previous = try AssertionRecord.fetchOne(db, key: previousID)
                guard var p = previous, !p.isRevoked, p.renewedBy == nil else {
                    outcome = .notRenewable(previousID: previousID, previous: previous)
                    return .rollback
                }
                p.renewedBy = record.id
                try p.update(db)
            }
            try record.insert(db)
            let action = record.renewalOf == nil ? "assertion.award" : "assertion.renew"
            var event = AuditEventRecord(
                at: record.createdAt, actor: actor, action: action, subject: record.id,
                detail: record.renewalOf.map { "renews \($0)" })
            try event.insert(db)
            if ob3Pending {
                try db.execute(
                    sql: "INSERT OR IGNORE INTO ob3Pending (assertionID, createdAt) VALUES (?, ?)",
                    arguments: [record.id, record.createdAt])
            }
            return .commit
        }
        return outcome
    }

    /// Awards whose OB 3.0 form the background maker still has to make, oldest first, at most `limit`.
    public func pendingOB3Forms(limit: Int) async throws -> [String] {
        try await writer.read { db in
            try String.fetchAll(
                db, sql: "SELECT assertionID FROM ob3Pending ORDER BY createdAt, assertionID LIMIT ?",
                arguments: [limit])
        }
    }

    /// Takes awards off the maker's list (their form was made, or cannot be: the first GET makes it then).
    public func clearPendingOB3Forms(_ assertionIDs: [String]) async throws {
        guard !assertionIDs.isEmpty else { return }
        try await writer.write { db in
            let statement = try db.cachedStatement(sql: "DELETE FROM ob3Pending WHERE assertionID = ?")
            for id in assertionIDs { try statement.execute(arguments: [id]) }
        }
    }
}
