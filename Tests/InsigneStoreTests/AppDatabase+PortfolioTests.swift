import Foundation
import GRDB
import Testing

@testable import InsigneStore

/// The portfolio's store methods on an in-memory database: invitations accepted or joined once, evidence saved with
/// its tags and files, submission, share links, and reads scoped to one learner.
@Suite("Portfolio store")
struct PortfolioStoreTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    /// Two issuers and two learners, "lea" enrolled with "foyer".
    static func database() async throws -> AppDatabase {
        let db = try AppDatabase.inMemory()
        try await db.writer.write { db in
            for id in ["foyer", "ifsi"] {
                try IssuerRecord(
                    id: id, name: id, url: "https://\(id).example", email: "\(id)@example.org", createdAt: now
                ).insert(db)
            }
            for id in ["lea", "sam"] {
                try AccountRecord(
                    id: id, login: "\(id)@example.org", displayName: id.capitalized, passwordHash: nil, role: .learner,
                    issuerID: nil, createdAt: now, email: "\(id)@example.org"
                ).insert(db)
            }
            try LearnerIssuerRecord(learnerID: "lea", issuerID: "foyer", createdAt: now).insert(db)
            // A framework "fw" with competencies C1 and C2, for tags.
            try db.execute(
                sql: """
                    INSERT INTO framework (id, idNumber, shortName, description, descriptionFormat, scaleValues,
                        scaleConfiguration, taxonomies, createdAt, updatedAt)
                    VALUES ('fw', 'FW', 'Référentiel', '', 1, '[]', '', '[]', ?, ?)
                    """, arguments: [now, now])
            for (position, code) in ["C1", "C2"].enumerated() {
                try db.execute(
                    sql: """
                        INSERT INTO competency (frameworkID, idNumber, shortName, description, descriptionFormat,
                            scaleValues, scaleConfiguration, ruleType, ruleOutcome, ruleConfig, relatedIDNumbers,
                            exportID, position, depth)
                        VALUES ('fw', ?, ?, '', 1, '[]', '', '', 0, '', '[]', '', ?, 0)
                        """, arguments: [code, "Compétence \(code)", position])
            }
        }
        return db
    }

    static func invitation(_ hash: String, email: String, issuerID: String?) -> InvitationRecord {
        InvitationRecord(
            tokenHash: hash, email: email, displayName: "Nouvelle", createdBy: "admin", createdAt: now,
            expiresAt: now.addingTimeInterval(86400), issuerID: issuerID)
    }

    static func audit(_ db: AppDatabase, _ action: String) async throws -> Int {
        try await db.writer.read { db in try AuditEventRecord.filter { $0.action == action }.fetchCount(db) }
    }

    @Test func anInvitationIsAcceptedOnceAndEnrolsWithItsIssuer() async throws {
        let db = try await Self.database()
        try await db.createInvitation(
            Self.invitation("h1", email: "new@example.org", issuerID: "ifsi"), actor: "admin", now: Self.now)
        #expect(try await db.openInvitation(tokenHash: "h1", now: Self.now)?.email == "new@example.org")
        #expect(try await db.openInvitation(tokenHash: "h1", now: Self.now.addingTimeInterval(2 * 86400)) == nil)
        let account = try #require(try await db.acceptInvitation(tokenHash: "h1", passwordHash: "x", now: Self.now))
        #expect(account.login == "new@example.org" && account.role == .learner)
        #expect(try await db.issuers(ofLearner: account.id).map(\.id) == ["ifsi"])
        #expect(try await db.isEnrolled(learnerID: account.id, issuerID: "ifsi"))
        #expect(try await db.acceptInvitation(tokenHash: "h1", passwordHash: "x", now: Self.now) == nil)
        #expect(try await db.openInvitation(tokenHash: "h1", now: Self.now) == nil)
        #expect(try await Self.audit(db, "learner.invite") == 1)
        #expect(try await Self.audit(db, "learner.accept") == 1)
    }

    @Test func anExistingLearnerJoinsASecondIssuerWithTheirAddressOnly() async throws {
        let db = try await Self.database()
        try await db.createInvitation(
            Self.invitation("h2", email: "LEA@example.org", issuerID: "ifsi"), actor: "admin", now: Self.now)
        let lea = try #require(try await db.liveLearner(login: "lea@EXAMPLE.org"))
        let sam = try #require(try await db.liveLearner(id: "sam"))
        // Not addressed to Sam: refused, and the invitation stays open.
        #expect(try await db.joinInvitation(tokenHash: "h2", account: sam, now: Self.now) == nil)
        #expect(try await db.joinInvitation(tokenHash: "h2", account: lea, now: Self.now)?.id == "lea")
        #expect(try await db.issuers(ofLearner: "lea").map(\.id) == ["foyer", "ifsi"])
        #expect(try await db.joinInvitation(tokenHash: "h2", account: lea, now: Self.now) == nil)
        #expect(try await Self.audit(db, "learner.join") == 1)
    }

    @Test func savingReplacesTagsAndReturnsTheFilesNoLongerUsed() async throws {
        let db = try await Self.database()
        let item = EvidenceItemRecord(
            id: "p1", learnerID: "lea", kind: .file, title: "Photo", createdAt: Self.now, updatedAt: Self.now)
        let tags = [
            EvidenceAlignmentRecord(evidenceID: "p1", frameworkID: "fw", competencyIDNumber: "C2"),
            EvidenceAlignmentRecord(evidenceID: "p1", frameworkID: "fw", competencyIDNumber: "C1"),
            EvidenceAlignmentRecord(evidenceID: "p1", frameworkID: "fw", competencyIDNumber: "C1"),
        ]
        let first = EvidenceFileUpload(sha256: "aa", size: 3, mediaType: "image/png", fileName: "a.png")
        #expect(try await db.saveEvidence(item, tags: tags, file: first).isEmpty)
        var piece = try #require(try await db.evidencePiece(id: "p1"))
        #expect(piece.tags.map(\.competencyIDNumber) == ["C1", "C2"])
        #expect(piece.blob?.sha256 == "aa" && piece.item.fileName == "a.png")
        #expect(try await db.competencyNamesByCode()["fw|C1"] == "Compétence C1")
        let second = EvidenceFileUpload(sha256: "bb", size: 4, mediaType: "image/png", fileName: "b.png")
        #expect(try await db.saveEvidence(piece.item, tags: [], file: second) == ["aa"])
        piece = try #require(try await db.evidencePiece(id: "p1"))
        #expect(piece.tags.isEmpty && piece.blob?.sha256 == "bb")
        #expect(try await db.deleteEvidence(piece.item) == ["bb"])
        #expect(try await db.evidencePiece(id: "p1") == nil)
    }

    @Test func submittingMovesDraftsAndReturnsChangesToTheirIssuer() async throws {
        let db = try await Self.database()
        for (id, status, issuer) in [
            ("d", EvidenceItemRecord.Status.draft, nil), ("c", .changesRequested, "foyer"), ("a", .accepted, nil),
        ] as [(String, EvidenceItemRecord.Status, String?)] {
            _ = try await db.saveEvidence(
                EvidenceItemRecord(
                    id: id, learnerID: "lea", kind: .narrative, title: id, narrative: "n", status: status,
                    createdAt: Self.now, updatedAt: Self.now, issuerID: issuer), tags: [], file: nil)
        }
        _ = try await db.saveEvidence(
            EvidenceItemRecord(
                id: "s", learnerID: "sam", kind: .narrative, title: "s", narrative: "n", createdAt: Self.now,
                updatedAt: Self.now), tags: [], file: nil)
        #expect(try await db.submitEvidence(learnerID: "lea", to: "ifsi", now: Self.now) == 2)
        let submitted = try await db.evidencePieces(learnerID: "lea", statuses: [.submitted])
        #expect(
            Dictionary(uniqueKeysWithValues: submitted.map { ($0.item.id, $0.item.issuerID) }) == [
                "d": "ifsi", "c": "foyer",
            ])
        #expect(try await db.evidencePieces(learnerID: "lea").count == 3)
        #expect(try await db.evidencePieces(learnerID: "sam").map(\.item.status) == [.draft])
        #expect(try await db.submitEvidence(learnerID: "lea", to: nil, now: Self.now) == 0)
        #expect(try await Self.audit(db, "evidence.submit") == 1)
    }

    @Test func aShareLinkLivesUntilRevokedByItsLearner() async throws {
        let db = try await Self.database()
        try await db.createShareLink(tokenHash: "t1", learnerID: "lea", label: "Jury", now: Self.now)
        #expect(try await db.liveShareLink(tokenHash: "t1")?.learnerID == "lea")
        #expect(try await db.shareLinks(learnerID: "lea").map(\.label) == ["Jury"])
        #expect(try await db.shareLinks(learnerID: "sam").isEmpty)
        #expect(try await !db.revokeShareLink(tokenHash: "t1", learnerID: "sam", now: Self.now))
        #expect(try await db.revokeShareLink(tokenHash: "t1", learnerID: "lea", now: Self.now))
        #expect(try await db.liveShareLink(tokenHash: "t1") == nil)
        #expect(try await !db.revokeShareLink(tokenHash: "t1", learnerID: "lea", now: Self.now))
        #expect(try await Self.audit(db, "share.revoke") == 1)
    }
}

extension PortfolioStoreTests {
    @Test func coverageCountsAcceptedBeforeSubmittedAndIgnoresDrafts() async throws {
        let db = try await Self.database()
        for (id, status, codes) in [
            ("a", EvidenceItemRecord.Status.accepted, ["C1"]), ("s", .submitted, ["C1", "C2"]), ("d", .draft, ["C2"]),
        ] as [(String, EvidenceItemRecord.Status, [String])] {
            _ = try await db.saveEvidence(
                EvidenceItemRecord(
                    id: id, learnerID: "lea", kind: .narrative, title: id, narrative: "n", status: status,
                    createdAt: Self.now, updatedAt: Self.now),
                tags: codes.map { EvidenceAlignmentRecord(evidenceID: id, frameworkID: "fw", competencyIDNumber: $0) },
                file: nil)
        }
        #expect(
            try await db.evidenceCoverage(learnerID: "lea", frameworkID: "fw") == ["C1": "accepted", "C2": "submitted"])
        #expect(try await db.evidenceCoverage(learnerID: "sam", frameworkID: "fw").isEmpty)
    }
}
