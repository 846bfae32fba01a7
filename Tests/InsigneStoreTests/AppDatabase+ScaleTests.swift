import Foundation
import GRDB
import GRDBSQLite
import Synchronization
import Testing

@testable import InsigneStore

/// At a million awards no list may read a whole table: every query the pages and the API run for their lists is
/// traced as it runs, and SQLite's plan for it must not `SCAN` the large tables (awards, accounts, people, their
/// addresses, backpacks, audit) without an index. Also the bulk insert and the online backup.
@Suite("Scale store")
struct ScaleStoreTests {
    typealias F = IssuingFixture

    /// The large tables and the aliases the queries give them.
    static let large: Set<String> = [
        "assertion", "a", "r", "p", "account", "person", "personEmail", "e", "backpackBadge", "auditEvent",
    ]

    /// The statements `body` runs, with their arguments written in.
    static func traced(_ db: AppDatabase, _ body: () async throws -> Void) async throws -> [String] {
        let seen = Mutex<[String]>([])
        try await db.writer.writeWithoutTransaction { db in
            db.trace { event in
                if case .statement(let s) = event { seen.withLock { $0.append(s.expandedSQL) } }
            }
        }
        try await body()
        try await db.writer.writeWithoutTransaction { db in db.trace(options: [], nil) }
        return seen.withLock { $0 }.filter { $0.uppercased().hasPrefix("SELECT") }
    }

