import Foundation
import HTTPTypes
import Hummingbird
import InsigneStore
import OpenBadges

/// A validated authorisation request (RFC 6749 §4.1.1 with PKCE S256, Badge Connect 2.1 §4.4).
struct AuthorizationRequest: Sendable {
    /// The registered client.
    var client: OAuthClientRecord
    /// One of its registered redirect URIs.
    var redirectURI: String
    /// The client's opaque state, returned as is.
    var state: String?
    /// The scopes asked for, within those registered.
    var scopes: [String]
    /// The PKCE S256 code challenge.
    var challenge: String

    /// Where the browser goes back to, with `extra` parameters and the state.
    func redirect(_ extra: [(String, String?)]) -> String {
        OAuth.redirect(redirectURI, extra + [("state", state)])
    }
}

/// The learner's side of Badge Connect: the consent page (`/oauth/authorize`) and the list of connected
/// applications (`/backpack/apps`), where access is withdrawn. The API itself is `BadgeConnectController`.
struct BadgeConnectPages: PageFeature {
    let services: ServerServices

    /// Clients, consents and tokens.
    var oauthStore: OAuthStore { OAuthStore(db: services.db) }

    /// Adds the consent and connected-applications pages to their route groups.
    func addRoutes(to routes: AppRoutes) {
        routes.publicPages.get("/oauth/authorize") { req, ctx in
            let env = ctx.env
            return try await authorize(env, req) { req.uri.queryParameters.get($0) }
        }
        routes.publicPages.post("/oauth/authorize") { req, ctx in
            let env = ctx.env
            guard env.account != nil else { throw sessionExpired }
            let form = try await self.form(req, ctx, env)
            return try await authorize(env, req, decision: form["decision"]) { form.values[$0]?.first }
        }
        routes.signedInPages.get("/backpack/apps") { req, ctx in try await appsPage(ctx.env, req) }
        routes.signedInPages.post("/backpack/apps/revoke") { req, ctx in
            let env = ctx.env
            let form = try await self.form(req, ctx, env)
            try await oauthStore.revokeClient(form["client_id"], accountID: try learner(env).id)
            return redirect("/backpack/apps?revoked=1")
        }
    }

    /// A consent posted without a session (it expired while the page was open).
    var sessionExpired: PageError {
        PageError(
            status: .forbidden, fr: "Votre session a expiré : reconnectez-vous puis recommencez depuis l'application.",
            en: "Your session has expired: sign in again and start over from the application.")
    }

    /// Validates the request: an unknown client or redirect URI is an error page (the browser is never sent to an
    /// unregistered address); other mistakes go back to the client as `error=…`.
    func authorizationRequest(_ param: (String) -> String?) async throws -> Result<AuthorizationRequest, OAuthError> {
        guard let clientID = param("client_id"), !clientID.isEmpty, clientID.count <= 200,
            let client = try await oauthStore.client(id: clientID)
        else {
            throw PageError.badRequest(
                "Application inconnue : la demande de connexion ne vient pas d'une application enregistrée.",
                "Unknown application: the connection request does not come from a registered application.")
        }
        guard let redirectURI = param("redirect_uri"), OAuth.isRegistered(redirectURI, in: client.redirectURIs) else {
            throw PageError.badRequest(
                "Adresse de retour non enregistrée pour cette application : la demande est refusée.",
                "Return address not registered for this application: the request is refused.")
        }
        let state = param("state")
        guard param("response_type") == "code" else {
            return .failure(OAuthError(code: "unsupported_response_type", description: "response_type must be code"))
        }
        guard param("code_challenge_method") == "S256" else {
            return .failure(.invalidRequest("code_challenge_method must be S256"))
        }
        guard let challenge = param("code_challenge"), OAuth.isValidChallenge(challenge) else {
            return .failure(.invalidRequest("code_challenge is required (43 base64url characters)"))
        }
        let requested = OAuth.scopes(param("scope") ?? "")
        let allowed = OAuth.scopes(client.scopes)
        guard !requested.isEmpty, requested.allSatisfy(allowed.contains) else {
            return .failure(.invalidScope("scope must be a non-empty subset of the client's registered scopes"))
        }
        guard (state?.count ?? 0) <= 1000 else { return .failure(.invalidRequest("state is too long")) }
        return .success(
            AuthorizationRequest(
                client: client, redirectURI: redirectURI, state: state, scopes: OAuth.reduce(requested, to: allowed),
                challenge: challenge))
    }

