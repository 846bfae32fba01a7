import CSVText
import Foundation
import HTTPTypes
import Hummingbird
import InsigneStore
import OpenBadges

/// The roster pages (`/trainer/issuers/{id}/people…`): the list with search and paging, the CSV import and its
/// report, adding and editing one person (extra addresses included), « A quitté l'établissement » / « Revenu ».
struct RosterPages: PageFeature {
    let services: ServerServices

    /// Adds the roster pages to the staff pages.
    func addRoutes(to routes: AppRoutes) {
        routes.staffPages.get("/trainer/issuers/{id}/people") { req, ctx in
            try await listPage(ctx.env, req, issuerID: ctx.parameters.get("id") ?? "")
        }
        routes.staffPages.post("/trainer/issuers/{id}/people") { req, ctx in
            try await add(ctx.env, req, ctx, issuerID: ctx.parameters.get("id") ?? "")
        }
        routes.staffPages.post("/trainer/issuers/{id}/people/import") { req, ctx in
            try await importFile(ctx.env, req, ctx, issuerID: ctx.parameters.get("id") ?? "")
        }
        routes.staffPages.get("/trainer/issuers/{id}/people/{person}") { req, ctx in
            try await editPage(
                ctx.env, issuerID: ctx.parameters.get("id") ?? "", personID: ctx.parameters.get("person") ?? "")
        }
        routes.staffPages.post("/trainer/issuers/{id}/people/{person}") { req, ctx in
            try await save(
                ctx.env, req, ctx, issuerID: ctx.parameters.get("id") ?? "",
                personID: ctx.parameters.get("person") ?? "")
        }
        routes.staffPages.post("/trainer/issuers/{id}/people/{person}/left") { req, ctx in
            try await leave(
                ctx.env, req, ctx, issuerID: ctx.parameters.get("id") ?? "",
                personID: ctx.parameters.get("person") ?? "")
        }
    }

    /// The establishment, when the account may act for it (404 / 403 pages otherwise).
    func establishment(_ env: Env, _ id: String) async throws -> IssuerRecord {
        guard let issuer = try await services.db.issuer(id: id) else { throw PageError.notFound() }
        guard mayAct(env.user, issuerID: issuer.id) else { throw PageError.forbidden() }
        return issuer
    }

    /// The list page; `extra` adds the import report, a message or the add form's error.
    func listPage(
        _ env: Env, _ request: Request, issuerID: String, extra: [String: Any] = [:],
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let issuer = try await establishment(env, issuerID)
        let params = request.uri.queryParameters
        let q = params.get("q") ?? ""
        let includeLeft = params.get("left") == "1"
        let page = max(1, Int(params.get("page") ?? "") ?? 1)
        let (items, total) = try await services.db.people(
            issuerID: issuer.id, search: q, includeLeft: includeLeft, page: page, perPage: Self.pageSize)
        let pages = max(1, (total + Self.pageSize - 1) / Self.pageSize)
        func link(_ p: Int) -> String {
            var parts = ["page=\(p)"]
            if !q.isEmpty { parts.append("q=" + WebForm.encode(q)) }
            if includeLeft { parts.append("left=1") }
            return "/trainer/issuers/\(issuer.id)/people?" + parts.joined(separator: "&")
        }
        var data: [String: Any] = [
            "r": RosterText.table(env.english), "issuer": ["id": issuer.id, "name": issuer.name],
            "people": items.map { personRow($0, env) }, "hasPeople": !items.isEmpty, "total": total, "page": page,
            "pages": pages, "q": q, "includeLeft": includeLeft,
        ]
        if page > 1 { data["prev"] = link(page - 1) }
        if page < pages { data["next"] = link(page + 1) }
        data.merge(extra) { _, new in new }
        let title = RosterText.table(env.english)["peopleTitle"]! + " — " + issuer.name
        return render("compliance.people", env, title: title, status: status, data)
    }

    func personRow(_ p: RosterPerson, _ env: Env) -> [String: Any] {
        [
            "id": p.person.id, "name": p.person.displayName, "firstName": p.person.firstName,
            "lastName": p.person.lastName, "email": p.emails.first ?? "", "extraEmails": Array(p.emails.dropFirst()),
            "externalID": p.person.externalID ?? "", "left": p.person.leftAt != nil,
            "leftOn": p.person.leftAt.map { WebDates.display($0, english: env.english, time: false) } ?? "",
            "joinedOn": WebDates.display(p.person.joinedAt, english: env.english, time: false),
        ]
    }

