import Foundation
import InsigneStore
import OpenBadges

/// Who may cite which portfolio evidence in an award, whatever the route (portfolio, award form, bulk, API).
extension IssuingService {
    /// Refuses an award whose evidence points to a learner's portfolio piece (`<base>/evidence/<id>`) unless the
    /// piece was accepted, belongs to the recipient, and was examined for the badge's issuer (a piece of a learner
    /// of the site: by an administrator only). Unknown pieces are refused with the same message, so nothing about
    /// other issuers' learners is revealed.
    ///
    /// Returns the evidence to sign: a cited piece never publishes its private `/evidence/<id>` link (it answers 404
    /// to everyone). It becomes the piece's public link when the learner chose to publish it with this badge class,
    /// otherwise it is dropped, and an entry left with no text becomes the neutral note « Preuves examinées par … ».
    func checkPortfolioCitations(_ request: AwardRequest, badge: BadgeClassRecord, actor: String) async throws
        -> [EvidenceRecord]
    {
        let prefix = documents.urls.base + "/evidence/"
        func pieceID(_ e: EvidenceRecord) -> String? {
            guard let id = e.id, id.hasPrefix(prefix) else { return nil }
            return String(id.dropFirst(prefix.count).prefix { $0 != "/" && $0 != "?" && $0 != "#" })
        }
        let ids = request.evidence.compactMap(pieceID)
        guard !ids.isEmpty else { return request.evidence }
        let allowed = try await db.evidenceMayBeCited(
            evidenceIDs: ids, recipientEmail: request.recipientEmail, badgeIssuerID: badge.issuerID, actorID: actor)
        guard allowed else {
            throw ServiceError(
                .invalid, field: "evidence",
                fr:
                    "une preuve citée n'est pas une preuve acceptée de cette personne, examinée pour l'émetteur de ce badge",
                en:
                    "a cited piece of evidence is not an accepted piece of this person's, examined for this badge's issuer"
            )
        }
        let tokens = try await db.publicationTokens(evidenceIDs: ids, badgeClassID: badge.id)
        let issuerName = try await issuer(id: badge.issuerID)?.name ?? ""
        return request.evidence.map { e in
            guard let piece = pieceID(e) else { return e }
            var out = e
            out.id = tokens[piece].map { documents.urls.publicEvidence($0) }
            if out.id == nil, out.name == nil, out.narrative == nil, out.description == nil {
                out.narrative = Self.defaultEvidenceNote(issuer: issuerName)
            }
            return out
        }
    }

    /// The default neutral evidence text, French then English: « Preuves examinées par X le 7 décembre 2026 ».
    static func defaultEvidenceNote(issuer: String, now: Date = Date()) -> String {
        "Preuves examinées par \(issuer) le \(WebDates.long(now, english: false)). / "
            + "Evidence reviewed by \(issuer) on \(WebDates.long(now, english: true))."
    }
}
