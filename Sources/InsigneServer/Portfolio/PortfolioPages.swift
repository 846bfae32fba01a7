import Foundation
import HTTPTypes
import Hummingbird
import InsigneStore
import OpenBadges
import OpenBadgesCrypto

/// The learners' portfolio pages: their pieces, submitting them for review, coverage of a framework. The evidence
/// form, the evidence pages and their publication, share links and invitations are in `PortfolioPages+…` files.
/// Evidence pages and files are open only to the learner, reviewers and holders of a live share link (404 to
/// anyone else).
struct PortfolioPages: PasswordChoosingPages {
    let services: ServerServices
    /// Where password hashing runs when an invitation is accepted (never on the request's task).
    var hasher = PasswordHashingPool.shared

    /// The portfolio service.
    var portfolio: Portfolio { Portfolio(services: services) }

    /// Adds the portfolio pages to their route groups.
    func addRoutes(to routes: AppRoutes) {
        addInvitationRoutes(to: routes)
        routes.signedInPages.get("/portfolio") { req, ctx in try await portfolioPage(ctx.env, req) }
        routes.signedInPages.post("/portfolio/submit") { req, ctx in try await submit(ctx.env, req, ctx) }
        routes.signedInPages.get("/portfolio/coverage/{fw}") { req, ctx in
            try await coveragePage(ctx.env, frameworkID: ctx.parameters.get("fw") ?? "")
        }
        addEvidenceRoutes(to: routes)
        addPublicationRoutes(to: routes)
        addSharingRoutes(to: routes)
    }

    // MARK: - Portfolio

    /// The learner's portfolio: their pieces, badges, frameworks and the notice of the last action.
    func portfolioPage(_ env: Env, _ request: Request) async throws -> Response {
        let me = try learner(env)
        let pieces = try await portfolio.pieces(learnerID: me.id)
        let names = try await services.db.competencyNamesByCode()
        let frameworks = try services.db.frameworks()
        let badges = try await portfolio.badges(of: me)
        let pending = pieces.filter { $0.item.status == .draft || $0.item.status == .changesRequested }.count
        let enrolled = try await portfolio.issuers(ofLearner: me.id)
        var data: [String: Any] = [
            "issuers": enrolled.map { ["id": $0.id, "name": $0.name] }, "chooseIssuer": enrolled.count > 1,
            "pieces": pieces.map { EvidenceView.data($0, env, names: names) }, "hasPieces": !pieces.isEmpty,
            "pendingCount": pending, "canSubmit": pending > 0,
            "frameworks": frameworks.map { ["id": $0.id, "name": $0.shortName, "code": $0.idNumber] },
            "hasFrameworks": !frameworks.isEmpty, "name": me.displayName,
            "badges": badges.map { a, b -> [String: Any] in
                var d: [String: Any] = [
                    "name": b?.name ?? a.badgeClassID, "hostedURL": services.urls.assertion(a.id),
                    "pngURL": services.urls.assertionPNG(a.id),
                    "issued": WebDates.display(obDate: a.issuedOn, english: env.english) ?? a.issuedOn,
                ]
                if a.isRevoked { d["revoked"] = true }
                return d
            },
            "hasBadges": !badges.isEmpty,
        ]
        let q = request.uri.queryParameters
        if q.get("welcome") != nil {
            data["notice"] = env.text(
                "Bienvenue ! Votre compte est créé. Ajoutez ici vos preuves (documents, récits, liens), rattachez-les au référentiel, puis envoyez-les pour examen.",
                "Welcome! Your account is ready. Add your evidence here (documents, narratives, links), tag it to the framework, then submit it for review."
            )
        }
        if let n = q.get("submitted").flatMap(Int.init) {
            data["notice"] =
                n == 0
                ? env.text(
                    "Rien à envoyer : aucune preuve en brouillon ou à reprendre.",
                    "Nothing to submit: no draft or piece to rework.")
                : env.text("\(n) preuve(s) envoyée(s) pour examen.", "\(n) piece(s) submitted for review.")
        }
        if q.get("saved") != nil { data["notice"] = env.text("Preuve enregistrée.", "Evidence saved.") }
        if q.get("deleted") != nil { data["notice"] = env.text("Preuve supprimée.", "Evidence deleted.") }
        return renderPortfolio("portfolio.portfolio", env, title: env.text("Mon portfolio", "My portfolio"), data)
    }

