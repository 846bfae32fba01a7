import Foundation
import HTTPTypes
import Hummingbird
import InsigneStore
import OpenBadges
import OpenBadgesCrypto

/// The trainers' side of the portfolios: learners and invitations, the review queue, reviewing pieces, and
/// awarding a badge with accepted pieces as its evidence. Staff and admin accounts only (learners are sent away
/// by `page`). Staff see only the learners enrolled with their issuer, the invitations it sent and the pieces
/// submitted to it (see `LearnerIssuerRecord`); anything else answers 404, as if it did not exist.
extension WebController {
    /// Adds the review pages to their route groups (called from `registerPortfolioPages`).
    func addReviewPages(to routes: AppRoutes) {
        routes.staffPages.get("/trainer/learners") { req, ctx in try await learnersPage(ctx.env, form: nil, errors: [:])
        }
        routes.staffPages.post("/trainer/learners/invite") { req, ctx in try await invite(ctx.env, req, ctx) }
        routes.staffPages.get("/trainer/reviews") { req, ctx in try await reviewsPage(ctx.env) }
        routes.staffPages.get("/trainer/learners/{id}") { req, ctx in
            try await learnerPage(ctx.env, req, id: ctx.parameters.get("id") ?? "", errors: [:])
        }
        routes.staffPages.post("/trainer/evidence/{id}/review") { req, ctx in
            try await reviewPiece(ctx.env, req, ctx, id: ctx.parameters.get("id") ?? "")
        }
        routes.staffPages.post("/trainer/learners/{id}/award") { req, ctx in
            try await awardFromPortfolio(ctx.env, req, ctx, id: ctx.parameters.get("id") ?? "")
        }
    }

    /// A reviewer (staff or admin).
    func reviewer(_ env: Env) throws -> AccountRecord {
        guard let a = env.account, a.role == .staff || a.role == .admin else { throw PageError.notFound() }
        return a
    }

    /// A live learner account this reviewer may see (enrolled with their issuer; any for admin); 404 otherwise.
    func learnerAccount(_ id: String, for reviewer: AccountRecord) async throws -> AccountRecord {
        guard let a = try await services.db.liveLearner(id: id),
            try await portfolio.maySeeLearner(reviewer, learnerID: a.id)
        else { throw PageError.notFound() }
        return a
    }

    // MARK: - Learners and invitations

    func learnersPage(_ env: Env, form: WebForm?, errors: [String: String], invitationURL: String? = nil) async throws
        -> Response
    {
        let me = try reviewer(env)
        // Staff: only their issuer's learners, pieces and invitations; admin (scope nil): everything.
        let scope: String? = me.role == .admin ? nil : (me.issuerID ?? "")
        let issuers = me.role == .admin ? try await allowedIssuers(me) : []
        let roster = try await services.db.learnerRoster(issuerID: scope)
        let (learners, counts, invitations) = (roster.learners, roster.counts, roster.invitations)
        let now = Date()
        var data: [String: Any] = [
            "learners": learners.map { l -> [String: Any] in
                let c = counts[l.id] ?? [:]
                return [
                    "id": l.id, "name": l.displayName, "email": l.email ?? "", "submitted": c["submitted"] ?? 0,
                    "accepted": c["accepted"] ?? 0, "changes": c["changesRequested"] ?? 0,
                ]
            },
            "hasLearners": !learners.isEmpty,
            "invitations": invitations.map { i -> [String: Any] in
                [
                    "name": i.displayName, "email": i.email, "expired": i.expiresAt <= now,
                    "expires": WebDates.display(i.expiresAt, english: env.english, time: false),
                ]
            },
            "hasInvitations": !invitations.isEmpty,
            "issuers": issuers.map { ["id": $0.id, "name": $0.name, "selected": $0.id == form?["issuer"]] },
            "chooseIssuer": !issuers.isEmpty,
            "v": ["name": form?["name"] ?? "", "email": form?["email"] ?? ""], "errors": errors,
            "hasErrors": !errors.isEmpty,
        ]
        if let invitationURL { data["invitationURL"] = invitationURL }
        return renderPortfolio(
            "review.learners", env, title: env.text("Apprenants", "Learners"),
            status: errors.isEmpty ? .ok : .unprocessableContent, data)
    }

