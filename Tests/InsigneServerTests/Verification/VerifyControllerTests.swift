import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import InsigneStore
import OpenBadges
import TestSupport
import Testing

@testable import InsigneServer

@Suite struct VerifyUploadTests {
    func fetch(_ client: some TestClientProtocol, _ path: String) async throws -> [UInt8] {
        try await client.execute(uri: path, method: .get) { r in
            #expect(r.status == .ok)
            return bytes(r.body)
        }
    }

    @Test func bakedPNGUploadIsValid() async throws {
        let f = try await VerifyFixture.make()
        let a = try await f.award()
        try await f.app().test(.router) { client in
            let png = try await fetch(client, "/assertions/\(a.id)/badge.png")
            try await client.execute(
                uri: "/verify", method: .post, headers: Multipart.headers(), body: Multipart.file(png)
            ) { r in
                #expect(r.status == .ok)
                #expect(r.headers[.contentType]?.hasPrefix("application/json") == true)
                let report = try json(r.body)
                #expect(report["valid"] == true, "\(report.prettyString())")
                #expect(report["outcome"] == "valid")
                #expect(report["input"]?["format"] == "png")
                #expect(report["assertion"]?["badgeName"] == "Bientraitance")
                #expect(report["assertion"]?["issuerName"] == "Mutuelle Vivre Ensemble")
                try expectSchemaValid(report)
            }
        }
    }

    @Test func bakedSVGUploadIsValid() async throws {
        let f = try await VerifyFixture.make()
        let a = try await f.award()
        try await f.app().test(.router) { client in
            let svg = try await fetch(client, "/assertions/\(a.id)/badge.svg")
            try await client.execute(
                uri: "/verify", method: .post, headers: Multipart.headers(),
                body: Multipart.file(svg, name: "badge.svg", type: "image/svg+xml")
            ) { r in
                #expect(r.status == .ok)
                let report = try json(r.body)
                #expect(report["valid"] == true, "\(report.prettyString())")
                #expect(report["input"]?["format"] == "svg")
                try expectSchemaValid(report)
            }
        }
    }

