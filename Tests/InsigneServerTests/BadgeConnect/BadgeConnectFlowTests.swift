import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import InsigneStore
import OpenBadges
import TestSupport
import Testing

@testable import InsigneServer

private typealias F = BadgeConnectFixtures

/// A Badge Connect consumer scripted through the router, as a real client would go: every JSON answer is checked
/// against the official OB 2.1 schemas (or the RFC shapes for OAuth).
@Suite("Badge Connect flow")
struct BadgeConnectFlowTests {
    @Test func aConsumerConnectsPushesReadsRefreshesAndIsRevoked() async throws {
        let h = try await WebHarness.make(publicURL: F.publicURL)
        try await h.addLearner()
        let mine = try await h.award(to: F.learnerLogin)
        _ = try await h.award(to: F.learnerLogin)
        let someoneElses = try await h.award(to: "dominique.bernard@example.org")
        let status = try F.ob21Schema("postassertion-200-400-401-404-405-500")
        let assertionsError = try F.ob21Schema("getassertions-400-401-404-405-500")
        let tokenSchema = try F.oauthSchema("token-response")

        try await h.run { browser in
            let api = APIClient(client: browser.client)

            // 1. Discovery.
            let manifest = try await api.call(.get, "/.well-known/badgeconnect.json", token: nil, headers: F.tls)
            #expect(manifest.status == .ok)
            #expect(manifest.json["@context"] == "https://purl.imsglobal.org/spec/ob/v2p1/ob_v2p1.jsonld")
            var stripped = try #require(manifest.json.objectValue)
            stripped["@context"] = nil  // the schema forbids what the spec example carries (DIGEST §4.2)
            F.expectValid(.object(stripped), try F.ob21Schema("getmanifest-200"))
            let entry = try #require(manifest.json["badgeConnectAPI"]?.arrayValue?.first)
            #expect(entry["apiBase"]?.stringValue == F.apiBase)
            let path = { (key: String) in String(entry[key]!.stringValue!.dropFirst(F.publicURL.count)) }
            for (key, type) in [
                ("image", "image/svg+xml"), ("termsOfServiceUrl", "text/html"), ("privacyPolicyUrl", "text/html"),
            ] {
                let r = try await api.call(.get, path(key), token: nil)
                #expect(r.status == .ok && r.contentType.hasPrefix(type), "\(key)")
            }

            // 2. Registration (RFC 7591).
            let reg = try await api.call(
                .post, path("registrationUrl"), token: nil, headers: F.tls, body: F.registration().encoded())
            #expect(reg.status == .created)
            #expect(reg.headers[.cacheControl] == "no-store")
            F.expectValid(reg.json, try F.oauthSchema("client-registration-response"))
            #expect(reg.json["scope"]?.stringValue == F.allScopes)
            let clientID = try #require(reg.json["client_id"]?.stringValue)
            let secret = try #require(reg.json["client_secret"]?.stringValue)
            let bad = try await api.call(
                .post, path("registrationUrl"), token: nil, headers: F.tls, body: Array(#"{"client_name":"x"}"#.utf8))
            #expect(bad.status == .badRequest)
            F.expectValid(bad.json, try F.oauthSchema("error-response"))

            // 3. Authorization: sign in, consent (French first), approve.
            let authorize =
                path("authorizationUrl") + "?response_type=code&client_id=\(clientID)"
                + "&redirect_uri=\(Pages.queryEscape(F.redirectURI))&scope=\(Pages.queryEscape(F.allScopes))"
                + "&state=xyz-42&code_challenge=\(F.challenge)&code_challenge_method=S256"
            let toLogin = try await browser.get(authorize)
            #expect(toLogin.status == .seeOther)
            let loginURL = try #require(toLogin.location)
            let next = try #require(F.query(loginURL)["next"])
            _ = try await browser.get(loginURL)
            let signedIn = try await browser.post(
                "/login", [("login", F.learnerLogin), ("password", F.learnerPassword), ("next", next)])
            #expect(signedIn.location == next)
            let consent = try await browser.get(try #require(signedIn.location))
            #expect(consent.status == .ok)
            #expect(consent.body.contains("Connecter « Carnet de compétences » à vos badges ?"))
            #expect(consent.body.contains("voir les badges de votre espace Insigne"))
            #expect(consent.body.contains("client.example"))
            let english = try await browser.get(next + "&lang=en")
            #expect(english.body.contains("Connect “Carnet de compétences” to your badges?"))
            _ = try await browser.get(next + "&lang=fr")
            let approved = try await browser.post(
                "/oauth/authorize",
                [
                    ("response_type", "code"), ("client_id", clientID), ("redirect_uri", F.redirectURI),
                    ("scope", F.allScopes), ("state", "xyz-42"), ("code_challenge", F.challenge),
                    ("code_challenge_method", "S256"), ("decision", "approve"),
                ])
            #expect(approved.status == .seeOther)
            let back = try #require(approved.location)
            #expect(back.hasPrefix(F.redirectURI + "?"))
            #expect(F.query(back)["state"] == "xyz-42")
            let code = try #require(F.query(back)["code"])

            // 4. Token (client_secret_basic, PKCE).
            let tokenURL = path("tokenUrl")
            let exchange = [
                ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", F.redirectURI),
                ("code_verifier", F.verifier), ("scope", F.allScopes),
            ]
            let wrongSecret = try await api.oauthForm(tokenURL, exchange, basic: (clientID, "not-the-secret"))
            #expect(wrongSecret.status == .unauthorized)
            #expect(wrongSecret.json["error"] == "invalid_client")
            let tokens = try await api.oauthForm(tokenURL, exchange, basic: (clientID, secret))
            #expect(tokens.status == .ok)
            #expect(tokens.headers[.cacheControl] == "no-store")
            #expect(tokens.headers[HTTPField.Name("Pragma")!] == "no-cache")
            F.expectValid(tokens.json, tokenSchema)
            #expect(tokens.json["expires_in"] == 3600)
            let access = try #require(tokens.json["access_token"]?.stringValue)
            let refresh = try #require(tokens.json["refresh_token"]?.stringValue)

            // 5. Push badges: one issued here to the learner, one for somebody else, one that is not a badge.
            let push: JSONValue = ["signedAssertion": .string(mine)]
            F.expectValid(push, try F.ob21Schema("postassertion-requestpayload"))
            let pushed = try await api.badgeConnect(.post, "/assertions", token: access, json: push)
            #expect(pushed.status == .ok)
            #expect(pushed.json == ["status": ["statusCode": 200, "statusText": "OK"]])
            F.expectValid(pushed.json, status)
            let mismatch = try await api.badgeConnect(
                .post, "/assertions", token: access, json: ["signedAssertion": .string(someoneElses)])
            #expect(mismatch.status == .badRequest)
            #expect(mismatch.json["status"]?["statusText"] == "RECIPIENT_PROFILE_MISMATCH")
            F.expectValid(mismatch.json, status)
            let forged = try await api.badgeConnect(
                .post, "/assertions", token: access, json: ["signedAssertion": "eyJhbGciOiJub25lIn0.e30."])
            #expect(forged.json["status"]?["statusText"] == "INVALID_BADGE")
            F.expectValid(forged.json, status)
            let extra = try await api.badgeConnect(.post, "/assertions", token: access, json: ["badge": "x"])
            #expect(extra.json["status"]?["statusText"] == "REQUEST_VALIDATION_ERROR")
            F.expectValid(extra.json, status)

            // 6. Read them back, one per page.
            let getAssertions = try F.ob21Schema("getassertions-200")
            let page1 = try await api.badgeConnect(.get, "/assertions?limit=1", token: access)
            #expect(page1.status == .ok)
            F.expectValid(page1.json, getAssertions)
            #expect(page1.headers[HTTPField.Name("X-Total-Count")!] == "2")
            let link1 = try #require(page1.headers[HTTPField.Name("Link")!])
            #expect(link1.contains("<\(F.apiBase)/assertions?limit=1&offset=1>; rel=\"next\""))
            #expect(
                link1.contains("rel=\"first\"") && link1.contains("rel=\"last\"") && !link1.contains("rel=\"prev\""))
            let first = try #require(page1.json["assertions"]?.arrayValue)
            #expect(first.count == 1 && page1.json["signedAssertions"]?.arrayValue?.isEmpty == true)
            #expect(first[0]["id"]?.stringValue?.hasPrefix(F.publicURL + "/assertions/") == true)
            let page2 = try await api.badgeConnect(.get, "/assertions?limit=1&offset=1", token: access)
            F.expectValid(page2.json, getAssertions)
            let link2 = try #require(page2.headers[HTTPField.Name("Link")!])
            #expect(link2.contains("rel=\"prev\"") && !link2.contains("rel=\"next\""))
            #expect(page2.json["assertions"]?.arrayValue?.first?["id"] != first[0]["id"])
            let later = try await api.badgeConnect(.get, "/assertions?since=2999-01-01T00:00:00%2B01:00", token: access)
            #expect(later.headers[HTTPField.Name("X-Total-Count")!] == "0")
            F.expectValid(later.json, getAssertions)
            let noZone = try await api.badgeConnect(.get, "/assertions?since=2020-01-01T00:00:00", token: access)
            #expect(noZone.status == .badRequest)
            #expect(noZone.json["status"]?["statusText"] == "REQUEST_VALIDATION_ERROR")
            F.expectValid(noZone.json, assertionsError)
            let missing = try await api.badgeConnect(.get, "/badges", token: access)
            #expect(missing.status == .notFound)
            F.expectValid(missing.json, assertionsError)
            let put = try await api.badgeConnect(.put, "/assertions", token: access, json: [:])
            #expect(put.status == .methodNotAllowed)
            F.expectValid(put.json, assertionsError)

            // 7. Profile.
            let profile = try await api.badgeConnect(.get, "/profile", token: access)
            #expect(profile.status == .ok)
            F.expectValid(profile.json, try F.ob21Schema("getprofile-200"))
            #expect(profile.json["profile"]?["type"] == "Profile")
            #expect(profile.json["profile"]?["email"]?.stringValue == F.learnerLogin)
            #expect(profile.json["profile"]?["id"]?.stringValue?.hasPrefix("urn:uuid:") == true)

            // 8. The learner sees the application.
            let apps = try await browser.get("/backpack/apps")
            #expect(apps.status == .ok)
            #expect(apps.body.contains("Carnet de compétences"))

            // 9. Refresh (rotation), then the client revokes its refresh token: the whole grant dies.
            let refreshed = try await api.oauthForm(
                tokenURL, [("grant_type", "refresh_token"), ("refresh_token", refresh)], basic: (clientID, secret))
            #expect(refreshed.status == .ok)
            F.expectValid(refreshed.json, tokenSchema)
            let access2 = try #require(refreshed.json["access_token"]?.stringValue)
            let refresh2 = try #require(refreshed.json["refresh_token"]?.stringValue)
            #expect(try await api.badgeConnect(.get, "/profile", token: access2).status == .ok)
            let reuse = try await api.oauthForm(tokenURL, exchange, basic: (clientID, secret))
            #expect(reuse.json["error"] == "invalid_grant")
            F.expectValid(reuse.json, try F.oauthSchema("error-response"))
            let revoke = try await api.oauthForm(
                path("tokenRevocationUrl"), [("token", refresh2), ("token_type_hint", "refresh_token")],
                basic: (clientID, secret))
            #expect(revoke.status == .ok)
            let unknown = try await api.oauthForm(
                path("tokenRevocationUrl"), [("token", "unknown")], basic: (clientID, secret))
            #expect(unknown.status == .ok)
            let anonymous = try await api.oauthForm(path("tokenRevocationUrl"), [("token", refresh2)], basic: nil)
            #expect(anonymous.status == .unauthorized)
            let after = try await api.badgeConnect(.get, "/assertions", token: access2)
            #expect(after.status == .unauthorized)
            #expect(after.json["status"]?["statusText"] == "UNAUTHENTICATED")
            F.expectValid(after.json, assertionsError)
            #expect(!(try await browser.get("/backpack/apps")).body.contains("Carnet de compétences"))
        }
    }

    @Test func theLearnerWithdrawsAccessFromTheAppsPage() async throws {
        let h = try await WebHarness.make(publicURL: F.publicURL)
        let learner = try await h.addLearner()
        let store = OAuthStore(db: h.services.db)
        let (client, _) = try await store.register(
            try ClientRegistration(json: F.registration(), allowLoopbackHTTP: false))
        let code = try await store.issueCode(
            client: client, accountID: learner.id, redirectURI: F.redirectURI, scopes: OAuth.offered,
            challenge: F.challenge)
        let tokens = try await store.exchange(
            code: code, client: client, redirectURI: F.redirectURI, verifier: F.verifier, scope: nil)
        let pending = try await store.issueCode(
            client: client, accountID: learner.id, redirectURI: F.redirectURI, scopes: OAuth.offered,
            challenge: F.challenge)
        try await h.run { browser in
            _ = try await browser.get("/login")
            _ = try await browser.post(
                "/login", [("login", F.learnerLogin), ("password", F.learnerPassword), ("next", "")])
            let page = try await browser.get("/backpack/apps")
            #expect(page.body.contains("Carnet de compétences"))
            #expect(page.body.contains("Autorisée le"))
            let forged = try await browser.post("/backpack/apps/revoke", [("client_id", client.id)], csrf: "00")
            #expect(forged.status == .forbidden)
            let done = try await browser.post("/backpack/apps/revoke", [("client_id", client.id)])
            #expect(done.location == "/backpack/apps?revoked=1")
            let api = APIClient(client: browser.client)
            #expect(try await api.badgeConnect(.get, "/profile", token: tokens.accessToken).status == .unauthorized)
            let refreshed = try await api.oauthForm(
                "/oauth/token", [("grant_type", "refresh_token"), ("refresh_token", tokens.refreshToken!)], basic: nil)
            #expect(refreshed.status == .unauthorized)  // no client authentication
            // A code issued before the withdrawal can no longer be exchanged.
            await #expect(throws: OAuthError.self) {
                try await store.exchange(
                    code: pending, client: client, redirectURI: F.redirectURI, verifier: F.verifier, scope: nil)
            }
        }
    }
}
