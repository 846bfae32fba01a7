import Foundation
import GRDB
import Testing

@testable import InsigneStore

/// The award search index (FTS5 trigram) and the award counts kept per badge class (migration `v9-scale2`): what
/// a user types is searched as text, never as FTS syntax, and the index and counts follow every write.
@Suite("Search store")
struct SearchStoreTests {
    typealias F = IssuingFixture

    /// Awards of foyer: Léa Martin, Élodie Dupont (revoked), Sam without a name; annexe: Jean-Émile Ñúñez.
    static func database() async throws -> AppDatabase {
        let db = try await F.database()
        _ = try await db.storeAward(F.award("a1", name: "Léa Martin"), actor: "staff")
        _ = try await db.storeAward(
            F.award("a2", email: "elodie.dupont@example.org", name: "Élodie Dupont", at: F.start + 10), actor: "staff")
        _ = try await db.storeAward(F.award("a3", email: "sam@example.net", at: F.start + 20), actor: "staff")
        _ = try await db.storeAward(
            F.award(
                "b1", badge: "annexe-badge", email: "jean@annexe.example", name: "Jean-Émile Ñúñez", key: "annexe-k1",
                at: F.start + 30), actor: "admin")
        _ = try await db.revokeAward(id: "a2", reason: "erreur", actor: "staff")
        return db
    }

    static func ids(_ db: AppDatabase, _ q: String, issuers: [String] = ["foyer", "annexe"]) async throws -> [String] {
        let page = try await db.trainerAwards(
            issuerIDs: issuers, filter: .init(search: q), page: 1, pageSize: 50)
        #expect(page.total == page.items.count, "total and items of \(q)")
        return page.items.map(\.id)
    }

    @Test func substringsOfThreeCharactersOrMoreIgnoreCase() async throws {
        let db = try await Self.database()
        #expect(try await Self.ids(db, "MARTIN") == ["a1"])
        #expect(try await Self.ids(db, "a martin") == ["a1"])
        #expect(try await Self.ids(db, "example.") == ["a3", "a2", "a1"])
        #expect(try await Self.ids(db, "@example.org") == ["a2", "a1"])
        #expect(try await Self.ids(db, "xyz").isEmpty)
        #expect(try await Self.ids(db, "example", issuers: ["foyer"]) == ["a3", "a2", "a1"])
        // Accented letters: their case is ignored too, the accent is not (as the list did before).
        #expect(try await Self.ids(db, "ÉLODIE") == ["a2"])
        #expect(try await Self.ids(db, "élodie") == ["a2"])
        #expect(try await Self.ids(db, "ÑÚÑ") == ["b1"])
        #expect(try await Self.ids(db, "nun").isEmpty)
    }

    @Test func oneOrTwoCharactersFindWhatBeginsWithThem() async throws {
        let db = try await Self.database()
        #expect(try await Self.ids(db, "s") == ["a3"])
        #expect(try await Self.ids(db, "SA") == ["a3"])
        #expect(try await Self.ids(db, "m") == ["a1"])  // the name word "Martin"
        #expect(try await Self.ids(db, "é") == ["a2"])  // "Élodie"; "Émile" after a hyphen begins no word
        #expect(try await Self.ids(db, "ñ") == ["b1"])
        #expect(try await Self.ids(db, "du") == ["a2"])
        #expect(try await Self.ids(db, "ar").isEmpty)  // inside a word: not a beginning
    }