    @Test func rawImageBodyIsAccepted() async throws {
        let f = try await VerifyFixture.make()
        let a = try await f.award()
        try await f.app().test(.router) { client in
            let png = try await fetch(client, "/assertions/\(a.id)/badge.png")
            try await client.execute(
                uri: "/verify?recipient=marie.dupont%40example.org", method: .post,
                headers: [.contentType: "image/png"],
                body: ByteBuffer(bytes: png)
            ) { r in
                #expect(r.status == .ok)
                let report = try json(r.body)
                #expect(report["valid"] == true)
                #expect(
                    report["checks"]?.arrayValue?.contains { $0["id"] == "recipient" && $0["status"] == "passed" }
                        == true)
            }
        }
    }

    @Test func rawPDFBodyIsAccepted() async throws {
        let f = try await VerifyFixture.make()
        let pdf = [UInt8](
            try Data(contentsOf: TestPaths.fixtures.appendingPathComponent("pdf/certificate-no-badge.pdf")))
        try await f.app().test(.router) { client in
            try await client.execute(
                uri: "/verify", method: .post, headers: [.contentType: "application/pdf"], body: ByteBuffer(bytes: pdf)
            ) { r in
                #expect(r.status == .ok)
                let report = try json(r.body)
                #expect(report["input"]?["format"] == "pdf")
                #expect(report["outcome"] == "notABadge")
            }
        }
    }

    /// A 171-byte PDF whose stream `/Length` is `+1e300` stopped the whole service (Swift trap) when posted
    /// anonymously; it now gets a report like any other file.
    @Test func hostilePDFLengthGetsAReportNotACrash() async throws {
        let f = try await VerifyFixture.make()
        let pdf = [UInt8](
            try Data(contentsOf: TestPaths.fixtures.appendingPathComponent("malformed/pdf-length-1e300.pdf")))
        try await f.app().test(.router) { client in
            try await client.execute(
                uri: "/verify", method: .post, headers: [.contentType: "application/pdf"], body: ByteBuffer(bytes: pdf)
            ) { r in
                #expect(r.status == .ok)
                let report = try json(r.body)
                #expect(report["input"]?["format"] == "pdf")
                #expect(report["valid"] == false)
            }
        }
    }

    @Test func recipientRightAndWrong() async throws {
        let f = try await VerifyFixture.make()
        let a = try await f.award()
        try await f.app().test(.router) { client in
            let png = try await fetch(client, "/assertions/\(a.id)/badge.png")
            try await client.execute(
                uri: "/verify", method: .post, headers: Multipart.headers(),
                body: Multipart.file(png, recipient: "marie.dupont@example.org")
            ) { r in
                let report = try json(r.body)
                #expect(report["valid"] == true)
                #expect(report["checks"]?.arrayValue?.first { $0["id"] == "recipient" }?["status"] == "passed")
                try expectSchemaValid(report)
            }
            try await client.execute(
                uri: "/verify", method: .post, headers: Multipart.headers(),
                body: Multipart.file(png, recipient: "quelquun.dautre@example.org")
            ) { r in
                #expect(r.status == .ok)
                let report = try json(r.body)
                #expect(report["valid"] == false)
                #expect(report["outcome"] == "recipientMismatch")
                try expectSchemaValid(report)
            }
        }
    }

    @Test func pngWithoutBadgeAndRandomFileAreNotBadges() async throws {
        let f = try await VerifyFixture.make()
        try await f.app().test(.router) { client in
            let plain = try await fetch(client, "/badges/bientraitance/image")
            try await client.execute(
                uri: "/verify", method: .post, headers: Multipart.headers(), body: Multipart.file(plain)
            ) { r in
                #expect(r.status == .ok)
                let report = try json(r.body)
                #expect(report["outcome"] == "notABadge")
                #expect(report["valid"] == false)
                try expectSchemaValid(report)
            }
            var random = [UInt8](repeating: 0, count: 4096)
            for i in random.indices { random[i] = UInt8.random(in: 0...255) }
            random[0] = 0x00  // never a PNG or SVG signature
            try await client.execute(
                uri: "/verify", method: .post, headers: Multipart.headers(),
                body: Multipart.file(random, name: "photo.bin", type: "application/octet-stream")
            ) { r in
                #expect(r.status == .ok)
                let report = try json(r.body)
                #expect(report["outcome"] == "notABadge")
                try expectSchemaValid(report)
            }
        }
    }

    @Test func revokedBadgeReportsTheReason() async throws {
        let f = try await VerifyFixture.make()
        let a = try await f.award()
        _ = try await f.services.issuing.revoke(
            assertionID: a.id, reason: "Formation non suivie en entier", actor: "test")
        try await f.app().test(.router) { client in
            let png = try await fetch(client, "/assertions/\(a.id)/badge.png")
            try await client.execute(
                uri: "/verify", method: .post, headers: Multipart.headers(), body: Multipart.file(png)
            ) { r in
                let report = try json(r.body)
                #expect(report["outcome"] == "revoked")
                #expect(report["valid"] == false)
                #expect(report["assertion"]?["revocationReason"] == "Formation non suivie en entier")
                #expect(report["summary"]?["fr"]?.stringValue?.contains("Formation non suivie en entier") == true)
                try expectSchemaValid(report)
            }
        }
    }

    @Test func oversizeUploadIs413() async throws {
        let f = try await VerifyFixture.make()
        try await f.app().test(.router) { client in
            let big = [UInt8](repeating: 0x41, count: 5 * 1024 * 1024 + 70 * 1024)
            try await client.execute(
                uri: "/verify", method: .post, headers: Multipart.headers(), body: Multipart.file(big)
            ) { r in
                #expect(r.status == .contentTooLarge)
                #expect(r.headers[.contentType]?.hasPrefix("application/problem+json") == true)
                let p = try json(r.body)
                #expect(p["status"] == 413)
                #expect(p["i18n"]?["fr"]?["detail"]?.stringValue?.contains("5 Mo") == true)
                #expect(p["i18n"]?["en"]?["detail"]?.stringValue?.contains("5 MiB") == true)
            }
        }
        // A file just over the limit inside a body that fits the multipart allowance.
        var limits = VerifyLimits()
        limits.maxUploadBytes = 1024
        try await f.app(limits: limits).test(.router) { client in
            try await client.execute(
                uri: "/verify", method: .post, headers: Multipart.headers(),
                body: Multipart.file([UInt8](repeating: 1, count: 1025))
            ) { r in
                #expect(r.status == .contentTooLarge)
            }
        }
    }
}

@Suite struct VerifyJSONTests {
    func post(_ client: some TestClientProtocol, _ body: String, headers: HTTPFields = jsonHeaders) async throws -> (
        HTTPResponse.Status, JSONValue
    ) {
        try await client.execute(uri: "/verify", method: .post, headers: headers, body: ByteBuffer(string: body)) { r in
            (r.status, try json(r.body))
        }
    }

