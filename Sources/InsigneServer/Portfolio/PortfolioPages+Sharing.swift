import Foundation
import HTTPTypes
import Hummingbird
import InsigneStore
import OpenBadges
import OpenBadgesCrypto

/// Share links: the learner creates and revokes them; anyone holding a live one sees the shared portfolio.
extension PortfolioPages {
    /// Adds the share-link routes.
    func addSharingRoutes(to routes: AppRoutes) {
        routes.signedInPages.get("/portfolio/share") { req, ctx in try await sharePage(ctx.env, created: nil) }
        routes.signedInPages.post("/portfolio/share") { req, ctx in
            let env = ctx.env
            let form = try await self.form(req, ctx, env)
            let me = try learner(env)
            let label = String((form.optional("label") ?? env.text("Lien de partage", "Share link")).prefix(200))
            let token = try await portfolio.createShareLink(learnerID: me.id, label: label)
            return try await sharePage(env, created: services.urls.base + "/share/" + token)
        }
        routes.signedInPages.post("/portfolio/share/revoke") { req, ctx in
            let env = ctx.env
            let form = try await self.form(req, ctx, env)
            guard try await portfolio.revokeShareLink(tokenHash: form["link"], learnerID: try learner(env).id)
            else {
                throw PageError.notFound()
            }
            return redirect("/portfolio/share?revoked=1")
        }
        routes.publicPages.get("/share/{token}") { req, ctx in
            try await sharedPortfolio(ctx.env, token: ctx.parameters.get("token") ?? "")
        }
    }

    /// The learner's share links, with the one just `created`.
    func sharePage(_ env: Env, created: String?) async throws -> Response {
        let me = try learner(env)
        let links = try await services.db.shareLinks(learnerID: me.id)
        var data: [String: Any] = [
            "links": links.map { l -> [String: Any] in
                var d: [String: Any] = [
                    "id": l.tokenHash, "label": l.label, "created": WebDates.display(l.createdAt, english: env.english),
                ]
                if let r = l.revokedAt { d["revoked"] = WebDates.display(r, english: env.english) }
                return d
            },
            "hasLinks": !links.isEmpty,
        ]
        if let created { data["created"] = created }
        return renderPortfolio(
            "portfolio.share", env, title: env.text("Partager mon portfolio", "Share my portfolio"), data)
    }

    /// The learner's submitted and accepted pieces, as a live share link shows them.
    func sharedPortfolio(_ env: Env, token: String) async throws -> Response {
        guard let link = try await portfolio.shareLink(token: token) else { throw PageError.notFound() }
        let pieces = try await portfolio.pieces(learnerID: link.learnerID, statuses: [.submitted, .accepted])
        let names = try await services.db.competencyNamesByCode()
        let learnerName = try await services.db.displayName(accountID: link.learnerID)
        let data: [String: Any] = [
            "learner": learnerName, "pieces": pieces.map { EvidenceView.data($0, env, names: names, share: token) },
            "hasPieces": !pieces.isEmpty,
        ]
        var response = renderPortfolio(
            "portfolio.shared", env, title: env.text("Portfolio de ", "Portfolio of ") + learnerName, data)
        response.headers[.cacheControl] = "private, no-store"
        response.headers[HTTPField.Name("X-Robots-Tag")!] = "noindex, nofollow"
        return response
    }

}
