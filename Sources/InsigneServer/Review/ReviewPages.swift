import Foundation
import HTTPTypes
import Hummingbird
import InsigneStore
import OpenBadges
import OpenBadgesCrypto

/// The trainers' side of the portfolios: learners and invitations, the review queue, reviewing pieces, and
/// awarding a badge with accepted pieces as its evidence (`ReviewPages+Award.swift`). Staff and admin accounts only
/// (the `staffPages` group sends learners away). Staff see only the learners enrolled with their issuer, the
/// invitations it sent and the pieces submitted to it (see `LearnerIssuerRecord`); anything else answers 404, as if
/// it did not exist.
struct ReviewPages: PageFeature {
    let services: ServerServices

    /// The portfolio service (pieces, invitations).
    var portfolio: Portfolio { Portfolio(services: services) }
    /// The review service (who may see a learner, recording a review).
    var review: Review { Review(db: services.db) }

    /// Adds the review pages to the trainers' route group.
    func addRoutes(to routes: AppRoutes) {
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
            try await review.maySeeLearner(reviewer, learnerID: a.id)
        else { throw PageError.notFound() }
        return a
    }

    // MARK: - Learners and invitations

    /// The learners this account may see, the invitations sent and the invitation form.
    func learnersPage(
        _ env: Env, form: WebForm?, errors: [String: String], invitationURL: String? = nil, mailNote: String? = nil
    ) async throws -> Response {
        let me = try reviewer(env)
        // Staff: only the learners, pieces and invitations of the issuers where they review; admin: everything.
        let scope = env.staff.issuerIDs(for: .review)
        let awardable = try await allowedIssuers(me)
        let issuers = me.role == .admin || awardable.count > 1 ? awardable : []
        let roster = try await services.db.learnerRoster(issuerIDs: scope)
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
            "chooseIssuer": !issuers.isEmpty, "mayInvite": !awardable.isEmpty, "siteOption": me.role == .admin,
            "v": ["name": form?["name"] ?? "", "email": form?["email"] ?? ""], "errors": errors,
            "hasErrors": !errors.isEmpty,
        ]
        if let invitationURL { data["invitationURL"] = invitationURL }
        if let mailNote { data["mailNote"] = mailNote }
        return renderPortfolio(
            "review.learners", env, title: env.text("Apprenants", "Learners"),
            status: errors.isEmpty ? .ok : .unprocessableContent, data)
    }

    /// Invites a learner by email: shows the invitation link to hand over.
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
        // The issuer the learner is invited to: one where the staff may award (chosen when several); an administrator
        // picks one, or none (the site).
        let awardable = try await allowedIssuers(me)
        var issuerID: String? = me.role == .admin || awardable.count != 1 ? nil : awardable.first?.id
        if let chosen = form.optional("issuer") {
            guard awardable.contains(where: { $0.id == chosen }) else {
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
        let address = EmailNormalization.normalize(email)
        let token = try await portfolio.invite(name: name, email: address, by: me.id, issuerID: issuerID)
        let sent = await Notifier(services: services).invitation(
            to: address, name: name, issuerID: issuerID, token: token,
            expires: Date().addingTimeInterval(Portfolio.invitationLifetime))
        // The link is shown to the trainer only when no mail server carries it (outbox, or sending failed).
        if case .sent(.queued) = sent {
            let note = env.text("L'invitation a été envoyée à \(address).", "The invitation was sent to \(address).")
            return try await learnersPage(env, form: nil, errors: [:], mailNote: note)
        }
        return try await learnersPage(
            env, form: nil, errors: [:], invitationURL: services.urls.base + "/invitation/" + token)
    }

    // MARK: - Review queue

    /// The learners with pieces waiting for review, oldest first.
    func reviewsPage(_ env: Env) async throws -> Response {
        let me = try reviewer(env)
        _ = me
        let rows = try await services.db.reviewQueue(issuerIDs: env.staff.issuerIDs(for: .review))
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

    /// One learner: their submitted and reviewed pieces, and the form to award a badge citing accepted ones.
    func learnerPage(_ env: Env, _ request: Request, id: String, errors: [String: String], form: WebForm? = nil)
        async throws -> Response
    {
        let me = try reviewer(env)
        let learner = try await learnerAccount(id, for: me)
        let pieces = try await portfolio.pieces(learnerID: id, statuses: [.submitted, .accepted, .changesRequested])
            .filter { Access.maySee(me, submittedTo: $0.item.issuerID) }
        let names = try await services.db.competencyNamesByCode()
        let issuers = try await allowedIssuers(me)
        let issuerIDs = issuers.map(\.id)
        let badgesList = try await services.db.badgeClasses(issuerIDs: issuerIDs).filter { !$0.isArchived }
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
                    var d = EvidenceView.data(p, env, names: names)
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

    /// Accepts a submitted piece or sends it back with a comment.
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
            try await review.record(
                id: id, accept: accept, comment: comment.isEmpty ? nil : String(comment.prefix(2000)), reviewer: me.id)
        else {
            throw PageError(
                status: .conflict, fr: "Cette preuve n'est pas (ou plus) en attente d'examen.",
                en: "This piece is not (or no longer) waiting for review.")
        }
        await Notifier(services: services).reviewDecision(
            learner: learner, piece: piece.item.title, accepted: accept,
            comment: comment.isEmpty ? nil : String(comment.prefix(2000)))
        return redirect("/trainer/learners/\(learner.id)?reviewed=1")
    }
}