    @Test func whatUsersTypeIsNeverFTSSyntax() async throws {
        let db = try await Self.database()
        for typed in [
            "\"", "\"\"", "'", "%_", "*", "a*", "OR", "martin OR sam", "NEAR(a b)", "{email}: x", "^lea", "-sam",
            "(", ")", ":", "sam\"", "\u{0}", "\u{1}\u{1}", "lea\u{0}", "AND NOT", "\\", "😀",
        ] {
            _ = try await Self.ids(db, typed)
        }
        #expect(try await Self.ids(db, "martin OR sam").isEmpty)
        #expect(try await Self.ids(db, "\u{0}").isEmpty)
        #expect(AwardSearch.matchExpression("a\"b") == "{email name} : \"a\"\"b\"")
        #expect(AwardSearch.matchExpression("\u{0}\u{7}") == nil)
        #expect(
            AwardSearch.matchExpression("sam@example.net")
                == "{email name} : \"sam@\" AND {email name} : \"sam@example.net\"")
        #expect(try await Self.ids(db, "sam@example.net") == ["a3"])
        #expect(try await Self.ids(db, "SAM@EXAMPLE.N") == ["a3"])
        #expect(try await Self.ids(db, "sam@example.org").isEmpty)
        #expect(try await Self.ids(db, "dupont@example.org") == ["a2"])
        #expect(try await Self.ids(db, "Jean-É") == ["b1"])
    }

    @Test func theIndexFollowsChangesAndDeletions() async throws {
        let db = try await Self.database()
        try await db.writer.write { db in
            try db.execute(
                sql: "UPDATE assertion SET recipientEmail = 'x@y.example', recipientName = NULL WHERE id = 'a1'")
        }
        #expect(try await Self.ids(db, "martin").isEmpty)
        #expect(try await Self.ids(db, "x@y.") == ["a1"])
        try await db.writer.write { db in try db.execute(sql: "DELETE FROM assertion WHERE id = 'a3'") }
        #expect(try await Self.ids(db, "sam").isEmpty)
        // Nothing of the old text is left in the index (an erased address is not findable).
        let entries = try await db.writer.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM assertionSearch WHERE assertionSearch MATCH '\"martin\"'")
        }
        #expect(entries == 0)
    }

    /// The counts the dashboard and the lists show are the true counts after every kind of write.
    @Test func theKeptCountsAreTheTrueCounts() async throws {
        let db = try await Self.database()
        func check() async throws {
            let (kept, real) = try await db.writer.read { db in
                (
                    try Row.fetchAll(db, sql: "SELECT badgeClassID, total, revoked FROM awardCount WHERE total > 0")
                        .map { "\($0[0] as String) \($0[1] as Int) \($0[2] as Int)" }.sorted(),
                    try Row.fetchAll(
                        db,
                        sql: "SELECT badgeClassID, COUNT(*), COUNT(revokedAt) FROM assertion GROUP BY badgeClassID"
                    ).map { "\($0[0] as String) \($0[1] as Int) \($0[2] as Int)" }.sorted()
                )
            }
            #expect(kept == real)
        }
        try await check()
        #expect(
            try await db.trainerDashboard(issuerIDs: ["foyer"]).counts["foyer-badge"]
                == AwardCounts(total: 3, revoked: 1))
        var rows = BulkRows()
        var revoked = F.award("c1", email: "zoe@example.org", at: F.start + 40)
        revoked.revokedAt = F.start
        rows.assertions = [revoked, F.award("c2", badge: "annexe-badge", key: "annexe-k1", at: F.start + 50)]
        try await db.insertBulk(rows)
        try await check()
        #expect(try await Self.ids(db, "zoe@") == ["c1"])
        try await db.writer.write { db in
            try db.execute(sql: "UPDATE assertion SET revokedAt = NULL WHERE id = 'a2'")
            try db.execute(sql: "UPDATE assertion SET badgeClassID = 'annexe-badge' WHERE id = 'a1'")
            try db.execute(sql: "DELETE FROM assertion WHERE id = 'c1'")
        }
        try await check()
        for (issuers, filter) in [
            (["foyer"], TrainerAwardFilter()), (["foyer", "annexe"], .init()),
            (["foyer", "annexe"], .init(state: .active)),
            (["foyer", "annexe"], .init(state: .revoked)), (["foyer"], .init(badgeClassID: "annexe-badge")),
            (["foyer", "annexe"], .init(badgeClassID: "annexe-badge", state: .active)),
        ] {
            let page = try await db.trainerAwards(issuerIDs: issuers, filter: filter, page: 1, pageSize: 50)
            #expect(page.total == page.items.count, "\(issuers) \(filter)")
        }
        for (badge, issuer, revoked) in [
            (nil, nil, nil), (nil, "foyer", true), ("annexe-badge", nil, false),
            (nil, "annexe", nil) as (String?, String?, Bool?),
        ] {
            let page = try await db.awards(
                badgeClassID: badge, issuerID: issuer, recipientEmail: nil, revoked: revoked, page: 1, perPage: 50)
            #expect(page.total == page.items.count, "\(String(describing: badge)) \(String(describing: issuer))")
        }
    }

    /// The migration fills the index and the counts from the awards already there.
    @Test func theMigrationIndexesExistingAwards() async throws {
        let db = try await Self.database()
        try await db.writer.write { db in
            try db.execute(sql: "DELETE FROM awardCount")
            try AppDatabase.rebuildAwardSearch(db)
            try db.execute(
                sql: """
                    INSERT INTO awardCount (badgeClassID, total, revoked)
                    SELECT badgeClassID, COUNT(*), COUNT(revokedAt) FROM assertion GROUP BY badgeClassID
                    """)
        }
        #expect(try await Self.ids(db, "dupont") == ["a2"])
        #expect(
            try await db.trainerDashboard(issuerIDs: ["annexe"]).counts["annexe-badge"]
                == AwardCounts(total: 1, revoked: 0))
    }
}
