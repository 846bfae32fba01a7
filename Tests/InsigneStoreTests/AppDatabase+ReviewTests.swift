import Foundation
import GRDB
import Testing

@testable import InsigneStore

/// The trainers' store methods: the roster and the review queue scoped to one issuer, reviewing only a submitted
/// piece, and who may be invited.
@Suite("Review store")
struct ReviewStoreTests {
    static let now = PortfolioStoreTests.now

    /// "lea" enrolled with "foyer" (one piece submitted there), "sam" with "ifsi" (one piece submitted there), and an
    /// open invitation from each issuer.
    static func database() async throws -> AppDatabase {
        let db = try await PortfolioStoreTests.database()
        try await db.writer.write { db in
            try LearnerIssuerRecord(learnerID: "sam", issuerID: "ifsi", createdAt: now).insert(db)
            for (id, learner, issuer) in [("pl", "lea", "foyer"), ("ps", "sam", "ifsi")] {
                try EvidenceItemRecord(
                    id: id, learnerID: learner, kind: .narrative, title: id, narrative: "n", status: .submitted,
                    createdAt: now, updatedAt: now, issuerID: issuer
                ).insert(db)
            }
            for issuer in ["foyer", "ifsi"] {
                try PortfolioStoreTests.invitation("inv-\(issuer)", email: "x@\(issuer).example", issuerID: issuer)
                    .insert(db)
            }
        }
        return db
    }

    @Test func staffSeeOnlyTheirIssuersLearnersPiecesAndInvitations() async throws {
        let db = try await Self.database()
        let foyer = try await db.learnerRoster(issuerID: "foyer")
        #expect(foyer.learners.map(\.id) == ["lea"])
        #expect(foyer.counts == ["lea": ["submitted": 1]])
        #expect(foyer.invitations.map(\.tokenHash) == ["inv-foyer"])
        let all = try await db.learnerRoster(issuerID: nil)
        #expect(all.learners.map(\.id) == ["lea", "sam"])
        #expect(all.invitations.count == 2)
        #expect(try await db.reviewQueue(issuerID: "ifsi").map(\.learnerID) == ["sam"])
        #expect(try await db.reviewQueue(issuerID: nil).map(\.count) == [1, 1])
    }

    @Test func onlyASubmittedPieceIsReviewed() async throws {
        let db = try await Self.database()
        #expect(
            try await db.recordReview(
                evidenceID: "pl", accept: false, comment: "Précisez", reviewer: "t", now: Self.now))
        let piece = try #require(try await db.evidencePiece(id: "pl"))
        #expect(piece.item.status == .changesRequested && piece.item.reviewComment == "Précisez")
        #expect(try await !db.recordReview(evidenceID: "pl", accept: true, comment: nil, reviewer: "t", now: Self.now))
        #expect(
            try await !db.recordReview(evidenceID: "nope", accept: true, comment: nil, reviewer: "t", now: Self.now))
        #expect(try await db.reviewQueue(issuerID: "foyer").isEmpty)
        let audit = try await db.writer.read { db in
            try AuditEventRecord.filter { $0.action == "evidence.request-changes" }.fetchAll(db)
        }
        #expect(audit.map(\.detail) == ["learner lea"])
    }

    @Test func aLearnerMayBeInvitedByAnotherIssuerOnly() async throws {
        let db = try await Self.database()
        #expect(try await db.invitationAddressTaken("LEA@example.org", issuerID: "foyer"))
        #expect(try await !db.invitationAddressTaken("lea@example.org", issuerID: "ifsi"))
        #expect(try await db.invitationAddressTaken("lea@example.org", issuerID: nil))
        #expect(try await !db.invitationAddressTaken("new@example.org", issuerID: "foyer"))
        #expect(try await db.liveLearner(id: "nobody") == nil)
    }
}
