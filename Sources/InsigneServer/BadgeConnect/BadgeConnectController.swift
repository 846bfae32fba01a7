import Foundation
import HTTPTypes
import Hummingbird
import InsigneStore
import OpenBadges

/// The Badge Connect 2.1 provider: manifest, RFC 7591 registration, token and revocation endpoints, and the API
/// under `/ims/ob/v2p1` (the consent page and `/backpack/apps` are `BadgeConnectPages`).
///
/// TLS policy: Insigne speaks plain HTTP behind a TLS-terminating proxy. When the public URL is `https`, every
/// Badge Connect request must carry `X-Forwarded-Proto: https` (set by the proxy), else it gets `421 Misdirected
/// Request` as the OB 2.1 OpenAPI says; with an `http` public URL (development, tests) requests are served as is.
struct BadgeConnectController: Sendable {
    let services: ServerServices
    var store: OAuthStore { OAuthStore(db: services.db) }
    var urls: PublicURLs { services.urls }
    static let apiPath = "/ims/ob/v2p1"
    static let bodyLimit = 64 * 1024
    /// Registrations per client address: a burst of 20, then 20 a minute (registration needs no credentials).
    let registrations = RateLimiter(capacity: 20, perMinute: 20)

    /// Adds the routes to the `open` group.
    func addRoutes(to routes: AppRoutes) {
        let router = routes.open
        router.get("/.well-known/badgeconnect.json") { req, _ in
            guard arrivedOverTLS(req) else { return HTTP.text("TLS required\n", status: .misdirectedRequest) }
            var r = HTTP.json(manifest)
            r.headers[.cacheControl] = "public, max-age=3600"
            return r
        }
        router.post("/oauth/register") { req, ctx in
            if let retry = registrations.take(ctx.clientAddress) {
                var r = OAuthError(
                    code: "temporarily_unavailable", description: "too many registrations: retry in \(retry) s",
                    status: .tooManyRequests
                ).response()
                r.headers[.retryAfter] = String(retry)
                return r
            }
            return await oauth(req) { try await registerClient(req) }
        }
        router.post("/oauth/token") { req, _ in await oauth(req) { try await token(req) } }
        router.post("/oauth/revoke") { req, _ in await oauth(req) { try await revoke(req) } }
        router.get("/badge-connect/terms") { req, _ in
            let en = Language(req).english
            return Pages.message(
                request: req, english: en,
                title: en ? "Terms of use (Badge Connect)" : "Conditions d'utilisation (Badge Connect)",
                text: en ? Self.termsEN : Self.termsFR, status: .ok)
        }
        router.get("/badge-connect/privacy") { req, _ in
            let en = Language(req).english
            return Pages.message(
                request: req, english: en, title: en ? "Privacy (Badge Connect)" : "Confidentialité (Badge Connect)",
                text: en ? Self.privacyEN : Self.privacyFR, status: .ok)
        }
        addAPIRoutes(to: router)
    }

    /// True when the request came over TLS, or when the service is not published over https.
    func arrivedOverTLS(_ request: Request) -> Bool {
        guard services.configuration.publicURL.lowercased().hasPrefix("https://") else { return true }
        let proto = request.headers[.init("X-Forwarded-Proto")!]?.split(separator: ",").first
        return proto?.trimmingCharacters(in: .whitespaces).lowercased() == "https"
    }

    // MARK: - Manifest

    /// `/.well-known/badgeconnect.json` (DIGEST §4.2); `@context` as in the spec example.
    var manifest: JSONValue {
        let base = urls.base
        return [
            "@context": "https://purl.imsglobal.org/spec/ob/v2p1/ob_v2p1.jsonld",
            "id": .string(base + "/.well-known/badgeconnect.json"),
            "type": "Manifest",
            "badgeConnectAPI": [
                [
                    "type": "BadgeConnectAPI",
                    "name": "Insigne — Mutuelle Vivre Ensemble",
                    "image": .string(base + "/static/badgeconnect.svg"),
                    "apiBase": .string(base + Self.apiPath),
                    "version": "v2p1",
                    "termsOfServiceUrl": .string(base + "/badge-connect/terms"),
                    "privacyPolicyUrl": .string(base + "/badge-connect/privacy"),
                    "scopesOffered": .array(OAuth.apiScopes.map(JSONValue.string)),
                    "registrationUrl": .string(base + "/oauth/register"),
                    "authorizationUrl": .string(base + "/oauth/authorize"),
                    "tokenUrl": .string(base + "/oauth/token"),
                    "tokenRevocationUrl": .string(base + "/oauth/revoke"),
                ]
            ],
        ]
    }

    // MARK: - OAuth endpoints

    /// Runs an OAuth endpoint: TLS check, RFC error bodies, nothing cached.
    func oauth(_ request: Request, _ body: () async throws -> Response) async -> Response {
        guard arrivedOverTLS(request) else {
            var e = OAuthError.invalidRequest("TLS is required")
            e.status = .misdirectedRequest
            return e.response()
        }
        do {
            return try await body()
        } catch let e as OAuthError {
            return e.response()
        } catch let e as any HTTPResponseError where e.status == .contentTooLarge {
            return OAuthError(
                code: "invalid_request", description: "request body too large (64 KiB at most)",
                status: .contentTooLarge
            ).response()
        } catch let e as JSONSyntaxError {
            return OAuthError.invalidClientMetadata("invalid JSON: \(e.reason)").response()
        } catch {
            return OAuthError(code: "server_error", description: "internal error", status: .internalServerError)
                .response()
        }
    }

