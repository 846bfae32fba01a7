import Foundation
import HTTPTypes
import Hummingbird
import InsigneStore
import OpenBadges
import OpenBadgesCrypto

/// The learners' pages: invitation, evidence portfolio, coverage, share links, personal data; and the evidence
/// pages and files, open only to the learner, reviewers and holders of a live share link (404 to anyone else).
extension WebController {
    var portfolio: Portfolio { Portfolio(services: services) }

    /// Adds the portfolio pages to their route groups.
    func addPortfolioPages(to routes: AppRoutes) {
        addReviewPages(to: routes)
        routes.publicPages.get("/invitation/{token}") { req, ctx in
            try await invitationPage(ctx.env, req, token: ctx.parameters.get("token") ?? "")
        }
        routes.publicPages.post("/invitation/{token}") { req, ctx in
            try await acceptInvitation(ctx.env, req, ctx, token: ctx.parameters.get("token") ?? "")
        }
        routes.signedInPages.get("/portfolio") { req, ctx in try await portfolioPage(ctx.env, req) }
        routes.signedInPages.get("/portfolio/evidence/new") { req, ctx in
            let env = ctx.env
            let kind = EvidenceItemRecord.Kind(rawValue: req.uri.queryParameters.get("kind") ?? "") ?? .file
            return try await evidenceForm(env, existing: nil, kind: kind, form: nil, errors: [:])
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
        routes.signedInPages.post("/portfolio/evidence/{id}/publication") { req, ctx in
            try await setPublication(ctx.env, req, ctx, id: ctx.parameters.get("id") ?? "")
        }
        routes.publicPages.get("/public-evidence/{token}") { req, ctx in
            try await publicEvidencePage(ctx.env, token: ctx.parameters.get("token") ?? "")
        }
        routes.publicPages.get("/public-evidence/{token}/file") { req, ctx in
            try await publicEvidenceFile(ctx.env, token: ctx.parameters.get("token") ?? "")
        }
        routes.signedInPages.post("/portfolio/submit") { req, ctx in
            let env = ctx.env
            let form = try await form(req, ctx, env)
            let me = try learner(env)
            // To the issuer the learner chooses among those that enrolled them (none: the site).
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
            let n = try await portfolio.submitAll(learnerID: me.id, to: to)
            return redirect("/portfolio?submitted=\(n)")
        }
        routes.signedInPages.get("/portfolio/coverage/{fw}") { req, ctx in
            try await coveragePage(ctx.env, frameworkID: ctx.parameters.get("fw") ?? "")
        }
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
        routes.signedInPages.get("/portfolio/data") { req, ctx in try await dataPage(ctx.env, error: nil) }
        routes.signedInPages.post("/portfolio/data/export") { req, ctx in
            let env = ctx.env
            _ = try await form(req, ctx, env)
            let me = try learner(env)
            let zip = try await PersonalData(services: services).export(me)
            return HTTP.bytes(
                zip, contentType: "application/zip",
                headers: [
                    .contentDisposition: "attachment; filename=\"insigne-mes-donnees.zip\"",
                    .cacheControl: "private, no-store",
                ])
        }
        routes.signedInPages.post("/portfolio/data/erase") { req, ctx in try await erase(ctx.env, req, ctx) }
        routes.publicPages.get("/evidence/{id}") { req, ctx in
            try await evidencePage(ctx.env, req, id: ctx.parameters.get("id") ?? "")
        }
        routes.publicPages.get("/evidence/{id}/file") { req, ctx in
            try await evidenceFile(ctx.env, req, id: ctx.parameters.get("id") ?? "")
        }
        routes.publicPages.get("/share/{token}") { req, ctx in
            try await sharedPortfolio(ctx.env, token: ctx.parameters.get("token") ?? "")
        }
    }

    // MARK: - Helpers

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

    func statusLabel(_ s: EvidenceItemRecord.Status, _ env: Env) -> [String: Any] {
        let (fr, en, css) =
            switch s {
            case .draft: ("Brouillon", "Draft", "neutral")
            case .submitted: ("Envoyée pour examen", "Submitted for review", "neutral")
            case .accepted: ("Acceptée", "Accepted", "good")
            case .changesRequested: ("À reprendre", "Changes requested", "bad")
            }
        return ["label": env.text(fr, en), "css": css, "code": s.rawValue]
    }

    func kindLabel(_ k: EvidenceItemRecord.Kind, _ env: Env) -> String {
        switch k {
        case .file: env.text("Fichier", "File")
        case .narrative: env.text("Récit écrit", "Written narrative")
        case .link: env.text("Lien", "Link")
        }
    }

    /// Competency names by framework and code, for the tags shown.
    func competencyNames() async throws -> [String: String] {
        try await services.db.competencyNamesByCode()
    }

    /// Template data for a piece.
    func pieceData(_ p: Portfolio.Piece, _ env: Env, names: [String: String], share: String? = nil) -> [String: Any] {
        let i = p.item
        let suffix = share.map { "?share=" + $0 } ?? ""
        var d: [String: Any] = [
            "id": i.id, "title": i.title, "kind": kindLabel(i.kind, env), "status": statusLabel(i.status, env),
            "url": "/evidence/\(i.id)" + suffix, "isFile": i.kind == .file, "isLink": i.kind == .link,
            "isNarrative": i.kind == .narrative,
            "editable": i.status == .draft || i.status == .changesRequested,
            "created": WebDates.display(i.createdAt, english: env.english, time: false),
            "tags": p.tags.map { t in
                [
                    "code": t.competencyIDNumber, "framework": t.frameworkID,
                    "name": names[t.frameworkID + "|" + t.competencyIDNumber] ?? "",
                ]
            },
            "hasTags": !p.tags.isEmpty,
        ]
        if let g = i.genre { d["genre"] = g }
        if let s = i.description { d["description"] = s }
        if let n = i.narrative { d["narrative"] = n }
        if let l = i.linkURL { d["linkURL"] = l }
        if let c = i.reviewComment, !c.isEmpty { d["reviewComment"] = c }
        if let at = i.reviewedAt { d["reviewed"] = WebDates.display(at, english: env.english) }
        if let at = i.submittedAt { d["submitted"] = WebDates.display(at, english: env.english) }
        if let b = p.blob {
            d["file"] =
                [
                    "name": i.fileName ?? "", "type": b.mediaType, "size": Self.byteSize(b.size, env),
                    "url": "/evidence/\(i.id)/file" + suffix, "isImage": b.mediaType.hasPrefix("image/"),
                ] as [String: Any]
        }
        return d
    }

    static func byteSize(_ n: Int, _ env: Env) -> String {
        if n < 1024 { return env.text("\(n) octets", "\(n) bytes") }
        if n < 1024 * 1024 { return env.text("\(n / 1024) Ko", "\(n / 1024) KiB") }
        let mb = (Double(n) / 1_048_576 * 10).rounded() / 10
        return env.english ? "\(mb) MiB" : "\(mb) Mo".replacingOccurrences(of: ".", with: ",")
    }

    /// A token for forms shown before any session (the sign-in form's cookie), and the cookie to set.
    func preSessionToken(_ request: Request) throws -> (String, [String]) {
        let token = request.cookies[Self.loginCSRFCookie]?.value ?? ""
        if token.count == 64 { return (token, []) }
        let fresh = try SecureRandom.hex(byteCount: 32)
        return (fresh, [WebSecurity.cookie(Self.loginCSRFCookie, fresh, maxAge: nil, secure: secureCookies)])
    }

    // MARK: - Invitation

    var invitationGone: PageError {
        PageError(
            status: .notFound,
            fr:
                "Ce lien d'invitation n'est pas valide : il a expiré ou a déjà servi. Demandez-en un nouveau à votre formateur ou formatrice.",
            en: "This invitation link is not valid: it has expired or was already used. Ask your trainer for a new one."
        )
    }

    func invitationPage(_ env: Env, _ request: Request, token: String, error: String? = nil) async throws -> Response {
        guard let inv = try await portfolio.openInvitation(token) else { throw invitationGone }
        let (csrf, cookies) = try preSessionToken(request)
        var data: [String: Any] = [
            "token": token, "formCSRF": csrf, "name": inv.displayName, "email": inv.email,
            "expires": WebDates.display(inv.expiresAt, english: env.english, time: false),
            "existing": try await portfolio.existingLearner(for: inv) != nil,
        ]
        if let issuerID = inv.issuerID, let issuer = try await services.issuing.issuer(id: issuerID) {
            data["issuerName"] = issuer.name
        }
        if let error { data["error"] = error }
        return renderPortfolio(
            "portfolio.invitation", env, title: env.text("Créer votre compte", "Create your account"),
            status: error == nil ? .ok : .unprocessableContent, data, cookies: cookies)
    }

    func acceptInvitation(_ env: Env, _ request: Request, _ context: AppRequestContext, token: String) async throws
        -> Response
    {
        var plain = env
        plain.session = nil
        let form = try await self.form(request, context, plain)
        guard let invitation = try await portfolio.openInvitation(token) else { throw invitationGone }
        guard let cookie = request.cookies[Self.loginCSRFCookie]?.value, WebSecurity.equal(form["csrf"], cookie) else {
            throw csrfError
        }
        let password = form["password"]
        if let existing = try await portfolio.existingLearner(for: invitation) {
            // A second issuer's invitation: the learner joins it with the password of the account they have.
            // Checked on the bounded hashing pool, as at sign-in: never on the request's task.
            var matches = false
            if password.count <= 1000, let hash = existing.passwordHash {
                do {
                    matches = try await hasher.run { PasswordHash.verify(password, against: hash) }
                } catch is PasswordHashingPool.Busy {
                    return busyPage(env)
                }
            }
            guard matches else {
                return try await invitationPage(
                    env, request, token: token,
                    error: env.text(
                        "Mot de passe incorrect : saisissez celui de votre compte Insigne.",
                        "Wrong password: type the one of your Insigne account."))
            }
            guard let account = try await portfolio.join(token, account: existing) else { throw invitationGone }
            return try await signedInAfterInvitation(env, account)
        }
        guard password.count >= Portfolio.minPasswordLength, password.count <= 1000 else {
            return try await invitationPage(
                env, request, token: token,
                error: env.text(
                    "Le mot de passe doit compter au moins \(Portfolio.minPasswordLength) caractères.",
                    "The password must be at least \(Portfolio.minPasswordLength) characters long."))
        }
        guard password == form["confirm"] else {
            return try await invitationPage(
                env, request, token: token,
                error: env.text(
                    "Les deux mots de passe ne sont pas identiques.", "The two passwords do not match."))
        }
        let hash: String
        do {
            hash = try await hasher.run { try PasswordHash.hash(password) }
        } catch is PasswordHashingPool.Busy {
            return busyPage(env)
        }
        guard let account = try await portfolio.accept(token, passwordHash: hash) else { throw invitationGone }
        return try await signedInAfterInvitation(env, account)
    }

    /// Opens a session for the learner who just accepted an invitation and goes to their portfolio.
    func signedInAfterInvitation(_ env: Env, _ account: AccountRecord) async throws -> Response {
        if let old = env.sessionToken { try await sessions.delete(token: old) }
        let (session, _) = try await sessions.create(accountID: account.id)
        return redirect(
            "/portfolio?welcome=1",
            cookies: [
                WebSecurity.cookie(
                    WebSessionStore.cookieName, session, maxAge: Int(WebSessionStore.lifetime), secure: secureCookies),
                WebSecurity.cookie(Self.loginCSRFCookie, "", maxAge: 0, secure: secureCookies),
            ])
    }

    // MARK: - Portfolio

    func portfolioPage(_ env: Env, _ request: Request) async throws -> Response {
        let me = try learner(env)
        let pieces = try await portfolio.pieces(learnerID: me.id)
        let names = try await competencyNames()
        let frameworks = try services.db.frameworks()
        let badges = try await portfolio.badges(of: me)
        let pending = pieces.filter { $0.item.status == .draft || $0.item.status == .changesRequested }.count
        let enrolled = try await portfolio.issuers(ofLearner: me.id)
        var data: [String: Any] = [
            "issuers": enrolled.map { ["id": $0.id, "name": $0.name] }, "chooseIssuer": enrolled.count > 1,
            "pieces": pieces.map { pieceData($0, env, names: names) }, "hasPieces": !pieces.isEmpty,
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

    // MARK: - Evidence form

    static let genres = [
        ("Rapport d'activité", "Activity report"), ("Photographie", "Photograph"), ("Attestation", "Certificate"),
        ("Récit d'expérience", "Experience narrative"), ("Projet personnalisé", "Support plan"),
        ("Compte rendu de réunion", "Meeting minutes"), ("Vidéo", "Video"), ("Enregistrement audio", "Audio recording"),
    ]

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
            "kindLabel": kindLabel(kind, env),
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
            if let part = form.files["file"], !part.body.isEmpty {
                if part.body.count > EvidenceFiles.maxSize {
                    errors["file"] = env.language.text(tooLarge.message)
                    status = .contentTooLarge
                } else if let type = MediaSniffer.mediaType(part.body) {
                    if errors.isEmpty {
                        let sha = try portfolio.files.store(part.body)
                        let name = String((part.filename ?? "fichier").split(separator: "/").last ?? "fichier").prefix(
                            200)
                        file = Portfolio.StoredFile(
                            sha256: sha, size: part.body.count, mediaType: type, fileName: String(name))
                    }
                } else {
                    errors["file"] = env.text(Self.unsupportedFile.0, Self.unsupportedFile.1)
                    status = .unsupportedMediaType
                }
            } else if existing?.blob == nil {
                errors["file"] = env.text("Choisissez un fichier.", "Choose a file.")
            }
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

    static let unsupportedFile = (
        "Type de fichier refusé. Formats acceptés : PDF, images (PNG, JPEG, GIF, WebP), texte brut, documents OpenDocument ou Microsoft Office, audio MP3 et vidéo MP4. Les pages web, images SVG et programmes ne sont pas acceptés.",
        "File type refused. Accepted: PDF, images (PNG, JPEG, GIF, WebP), plain text, OpenDocument or Microsoft Office documents, MP3 audio and MP4 video. Web pages, SVG images and programs are not accepted."
    )

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

    // MARK: - Coverage

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

    // MARK: - Evidence pages and files

    func evidencePage(_ env: Env, _ request: Request, id: String) async throws -> Response {
        let share: String? = request.uri.queryParameters.get("share").map { String($0) }
        guard let found = try await portfolio.visible(id: id, account: env.account, shareToken: share) else {
            throw PageError.notFound()
        }
        let (piece, viewer) = found
        let names = try await competencyNames()
        let learnerName = try await services.db.displayName(accountID: piece.item.learnerID)
        var data = pieceData(piece, env, names: names, share: viewer == .shareLink ? share : nil)
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
                if let t = live[b.id] { d["publicURL"] = Self.publicEvidenceURL(base: services.urls.base, token: t) }
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
            "title": i.title, "kind": kindLabel(i.kind, env), "badge": found.badgeClass.name,
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
                    "type": b.mediaType, "size": Self.byteSize(b.size, env),
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

    // MARK: - Share links

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

    func sharedPortfolio(_ env: Env, token: String) async throws -> Response {
        guard let link = try await portfolio.shareLink(token: token) else { throw PageError.notFound() }
        let pieces = try await portfolio.pieces(learnerID: link.learnerID, statuses: [.submitted, .accepted])
        let names = try await competencyNames()
        let learnerName = try await services.db.displayName(accountID: link.learnerID)
        let data: [String: Any] = [
            "learner": learnerName, "pieces": pieces.map { pieceData($0, env, names: names, share: token) },
            "hasPieces": !pieces.isEmpty,
        ]
        var response = renderPortfolio(
            "portfolio.shared", env, title: env.text("Portfolio de ", "Portfolio of ") + learnerName, data)
        response.headers[.cacheControl] = "private, no-store"
        response.headers[HTTPField.Name("X-Robots-Tag")!] = "noindex, nofollow"
        return response
    }

    // MARK: - Personal data

    func dataPage(_ env: Env, error: String?) async throws -> Response {
        let me = try learner(env)
        var data: [String: Any] = ["email": me.email ?? "", "login": me.login]
        if let error { data["error"] = error }
        return renderPortfolio(
            "portfolio.data", env, title: env.text("Mes données", "My data"),
            status: error == nil ? .ok : .unprocessableContent,
            data)
    }

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
