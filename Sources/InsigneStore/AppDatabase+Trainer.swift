import Foundation
import GRDB

/// How many awards a badge class has, revoked ones included.
public struct AwardCounts: Sendable, Equatable {
    /// Every award, revoked or not.
    public var total: Int
    /// The revoked ones.
    public var revoked: Int

    /// Creates counts.
    public init(total: Int, revoked: Int) {
        self.total = total
        self.revoked = revoked
    }
}

/// Which awards the trainers' list shows.
public struct TrainerAwardFilter: Sendable, Equatable {
    /// Which awards by state.
    public enum State: Sendable, Equatable { case all, active, revoked }
    /// Only this badge class (empty: every badge class of the issuers).
    public var badgeClassID: String = ""
    /// Active, revoked or both.
    public var state: State = .all
    /// Part of the recipient's email or name, compared without regard to case (empty: no search).
    public var search: String = ""

    /// Creates a filter.
    public init(badgeClassID: String = "", state: State = .all, search: String = "") {
        self.badgeClassID = badgeClassID
        self.state = state
        self.search = search
    }
}

/// One page of the trainers' award list.
public struct TrainerAwardPage: Sendable, Equatable {
    /// The badge classes of the issuers, by name (the filter's choices).
    public var badgeClasses: [BadgeClassRecord]
    /// How many awards match the filter.
    public var total: Int
    /// This page's awards, newest first.
    public var items: [AssertionRecord]
    /// The first award's cursor when newer awards exist (a previous page).
    public var newer: AwardCursor? = nil
    /// The last award's cursor when older awards exist (a next page).
    public var older: AwardCursor? = nil
}

extension AppDatabase {
    /// The issuers an account acts for: every issuer (by name) for an administrator, those where staff hold a role
    /// (by name), none for a learner.
    public func issuers(actingFor account: AccountRecord) async throws -> [IssuerRecord] {
        try await writer.read { db in
            switch account.role {
            case .admin: try IssuerRecord.order(\.name).fetchAll(db)
            case .staff:
                try IssuerRecord.filter(
                    sql: "id IN (SELECT issuerID FROM membership WHERE accountID = ?)", arguments: [account.id]
                ).order(\.name).fetchAll(db)
            case .learner: []
            }
        }
    }

    /// Every issuer, in no particular order.
    public func allIssuers() async throws -> [IssuerRecord] {
        try await writer.read { db in try IssuerRecord.fetchAll(db) }
    }

    /// How many badge classes each issuer has, by issuer id (issuers without any are absent).
    public func badgeClassCountsByIssuer() async throws -> [String: Int] {
        try await writer.read { db in
            try Dictionary(
                Row.fetchAll(db, sql: "SELECT issuerID, COUNT(*) FROM badgeClass GROUP BY issuerID").map {
                    ($0[0] as String, $0[1] as Int)
                },
                uniquingKeysWith: { a, _ in a })
        }
    }

    /// The dashboard: the badge classes of these issuers by name, and the award counts of every badge class by id,
    /// read at once.
    public func trainerDashboard(issuerIDs: [String]) async throws
        -> (badgeClasses: [BadgeClassRecord], counts: [String: AwardCounts])
    {
        try await writer.read { db in
            let badges = try BadgeClassRecord.filter { issuerIDs.contains($0.issuerID) }.order(\.name)
                .fetchAll(db)
            // Only these badge classes, from the counts kept with the awards (no award read).
            let counts = try Self.awardCounts(db, badgeClassIDs: badges.map(\.id))
            return (badges, counts)
        }
    }

    /// One page (1-based) of the awards of these issuers' badge classes matching `filter`, newest first, with the
    /// total and the issuers' badge classes, read at once.
    public func trainerAwards(issuerIDs: [String], filter: TrainerAwardFilter, page: Int, pageSize: Int) async throws
        -> TrainerAwardPage
    {
        try await trainerAwards(
            issuerIDs: issuerIDs, filter: filter, start: .offset(max(0, page - 1) * max(1, pageSize)),
            pageSize: pageSize)
    }