    /// Imports the uploaded or pasted CSV and shows the list with the report.
    func importFile(_ env: Env, _ request: Request, _ context: AppRequestContext, issuerID: String) async throws
        -> Response
    {
        let form = try await self.form(request, context, env)
        let issuer = try await establishment(env, issuerID)
        var csv = form.files["csv"]?.body ?? []
        var encoding = CSVTextEncoding(name: form["encoding"])
        if csv.isEmpty {
            csv = Array(form["csvText"].utf8)
            encoding = .utf8
        }
        guard !csv.trimmingWhitespaceIsEmpty else {
            return try await listPage(
                env, request, issuerID: issuer.id,
                extra: [
                    "importError": env.text(
                        "Choisissez un fichier CSV ou collez son contenu.", "Choose a CSV file or paste its content.")
                ],
                status: .unprocessableContent)
        }
        let report: Roster.ImportReport
        do {
            report = try await Roster(db: services.db).importCSV(
                csv, encoding: encoding, issuerID: issuer.id, now: services.clock())
        } catch let e as ServiceError {
            return try await listPage(
                env, request, issuerID: issuer.id, extra: ["importError": env.text(e.messageFR, e.messageEN)],
                status: e.kind == .tooLarge ? .contentTooLarge : .unprocessableContent)
        }
        let lines: [[String: Any]] = report.lines.filter { $0.status == .refused }.map { l in
            ["line": l.line, "email": l.email, "reason": l.problem.map { env.text($0.messageFR, $0.messageEN) } ?? ""]
        }
        let summary: [String: Any] = [
            "read": env.text(report.summary.fr, report.summary.en), "added": report.count(.added),
            "updated": report.count(.updated), "unchanged": report.count(.unchanged),
            "refused": report.count(.refused), "refusedLines": lines, "hasRefused": !lines.isEmpty,
        ]
        return try await listPage(env, request, issuerID: issuer.id, extra: ["report": summary])
    }

    /// The person of a form: names, identifier, addresses (one per line); field errors by name.
    func personForm(_ form: WebForm, issuerID: String) -> (PersonRecord, [String], [String: String]) {
        let first = form["firstName"].trimmingCharacters(in: .whitespacesAndNewlines)
        let last = form["lastName"].trimmingCharacters(in: .whitespacesAndNewlines)
        let external = form["externalID"].trimmingCharacters(in: .whitespacesAndNewlines)
        let emails = form["emails"].split(whereSeparator: { $0.isWhitespace || $0 == "," || $0 == ";" })
            .map(String.init)
        var errors: [String: String] = [:]
        if last.isEmpty && first.isEmpty { errors["lastName"] = "name" }
        if (first + last + external).count > 400 { errors["lastName"] = "long" }
        if emails.isEmpty { errors["emails"] = "missing" }
        if emails.contains(where: { !Validation.isEmail(EmailNormalization.normalize($0)) }) {
            errors["emails"] = "invalid"
        }
        let now = services.clock()
        // A single name is the last name.
        let person = PersonRecord(
            id: "", issuerID: issuerID, firstName: last.isEmpty ? "" : first, lastName: last.isEmpty ? first : last,
            externalID: external.isEmpty ? nil : external, joinedAt: now, updatedAt: now)
        return (person, emails, errors)
    }

    /// The message of a form error.
    func message(_ code: String, _ env: Env) -> String {
        switch code {
        case "name": env.text("Indiquez au moins un nom.", "Give at least a name.")
        case "long": env.text("Nom trop long.", "Name too long.")
        case "missing": env.text("Indiquez au moins une adresse électronique.", "Give at least one email address.")
        case "invalid": env.text("Adresse électronique invalide.", "Invalid email address.")
        default:
            env.text(
                "L'adresse \(code) appartient déjà à une autre personne.",
                "The address \(code) already belongs to someone else.")
        }
    }

    /// Adds one person; back to the list.
    func add(_ env: Env, _ request: Request, _ context: AppRequestContext, issuerID: String) async throws -> Response {
        let form = try await self.form(request, context, env)
        let issuer = try await establishment(env, issuerID)
        let (person, emails, errors) = personForm(form, issuerID: issuer.id)
        var problem = errors.values.first
        if problem == nil {
            let saving = try await services.db.savePerson(id: nil, person, emails: emails, now: services.clock())
            if case .emailTaken(let e) = saving { problem = e }
        }
        guard let problem else {
            return redirect("/trainer/issuers/\(issuer.id)/people?q=" + WebForm.encode(emails[0]))
        }
        return try await listPage(
            env, request, issuerID: issuer.id,
            extra: [
                "addError": message(problem, env),
                "form": [
                    "firstName": form["firstName"], "lastName": form["lastName"], "emails": form["emails"],
                    "externalID": form["externalID"],
                ],
            ], status: .unprocessableContent)
    }
}
