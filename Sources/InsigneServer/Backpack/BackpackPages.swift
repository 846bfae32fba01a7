import Foundation
import HTTPTypes
import Hummingbird
import InsigneStore
import OpenBadges

/// The learners' backpack: every badge received (issued here to a verified address, or imported), downloads, the
/// ZIP of everything, LinkedIn links and the opt-in public page; imports and the learner's email addresses are in
/// `BackpackPages+Import.swift` and `BackpackPages+Emails.swift`.
struct BackpackPages: PageFeature {
    let services: ServerServices

    /// The backpack service.
    var backpack: Backpack { Backpack(services: services) }
    /// The learner's extra addresses.
    var backpackEmails: BackpackEmails { BackpackEmails(services: services) }

    /// Adds the backpack pages to their route groups.
    func addRoutes(to routes: AppRoutes) {
        routes.signedInPages.get("/backpack") { req, ctx in try await backpackPage(ctx.env, req) }
        routes.signedInPages.get("/backpack/export.zip") { req, ctx in try await backpackZIP(ctx.env) }
        routes.signedInPages.get("/backpack/badges/{id}/{file}") { req, ctx in
            try await backpackFile(ctx.env, id: ctx.parameters.get("id") ?? "", file: ctx.parameters.get("file") ?? "")
        }
        routes.signedInPages.post("/backpack/badges/{id}/reverify") { req, ctx in
            try await reverify(ctx.env, req, ctx, id: ctx.parameters.get("id") ?? "")
        }
        routes.signedInPages.post("/backpack/badges/{id}/delete") { req, ctx in
            try await delete(ctx.env, req, ctx, id: ctx.parameters.get("id") ?? "")
        }
        routes.signedInPages.post("/backpack/public") { req, ctx in try await setPublic(ctx.env, req, ctx) }
        routes.signedInPages.get("/backpack/import") { req, ctx in try await importPage(ctx.env, error: nil) }
        routes.signedInPages.post("/backpack/import") { req, ctx in try await importBadge(ctx.env, req, ctx) }
        routes.signedInPages.get("/backpack/emails") { req, ctx in try await emailsPage(ctx.env, req) }
        routes.signedInPages.post("/backpack/emails") { req, ctx in try await addEmail(ctx.env, req, ctx) }
        routes.signedInPages.post("/backpack/emails/remove") { req, ctx in try await removeEmail(ctx.env, req, ctx) }
        routes.signedInPages.get("/backpack/emails/confirm/{token}") { req, ctx in
            try await confirmEmailPage(ctx.env, token: ctx.parameters.get("token") ?? "")
        }
        routes.signedInPages.post("/backpack/emails/confirm/{token}") { req, ctx in
            try await confirmEmail(ctx.env, req, ctx, token: ctx.parameters.get("token") ?? "")
        }
        routes.publicPages.get("/backpacks/{slug}") { req, ctx in
            try await publicBackpack(ctx.env, slug: ctx.parameters.get("slug") ?? "")
        }
        routes.publicPages.get("/backpacks/{slug}/badges/{id}/{file}") { req, ctx in
            try await publicBadgeFile(
                ctx.env, slug: ctx.parameters.get("slug") ?? "", id: ctx.parameters.get("id") ?? "",
                file: ctx.parameters.get("file") ?? "")
        }
    }

    // MARK: - The backpack

    /// Renders a backpack page: the portfolio pages' look plus `backpack.css`.
    func renderBackpack(
        _ template: String, _ env: Env, title: String, status: HTTPResponse.Status = .ok, _ data: [String: Any] = [:]
    ) -> Response {
        var d = data
        d["backpackCSS"] = StaticAssets.href("backpack.css")
        return renderPortfolio(template, env, title: title, status: status, d)
    }

    /// One of the learner's stored (imported or pushed) badges.
    func storedBadge(_ id: String, learnerID: String) async throws -> BackpackBadgeRecord? {
        guard id.count <= 64 else { return nil }
        return try await services.db.backpackBadge(id: id, learnerID: learnerID)
    }

