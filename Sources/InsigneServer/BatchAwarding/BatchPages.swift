import CSVText
import Foundation
import HTTPTypes
import Hummingbird
import InsigneStore
import OpenBadges
import OpenBadgesCrypto

/// The trainers' bulk award (`/trainer/badges/{id}/bulk`, `/trainer/batches/{id}`): a CSV is read and previewed row
/// by row, confirmed once, then awarded in the background while the status page refreshes itself.
struct BatchPages: PageFeature {
    let services: ServerServices
    /// The batches being previewed or run (in memory).
    let batches = WebBatchStore()

    /// Adds the bulk-award pages to the staff pages.
    func addRoutes(to routes: AppRoutes) {
        routes.staffPages.get("/trainer/badges/{id}/bulk") { req, ctx in
            try await bulkPage(ctx.env, badgeID: ctx.parameters.get("id") ?? "", error: nil)
        }
        routes.staffPages.get("/trainer/badges/{id}/bulk/template.csv") { req, ctx in
            try await template(ctx.env, badgeID: ctx.parameters.get("id") ?? "")
        }
        routes.staffPages.post("/trainer/badges/{id}/bulk") { req, ctx in
            try await bulkUpload(ctx.env, req, ctx, badgeID: ctx.parameters.get("id") ?? "")
        }
        routes.staffPages.get("/trainer/batches/{id}") { req, ctx in
            try await batchPage(ctx.env, batchID: ctx.parameters.get("id") ?? "")
        }
        routes.staffPages.post("/trainer/batches/{id}/confirm") { req, ctx in
            try await confirmBatch(ctx.env, req, ctx, batchID: ctx.parameters.get("id") ?? "")
        }
    }

    /// The CSV upload form of a badge class, with the error of a refused file.
    func bulkPage(
        _ env: Env, badgeID: String, error: String?, status: HTTPResponse.Status = .ok,
        encoding: CSVTextEncoding = .automatic
    ) async throws -> Response {
        let (b, issuer) = try await badge(badgeID, for: env.user)
        try IssuingService.requireAwardable(b)
        var data: [String: Any] = ["badge": badgeSummary(b, issuer)]
        if encoding != .automatic { data[encoding == .utf8 ? "encodingUTF8" : "encodingWindows1252"] = true }
        if let error { data["error"] = error }
        return render("batch.bulk", env, title: env.t["bulkTitle"]! + " — " + b.name, status: status, data)
    }

    /// The CSV template of the bulk award (`CSVAwardTemplate`), as a download named after the badge class.
    func template(_ env: Env, badgeID: String) async throws -> Response {
        let (b, _) = try await badge(badgeID, for: env.user)
        return HTTP.bytes(
            CSVAwardTemplate.bytes, contentType: "text/csv; charset=utf-8",
            headers: [
                .contentDisposition: "attachment; filename=\"\(CSVAwardTemplate.filename(badgeID: b.id))\"",
                .cacheControl: "private, no-store",
            ])
    }

    /// Reads the uploaded or pasted CSV into a new batch and shows its preview.
    func bulkUpload(_ env: Env, _ request: Request, _ context: AppRequestContext, badgeID: String) async throws
        -> Response
    {
        let form = try await self.form(request, context, env)
        try IssuingService.requireAwardable(try await badge(badgeID, for: env.user).0)
        var csv = form.files["csv"]?.body ?? []
        // Pasted text is already Unicode: only a file has an encoding to detect or choose.
        var encoding = CSVTextEncoding(name: form["encoding"])
        if csv.isEmpty {
            csv = Array(form["csvText"].utf8)
            encoding = .utf8
        }
        guard !csv.trimmingWhitespaceIsEmpty else {
            return try await bulkPage(
                env, badgeID: badgeID,
                error: env.text(
                    "Choisissez un fichier CSV ou collez son contenu.", "Choose a CSV file or paste its content."),
                status: .unprocessableContent)
        }
        let rows: [WebBatchRow]
        let reading: CSVAwardReader.Reading
        do {
            reading = try CSVAwardReader.read(csv, maxRows: CSVAwardReader.pageMaxRows, encoding: encoding)
            rows = try WebBatchBuilder.rows(reading.rows, badgeID: badgeID)
        } catch let e as CSVAwardReader.Failure {
            let location = e.line > 0 ? env.text("Ligne \(e.line) : ", "Line \(e.line): ") : ""
            return try await bulkPage(
                env, badgeID: badgeID, error: location + env.text(e.fr, e.en), status: .unprocessableContent,
                encoding: encoding)
        }
        let batch = WebBatch(
            id: try SecureRandom.hex(byteCount: 12), accountID: env.user.id, badgeID: badgeID, createdAt: Date(),
            rows: rows, source: form.files["csv"]?.body.isEmpty == false ? reading.summary : nil)
        await batches.add(batch)
        return try await batchView(env, batch)
    }

