import Foundation
import InsigneStore
import OpenBadges

/// What an award from the portfolio will publish: decided once, shown on the preview, then signed as is.
struct PortfolioAwardPlan: Sendable {
    /// The badge class awarded.
    var badge: BadgeClassRecord
    /// Its issuer.
    var issuer: IssuerRecord
    /// The accepted pieces the trainer cited, oldest first.
    var pieces: [Portfolio.Piece]
    /// Public token of each cited piece the learner chose to publish with this badge class.
    var tokens: [String: String]
    /// The trainer's neutral description of the evidence (the only evidence text by default).
    var note: String?
    /// The assertion's narrative, if the trainer wrote one.
    var narrative: String?

    /// The cited pieces the learner chose to publish.
    var published: [Portfolio.Piece] { pieces.filter { tokens[$0.item.id] != nil } }

    /// The assertion's evidence: the neutral note, then each published piece with its public link. Nothing of
    /// a piece the learner did not publish.
    func evidence(base: String) -> [EvidenceRecord] {
        var out: [EvidenceRecord] = []
        if !pieces.isEmpty, let note { out.append(EvidenceRecord(narrative: note)) }
        for p in published {
            let i = p.item
            out.append(
                EvidenceRecord(
                    id: PublicURLs(base: base).publicEvidence(tokens[i.id]!), name: i.title,
                    narrative: i.kind == .narrative ? i.narrative : nil, description: i.description,
                    genre: i.genre))
        }
        return out
    }
}
