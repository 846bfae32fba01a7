import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import OpenBadges
import TestSupport
import Testing

@testable import InsigneServer
@testable import InsigneStore

private typealias F = BadgeConnectFixtures

@Suite("Badge Connect OAuth")
struct BadgeConnectOAuthTests {
    // MARK: - Pure rules

    @Test func pkceMatchesTheRFC7636AppendixBVector() {
        #expect(OAuth.challenge(verifier: F.verifier) == F.challenge)
        #expect(OAuth.pkceMatches(verifier: F.verifier, challenge: F.challenge))
        #expect(OAuth.isValidChallenge(F.challenge))
        #expect(!OAuth.pkceMatches(verifier: F.verifier + "x", challenge: F.challenge))
        #expect(!OAuth.pkceMatches(verifier: "too-short", challenge: OAuth.challenge(verifier: "too-short")))
        #expect(!OAuth.isValidChallenge(F.challenge + "="))
        #expect(!OAuth.isValidChallenge("plain-challenge"))
    }

    @Test func redirectURIsMatchExactly() {
        let registered = [F.redirectURI]
        #expect(OAuth.isRegistered(F.redirectURI, in: registered))
        for near in [
            F.redirectURI + "/", F.redirectURI + "?x=1", "https://CLIENT.example/callback",
            "http://client.example/callback",
            "https://client.example/callback/../callback", "https://client.example/call",
            "https://client.example.evil/callback",
        ] {
            #expect(!OAuth.isRegistered(near, in: registered), "\(near)")
        }
    }

