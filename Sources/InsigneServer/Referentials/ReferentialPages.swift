import CompetencyFrameworks
import Foundation
import HTTPTypes
import Hummingbird
import InsigneStore

/// The trainers' referential pages: list and import, one framework (tree, exports, badge generation), and the
/// alignment of one badge class (`/trainer/badges/{id}/alignment`, with `AlignmentPicker`). The public pages and
/// exports are `ReferentialController`.
struct ReferentialPages: PageFeature {
    let services: ServerServices

    /// Adds the trainers' referential pages to their route groups.
    func addRoutes(to routes: AppRoutes) {
        routes.staffPages.get("/trainer/referentials") { req, ctx in try await referentialsPage(ctx.env) }
        routes.staffPages.post("/trainer/referentials") { req, ctx in try await importReferential(ctx.env, req, ctx) }
        routes.staffPages.get("/trainer/referentials/{fw}") { req, ctx in
            try await referentialPage(ctx.env, id: ReferentialController.parameter(ctx, "fw"))
        }
        routes.staffPages.post("/trainer/referentials/{fw}/badges") { req, ctx in
            try await generateBadges(ctx.env, req, ctx, id: ReferentialController.parameter(ctx, "fw"))
        }
        routes.staffPages.get("/trainer/badges/{id}/alignment") { req, ctx in
            let env = ctx.env
            return try await alignmentPage(
                env, badgeID: ctx.parameters.get("id") ?? "", saved: req.uri.queryParameters.get("saved") != nil)
        }
        routes.staffPages.post("/trainer/badges/{id}/alignment") { req, ctx in
            try await saveAlignment(ctx.env, req, ctx, badgeID: ctx.parameters.get("id") ?? "")
        }
    }

    // MARK: - List and import

    /// `/trainer/referentials`: the frameworks and the import form, with the last import's summary or refusal.
    func referentialsPage(
        _ env: Env, summary: FrameworkImportSummary? = nil, error: String? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let counts = try services.db.frameworkCounts()
        let rows: [[String: Any]] = try services.db.frameworks().map { f in
            [
                "id": f.id, "title": f.shortName, "idNumber": f.idNumber, "count": counts[f.id]?.current ?? 0,
                "retired": Pages.opt((counts[f.id]?.retired).flatMap { $0 > 0 ? $0 : nil }),
                "publicHref": "/referentials/\(PublicURLs.segment(f.id))",
                "csv": "/referentials/\(PublicURLs.segment(f.id))/export.csv",
                "json": "/referentials/\(PublicURLs.segment(f.id))/export.json",
            ]
        }
        var data: [String: Any] = [
            "frameworks": rows, "hasFrameworks": !rows.isEmpty, "refCSS": StaticAssets.href("referentials.css"),
            "l": [
                "title": env.text("Référentiels de compétences", "Competency frameworks"),
                "intro": env.text(
                    "Les référentiels servent à rattacher les badges à des compétences (alignement Open Badges).",
                    "Frameworks let badges point to the competencies they certify (Open Badges alignment)."),
                "framework": env.text("Référentiel", "Framework"), "idNumber": env.text("Identifiant", "Id number"),
                "competencies": env.text("Compétences", "Competencies"), "actions": env.text("Actions", "Actions"),
                "open": env.text("Ouvrir", "Open"), "public": env.text("Page publique", "Public page"),
                "none": env.text("Aucun référentiel pour l'instant.", "No framework yet."),
                "importTitle": env.text("Importer un référentiel", "Import a framework"),
                "file": env.text("Fichier CSV Moodle ou JSON", "Moodle CSV or JSON file"),
                "fileHelp": env.text(
                    "Export « Référentiel de compétences » de Moodle (14 colonnes) ou JSON d'Insigne ; 5 Mo au plus. Un fichier de même identifiant met à jour le référentiel : les compétences absentes sont retirées, jamais supprimées.",
                    "Moodle \"competency framework\" export (14 columns) or Insigne JSON; 5 MiB at most. A file with the same id number updates the framework: missing competencies are retired, never deleted."
                ),
                "import": env.text("Importer", "Import"), "retired": env.text("retirées", "retired"),
            ],
        ]
        if let summary {
            let f = summary.framework
            data["summary"] = env.text(
                "« \(f.shortName) » \(summary.created ? "importé" : "réimporté") : \(summary.added) ajoutée(s), \(summary.updated) modifiée(s), \(summary.unchanged) inchangée(s), \(summary.retired) retirée(s).",
                "\"\(f.shortName)\" \(summary.created ? "imported" : "re-imported"): \(summary.added) added, \(summary.updated) changed, \(summary.unchanged) unchanged, \(summary.retired) retired."
            )
            data["summaryHref"] = "/trainer/referentials/\(PublicURLs.segment(f.id))"
        }
        if let error { data["error"] = error }
        return render(
            "referentials.trainer-list", env, title: env.text("Référentiels", "Referentials"), status: status, data)
    }

