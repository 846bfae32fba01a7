import Foundation
import GRDB
import Testing

@testable import InsigneStore

/// The learner's choice to publish a piece with a badge class: only theirs, withdrawn by unticking, a fresh token
/// when chosen again, and nothing served unless the piece is accepted.
@Suite("Evidence publication store")
struct EvidencePublicationStoreTests {
    static let t1 = String(repeating: "a", count: 64)
    static let t2 = String(repeating: "b", count: 64)

    static func database(status: EvidenceItemRecord.Status = .accepted) async throws -> AppDatabase {
        let db = try AppDatabase.inMemory()
        let now = Date()
        try await db.writer.write { db in
            try IssuerRecord(
                id: "foyer", name: "Foyer", url: "https://foyer.example", email: "f@example.org", createdAt: now
            )
            .insert(db)
            try BadgeClassRecord(
                id: "bientraitance", issuerID: "foyer", name: "Bientraitance", description: "d", criteriaNarrative: "c",
                imageData: Data([0]), imageType: "png", createdAt: now
            ).insert(db)
            for id in ["lea", "sam"] {
                try AccountRecord(
                    id: id, login: id, displayName: id, passwordHash: nil, role: .learner, issuerID: nil, createdAt: now
                ).insert(db)
            }
            try EvidenceItemRecord(
                id: "piece", learnerID: "lea", kind: .narrative, title: "Récit", narrative: "secret", status: status,
                createdAt: now, updatedAt: now
            ).insert(db)
        }
        return db
    }

    @Test func onlyTheLearnerChoosesAndWithdrawingClosesTheLink() async throws {
        let db = try await Self.database()
        #expect(
            try await db.setEvidencePublications(
                evidenceID: "piece", learnerID: "sam", badgeClassIDs: ["bientraitance"],
                freshTokens: ["bientraitance": Self.t1]) == false)
        #expect(try await db.publicationTokens(evidenceIDs: ["piece"], badgeClassID: "bientraitance").isEmpty)

        #expect(
            try await db.setEvidencePublications(
                evidenceID: "piece", learnerID: "lea", badgeClassIDs: ["bientraitance", "unknown"],
                freshTokens: ["bientraitance": Self.t1, "unknown": Self.t2]))
        #expect(
            try await db.publicationTokens(evidenceIDs: ["piece"], badgeClassID: "bientraitance") == ["piece": Self.t1])
        #expect(try await db.publishedEvidence(token: Self.t1)?.item.narrative == "secret")
        #expect(try await db.evidencePublications(evidenceID: "piece").count == 1)

        // Ticking again keeps the live token.
        _ = try await db.setEvidencePublications(
            evidenceID: "piece", learnerID: "lea", badgeClassIDs: ["bientraitance"],
            freshTokens: ["bientraitance": Self.t2])
        #expect(try await db.publishedEvidence(token: Self.t1) != nil)

        // Unticking withdraws; choosing again gives a new address, the old one stays closed.
        _ = try await db.setEvidencePublications(
            evidenceID: "piece", learnerID: "lea", badgeClassIDs: [], freshTokens: [:])
        #expect(try await db.publishedEvidence(token: Self.t1) == nil)
        #expect(try await db.publicationTokens(evidenceIDs: ["piece"], badgeClassID: "bientraitance").isEmpty)
        _ = try await db.setEvidencePublications(
            evidenceID: "piece", learnerID: "lea", badgeClassIDs: ["bientraitance"],
            freshTokens: ["bientraitance": Self.t2])
        #expect(try await db.publishedEvidence(token: Self.t1) == nil)
        #expect(try await db.publishedEvidence(token: Self.t2) != nil)
    }

    @Test func aPieceNotAcceptedIsNeverServed() async throws {
        let db = try await Self.database(status: .submitted)
        _ = try await db.setEvidencePublications(
            evidenceID: "piece", learnerID: "lea", badgeClassIDs: ["bientraitance"],
            freshTokens: ["bientraitance": Self.t1])
        #expect(try await db.publishedEvidence(token: Self.t1) == nil)
        #expect(try await db.publishedEvidence(token: "../" + Self.t1) == nil)
    }
}
