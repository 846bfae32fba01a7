import Foundation
import HTTPTypes
import Hummingbird
import InsigneStore
import OpenBadges
import OpenBadgesCrypto

/// `/setup`: the first administrator chooses the `admin` password (and an e-mail address for resets) without
/// reading the log; see `FirstAdminSetup`. A 404 page once it has served or once `admin` has signed in.
struct FirstAdminSetupPages: PasswordChoosingPages {
    let services: ServerServices
    /// Where password hashing runs.
    var hasher = PasswordHashingPool.shared
    /// Who a request comes from (tests substitute their own).
    var clientSource: @Sendable (Request, AppRequestContext) -> SignInSource = { _, context in SignInSource(context) }
    /// Setup code attempts per client address: 5 at once, then 5 a minute.
    let codeAttempts = RateLimiter(capacity: 5, perMinute: 5)
    /// The time the code attempts' limit reads (tests fix it).
    var now: @Sendable () -> Date = { Date() }

    /// Adds `/setup` to the public pages.
    func addRoutes(to routes: AppRoutes) {
        routes.publicPages.get("/setup") { req, ctx in try await setupPage(ctx.env, req, ctx) }
        routes.publicPages.post("/setup") { req, ctx in try await setUp(ctx.env, req, ctx) }
    }

    /// Whether the request comes from the machine itself.
    func fromLoopback(_ request: Request, _ context: AppRequestContext) -> Bool {
        FirstAdminSetup.fromLoopback(request, client: clientSource(request, context).key)
    }

    /// The stored code hash while `/setup` is available; the 404 page otherwise.
    func available() async throws -> String {
        guard let hash = try await services.db.firstAdminSetupCodeHash() else { throw PageError.notFound() }
        return hash
    }

    /// The form: password twice, an optional address, and the setup code unless the client is the machine itself.
    func setupPage(
        _ env: Env, _ request: Request, _ context: AppRequestContext, email: String = "", error: String? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        _ = try await available()
        let (csrf, cookies) = try preSessionToken(request)
        var data: [String: Any] = [
            "formCSRF": csrf, "email": email, "needsCode": !fromLoopback(request, context),
            "minLength": PasswordRules.minLength, "en": env.english,
        ]
        if let error { data["error"] = error }
        return render(
            "signin.setup", env, title: env.text("Première installation", "First start"), status: status, data,
            cookies: cookies)
    }

    /// Sets the administrator's password, signs them in and sends them to the trainers' dashboard.
    func setUp(_ env: Env, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        let codeHash = try await available()
        let form = try await preSessionForm(env, request, context)
        let email = EmailNormalization.normalize(form["email"])
        func again(_ fr: String, _ en: String, _ status: HTTPResponse.Status) async throws -> Response {
            try await setupPage(
                env, request, context, email: String(email.prefix(320)), error: env.text(fr, en), status: status)
        }
        if !fromLoopback(request, context) {
            if let wait = codeAttempts.take(clientSource(request, context).key, now: now()) {
                let delay = SignInPages.delayText(wait)
                return try await again(
                    "Trop d'essais du code d'installation : réessayez dans \(delay.fr).",
                    "Too many tries of the setup code: try again in \(delay.en).", .tooManyRequests)
            }
            guard FirstAdminSetup.matches(form["code"], hash: codeHash) else {
                return try await again(
                    "Code d'installation incorrect : recopiez celui affiché au démarrage du serveur (et écrit dans le fichier first-start-credentials.txt du dossier de données).",
                    "Wrong setup code: copy the one shown when the server started (also written to first-start-credentials.txt in the data folder).",
                    .forbidden)
            }
        }
        if let problem = PasswordRules.problem(form["password"], confirm: form["confirm"]) {
            return try await again(problem.fr, problem.en, .unprocessableContent)
        }
        guard email.isEmpty || (email.count <= 320 && Validation.isEmail(email)) else {
            return try await again(
                "Adresse électronique invalide : vérifiez-la, ou laissez le champ vide.",
                "Invalid email address: check it, or leave the field empty.", .unprocessableContent)
        }
        let password = form["password"]
        guard let hash = try await hashChosenPassword(password) else { return busyPage(env) }
        guard
            let admin = try await services.db.completeFirstAdminSetup(
                passwordHash: hash, email: email.isEmpty ? nil : email)
        else { throw PageError.notFound() }
        return try await signIn(admin, env, goTo: "/account?done=setup")
    }
}
