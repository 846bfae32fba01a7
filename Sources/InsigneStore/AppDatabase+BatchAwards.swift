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
    /// each award audited like `storeAward` and, with `ob3Pending`, listed for the background OB 3.0 maker. The
    /// unique idempotency key decides between rows: an award whose key was used comes back as the earlier award
    /// (`existing`), one that cannot renew what it names is left out (`notRenewable`, checked before anything of it
    /// is written), one another constraint refuses is left out (`failed`: SQLite undoes that one statement), and
    /// the others are stored. No savepoint per award: a savepoint copies every page the award touches to the
    /// sub-journal, which cost more than the inserts themselves.
    public func storeAwardGroup(_ records: [AssertionRecord], actor: String, ob3Pending: Bool) async throws
        -> [GroupedAwardOutcome]
    {
        try await writer.write { db in
            var group = try AwardGroupWriter(db, actor: actor, ob3Pending: ob3Pending)
            var outcomes: [GroupedAwardOutcome] = []
            outcomes.reserveCapacity(records.count)
            for record in records { outcomes.append(try group.store(record)) }
            return outcomes
        }
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

/// The statements of one group's transaction, prepared once: each award is one insert that the unique idempotency
/// key may turn into nothing (`ON CONFLICT DO NOTHING`), then its audit row and its place in the OB 3.0 maker's list.
/// Values are bound as the records' own encoding writes them (dates as `Date.databaseValue`, evidence as the
/// record's JSON), so a row is the same as `record.insert(db)` writes (held by a store test).
struct AwardGroupWriter {
    let db: Database
    let actor: String
    let ob3Pending: Bool
    var insert: Statement
    let audit: Statement
    let pending: Statement
    let byKey: Statement
    let noEvidence: DatabaseValue
    /// The last date bound and its database form (a group's awards share their creation date).
    var lastDate: (date: Date, value: DatabaseValue)?

    static let columns = [
        "id", "badgeClassID", "signingKeyID", "recipientEmail", "recipientName", "recipientSalt", "recipientIdentity",
        "issuedOn", "expires", "narrative", "evidence", "jws", "idempotencyKey", "createdBy", "createdAt", "revokedAt",
        "revokedBy", "revocationReason", "renewalOf", "renewedBy",
    ]

    static let insertSQL = """
        INSERT INTO assertion (\(columns.joined(separator: ", "))) \
        VALUES (\(columns.map { _ in "?" }.joined(separator: ", "))) ON CONFLICT (idempotencyKey) DO NOTHING
        """

    init(_ db: Database, actor: String, ob3Pending: Bool) throws {
        self.db = db
        self.actor = actor
        self.ob3Pending = ob3Pending
        insert = try db.cachedStatement(sql: Self.insertSQL)
        audit = try db.cachedStatement(
            sql: "INSERT INTO auditEvent (at, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?)")
        pending = try db.cachedStatement(
            sql: "INSERT OR IGNORE INTO ob3Pending (assertionID, createdAt) VALUES (?, ?)")
        byKey = try db.cachedStatement(sql: "SELECT * FROM assertion WHERE idempotencyKey = ?")
        noEvidence = try Self.evidenceValue([])
    }

    /// The evidence column as the record's encoding writes it (JSON text).
    static func evidenceValue(_ evidence: [EvidenceRecord]) throws -> DatabaseValue {
        let data = try AssertionRecord.databaseJSONEncoder(for: "evidence").encode(evidence)
        return String(decoding: data, as: UTF8.self).databaseValue
    }

    /// A date's database form, formatted once for a run of equal dates.
    mutating func value(_ date: Date) -> DatabaseValue {
        if let last = lastDate, last.date == date { return last.value }
        let value = date.databaseValue
        lastDate = (date, value)
        return value
    }

    /// Stores one award (or says why not).
    mutating func store(_ record: AssertionRecord) throws -> GroupedAwardOutcome {
        var previous: AssertionRecord?
        if let previousID = record.renewalOf {
            previous = try AssertionRecord.fetchOne(db, key: previousID)
            guard let p = previous, !p.isRevoked, p.renewedBy == nil else {
                return .notRenewable(previousID: previousID, previous: previous)
            }
        }
        let created = value(record.createdAt)
        let r = record
        let values: [DatabaseValue] = [
            r.id.databaseValue, r.badgeClassID.databaseValue, r.signingKeyID.databaseValue,
            r.recipientEmail.databaseValue, r.recipientName.databaseValue, r.recipientSalt.databaseValue,
            r.recipientIdentity.databaseValue, r.issuedOn.databaseValue, r.expires.databaseValue,
            r.narrative.databaseValue, r.evidence.isEmpty ? noEvidence : try Self.evidenceValue(r.evidence),
            r.jws.databaseValue, r.idempotencyKey.databaseValue, r.createdBy.databaseValue, created,
            r.revokedAt.map { value($0) } ?? .null, r.revokedBy.databaseValue, r.revocationReason.databaseValue,
            r.renewalOf.databaseValue, r.renewedBy.databaseValue,
        ]
        do {
            try insert.execute(arguments: StatementArguments(values))
        } catch let e as DatabaseError where e.resultCode == .SQLITE_CONSTRAINT {
            // SQLite undid this statement alone and the transaction goes on; GRDB drops a failed statement from its
            // cache (it cannot be reset), so the next award prepares the insert again.
            insert = try db.cachedStatement(sql: Self.insertSQL)
            return .failed
        }
        guard db.changesCount == 1 else {
            // The unique idempotency key was used (before, or earlier in this group): the earlier award.
            return try AssertionRecord.fetchOne(byKey, arguments: [record.idempotencyKey]).map { .existing($0) }
                ?? .failed
        }
        if var p = previous {
            p.renewedBy = record.id
            try p.update(db)
        }
        try audit.execute(arguments: [
            created, actor, record.renewalOf == nil ? "assertion.award" : "assertion.renew", record.id,
            record.renewalOf.map { "renews \($0)" },
        ])
        if ob3Pending { try pending.execute(arguments: [record.id, created]) }
        return .created(record)
    }
}
