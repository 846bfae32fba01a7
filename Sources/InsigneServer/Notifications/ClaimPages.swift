import Foundation
import HTTPTypes
import Hummingbird
import InsigneStore
import OpenBadges
import OpenBadgesCrypto

/// The claim link of an award notification (`/claim/{token}`): a signed-in learner adds the badge to their
/// backpack (the award's address becomes one of their confirmed addresses: the link proves the mailbox); anyone
/// else signs in first (« J'ai déjà un compte ») or creates their backpack account with that address confirmed.
/// A revoked award, a spent or expired link, or an address of another account are refused with a clear page.
struct ClaimPages: PasswordChoosingPages {
    let services: ServerServices
    /// Password hashing, off the request's task.
    let hasher: PasswordHashingPool

    /// Adds the claim pages (public: the person may have no account yet).
    func addRoutes(to routes: AppRoutes) {
        routes.publicPages.get("/claim/{token}") { req, ctx in
            try await claimPage(ctx.env, req, token: ctx.parameters.get("token") ?? "")
        }
        routes.publicPages.post("/claim/{token}") { req, ctx in
            try await claim(ctx.env, req, ctx, token: ctx.parameters.get("token") ?? "")
        }
        routes.publicPages.post("/claim/{token}/account") { req, ctx in
            try await createAccount(ctx.env, req, ctx, token: ctx.parameters.get("token") ?? "")
        }
    }

    /// The refusal page of an outcome (never `.claimed`).
    func refusal(_ outcome: ClaimOutcome) -> PageError {
        switch outcome {
        case .revoked:
            PageError(
                status: .gone,
                fr: "Ce badge a été révoqué par son émetteur : il ne peut plus être ajouté à un sac à badges.",
                en: "This badge was revoked by its issuer: it can no longer be added to a backpack.")
        case .alreadyClaimed:
            PageError(
                status: .gone,
                fr:
                    "Ce badge a déjà été ajouté à un sac à badges : connectez-vous au compte qui l'a récupéré pour le retrouver.",
                en: "This badge was already added to a backpack: sign in to the account that claimed it to find it.")
        case .addressOfAnotherAccount:
            PageError(
                status: .conflict,
                fr:
                    "Ce badge a été attribué à une adresse qui appartient à un autre compte Insigne : il n'a pas été ajouté au vôtre. Connectez-vous avec ce compte-là.",
                en:
                    "This badge was awarded to an address that belongs to another Insigne account: it was not added to yours. Sign in with that account."
            )
        case .unknown, .claimed:
            PageError(
                status: .notFound,
                fr: "Ce lien n'est pas valide ou a expiré. Demandez à l'émetteur de vous renvoyer la notification.",
                en: "This link is not valid or has expired. Ask the issuer to send you the notification again.")
        }
    }

    /// The live claim of a token, or the refusal page.
    func details(_ token: String) async throws -> ClaimDetails {
        guard token.count == 64, token.allSatisfy(\.isHexDigit),
            let d = try await services.db.claimDetails(tokenHash: Notifier.hash(token)),
            d.token.expiresAt > Date(), !d.assertion.recipientEmail.isEmpty
        else { throw refusal(.unknown) }
        if d.assertion.isRevoked { throw refusal(.revoked) }
        if d.token.claimedAt != nil { throw refusal(.alreadyClaimed) }
        return d
    }

    /// The page: the badge, then the learner's button, or the two ways in for someone not signed in.
    func claimPage(_ env: Env, _ request: Request, token: String, error: String? = nil) async throws -> Response {
        let d = try await details(token)
        var data: [String: Any] = [
            "token": token, "badge": d.badgeClass?.name ?? d.assertion.badgeClassID,
            "issuer": d.issuer?.name ?? "", "email": d.token.email,
            "image": "/badges/\(d.assertion.badgeClassID)/image", "hosted": services.urls.assertion(d.assertion.id),
            "issued": WebDates.display(obDate: d.assertion.issuedOn, english: env.english) ?? d.assertion.issuedOn,
            "loginURL": "/login?next=" + WebForm.encode("/claim/\(token)"),
        ]
        var cookies: [String] = []
        if let a = env.account {
            if a.role == .learner { data["learner"] = ["name": a.displayName] } else { data["staff"] = true }
        } else {
            let (csrf, set) = try preSessionToken(request)
            cookies = set
            data["formCSRF"] = csrf
            data["anonymous"] = true
            if try await services.db.liveLearner(login: d.token.email) == nil { data["canCreate"] = true }
        }
        if let error { data["error"] = error }
        return renderPortfolio(
            "notifications.claim", env, title: env.text("Récupérer votre badge", "Claim your badge"),
            status: error == nil ? .ok : .unprocessableContent, data, cookies: cookies)
    }

    /// A signed-in learner claims the badge into their backpack.
    func claim(_ env: Env, _ request: Request, _ context: AppRequestContext, token: String) async throws -> Response {
        _ = try await form(request, context, env)
        guard let me = env.account, me.role == .learner, me.erasedAt == nil else {
            return redirect("/claim/\(token)")
        }
        _ = try await details(token)
        let outcome = try await services.db.claimAward(tokenHash: Notifier.hash(token), accountID: me.id)
        guard case .claimed = outcome else { throw refusal(outcome) }
        return redirect("/backpack?claimed=1")
    }

    /// Creates the backpack account of the award's address (name and password) and signs it in.
    func createAccount(_ env: Env, _ request: Request, _ context: AppRequestContext, token: String) async throws
        -> Response
    {
        let form = try await preSessionForm(env, request, context)
        var plain = env
        plain.session = nil
        _ = try await details(token)
        let name = form["name"].trimmingCharacters(in: .whitespacesAndNewlines)
        let password = form["password"]
        var problem: String?
        if name.isEmpty || name.count > 200 {
            problem = env.text("Nom obligatoire (200 caractères au plus).", "Name required (200 characters at most).")
        } else if let rule = PasswordRules.problem(password, confirm: form["confirm"]) {
            problem = env.language.text(rule)
        }
        if let problem { return try await claimPage(plain, request, token: token, error: problem) }
        guard let hash = try await hashChosenPassword(password) else { return busyPage(env) }
        let created = try await services.db.createLearnerByClaim(
            tokenHash: Notifier.hash(token), displayName: name, passwordHash: hash)
        let account: AccountRecord
        switch created {
        case .success(let a): account = a
        case .failure(let refused): throw refusal(refused.outcome)
        }
        return try await signIn(account, env, goTo: "/backpack?claimed=1")
    }
}
