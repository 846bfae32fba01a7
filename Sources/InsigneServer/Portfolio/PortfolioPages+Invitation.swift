import Foundation
import HTTPTypes
import Hummingbird
import InsigneStore
import OpenBadges
import OpenBadgesCrypto

/// Invitations: a trainer's link opens a form where the learner creates their account (or, already a learner of
/// another issuer, joins this one with their password); they are then signed in on their portfolio.
extension PortfolioPages {
    /// Adds the invitation routes (public pages: the learner has no account yet).
    func addInvitationRoutes(to routes: AppRoutes) {
        routes.publicPages.get("/invitation/{token}") { req, ctx in
            try await invitationPage(ctx.env, req, token: ctx.parameters.get("token") ?? "")
        }
        routes.publicPages.post("/invitation/{token}") { req, ctx in
            try await acceptInvitation(ctx.env, req, ctx, token: ctx.parameters.get("token") ?? "")
        }
    }

    /// The answer to an unknown, used or expired invitation.
    var invitationGone: PageError {
        PageError(
            status: .notFound,
            fr:
                "Ce lien d'invitation n'est pas valide : il a expiré ou a déjà servi. Demandez-en un nouveau à votre formateur ou formatrice.",
            en: "This invitation link is not valid: it has expired or was already used. Ask your trainer for a new one."
        )
    }

    /// The invitation form: create a password, or type the one of the account the learner already has.
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

    /// Accepts an invitation: creates the learner account, or enrols the existing one with a second issuer.
    func acceptInvitation(_ env: Env, _ request: Request, _ context: AppRequestContext, token: String) async throws
        -> Response
    {
        guard let invitation = try await portfolio.openInvitation(token) else { throw invitationGone }
        let form = try await preSessionForm(env, request, context)
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
            return try await signIn(account, env, goTo: "/portfolio?welcome=1")
        }
        if let problem = PasswordRules.problem(password, confirm: form["confirm"]) {
            return try await invitationPage(env, request, token: token, error: env.language.text(problem))
        }
        guard let hash = try await hashChosenPassword(password) else { return busyPage(env) }
        guard let account = try await portfolio.accept(token, passwordHash: hash) else { throw invitationGone }
        return try await signIn(account, env, goTo: "/portfolio?welcome=1")
    }
}
