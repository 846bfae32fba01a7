import Foundation
import HTTPTypes
import Hummingbird
import InsigneStore
import OpenBadges

/// Editing a badge class (same fields as creation, prefilled), archiving it or deleting it (each with a
/// confirmation), and editing an issuer (name, description, web site, contact, logo). For the issuer's staff and
/// administrators; every change is audited by `IssuingService`.
extension TrainerPages {
    func addEditingRoutes(to routes: AppRoutes) {
        routes.staffPages.get("/trainer/badges/{id}/edit") { req, ctx in
            try await editBadgePage(ctx.env, req, badgeID: ctx.parameters.get("id") ?? "", form: nil, errors: [:])
        }
        routes.staffPages.post("/trainer/badges/{id}/edit") { req, ctx in
            try await updateBadge(ctx.env, req, ctx, badgeID: ctx.parameters.get("id") ?? "")
        }
        routes.staffPages.post("/trainer/badges/{id}/archive") { req, ctx in
            try await archiveBadge(ctx.env, req, ctx, badgeID: ctx.parameters.get("id") ?? "")
        }
        routes.staffPages.post("/trainer/badges/{id}/delete") { req, ctx in
            try await deleteBadge(ctx.env, req, ctx, badgeID: ctx.parameters.get("id") ?? "")
        }
        routes.staffPages.get("/trainer/issuers/{id}/edit") { req, ctx in
            try await editIssuerPage(ctx.env, req, issuerID: ctx.parameters.get("id") ?? "", form: nil, errors: [:])
        }
        routes.staffPages.post("/trainer/issuers/{id}/edit") { req, ctx in
            try await updateIssuer(ctx.env, req, ctx, issuerID: ctx.parameters.get("id") ?? "")
        }
    }

    // MARK: - Badge classes

    /// The edit form of a badge class, prefilled (or with the refused values and errors), with its archive and
    /// delete forms.
    func editBadgePage(
        _ env: Env, _ request: Request, badgeID: String, form: WebForm?, errors: [String: String],
        general: String? = nil, status: HTTPResponse.Status? = nil
    ) async throws -> Response {
        let (b, issuer) = try await badge(badgeID, for: env.user, .manage)
        let awards = try await services.db.awardCount(badgeClassID: b.id)
        let stored: [String: String] = [
            "name": b.name, "description": b.description, "criteria": b.criteriaNarrative,
            "criteriaURL": b.criteriaURL ?? "", "tags": b.tags.joined(separator: ", "),
        ].merging(ValidityForm.values(validity: b.validity, reminders: b.reminderDays)) { a, _ in a }
        var values: [String: String] = [:]
        for (k, v) in stored { values[k] = form.map { $0[k] } ?? v }
        var data: [String: Any] = [
            "badge": badgeSummary(b, issuer), "v": values, "errors": errors,
            "hasErrors": !errors.isEmpty || general != nil, "archived": b.isArchived, "awardCount": awards,
            "mayDelete": awards == 0,
            "validityOptions": ValidityForm.options(env, chosen: values["validityChoice"] ?? ""),
        ]
        if let general { data["general"] = general }
        if request.uri.queryParameters.get("saved") != nil {
            data["saved"] = env.text("Modifications enregistrées.", "Changes saved.")
        }
        let failed = !errors.isEmpty || general != nil
        return render(
            "trainer.badge-edit", env, title: env.t["editBadgeTitle"]! + " — " + b.name,
            status: status ?? (failed ? .unprocessableContent : .ok), data)
    }

    /// Saves the edit form (only what differs is changed and audited), or shows it again with what is wrong.
    func updateBadge(_ env: Env, _ request: Request, _ context: AppRequestContext, badgeID: String) async throws
        -> Response
    {
        let form = try await self.form(request, context, env)
        _ = try await badge(badgeID, for: env.user, .manage)
        var errors: [String: String] = [:]
        var changes = BadgeClassChanges()
        changes.name = form["name"].trimmingCharacters(in: .whitespacesAndNewlines)
        changes.description = form["description"].trimmingCharacters(in: .whitespacesAndNewlines)
        changes.criteriaNarrative = form["criteria"].trimmingCharacters(in: .whitespacesAndNewlines)
        changes.criteriaURL = .some(form.optional("criteriaURL"))
        changes.tags = form["tags"].split(whereSeparator: { $0 == "," || $0 == ";" || $0 == "\n" })
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        let (validity, reminders) = ValidityForm.read(form, env, errors: &errors)
        changes.validity = .some(validity)
        changes.reminderDays = reminders
        if let image = form.files["image"], !image.body.isEmpty { changes.image = Data(image.body) }
        guard errors.isEmpty else {
            return try await editBadgePage(env, request, badgeID: badgeID, form: form, errors: errors)
        }
        do {
            _ = try await services.issuing.editBadgeClass(id: badgeID, changes, actor: env.user.id)
            return redirect("/trainer/badges/\(badgeID)/edit?saved=1")
        } catch let e as ServiceError where e.kind != .serverError && e.kind != .notFound {
            let field: String? =
                switch e.field {
                case "criteria.narrative": "criteria"
                case "criteria.id": "criteriaURL"
                case let f?: ["name", "description", "tags", "validity", "reminders", "image"].contains(f) ? f : nil
                case nil: nil
                }
            if let field { errors[field] = e.fieldMessage(english: env.english) }
            return try await editBadgePage(
                env, request, badgeID: badgeID, form: form, errors: errors,
                general: field == nil ? e.fieldMessage(english: env.english) : nil)
        }
    }

