import Foundation
import HTTPTypes
import Hummingbird
import InsigneStore
import OpenBadges
import OpenBadgesCrypto

/// The pages of one piece of evidence and its file (open only to the learner, reviewers and holders of a live share
/// link; 404 to anyone else), and the pieces a learner chose to publish with a badge (open to anyone with the link).
extension PortfolioPages {
    /// Adds the routes of evidence pages, files and publication.
    func addPublicationRoutes(to routes: AppRoutes) {
        routes.publicPages.get("/evidence/{id}") { req, ctx in
            try await evidencePage(ctx.env, req, id: ctx.parameters.get("id") ?? "")
        }
        routes.publicPages.get("/evidence/{id}/file") { req, ctx in
            try await evidenceFile(ctx.env, req, id: ctx.parameters.get("id") ?? "")
        }
        routes.signedInPages.post("/portfolio/evidence/{id}/publication") { req, ctx in
            try await setPublication(ctx.env, req, ctx, id: ctx.parameters.get("id") ?? "")
        }
        routes.publicPages.get("/public-evidence/{token}") { req, ctx in
            try await publicEvidencePage(ctx.env, token: ctx.parameters.get("token") ?? "")
        }
        routes.publicPages.get("/public-evidence/{token}/file") { req, ctx in
            try await publicEvidenceFile(ctx.env, token: ctx.parameters.get("token") ?? "")
        }
    }

    /// A piece of evidence as its learner, a reviewer or a share-link holder sees it (with, for the learner, the
    /// badge classes they may publish it with).
    func evidencePage(_ env: Env, _ request: Request, id: String) async throws -> Response {
        let share: String? = request.uri.queryParameters.get("share").map { String($0) }
        guard let found = try await portfolio.visible(id: id, account: env.account, shareToken: share) else {
            throw PageError.notFound()
        }
        let (piece, viewer) = found
        let names = try await services.db.competencyNamesByCode()
        let learnerName = try await services.db.displayName(accountID: piece.item.learnerID)
        var data = EvidenceView.data(piece, env, names: names, share: viewer == .shareLink ? share : nil)
        data["learner"] = learnerName
        switch viewer {
        case .owner:
            data["back"] = "/portfolio"
            data["isOwner"] = true
            let live = Dictionary(
                try await services.db.evidencePublications(evidenceID: piece.item.id).filter { $0.withdrawnAt == nil }
                    .map { ($0.badgeClassID, $0.token) }, uniquingKeysWith: { a, _ in a })
            let classes =
                try await services.db.publishableBadgeClasses(
                    evidenceID: piece.item.id, learnerID: piece.item.learnerID)
                ?? []
            data["publishBadges"] = classes.map { b -> [String: Any] in
                var d: [String: Any] = ["id": b.id, "name": b.name, "checked": live[b.id] != nil]
                if let t = live[b.id] { d["publicURL"] = services.urls.publicEvidence(t) }
                return d
            }
            data["hasPublishBadges"] = !classes.isEmpty
            if request.uri.queryParameters.get("published") != nil {
                data["notice"] = env.text("Choix de publication enregistré.", "Publication choice saved.")
            }
        case .reviewer: data["back"] = "/trainer/learners/\(piece.item.learnerID)"
        case .shareLink: data["back"] = "/share/" + (share ?? "")
        }
        var response = renderPortfolio("portfolio.evidence", env, title: piece.item.title, data)
        response.headers[.cacheControl] = "private, no-store"
        if viewer == .shareLink { response.headers[HTTPField.Name("X-Robots-Tag")!] = "noindex, nofollow" }
        return response
    }

    /// The file of a piece, for the same readers as its page.
    func evidenceFile(_ env: Env, _ request: Request, id: String) async throws -> Response {
        let share: String? = request.uri.queryParameters.get("share").map { String($0) }
        guard let piece = try await portfolio.visible(id: id, account: env.account, shareToken: share)?.0,
            let blob = piece.blob, let bytes = portfolio.files.read(blob.sha256)
        else { throw PageError.notFound() }
        return Self.evidenceFileResponse(
            bytes, item: piece.item, mediaType: blob.mediaType, cacheControl: "private, no-store")
    }