    func invite(_ env: Env, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        let form = try await self.form(request, context, env)
        let me = try reviewer(env)
        var errors: [String: String] = [:]
        let name = form["name"].trimmingCharacters(in: .whitespacesAndNewlines)
        let email = form["email"].trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty || name.count > 200 {
            errors["name"] = env.text(
                "Nom obligatoire (200 caractères au plus).", "Name required (200 characters at most).")
        }
        // The issuer the learner is invited to: the staff's own; an administrator picks one, or none (the site).
        var issuerID: String? = me.role == .admin ? nil : me.issuerID
        if me.role == .admin, let chosen = form.optional("issuer") {
            guard try await allowedIssuers(me).contains(where: { $0.id == chosen }) else {
                throw PageError.badRequest("Émetteur inconnu.", "Unknown issuer.")
            }
            issuerID = chosen
        }
        guard me.role == .admin || issuerID != nil else { throw PageError.forbidden() }
        let at = email.firstIndex(of: "@")
        if email.count > 320 || at == nil || at == email.startIndex || email.hasSuffix("@") || email.contains(" ") {
            errors["email"] = env.text("Adresse électronique invalide.", "Invalid email address.")
        } else {
            // An existing learner may be invited by another issuer (they join it with their password); any other
            // account, or a learner already enrolled with this issuer (or of the site), may not.
            let taken = try await services.db.invitationAddressTaken(email, issuerID: issuerID)
            if taken {
                errors["email"] = env.text(
                    "Un compte existe déjà pour cette adresse.", "An account already exists for this address.")
            }
        }
        guard errors.isEmpty else { return try await learnersPage(env, form: form, errors: errors) }
        let token = try await portfolio.invite(
            name: name, email: EmailNormalization.normalize(email), by: me.id, issuerID: issuerID)
        return try await learnersPage(
            env, form: nil, errors: [:], invitationURL: services.urls.base + "/invitation/" + token)
    }

    // MARK: - Review queue

    func reviewsPage(_ env: Env) async throws -> Response {
        let me = try reviewer(env)
        let scope: String? = me.role == .admin ? nil : (me.issuerID ?? "")
        let rows = try await services.db.reviewQueue(issuerID: scope)
        let items: [[String: Any]] = rows.map { r in
            [
                "id": r.learnerID, "name": r.displayName, "count": r.count,
                "since": r.since.map { WebDates.display($0, english: env.english) } ?? "",
            ]
        }
        return renderPortfolio(
            "review.reviews", env, title: env.text("Preuves à examiner", "Evidence to review"),
            [
                "rows": items, "hasRows": !items.isEmpty,
            ])
    }

    // MARK: - One learner

    func learnerPage(_ env: Env, _ request: Request, id: String, errors: [String: String], form: WebForm? = nil)
        async throws -> Response
    {
        let me = try reviewer(env)
        let learner = try await learnerAccount(id, for: me)
        let pieces = try await portfolio.pieces(learnerID: id, statuses: [.submitted, .accepted, .changesRequested])
            .filter { Access.maySee(me, submittedTo: $0.item.issuerID) }
        let names = try await competencyNames()
        let issuers = try await allowedIssuers(me)
        let issuerIDs = issuers.map(\.id)
        let badgesList = try await services.db.badgeClasses(issuerIDs: issuerIDs)
        let selectedBadge = form?["badge"] ?? request.uri.queryParameters.get("badge") ?? badgesList.first?.id ?? ""
        let badge = badgesList.first { $0.id == selectedBadge }
        let frameworks = try services.db.frameworks()
        let aligned = Set(
            (badge?.alignment ?? []).compactMap { a -> String? in
                guard let code = a.targetCode else { return nil }
                return code.lowercased()
            })
        func alignedTo(_ p: Portfolio.Piece) -> Bool {
            p.tags.contains { t in
                guard aligned.contains(t.competencyIDNumber.lowercased()) else { return false }
                let fwNames =
                    frameworks.first { $0.id == t.frameworkID }.map { [$0.id, $0.idNumber, $0.shortName] } ?? []
                return (badge?.alignment ?? []).contains { a in
                    a.targetCode?.lowercased() == t.competencyIDNumber.lowercased()
                        && (a.targetFramework == nil || fwNames.contains(a.targetFramework!)
                            || a.targetUrl.contains("/" + t.frameworkID + "/"))
                }
            }
        }
        let tickedByForm = form.map { Set($0.values["evidence"] ?? []) }
        let accepted = pieces.filter { $0.item.status == .accepted }
        let publishedIDs = try await services.db.publicationTokens(
            evidenceIDs: accepted.map(\.item.id), badgeClassID: badge?.id ?? "")
        var data: [String: Any] = [
            "learner": ["id": learner.id, "name": learner.displayName, "email": learner.email ?? ""],
            "pieces": pieces.sorted { ($0.item.submittedAt ?? .distantPast) < ($1.item.submittedAt ?? .distantPast) }
                .map { p -> [String: Any] in
                    var d = pieceData(p, env, names: names)
                    d["underReview"] = p.item.status == .submitted
                    return d
                },
            "hasPieces": !pieces.isEmpty,
            "badges": badgesList.map { ["id": $0.id, "name": $0.name, "selected": $0.id == selectedBadge] },
            "hasBadges": !badgesList.isEmpty,
            "accepted": accepted.map { p -> [String: Any] in
                [
                    "id": p.item.id, "title": p.item.title, "aligned": alignedTo(p),
                    "checked": tickedByForm.map { $0.contains(p.item.id) } ?? alignedTo(p),
                    "tagCodes": p.tags.map(\.competencyIDNumber).joined(separator: ", "), "hasTags": !p.tags.isEmpty,
                    "published": publishedIDs[p.item.id] != nil,
                ]
            },
            "hasAccepted": !accepted.isEmpty,
            "narrative": form?["narrative"] ?? "",
            "evidenceNote": form?["evidenceNote"]
                ?? IssuingService.defaultEvidenceNote(issuer: issuers.first { $0.id == badge?.issuerID }?.name ?? ""),
            "nonce": try SecureRandom.hex(byteCount: 16),
            "errors": errors, "hasErrors": !errors.isEmpty,
        ]
        if let badge, !badge.alignment.isEmpty {
            // Framework names already start with their code (« DC1.5.2 Savoir prévenir… »): not twice.
            data["alignment"] = badge.alignment.map { a -> String in
                guard let code = a.targetCode, !code.isEmpty, !a.targetName.hasPrefix(code) else { return a.targetName }
                return code + " " + a.targetName
            }.joined(separator: " · ")
        }
        let q = request.uri.queryParameters
        if q.get("reviewed") != nil { data["notice"] = env.text("Examen enregistré.", "Review saved.") }
        return renderPortfolio(
            "review.learner", env, title: learner.displayName, status: errors.isEmpty ? .ok : .unprocessableContent,
            data)
    }