    /// `POST /oauth/register` (RFC 7591).
    func registerClient(_ request: Request) async throws -> Response {
        guard APIBody.isJSON(APIBody.mediaType(request)) else {
            throw OAuthError.invalidClientMetadata("Content-Type must be application/json")
        }
        let bytes = Array(try await request.body.collect(upTo: Self.bodyLimit).readableBytesView)
        let registration = try ClientRegistration(
            json: try JSONValue(parsing: bytes, maxDepth: 16),
            allowLoopbackHTTP: services.configuration.allowPrivateNetwork)
        let (client, secret) = try await store.register(registration)
        var o = registration.metadata
        o["client_id"] = .string(client.id)
        o["client_secret"] = .string(secret)
        o["client_id_issued_at"] = .number(client.createdAt.timeIntervalSince1970.rounded(.down))
        o["client_secret_expires_at"] = 0
        return OAuth.json(.object(o), status: .created)
    }

    /// Reads a form body and authenticates the client (`client_secret_basic`, or `client_secret_post`).
    func clientAndForm(_ request: Request) async throws -> (OAuthClientRecord, WebForm) {
        let type = APIBody.mediaType(request)
        guard type == nil || type == "application/x-www-form-urlencoded" else {
            throw OAuthError.invalidRequest("Content-Type must be application/x-www-form-urlencoded")
        }
        let form = WebForm(urlEncoded: Array(try await request.body.collect(upTo: Self.bodyLimit).readableBytesView))
        var credentials: (id: String, secret: String)?
        if let header = request.headers[.authorization] {
            let parts = header.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "basic",
                let decoded = Data(base64Encoded: String(parts[1])).map({ [UInt8]($0) }),
                let colon = decoded.firstIndex(of: UInt8(ascii: ":"))
            else { throw OAuthError.invalidClient }
            // RFC 6749 §2.3.1: both parts are form-urlencoded before Basic encoding.
            credentials = (WebForm.decode(decoded[..<colon]), WebForm.decode(decoded[(colon + 1)...]))
            if form.optional("client_secret") != nil {
                throw OAuthError.invalidRequest("use one client authentication method")
            }
        } else if let id = form.optional("client_id"), let secret = form.optional("client_secret") {
            credentials = (id, secret)
        }
        guard let credentials else { throw OAuthError.invalidClient }
        if let bodyID = form.optional("client_id"), bodyID != credentials.id { throw OAuthError.invalidClient }
        return (try await store.authenticate(clientID: credentials.id, secret: credentials.secret), form)
    }

    /// `POST /oauth/token` (RFC 6749 §4.1.3 with RFC 7636, and §6).
    func token(_ request: Request) async throws -> Response {
        let (client, form) = try await clientAndForm(request)
        let scope = form.optional("scope").map(OAuth.scopes)
        let tokens: OAuthTokenResponse
        switch form["grant_type"] {
        case "authorization_code":
            guard let code = form.optional("code"), let redirectURI = form.optional("redirect_uri"),
                let verifier = form.optional("code_verifier")
            else { throw OAuthError.invalidRequest("code, redirect_uri and code_verifier are required") }
            tokens = try await store.exchange(
                code: code, client: client, redirectURI: redirectURI, verifier: verifier, scope: scope)
        case "refresh_token":
            guard OAuth.scopes(client.scopes).contains(OAuth.offlineAccess) else {
                throw OAuthError(code: "unauthorized_client", description: "this client may not refresh tokens")
            }
            guard let refresh = form.optional("refresh_token") else {
                throw OAuthError.invalidRequest("refresh_token is required")
            }
            tokens = try await store.refresh(token: refresh, client: client, scope: scope)
        case "":
            throw OAuthError.invalidRequest("grant_type is required")
        default:
            throw OAuthError(code: "unsupported_grant_type", description: "authorization_code or refresh_token")
        }
        return OAuth.json(tokens.json)
    }

    /// `POST /oauth/revoke` (RFC 7009): 200 whether or not the token was known.
    func revoke(_ request: Request) async throws -> Response {
        let (client, form) = try await clientAndForm(request)
        guard let token = form.optional("token") else { throw OAuthError.invalidRequest("token is required") }
        if let hint = form.optional("token_type_hint"), hint != "access_token", hint != "refresh_token" {
            throw OAuthError(code: "unsupported_token_type", description: "access_token or refresh_token")
        }
        try await store.revoke(token: token, client: client)
        return OAuth.json([:])
    }

    // MARK: - Texts

    static let termsFR =
        "Badge Connect permet à une application que vous autorisez de lire les badges de votre espace Insigne, d'y "
        + "ajouter des badges vérifiés qui vous sont destinés et de lire votre nom et vos adresses vérifiées. Vous "
        + "choisissez ce que vous autorisez, et vous pouvez retirer cet accès à tout moment depuis « Applications "
        + "connectées » (/backpack/apps)."
    static let termsEN =
        "Badge Connect lets an application you authorise read the badges in your Insigne space, add verified badges "
        + "issued to you, and read your name and verified addresses. You choose what you allow, and you can withdraw "
        + "access at any time from \"Connected applications\" (/backpack/apps)."
    static let privacyFR =
        "Insigne ne transmet à une application que ce que vous avez autorisé, et seulement tant que l'accès n'est "
        + "pas retiré. Les secrets, codes et jetons sont conservés sous forme d'empreinte SHA-256 ; les codes "
        + "d'autorisation expirent au bout de 10 minutes, les jetons d'accès au bout d'une heure."
    static let privacyEN =
        "Insigne gives an application only what you authorised, and only until you withdraw access. Secrets, codes "
        + "and tokens are stored as SHA-256 digests only; authorisation codes expire after 10 minutes, access "
        + "tokens after one hour."
}
