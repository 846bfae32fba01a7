import Foundation
import HTTPTypes
import Hummingbird
import InsigneStore
import OpenBadges

/// The learners' backpack: every badge received (issued here to a verified address, or imported), downloads, the
/// ZIP of everything, LinkedIn links, the opt-in public page, imports, and the learner's email addresses.
extension WebController {
    var backpack: Backpack { Backpack(services: services) }
    var backpackEmails: BackpackEmails { BackpackEmails(services: services) }

    /// Adds the backpack pages to their route groups.
    func addBackpackPages(to routes: AppRoutes) {
        routes.signedInPages.get("/backpack") { req, ctx in try await backpackPage(ctx.env, req) }
        routes.signedInPages.get("/backpack/export.zip") { req, ctx in try await backpackZIP(ctx.env) }
        routes.signedInPages.get("/backpack/badges/{id}/{file}") { req, ctx in
            let env = ctx.env
            return try await backpackFile(
                env, id: ctx.parameters.get("id") ?? "", file: ctx.parameters.get("file") ?? "")
        }
        routes.signedInPages.post("/backpack/badges/{id}/reverify") { req, ctx in
            let env = ctx.env
            _ = try await form(req, ctx, env)
            let me = try learner(env)
            let id = ctx.parameters.get("id") ?? ""
            guard try await storedBadge(id, learnerID: me.id) != nil else { throw PageError.notFound() }
            _ = try await services.reverifyBackpackBadge(id: id, learnerID: me.id)
            return redirect("/backpack?reverified=1#badge-\(id)")
        }
        routes.signedInPages.post("/backpack/badges/{id}/delete") { req, ctx in
            let env = ctx.env
            _ = try await form(req, ctx, env)
            let me = try learner(env)
            guard let r = try await storedBadge(ctx.parameters.get("id") ?? "", learnerID: me.id) else {
                throw PageError.notFound()
            }
            try await services.db.deleteBackpackBadge(r, actor: me.id)
            return redirect("/backpack?deleted=1")
        }
        routes.signedInPages.post("/backpack/public") { req, ctx in
            let env = ctx.env
            let form = try await self.form(req, ctx, env)
            _ = try await backpack.setPublic(form["public"] == "1", accountID: try learner(env).id)
            return redirect("/backpack?public=\(form["public"] == "1" ? "on" : "off")#public-page")
        }
        routes.signedInPages.get("/backpack/import") { req, ctx in try await importPage(ctx.env, error: nil) }
        routes.signedInPages.post("/backpack/import") { req, ctx in try await importBadge(ctx.env, req, ctx) }
        routes.signedInPages.get("/backpack/emails") { req, ctx in try await emailsPage(ctx.env, req) }
        routes.signedInPages.post("/backpack/emails") { req, ctx in try await addEmail(ctx.env, req, ctx) }
        routes.signedInPages.post("/backpack/emails/remove") { req, ctx in
            let env = ctx.env
            let form = try await self.form(req, ctx, env)
            guard try await backpackEmails.remove(form["email"], accountID: try learner(env).id) else {
                throw PageError.notFound()
            }
            return redirect("/backpack/emails?removed=1")
        }
        routes.signedInPages.get("/backpack/emails/confirm/{token}") { req, ctx in
            let env = ctx.env
            let me = try learner(env)
            let token = ctx.parameters.get("token") ?? ""
            guard let r = try await backpackEmails.pending(token: token, accountID: me.id) else {
                throw confirmationGone
            }
            return renderBackpack(
                "backpack.email-confirm", env, title: env.text("Confirmer une adresse", "Confirm an address"),
                ["email": r.email, "token": token])
        }
        routes.signedInPages.post("/backpack/emails/confirm/{token}") { req, ctx in
            let env = ctx.env
            _ = try await form(req, ctx, env)
            let me = try learner(env)
            guard
                try await backpackEmails.confirm(token: ctx.parameters.get("token") ?? "", accountID: me.id) != nil
            else { throw confirmationGone }
            return redirect("/backpack/emails?confirmed=1")
        }
        routes.publicPages.get("/backpacks/{slug}") { req, ctx in
            try await publicBackpack(ctx.env, slug: ctx.parameters.get("slug") ?? "")
        }
        routes.publicPages.get("/backpacks/{slug}/badges/{id}/{file}") { req, ctx in
            let env = ctx.env
            return try await publicBadgeFile(
                env, slug: ctx.parameters.get("slug") ?? "", id: ctx.parameters.get("id") ?? "",
                file: ctx.parameters.get("file") ?? "")
        }
    }

