import Foundation
import InsigneStore
import OpenBadges

/// Renewal: a new award of the same badge class to the same recipient, issued now with the badge class's current
/// validity, linked both ways with the award it renews (`renewalOf` / `renewedBy`). The earlier award is not revoked:
/// it expires on its own date. It goes through `award`, like every award (signing, audit, notifications).
///
/// An award is renewed at most once: renewing it again is a 409 naming the newest award of the chain (renew that one);
/// a revoked award is a 409 too. With an idempotency key, a retried renewal returns the first one.
extension IssuingService {
    /// Renews `assertionID` (optionally with new evidence and narrative); `created == false` when the idempotency key
    /// was already used.
    public func renew(
        assertionID: String, evidence: [EvidenceRecord] = [], narrative: String? = nil, idempotencyKey: String? = nil,
        actor: String, issuedOn: Date? = nil
    ) async throws -> (record: AssertionRecord, created: Bool) {
        guard let previous = try await db.assertion(id: assertionID) else {
            throw ServiceError.notFound("Assertion", assertionID)
        }
        let key = idempotencyKey.map { "renew:\(previous.id):\($0)" }
        if let key, let existing = try await assertion(idempotencyKey: key) { return (existing, false) }
        guard !previous.isRevoked, previous.renewedBy == nil else { throw try await notRenewable(previous) }
        var request = AwardRequest(
            badgeClassID: previous.badgeClassID, recipientEmail: previous.recipientEmail,
            recipientName: previous.recipientName, narrative: narrative, evidence: evidence,
            idempotencyKey: key ?? "renew:\(previous.id)")
        request.renewalOf = previous.id
        request.issuedOn = issuedOn
        return try await award(request, actor: actor)
    }

    /// The 409 for an award that cannot be renewed: revoked, or already renewed (naming the newest award).
    func notRenewable(_ previous: AssertionRecord?, id: String = "") async throws -> ServiceError {
        guard let previous else { return ServiceError.notFound("Assertion", id) }
        if previous.isRevoked {
            return ServiceError(
                .conflict, field: "id", fr: "ce badge a été révoqué : il ne peut pas être renouvelé",
                en: "this badge was revoked: it cannot be renewed")
        }
        let newest = try await newestRenewal(of: previous)
        let url = documents.urls.assertion(newest.id)
        return ServiceError(
            .conflict, field: "id",
            fr: "ce badge a déjà été renouvelé ; le plus récent est \(url) (renouvelez celui-là)",
            en: "this badge was already renewed; the newest one is \(url) (renew that one)")
    }

    /// The last award of the renewal chain starting at `a` (`a` itself when it was never renewed).
    public func newestRenewal(of a: AssertionRecord) async throws -> AssertionRecord {
        var current = a
        for _ in 0..<1000 {
            guard let next = current.renewedBy, let n = try await db.assertion(id: next) else { break }
            current = n
        }
        return current
    }

    /// The earlier awards this one renews, newest first (the renewal history shown under an award).
    public func renewalHistory(of a: AssertionRecord) async throws -> [AssertionRecord] {
        var history: [AssertionRecord] = []
        var current = a
        while history.count < 100, let previousID = current.renewalOf,
            let p = try await db.assertion(id: previousID)
        {
            history.append(p)
            current = p
        }
        return history
    }

    /// The award a bulk row for `email` should renew: the recipient's current (latest-expiring, not revoked) award of
    /// the badge class, when it has an expiry that is past or within the badge class's first reminder window at
    /// `now`, and was not renewed yet. Nil: a plain award.
    func renewable(badge: BadgeClassRecord, email: String, now: Date = Date()) async throws -> AssertionRecord? {
        let (held, _) = try await db.awards(
            badgeClassID: badge.id, issuerID: nil, recipientEmail: email, revoked: false, page: 1, perPage: 200)
        return Self.renewalCandidate(held: held, badge: badge, now: now)
    }

    /// The rule of `renewable` over the recipient's awards of the badge class that are not revoked.
    static func renewalCandidate(held: [AssertionRecord], badge: BadgeClassRecord, now: Date) -> AssertionRecord? {
        if held.contains(where: { $0.expires == nil }) { return nil }
        let dated = held.compactMap { a in DateTimeValue(a.expires ?? "").map { (a, $0.date) } }
        guard let (current, expires) = dated.max(by: { $0.1 < $1.1 }), current.renewedBy == nil else { return nil }
        let window = Double(badge.reminderDays.max() ?? 0) * 86400
        return expires <= now.addingTimeInterval(window) ? current : nil
    }
}
