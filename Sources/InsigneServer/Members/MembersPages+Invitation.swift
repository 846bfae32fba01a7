import Foundation
import HTTPTypes
import Hummingbird
import InsigneStore
import OpenBadges
import OpenBadgesCrypto

/// The staff invitation link: the invited person chooses a password (the learners' rules) and lands signed in on
/// `/trainer`; a used, expired or unknown link shows the ways back (sign in, forgotten password).
extension MembersPages {
    func addInvitationRoutes(to routes: AppRoutes) {
        routes.publicPages.get("/staff/invitation/{token}") { req, ctx in
            try await invitationPage(ctx.env, req, token: ctx.parameters.get("token") ?? "")
        }
        routes.publicPages.post("/staff/invitation/{token}") { req, ctx in
            try await acceptInvitation(ctx.env, req, ctx, token: ctx.parameters.get("token") ?? "")
        }
    }

    /// The open invitation of this token, if it may still be used.
    func openInvitation(_ token: String) async throws -> (StaffInvitationRecord, AccountRecord)? {
        guard token.count == 64, token.allSatisfy(\.isHexDigit) else { return nil }
        return try await services.db.openStaffInvitation(tokenHash: Members.hash(token))
    }

    /// The page of a link that no longer works, with the ways back.
    func invitationGone(_ env: Env) -> Response {
        render("members.invitation-gone", env, title: env.text("Lien expiré", "Link expired"), status: .notFound)
    }

    /// The form to choose a password.
    func invitationPage(_ env: Env, _ request: Request, token: String, error: String? = nil) async throws -> Response {
        guard let (inv, account) = try await openInvitation(token) else { return invitationGone(env) }
        let (csrf, cookies) = try preSessionToken(request)
        let issuer = try await services.issuing.issuer(id: inv.issuerID)
        let label = MemberRoles.label(inv.role)
        var data: [String: Any] = [
            "token": token, "formCSRF": csrf, "name": account.displayName, "email": account.login,
            "issuerName": issuer?.name ?? inv.issuerID, "role": env.text(label.fr, label.en),
            "expires": WebDates.display(inv.expiresAt, english: env.english, time: false),
            "minLength": Portfolio.minPasswordLength,
        ]
        if let error { data["error"] = error }
        return render(
            "members.invitation", env, title: env.text("Rejoindre l'équipe", "Join the staff"),
            status: error == nil ? .ok : .unprocessableContent, data, cookies: cookies)
    }

    /// Sets the password, uses up the link and opens a session on `/trainer`.
    func acceptInvitation(_ env: Env, _ request: Request, _ context: AppRequestContext, token: String) async throws
        -> Response
    {
        guard try await openInvitation(token) != nil else { return invitationGone(env) }
        let form = try await preSessionForm(env, request, context)
        let password = form["password"]
        if let problem = PasswordRules.problem(password, confirm: form["confirm"]) {
            return try await invitationPage(env, request, token: token, error: env.language.text(problem))
        }
        guard let hash = try await hashChosenPassword(password) else { return busyPage(env) }
        guard
            let account = try await services.db.acceptStaffInvitation(
                tokenHash: Members.hash(token), passwordHash: hash)
        else { return invitationGone(env) }
        return try await signIn(account, env, goTo: "/trainer")
    }
}