    /// Submits the learner's drafts and pieces to rework to the issuer they choose among those that enrolled them
    /// (none: the site).
    func submit(_ env: Env, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        let form = try await self.form(request, context, env)
        let me = try learner(env)
        let enrolled = try await portfolio.issuers(ofLearner: me.id)
        var to = enrolled.count == 1 ? enrolled.first?.id : nil
        if let chosen = form.optional("issuer") {
            guard enrolled.contains(where: { $0.id == chosen }) else {
                throw PageError.badRequest("Établissement inconnu.", "Unknown establishment.")
            }
            to = chosen
        } else if enrolled.count > 1 {
            throw PageError.badRequest(
                "Choisissez l'établissement qui examinera vos preuves.",
                "Choose the establishment that will review your evidence.")
        }
        let sending = try await portfolio.pieces(learnerID: me.id, statuses: [.draft, .changesRequested])
        let n = try await portfolio.submitAll(learnerID: me.id, to: to)
        if n > 0, let to {
            await Notifier(services: services).evidenceSubmitted(
                learner: me, issuerID: to, titles: sending.map(\.item.title))
        }
        return redirect("/portfolio?submitted=\(n)")
    }

    // MARK: - Coverage

    /// The learner's coverage of a framework: a table of its competencies and a chart by domain.
    func coveragePage(_ env: Env, frameworkID: String) async throws -> Response {
        let me = try learner(env)
        guard let f = try services.db.framework(id: frameworkID) else { throw PageError.notFound() }
        let rows = try await portfolio.coverage(learnerID: me.id, frameworkID: f.id)
        var order: [String] = []
        var totals: [String: (Int, Int)] = [:]
        var names: [String: String] = [:]
        for r in rows where r.competency.parentIDNumber == nil { names[r.competency.idNumber] = r.competency.shortName }
        let hasChildren = Set(rows.compactMap(\.competency.parentIDNumber))
        for r in rows where !(r.competency.parentIDNumber == nil && hasChildren.contains(r.competency.idNumber)) {
            if totals[r.domain] == nil { order.append(r.domain) }
            let t = totals[r.domain] ?? (0, 0)
            totals[r.domain] = (t.0 + (r.state == .accepted ? 1 : 0), t.1 + 1)
        }
        let barMax = 400.0
        let domains: [[String: Any]] = order.enumerated().map { n, code in
            let (accepted, total) = totals[code] ?? (0, 0)
            let share = total == 0 ? 0 : Double(accepted) / Double(total)
            return [
                "code": code, "name": names[code] ?? code, "accepted": accepted, "total": total,
                "percent": Int((share * 100).rounded()), "width": Int((share * barMax).rounded()),
                "y": n * 44 + 8, "textY": n * 44 + 24, "barY": n * 44 + 30,
            ]
        }
        let accepted = rows.filter { $0.state == .accepted }.count
        let submitted = rows.filter { $0.state == .submitted }.count
        let data: [String: Any] = [
            "framework": ["id": f.id, "name": f.shortName, "code": f.idNumber],
            "rows": rows.map { r -> [String: Any] in
                let (fr, en, css) =
                    switch r.state {
                    case .accepted: ("Acceptée", "Accepted", "good")
                    case .submitted: ("En examen", "Under review", "neutral")
                    case .none: ("Aucune preuve", "No evidence", "none")
                    }
                return [
                    "code": r.competency.idNumber, "name": r.competency.shortName, "depth": min(r.competency.depth, 4),
                    "state": env.text(fr, en), "css": css, "stateCode": r.state.rawValue,
                ]
            },
            "domains": domains, "chartHeight": order.count * 44 + 12, "barMax": Int(barMax),
            "accepted": accepted, "submitted": submitted, "none": rows.count - accepted - submitted,
            "total": rows.count,
        ]
        return renderPortfolio(
            "portfolio.coverage", env, title: env.text("Couverture — ", "Coverage — ") + f.shortName, data)
    }

}
