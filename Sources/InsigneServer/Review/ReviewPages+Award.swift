import Foundation
import HTTPTypes
import Hummingbird
import InsigneStore
import OpenBadges
import OpenBadgesCrypto

/// Awarding a badge from a learner's portfolio: the accepted pieces the trainer cites become its evidence, each
/// published piece with its public link; a preview says first, in plain words, what will become public.
extension ReviewPages {
    /// Without `confirm=1`, shows what will become public; with it, awards the badge.
    func awardFromPortfolio(_ env: Env, _ request: Request, _ context: AppRequestContext, id: String) async throws
        -> Response
    {
        let form = try await self.form(request, context, env)
        let me = try reviewer(env)
        let learner = try await learnerAccount(id, for: me)
        let (badge, issuer) = try await self.badge(form["badge"], for: me)
        guard let email = learner.email, !email.isEmpty else { throw PageError.notFound() }
        let chosen = Set(form.values["evidence"] ?? [])
        // Citable: this learner's accepted pieces that this account may see and that were examined for the badge's
        // issuer (or, for a learner of the site, by an administrator).
        let accepted = try await portfolio.pieces(learnerID: id, statuses: [.accepted]).filter {
            chosen.contains($0.item.id) && Access.maySee(me, submittedTo: $0.item.issuerID)
                && ($0.item.issuerID == nil || $0.item.issuerID == badge.issuerID)
        }
        var errors: [String: String] = [:]
        if accepted.count != chosen.count {
            errors["evidence"] = env.text(
                "Seules les preuves acceptées de cette personne, examinées pour l'émetteur de ce badge, peuvent être jointes.",
                "Only this person's accepted pieces, examined for this badge's issuer, can be attached.")
        }
        let narrative = form.optional("narrative")
        if let n = narrative, n.count > 20000 {
            errors["narrative"] = env.text("20 000 caractères au plus.", "20,000 characters at most.")
        }
        let note = form.optional("evidenceNote")
        if let n = note, n.count > 1000 {
            errors["evidenceNote"] = env.text("1 000 caractères au plus.", "1,000 characters at most.")
        }
        guard errors.isEmpty else { return try await learnerPage(env, request, id: id, errors: errors, form: form) }
        let pieces = accepted.sorted { $0.item.createdAt < $1.item.createdAt }
        let plan = PortfolioAwardPlan(
            badge: badge, issuer: issuer, pieces: pieces,
            tokens: try await services.db.publicationTokens(evidenceIDs: pieces.map(\.item.id), badgeClassID: badge.id),
            note: note, narrative: narrative)
        guard form["confirm"] == "1" else { return awardPreview(env, learner: learner, plan: plan, form: form) }
        let nonce = String(form["nonce"].prefix(64))
        let material = ([nonce, badge.id, id, narrative ?? "", note ?? ""] + accepted.map(\.item.id).sorted()).joined(
            separator: "\u{1F}")
        let awardRequest = AwardRequest(
            badgeClassID: badge.id, recipientEmail: email, recipientName: learner.displayName, narrative: narrative,
            evidence: plan.evidence(base: services.urls.base),
            idempotencyKey: nonce.isEmpty ? nil : "portfolio:" + SHA256Digest.hexHash(Array(material.utf8)))
        let (record, created) = try await services.issuing.award(awardRequest, actor: me.id)
        if created {
            try await services.db.recordPortfolioAward(
                assertionID: record.id, actor: me.id,
                detail:
                    "learner \(id), evidence \(accepted.map(\.item.id).joined(separator: " ")), published \(plan.published.count)"
            )
        }
        let notified = created ? await Notifier(services: services).awarded([record], actor: me.id) : []
        return redirect("/trainer/assertions/\(record.id)?" + Notifier.awardedQuery(notified.first))
    }

    /// The confirmation page: in plain words, what anyone holding the badge will read, and what stays private.
    func awardPreview(_ env: Env, learner: AccountRecord, plan: PortfolioAwardPlan, form: WebForm) -> Response {
        let base = services.urls.base
        let published: [[String: Any]] = plan.published.map { p in
            let i = p.item
            var parts = [env.text("son titre", "its title")]
            if i.genre != nil { parts.append(env.text("sa nature", "its kind")) }
            if i.description != nil { parts.append(env.text("sa description", "its description")) }
            switch i.kind {
            case .narrative: parts.append(env.text("son récit en entier", "its whole narrative"))
            case .file: parts.append(env.text("son fichier", "its file"))
            case .link: parts.append(env.text("son lien", "its link"))
            }
            return [
                "title": i.title, "parts": parts.joined(separator: ", "),
                "url": PublicURLs(base: base).publicEvidence(plan.tokens[i.id]!),
                "narrative": i.kind == .narrative ? (i.narrative ?? "") : "",
                "isNarrative": i.kind == .narrative && !(i.narrative ?? "").isEmpty,
                "genre": i.genre ?? "", "description": i.description ?? "",
            ]
        }
        let unpublished = plan.pieces.filter { plan.tokens[$0.item.id] == nil }.map { ["title": $0.item.title] }
        var hidden: [[String: String]] = [
            ["name": "badge", "value": plan.badge.id], ["name": "nonce", "value": form["nonce"]],
            ["name": "narrative", "value": plan.narrative ?? ""], ["name": "evidenceNote", "value": plan.note ?? ""],
        ]
        hidden += plan.pieces.map { ["name": "evidence", "value": $0.item.id] }
        let data: [String: Any] = [
            "learner": ["id": learner.id, "name": learner.displayName],
            "badge": plan.badge.name, "issuer": plan.issuer.name,
            "narrative": plan.narrative ?? "", "hasNarrative": plan.narrative != nil,
            "note": plan.note ?? "", "hasNote": plan.note != nil && !plan.pieces.isEmpty,
            "hasPieces": !plan.pieces.isEmpty,
            "published": published, "hasPublished": !published.isEmpty,
            "unpublished": unpublished, "hasUnpublished": !unpublished.isEmpty,
            "hidden": hidden,
        ]
        return renderPortfolio(
            "review.award-preview", env, title: env.text("Vérifier avant d'attribuer", "Check before awarding"), data)
    }
}
