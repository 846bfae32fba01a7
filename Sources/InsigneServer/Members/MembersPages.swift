import Foundation
import HTTPTypes
import Hummingbird
import InsigneStore
import OpenBadges
import OpenBadgesCrypto

/// The staff of an issuer, for administrators and its managers: the members page (`/trainer/issuers/{id}/members`:
/// list, invite, remove a role, send the invitation again), and the invitation link where an invited person chooses
/// their password (`/staff/invitation/{token}`, `MembersPages+Invitation.swift`).
struct MembersPages: PasswordChoosingPages {
    let services: ServerServices
    /// The bounded pool that hashes passwords.
    let hasher: PasswordHashingPool

    var members: Members { Members(services: services) }

    /// Adds the members pages (staff group) and the invitation pages (public group).
    func addRoutes(to routes: AppRoutes) {
        routes.staffPages.get("/trainer/issuers/{id}/members") { req, ctx in
            try await membersPage(ctx.env, issuerID: ctx.parameters.get("id") ?? "")
        }
        routes.staffPages.post("/trainer/issuers/{id}/members") { req, ctx in
            try await invite(ctx.env, req, ctx, issuerID: ctx.parameters.get("id") ?? "")
        }
        routes.staffPages.post("/trainer/issuers/{id}/members/{member}/remove") { req, ctx in
            try await remove(
                ctx.env, req, ctx, issuerID: ctx.parameters.get("id") ?? "",
                memberID: ctx.parameters.get("member") ?? "")
        }
        routes.staffPages.post("/trainer/issuers/{id}/members/{member}/resend") { req, ctx in
            try await resend(
                ctx.env, req, ctx, issuerID: ctx.parameters.get("id") ?? "",
                memberID: ctx.parameters.get("member") ?? "")
        }
        addInvitationRoutes(to: routes)
    }

    /// The issuer, when the signed-in person may manage it (403 first, so nothing leaks; then 404).
    func managedIssuer(_ env: Env, _ id: String) async throws -> IssuerRecord {
        guard env.may(.manage, issuer: id) else { throw PageError.forbidden() }
        guard let issuer = try await services.issuing.issuer(id: id) else { throw PageError.notFound() }
        return issuer
    }

    /// What the page shows after an action.
    struct Outcome {
        var notice: String?
        var invitationURL: String?
        var form: WebForm?
        var errors: [String: String] = [:]
        var general: String?
        var status: HTTPResponse.Status = .ok
    }

    /// The members, the invitation form and the outcome of the last action.
    func membersPage(_ env: Env, issuerID: String, outcome: Outcome = Outcome()) async throws -> Response {
        let issuer = try await managedIssuer(env, issuerID)
        let rows: [[String: Any]] = try await members.list(issuerID: issuer.id).map { m in
            let label = MemberRoles.label(m.membership.role)
            return [
                "id": m.membership.id, "name": m.account.displayName, "email": m.account.email ?? m.account.login,
                "role": env.text(label.fr, label.en), "invited": m.status == .invited,
                "since": WebDates.display(m.membership.createdAt, english: env.english, time: false),
            ]
        }
        let chosen = outcome.form?["role"] ?? "trainer"
        var data: [String: Any] = [
            "issuer": ["id": issuer.id, "name": issuer.name], "members": rows, "hasMembers": !rows.isEmpty,
            "roles": MembershipRecord.Role.allCases.map { r -> [String: Any] in
                let label = MemberRoles.label(r)
                return ["value": r.rawValue, "label": env.text(label.fr, label.en), "selected": r.rawValue == chosen]
            },
            "v": ["name": outcome.form?["name"] ?? "", "email": outcome.form?["email"] ?? ""],
            "errors": outcome.errors, "hasErrors": !outcome.errors.isEmpty || outcome.general != nil,
        ]
        if let n = outcome.notice { data["notice"] = n }
        if let u = outcome.invitationURL { data["invitationURL"] = u }
        if let g = outcome.general { data["general"] = g }
        return render(
            "members.members", env, title: env.t["members"]! + " — " + issuer.name, status: outcome.status, data)
    }

    /// Invites a person with a role, or shows the form again with what is wrong.
    func invite(_ env: Env, _ request: Request, _ context: AppRequestContext, issuerID: String) async throws
        -> Response
    {
        let form = try await self.form(request, context, env)
        let issuer = try await managedIssuer(env, issuerID)
        do {
            let done = try await members.invite(
                issuer: issuer, email: form["email"], name: form["name"], role: form["role"], by: env.user)
            let note = Mailer.note(done.delivery, to: done.member.account.email ?? done.member.account.login)
            let what =
                done.member.status == .invited
                ? env.text("Invitation envoyée.", "Invitation sent.")
                : env.text(
                    "Rôle ajouté au compte existant, qui garde son mot de passe.",
                    "Role added to the existing account, which keeps its password.")
            return try await membersPage(
                env, issuerID: issuerID,
                outcome: Outcome(notice: what + " " + env.text(note.fr, note.en), invitationURL: done.invitationURL))
        } catch let e as ServiceError where e.kind != .serverError {
            var outcome = Outcome(form: form, status: e.status)
            if let field = e.field, ["email", "name", "role"].contains(field) {
                outcome.errors[field] = e.fieldMessage(english: env.english)
            } else {
                outcome.general = e.fieldMessage(english: env.english)
            }
            return try await membersPage(env, issuerID: issuerID, outcome: outcome)
        }
    }

    /// Removes one role (the page says why not, for the last manager).
    func remove(_ env: Env, _ request: Request, _ context: AppRequestContext, issuerID: String, memberID: String)
        async throws -> Response
    {
        _ = try await self.form(request, context, env)
        _ = try await managedIssuer(env, issuerID)
        do {
            try await members.remove(issuerID: issuerID, memberID: memberID, by: env.user)
        } catch let e as ServiceError where e.kind == .conflict {
            return try await membersPage(
                env, issuerID: issuerID,
                outcome: Outcome(general: e.fieldMessage(english: env.english), status: .conflict))
        }
        return try await membersPage(
            env, issuerID: issuerID, outcome: Outcome(notice: env.text("Rôle retiré.", "Role removed.")))
    }

    /// Sends a new invitation link to a member who has not chosen a password yet.
    func resend(_ env: Env, _ request: Request, _ context: AppRequestContext, issuerID: String, memberID: String)
        async throws -> Response
    {
        _ = try await self.form(request, context, env)
        let issuer = try await managedIssuer(env, issuerID)
        let done = try await members.resend(issuer: issuer, memberID: memberID, by: env.user)
        let note = Mailer.note(done.delivery, to: done.member.account.email ?? done.member.account.login)
        return try await membersPage(
            env, issuerID: issuerID,
            outcome: Outcome(
                notice: env.text("Nouvelle invitation envoyée.", "New invitation sent.") + " "
                    + env.text(note.fr, note.en), invitationURL: done.invitationURL))
    }
}
