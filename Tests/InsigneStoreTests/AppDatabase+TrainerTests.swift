import Foundation
import GRDB
import Testing

@testable import InsigneStore

/// The trainers' reads: issuers an account acts for, dashboard counts, the award list and an award's detail.
@Suite("Trainer store")
struct TrainerStoreTests {
    typealias F = IssuingFixture

    static func account(_ db: AppDatabase, _ id: String) async throws -> AccountRecord {
        try #require(try await db.writer.read { db in try AccountRecord.fetchOne(db, key: id) })
    }

    /// The fixture with awards: `a1` (Léa), `a2` (Sam, revoked by the staff member), `b1` (annexe).
    static func database() async throws -> AppDatabase {
        let db = try await F.database()
        _ = try await db.storeAward(F.award("a1", name: "Léa Martin"), actor: "staff")
        _ = try await db.storeAward(
            F.award("a2", email: "sam@example.org", at: F.start.addingTimeInterval(10)), actor: "staff")
        _ = try await db.storeAward(
            F.award("b1", badge: "annexe-badge", key: "annexe-k1", at: F.start.addingTimeInterval(20)), actor: "admin")
        _ = try await db.revokeAward(id: "a2", reason: "erreur", actor: "staff")
        return db
    }

    @Test func staffActForTheirIssuerOnly() async throws {
        let db = try await Self.database()
        try await db.writer.write { db in
            try MembershipRecord(
                id: "mem_staff", accountID: "staff", issuerID: "foyer", role: .trainer, createdAt: F.start,
                createdBy: "test"
            ).insert(db)
        }
        #expect(try await db.issuers(actingFor: Self.account(db, "admin")).map(\.id) == ["annexe", "foyer"])
        #expect(try await db.issuers(actingFor: Self.account(db, "staff")).map(\.id) == ["foyer"])
        #expect(try await db.issuers(actingFor: Self.account(db, "lea")).isEmpty)
        #expect(try await db.allIssuers().count == 2)
        #expect(try await db.badgeClassCountsByIssuer() == ["foyer": 1, "annexe": 1])
    }

    @Test func theDashboardCountsAwardsAndRevocations() async throws {
        let db = try await Self.database()
        let d = try await db.trainerDashboard(issuerIDs: ["foyer"])
        #expect(d.badgeClasses.map(\.id) == ["foyer-badge"])
        #expect(d.counts["foyer-badge"] == AwardCounts(total: 2, revoked: 1))
    }

    @Test func theAwardListIsScopedFilteredAndPaged() async throws {
        let db = try await Self.database()
        func ids(_ issuers: [String], _ filter: TrainerAwardFilter = .init(), page: Int = 1, size: Int = 20)
            async throws -> [String]
        {
            try await db.trainerAwards(issuerIDs: issuers, filter: filter, page: page, pageSize: size).items.map(\.id)
        }
        #expect(try await ids(["foyer"]) == ["a2", "a1"])
        #expect(try await ids(["foyer", "annexe"]) == ["b1", "a2", "a1"])
        #expect(try await ids(["foyer"], .init(badgeClassID: "annexe-badge")).isEmpty)
        #expect(try await ids(["foyer"], .init(state: .active)) == ["a1"])
        #expect(try await ids(["foyer"], .init(state: .revoked)) == ["a2"])
        #expect(try await ids(["foyer"], .init(search: "SAM@")) == ["a2"])
        #expect(try await ids(["foyer"], .init(search: "martin")) == ["a1"])
        #expect(try await ids(["foyer"], page: 2, size: 1) == ["a1"])
        let page = try await db.trainerAwards(issuerIDs: ["foyer"], filter: .init(), page: 2, pageSize: 1)
        #expect(page.total == 2 && page.badgeClasses.map(\.id) == ["foyer-badge"])
    }

    @Test func anAwardsDetailNamesWhoRevokedIt() async throws {
        let db = try await Self.database()
        let detail = try #require(try await db.awardDetail(id: "a2"))
        #expect(detail.0.id == "a2" && detail.1.id == "foyer-badge" && detail.2.id == "foyer")
        #expect(detail.revokerName == "Formateur")
        #expect(try await db.awardDetail(id: "a1")?.revokerName == nil)
        #expect(try await db.awardDetail(id: "nope") == nil)
        #expect(try await db.issuerIDOfAward(id: "b1") == "annexe")
        #expect(try await db.issuerIDOfAward(id: "nope") == nil)
    }
}