    /// A batch of the signed-in account: preview, progress or outcome.
    func batchPage(_ env: Env, batchID: String) async throws -> Response {
        guard let batch = await batches.get(batchID) else { throw PageError.notFound() }
        guard batch.accountID == env.user.id else { throw PageError.forbidden() }
        return try await batchView(env, batch)
    }

    /// The page of a batch in its current state.
    func batchView(_ env: Env, _ batch: WebBatch) async throws -> Response {
        let (b, issuer) = try await badge(batch.badgeID, for: env.user)
        let rows: [[String: Any]] = batch.rows.map { r in
            var d: [String: Any] = ["line": r.line, "email": r.email, "name": r.name]
            if let fr = r.errorFR { d["error"] = env.english ? (r.errorEN ?? fr) : fr } else { d["valid"] = true }
            switch r.outcome {
            case .pending: break
            case .created(let id):
                d["created"] = true
                d["assertionID"] = id
            case .renewed(let id):
                d["renewed"] = true
                d["assertionID"] = id
            case .existing(let id):
                d["existing"] = true
                d["assertionID"] = id
            case .failed(let fr, let en): d["failed"] = env.english ? en : fr
            }
            return d
        }
        let valid = batch.valid
        let created = batch.rows.filter { if case .created = $0.outcome { true } else { false } }.count
        let existing = batch.rows.filter { if case .existing = $0.outcome { true } else { false } }.count
        let renewed = batch.rows.filter { if case .renewed = $0.outcome { true } else { false } }.count
        var data: [String: Any] = [
            "badge": badgeSummary(b, issuer), "batchID": batch.id, "rows": rows, "total": batch.rows.count,
            "validCount": valid,
            "invalidCount": batch.rows.count - valid, "processed": batch.processed, "createdCount": created,
            "existingCount": existing, "renewedCount": renewed, "hasRenewed": renewed > 0,
            "preview": batch.state == .preview, "running": batch.state == .running, "done": batch.state == .done,
            "canConfirm": batch.state == .preview && valid > 0, "progressMax": max(valid, 1),
        ]
        if batch.state == .running { data["refresh"] = "1" }
        if let source = batch.source { data["source"] = env.text(source.fr, source.en) }
        let title =
            switch batch.state {
            case .preview: env.t["previewTitle"]!
            case .running: env.t["batchTitle"]!
            case .done: env.t["batchDoneTitle"]!
            }
        return render("batch.status", env, title: title, data)
    }

    /// Starts the awards of a previewed batch (once) in the background and goes to its status page.
    func confirmBatch(_ env: Env, _ request: Request, _ context: AppRequestContext, batchID: String) async throws
        -> Response
    {
        _ = try await form(request, context, env)
        guard let batch = await batches.get(batchID) else { throw PageError.notFound() }
        guard batch.accountID == env.user.id else { throw PageError.forbidden() }
        try IssuingService.requireAwardable(try await badge(batch.badgeID, for: env.user).0)
        if await batches.start(batchID) {
            let runner = BatchAwarding(issuing: services.issuing, urls: services.urls)
            let store = batches
            let actor = env.user.id
            let notifier = Notifier(services: services)
            // The valid rows go through the API's grouped path: signed on every core, stored by groups of rows in
            // one transaction each, the unique idempotency key deciding (a re-upload awards nothing twice).
            let requests = batch.rows.enumerated().compactMap { i, row in row.request.map { (index: i, request: $0) } }
            Task {
                var created: [AssertionRecord] = []
                await runner.award(requests: requests, badgeID: batch.badgeID, actor: actor) { i, result in
                    let outcome: WebBatchRow.Outcome
                    switch result {
                    case .success(let award):
                        let id = award.record.id
                        outcome =
                            !award.created ? .existing(id) : award.record.renewalOf == nil ? .created(id) : .renewed(id)
                        if award.created { created.append(award.record) }
                    case .failure(let e):
                        outcome = .failed(fr: e.fieldMessage(english: false), en: e.fieldMessage(english: true))
                    }
                    await store.record(batchID, row: i, outcome: outcome)
                }
                await notifier.awarded(created, actor: actor)
                await store.finish(batchID)
            }
        }
        return redirect("/trainer/batches/\(batchID)")
    }
}
