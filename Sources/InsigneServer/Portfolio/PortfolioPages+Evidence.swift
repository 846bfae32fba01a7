import Foundation
import HTTPTypes
import Hummingbird
import InsigneStore
import OpenBadges
import OpenBadgesCrypto

/// Adding, editing and deleting a piece of evidence (the learner's own drafts and pieces to rework).
extension PortfolioPages {
    /// Adds the evidence form's routes.
    func addEvidenceRoutes(to routes: AppRoutes) {
        routes.signedInPages.get("/portfolio/evidence/new") { req, ctx in
            let kind = EvidenceItemRecord.Kind(rawValue: req.uri.queryParameters.get("kind") ?? "") ?? .file
            return try await evidenceForm(ctx.env, existing: nil, kind: kind, form: nil, errors: [:])
        }
        routes.signedInPages.post("/portfolio/evidence/new") { req, ctx in
            try await saveEvidence(ctx.env, req, ctx, id: nil)
        }
        routes.signedInPages.get("/portfolio/evidence/{id}/edit") { req, ctx in
            let env = ctx.env
            let item = try await ownPiece(env, ctx.parameters.get("id") ?? "", editable: true)
            return try await evidenceForm(env, existing: item, kind: item.item.kind, form: nil, errors: [:])
        }
        routes.signedInPages.post("/portfolio/evidence/{id}/edit") { req, ctx in
            try await saveEvidence(ctx.env, req, ctx, id: ctx.parameters.get("id") ?? "")
        }
        routes.signedInPages.post("/portfolio/evidence/{id}/delete") { req, ctx in
            let env = ctx.env
            _ = try await form(req, ctx, env)
            let piece = try await ownPiece(env, ctx.parameters.get("id") ?? "", editable: true)
            try await portfolio.delete(piece.item)
            return redirect("/portfolio?deleted=1")
        }
    }

    /// One of the learner's own pieces; 404 otherwise, 409-like message when it may no longer change.
    func ownPiece(_ env: Env, _ id: String, editable: Bool) async throws -> Portfolio.Piece {
        let me = try learner(env)
        guard let piece = try await portfolio.piece(id: id), piece.item.learnerID == me.id else {
            throw PageError.notFound()
        }
        if editable, !(piece.item.status == .draft || piece.item.status == .changesRequested) {
            throw PageError(
                status: .conflict,
                fr: "Cette preuve est en cours d'examen ou déjà acceptée : elle ne peut plus être modifiée.",
                en: "This piece is under review or already accepted: it can no longer be changed.")
        }
        return piece
    }

    /// The kinds of evidence suggested in the form (French, English).
    static let genres = [
        ("Rapport d'activité", "Activity report"), ("Photographie", "Photograph"), ("Attestation", "Certificate"),
        ("Récit d'expérience", "Experience narrative"), ("Projet personnalisé", "Support plan"),
        ("Compte rendu de réunion", "Meeting minutes"), ("Vidéo", "Video"), ("Enregistrement audio", "Audio recording"),
    ]

