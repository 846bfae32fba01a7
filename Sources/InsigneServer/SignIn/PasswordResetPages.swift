import Foundation
import HTTPTypes
import Hummingbird
import InsigneStore
import OpenBadges
import OpenBadgesCrypto

/// « Mot de passe oublié ? »: `/login/forgot` asks for an address and always answers the same neutral page;
/// `/password/reset/{token}` chooses the new password, ends every session of the account and signs it in.
/// Requests are limited per client address and per target address, and take at least `minimumAnswerTime`.
struct PasswordResetPages: PasswordChoosingPages {
    let services: ServerServices
    /// Where password hashing runs.
    var hasher = PasswordHashingPool.shared
    /// Who a request comes from (tests substitute their own).
    var clientSource: @Sendable (Request, AppRequestContext) -> SignInSource = { _, context in SignInSource(context) }
    /// Requests per client address: 10 at once, then 10 an hour.
    let perClient = RateLimiter(capacity: 10, perMinute: 10.0 / 60)
    /// Requests per target address: 3 at once, then 3 an hour.
    let perAddress = RateLimiter(capacity: 3, perMinute: 3.0 / 60)
    /// The time both limits read (tests fix it).
    var now: @Sendable () -> Date = { Date() }
    /// Every request takes at least this long, whether or not an account has the address.
    var minimumAnswerTime: TimeInterval = 0.25

    var reset: PasswordReset { PasswordReset(services: services) }

    /// Adds the forgotten-password pages to the public pages.
    func addRoutes(to routes: AppRoutes) {
        routes.publicPages.get("/login/forgot") { req, ctx in try forgotPage(ctx.env, req) }
        routes.publicPages.post("/login/forgot") { req, ctx in try await requestReset(ctx.env, req, ctx) }
        routes.publicPages.get("/password/reset/{token}") { req, ctx in
            try await resetPage(ctx.env, req, token: ctx.parameters.get("token") ?? "")
        }
        routes.publicPages.post("/password/reset/{token}") { req, ctx in
            try await chooseNewPassword(ctx.env, req, ctx, token: ctx.parameters.get("token") ?? "")
        }
    }

    /// The form asking for the address (or, `sent`, the neutral answer).
    func forgotPage(
        _ env: Env, _ request: Request, email: String = "", error: String? = nil, sent: String? = nil,
        status: HTTPResponse.Status = .ok
    ) throws -> Response {
        let (csrf, cookies) = try preSessionToken(request)
        var data: [String: Any] = ["formCSRF": csrf, "email": email]
        if let error { data["error"] = error }
        if let sent { data["sent"] = ["where": sent] }
        return render(
            "signin.forgot", env, title: env.text("Mot de passe oublié", "Forgotten password"), status: status, data,
            cookies: cookies)
    }

    /// A request: CSRF, limits, then the same neutral page whether or not an account has the address.
    func requestReset(_ env: Env, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        let started = Date()
        let form = try await preSessionForm(env, request, context)
        let email = EmailNormalization.normalize(form["email"])
        guard email.count <= 320, Validation.isEmail(email) else {
            return try forgotPage(
                env, request, email: String(email.prefix(320)),
                error: env.text(
                    "Adresse électronique invalide : vérifiez-la (exemple : prenom.nom@exemple.fr).",
                    "Invalid email address: check it (for example: first.last@example.org)."),
                status: .unprocessableContent)
        }
        let source = clientSource(request, context).key
        if let wait = perClient.take("client:" + source, now: now()) ?? perAddress.take("address:" + email, now: now())
        {
            let delay = SignInPages.delayText(wait)
            var response = try forgotPage(
                env, request, email: email,
                error: env.text(
                    "Trop de demandes de nouveau mot de passe : réessayez dans \(delay.fr).",
                    "Too many new password requests: try again in \(delay.en)."),
                status: .tooManyRequests)
            response.headers[.retryAfter] = String(wait)
            return response
        }
        try await reset.request(email: email)
        let elapsed = Date().timeIntervalSince(started)
        if elapsed < minimumAnswerTime {
            try await Task.sleep(nanoseconds: UInt64((minimumAnswerTime - elapsed) * 1_000_000_000))
        }
        return try forgotPage(env, request, email: email, sent: whereMessagesGo(env, email))
    }

    /// Where a message to `email` would go, said without telling whether it was sent.
    func whereMessagesGo(_ env: Env, _ email: String) -> String {
        if services.mailer.smtp != nil {
            return env.text(
                "Si un compte correspond à l'adresse \(email), un message vient d'y être envoyé avec un lien valable 1 heure. Pensez à regarder dans les indésirables.",
                "If an account matches the address \(email), a message was just sent to it with a link valid for 1 hour. Check the spam folder too."
            )
        }
        let folder = services.mailer.outbox.directory.path
        return env.text(
            "Si un compte correspond à l'adresse \(email), un message vient d'y être préparé avec un lien valable 1 heure. Aucun serveur de courrier n'est configuré : les messages sont déposés dans le dossier \(folder) du serveur, que l'exploitant du service vous transmettra.",
            "If an account matches the address \(email), a message was just prepared for it with a link valid for 1 hour. No mail server is configured: messages are written to the server's folder \(folder), which the service's operator will pass on to you."
        )
    }

    /// The page for a used, expired or unknown link: it offers a new request.
    func linkGone(_ env: Env) -> Response {
        render(
            "signin.reset", env, title: env.text("Lien expiré", "Link expired"), status: .gone, ["gone": true])
    }

    /// The form choosing the new password.
    func resetPage(_ env: Env, _ request: Request, token: String, error: String? = nil) async throws -> Response {
        guard let account = try await reset.account(token: token) else { return linkGone(env) }
        let (csrf, cookies) = try preSessionToken(request)
        var data: [String: Any] = [
            "formCSRF": csrf, "token": token, "login": account.login, "name": account.displayName,
            "minLength": PasswordRules.minLength,
        ]
        if let error { data["error"] = error }
        return render(
            "signin.reset", env, title: env.text("Nouveau mot de passe", "New password"),
            status: error == nil ? .ok : .unprocessableContent, data, cookies: cookies)
    }

    /// Sets the new password: every session of the account ends, a new one opens here, the owner is told.
    func chooseNewPassword(_ env: Env, _ request: Request, _ context: AppRequestContext, token: String) async throws
        -> Response
    {
        let form = try await preSessionForm(env, request, context)
        guard try await reset.account(token: token) != nil else { return linkGone(env) }
        if let problem = PasswordRules.problem(form["password"], confirm: form["confirm"]) {
            return try await resetPage(env, request, token: token, error: env.language.text(problem))
        }
        let password = form["password"]
        guard let hash = try await hashChosenPassword(password) else { return busyPage(env) }
        guard let account = try await reset.complete(token: token, passwordHash: hash) else { return linkGone(env) }
        _ = try await reset.notifyChanged(account)
        return try await signIn(account, env, goTo: "/account?done=reset")
    }
}
