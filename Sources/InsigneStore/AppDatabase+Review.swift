import Foundation
import GRDB

/// The learners a reviewer sees, with their evidence counts, and the invitations still open.
public struct LearnerRoster: Sendable {
    /// Live learner accounts, by display name.
    public var learners: [AccountRecord]
    /// Pieces per learner id and status raw value.
    public var counts: [String: [String: Int]]
    /// Open invitations (not accepted, address not blanked), newest first, at most 50.
    public var invitations: [InvitationRecord]
}

/// One learner waiting for review.
public struct ReviewQueueRow: Sendable, Equatable {
    public var learnerID: String
    public var displayName: String
    /// Submitted pieces waiting.
    public var count: Int
    /// The oldest submission.
    public var since: Date?
}

/// The trainers' side of the portfolios: learners and invitations, the review queue, reviewing pieces, awarding
/// with evidence. `issuerID` scopes a read to one issuer (staff); nil reads everything (administrators).
extension AppDatabase {
    /// A live learner account by id (nil for any other account).
    public func liveLearner(id: String) async throws -> AccountRecord? {
        try await writer.read { db in try AccountRecord.fetchOne(db, key: id) }
            .flatMap { $0.role == .learner && $0.erasedAt == nil ? $0 : nil }
    }

    /// The learners enrolled with `issuerID` (all when nil), their piece counts for that issuer, and its open
    /// invitations.
    public func learnerRoster(issuerID scope: String?) async throws -> LearnerRoster {
        try await learnerRoster(issuerIDs: scope.map { [$0] })
    }

    /// The learners enrolled with any of `issuerIDs` (all when nil), their piece counts for those issuers, and
    /// their open invitations.
    public func learnerRoster(issuerIDs scope: [String]?) async throws -> LearnerRoster {
        try await writer.read { db in
            var learnerQuery = AccountRecord.filter { $0.role == "learner" && $0.erasedAt == nil }
            var evidenceQuery = "SELECT learnerID, status, COUNT(*) FROM evidence GROUP BY learnerID, status"
            var invitationQuery = InvitationRecord.filter { $0.acceptedAt == nil && $0.email != "" }
            var arguments: StatementArguments = []
            if let scope {
                let marks = scope.isEmpty ? "NULL" : scope.map { _ in "?" }.joined(separator: ",")
                arguments = StatementArguments(scope)
                learnerQuery = learnerQuery.filter(
                    sql: "id IN (SELECT learnerID FROM learnerIssuer WHERE issuerID IN (\(marks)))",
                    arguments: arguments)
                evidenceQuery =
                    "SELECT learnerID, status, COUNT(*) FROM evidence WHERE issuerID IN (\(marks)) GROUP BY learnerID, status"
                invitationQuery = invitationQuery.filter { scope.contains($0.issuerID) }
            }
            let learners = try learnerQuery.order { $0.displayName.collating(.localizedCaseInsensitiveCompare) }
                .fetchAll(db)
            var counts: [String: [String: Int]] = [:]
            for row in try Row.fetchAll(db, sql: evidenceQuery, arguments: arguments) {
                counts[row[0] as String, default: [:]][row[1] as String] = row[2] as Int
            }
            let invitations = try invitationQuery.order(\.createdAt.desc).limit(50).fetchAll(db)
            return LearnerRoster(learners: learners, counts: counts, invitations: invitations)
        }
    }

    /// True when an address may not be invited to `issuerID`: it is another account's login or email, or a live
    /// learner's already enrolled there. An existing learner of another issuer may be invited (they join).
    public func invitationAddressTaken(_ email: String, issuerID invitedTo: String?) async throws -> Bool {
        try await writer.read { db -> Bool in
            let found = try AccountRecord.filter(
                sql: "login = ? COLLATE NOCASE OR email = ? COLLATE NOCASE", arguments: [email, email]
            )
            .fetchAll(db)
            guard found.count == 1, let a = found.first, a.role == .learner, a.erasedAt == nil, let invitedTo
            else { return !found.isEmpty }
            return try LearnerIssuerRecord.filter { $0.learnerID == a.id && $0.issuerID == invitedTo }
                .fetchCount(db) > 0
        }
    }

    /// The live learners with pieces submitted to `issuerID` (any when nil), oldest submission first.
    public func reviewQueue(issuerID scope: String?) async throws -> [ReviewQueueRow] {
        try await reviewQueue(issuerIDs: scope.map { [$0] })
    }

    /// The live learners with pieces submitted to any of `issuerIDs` (any issuer when nil), oldest submission
    /// first.
    public func reviewQueue(issuerIDs scope: [String]?) async throws -> [ReviewQueueRow] {
        let limit = scope.map { ids in
            "AND e.issuerID IN (" + (ids.isEmpty ? "NULL" : ids.map { _ in "?" }.joined(separator: ",")) + ")"
        }
        return try await writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT a.id, a.displayName, COUNT(*), MIN(e.submittedAt) FROM evidence e JOIN account a ON a.id = e.learnerID
                    WHERE e.status = 'submitted' AND a.erasedAt IS NULL \(limit ?? "")
                    GROUP BY a.id ORDER BY MIN(e.submittedAt) ASC
                    """, arguments: StatementArguments(scope ?? [])
            )
            .map { r in ReviewQueueRow(learnerID: r[0], displayName: r[1], count: r[2], since: r[3]) }
        }
    }

    /// The badge classes of these issuers, by name.
    public func badgeClasses(issuerIDs: [String]) async throws -> [BadgeClassRecord] {
        try await writer.read { db in
            try BadgeClassRecord.filter { issuerIDs.contains($0.issuerID) }.order(\.name).fetchAll(db)
        }
    }

    /// Accepts a submitted piece, or asks for changes, and audits it in one transaction. False when the piece is
    /// unknown or not submitted.
    public func recordReview(
        evidenceID id: String, accept: Bool, comment: String?, reviewer: String, now: Date = Date()
    )
        async throws -> Bool
    {
        try await writer.write { db in
            guard var item = try EvidenceItemRecord.fetchOne(db, key: id), item.status == .submitted else {
                return false
            }
            item.status = accept ? .accepted : .changesRequested
            item.reviewComment = comment
            item.reviewedBy = reviewer
            item.reviewedAt = now
            item.updatedAt = now
            try item.update(db)
            var e = AuditEventRecord(
                at: now, actor: reviewer, action: accept ? "evidence.accept" : "evidence.request-changes", subject: id,
                detail: "learner \(item.learnerID)")
            try e.insert(db)
            return true
        }
    }

    /// Audits a badge awarded from a learner's portfolio (the award itself is stored by issuing).
    public func recordPortfolioAward(assertionID: String, actor: String, detail: String, now: Date = Date())
        async throws
    {
        try await writer.write { db in
            var e = AuditEventRecord(
                at: now, actor: actor, action: "portfolio.award", subject: assertionID, detail: detail)
            try e.insert(db)
        }
    }
}
