import Foundation
import InsigneStore

/// The review of learners' evidence by trainers: who may see a learner, and recording a decision on a piece. Each
/// is one call of `AppDatabase+Review.swift`; the pages are `ReviewPages`.
struct Review: Sendable {
    /// The database.
    let db: AppDatabase

    /// True when this account may see this learner: administrators always; staff when the learner is enrolled
    /// with an issuer where they may review.
    func maySeeLearner(_ account: AccountRecord, learnerID: String) async throws -> Bool {
        guard account.erasedAt == nil else { return false }
        guard let mine = Staff.of(account).issuerIDs(for: .review) else { return true }
        for issuerID in mine {
            if try await db.isEnrolled(learnerID: learnerID, issuerID: issuerID) { return true }
        }
        return false
    }

    /// Accepts a submitted piece, or asks for changes (comment required by the caller). False when not submitted.
    func record(id: String, accept: Bool, comment: String?, reviewer: String, now: Date = Date()) async throws -> Bool {
        try await db.recordReview(evidenceID: id, accept: accept, comment: comment, reviewer: reviewer, now: now)
    }
}
