import Foundation
import HTTPTypes
import Hummingbird
import InsigneStore
import OpenBadgesCrypto

/// Signing in and out (`/login`, `/logout`): the login form with its pre-session CSRF cookie, the throttle per
/// login and per address, and password checks on the bounded hashing pool.
struct SignInPages: PageFeature {
    let services: ServerServices
    /// Failed attempts per login and per address.
    let throttle = SignInThrottle()
    /// Where password hashing runs (never on the request's task).
    var hasher = PasswordHashingPool.shared
    /// Who a sign-in attempt comes from (tests substitute their own).
    var signInSource: @Sendable (Request, AppRequestContext) -> SignInSource = { _, context in SignInSource(context) }
    /// The time the throttle reads (tests fix it, so that a slow machine does not outlast a one-second delay).
    var now: @Sendable () -> Date = { Date() }

    /// Adds `/login` (form and attempt) to the public pages and `/logout` to the signed-in pages.
    func addRoutes(to routes: AppRoutes) {
        routes.publicPages.get("/login") { req, ctx in try await loginPage(ctx.env, req) }
        routes.publicPages.post("/login") { req, ctx in try await signIn(ctx.env, req, ctx) }
        routes.signedInPages.post("/logout") { req, ctx in try await signOut(ctx.env, req, ctx) }
    }

    /// A sign-in delay in words: « 1 seconde », « 45 secondes », « 2 minutes » (rounded up).
    static func delayText(_ seconds: Int) -> (fr: String, en: String) {
        if seconds < 60 {
            return seconds > 1 ? ("\(seconds) secondes", "\(seconds) seconds") : ("1 seconde", "1 second")
        }
        let minutes = (seconds + 59) / 60
        return minutes > 1 ? ("\(minutes) minutes", "\(minutes) minutes") : ("1 minute", "1 minute")
    }

    /// The login form (signed-in accounts opening it are sent to their pages).
    func loginPage(
        _ env: Env, _ request: Request, login: String = "", error: String? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        if let account = env.account, request.method == .get {
            return redirect(account.role == .learner ? "/portfolio" : "/trainer")
        }
        var cookies: [String] = []
        var token = request.cookies[Self.loginCSRFCookie]?.value ?? ""
        if token.count != 64 {
            token = try SecureRandom.hex(byteCount: 32)
            cookies.append(WebSecurity.cookie(Self.loginCSRFCookie, token, maxAge: nil, secure: secureCookies))
        }
        var data: [String: Any] = [
            "loginCSRF": token, "login": login,
            "next": WebSecurity.localNext(request.uri.queryParameters.get("next") ?? ""),
        ]
        if let error { data["error"] = error }
        if try await services.db.firstAdminSetupCodeHash() != nil { data["setup"] = true }
        switch request.uri.queryParameters.get("bye") {
        case nil: break
        case "learner": data["notice"] = env.t["signedOutLearner"]
        case "staff": data["notice"] = env.t["signedOutStaff"]
        default: data["notice"] = env.t["signedOut"]
        }
        return render("signin.login", env, title: env.t["signInTitle"]!, status: status, data, cookies: cookies)
    }

    /// A sign-in attempt: CSRF, throttle, password check, then a session and the page the account goes to.
    func signIn(_ env: Env, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        var plain = env
        plain.session = nil  // the login form carries the pre-session token instead
        let form = try await self.form(request, context, plain)
        guard let cookie = request.cookies[Self.loginCSRFCookie]?.value, WebSecurity.equal(form["csrf"], cookie) else {
            throw csrfError
        }
        let login = form["login"].trimmingCharacters(in: .whitespacesAndNewlines)
        let password = form["password"]
        let next = WebSecurity.localNext(form["next"])
        guard !login.isEmpty, login.count <= 200, password.count <= 1000 else {
            return try await loginPage(
                env, request, login: String(login.prefix(200)), error: env.t["badCredentials"], status: .unauthorized)
        }
        let source = signInSource(request, context)
        if let (seconds, reason) = throttle.begin(login: login, source: source, now: now()) {
            let wait = Self.delayText(seconds)
            var response = try await loginPage(
                env, request, login: login,
                error: reason == .source
                    ? env.text(
                        "Trop de tentatives de connexion depuis votre adresse : réessayez dans \(wait.fr).",
                        "Too many sign-in attempts from your address: try again in \(wait.en).")
                    : env.text(
                        "Trop de tentatives pour cet identifiant depuis votre adresse : réessayez dans \(wait.fr).",
                        "Too many attempts for this login from your address: try again in \(wait.en)."),
                status: .tooManyRequests)
            response.headers[.retryAfter] = String(seconds)
            return response
        }
        var settled = false
        defer { if !settled { throttle.abandon(login: login, source: source) } }
        let account = try await services.db.accountForSignIn(login: login)
        // Unknown logins cost one hash too (no enumeration by timing), through the same bounded pool.
        let hash = account?.passwordHash
        let ok: Bool
        do {
            ok = try await hasher.run {
                PasswordHash.verify(password, against: hash ?? Self.dummyHash) && hash != nil
            }
        } catch is PasswordHashingPool.Busy {
            return busyPage(env)
        }
        settled = true
        guard ok, let account else {
            throttle.recordFailure(login: login, source: source, now: now())
            try await services.db.recordFailedSignIn(login: login)
            return try await loginPage(
                env, request, login: login, error: env.t["badCredentials"], status: .unauthorized)
        }
        throttle.recordSuccess(login: login, source: source)
        let (token, _) = try await sessions.create(accountID: account.id)
        try await services.db.recordSignIn(accountID: account.id)
        let learnerNext = next.hasPrefix("/oauth/authorize?") || next.hasPrefix("/claim/") ? next : "/portfolio"
        return redirect(
            account.role == .learner ? learnerNext : next,
            cookies: [
                WebSecurity.cookie(
                    WebSessionStore.cookieName, token, maxAge: Int(WebSessionStore.lifetime), secure: secureCookies),
                WebSecurity.cookie(Self.loginCSRFCookie, "", maxAge: 0, secure: secureCookies),
            ])
    }

    /// The hash checked for unknown logins, so that they cost as much time as known ones.
    static let dummyHash =
        "scrypt$15$8$1$00000000000000000000000000000000$0000000000000000000000000000000000000000000000000000000000000000"

    /// Ends the session and goes back to the login form, with a notice meant for a learner or for staff.
    func signOut(_ env: Env, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try await form(request, context, env)
        if let token = env.sessionToken { try await sessions.delete(token: token) }
        let who = env.account?.role == .learner ? "learner" : "staff"
        return redirect(
            "/login?bye=\(who)",
            cookies: [WebSecurity.cookie(WebSessionStore.cookieName, "", maxAge: 0, secure: secureCookies)])
    }
}