    /// Imports (or re-imports) a Moodle CSV or Insigne JSON framework.
    func importReferential(_ env: Env, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        let form = try await self.form(request, context, env)
        guard let importer = Access.frameworkImporter(env.user) else { throw PageError.forbidden() }
        guard let file = form.files["file"], !file.body.isEmpty else {
            return try await referentialsPage(
                env, error: env.text("Choisissez un fichier CSV ou JSON.", "Choose a CSV or JSON file."),
                status: .unprocessableContent)
        }
        guard file.body.count <= AdminAPIController.maxReferentialBytes else {
            return try await referentialsPage(
                env, error: env.text("Fichier trop volumineux (5 Mo au plus).", "File too large (5 MiB at most)."),
                status: .contentTooLarge)
        }
        do {
            let framework = try ReferentialFile.parse(Data(file.body))
            let summary = try services.db.importFramework(framework, actor: env.user.id, as: importer)
            return try await referentialsPage(env, summary: summary)
        } catch let e as FrameworkOwnershipError {
            let message = env.text(
                "Réimport refusé, rien n'a été modifié : \(e.messageFR).",
                "Re-import refused, nothing was changed: \(e.messageEN).")
            return try await referentialsPage(env, error: message, status: .forbidden)
        } catch let e as ReferentialError {
            let message = env.text(
                "Fichier refusé, rien n'a été enregistré. \(e.messageFR)",
                "File refused, nothing was stored. \(e.messageEN)")
            return try await referentialsPage(env, error: message, status: .unprocessableContent)
        }
    }

    // MARK: - One framework

    /// The framework's items as a tree for the template.
    func trainerTree(_ items: [CompetencyRecord], parent: String?) -> [[String: Any]] {
        items.filter { $0.parentIDNumber == parent }.map { c in
            let children = trainerTree(items, parent: c.idNumber)
            return ["code": c.idNumber, "name": c.shortName, "children": children, "hasChildren": !children.isEmpty]
        }
    }

    /// One framework: its tree, exports and the form creating one badge per competency.
    func referentialPage(
        _ env: Env, id: String, outcome: ReferentialBadgeGenerator.Outcome? = nil, error: String? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        guard let f = try services.db.framework(id: id) else { throw PageError.notFound() }
        let items = try services.db.competencies(frameworkID: f.id, includeRetired: false)
        let counts = try services.db.frameworkCounts()[f.id] ?? .init()
        let issuers = try await allowedIssuers(env.user, .manage)
        let defaultLevel = counts.byDepth.count > 1 ? 1 : 0
        let seg = PublicURLs.segment(f.id)
        var data: [String: Any] = [
            "framework": [
                "id": f.id, "seg": seg, "title": f.shortName, "idNumber": f.idNumber, "count": counts.current,
                "description": Pages.opt(ReferentialDocuments.plain(f.description)),
            ] as [String: Any],
            "nodes": trainerTree(items, parent: nil), "refCSS": StaticAssets.href("referentials.css"),
            "issuers": issuers.map { ["id": $0.id, "name": $0.name] }, "hasIssuers": !issuers.isEmpty,
            "levels": counts.byDepth.enumerated().map { depth, n in
                [
                    "depth": depth,
                    "label": "\(ReferentialDocuments.itemLabel(f, depth: depth, english: env.english)) (\(n))",
                    "selected": depth == defaultLevel,
                ] as [String: Any]
            },
            "l": [
                "all": env.text("Tous les référentiels", "All frameworks"),
                "competencies": env.text("compétences", "competencies"),
                "public": env.text("Page publique", "Public page"),
                "csv": env.text("Exporter (CSV Moodle)", "Export (Moodle CSV)"),
                "json": env.text("Exporter (JSON)", "Export (JSON)"), "tree": env.text("Arborescence", "Tree"),
                "generateTitle": env.text("Créer un badge par compétence", "Create one badge per competency"),
                "generateHelp": env.text(
                    "Crée une classe de badge pour chaque élément du niveau choisi, alignée sur lui et sur ses indicateurs. Les badges déjà créés sont laissés tels quels.",
                    "Creates one badge class for each item of the chosen level, aligned to it and to its indicators. Badges already created are left as they are."
                ),
                "issuer": env.text("Émetteur", "Issuer"), "level": env.text("Niveau", "Level"),
                "generate": env.text("Créer les badges", "Create the badges"),
                "noIssuer": env.text("Votre compte n'agit pour aucun émetteur.", "Your account acts for no issuer."),
                "created": env.text("Badges créés", "Badges created"),
                "skipped": env.text("Déjà existants (laissés tels quels)", "Already there (left as they are)"),
                "alignment": env.text("compétences", "competencies"),
            ],
        ]
        if let outcome {
            data["outcome"] =
                [
                    "created": outcome.created.map { ["id": $0.id, "name": $0.name] },
                    "hasCreated": !outcome.created.isEmpty, "skipped": outcome.skipped,
                    "hasSkipped": !outcome.skipped.isEmpty,
                    "summary": env.text(
                        "\(outcome.created.count) badge(s) créé(s), \(outcome.skipped.count) déjà existant(s).",
                        "\(outcome.created.count) badge(s) created, \(outcome.skipped.count) already there."),
                ] as [String: Any]
        }
        if let error { data["error"] = error }
        return render("referentials.trainer-referential", env, title: f.shortName, status: status, data)
    }