    /// The message when a confirmation box was left unticked.
    func confirmationMissing(_ env: Env) -> String {
        env.text("Cochez la case de confirmation pour continuer.", "Tick the confirmation box to go on.")
    }

    /// Archives the badge class (no new awards) or brings it back into use; archiving needs the confirmation box.
    func archiveBadge(_ env: Env, _ request: Request, _ context: AppRequestContext, badgeID: String) async throws
        -> Response
    {
        let form = try await self.form(request, context, env)
        _ = try await badge(badgeID, for: env.user, .manage)
        let archive = form["archived"] != "0"
        guard !archive || form["confirm"] == "yes" else {
            return try await editBadgePage(
                env, request, badgeID: badgeID, form: nil, errors: ["archive": confirmationMissing(env)])
        }
        var changes = BadgeClassChanges()
        changes.archived = archive
        _ = try await services.issuing.editBadgeClass(id: badgeID, changes, actor: env.user.id)
        return redirect("/trainer/badges/\(badgeID)/edit?saved=1")
    }

    /// Deletes a badge class never awarded (after the confirmation box); one with awards shows why not (409).
    func deleteBadge(_ env: Env, _ request: Request, _ context: AppRequestContext, badgeID: String) async throws
        -> Response
    {
        let form = try await self.form(request, context, env)
        _ = try await badge(badgeID, for: env.user, .manage)
        guard form["confirm"] == "yes" else {
            return try await editBadgePage(
                env, request, badgeID: badgeID, form: nil, errors: ["delete": confirmationMissing(env)])
        }
        do {
            try await services.issuing.deleteBadgeClass(id: badgeID, actor: env.user.id)
        } catch let e as ServiceError where e.kind == .conflict {
            return try await editBadgePage(
                env, request, badgeID: badgeID, form: nil, errors: ["delete": e.fieldMessage(english: env.english)],
                status: .conflict)
        }
        return redirect("/trainer?deleted=" + WebForm.encode(badgeID))
    }

    // MARK: - Issuers

    /// The issuer the account may act for (404 / 403 pages otherwise).
    func editableIssuer(_ id: String, for account: AccountRecord) async throws -> IssuerRecord {
        guard let issuer = try await services.issuing.issuer(id: id) else { throw PageError.notFound() }
        guard mayAct(account, issuerID: issuer.id, .manage) else { throw Access.pageRefusal(issuer, .manage) }
        return issuer
    }

    /// The edit form of an issuer, prefilled (or with the refused values and errors).
    func editIssuerPage(
        _ env: Env, _ request: Request, issuerID: String, form: WebForm?, errors: [String: String],
        general: String? = nil
    ) async throws -> Response {
        let issuer = try await editableIssuer(issuerID, for: env.user)
        let stored = [
            "name": issuer.name, "description": issuer.description ?? "", "url": issuer.url, "email": issuer.email,
        ]
        var values: [String: String] = [:]
        for (k, v) in stored { values[k] = form.map { $0[k] } ?? v }
        var data: [String: Any] = [
            "issuer": ["id": issuer.id, "name": issuer.name, "profileURL": services.urls.issuer(issuer.id)],
            "v": values, "errors": errors, "hasErrors": !errors.isEmpty || general != nil,
            "hasLogo": issuer.imageData != nil,
        ]
        if let general { data["general"] = general }
        if request.uri.queryParameters.get("saved") != nil {
            data["saved"] = env.text("Modifications enregistrées.", "Changes saved.")
        }
        return render(
            "trainer.issuer-edit", env, title: env.t["editIssuerTitle"]! + " — " + issuer.name,
            status: errors.isEmpty && general == nil ? .ok : .unprocessableContent, data)
    }

    /// Saves the issuer's edit form, or shows it again with what is wrong.
    func updateIssuer(_ env: Env, _ request: Request, _ context: AppRequestContext, issuerID: String) async throws
        -> Response
    {
        let form = try await self.form(request, context, env)
        _ = try await editableIssuer(issuerID, for: env.user)
        var changes = IssuerChanges()
        changes.name = form["name"].trimmingCharacters(in: .whitespacesAndNewlines)
        changes.description = .some(form.optional("description"))
        changes.url = form["url"].trimmingCharacters(in: .whitespacesAndNewlines)
        changes.email = form["email"].trimmingCharacters(in: .whitespacesAndNewlines)
        if let image = form.files["image"], !image.body.isEmpty {
            changes.image = .some(Data(image.body))
        } else if form["removeLogo"] == "yes" {
            changes.image = .some(nil)
        }
        do {
            _ = try await services.issuing.editIssuer(id: issuerID, changes, actor: env.user.id)
            return redirect("/trainer/issuers/\(issuerID)/edit?saved=1")
        } catch let e as ServiceError where e.kind != .serverError && e.kind != .notFound {
            let field = e.field.flatMap { ["name", "description", "url", "email", "image"].contains($0) ? $0 : nil }
            var errors: [String: String] = [:]
            if let field { errors[field] = e.fieldMessage(english: env.english) }
            return try await editIssuerPage(
                env, request, issuerID: issuerID, form: form, errors: errors,
                general: field == nil ? e.fieldMessage(english: env.english) : nil)
        }
    }
}
