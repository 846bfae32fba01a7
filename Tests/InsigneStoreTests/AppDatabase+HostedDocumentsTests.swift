import Foundation
import GRDB
import InsigneStore
import Testing

/// What hosted documents, public pages and certificates read, and the change signal that empties their cache.
@Suite("Hosted documents store")
struct HostedDocumentsStoreTests {
    typealias F = IssuingFixture

    @Test func profilesListKeysAndRevocationsOfOneIssuer() async throws {
        let db = try await F.database()
        _ = try await db.rotateSigningKey(to: F.key("foyer", "foyer-k2", at: F.start.addingTimeInterval(5)), actor: "a")
        _ = try await db.storeAward(F.award("a1"), actor: "staff")
        _ = try await db.storeAward(F.award("b1", badge: "annexe-badge", key: "annexe-k1"), actor: "staff")
        _ = try await db.revokeAward(id: "a1", reason: "r", actor: "staff")
        _ = try await db.revokeAward(id: "b1", reason: "r", actor: "staff")

        let (issuer, keys) = try #require(try await db.issuerWithKeys(id: "foyer"))
        #expect(issuer.id == "foyer" && keys.map(\.id) == ["foyer-k1", "foyer-k2"])
        #expect(try await db.issuerWithKeys(id: "nope") == nil)
        #expect(try await db.revokedAwards(issuerID: "foyer")?.map(\.id) == ["a1"])
        #expect(try await db.revokedAwards(issuerID: "nope") == nil)
    }

    @Test func pagesReadABadgeAnAwardAndAnIssuerWithItsFamily() async throws {
        let db = try await F.database()
        _ = try await db.storeAward(F.award("b1", badge: "annexe-badge", key: "annexe-k1"), actor: "staff")
        #expect(try await db.badgeClassWithIssuer(id: "foyer-badge")?.1?.name == "Foyer")
        #expect(try await db.badgeClassWithIssuer(id: "nope") == nil)
        let (a, b, i) = try #require(try await db.awardWithBadgeClassAndIssuer(id: "b1"))
        #expect(a.id == "b1" && b.id == "annexe-badge" && i?.id == "annexe")

        let foyer = try #require(try await db.issuerProfile(id: "foyer"))
        #expect(foyer.parent == nil && foyer.children.map(\.id) == ["annexe"])
        #expect(foyer.badgeClasses.map(\.id) == ["foyer-badge"])
        #expect(try await db.issuerProfile(id: "annexe")?.parent?.id == "foyer")

        let (ca, cb, ci, parent) = try #require(try await db.certificateSubject(awardID: "b1"))
        #expect(ca.id == "b1" && cb.id == "annexe-badge" && ci.id == "annexe" && parent?.id == "foyer")
        #expect(try await db.certificateSubject(awardID: "nope") == nil)
    }

    @Test func commitsToPublishedTablesAreSignalled() async throws {
        let db = try await F.database()
        let count = Counter()
        db.observePublishedTables { count.add() }
        try await db.recordSetting("unrelated", value: "x")
        #expect(count.value == 0)
        _ = try await db.storeAward(F.award("a1"), actor: "staff")
        #expect(count.value == 1)
        _ = try await db.revokeAward(id: "a1", reason: "r", actor: "staff")
        #expect(count.value == 2)
    }

    /// Counts calls from any thread.
    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var n = 0
        var value: Int { lock.withLock { n } }
        func add() { lock.withLock { n += 1 } }
    }
}
