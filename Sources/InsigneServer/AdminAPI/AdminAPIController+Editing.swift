import Foundation
import Hummingbird
import InsigneStore
import OpenBadges

/// Editing badge classes and issuers (`PATCH`, JSON merge-patch style: only the fields given change), archiving
/// (`"archived": true` in the badge class's `PATCH`) and deleting a badge class never awarded.
extension AdminAPIController {
    static let badgePatchFields: Set<String> = [
        "name", "description", "criteria", "image", "tags", "alignment", "validity", "reminders", "archived",
    ]

    /// `PATCH /badges/{id}`: the badge class with the given fields changed (audited).
    func updateBadgeClass(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let badge = try await badgeClass(context, .manage)
        let account = try Access.account(context)
        let o = try JSONFields(try await APIBody.json(request, context: context))
        try o.allowOnly(Self.badgePatchFields)
        var changes = BadgeClassChanges()
        changes.name = try o.object["name"] == nil ? nil : o.requiredString("name")
        changes.description = try o.object["description"] == nil ? nil : o.requiredString("description")
        if case .string(let s)? = o.object["criteria"] {
            changes.criteriaNarrative = s
        } else if o.object["criteria"] != nil {
            guard let c = try o.nested("criteria") else { throw JSONFields.missing("criteria.narrative") }
            try c.allowOnly(["narrative", "id"])
            if c.object["narrative"] != nil { changes.criteriaNarrative = try c.requiredString("narrative") }
            if c.object["id"] != nil { changes.criteriaURL = .some(try c.optionalString("id")) }
        }
        if o.object["image"] != nil {
            changes.image = try APIFormat.imageDataURI(try o.requiredString("image"), field: "image")
        }
        if o.object["tags"] != nil { changes.tags = try o.stringArray("tags") ?? [] }
        if o.object["alignment"] != nil {
            changes.alignment = try resolveAlignment(try Self.alignment(try o.objectArray("alignment") ?? []))
        }
        if o.object["validity"] != nil { changes.validity = .some(try o.optionalString("validity")) }
        if o.object["reminders"] != nil { changes.reminderDays = try Self.reminders(o) }
        if o.object["archived"] != nil {
            guard let archived = try o.bool("archived") else {
                throw JSONFields.wrongType("archived", expected: "boolean", got: "null")
            }
            changes.archived = archived
        }
        let (updated, _) = try await issuing.editBadgeClass(id: badge.id, changes, actor: account.id)
        return HTTP.json(badgeJSON(updated))
    }

    /// The `reminders` array of a badge class body (`[90, 30, 7]`; `null` or `[]`: no reminder), checked.
    static func reminders(_ o: JSONFields) throws -> [Int] {
        let items = try o.array("reminders") ?? []
        let days = try items.enumerated().map { i, v -> Int in
            guard case .number(let n) = v, n == n.rounded(), abs(n) < 1e6 else {
                throw JSONFields.wrongType("reminders[\(i)]", expected: "integer", got: v.typeName)
            }
            return Int(n)
        }
        return try ReminderDays.validated(days)
    }

    /// `DELETE /badges/{id}`: 204 for a badge class never awarded, 409 otherwise (archive it instead).
    func deleteBadgeClass(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let badge = try await badgeClass(context, .manage)
        let account = try Access.account(context)
        try await issuing.deleteBadgeClass(id: badge.id, actor: account.id)
        return Response(status: .noContent)
    }

    /// `PATCH /issuers/{id}`: the issuer with the given fields changed (audited); `"image": null` removes the logo.
    func updateIssuer(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let id = try pathID(context)
        guard try await issuing.issuer(id: id) != nil else { throw ServiceError.notFound("Émetteur / issuer", id) }
        let account = try Access.requireIssuer(context, id, .manage)
        let o = try JSONFields(try await APIBody.json(request, context: context))
        try o.allowOnly(["name", "description", "url", "email", "image"])
        var changes = IssuerChanges()
        changes.name = try o.object["name"] == nil ? nil : o.requiredString("name")
        if o.object["description"] != nil { changes.description = .some(try o.optionalString("description")) }
        changes.url = try o.object["url"] == nil ? nil : o.requiredString("url")
        changes.email = try o.object["email"] == nil ? nil : o.requiredString("email")
        if o.object["image"] != nil {
            changes.image = .some(try o.string("image").map { try APIFormat.imageDataURI($0, field: "image") })
        }
        let (issuer, _) = try await issuing.editIssuer(id: id, changes, actor: account.id)
        return HTTP.json(issuerJSON(issuer, keys: try await issuing.keys(issuerID: id)))
    }
}
