import Foundation
import GRDB
import Testing

@testable import InsigneStore

/// The backpack's store methods: extra addresses claimed, confirmed and removed; stored badges kept once per
/// assertion and read only by their learner; the public page's slug.
@Suite("Backpack store")
struct BackpackStoreTests {
    static let now = PortfolioStoreTests.now

    static func badge(
        _ id: String, learner: String = "lea", assertion: String = "https://a.example/1", data: Data? = nil
    )
        -> BackpackBadgeRecord
    {
        BackpackBadgeRecord(
            id: id, learnerID: learner, source: .url, assertionID: assertion, jws: nil, assertionJSON: "{}",
            originalData: data, originalType: data == nil ? nil : "image/png", badgeName: "Badge", issuerName: "Foyer",
            issuedOn: nil, outcome: "valid", reportJSON: "{}", verifiedAt: now, createdAt: now, updatedAt: now)
    }

    @Test func anAddressIsClaimedConfirmedThenRemoved() async throws {
        let db = try await PortfolioStoreTests.database()
        #expect(
            try await db.addLearnerEmail("sam@example.org", accountID: "lea", tokenHash: "h0", maxAddresses: 10)
                == .takenByAnother)
        #expect(
            try await db.addLearnerEmail("pro@example.net", accountID: "sam", tokenHash: "h1", maxAddresses: 10)
                == .added)
        // A pending claim proves nothing: Léa's claim replaces Sam's.
        #expect(
            try await db.addLearnerEmail("pro@example.net", accountID: "lea", tokenHash: "h2", maxAddresses: 10)
                == .added)
        #expect(try await db.pendingLearnerEmail(tokenHash: "h1") == nil)
        #expect(try await db.confirmLearnerEmail(tokenHash: "h2", accountID: "sam", now: Self.now) == nil)
        #expect(try await db.confirmLearnerEmail(tokenHash: "h2", accountID: "lea", now: Self.now) == "pro@example.net")
        #expect(try await db.verifiedLearnerEmails(accountID: "lea") == ["lea@example.org", "pro@example.net"])
        #expect(
            try await db.addLearnerEmail("pro@example.net", accountID: "lea", tokenHash: "h3", maxAddresses: 10)
                == .alreadyYours)
        #expect(
            try await db.addLearnerEmail("pro@example.net", accountID: "sam", tokenHash: "h4", maxAddresses: 10)
                == .takenByAnother)
        #expect(
            try await db.addLearnerEmail("more@example.net", accountID: "lea", tokenHash: "h5", maxAddresses: 1)
                == .tooMany)
        #expect(try await !db.removeLearnerEmail("pro@example.net", accountID: "sam"))
        #expect(try await db.removeLearnerEmail("pro@example.net", accountID: "lea"))
        #expect(try await db.learnerEmails(accountID: "lea").isEmpty)
    }

    @Test func aBadgeIsKeptOncePerAssertionAndReadOnlyByItsLearner() async throws {
        let db = try await PortfolioStoreTests.database()
        let png = Data([1, 2, 3])
        let first = try await db.keepBackpackBadge(Self.badge("b1", data: png), now: Self.now)
        #expect(!first.updated && first.record.id == "b1")
        var again = Self.badge("b2")
        again.source = .jws
        again.outcome = "revoked"
        let later = Self.now.addingTimeInterval(60)
        let second = try await db.keepBackpackBadge(again, now: later)
        #expect(second.updated)
        #expect(second.record.id == "b1" && second.record.source == .url && second.record.originalData == png)
        #expect(second.record.createdAt == Self.now && second.record.outcome == "revoked")
        #expect(try await db.backpackBadge(id: "b1", learnerID: "sam") == nil)
        let stored = try #require(try await db.backpackBadge(id: "b1", learnerID: "lea"))
        #expect(try await db.recordBackpackBadgeState(stored, outcome: "invalid", now: later).outcome == "invalid")
        #expect(try await db.backpackSources(learnerID: "lea").stored.map(\.outcome) == ["invalid"])
        try await db.deleteBackpackBadge(stored, actor: "lea")
        #expect(try await db.backpackSources(learnerID: "lea").stored.isEmpty)
        let actions = try await db.writer.read { db in
            try AuditEventRecord.order(\.id).fetchAll(db).map(\.action)
        }
        #expect(actions == ["backpack.import", "backpack.update", "backpack.delete"])
    }

    @Test func thePublicPageKeepsItsSlugWhileOpen() async throws {
        let db = try await PortfolioStoreTests.database()
        let slug = String(repeating: "a", count: 32)
        #expect(try await db.setBackpackPublic(true, accountID: "lea", freshSlug: slug) == slug)
        #expect(try await db.setBackpackPublic(true, accountID: "lea", freshSlug: "other") == slug)
        #expect(try await db.backpackPublicSlug(accountID: "lea") == slug)
        #expect(try await db.publicBackpackOwner(slug: slug)?.id == "lea")
        #expect(try await db.setBackpackPublic(false, accountID: "lea", freshSlug: "other") == nil)
        #expect(try await db.publicBackpackOwner(slug: slug) == nil)
    }
}