    /// The form to add a piece of `kind` or edit `existing`, with the values of `form` and its `errors`.
    func evidenceForm(
        _ env: Env, existing: Portfolio.Piece?, kind: EvidenceItemRecord.Kind, form: WebForm?, errors: [String: String],
        status: HTTPResponse.Status? = nil
    ) async throws -> Response {
        _ = try learner(env)
        let item = existing?.item
        var checked = Set((existing?.tags ?? []).map { $0.frameworkID + "|" + $0.competencyIDNumber })
        if let form { checked = Set(form.values["tag"] ?? []) }
        var v: [String: String] = [
            "title": item?.title ?? "", "genre": item?.genre ?? "", "description": item?.description ?? "",
            "narrative": item?.narrative ?? "", "linkURL": item?.linkURL ?? "", "codes": "",
        ]
        if let form { for k in v.keys { v[k] = form[k] } }
        var groups: [[String: Any]] = []
        for f in try services.db.frameworks() {
            let items = try services.db.competencies(frameworkID: f.id, includeRetired: false)
            guard !items.isEmpty else { continue }
            groups.append([
                "id": f.id, "name": f.shortName, "code": f.idNumber,
                "items": items.map { c -> [String: Any] in
                    let key = f.id + "|" + c.idNumber
                    return [
                        "value": key, "code": c.idNumber, "name": c.shortName, "checked": checked.contains(key),
                        "depth": min(c.depth, 4),
                        "domId": "tag-" + String(SHA256Digest.hexHash(Array(key.utf8)).prefix(12)),
                    ]
                },
            ])
        }
        var data: [String: Any] = [
            "v": v, "errors": errors, "hasErrors": !errors.isEmpty, "kind": kind.rawValue,
            "kindLabel": EvidenceView.kind(kind, env),
            "isFile": kind == .file, "isNarrative": kind == .narrative, "isLink": kind == .link,
            "frameworks": groups, "hasFrameworks": !groups.isEmpty,
            "genres": Self.genres.map { env.english ? $0.1 : $0.0 },
            "action": item.map { "/portfolio/evidence/\($0.id)/edit" }
                ?? "/portfolio/evidence/new?kind=\(kind.rawValue)",
            "isNew": item == nil, "maxFileSize": EvidenceFiles.maxSize,
        ]
        if let item {
            data["id"] = item.id
            if let c = item.reviewComment, item.status == .changesRequested { data["reviewComment"] = c }
            if let b = existing?.blob { data["currentFile"] = ["name": item.fileName ?? "", "type": b.mediaType] }
        }
        let title =
            item == nil
            ? env.text("Ajouter une preuve", "Add evidence") : env.text("Modifier la preuve", "Edit evidence")
        return renderPortfolio(
            "portfolio.evidence-form", env, title: title,
            status: status ?? (errors.isEmpty ? .ok : .unprocessableContent), data)
    }

    /// Creates (`id` nil) or updates one of the learner's pieces from the form; shows the form again on errors.
    func saveEvidence(_ env: Env, _ request: Request, _ context: AppRequestContext, id: String?) async throws
        -> Response
    {
        let me = try learner(env)
        let form: WebForm
        do {
            form = try await self.form(request, context, env)
        } catch  where BodyLimit.isTooLarge(error) {
            throw tooLarge
        }
        var existing: Portfolio.Piece?
        if let id { existing = try await ownPiece(env, id, editable: true) }
        let kind =
            existing?.item.kind ?? EvidenceItemRecord.Kind(rawValue: request.uri.queryParameters.get("kind") ?? "")
            ?? .file
        var errors: [String: String] = [:]
        var status: HTTPResponse.Status?
        func text(_ name: String, max: Int, required: Bool, fr: String, en: String) -> String? {
            let v = form[name].trimmingCharacters(in: .whitespacesAndNewlines)
            if v.isEmpty {
                if required { errors[name] = env.text(fr, en) }
                return nil
            }
            if v.count > max { errors[name] = env.text("\(max) caractères au plus.", "\(max) characters at most.") }
            return v
        }
        let title = text(
            "title", max: 200, required: true, fr: "Donnez un titre à la preuve.", en: "Give the piece a title.")
        let genre = text("genre", max: 100, required: false, fr: "", en: "")
        let description = text("description", max: 2000, required: false, fr: "", en: "")
        var narrative: String?
        var link: String?
        var file: Portfolio.StoredFile?
        switch kind {
        case .narrative:
            narrative = text(
                "narrative", max: 20000, required: true, fr: "Écrivez votre récit.", en: "Write your narrative.")
        case .link:
            link = text(
                "linkURL", max: 2000, required: true, fr: "Indiquez l'adresse du lien.", en: "Enter the link's address."
            )
            if let l = link, errors["linkURL"] == nil, Validation.webURL(l) == nil {
                errors["linkURL"] = env.text(
                    "Adresse web complète attendue, commençant par https:// ou http://.",
                    "A full web address starting with https:// or http:// is expected.")
            }
        case .file:
            file = try storeFile(form, env, replacing: existing, &errors, &status)
        }
        let tags = try await resolveTags(form, env, &errors)
        guard errors.isEmpty, let title else {
            return try await evidenceForm(
                env, existing: existing, kind: kind, form: form, errors: errors, status: status)
        }
        let now = Date()
        var item =
            existing?.item
            ?? EvidenceItemRecord(
                id: UUID().uuidString.lowercased(), learnerID: me.id, kind: kind, title: title, createdAt: now,
                updatedAt: now)
        item.title = title
        item.genre = genre
        item.description = description
        item.narrative = narrative
        item.linkURL = link
        item.updatedAt = now
        try await portfolio.save(item, tags: tags, file: file)
        return redirect("/portfolio?saved=1")
    }