    /// The plan lines of `sql` that read a large table whole.
    static func fullScans(_ db: AppDatabase, _ sql: String) async throws -> [String] {
        try await db.writer.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql).compactMap { row -> String? in
                let detail: String = row["detail"]
                let words = detail.split(separator: " ")
                guard words.first == "SCAN", words.count >= 2, !detail.contains("USING"),
                    Self.large.contains(String(words[1]))
                else { return nil }
                return detail
            }
        }
    }

    @Test func theListsReadNoLargeTableWhole() async throws {
        let db = try await F.database()
        _ = try await db.storeAward(F.award("a1", name: "Léa Martin"), actor: "staff")
        _ = try await db.revokeAward(id: "a1", reason: "erreur", actor: "staff")
        let statements = try await Self.traced(db) {
            _ = try await db.trainerDashboard(issuerIDs: ["foyer", "annexe"])
            for filter in [
                TrainerAwardFilter(), TrainerAwardFilter(badgeClassID: "foyer-badge"),
                TrainerAwardFilter(state: .revoked),
                TrainerAwardFilter(search: "lea"),
            ] {
                _ = try await db.trainerAwards(issuerIDs: ["foyer"], filter: filter, page: 3, pageSize: 50)
            }
            // Every badge class (an administrator), searched: through the search index.
            for q in ["lea", "martin@", "le", "m"] {
                _ = try await db.trainerAwards(
                    issuerIDs: ["foyer", "annexe"], filter: TrainerAwardFilter(search: q), page: 1, pageSize: 50)
            }
            _ = try await db.awards(
                badgeClassID: nil, issuerID: nil, recipientEmail: nil, revoked: nil, page: 1, perPage: 50)
            _ = try await db.awards(
                badgeClassID: nil, issuerID: "foyer", recipientEmail: nil, revoked: true, page: 2, perPage: 50)
            _ = try await db.awards(
                badgeClassID: "foyer-badge", issuerID: nil, recipientEmail: "lea@example.org", revoked: nil, page: 1,
                perPage: 50, issuerIDs: ["foyer"])
            let cursor = AwardCursor(createdAt: "2027-01-15 08:00:00.000", id: "a1")
            for start in [AwardPageStart.after(cursor), .before(cursor)] {
                _ = try await db.awardsPage(AwardListFilter(issuerID: "foyer"), start: start, perPage: 50)
                _ = try await db.trainerAwards(
                    issuerIDs: ["foyer"], filter: TrainerAwardFilter(state: .revoked), start: start, pageSize: 50)
            }
            _ = try await db.revokedAwards(issuerID: "foyer")
            _ = try await db.people(issuerID: "foyer", search: nil, includeLeft: false, page: 2, perPage: 50)
            _ = try await db.people(issuerID: "foyer", search: "mart", includeLeft: true, page: 1, perPage: 50)
            _ = try await db.compliance(issuerID: "foyer", badgeClassID: "foyer-badge")
            _ = try await db.issuerWithMostRevocations()
        }
        #expect(statements.count >= 15)
        // The check itself sees a whole-table read.
        #expect(try await Self.fullScans(db, "SELECT * FROM assertion WHERE narrative = 'x'") == ["SCAN assertion"])
        var scans: [String] = []
        for sql in statements {
            for line in try await Self.fullScans(db, sql) { scans.append("\(line)  ←  \(sql)") }
        }
        #expect(scans.isEmpty, "\(scans.joined(separator: "\n"))")
    }

    /// The dashboard and the unsearched lists' totals read the counts kept per badge class, never the awards:
    /// the only statements naming `assertion` are the pages' own (LIMIT), and none counts awards.
    @Test func countsComeFromTheKeptCountsNotTheAwards() async throws {
        let db = try await F.database()
        _ = try await db.storeAward(F.award("a1", name: "Léa Martin"), actor: "staff")
        _ = try await db.revokeAward(id: "a1", reason: "erreur", actor: "staff")
        let statements = try await Self.traced(db) {
            let d = try await db.trainerDashboard(issuerIDs: ["foyer", "annexe"])
            #expect(d.counts["foyer-badge"] == AwardCounts(total: 1, revoked: 1))
            for filter in [
                TrainerAwardFilter(), TrainerAwardFilter(badgeClassID: "foyer-badge"),
                TrainerAwardFilter(state: .revoked), TrainerAwardFilter(state: .active),
            ] {
                for issuers in [["foyer"], ["foyer", "annexe"]] {
                    _ = try await db.trainerAwards(issuerIDs: issuers, filter: filter, page: 1, pageSize: 50)
                }
            }
            for (issuer, revoked) in [(nil, nil), ("foyer", true), (nil, false) as (String?, Bool?)] {
                _ = try await db.awards(
                    badgeClassID: nil, issuerID: issuer, recipientEmail: nil, revoked: revoked, page: 1, perPage: 50)
            }
        }
        #expect(statements.count >= 10)
        let counting = statements.filter {
            let sql = $0.uppercased()
            return sql.contains("ASSERTION") && (sql.contains("COUNT(") || !sql.contains("LIMIT"))
        }
        #expect(counting.isEmpty, "\(counting.joined(separator: "\n"))")
    }

    /// The steps of SQLite's virtual machine running `sql` (arguments written in): what it reads, counted, not timed.
    static func steps(_ db: AppDatabase, _ sql: String) async throws -> Int {
        try await db.writer.read { db in
            let statement = try db.makeStatement(sql: sql)
            _ = try Row.fetchAll(statement)
            return Int(sqlite3_stmt_status(statement.sqliteStatement, SQLITE_STMTSTATUS_VM_STEP, 0))
        }
    }

    /// The page statement (the one with LIMIT) of `body`, and what running it costs.
    static func pageCost(_ db: AppDatabase, _ body: () async throws -> Void) async throws -> Int {
        let pages = try await traced(db, body).filter { $0.contains("LIMIT") }
        #expect(pages.count == 1, "\(pages)")
        return try await steps(db, pages.first ?? "SELECT 1")
    }

    /// A page read from a cursor deep in a list costs what the first page costs (an OFFSET reads every skipped
    /// entry): 6,000 awards, the page after the 5,000th, for the admin API's list and the trainers' list, filtered
    /// or not.
    @Test func aDeepPageFromACursorCostsLikeTheFirst() async throws {
        let db = try await F.database()
        var rows = BulkRows()
        for i in 0..<6_000 {
            // Two in three of the foyer, awards made by fives at the same instant (a batch), one in fifty revoked.
            let annexe = i % 3 == 0
            var a = F.award(
                String(format: "s%05d", i), badge: annexe ? "annexe-badge" : "foyer-badge",
                key: annexe ? "annexe-k1" : "foyer-k1", at: F.start.addingTimeInterval(Double(i / 5)))
            if i % 50 == 7 { a.revokedAt = a.createdAt }
            rows.assertions.append(a)
        }
        try await db.insertBulk(rows)
        let deep = try #require(
            try await db.awardsPage(AwardListFilter(), start: .offset(5_000), perPage: 1).slice.items.first)
        let createdAt = try await db.writer.read { db in
            try String.fetchOne(db, sql: "SELECT createdAt FROM assertion WHERE id = ?", arguments: [deep.id])
        }
        let cursor = AwardCursor(createdAt: try #require(createdAt), id: deep.id)
        for filter in [
            AwardListFilter(), AwardListFilter(badgeClassID: "foyer-badge"), AwardListFilter(issuerIDs: ["foyer"]),
            AwardListFilter(revoked: false),
        ] {
            let first = try await Self.pageCost(db) {
                _ = try await db.awardsPage(filter, start: .offset(0), perPage: 50)
            }
            let fromCursor = try await Self.pageCost(db) {
                _ = try await db.awardsPage(filter, start: .after(cursor), perPage: 50)
            }
            let skipping = try await Self.pageCost(db) {
                _ = try await db.awardsPage(filter, start: .offset(3_500), perPage: 50)
            }
            #expect(fromCursor <= first * 3 / 2 + 200, "\(filter): first \(first), from a cursor \(fromCursor)")
            // The check sees what an offset costs: at least a step per skipped entry.
            #expect(skipping > first + 3_000, "\(filter): first \(first), offset 3,500 \(skipping)")
        }
        for (issuers, filter) in [
            (["foyer", "annexe"], TrainerAwardFilter()), (["foyer"], TrainerAwardFilter()),
            (["foyer", "annexe"], TrainerAwardFilter(badgeClassID: "foyer-badge", state: .active)),
        ] {
            let first = try await Self.pageCost(db) {
                _ = try await db.trainerAwards(issuerIDs: issuers, filter: filter, start: .offset(0), pageSize: 25)
            }
            let fromCursor = try await Self.pageCost(db) {
                _ = try await db.trainerAwards(issuerIDs: issuers, filter: filter, start: .after(cursor), pageSize: 25)
            }
            #expect(fromCursor <= first * 3 / 2 + 200, "\(issuers) \(filter): first \(first), cursor \(fromCursor)")
        }
    }

    /// The compliance view reads the establishment's addresses and the badge class's awards to them from covering
    /// indexes: no row of the awards.
    @Test func theComplianceViewReadsNoAwardRow() async throws {
        let db = try await F.database()
        _ = try await db.storeAward(F.award("a1"), actor: "staff")
        let statements = try await Self.traced(db) {
            _ = try await db.compliance(issuerID: "foyer", badgeClassID: "foyer-badge")
        }
        var plans: [String] = []
        for sql in statements {
            plans += try await db.writer.read { db in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql).map { $0["detail"] as String }
            }
        }
        let awardReads = plans.filter { $0.contains(" a ") || $0.contains("assertion") }
        #expect(!awardReads.isEmpty && awardReads.allSatisfy { $0.contains("COVERING INDEX") }, "\(plans)")
        #expect(plans.contains { $0.contains("COVERING INDEX personEmail_roster") }, "\(plans)")
    }

    @Test func bulkRowsGoInAtOnceWithTheirAudit() async throws {
        let db = try await F.database()
        var rows = BulkRows()
        var first = F.award("b1")
        var renewal = F.award("b2", at: F.start.addingTimeInterval(60))
        first.renewedBy = "b2"
        renewal.renewalOf = "b1"
        var revoked = F.award("b3", email: "sam@example.org")
        revoked.revokedAt = F.start
        revoked.evidence = [EvidenceRecord(id: "https://example.org/preuve")]
        rows.assertions = [first, renewal, revoked]
        rows.people = [
            PersonRecord(
                id: "per1", issuerID: "foyer", firstName: "Léa", lastName: "Martin", externalID: nil, joinedAt: F.start,
                updatedAt: F.start)
        ]
        rows.personEmails = [
            PersonEmailRecord(personID: "per1", issuerID: "foyer", email: "lea@example.org", position: 0)
        ]
        try await db.insertBulk(rows)
        let c = try await db.bulkCounts()
        #expect(
            c == BulkCounts(assertions: 3, revoked: 1, withEvidence: 1, renewals: 1, people: 1, backpack: 0, audit: 3))
        #expect(try await F.audit(db, action: "assertion.renew").map(\.subject) == ["b2"])
        let most = try #require(try await db.issuerWithMostRevocations())
        #expect(most.issuerID == "foyer" && most.revoked == 1)
        #expect(Set(try await db.randomAwardIDs(count: 20)).isSubset(of: ["b1", "b2", "b3"]))
        // A failing row leaves nothing of its batch.
        var again = BulkRows()
        again.assertions = [F.award("b4"), F.award("b1")]
        await #expect(throws: (any Error).self) { try await db.insertBulk(again) }
        #expect(try await db.bulkCounts().assertions == 3)
    }

    @Test func theOnlineBackupIsAWholeOwnerOnlyCopy() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("insigne-backup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = try AppDatabase.open(path: dir.appendingPathComponent("insigne.sqlite").path)
        try await db.writer.write { db in
            try IssuerRecord(
                id: "foyer", name: "Foyer", url: "https://foyer.example", email: "f@e.org", createdAt: F.start
            )
            .insert(db)
        }
        let copy = dir.appendingPathComponent("copy.sqlite").path
        try db.backup(to: copy)
        let attributes = try FileManager.default.attributesOfItem(atPath: copy)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let restored = try AppDatabase.open(path: copy)
        #expect(try await restored.issuerExists(id: "foyer"))
        #expect(throws: BackupTargetExists.self) { try db.backup(to: copy) }
    }
}
