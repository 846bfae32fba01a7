import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import InsigneStore
import OpenBadges
import Testing

@testable import InsigneServer

@Suite struct PublicPagesTests {
    let browser: HTTPFields = [.accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"]

    @Test func badgePageHasOpenGraphTags() async throws {
        let f = try await VerifyFixture.make()
        try await f.fullApp().test(.router) { client in
            try await client.execute(uri: "/badges/bientraitance", method: .get, headers: browser) { r in
                #expect(r.status == .ok)
                #expect(r.headers[.contentType] == "text/html; charset=utf-8")
                let html = text(r.body)
                #expect(html.contains("<h1>Bientraitance</h1>"))
                #expect(
                    html.contains("<meta property=\"og:title\" content=\"Bientraitance — Mutuelle Vivre Ensemble\">"))
                #expect(
                    html.contains(
                        "<meta property=\"og:image\" content=\"http://127.0.0.1:8080/badges/bientraitance/image\">"))
                #expect(
                    html.contains("<meta property=\"og:url\" content=\"http://127.0.0.1:8080/badges/bientraitance\">"))
                #expect(html.contains("<meta property=\"og:type\" content=\"website\">"))
                #expect(html.contains("og:description"))
                #expect(html.contains("Comment l&#39;obtenir"))
                #expect(html.contains("Avoir suivi la formation « Bientraitance »"))
                #expect(html.contains("href=\"/issuers/mutuelle-vivre-ensemble\""))
                #expect(html.contains("src=\"/badges/bientraitance/image\""))
                #expect(html.contains("href=\"/badges/bientraitance?lang=en\""))
            }
            try await client.execute(uri: "/badges/bientraitance?lang=en", method: .get, headers: browser) { r in
                let html = text(r.body)
                #expect(html.contains("<html lang=\"en\">"))
                #expect(html.contains("How it is earned"))
            }
        }
    }

    @Test func assertionPageNeverShowsTheEmail() async throws {
        let f = try await VerifyFixture.make()
        let a = try await f.award()
        try await f.fullApp().test(.router) { client in
            try await client.execute(uri: "/assertions/\(a.id)", method: .get, headers: browser) { r in
                #expect(r.status == .ok)
                let html = text(r.body)
                #expect(!html.contains("marie.dupont"))
                #expect(!html.contains("example.org"))
                #expect(html.contains("Destinataire vérifiable par son adresse"))
                #expect(html.contains("og:title"))
                #expect(
                    html.contains("<meta property=\"og:url\" content=\"http://127.0.0.1:8080/assertions/\(a.id)\">"))
                #expect(
                    html.contains(
                        "<meta property=\"og:image\" content=\"http://127.0.0.1:8080/badges/bientraitance/image\">"))
                #expect(html.contains("Vérifier ce badge"))
                #expect(
                    html.contains(
                        "href=\"/verify?url=http%3A%2F%2F127.0.0.1%3A8080%2Fassertions%2F\(a.id)&amp;lang=fr\""))
                #expect(html.contains("href=\"/assertions/\(a.id)/badge.png\" download=\"bientraitance.png\""))
                #expect(html.contains("href=\"/assertions/\(a.id)/badge.svg\""))
                #expect(html.contains(WebDates.long(Date(), english: false)))
                // The demo badge class is valid three years.
                #expect(a.expires != nil)
                #expect(html.contains(WebDates.long(a.expires, english: false) ?? "?"))
                #expect(!html.contains("a été révoqué"))
            }
        }
    }

    @Test func revokedAssertionPageSaysSo() async throws {
        let f = try await VerifyFixture.make()
        let a = try await f.award()
        _ = try await f.services.issuing.revoke(assertionID: a.id, reason: "Formation annulée", actor: "test")
        try await f.fullApp().test(.router) { client in
            try await client.execute(uri: "/assertions/\(a.id)", method: .get, headers: browser) { r in
                #expect(r.status == .gone)
                let html = text(r.body)
                #expect(html.contains("Ce badge a été révoqué"))
                #expect(html.contains("Formation annulée"))
                #expect(!html.contains("badge.png"))
                #expect(!html.contains("marie.dupont"))
            }
        }
    }

    @Test func issuerPageListsBadges() async throws {
        let f = try await VerifyFixture.make()
        try await f.fullApp().test(.router) { client in
            try await client.execute(uri: "/issuers/mutuelle-vivre-ensemble", method: .get, headers: browser) { r in
                #expect(r.status == .ok)
                let html = text(r.body)
                #expect(html.contains("<h1>Mutuelle Vivre Ensemble</h1>"))
                #expect(html.contains("href=\"/badges/bientraitance\""))
                #expect(html.contains("href=\"/issuers/foyers-la-maison\""))
                #expect(
                    html.contains(
                        "<meta property=\"og:url\" content=\"http://127.0.0.1:8080/issuers/mutuelle-vivre-ensemble\">"))
                #expect(html.contains("og:image"))
            }
            try await client.execute(uri: "/issuers/foyers-la-maison", method: .get, headers: browser) { r in
                let html = text(r.body)
                #expect(html.contains("Fait partie de"))
                #expect(html.contains("Aucun badge publié"))
            }
        }
    }

    @Test func jsonIsStillServedToMachines() async throws {
        let f = try await VerifyFixture.make()
        let a = try await f.award()
        try await f.fullApp().test(.router) { client in
            for path in ["/badges/bientraitance", "/assertions/\(a.id)", "/issuers/mutuelle-vivre-ensemble"] {
                try await client.execute(uri: path, method: .get, headers: [.accept: "application/ld+json"]) { r in
                    #expect(r.status == .ok)
                    #expect(r.headers[.contentType] == "application/ld+json; charset=utf-8")
                    #expect(jsonOrNull(r.body)["id"]?.stringValue == "http://127.0.0.1:8080" + path)
                }
                try await client.execute(uri: path, method: .get) { r in
                    #expect(r.headers[.contentType] == "application/ld+json; charset=utf-8")
                }
            }
            // Images stay images for browsers.
            try await client.execute(uri: "/badges/bientraitance/image", method: .get, headers: browser) { r in
                #expect(r.headers[.contentType] == "image/png")
            }
        }
    }

    @Test func unknownDocumentIsAnHTML404ForBrowsers() async throws {
        let f = try await VerifyFixture.make()
        try await f.fullApp().test(.router) { client in
            try await client.execute(uri: "/assertions/nope", method: .get, headers: browser) { r in
                #expect(r.status == .notFound)
                #expect(text(r.body).contains("Page introuvable"))
            }
            try await client.execute(uri: "/assertions/nope", method: .get, headers: [.accept: "application/ld+json"]) {
                r in
                #expect(r.status == .notFound)
                #expect(r.headers[.contentType] == "text/plain; charset=utf-8")
            }
        }
    }

    @Test func renderReturnsNilForOtherPaths() async throws {
        let f = try await VerifyFixture.make()
        let pages = HostedDocumentPages(services: f.services)
        let request = Request(
            head: HTTPRequest(method: .get, scheme: "http", authority: "x", path: "/keys/k"),
            body: .init(buffer: ByteBuffer()))
        for path in ["/keys/k", "/issuers/mutuelle-vivre-ensemble/revocations", "/badges/bientraitance/image", "/"] {
            #expect(try await pages.render(path: path, request: request) == nil)
        }
    }

    @Test func frenchDates() {
        var c = DateComponents()
        c.year = 2026
        c.month = 11
        c.day = 23
        c.hour = 12
        let date = HumanDate.calendar.date(from: c)!
        #expect(WebDates.long(date, english: false) == "23 novembre 2026")
        #expect(WebDates.long(date, english: true) == "23 November 2026")
        #expect(WebDates.long("2026-12-01T10:00:00Z", english: false) == "1er décembre 2026")
        #expect(WebDates.long("2026-08-15T22:30:00Z", english: false) == "16 août 2026")  // Paris time
        #expect(WebDates.long(nil, english: false) == nil)
    }
}