    /// Stores the uploaded file when the form has no other error; records what is wrong with it in `errors` and
    /// `status` otherwise (too large, refused type, missing when the piece has none yet).
    func storeFile(
        _ form: WebForm, _ env: Env, replacing existing: Portfolio.Piece?, _ errors: inout [String: String],
        _ status: inout HTTPResponse.Status?
    ) throws -> Portfolio.StoredFile? {
        guard let part = form.files["file"], !part.body.isEmpty else {
            if existing?.blob == nil { errors["file"] = env.text("Choisissez un fichier.", "Choose a file.") }
            return nil
        }
        guard part.body.count <= EvidenceFiles.maxSize else {
            errors["file"] = env.language.text(tooLarge.message)
            status = .contentTooLarge
            return nil
        }
        guard let type = MediaSniffer.mediaType(part.body) else {
            errors["file"] = env.text(Self.unsupportedFile.0, Self.unsupportedFile.1)
            status = .unsupportedMediaType
            return nil
        }
        guard errors.isEmpty else { return nil }
        let sha = try portfolio.files.store(part.body)
        let name = String((part.filename ?? "fichier").split(separator: "/").last ?? "fichier").prefix(200)
        return Portfolio.StoredFile(sha256: sha, size: part.body.count, mediaType: type, fileName: String(name))
    }

    /// The refusal of a file type, in French and English.
    static let unsupportedFile = (
        "Type de fichier refusé. Formats acceptés : PDF, images (PNG, JPEG, GIF, WebP), texte brut, documents OpenDocument ou Microsoft Office, audio MP3 et vidéo MP4. Les pages web, images SVG et programmes ne sont pas acceptés.",
        "File type refused. Accepted: PDF, images (PNG, JPEG, GIF, WebP), plain text, OpenDocument or Microsoft Office documents, MP3 audio and MP4 video. Web pages, SVG images and programs are not accepted."
    )

    /// The refusal of a file over `EvidenceFiles.maxSize`.
    var tooLarge: PageError {
        PageError(
            status: .contentTooLarge, fr: "Fichier trop volumineux : 5 Mo au plus.",
            en: "File too large: 5 MiB at most."
        )
    }

    /// The tags ticked (`tag` = `framework|code`) and typed (`codes`: codes separated by commas or spaces).
    func resolveTags(_ form: WebForm, _ env: Env, _ errors: inout [String: String]) async throws
        -> [EvidenceAlignmentRecord]
    {
        let ticked = (form.values["tag"] ?? []).prefix(500)
        var tags: [EvidenceAlignmentRecord] = []
        var unknown: [String] = []
        for t in ticked {
            let parts = t.split(separator: "|", maxSplits: 1).map(String.init)
            guard parts.count == 2, let c = try services.db.competency(frameworkID: parts[0], idNumber: parts[1]),
                c.retiredAt == nil
            else {
                unknown.append(t)
                continue
            }
            tags.append(
                EvidenceAlignmentRecord(evidenceID: "", frameworkID: c.frameworkID, competencyIDNumber: c.idNumber))
        }
        if !unknown.isEmpty {
            errors["codes"] =
                env.text("Code(s) inconnu(s) : ", "Unknown code(s): ") + unknown.prefix(10).joined(separator: ", ")
        }
        do {
            for c in try ReferentialAlignment(services: services).competencies(codes: form["codes"], field: "codes")
            where !tags.contains(where: { $0.frameworkID == c.frameworkID && $0.competencyIDNumber == c.idNumber }) {
                tags.append(
                    EvidenceAlignmentRecord(evidenceID: "", frameworkID: c.frameworkID, competencyIDNumber: c.idNumber))
            }
        } catch let e as ServiceError {
            errors["codes"] = env.english ? e.messageEN : e.messageFR
        }
        return tags
    }

}
