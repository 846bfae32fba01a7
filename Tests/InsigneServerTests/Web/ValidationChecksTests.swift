import Foundation
import InsigneStore
import Testing

@testable import InsigneServer

/// The one URL check and the one e-mail check of the server, and the OAuth rules layered on the URL check.
@Suite("Validation: one URL check, one e-mail check")
struct ValidationChecksTests {
    @Test func oneURLCheck() throws {
        for good in ["https://a.fr", "http://intranet.example.fr/att/42?x=1#p", "HTTPS://A.FR/é"] {
            #expect(Validation.webURL(good) != nil, "\(good)")
            #expect(throws: Never.self) { try Validation.httpURL(good, field: "url") }
        }
        let long = "https://a.fr/" + String(repeating: "a", count: Validation.maxURLLength)
        for bad in [
            "", "a.fr", "ftp://a.fr", "https://", "javascript:alert(1)", "https://u:p@a.fr", "https://u@a.fr",
            "https://a.fr/a b", "https://a.fr/\n", long,
        ] {
            #expect(Validation.webURL(bad) == nil, "\(bad)")
            let error = try #require(throws: ServiceError.self) { try Validation.httpURL(bad, field: "url") }
            #expect(error.messageFR == "« url » : adresse http(s) attendue")
            #expect(error.messageEN == "\"url\": an http(s) URL is expected")
        }
    }

    @Test func oAuthRulesAreLayeredOnTheOneURLCheck() {
        #expect(ClientRegistration.httpsHost("https://App.example.org/cb", loopbackHTTP: false) == "app.example.org")
        #expect(ClientRegistration.httpsHost("http://app.example.org/cb", loopbackHTTP: true) == nil)
        #expect(ClientRegistration.httpsHost("http://127.0.0.1:8080/cb", loopbackHTTP: true) == "127.0.0.1")
        #expect(ClientRegistration.httpsHost("http://127.0.0.1:8080/cb", loopbackHTTP: false) == nil)
        #expect(ClientRegistration.httpsHost("https://u@app.example.org/cb", loopbackHTTP: false) == nil)
        #expect(ClientRegistration.httpsHost("https://app.example.org/a b", loopbackHTTP: false) == nil)
    }

    @Test func oneEmailCheck() throws {
        #expect(Validation.isEmail("marie.durand@example.fr"))
        #expect(Validation.isEmail("élise@exemple.fr"))
        for bad in ["", "marie", "marie@example", "@example.fr", "a@b@c.fr", "a b@c.fr", "<a@b.fr>", " a@b.fr"] {
            #expect(!Validation.isEmail(bad), "\(bad)")
        }
        // Forms are checked as they will be stored: trimmed and lowercased first.
        #expect(throws: Never.self) { try Validation.email("  Marie.Durand@Example.FR ", field: "email") }
        let error = try #require(throws: ServiceError.self) { try Validation.email("marie", field: "email") }
        #expect(error.messageFR == "« email » : adresse électronique invalide")
    }
}
