import Foundation
import HTTPTypes
import Hummingbird
import InsigneStore
import OpenBadgesCrypto

/// The learner's « mes données » pages: what is stored about them, the export as a ZIP archive, and the erasure
/// of their account (password and confirmation required).
struct PersonalDataPages: PageFeature {
    let services: ServerServices
    /// Where password hashing runs when the erasure is confirmed (never on the request's task).
    var hasher = PasswordHashingPool.shared

    /// Adds the personal-data pages (signed-in learners; anyone else gets 404).
    func addRoutes(to routes: AppRoutes) {
        routes.signedInPages.get("/portfolio/data") { req, ctx in try await dataPage(ctx.env, error: nil) }
        routes.signedInPages.post("/portfolio/data/export") { req, ctx in try await export(ctx.env, req, ctx) }
        routes.signedInPages.post("/portfolio/data/erase") { req, ctx in try await erase(ctx.env, req, ctx) }
    }

    /// Everything stored about the learner, as a ZIP download.
    func export(_ env: Env, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try await form(request, context, env)
        let me = try learner(env)
        let zip = try await PersonalData(services: services).export(me)
        return HTTP.bytes(
            zip, contentType: "application/zip",
            headers: [
                .contentDisposition: "attachment; filename=\"insigne-mes-donnees.zip\"",
                .cacheControl: "private, no-store",
            ])
    }

    /// « Mes données »: what is stored, the export button and the erasure form (with its `error`).
    func dataPage(_ env: Env, error: String?) async throws -> Response {
        let me = try learner(env)
        var data: [String: Any] = ["email": me.email ?? "", "login": me.login]
        if let error { data["error"] = error }
        return renderPortfolio(
            "portfolio.data", env, title: env.text("Mes données", "My data"),
            status: error == nil ? .ok : .unprocessableContent,
            data)
    }

    /// Erases the learner's account and data once their password and the confirmation box are given.
    func erase(_ env: Env, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        let form = try await self.form(request, context, env)
        let me = try learner(env)
        let password = form["password"]
        var matches = false
        if let hash = me.passwordHash, password.count <= 1000 {
            do {
                matches = try await hasher.run { PasswordHash.verify(password, against: hash) }
            } catch is PasswordHashingPool.Busy {
                return busyPage(env)
            }
        }
        guard matches, form["confirm"] == "1" else {
            return try await dataPage(
                env,
                error: env.text(
                    "Mot de passe incorrect ou case de confirmation non cochée : rien n'a été effacé.",
                    "Wrong password or confirmation box not ticked: nothing was erased."))
        }
        _ = try await PersonalData(services: services).erase(me)
        return redirect(
            "/login?bye=1",
            cookies: [WebSecurity.cookie(WebSessionStore.cookieName, "", maxAge: 0, secure: secureCookies)])
    }
}