    @Test func jwsURLAndAssertionInputs() async throws {
        let f = try await VerifyFixture.make()
        let a = try await f.award()
        let url = f.services.urls.assertion(a.id)
        try await f.app().test(.router) { client in
            let (s1, r1) = try await post(
                client,
                JSONValue.object(["jws": .string(a.jws), "recipient": "marie.dupont@example.org"]).encodedString())
            #expect(s1 == .ok)
            #expect(r1["valid"] == true, "\(r1.prettyString())")
            #expect(r1["input"]?["format"] == "jws")
            try expectSchemaValid(r1)

            let (s2, r2) = try await post(client, JSONValue.object(["url": .string(url)]).encodedString())
            #expect(s2 == .ok)
            #expect(r2["valid"] == true, "\(r2.prettyString())")
            #expect(r2["input"]?["format"] == "url")
            #expect(r2["assertion"]?["verificationType"] == "HostedBadge")
            try expectSchemaValid(r2)

            let hosted = try await client.execute(
                uri: "/assertions/\(a.id)", method: .get, headers: [.accept: "application/ld+json"]
            ) { r in
                try json(r.body)
            }
            let (s3, r3) = try await post(client, JSONValue.object(["assertion": hosted]).encodedString())
            #expect(s3 == .ok)
            #expect(r3["valid"] == true, "\(r3.prettyString())")
            #expect(r3["input"]?["format"] == "json")
            try expectSchemaValid(r3)

            let (_, r4) = try await post(
                client, JSONValue.object(["url": .string(url), "recipient": "autre@example.org"]).encodedString())
            #expect(r4["outcome"] == "recipientMismatch")
        }
    }

    @Test func revokedHostedURL() async throws {
        let f = try await VerifyFixture.make()
        let a = try await f.award()
        _ = try await f.services.issuing.revoke(assertionID: a.id, reason: "Erreur de saisie", actor: "test")
        try await f.app().test(.router) { client in
            let (_, r) = try await post(
                client, JSONValue.object(["url": .string(f.services.urls.assertion(a.id))]).encodedString())
            #expect(r["outcome"] == "revoked", "\(r.prettyString())")
            #expect(r["valid"] == false)
            try expectSchemaValid(r)
        }
    }

