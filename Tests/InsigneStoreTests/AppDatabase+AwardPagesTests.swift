import Foundation
import GRDB
import Testing

@testable import InsigneStore

/// Pages of awards read from a cursor: every award once, newest first (time, then id), forwards and back, with the
/// filters of the admin API and of the trainers' list; tokens that are not cursors are refused.
@Suite("Award pages by cursor")
struct AwardPagesTests {
    typealias F = IssuingFixture

    /// 95 awards, created in groups of five at the same instant (ties ordered by id), one in ten revoked, one in
    /// three of the establishment `annexe`.
    static func database() async throws -> AppDatabase {
        let db = try await F.database()
        var rows = BulkRows()
        for i in 0..<95 {
            let annexe = i % 3 == 0
            var a = F.award(
                String(format: "aw%03d", (i * 37) % 95), badge: annexe ? "annexe-badge" : "foyer-badge",
                email: "p\(i % 7)@example.org", key: annexe ? "annexe-k1" : "foyer-k1",
                at: F.start.addingTimeInterval(Double(i / 5)))
            if i % 10 == 4 { a.revokedAt = a.createdAt }
            rows.assertions.append(a)
        }
        try await db.insertBulk(rows)
        return db
    }

    /// The ids in list order, read from the database itself.
    static func expected(_ db: AppDatabase, _ condition: String = "1") async throws -> [String] {
        try await db.writer.read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT assertion.id FROM assertion JOIN badgeClass ON badgeClass.id = assertion.badgeClassID \
                    WHERE \(condition) ORDER BY assertion.createdAt DESC, assertion.id DESC
                    """)
        }
    }

    /// Every page of `filter` walked forwards from the first by `older` cursors, then back by `newer` ones.
    static func walk(_ db: AppDatabase, _ filter: AwardListFilter, perPage: Int) async throws
        -> (forwards: [[String]], backwards: [[String]])
    {
        var forwards: [[String]] = []
        var slice = try await db.awardsPage(filter, start: .offset(0), perPage: perPage).slice
        #expect(slice.newer == nil)
        forwards.append(slice.items.map(\.id))
        while let next = slice.older {
            slice = try await db.awardsPage(filter, start: .after(next), perPage: perPage).slice
            forwards.append(slice.items.map(\.id))
        }
        var backwards = [slice.items.map(\.id)]
        while let previous = slice.newer {
            slice = try await db.awardsPage(filter, start: .before(previous), perPage: perPage).slice
            backwards.insert(slice.items.map(\.id), at: 0)
        }
        return (forwards, backwards)
    }

    @Test func everyAwardOnceInOrderForwardsAndBack() async throws {
        let db = try await Self.database()
        for (filter, condition) in [
            (AwardListFilter(), "1"), (AwardListFilter(badgeClassID: "annexe-badge"), "badgeClassID = 'annexe-badge'"),
            (AwardListFilter(issuerID: "foyer"), "badgeClass.issuerID = 'foyer'"),
            (AwardListFilter(revoked: true), "revokedAt IS NOT NULL"),
            (AwardListFilter(issuerIDs: ["foyer", "annexe"], revoked: false), "revokedAt IS NULL"),
            (AwardListFilter(recipientEmail: "P3@example.org"), "recipientEmail = 'p3@example.org'"),
        ] {
            let all = try await Self.expected(db, condition)
            for perPage in [1, 7, 50, 200] {
                let (forwards, backwards) = try await Self.walk(db, filter, perPage: perPage)
                #expect(forwards.flatMap { $0 } == all, "\(filter) \(perPage)")
                #expect(forwards.dropLast().allSatisfy { $0.count == perPage })
                #expect(backwards == forwards, "\(filter) \(perPage)")
                // The offset pages (compatibility) are the same pages.
                let third = try await db.awardsPage(filter, start: .offset(2 * perPage), perPage: perPage)
                #expect(third.slice.items.map(\.id) == (forwards.count > 2 ? forwards[2] : []))
                #expect(third.total == all.count)
            }
        }
    }

    @Test func theTrainersListLeadsOnFromItsCursors() async throws {
        let db = try await Self.database()
        for (issuers, filter) in [
            (["foyer", "annexe"], TrainerAwardFilter()), (["foyer"], TrainerAwardFilter(state: .active)),
            (["foyer", "annexe"], TrainerAwardFilter(badgeClassID: "annexe-badge", state: .revoked)),
            (["foyer", "annexe"], TrainerAwardFilter(search: "p3@")),
        ] {
            let first = try await db.trainerAwards(issuerIDs: issuers, filter: filter, page: 1, pageSize: 10)
            var ids = first.items.map(\.id)
            var page = first
            while let next = page.older {
                page = try await db.trainerAwards(issuerIDs: issuers, filter: filter, start: .after(next), pageSize: 10)
                #expect(page.total == first.total)
                ids += page.items.map(\.id)
            }
            #expect(ids.count == first.total && Set(ids).count == ids.count, "\(issuers) \(filter)")
            #expect(ids.count > 10 || page.newer == nil)
            if let back = page.newer {
                let previous = try await db.trainerAwards(
                    issuerIDs: issuers, filter: filter, start: .before(back), pageSize: 10)
                #expect(previous.items.map(\.id) == Array(ids.dropLast(page.items.count).suffix(10)))
            }
        }
        // A badge class of another issuer: nothing.
        let other = try await db.trainerAwards(
            issuerIDs: ["annexe"], filter: TrainerAwardFilter(badgeClassID: "foyer-badge"), start: .offset(0),
            pageSize: 10)
        #expect(other.items.isEmpty && other.total == 0 && other.older == nil)
    }

    @Test func tokensRoundTripAndOthersAreRefused() throws {
        let c = AwardCursor(createdAt: "2027-01-15 08:00:00.123", id: "urn:uuid:1b6e6a0c")
        #expect(AwardCursor(token: c.token) == c)
        #expect(!c.token.contains("=") && !c.token.contains("+") && !c.token.contains("/"))
        let base64url = { (s: String) in
            Data(s.utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        }
        #expect(AwardCursor(token: base64url("2027-01-15 08:00:00|a1"))?.id == "a1")
        for bad in [
            "", "abc", "not a cursor!", String(repeating: "A", count: 500), base64url("2027-01-15 08:00:00.123"),
            base64url("2027-01-15T08:00:00Z|a1"), base64url("2027-01-15 08:00:00.|a1"),
            base64url("2027-01-15 08:00:00.12x|a1"), base64url("2027-01-15 08:00:00|"),
            base64url("2027-01-15 08:00:00|a b"),
            base64url("2027-13-15 08:00:00|" + String(repeating: "x", count: 201)),
            base64url("' OR 1=1 --|x"),
        ] {
            #expect(AwardCursor(token: bad) == nil, "\(bad)")
        }
    }
}