    var confirmationGone: PageError {
        PageError(
            status: .notFound,
            fr:
                "Ce lien de confirmation n'est pas valide : il a expiré, a déjà servi, ou a été demandé depuis un autre compte.",
            en:
                "This confirmation link is not valid: it has expired, was already used, or was requested from another account."
        )
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
            d["origin"] = env.text("Attribué par Insigne", "Awarded through Insigne")
            if let copy = e.importedCopy, publicSlug == nil {
                // Also imported: one card, with the actions on the imported copy.
                d["origin"] = env.text("Attribué par Insigne, aussi importé", "Awarded through Insigne, also imported")
                d["stored"] = true
                d["storedID"] = copy.id
                d["mergedCopy"] = true
            }
        case .stored(let r):
            d["storedID"] = e.id
            d["image"] = (publicSlug.map { "/backpacks/\($0)/badges/\(e.id)/" } ?? own) + "image"
            d["png"] = own + "badge.png"
            d["svg"] = own + "badge.svg"
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

    func backpackPage(_ env: Env, _ request: Request) async throws -> Response {
        let me = try learner(env)
        let entries = try await services.backpackEntries(learnerID: me.id)
        let emails = try await services.learnerEmails(accountID: me.id)
        let slug = try await backpack.publicSlug(accountID: me.id)
        var data: [String: Any] = [
            "badges": entries.map { entryData($0, env) }, "hasBadges": !entries.isEmpty, "count": entries.count,
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

    func backpackZIP(_ env: Env) async throws -> Response {
        let me = try learner(env)
        let entries = try await services.backpackEntries(learnerID: me.id)
        let zip = await backpack.exportZIP(entries, learnerName: me.displayName)
        return HTTP.bytes(
            zip, contentType: "application/zip",
            headers: [
                .contentDisposition: "attachment; filename=\"insigne-mes-badges.zip\"",
                .cacheControl: "private, no-store",
            ])
    }

    /// `badge.png`, `badge.svg`, `assertion.json` or `image` of one of the learner's entries.
    func backpackFile(_ env: Env, id: String, file: String) async throws -> Response {
        let me = try learner(env)
        guard
            let entry = try await services.backpackEntries(learnerID: me.id).first(where: {
                $0.id == id || $0.importedCopy?.id == id
            })
        else {
            throw PageError.notFound()
        }
        return try await badgeFile(entry, file: file, download: file != "image")
    }

    func badgeFile(_ e: BackpackEntry, file: String, download: Bool) async throws -> Response {
        let stem = String(FileNames.safe(e.badgeName, mediaType: "image/png").dropLast(".png".count))
        let bytes: [UInt8]?
        let type: String
        switch file {
        case "badge.png": (bytes, type) = (await backpack.bakedImage(e, svg: false), "image/png")
        case "badge.svg": (bytes, type) = (await backpack.bakedImage(e, svg: true), "image/svg+xml")
        case "assertion.json":
            (bytes, type) = (Array(e.assertion.encodedString().utf8), "application/ld+json; charset=utf-8")
        case "image":
            let shown = await backpack.displayImage(e)
            (bytes, type) = (shown?.bytes, shown?.type ?? "")
        default: throw PageError.notFound()
        }
        guard let bytes else {
            throw PageError(
                status: .notFound,
                fr: "Ce fichier ne peut pas être produit pour ce badge (image du badge indisponible).",
                en: "This file cannot be produced for this badge (badge image unavailable).")
        }
        let ext = file == "assertion.json" ? "json" : (type == "image/png" ? "png" : "svg")
        var headers: HTTPFields = [
            .cacheControl: "private, no-store",
            .contentSecurityPolicy: "sandbox; default-src 'none'; style-src 'unsafe-inline'",
            HTTPField.Name("X-Content-Type-Options")!: "nosniff",
        ]
        if download { headers[.contentDisposition] = "attachment; filename=\"\(stem).\(ext)\"" }
        return HTTP.bytes(bytes, contentType: type, headers: headers)
    }

    // MARK: - Public page

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

    func publicBadgeFile(_ env: Env, slug: String, id: String, file: String) async throws -> Response {
        guard file == "image" || file == "badge.png", let owner = try await backpack.publicOwner(slug: slug),
            let entry = try await services.backpackEntries(learnerID: owner.id).first(where: { $0.id == id }),
            entry.outcome == "valid"
        else { throw PageError.notFound() }
        var response = try await badgeFile(entry, file: file, download: file != "image")
        response.headers[HTTPField.Name("X-Robots-Tag")!] = "noindex, nofollow"
        return response
    }

    // MARK: - Import

    func importPage(_ env: Env, error: String?, status: HTTPResponse.Status = .ok, form: WebForm? = nil) async throws
        -> Response
    {
        let me = try learner(env)
        var data: [String: Any] = [
            "emails": try await services.learnerEmails(accountID: me.id), "url": form?["url"] ?? "",
            "jws": form?["jws"] ?? "",
        ]
        if let error { data["error"] = error }
        return renderBackpack(
            "backpack.import", env, title: env.text("Importer un badge", "Import a badge"),
            status: error == nil ? .ok : status, data)
    }

    func importBadge(_ env: Env, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        let form = try await self.form(request, context, env)
        let me = try learner(env)
        let input: VerificationInput
        let source: BackpackBadgeRecord.Source
        var original: Data?
        var originalType: String?
        if let part = form.files["file"], !part.body.isEmpty {
            guard part.body.count <= Backpack.maxImportSize else {
                return try await importPage(
                    env, error: env.text("Fichier trop volumineux : 5 Mo au plus.", "File too large: 5 MiB at most."),
                    status: .contentTooLarge, form: form)
            }
            guard let format = BadgeImageFormat.detect(part.body) else {
                return try await importPage(
                    env,
                    error: env.text(
                        "Ce fichier n'est pas une image de badge : choisissez le fichier PNG ou SVG du badge tel que vous l'avez reçu.",
                        "This file is not a badge image: choose the badge's PNG or SVG file as you received it."),
                    status: .unsupportedMediaType, form: form)
            }
            (input, source, original, originalType) = (.data(part.body), .file, Data(part.body), format.mimeType)
        } else if let url = form.optional("url") {
            do {
                input = try VerifyController.urlInput(url)
            } catch let e as ServiceError {
                return try await importPage(
                    env, error: env.language.text(e.message), status: .unprocessableContent, form: form)
            }
            source = .url
        } else if let jws = form.optional("jws") {
            guard jws.utf8.count <= 64 * 1024, CompactJWS.looksLikeJWS(jws) else {
                return try await importPage(
                    env,
                    error: env.text(
                        "Ce texte n'est pas un badge signé (JWS compact : trois parties séparées par des points).",
                        "This text is not a signed badge (compact JWS: three parts separated by dots)."),
                    status: .unprocessableContent, form: form)
            }
            (input, source) = (.text(jws), .jws)
        } else {
            return try await importPage(
                env,
                error: env.text(
                    "Choisissez un fichier, indiquez une adresse web ou collez un badge signé.",
                    "Choose a file, enter a web address or paste a signed badge."),
                status: .unprocessableContent, form: form)
        }
        do {
            let result = try await services.importToBackpack(
                learnerID: me.id, input: input, source: source, originalData: original, originalType: originalType)
            return redirect("/backpack?\(result.updated ? "updated" : "imported")=1#badge-\(result.record.id)")
        } catch let e as BackpackImportError {
            return try await importPage(
                env, error: env.text(e.messageFR, e.messageEN), status: .unprocessableContent, form: form)
        }
    }

    // MARK: - Email addresses

    func emailsPage(_ env: Env, _ request: Request, error: String? = nil, value: String = "") async throws -> Response {
        let me = try learner(env)
        let list = try await backpackEmails.addresses(of: me)
        var data: [String: Any] = [
            "addresses": list.map { a -> [String: Any] in
                var d: [String: Any] = ["email": a.email, "primary": a.primary, "verified": a.verifiedAt != nil]
                if let at = a.verifiedAt, !a.primary {
                    d["since"] = WebDates.display(at, english: env.english, time: false)
                }
                return d
            },
            "value": value, "max": BackpackEmails.maxAddresses,
        ]
        if let error { data["error"] = error }
        let q = request.uri.queryParameters
        if q.get("sent") != nil {
            data["notice"] = env.text(
                "Un message de confirmation a été envoyé à cette adresse. Ouvrez le lien qu'il contient (valable 48 heures) en restant connecté(e).",
                "A confirmation message was sent to this address. Open its link (valid for 48 hours) while signed in.")
        }
        if q.get("confirmed") != nil {
            data["notice"] = env.text(
                "Adresse confirmée : les badges qui lui ont été attribués apparaissent dans « Mes badges ».",
                "Address confirmed: the badges awarded to it now show in \"My badges\".")
        }
        if q.get("removed") != nil { data["notice"] = env.text("Adresse retirée.", "Address removed.") }
        return renderBackpack(
            "backpack.emails", env, title: env.text("Mes adresses électroniques", "My email addresses"),
            status: error == nil ? .ok : .unprocessableContent, data)
    }

    func addEmail(_ env: Env, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        let form = try await self.form(request, context, env)
        let me = try learner(env)
        let raw = String(form["email"].prefix(320))
        switch try await backpackEmails.add(raw, to: me) {
        case .success(let token):
            try backpackEmails.sendConfirmation(
                to: EmailNormalization.normalize(raw), token: token, learnerName: me.displayName)
            return redirect("/backpack/emails?sent=1")
        case .failure(let refusal):
            let (fr, en) =
                switch refusal {
                case .malformed: ("Adresse électronique invalide.", "Invalid email address.")
                case .primary: ("C'est déjà votre adresse principale.", "This is already your main address.")
                case .alreadyYours:
                    (
                        "Cette adresse est déjà confirmée sur votre compte.",
                        "This address is already confirmed on your account."
                    )
                case .takenByAnother:
                    (
                        "Cette adresse est déjà rattachée à un autre compte : elle ne peut pas être ajoutée.",
                        "This address already belongs to another account: it cannot be added."
                    )
                case .tooMany:
                    (
                        "Vous avez atteint le nombre maximal d'adresses (\(BackpackEmails.maxAddresses)) : retirez-en une d'abord.",
                        "You have reached the maximum number of addresses (\(BackpackEmails.maxAddresses)): remove one first."
                    )
                }
            return try await emailsPage(env, request, error: env.text(fr, en), value: raw)
        }
    }
}