    /// GET shows the consent page; POST (with `decision`) answers the client with a code or `access_denied`.
    func authorize(
        _ env: Env, _ request: Request, decision: String? = nil, _ param: (String) -> String?
    ) async throws -> Response {
        let auth: AuthorizationRequest
        switch try await authorizationRequest(param) {
        case .failure(let e):
            return redirect(
                OAuth.redirect(
                    param("redirect_uri") ?? "",
                    [("error", e.code), ("error_description", e.description), ("state", param("state"))]))
        case .success(let a): auth = a
        }
        guard let account = env.account else {
            let keys = [
                "response_type", "client_id", "redirect_uri", "scope", "state", "code_challenge",
                "code_challenge_method",
            ]
            let query = keys.compactMap { k in param(k).map { "\(k)=\(Pages.queryEscape($0))" } }.joined(separator: "&")
            return redirect("/login?next=" + Pages.queryEscape("/oauth/authorize?" + query))
        }
        guard account.role == .learner, account.erasedAt == nil else {
            throw PageError(
                status: .forbidden,
                fr:
                    "Seul un compte d'apprenant peut connecter une application à ses badges. Vous êtes "
                    + "connecté(e) avec un compte de formateur ou d'administration : déconnectez-vous puis "
                    + "connectez-vous avec votre compte d'apprenant.",
                en: "Only a learner account can connect an application to its badges. You are signed in with a "
                    + "trainer or administration account: sign out, then sign in with your learner account.")
        }
        switch decision {
        case nil:
            return consentPage(env, request, auth)
        case "approve":
            let code = try await oauthStore.issueCode(
                client: auth.client, accountID: account.id, redirectURI: auth.redirectURI, scopes: auth.scopes,
                challenge: auth.challenge)
            return redirect(auth.redirect([("code", code)]))
        default:
            return redirect(auth.redirect([("error", "access_denied")]))
        }
    }

    /// Plain-language description of a scope.
    static func scopeLabel(_ scope: String, english: Bool) -> String {
        switch (scope, english) {
        case (OAuth.assertionRead, false): "voir les badges de votre espace Insigne"
        case (OAuth.assertionRead, true): "see the badges in your Insigne space"
        case (OAuth.assertionCreate, false):
            "ajouter à votre espace des badges qui vous sont destinés (ils sont vérifiés)"
        case (OAuth.assertionCreate, true): "add badges issued to you to your space (they are verified)"
        case (OAuth.profileRead, false): "connaître votre nom et vos adresses électroniques vérifiées"
        case (OAuth.profileRead, true): "know your name and your verified email addresses"
        case (OAuth.offlineAccess, false):
            "garder cet accès quand vous n'êtes pas connecté(e), jusqu'à ce que vous le retiriez"
        case (OAuth.offlineAccess, true): "keep this access while you are away, until you withdraw it"
        default: scope
        }
    }

    /// The consent page: which application asks, for what, and where the browser goes back.
    func consentPage(_ env: Env, _ request: Request, _ auth: AuthorizationRequest) -> Response {
        let metadata = (try? JSONValue(parsing: Array(auth.client.metadataJSON.utf8))) ?? [:]
        let clientURI = metadata["client_uri"]?.stringValue ?? ""
        var data: [String: Any] = [
            "en": env.english,
            "clientName": metadata["client_name"]?.stringValue ?? auth.client.id,
            "clientURI": clientURI, "clientHost": URLComponents(string: clientURI)?.host ?? "",
            "returnHost": URLComponents(string: auth.redirectURI)?.host ?? "",
            "scopes": auth.scopes.map { ["label": Self.scopeLabel($0, english: env.english)] },
            "fields": [
                ("response_type", "code"), ("client_id", auth.client.id), ("redirect_uri", auth.redirectURI),
                ("scope", auth.scopes.joined(separator: " ")), ("code_challenge", auth.challenge),
                ("code_challenge_method", "S256"),
            ].map { ["name": $0.0, "value": $0.1] } + (auth.state.map { [["name": "state", "value": $0]] } ?? []),
            "langSwitchURL": Pages.languageSwitchHref(request, to: env.english ? "fr" : "en"),
        ]
        if let logo = metadata["logo_uri"]?.stringValue, logo.lowercased().hasPrefix("https://") { data["logo"] = logo }
        let title = env.text("Connecter une application", "Connect an application")
        var r = render("badgeconnect.consent", env, title: title, data)
        // The client's logo lives on its own site.
        r.headers[.contentSecurityPolicy] =
            "default-src 'self'; img-src 'self' data: https:; style-src 'self'; script-src 'self'; "
            + "frame-ancestors 'none'"
        return r
    }

    /// `/backpack/apps`: the applications the learner connected, with the date of consent, each revocable.
    func appsPage(_ env: Env, _ request: Request) async throws -> Response {
        let me = try learner(env)
        let grants = try await oauthStore.grants(accountID: me.id)
        let apps: [[String: Any]] = grants.map { g in
            let metadata = (try? JSONValue(parsing: Array(g.client.metadataJSON.utf8))) ?? [:]
            return [
                "id": g.client.id, "name": metadata["client_name"]?.stringValue ?? g.client.id,
                "uri": metadata["client_uri"]?.stringValue ?? "",
                "since": WebDates.display(g.grantedAt, english: env.english),
                "scopes": g.scopes.map { ["label": Self.scopeLabel($0, english: env.english)] },
            ]
        }
        return render(
            "badgeconnect.apps", env, title: env.text("Applications connectées", "Connected applications"),
            [
                "en": env.english, "apps": apps, "hasApps": !apps.isEmpty,
                "revoked": request.uri.queryParameters.get("revoked") != nil,
            ])
    }
}
