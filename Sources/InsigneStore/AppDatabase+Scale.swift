import Foundation
import GRDB

#if canImport(Glibc)
    import Glibc
#endif

/// Rows planted at once by `AppDatabase.insertBulk` (`insigne bench-scale`, its small-scale test).
public struct BulkRows: Sendable {
    /// Awards (a renewal's earlier award already carries `renewedBy`); each gets its audit row.
    public var assertions: [AssertionRecord] = []
    /// Roster people and their addresses.
    public var people: [PersonRecord] = []
    public var personEmails: [PersonEmailRecord] = []
    /// Learner accounts and their backpack entries.
    public var accounts: [AccountRecord] = []
    public var backpack: [BackpackBadgeRecord] = []

    /// Empty rows.
    public init() {}

    /// How many rows in all.
    public var count: Int { assertions.count + people.count + personEmails.count + accounts.count + backpack.count }
}

/// Counts of the planted tables (the fill's proportions).
public struct BulkCounts: Sendable, Equatable {
    public var assertions: Int
    public var revoked: Int
    public var withEvidence: Int
    public var renewals: Int
    public var people: Int
    public var backpack: Int
    public var audit: Int
}

extension AppDatabase {
    /// Inserts `rows` in one write transaction through GRDB's cached insert statements (one prepared statement per
    /// table, reused for every row), without the per-award idempotency read of `storeAward`: for filling a fresh
    /// database only. Parents first (accounts, people), so foreign keys hold at every row.
    public func insertBulk(_ rows: BulkRows) async throws {
        try await writer.write { db in
            for a in rows.accounts { try a.insert(db) }
            for p in rows.people { try p.insert(db) }
            for e in rows.personEmails { try e.insert(db) }
            let audit = try db.cachedStatement(
                sql: "INSERT INTO auditEvent (at, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?)")
            for a in rows.assertions {
                try a.insert(db)
                try audit.execute(arguments: [
                    a.createdAt, a.createdBy ?? "bulk", a.renewalOf == nil ? "assertion.award" : "assertion.renew",
                    a.id, a.renewalOf.map { "renews \($0)" },
                ])
            }
            for b in rows.backpack { try b.insert(db) }
        }
    }

    /// The counts that show a fill's proportions.
    public func bulkCounts() async throws -> BulkCounts {
        try await writer.read { db in
            func count(_ sql: String) throws -> Int { try Int.fetchOne(db, sql: sql) ?? 0 }
            return BulkCounts(
                assertions: try count("SELECT COUNT(*) FROM assertion"),
                revoked: try count("SELECT COUNT(*) FROM assertion WHERE revokedAt IS NOT NULL"),
                withEvidence: try count("SELECT COUNT(*) FROM assertion WHERE evidence <> '[]'"),
                renewals: try count("SELECT COUNT(*) FROM assertion WHERE renewalOf IS NOT NULL"),
                people: try count("SELECT COUNT(*) FROM person"),
                backpack: try count("SELECT COUNT(*) FROM backpackBadge"),
                audit: try count("SELECT COUNT(*) FROM auditEvent"))
        }
    }

    /// A few award ids picked at random (benchmarks): random rowids below the largest, looked up by rowid.
    public func randomAwardIDs(count: Int) async throws -> [String] {
        try await writer.read { db in
            let top = try Int.fetchOne(db, sql: "SELECT max(rowid) FROM assertion") ?? 0
            guard top > 0 else { return [] }
            let rowids = (0..<max(0, count)).map { _ in Int.random(in: 1...top) }
            var ids: [String] = []
            for part in stride(from: 0, to: rowids.count, by: 500) {
                let slice = Array(rowids[part..<min(rowids.count, part + 500)])
                let marks = Array(repeating: "?", count: slice.count).joined(separator: ",")
                ids += try String.fetchAll(
                    db, sql: "SELECT id FROM assertion WHERE rowid IN (\(marks))", arguments: StatementArguments(slice))
            }
            return ids
        }
    }

    /// The issuer with the most revoked awards and how many (nil on an empty database).
    public func issuerWithMostRevocations() async throws -> (issuerID: String, revoked: Int)? {
        try await writer.read { db in
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT badgeClass.issuerID, COUNT(*) AS n FROM assertion INDEXED BY assertion_revoked
                    JOIN badgeClass ON badgeClass.id = assertion.badgeClassID
                    WHERE assertion.revokedAt IS NOT NULL GROUP BY badgeClass.issuerID ORDER BY n DESC LIMIT 1
                    """)
            return row.map { ($0[0], $0[1]) }
        }
    }

    /// Copies the whole database into a new SQLite file at `path` with SQLite's online backup API while the
    /// service keeps answering (readers and the writer go on; the copy is one consistent snapshot).
    public func backup(to path: String) throws {
        // Owner-only from the start, and never over an existing file.
        let fd = Glibc.open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { throw BackupTargetExists(path: path) }
        close(fd)
        let destination = try DatabaseQueue(path: path)
        try writer.backup(to: destination)
        try destination.close()
    }
}

/// `backup(to:)` refuses to overwrite a file (or could not create it).
public struct BackupTargetExists: Error, Sendable {
    public var path: String
}