    func reviewPiece(_ env: Env, _ request: Request, _ context: AppRequestContext, id: String) async throws -> Response
    {
        let form = try await self.form(request, context, env)
        let me = try reviewer(env)
        guard let piece = try await portfolio.piece(id: id), piece.item.status != .draft,
            Access.maySee(me, submittedTo: piece.item.issuerID)
        else {
            throw PageError.notFound()
        }
        let learner = try await learnerAccount(piece.item.learnerID, for: me)
        let accept = form["decision"] == "accept"
        let comment = form["comment"].trimmingCharacters(in: .whitespacesAndNewlines)
        if !accept {
            guard form["decision"] == "changes" else {
                throw PageError.badRequest("Décision inconnue.", "Unknown decision.")
            }
            guard !comment.isEmpty, comment.count <= 2000 else {
                return try await learnerPage(
                    env, request, id: learner.id,
                    errors: [
                        "comment-\(id)": env.text(
                            "Expliquez ce qu'il faut reprendre (commentaire obligatoire, 2 000 caractères au plus).",
                            "Explain what needs changing (comment required, 2,000 characters at most).")
                    ])
            }
        }
        guard
            try await portfolio.review(
                id: id, accept: accept, comment: comment.isEmpty ? nil : String(comment.prefix(2000)), reviewer: me.id)
        else {
            throw PageError(
                status: .conflict, fr: "Cette preuve n'est pas (ou plus) en attente d'examen.",
                en: "This piece is not (or no longer) waiting for review.")
        }
        return redirect("/trainer/learners/\(learner.id)?reviewed=1")
    }

    // MARK: - Award

    /// What an award from the portfolio will publish: decided once, shown on the preview, then signed as is.
    struct PortfolioAwardPlan {
        var badge: BadgeClassRecord
        var issuer: IssuerRecord
        /// The accepted pieces the trainer cited, oldest first.
        var pieces: [Portfolio.Piece]
        /// Public token of each cited piece the learner chose to publish with this badge class.
        var tokens: [String: String]
        /// The trainer's neutral description of the evidence (the only evidence text by default).
        var note: String?
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
                        id: WebController.publicEvidenceURL(base: base, token: tokens[i.id]!), name: i.title,
                        narrative: i.kind == .narrative ? i.narrative : nil, description: i.description,
                        genre: i.genre))
            }
            return out
        }
    }

    /// The URL of a published piece (`PublicURLs.publicEvidence`).
    static func publicEvidenceURL(base: String, token: String) -> String {
        PublicURLs(base: base).publicEvidence(token)
    }

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
        return redirect("/trainer/assertions/\(record.id)?awarded=1")
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
                "url": Self.publicEvidenceURL(base: base, token: plan.tokens[i.id]!),
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