    /// Creates one badge class per item of the chosen level, for an issuer the trainer acts for.
    func generateBadges(_ env: Env, _ request: Request, _ context: AppRequestContext, id: String) async throws
        -> Response
    {
        let form = try await self.form(request, context, env)
        guard let f = try services.db.framework(id: id) else { throw PageError.notFound() }
        let issuerID = form["issuer"]
        guard mayAct(env.user, issuerID: issuerID, .manage) else { throw PageError.forbidden() }
        guard let level = Int(form["level"]), (0...20).contains(level) else {
            throw PageError.badRequest("Niveau invalide.", "Invalid level.")
        }
        do {
            let outcome = try await ReferentialBadgeGenerator(services: services)
                .generate(frameworkID: f.id, issuerID: issuerID, depth: level, actor: env.user.id)
            return try await referentialPage(env, id: f.id, outcome: outcome)
        } catch let e as ServiceError where e.kind == .invalid {
            return try await referentialPage(
                env, id: f.id, error: e.fieldMessage(english: env.english), status: .unprocessableContent)
        }
    }

    // MARK: - Alignment of one badge class

    /// The competency picker of the alignment form.
    var picker: AlignmentPicker { AlignmentPicker(services: services) }

    /// `/trainer/badges/{id}/alignment`: the badge class's competencies, in the picker.
    func alignmentPage(
        _ env: Env, badgeID: String, form: WebForm? = nil, error: String? = nil, saved: Bool = false
    ) async throws -> Response {
        let (b, issuer) = try await badge(badgeID, for: env.user, .manage)
        var data: [String: Any] = [
            "badge": badgeSummary(b, issuer),
            "picker": try picker.data(env, form: form, current: b.alignment, error: error),
            "refCSS": StaticAssets.href("referentials.css"), "count": b.alignment.count,
            "l": [
                "title": env.text("Compétences du badge", "Badge competencies"),
                "save": env.text("Enregistrer l'alignement", "Save the alignment"),
                "public": env.text("Voir la page publique du badge", "See the badge's public page"),
                "saved": env.text(
                    "Alignement enregistré : \(b.alignment.count) compétence(s).",
                    "Alignment saved: \(b.alignment.count) competency(ies)."),
            ],
        ]
        if saved { data["saved"] = true }
        return render(
            "referentials.badge-alignment", env, title: env.text("Compétences — ", "Competencies — ") + b.name,
            status: error == nil ? .ok : .unprocessableContent, data)
    }

    /// Replaces the badge class's alignment with the one the picker posted.
    func saveAlignment(_ env: Env, _ request: Request, _ context: AppRequestContext, badgeID: String) async throws
        -> Response
    {
        let form = try await self.form(request, context, env)
        let (b, _) = try await badge(badgeID, for: env.user, .manage)
        do {
            let alignment = try picker.alignment(from: form, current: b.alignment)
            _ = try await services.issuing.replaceAlignment(badgeID: b.id, alignment, actor: env.user.id)
        } catch let e as ServiceError where e.kind == .invalid {
            return try await alignmentPage(
                env, badgeID: badgeID, form: form, error: e.fieldMessage(english: env.english))
        }
        return redirect("/trainer/badges/\(WebForm.encode(b.id))/alignment?saved=1")
    }
}
