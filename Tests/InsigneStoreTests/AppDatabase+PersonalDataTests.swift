import Foundation
import GRDB
import Testing

@testable import InsigneStore

/// The personal-data reads and the erasure: each feature's part runs in the one `eraseLearner` transaction, and
/// another learner's rows are left alone.
@Suite("Personal data store")
struct PersonalDataStoreTests {
    static let now = PortfolioStoreTests.now

    /// Léa with a piece (and its file), a share link, an extra address, a stored badge and a public page; Sam with a
    /// piece sharing Léa's file.
    static func database() async throws -> AppDatabase {
        let db = try await PortfolioStoreTests.database()
        let file = EvidenceFileUpload(sha256: "aa", size: 1, mediaType: "image/png", fileName: "a.png")
        let own = EvidenceFileUpload(sha256: "cc", size: 1, mediaType: "image/png", fileName: "c.png")
        for (id, learner, upload) in [("pl", "lea", file), ("pl2", "lea", own), ("ps", "sam", file)] {
            _ = try await db.saveEvidence(
                EvidenceItemRecord(
                    id: id, learnerID: learner, kind: .file, title: id, createdAt: now, updatedAt: now),
                tags: [EvidenceAlignmentRecord(evidenceID: id, frameworkID: "fw", competencyIDNumber: "C1")],
                file: upload)
        }
        try await db.createShareLink(tokenHash: "t", learnerID: "lea", label: "Jury", now: now)
        _ = try await db.addLearnerEmail("pro@example.net", accountID: "lea", tokenHash: "h", maxAddresses: 10)
        _ = try await db.confirmLearnerEmail(tokenHash: "h", accountID: "lea", now: now)
        _ = try await db.addLearnerEmail("pending@example.net", accountID: "lea", tokenHash: "h2", maxAddresses: 10)
        _ = try await db.keepBackpackBadge(BackpackStoreTests.badge("b1"), now: now)
        _ = try await db.setBackpackPublic(true, accountID: "lea", freshSlug: String(repeating: "b", count: 32))
        return db
    }

    @Test func theExportReadsEachFeaturesRows() async throws {
        let db = try await Self.database()
        let records = try await db.learnerPersonalRecords(accountID: "lea", primaryEmail: "lea@example.org")
        #expect(records.confirmedEmails == ["lea@example.org", "pro@example.net"])
        #expect(records.enrolments.map(\.issuerID) == ["foyer"])
        let backpack = try await db.backpackPersonalRecords(accountID: "lea")
        #expect(backpack.emails.map(\.email) == ["pro@example.net", "pending@example.net"])
        #expect(backpack.badges.map(\.id) == ["b1"] && backpack.setting?.publicSlug != nil)
        #expect(try await db.shareLinksForExport(learnerID: "lea").map(\.label) == ["Jury"])
        let audit = try await db.personalAuditEvents(accountID: "lea", subjects: ["pl"])
        #expect(audit.contains { $0.action == "share.create" })
        #expect(try await db.personalAuditEvents(accountID: "sam", subjects: []).isEmpty)
    }

    @Test func erasureRemovesEveryFeaturesPartInOneGo() async throws {
        let db = try await Self.database()
        let erasure = try await db.eraseLearner(accountID: "lea", primaryEmail: "lea@example.org", now: Self.now)
        #expect(erasure.pieces == 2 && erasure.shareLinks == 1)
        // "aa" is still Sam's: only Léa's own file goes.
        #expect(erasure.orphanBlobs == ["cc"])
        #expect(Set(erasure.addresses) == ["lea@example.org", "pro@example.net", "pending@example.net"])
        #expect(try await db.evidencePieces(learnerID: "lea").isEmpty)
        #expect(try await db.evidencePieces(learnerID: "sam").map(\.blob?.sha256) == ["aa"])
        #expect(try await db.shareLinks(learnerID: "lea").isEmpty)
        #expect(try await db.issuers(ofLearner: "lea").isEmpty)
        let backpack = try await db.backpackPersonalRecords(accountID: "lea")
        #expect(backpack.emails.isEmpty && backpack.badges.isEmpty && backpack.setting == nil)
        #expect(try await db.verifiedLearnerEmails(accountID: "lea").isEmpty)
        #expect(try await db.liveLearner(id: "lea") == nil)
        #expect(try await db.liveLearner(id: "sam") != nil)
        let tombstone = try await db.writer.read { db in try AccountRecord.fetchOne(db, key: "lea") }
        #expect(tombstone?.login == "erased-lea" && tombstone?.email == nil && tombstone?.erasedAt != nil)
    }
}
