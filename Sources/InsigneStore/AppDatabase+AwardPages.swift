import Foundation
import GRDB
import OpenBadges

/// A place in a newest-first list of awards: the creation time (as stored) and the id of the last (or first) award
/// of a page. A page read from a cursor goes through the `(createdAt, id)` indexes, so a deep page costs what the
/// first one costs (an OFFSET reads every skipped entry). Its token is opaque to clients: base64url of the two.
public struct AwardCursor: Sendable, Hashable {
    /// `createdAt` exactly as stored (`yyyy-MM-dd HH:mm:ss.SSS`).
    public let createdAt: String
    /// The award's id.
    public let id: String

    init(createdAt: String, id: String) {
        self.createdAt = createdAt
        self.id = id
    }

    /// The cursor of a token (nil when it is not one: not base64url, no separator, a time that is not a stored
    /// time, an empty, long or unprintable id).
    public init?(token: String) {
        guard (8...400).contains(token.utf8.count),
            token.utf8.allSatisfy({ Self.tokenBytes.contains($0) })
        else { return nil }
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.utf8.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8) else {
            return nil
        }
        let parts = text.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, Self.isStoredTime(parts[0]), (1...200).contains(parts[1].utf8.count),
            parts[1].unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value != 0x7F })
        else { return nil }
        self.init(createdAt: String(parts[0]), id: String(parts[1]))
    }

    /// The opaque token: base64url (no padding) of `createdAt|id`.
    public var token: String {
        Data("\(createdAt)|\(id)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    private static let tokenBytes = Set(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// `yyyy-MM-dd HH:mm:ss` with up to 9 decimals, as GRDB stores dates.
    private static func isStoredTime(_ s: Substring) -> Bool {
        let b = Array(s.utf8)
        guard (19...29).contains(b.count) else { return false }
        let digit = { (c: UInt8) in c >= 0x30 && c <= 0x39 }
        let shape = Array("dddd-dd-dd dd:dd:dd".utf8)
        for (i, c) in shape.enumerated() where c == UInt8(ascii: "d") ? !digit(b[i]) : b[i] != c {
            return false
        }
        guard b.count > 19 else { return true }
        return b[19] == UInt8(ascii: ".") && b.count > 20 && b[20...].allSatisfy(digit)
    }
}

/// Where a page of awards starts.
public enum AwardPageStart: Sendable, Equatable {
    /// After skipping this many awards (page numbers: kept for compatibility, costs the skipped entries).
    case offset(Int)
    /// The awards older than the cursor (the next page).
    case after(AwardCursor)
    /// The awards newer than the cursor (the previous page).
    case before(AwardCursor)
}

/// One page of awards, newest first, with the cursors that lead on.
public struct AwardSlice: Sendable, Equatable {
    /// The page's awards, newest first (by creation time, then id).
    public var items: [AssertionRecord]
    /// The cursor of the first award when newer awards exist (a previous page; nil on the first page read by offset).
    public var newer: AwardCursor?
    /// The cursor of the last award when older awards exist (a next page).
    public var older: AwardCursor?

    /// An empty page.
    public static let empty = AwardSlice(items: [], newer: nil, older: nil)
}

/// The filters of the admin API's award list (all optional).
public struct AwardListFilter: Sendable, Equatable {
    /// Only this badge class.
    public var badgeClassID: String?
    /// Only this issuer.
    public var issuerID: String?
    /// Only the awards of these issuers (nil: no such limit; empty: none).
    public var issuerIDs: [String]?
    /// Compared with the stored normalised address.
    public var recipientEmail: String?
    /// Revoked only (true), not revoked (false) or both (nil).
    public var revoked: Bool?

    /// Creates a filter.
    public init(
        badgeClassID: String? = nil, issuerID: String? = nil, issuerIDs: [String]? = nil,
        recipientEmail: String? = nil, revoked: Bool? = nil
    ) {
        self.badgeClassID = badgeClassID
        self.issuerID = issuerID
        self.issuerIDs = issuerIDs
        self.recipientEmail = recipientEmail
        self.revoked = revoked
    }
}

extension AppDatabase {
    /// A page of awards matching `filter`, newest first (creation time then id, both descending), from `start`,
    /// with the total for the filters: without an address, the sum of the counts kept per badge class.
    public func awardsPage(_ filter: AwardListFilter, start: AwardPageStart, perPage: Int) async throws
        -> (slice: AwardSlice, total: Int)
    {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let b = filter.badgeClassID {
            conditions.append("assertion.badgeClassID = ?")
            _ = arguments.append(contentsOf: [b])
        }
        if let i = filter.issuerID {
            conditions.append("badgeClass.issuerID = ?")
            _ = arguments.append(contentsOf: [i])
        }
        if let ids = filter.issuerIDs {
            conditions.append(ids.isEmpty ? "0" : "badgeClass.issuerID IN (\(Self.marks(ids.count)))")
            _ = arguments.append(contentsOf: StatementArguments(ids))
        }
        if let e = filter.recipientEmail {
            conditions.append("assertion.recipientEmail = ?")
            _ = arguments.append(contentsOf: [EmailNormalization.normalize(e)])
        }
        let revoked = filter.revoked
        // Without an address, the total is the sum of the counts kept per badge class (no count of the awards).
        let kept =
            filter.recipientEmail != nil
            ? nil
            : "SELECT coalesce(SUM(\(revoked == nil ? "total" : revoked == true ? "revoked" : "total - revoked")), 0) "
                + "FROM awardCount JOIN badgeClass ON badgeClass.id = awardCount.badgeClassID "
                + (conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "))
                .replacingOccurrences(of: "assertion.badgeClassID", with: "awardCount.badgeClassID")
        if let r = revoked {
            conditions.append(r ? "assertion.revokedAt IS NOT NULL" : "assertion.revokedAt IS NULL")
        }
        // The badge class is joined only to filter by issuer (counting a million awards joined costs as much again).
        let join =
            filter.issuerID != nil || filter.issuerIDs != nil
            ? "JOIN badgeClass ON badgeClass.id = assertion.badgeClassID" : ""
        return try await writer.read { [conditions, arguments] db in
            let total =
                try Int.fetchOne(
                    db,
                    sql: kept
                        ?? "SELECT COUNT(*) FROM assertion \(join) \(conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "))",
                    arguments: arguments) ?? 0
            let slice = try Self.awardSlice(
                db, join: join, conditions: conditions, arguments: arguments, start: start, limit: perPage)
            return (slice, total)
        }
    }

    /// The awards of `FROM assertion <join> WHERE <conditions>` from `start`, newest first, `limit` of them (at
    /// least one). A cursor bounds the index range (`createdAt <= ?` for any index ending in `createdAt`, the row
    /// value for `(…, createdAt, id)`): the page reads about `limit` index entries at any depth.
    static func awardSlice(
        _ db: Database, join: String = "", conditions: [String], arguments: StatementArguments,
        start: AwardPageStart, limit: Int
    ) throws -> AwardSlice {
        let limit = max(1, limit)
        var conditions = conditions
        var arguments = arguments
        var ascending = false
        var offset = 0
        switch start {
        case .offset(let n): offset = max(0, n)
        case .after(let c):
            conditions.append("assertion.createdAt <= ? AND (assertion.createdAt, assertion.id) < (?, ?)")
            _ = arguments.append(contentsOf: [c.createdAt, c.createdAt, c.id])
        case .before(let c):
            conditions.append("assertion.createdAt >= ? AND (assertion.createdAt, assertion.id) > (?, ?)")
            _ = arguments.append(contentsOf: [c.createdAt, c.createdAt, c.id])
            ascending = true
        }
        let direction = ascending ? "ASC" : "DESC"
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        _ = arguments.append(contentsOf: [limit + 1, offset])
        // The page's rowids from the index first, then those rows: skipped entries are not rows.
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT * FROM assertion WHERE rowid IN (SELECT assertion.rowid FROM assertion \(join) \(whereClause) \
                ORDER BY assertion.createdAt \(direction), assertion.id \(direction) LIMIT ? OFFSET ?) \
                ORDER BY createdAt \(direction), id \(direction)
                """, arguments: arguments)
        let more = rows.count > limit
        var page = Array(rows.prefix(limit))
        if ascending { page.reverse() }
        let cursor = { (row: Row) in AwardCursor(createdAt: row["createdAt"], id: row["id"]) }
        let first = page.first.map(cursor)
        let last = page.last.map(cursor)
        switch start {
        case .offset(let n):
            return AwardSlice(
                items: try page.map(AssertionRecord.init(row:)), newer: n > 0 ? first : nil,
                older: more ? last : nil)
        case .after:
            return AwardSlice(items: try page.map(AssertionRecord.init(row:)), newer: first, older: more ? last : nil)
        case .before:
            return AwardSlice(items: try page.map(AssertionRecord.init(row:)), newer: more ? first : nil, older: last)
        }
    }
}