    /// Template data for one entry (`publicSlug`: as shown on the public page).
    func entryData(_ e: BackpackEntry, _ env: Env, publicSlug: String? = nil) -> [String: Any] {
        let urls = services.urls
        let state = Backpack.state(e.outcome)
        var d: [String: Any] = [
            "id": e.id, "name": e.badgeName, "issuer": e.issuerName,
            "issued": WebDates.display(obDate: e.issuedOn, english: env.english) ?? "—",
            "state": ["label": env.text(state.fr, state.en), "css": state.css, "code": state.code],
            "linkedIn": Backpack.linkedInURL(e, urls: urls),
        ]
        let own = "/backpack/badges/\(e.id)/"
        switch e.origin {
        case .issuedHere(let a):
            d["image"] = String(urls.badgeImage(a.badgeClassID).dropFirst(urls.base.count))
            d["png"] = "/assertions/\(a.id)/badge.png"
            d["svg"] = "/assertions/\(a.id)/badge.svg"
            d["view"] = "/assertions/\(a.id)"
            if !a.isRevoked {
                d["pdf"] =
                    String(urls.assertionCertificate(a.id).dropFirst(urls.base.count)) + (env.english ? "?lang=en" : "")
            }
            d["origin"] = env.text("Attribué via Insigne", "Awarded through Insigne")
            if !a.isRevoked, publicSlug == nil {
                // The OB 3.0 form (made on first request for older awards), for digital wallets.
                let path = { (url: String) in String(url.dropFirst(urls.base.count)) }
                d["ob3"] = [
                    "json": path(urls.ob3Credential(a.id)), "jwt": path(urls.ob3CredentialJWT(a.id)),
                    "png": path(urls.ob3CredentialPNG(a.id)), "svg": path(urls.ob3CredentialSVG(a.id)),
                ]
            }
            if let copy = e.importedCopy, publicSlug == nil {
                // Also imported: one card, with the actions on the imported copy.
                d["origin"] = env.text("Attribué via Insigne, aussi importé", "Awarded through Insigne, also imported")
                d["stored"] = true
                d["storedID"] = copy.id
                d["mergedCopy"] = true
            }
        case .stored(let r):
            d["storedID"] = e.id
            d["image"] = (publicSlug.map { "/backpacks/\($0)/badges/\(e.id)/" } ?? own) + "image"
            d["png"] = own + "badge.png"
            d["svg"] = own + "badge.svg"
            if Backpack.isOB3(e) {
                // An OB 3.0 credential is given back as it came (never re-baked): one link to that file.
                let original = Backpack.originalCredential(e)
                d["png"] = original?.ext == "png" ? own + "badge.png" : false
                d["svg"] = original?.ext == "svg" ? own + "badge.svg" : false
                d["spec"] = "OB 3.0"
                if let ext = original?.ext, ext == "json" || ext == "jwt" {
                    d["credential"] = own + "credential"
                    d["credentialLabel"] = env.text(
                        "Justificatif OB 3.0 (\(ext.uppercased()), tel que reçu)",
                        "OB 3.0 credential (\(ext.uppercased()), as received)")
                }
            }
            d["stored"] = true
            d["checked"] = WebDates.display(r.verifiedAt, english: env.english)
            d["origin"] =
                switch r.source {
                case .file: env.text("Importé (fichier)", "Imported (file)")
                case .url: env.text("Importé (adresse web)", "Imported (web address)")
                case .jws: env.text("Importé (badge signé collé)", "Imported (pasted signed badge)")
                case .badgeConnect: env.text("Reçu par Badge Connect", "Received through Badge Connect")
                }
        }
        d["json"] = own + "assertion.json"
        if let v = Backpack.verifyURL(e, urls: urls) {
            d["verify"] = v
        } else if let slug = publicSlug {
            d["download"] = "/backpacks/\(slug)/badges/\(e.id)/badge.png"
        }
        return d
    }