    @Test func registrationReducesScopesToWhatIsOffered() throws {
        let unknown = "https://purl.imsglobal.org/spec/ob/v2p1/scope/profile.update"
        var r = try ClientRegistration(
            json: F.registration(scope: "\(OAuth.assertionRead) \(unknown) openid \(OAuth.offlineAccess)"),
            allowLoopbackHTTP: false)
        #expect(r.scopes == [OAuth.assertionRead, OAuth.offlineAccess])
        // offline_access needs the refresh_token grant type.
        r = try ClientRegistration(
            json: F.registration(
                scope: "\(OAuth.assertionRead) \(OAuth.offlineAccess)", grantTypes: ["authorization_code"]),
            allowLoopbackHTTP: false)
        #expect(r.scopes == [OAuth.assertionRead])
        // No scope: everything offered.
        r = try ClientRegistration(json: F.registration(), allowLoopbackHTTP: false)
        #expect(r.scopes == OAuth.offered)
        #expect(throws: OAuthError.invalidClientMetadata("scope: none of the requested scopes is offered")) {
            try ClientRegistration(json: F.registration(scope: unknown), allowLoopbackHTTP: false)
        }
    }

    @Test func registrationRequiresHTTPSOnOneHost() throws {
        func attempt(_ change: (inout [String: JSONValue]) -> Void, loopback: Bool = false) -> String? {
            var o = F.registration().objectValue!
            change(&o)
            do {
                _ = try ClientRegistration(json: .object(o), allowLoopbackHTTP: loopback)
                return nil
            } catch let e as OAuthError {
                return e.code
            } catch {
                return "\(error)"
            }
        }
        #expect(attempt { _ in } == nil)
        #expect(attempt { $0["client_name"] = nil } == "invalid_client_metadata")
        #expect(attempt { $0["software_version"] = 3 } == "invalid_client_metadata")
        #expect(attempt { $0["redirect_uris"] = nil } == "invalid_redirect_uri")
        #expect(attempt { $0["redirect_uris"] = [] } == "invalid_client_metadata")
        #expect(attempt { $0["tos_uri"] = "http://client.example/cgu" } == "invalid_client_metadata")
        #expect(attempt { $0["logo_uri"] = "https://cdn.example/logo.png" } == "invalid_client_metadata")
        #expect(attempt { $0["redirect_uris"] = ["https://other.example/cb"] } == "invalid_redirect_uri")
        #expect(attempt { $0["redirect_uris"] = ["https://client.example/cb#frag"] } == "invalid_redirect_uri")
        #expect(attempt { $0["grant_types"] = ["implicit"] } == "invalid_client_metadata")
        #expect(attempt { $0["response_types"] = ["token"] } == "invalid_client_metadata")
        #expect(attempt { $0["token_endpoint_auth_method"] = "none" } == "invalid_client_metadata")
        // Loopback http redirect URIs only when private networks are allowed (tests, intranet), on the same host.
        func loopback(_ o: inout [String: JSONValue]) {
            for k in ["client_uri", "logo_uri", "tos_uri", "policy_uri"] {
                o[k] = .string(o[k]!.stringValue!.replacingOccurrences(of: "client.example", with: "127.0.0.1"))
            }
            o["redirect_uris"] = ["http://127.0.0.1:8765/callback"]
        }
        #expect(attempt(loopback) == "invalid_redirect_uri")
        #expect(attempt(loopback, loopback: true) == nil)
        #expect(
            attempt({ $0["redirect_uris"] = ["http://client.example/callback"] }, loopback: true)
                == "invalid_redirect_uri")
    }

    // MARK: - Codes and tokens (store)

    struct Setup {
        let store: OAuthStore
        let client: OAuthClientRecord
        let learner: AccountRecord
    }

    func setup(scope: String = F.allScopes) async throws -> (WebHarness, Setup) {
        let h = try await WebHarness.make(publicURL: F.publicURL)
        let learner = try await h.addLearner()
        let store = OAuthStore(db: h.services.db)
        let (client, _) = try await store.register(
            try ClientRegistration(json: F.registration(scope: scope), allowLoopbackHTTP: false))
        return (h, Setup(store: store, client: client, learner: learner))
    }

    func code(_ s: Setup, scopes: [String] = OAuth.offered, now: Date = Date()) async throws -> String {
        try await s.store.issueCode(
            client: s.client, accountID: s.learner.id, redirectURI: F.redirectURI, scopes: scopes,
            challenge: F.challenge,
            now: now)
    }

    func exchangeError(_ s: Setup, _ code: String, redirect: String = F.redirectURI, verifier: String = F.verifier)
        async throws -> String?
    {
        do {
            _ = try await s.store.exchange(
                code: code, client: s.client, redirectURI: redirect, verifier: verifier, scope: nil)
            return nil
        } catch let e as OAuthError {
            return e.code
        }
    }

    @Test func codesAreHashedSingleUseAndReuseRevokesTheGrant() async throws {
        let (h, s) = try await setup()
        let code = try await code(s)
        let stored = try await h.services.db.writer.read { db in try OAuthCodeRecord.fetchAll(db) }
        #expect(stored.count == 1)
        #expect(stored[0].codeHash == OAuth.hash(code) && stored[0].codeHash != code)
        #expect(stored[0].expiresAt.timeIntervalSinceNow <= 600)
        let tokens = try await s.store.exchange(
            code: code, client: s.client, redirectURI: F.redirectURI, verifier: F.verifier, scope: nil)
        #expect(tokens.refreshToken != nil)
        #expect(try await s.store.accessToken(tokens.accessToken) != nil)
        // No secret is stored in clear.
        let hashes = try await h.services.db.writer.read { db in
            try String.fetchAll(db, sql: "SELECT tokenHash FROM oauthToken")
        }
        #expect(Set(hashes) == [OAuth.hash(tokens.accessToken), OAuth.hash(tokens.refreshToken!)])
        // Replaying the code: invalid_grant, and the tokens it gave are revoked.
        #expect(try await exchangeError(s, code) == "invalid_grant")
        #expect(try await s.store.accessToken(tokens.accessToken) == nil)
        do {
            _ = try await s.store.refresh(token: tokens.refreshToken!, client: s.client, scope: nil)
            Issue.record("refresh after code replay")
        } catch let e as OAuthError {
            #expect(e.code == "invalid_grant")
        }
    }

    @Test func codesCheckExpiryRedirectURIAndVerifier() async throws {
        let (_, s) = try await setup()
        let old = try await code(s, now: Date().addingTimeInterval(-601))
        #expect(try await exchangeError(s, old) == "invalid_grant")
        #expect(try await exchangeError(s, try await code(s), redirect: F.redirectURI + "/") == "invalid_grant")
        let other = "M25iVXpKU3puUjFaYWg3T1NDTDQtcW1ROUY5YXlwalNoc0hhakxifmZHag"
        #expect(try await exchangeError(s, try await code(s), verifier: other) == "invalid_grant")
        #expect(try await exchangeError(s, "unknown-code") == "invalid_grant")
    }

    @Test func refreshRotatesAndMayNarrowTheScope() async throws {
        let (_, s) = try await setup()
        let first = try await s.store.exchange(
            code: try await code(s), client: s.client, redirectURI: F.redirectURI, verifier: F.verifier, scope: nil)
        let second = try await s.store.refresh(
            token: first.refreshToken!, client: s.client, scope: [OAuth.assertionRead, OAuth.offlineAccess])
        #expect(second.scopes == [OAuth.assertionRead, OAuth.offlineAccess])
        #expect(second.refreshToken != nil && second.refreshToken != first.refreshToken)
        let token = try #require(try await s.store.accessToken(second.accessToken))
        #expect(token.0.scopes == "\(OAuth.assertionRead) \(OAuth.offlineAccess)")
        // Widening is refused.
        do {
            _ = try await s.store.refresh(token: second.refreshToken!, client: s.client, scope: OAuth.offered)
            Issue.record("scope widened")
        } catch let e as OAuthError {
            #expect(e.code == "invalid_scope")
        }
        // The rotated token is dead; replaying it revokes the whole grant.
        do {
            _ = try await s.store.refresh(token: first.refreshToken!, client: s.client, scope: nil)
            Issue.record("old refresh token accepted")
        } catch let e as OAuthError {
            #expect(e.code == "invalid_grant")
        }
        #expect(try await s.store.accessToken(second.accessToken) == nil)
    }

    @Test func clientSecretsAreCheckedAgainstTheirHash() async throws {
        let h = try await WebHarness.make(publicURL: F.publicURL)
        let store = OAuthStore(db: h.services.db)
        let (client, secret) = try await store.register(
            try ClientRegistration(json: F.registration(), allowLoopbackHTTP: false))
        #expect(client.secretHash == OAuth.hash(secret))
        #expect(try await store.authenticate(clientID: client.id, secret: secret).id == client.id)
        await #expect(throws: OAuthError.invalidClient) {
            try await store.authenticate(clientID: client.id, secret: "x")
        }
        await #expect(throws: OAuthError.invalidClient) {
            try await store.authenticate(clientID: "nope", secret: secret)
        }
    }

    // MARK: - HTTP

    @Test func revokedOrMissingTokensGet401AndMissingScopes403() async throws {
        let (h, s) = try await setup(scope: "\(OAuth.assertionRead) \(OAuth.offlineAccess)")
        let tokens = try await s.store.exchange(
            code: try await code(s, scopes: [OAuth.assertionRead]), client: s.client, redirectURI: F.redirectURI,
            verifier: F.verifier, scope: nil)
        #expect(tokens.refreshToken == nil)  // offline_access not granted
        let errorSchema = try F.ob21Schema("getprofile-400-401-404-405-500")
        try await h.run { browser in
            let api = APIClient(client: browser.client)
            let ok = try await api.badgeConnect(.get, "/assertions", token: tokens.accessToken)
            #expect(ok.status == .ok)
            let denied = try await api.badgeConnect(.get, "/profile", token: tokens.accessToken)
            #expect(denied.status == .forbidden)
            #expect(denied.json["status"]?["statusText"] == "PERMISSION_DENIED")
            #expect(denied.headers[.wwwAuthenticate]?.contains("insufficient_scope") == true)
            F.expectValid(denied.json, errorSchema)
            let missing = try await api.badgeConnect(.get, "/profile", token: nil)
            #expect(missing.status == .unauthorized)
            #expect(missing.headers[.wwwAuthenticate] == "Bearer realm=\"insigne\"")
            F.expectValid(missing.json, errorSchema)
            // An admin API token is not an OAuth access token.
            let admin = try await api.badgeConnect(.get, "/assertions", token: "t")
            #expect(admin.status == .unauthorized)
            try await s.store.revokeClient(s.client.id, accountID: s.learner.id)
            let revoked = try await api.badgeConnect(.get, "/assertions", token: tokens.accessToken)
            #expect(revoked.status == .unauthorized)
            #expect(revoked.json["status"]?["statusText"] == "UNAUTHENTICATED")
            #expect(revoked.headers[.wwwAuthenticate]?.contains("invalid_token") == true)
            F.expectValid(revoked.json, try F.ob21Schema("getassertions-400-401-404-405-500"))
        }
    }

    @Test func tokenEndpointAuthenticatesClientsAndAnswersRFCErrors() async throws {
        let h = try await WebHarness.make(publicURL: F.publicURL)
        let learner = try await h.addLearner()
        let store = OAuthStore(db: h.services.db)
        let (client, secret) = try await store.register(
            try ClientRegistration(json: F.registration(), allowLoopbackHTTP: false))
        let errorSchema = try F.oauthSchema("error-response")
        try await h.run { browser in
            let api = APIClient(client: browser.client)
            func error(_ r: APIResponse) -> String? {
                F.expectValid(r.json, errorSchema)
                #expect(r.headers[.cacheControl] == "no-store")
                return r.json["error"]?.stringValue
            }
            let code = try await store.issueCode(
                client: client, accountID: learner.id, redirectURI: F.redirectURI, scopes: [OAuth.assertionRead],
                challenge: F.challenge)
            let exchange = [
                ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", F.redirectURI),
                ("code_verifier", F.verifier),
            ]
            let both = try await api.oauthForm(
                "/oauth/token", exchange + [("client_secret", secret)], basic: (client.id, secret))
            #expect(error(both) == "invalid_request")
            let unsupported = try await api.oauthForm(
                "/oauth/token", [("grant_type", "password")], basic: (client.id, secret))
            #expect(error(unsupported) == "unsupported_grant_type")
            let noVerifier = try await api.oauthForm(
                "/oauth/token", Array(exchange.dropLast()), basic: (client.id, secret))
            #expect(error(noVerifier) == "invalid_request")
            // client_secret_post is accepted too.
            let posted = try await api.oauthForm(
                "/oauth/token", exchange + [("client_id", client.id), ("client_secret", secret)], basic: nil)
            #expect(posted.status == .ok)
            #expect(posted.json["scope"]?.stringValue == OAuth.assertionRead)
            #expect(posted.json["refresh_token"] == nil)
            // Registration bodies are limited to 64 KiB.
            var big = F.registration().objectValue!
            big["client_name"] = .string(String(repeating: "x", count: 70_000))
            let tooBig = try await api.call(
                .post, "/oauth/register", token: nil, headers: F.tls, body: JSONValue.object(big).encoded())
            #expect(tooBig.status == .contentTooLarge)
            let notJSON = try await api.call(
                .post, "/oauth/register", token: nil, headers: F.tls, body: Array("{".utf8))
            #expect(error(notJSON) == "invalid_client_metadata")
            // Registration needs no credentials, so it is rate-limited per client address.
            var last = notJSON
            // Up to the first 429: the bucket of 20 refills one try per 3 s, so a slow machine needs more than 20.
            for _ in 0..<200 where last.status != .tooManyRequests {
                last = try await api.call(
                    .post, "/oauth/register", token: nil, headers: F.tls, body: F.registration().encoded())
            }
            #expect(last.status == .tooManyRequests)
            #expect(last.headers[.retryAfter] != nil)
            #expect(error(last) == "temporarily_unavailable")
        }
    }

    @Test func httpsDeploymentsRefusePlainHTTPRequests() async throws {
        let https = try await WebHarness.make(publicURL: F.publicURL)
        try await https.run { browser in
            let api = APIClient(client: browser.client)
            let plain = try await api.call(.get, "/.well-known/badgeconnect.json", token: nil)
            #expect(plain.status == .misdirectedRequest)
            let proxied = try await api.call(.get, "/.well-known/badgeconnect.json", token: nil, headers: F.tls)
            #expect(proxied.status == .ok)
            let token = try await api.call(
                .post, "/oauth/token", token: nil, contentType: "application/x-www-form-urlencoded",
                body: Array("grant_type=authorization_code".utf8))
            #expect(token.status == .misdirectedRequest)
            #expect(token.json["error"] == "invalid_request")
            let data = try await api.call(.get, "/ims/ob/v2p1/profile", token: nil)
            #expect(data.status == .misdirectedRequest)
        }
        let http = try await WebHarness.make()
        try await http.run { browser in
            let r = try await APIClient(client: browser.client).call(.get, "/.well-known/badgeconnect.json", token: nil)
            #expect(r.status == .ok)
            #expect(r.json["badgeConnectAPI"]?.arrayValue?.first?["apiBase"] == "http://127.0.0.1:8080/ims/ob/v2p1")
        }
    }

    @Test func unknownClientsAndRedirectURIsNeverRedirect() async throws {
        let (h, s) = try await setup()
        try await h.run { browser in
            let base =
                "/oauth/authorize?response_type=code&code_challenge_method=S256&code_challenge=\(F.challenge)"
                + "&scope=\(Pages.queryEscape(OAuth.assertionRead))&state=s1"
            let unknownClient = try await browser.get(
                base + "&client_id=nope&redirect_uri=\(Pages.queryEscape(F.redirectURI))")
            #expect(unknownClient.status == .badRequest)
            #expect(unknownClient.location == nil)
            let unknownURI = try await browser.get(
                base + "&client_id=\(s.client.id)&redirect_uri=\(Pages.queryEscape("https://client.example/other"))")
            #expect(unknownURI.status == .badRequest)
            #expect(unknownURI.location == nil)
            // Known client and URI: other mistakes go back to the client, even before sign-in.
            let plain = try await browser.get(
                base.replacingOccurrences(of: "S256", with: "plain")
                    + "&client_id=\(s.client.id)&redirect_uri=\(Pages.queryEscape(F.redirectURI))")
            let q = F.query(try #require(plain.location))
            #expect(plain.location?.hasPrefix(F.redirectURI + "?") == true)
            #expect(q["error"] == "invalid_request" && q["state"] == "s1")
            let wide = try await browser.get(
                base.replacingOccurrences(of: Pages.queryEscape(OAuth.assertionRead), with: "profile.update")
                    + "&client_id=\(s.client.id)&redirect_uri=\(Pages.queryEscape(F.redirectURI))")
            #expect(F.query(try #require(wide.location))["error"] == "invalid_scope")
            let noChallenge = try await browser.get(
                base.replacingOccurrences(of: "&code_challenge=\(F.challenge)", with: "")
                    + "&client_id=\(s.client.id)&redirect_uri=\(Pages.queryEscape(F.redirectURI))")
            #expect(F.query(try #require(noChallenge.location))["error"] == "invalid_request")
            // All good but signed out: to the sign-in page, then back here.
            let signIn = try await browser.get(
                base + "&client_id=\(s.client.id)&redirect_uri=\(Pages.queryEscape(F.redirectURI))")
            #expect(signIn.location?.hasPrefix("/login?next=%2Foauth%2Fauthorize%3F") == true)
        }
    }

    @Test func onlyLearnersMayConsentAndTheFormNeedsItsCSRFToken() async throws {
        let (h, s) = try await setup()
        let uri =
            "/oauth/authorize?response_type=code&client_id=\(s.client.id)"
            + "&redirect_uri=\(Pages.queryEscape(F.redirectURI))&scope=\(Pages.queryEscape(OAuth.assertionRead))"
            + "&code_challenge=\(F.challenge)&code_challenge_method=S256&state=abc"
        try await h.run { browser in
            try await browser.signIn()
            let trainer = try await browser.get(uri)
            #expect(trainer.status == .forbidden)
            #expect(trainer.body.contains("Seul un compte d&#39;apprenant"))
        }
        try await h.run { browser in
            _ = try await browser.get("/login")
            _ = try await browser.post(
                "/login", [("login", F.learnerLogin), ("password", F.learnerPassword), ("next", "")])
            let consent = try await browser.get(uri)
            #expect(consent.status == .ok)
            let fields = [
                ("client_id", s.client.id), ("redirect_uri", F.redirectURI), ("scope", OAuth.assertionRead),
                ("code_challenge", F.challenge), ("code_challenge_method", "S256"), ("response_type", "code"),
                ("state", "abc"), ("decision", "approve"),
            ]
            let forged = try await browser.post("/oauth/authorize", fields, csrf: "0123")
            #expect(forged.status == .forbidden)
            #expect(forged.location == nil)
            let denied = try await browser.post("/oauth/authorize", Array(fields.dropLast()) + [("decision", "deny")])
            #expect(F.query(try #require(denied.location)) == ["error": "access_denied", "state": "abc"])
            let codes = try await h.services.db.writer.read { db in try OAuthCodeRecord.fetchCount(db) }
            #expect(codes == 0)
        }
    }
}