    /// A page of the awards of these issuers' badge classes matching `filter` from `start` (an offset for the
    /// first pages, else a cursor: the next or previous page of one read), newest first, with the total and the
    /// issuers' badge classes, read at once.
    public func trainerAwards(issuerIDs: [String], filter: TrainerAwardFilter, start: AwardPageStart, pageSize: Int)
        async throws -> TrainerAwardPage
    {
        try await writer.read { db in
            let badges = try BadgeClassRecord.filter { issuerIDs.contains($0.issuerID) }.order(\.name)
                .fetchAll(db)
            // Every badge class (an administrator): no list of ids, so the newest-first index serves the page.
            let everyBadge = try badges.count == BadgeClassRecord.fetchCount(db)
            var ids = badges.map(\.id)
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if !filter.badgeClassID.isEmpty {
                ids = everyBadge || ids.contains(filter.badgeClassID) ? [filter.badgeClassID] : []
                conditions.append(ids.isEmpty ? "0" : "assertion.badgeClassID = ?")
                _ = arguments.append(contentsOf: StatementArguments(ids))
            } else if !everyBadge {
                conditions.append(ids.isEmpty ? "0" : "assertion.badgeClassID IN (\(Self.marks(ids.count)))")
                _ = arguments.append(contentsOf: StatementArguments(ids))
            }
            switch filter.state {
            case .all: break
            case .active: conditions.append("assertion.revokedAt IS NULL")
            case .revoked: conditions.append("assertion.revokedAt IS NOT NULL")
            }
            let total: Int
            if filter.search.isEmpty {
                // The counts kept per badge class, not a count of the awards.
                let sums = try Self.awardCounts(
                    db, badgeClassIDs: everyBadge && filter.badgeClassID.isEmpty ? nil : ids
                ).values.reduce(into: AwardCounts(total: 0, revoked: 0)) {
                    $0.total += $1.total
                    $0.revoked += $1.revoked
                }
                total =
                    filter.state == .all
                    ? sums.total : filter.state == .revoked ? sums.revoked : sums.total - sums.revoked
            } else {
                // The search index gives the matching awards (no read of every address).
                guard let match = AwardSearch.matchExpression(filter.search) else {
                    return TrainerAwardPage(badgeClasses: badges, total: 0, items: [])
                }
                conditions.append(
                    "assertion.rowid IN (SELECT rowid FROM assertionSearch WHERE assertionSearch MATCH ?)")
                _ = arguments.append(contentsOf: [match])
                total =
                    try Int.fetchOne(
                        db, sql: "SELECT COUNT(*) FROM assertion WHERE " + conditions.joined(separator: " AND "),
                        arguments: arguments) ?? 0
            }
            let slice = try Self.awardSlice(
                db, conditions: conditions, arguments: arguments, start: start, limit: pageSize)
            return TrainerAwardPage(
                badgeClasses: badges, total: total, items: slice.items, newer: slice.newer, older: slice.older)
        }
    }

    /// An award with its badge class, its issuer and the display name of whoever revoked it, read at once; nil when
    /// any of the first three is missing.
    public func awardDetail(id: String) async throws
        -> (AssertionRecord, BadgeClassRecord, IssuerRecord, revokerName: String?)?
    {
        try await writer.read { db in
            guard let a = try AssertionRecord.fetchOne(db, key: id),
                let b = try BadgeClassRecord.fetchOne(db, key: a.badgeClassID),
                let i = try IssuerRecord.fetchOne(db, key: b.issuerID)
            else { return nil }
            let revoker = try a.revokedBy.flatMap { try AccountRecord.fetchOne(db, key: $0)?.displayName }
            return (a, b, i, revoker)
        }
    }

    /// The issuer an award belongs to (through its badge class); nil when the award is unknown.
    public func issuerIDOfAward(id: String) async throws -> String? {
        try await writer.read { db in
            guard let a = try AssertionRecord.fetchOne(db, key: id) else { return nil }
            return try BadgeClassRecord.fetchOne(db, key: a.badgeClassID)?.issuerID
        }
    }

    /// The award counts of these badge classes (every badge class when nil) by id, read from `awardCount`.
    static func awardCounts(_ db: Database, badgeClassIDs: [String]?) throws -> [String: AwardCounts] {
        var counts: [String: AwardCounts] = [:]
        func add(_ rows: [Row]) {
            for row in rows { counts[row[0]] = AwardCounts(total: row[1], revoked: row[2]) }
        }
        guard let ids = badgeClassIDs else {
            add(try Row.fetchAll(db, sql: "SELECT badgeClassID, total, revoked FROM awardCount"))
            return counts
        }
        for part in stride(from: 0, to: ids.count, by: 500) {
            let slice = Array(ids[part..<min(ids.count, part + 500)])
            let marks = Array(repeating: "?", count: slice.count).joined(separator: ",")
            add(
                try Row.fetchAll(
                    db, sql: "SELECT badgeClassID, total, revoked FROM awardCount WHERE badgeClassID IN (\(marks))",
                    arguments: StatementArguments(slice)))
        }
        return counts
    }
}
