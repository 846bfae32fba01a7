import Foundation
import HTTPTypes
import Hummingbird
import InsigneStore
import OpenBadges
import OpenBadgesCrypto

/// New badge classes: the form and its creation.
extension TrainerPages {
    /// The new badge class form (with the competency picker), blank or with the refused values and errors.
    func newBadgePage(_ env: Env, _ request: Request, form: WebForm?, errors: [String: String], general: String? = nil)
        async throws -> Response
    {
        let issuers = try await allowedIssuers(env.user, .manage)
        guard !issuers.isEmpty else { throw PageError.forbidden() }
        let selected = form?["issuer"] ?? request.uri.queryParameters.get("issuer") ?? issuers[0].id
        var data: [String: Any] = [
            "issuers": issuers.map { ["id": $0.id, "name": $0.name, "selected": $0.id == selected] },
            "errors": errors, "hasErrors": !errors.isEmpty || general != nil,
        ]
        if let general { data["general"] = general }
        var values: [String: String] = [:]
        for f in ["id", "name", "description", "criteria", "criteriaURL", "tags", "validityChoice", "validity"] {
            values[f] = form?[f] ?? ""
        }
        values["reminders"] =
            form?["reminders"] ?? ValidityForm.values(validity: nil, reminders: ReminderDays.defaults)["reminders"]
        data["v"] = values
        data["validityOptions"] = ValidityForm.options(env, chosen: values["validityChoice"] ?? "")
        data["picker"] = try AlignmentPicker(services: services).data(
            env, form: form, current: [], error: errors["alignment"])
        data["refCSS"] = StaticAssets.href("referentials.css")
        return render(
            "trainer.badge-new", env, title: env.t["newBadgeTitle"]!,
            status: errors.isEmpty && general == nil ? .ok : .unprocessableContent, data)
    }

    /// Creates a badge class from the form, or shows the form again with what is wrong.
    func createBadge(_ env: Env, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        let form = try await self.form(request, context, env)
        let issuerID = form["issuer"]
        guard mayAct(env.user, issuerID: issuerID, .manage) else { throw PageError.forbidden() }
        var errors: [String: String] = [:]
        var id = form["id"].trimmingCharacters(in: .whitespaces)
        if id.isEmpty {
            id = BadgeClassIDs.derived(issuerID: issuerID, name: form["name"]) ?? ""
            if id.isEmpty, !form["name"].trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                errors["id"] = Validation.underivableID().fieldMessage(english: env.english)
            }
        }
        let tags = form["tags"].split(whereSeparator: { $0 == "," || $0 == ";" || $0 == "\n" })
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        let (validity, reminders) = ValidityForm.read(form, env, errors: &errors)
        let image = form.files["image"]
        if image == nil || image!.body.isEmpty {
            errors["image"] = env.text("Choisissez une image PNG ou SVG.", "Choose a PNG or SVG image.")
        }
        var alignment: [AlignmentRecord] = []
        do {
            alignment = try AlignmentPicker(services: services).alignment(from: form, current: [])
        } catch let e as ServiceError where e.kind == .invalid {
            errors["alignment"] = e.fieldMessage(english: env.english)
        }
        if errors.isEmpty, let image {
            let record = BadgeClassRecord(
                id: id, issuerID: issuerID, name: form["name"].trimmingCharacters(in: .whitespacesAndNewlines),
                description: form["description"].trimmingCharacters(in: .whitespacesAndNewlines),
                criteriaNarrative: form["criteria"].trimmingCharacters(in: .whitespacesAndNewlines),
                criteriaURL: form.optional("criteriaURL"), imageData: Data(image.body), imageType: "png", tags: tags,
                alignment: alignment, validity: validity, reminderDays: reminders, createdAt: Date())
            do {
                _ = try await services.issuing.createBadgeClass(record, actor: env.user.id)
                return redirect("/trainer?created=" + WebForm.encode(id))
            } catch let e as ServiceError where e.kind != .serverError {
                let field: String? =
                    switch e.field {
                    case "criteria.narrative": "criteria"
                    case "criteria.id": "criteriaURL"
                    case let f?:
                        ["id", "name", "description", "tags", "validity", "reminders", "image"].contains(f) ? f : nil
                    case nil: nil
                    }
                if let field {
                    errors[field] = e.fieldMessage(english: env.english)
                } else {
                    return try await newBadgePage(
                        env, request, form: form, errors: errors, general: e.fieldMessage(english: env.english))
                }
            }
        }
        return try await newBadgePage(env, request, form: form, errors: errors)
    }
}