    /// `/backpack`: the badges, the public page switch and the last action's notice.
    func backpackPage(_ env: Env, _ request: Request) async throws -> Response {
        let me = try learner(env)
        let entries = try await services.backpackEntries(learnerID: me.id)
        let emails = try await services.learnerEmails(accountID: me.id)
        let slug = try await backpack.publicSlug(accountID: me.id)
        let badges = Backpack.foldingRenewals(entries).map { item -> [String: Any] in
            var d = entryData(item.entry, env)
            d["history"] = item.history.map { entryData($0, env) }
            d["hasHistory"] = !item.history.isEmpty
            return d
        }
        var data: [String: Any] = [
            "badges": badges, "hasBadges": !entries.isEmpty, "count": badges.count,
            "emails": emails, "isPublic": slug != nil,
        ]
        if let slug { data["publicURL"] = services.urls.base + "/backpacks/" + slug }
        let q = request.uri.queryParameters
        if q.get("imported") != nil {
            data["notice"] = env.text("Badge vérifié et ajouté.", "Badge verified and added.")
        }
        if q.get("updated") != nil {
            data["notice"] = env.text(
                "Ce badge était déjà dans votre sac : il a été mis à jour.",
                "This badge was already in your backpack: it was updated.")
        }
        if q.get("reverified") != nil { data["notice"] = env.text("Badge vérifié à nouveau.", "Badge verified again.") }
        if q.get("deleted") != nil {
            data["notice"] = env.text("Badge retiré de votre sac.", "Badge removed from your backpack.")
        }
        if q.get("public") == "on" {
            data["notice"] = env.text("Votre page publique est ouverte.", "Your public page is open.")
        }
        if q.get("public") == "off" {
            data["notice"] = env.text("Votre page publique est fermée.", "Your public page is closed.")
        }
        return renderBackpack("backpack.backpack", env, title: env.text("Mes badges", "My badges"), data)
    }

    // MARK: - Actions on one badge

    /// Verifies one of the learner's stored badges again.
    func reverify(_ env: Env, _ request: Request, _ context: AppRequestContext, id: String) async throws -> Response {
        _ = try await form(request, context, env)
        let me = try learner(env)
        guard try await storedBadge(id, learnerID: me.id) != nil else { throw PageError.notFound() }
        _ = try await services.reverifyBackpackBadge(id: id, learnerID: me.id)
        return redirect("/backpack?reverified=1#badge-\(id)")
    }

    /// Removes one of the learner's stored badges.
    func delete(_ env: Env, _ request: Request, _ context: AppRequestContext, id: String) async throws -> Response {
        _ = try await form(request, context, env)
        let me = try learner(env)
        guard let r = try await storedBadge(id, learnerID: me.id) else { throw PageError.notFound() }
        try await services.db.deleteBackpackBadge(r, actor: me.id)
        return redirect("/backpack?deleted=1")
    }

    // MARK: - Public page

    /// `/backpacks/{slug}`: the learner's valid badges, when they opened their public page (never indexed).
    func publicBackpack(_ env: Env, slug: String) async throws -> Response {
        guard let owner = try await backpack.publicOwner(slug: slug) else { throw PageError.notFound() }
        let entries = try await services.backpackEntries(learnerID: owner.id).filter { $0.outcome == "valid" }
        let data: [String: Any] = [
            "learner": owner.displayName, "badges": entries.map { entryData($0, env, publicSlug: slug) },
            "hasBadges": !entries.isEmpty,
        ]
        var response = renderBackpack(
            "backpack.public", env, title: env.text("Badges de ", "Badges of ") + owner.displayName, data)
        response.headers[.cacheControl] = "private, no-store"
        response.headers[HTTPField.Name("X-Robots-Tag")!] = "noindex, nofollow"
        return response
    }

    /// Opens or closes the learner's public page.
    func setPublic(_ env: Env, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        let form = try await self.form(request, context, env)
        _ = try await backpack.setPublic(form["public"] == "1", accountID: try learner(env).id)
        return redirect("/backpack?public=\(form["public"] == "1" ? "on" : "off")#public-page")
    }
}