    @Test func badInputIsAProblemNeverA500() async throws {
        let f = try await VerifyFixture.make()
        try await f.app().test(.router) { client in
            let cases: [(String, HTTPResponse.Status, String?)] = [
                ("{\"jws\": ", .badRequest, nil),
                ("[1, 2]", .badRequest, nil),
                ("{\"jws\": 42}", .badRequest, "jws"),
                ("{\"url\": \"ftp://example.org/a\"}", .badRequest, "url"),
                ("{\"url\": \"https://x.example/a\", \"jws\": \"a.b.c\"}", .badRequest, nil),
                ("{}", .badRequest, nil),
                ("{\"assertion\": 3}", .badRequest, "assertion"),
                ("{\"jws\": \"not a jws\"}", .badRequest, "jws"),
                ("{\"url\": \"https://x.example/a\", \"recipient\": 7}", .badRequest, "recipient"),
                ("{\"url\": \"https://x.example/a\", \"recipient\": \"pas-une-adresse\"}", .badRequest, "recipient"),
                ("{\"url\": \"https://x.example/a\", \"extra\": true}", .badRequest, "extra"),
            ]
            for (body, status, field) in cases {
                let (s, p) = try await post(client, body)
                #expect(s == status, "\(body)")
                #expect(p["status"]?.numberValue == Double(status.code), "\(body)")
                #expect(p["i18n"]?["fr"]?["detail"]?.stringValue != nil)
                if let field { #expect(p["field"]?.stringValue == field, "\(body)") }
            }
            // Empty body, unsupported and missing content types.
            try await client.execute(uri: "/verify", method: .post, headers: jsonHeaders, body: ByteBuffer()) { r in
                #expect(r.status == .badRequest)
                #expect(r.headers[.contentType]?.hasPrefix("application/problem+json") == true)
            }
            try await client.execute(
                uri: "/verify", method: .post, headers: [.contentType: "text/csv"], body: ByteBuffer(string: "a,b")
            ) { r in
                #expect(r.status == .unsupportedMediaType)
                #expect(jsonOrNull(r.body)["status"] == 415)
            }
            try await client.execute(uri: "/verify", method: .post, body: ByteBuffer(string: "x")) { r in
                #expect(r.status == .unsupportedMediaType)
            }
            // Multipart: no boundary, broken framing, no file, unknown field.
            try await client.execute(
                uri: "/verify", method: .post, headers: [.contentType: "multipart/form-data"],
                body: ByteBuffer(string: "x")
            ) { r in #expect(r.status == .badRequest) }
            try await client.execute(
                uri: "/verify", method: .post, headers: Multipart.headers(),
                body: ByteBuffer(
                    string: "--\(Multipart.boundary)\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nabc")
            ) { r in #expect(r.status == .badRequest) }
            try await client.execute(
                uri: "/verify", method: .post, headers: Multipart.headers(),
                body: Multipart.body([.init(name: "recipient", body: Array("a@b.c".utf8))])
            ) { r in
                #expect(r.status == .badRequest)
                #expect(jsonOrNull(r.body)["field"] == "file")
            }
            try await client.execute(
                uri: "/verify", method: .post, headers: Multipart.headers(),
                body: Multipart.body([.init(name: "other", body: [1])])
            ) { r in #expect(r.status == .badRequest) }
            // English problems on request.
            try await client.execute(
                uri: "/verify?lang=en", method: .post, headers: jsonHeaders, body: ByteBuffer(string: "{")
            ) { r in
                #expect(r.status == .badRequest)
                #expect(jsonOrNull(r.body)["title"] == "Bad Request")
            }
        }
    }
}

@Suite struct VerifyRateLimitTests {
    @Test func tokenBucketRefills() {
        let limiter = RateLimiter(capacity: 2, perMinute: 6)
        let t0 = Date(timeIntervalSince1970: 1_000_000)
        #expect(limiter.take("a", now: t0) == nil)
        #expect(limiter.take("a", now: t0) == nil)
        #expect(limiter.take("a", now: t0) == 10)
        #expect(limiter.take("b", now: t0) == nil)
        #expect(limiter.take("a", now: t0.addingTimeInterval(4)) == 6)
        #expect(limiter.take("a", now: t0.addingTimeInterval(10)) == nil)
        #expect(limiter.take("a", now: t0.addingTimeInterval(10)) != nil)
    }

    @Test func prunesIdleClients() {
        let limiter = RateLimiter(capacity: 1, perMinute: 60, maxKeys: 3)
        let t0 = Date(timeIntervalSince1970: 1_000_000)
        for k in ["a", "b", "c"] { #expect(limiter.take(k, now: t0) == nil) }
        // "a" to "c" have refilled a minute later: a fourth client is accepted and they start afresh.
        #expect(limiter.take("d", now: t0.addingTimeInterval(60)) == nil)
        #expect(limiter.take("a", now: t0.addingTimeInterval(60)) == nil)
    }

    @Test func tooManyVerificationsIs429() async throws {
        let f = try await VerifyFixture.make()
        var limits = VerifyLimits()
        // Three at once, then one token every 10 minutes: no refill while a loaded machine runs the test.
        limits.perMinute = 0.1
        limits.burst = 3
        limits.clientKey = { request, _ in request.headers[.init("X-Test-Client")!] ?? "x" }
        try await f.app(limits: limits).test(.router) { client in
            let body = "{\"url\": \"http://127.0.0.1:8080/assertions/nope\"}"
            var headers = jsonHeaders
            headers[.init("X-Test-Client")!] = "one"
            for _ in 0..<3 {
                try await client.execute(
                    uri: "/verify", method: .post, headers: headers, body: ByteBuffer(string: body)
                ) { r in
                    #expect(r.status == .ok)
                }
            }
            try await client.execute(uri: "/verify", method: .post, headers: headers, body: ByteBuffer(string: body)) {
                r in
                #expect(r.status == .tooManyRequests)
                let wait = Int(r.headers[.retryAfter] ?? "") ?? -1
                #expect((1...600).contains(wait), "Retry-After \(wait)")
                #expect(jsonOrNull(r.body)["status"] == 429)
            }
            // GET /verify?url= counts too; the page itself does not.
            try await client.execute(
                uri: "/verify?url=http%3A%2F%2F127.0.0.1%3A8080%2Fassertions%2Fnope", method: .get, headers: headers
            ) { r in
                #expect(r.status == .tooManyRequests)
            }
            try await client.execute(uri: "/verify", method: .get, headers: headers) { r in #expect(r.status == .ok) }
            // Another client has its own bucket.
            headers[.init("X-Test-Client")!] = "two"
            try await client.execute(uri: "/verify", method: .post, headers: headers, body: ByteBuffer(string: body)) {
                r in
                #expect(r.status == .ok)
            }
        }
    }
}

@Suite struct VerifyPageTests {
    @Test func frenchPageWithForm() async throws {
        let f = try await VerifyFixture.make()
        try await f.fullApp().test(.router) { client in
            try await client.execute(uri: "/verify", method: .get, headers: [.accept: "text/html"]) { r in
                #expect(r.status == .ok)
                #expect(r.headers[.contentType] == "text/html; charset=utf-8")
                #expect(r.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true)
                let html = text(r.body)
                #expect(html.contains("<html lang=\"fr\">"))
                #expect(html.contains("<h1>Vérifier un badge numérique</h1>"))
                #expect(html.contains("<a href=\"/referentials?lang=fr\">Référentiels</a>"))
                #expect(html.contains("method=\"post\""))
                #expect(html.contains("enctype=\"multipart/form-data\""))
                #expect(html.contains("name=\"file\""))
                #expect(html.contains("<label for=\"recipient\""))
                #expect(html.contains("href=\"/verify?lang=en\""))
                #expect(!html.contains("<script>"))
                #expect(!html.contains("style="))
            }
            try await client.execute(uri: "/verify?lang=en", method: .get, headers: [.accept: "text/html"]) { r in
                let html = text(r.body)
                #expect(html.contains("<html lang=\"en\">"))
                #expect(html.contains("Verify a digital badge"))
                #expect(html.contains("action=\"/verify?lang=en\""))
            }
        }
    }

    @Test func formPostShowsTheResultPage() async throws {
        let f = try await VerifyFixture.make()
        let a = try await f.award()
        let b = try await f.award("jean.martin@example.org")
        _ = try await f.services.issuing.revoke(assertionID: b.id, reason: "Badge attribué par erreur", actor: "test")
        let html = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
        try await f.fullApp().test(.router) { client in
            let png = try await client.execute(uri: "/assertions/\(a.id)/badge.png", method: .get) { bytes($0.body) }
            try await client.execute(
                uri: "/verify?lang=fr", method: .post, headers: Multipart.headers(accept: html),
                body: Multipart.file(png, recipient: "marie.dupont@example.org")
            ) { r in
                #expect(r.status == .ok)
                #expect(r.headers[.contentType] == "text/html; charset=utf-8")
                let page = text(r.body)
                #expect(page.contains("Badge valide"))
                #expect(page.contains("verdict-ok"))
                #expect(page.contains("Bientraitance"))
                #expect(page.contains("Mutuelle Vivre Ensemble"))
                #expect(page.contains("src=\"/badges/bientraitance/image\""))
                #expect(page.contains("Détail des vérifications"))
                let today = WebDates.long(Date(), english: false)
                #expect(page.contains(today))
            }
            let revoked = try await client.execute(uri: "/assertions/\(b.id)/badge.png", method: .get) {
                bytes($0.body)
            }
            try await client.execute(
                uri: "/verify", method: .post, headers: Multipart.headers(accept: html), body: Multipart.file(revoked)
            ) { r in
                let page = text(r.body)
                #expect(page.contains("Badge révoqué"))
                #expect(page.contains("Badge attribué par erreur"))
                #expect(page.contains("verdict-bad"))
            }
            // Errors from the form are shown on the page, not as JSON.
            try await client.execute(
                uri: "/verify", method: .post, headers: Multipart.headers(accept: html),
                body: Multipart.body([
                    .init(name: "file", filename: "", contentType: "application/octet-stream", body: [])
                ])
            ) { r in
                #expect(r.status == .badRequest)
                #expect(r.headers[.contentType] == "text/html; charset=utf-8")
                #expect(text(r.body).contains("Choisissez le fichier du badge"))
            }
            // The assertion page's button: the verification runs server-side from ?url=.
            let url = Pages.queryEscape(f.services.urls.assertion(a.id))
            try await client.execute(uri: "/verify?url=\(url)&lang=en", method: .get, headers: [.accept: html]) { r in
                #expect(r.status == .ok)
                let page = text(r.body)
                #expect(page.contains("Valid badge"))
                #expect(page.contains("You did not give an email address"))
            }
            try await client.execute(uri: "/verify?url=\(url)", method: .get, headers: [.accept: "application/json"]) {
                r in
                #expect(jsonOrNull(r.body)["valid"] == true)
            }
        }
    }

    @Test func staticAssets() async throws {
        let f = try await VerifyFixture.make()
        try await f.fullApp().test(.router) { client in
            let css = StaticAssets.href("insigne.css")
            #expect(css.hasPrefix("/static/insigne.css?v="))
            let etag = try await client.execute(uri: css, method: .get) { r in
                #expect(r.status == .ok)
                #expect(r.headers[.contentType] == "text/css; charset=utf-8")
                #expect(r.headers[.cacheControl] == "public, max-age=31536000, immutable")
                #expect(text(r.body).contains(".verdict-ok"))
                return r.headers[HTTPField.Name("ETag")!]
            }
            try await client.execute(
                uri: "/static/insigne.css", method: .get, headers: [HTTPField.Name("If-None-Match")!: etag ?? ""]
            ) { r in
                #expect(r.status == .notModified)
                #expect(r.headers[.cacheControl] == "public, max-age=300")
            }
            try await client.execute(uri: "/static/insigne.js", method: .get) { r in
                #expect(r.headers[.contentType] == "text/javascript; charset=utf-8")
            }
            try await client.execute(uri: "/static/..%2FTemplates%2Flayouts%2Fpublic.mustache", method: .get) { r in
                #expect(r.status == .notFound)
            }
            // The signed-in layout links trainer.css without a version: an hour in cache, no ETag.
            try await client.execute(uri: "/static/trainer.css", method: .get) { r in
                #expect(r.status == .ok)
                #expect(r.headers[.contentType] == "text/css; charset=utf-8")
                #expect(r.headers[.cacheControl] == "public, max-age=3600")
                #expect(r.headers[HTTPField.Name("ETag")!] == nil)
                #expect(r.body.readableBytes > 1000)
            }
        }
    }
}

@Suite struct VerifyMultipartParserTests {
    @Test func parsesFieldsAndFiles() throws {
        let body = Array(
            "preamble\r\n--XyZ\r\nContent-Disposition: form-data; name=\"recipient\"\r\n\r\na@b.c\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a \\\"b\\\".png\"\r\nContent-Type: image/png\r\n\r\n\u{1}\r\n--X\r\n--XyZ--\r\n"
                .utf8)
        let parts = try MultipartFormData.parse(body, boundary: "XyZ")
        #expect(parts.count == 2)
        #expect(
            parts[0] == MultipartPart(name: "recipient", filename: nil, contentType: nil, body: Array("a@b.c".utf8)))
        #expect(parts[1].filename == "a \"b\".png")
        #expect(parts[1].contentType == "image/png")
        #expect(parts[1].body == Array("\u{1}\r\n--X".utf8))
    }

    @Test func boundaryParameter() {
        #expect(MultipartFormData.boundary(contentType: "multipart/form-data; boundary=abc") == "abc")
        #expect(
            MultipartFormData.boundary(contentType: "Multipart/Form-Data; charset=utf-8; BOUNDARY=\"a b\"") == "a b")
        #expect(MultipartFormData.boundary(contentType: "multipart/mixed; boundary=abc") == nil)
        #expect(MultipartFormData.boundary(contentType: "multipart/form-data") == nil)
        #expect(
            MultipartFormData.boundary(
                contentType: "multipart/form-data; boundary=" + String(repeating: "a", count: 71)) == nil)
    }

    @Test func rejectsMalformedBodies() {
        let bad = [
            "no boundary here",
            "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nunterminated",
            "--XyZ\r\nContent-Type: text/plain\r\n\r\nx\r\n--XyZ--",
            "--XyZ\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nx\r\n--XyZ--",
            "--XyZ\r\nContent-Disposition: form-data\r\n\r\nx\r\n--XyZ--",
            "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\nx\r\n--XyZ--",
            "--XyZ garbage",
        ]
        for b in bad {
            #expect(throws: MultipartFormData.Malformed.self, "\(b)") {
                try MultipartFormData.parse(Array(b.utf8), boundary: "XyZ")
            }
        }
        let many =
            (0...MultipartFormData.maxParts).map {
                "--XyZ\r\nContent-Disposition: form-data; name=\"f\($0)\"\r\n\r\nx\r\n"
            }.joined() + "--XyZ--"
        #expect(throws: MultipartFormData.Malformed.self) {
            try MultipartFormData.parse(Array(many.utf8), boundary: "XyZ")
        }
    }
}