    /// A piece's file as sent to a browser: sniffed type, safe name, sandboxed, never indexed.
    static func evidenceFileResponse(
        _ bytes: [UInt8], item: EvidenceItemRecord, mediaType: String, cacheControl: String
    ) -> Response {
        let name = FileNames.safe(item.fileName ?? "fichier", mediaType: mediaType)
        let disposition = MediaSniffer.isInline(mediaType) ? "inline" : "attachment"
        return HTTP.bytes(
            bytes, contentType: mediaType,
            headers: [
                .contentDisposition: "\(disposition); filename=\"\(name)\"",
                .contentSecurityPolicy: "sandbox; default-src 'none'",
                .cacheControl: cacheControl,
                HTTPField.Name("X-Content-Type-Options")!: "nosniff",
                HTTPField.Name("X-Robots-Tag")!: "noindex, nofollow",
            ])
    }

    // MARK: - Publishing a piece with a badge (the learner's choice)

    /// Saves the badge classes the learner publishes this piece with (ticked `badge` values); the others are
    /// withdrawn.
    func setPublication(_ env: Env, _ request: Request, _ context: AppRequestContext, id: String) async throws
        -> Response
    {
        let form = try await self.form(request, context, env)
        let me = try learner(env)
        let ticked = Set((form.values["badge"] ?? []).prefix(200))
        guard let allowed = try await services.db.publishableBadgeClasses(evidenceID: id, learnerID: me.id) else {
            throw PageError.notFound()
        }
        guard ticked.isSubset(of: allowed.map(\.id)) else {
            throw PageError.badRequest(
                "Ce badge ne fait pas partie de ceux avec lesquels vous pouvez publier cette preuve.",
                "This badge is not one you can publish this piece of evidence with.")
        }
        var fresh: [String: String] = [:]
        for b in ticked { fresh[b] = try SecureRandom.hex(byteCount: 32) }
        guard
            try await services.db.setEvidencePublications(
                evidenceID: id, learnerID: me.id, badgeClassIDs: ticked, freshTokens: fresh)
        else { throw PageError.notFound() }
        return redirect("/evidence/\(id)?published=1")
    }

    /// A piece its learner published with a badge: open to anyone holding the link, until they withdraw it.
    func publicEvidencePage(_ env: Env, token: String) async throws -> Response {
        guard let found = try await services.db.publishedEvidence(token: token) else { throw PageError.notFound() }
        let i = found.item
        var data: [String: Any] = [
            "title": i.title, "kind": EvidenceView.kind(i.kind, env), "badge": found.badgeClass.name,
            "badgeURL": services.urls.badgeClass(found.badgeClass.id),
            "since": WebDates.display(found.publication.createdAt, english: env.english, time: false),
        ]
        if let g = i.genre { data["genre"] = g }
        if let d = i.description { data["description"] = d }
        if i.kind == .narrative, let n = i.narrative { data["narrative"] = n }
        if i.kind == .link, let l = i.linkURL { data["linkURL"] = l }
        if i.kind == .file, let b = found.blob {
            data["file"] =
                [
                    "name": FileNames.safe(i.fileName ?? "fichier", mediaType: b.mediaType),
                    "type": b.mediaType, "size": EvidenceView.byteSize(b.size, env),
                    "url": "/public-evidence/\(token)/file",
                ] as [String: Any]
        }
        var response = renderPortfolio("portfolio.public-evidence", env, title: i.title, data)
        response.headers[HTTPField.Name("X-Robots-Tag")!] = "noindex, nofollow"
        return response
    }

    /// The file of a published piece.
    func publicEvidenceFile(_ env: Env, token: String) async throws -> Response {
        guard let found = try await services.db.publishedEvidence(token: token), found.item.kind == .file,
            let blob = found.blob, let bytes = portfolio.files.read(blob.sha256)
        else { throw PageError.notFound() }
        return Self.evidenceFileResponse(bytes, item: found.item, mediaType: blob.mediaType, cacheControl: "no-store")
    }

}
