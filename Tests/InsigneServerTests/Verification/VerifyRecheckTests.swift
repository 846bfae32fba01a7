import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import InsigneStore
import OpenBadges
import Testing

@testable import InsigneServer

/// `/verify`: after a first verdict from an uploaded file, another address is checked without choosing the file again.
@Suite struct VerifyRecheckTests {
    static let html = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

    /// The hidden kept-upload token of a result page.
    static func keptToken(_ page: String) -> String? {
        guard let r = page.range(of: #"name="upload" value="[0-9a-f]{32}""#, options: .regularExpression) else {
            return nil
        }
        return String(page[r].dropFirst(#"name="upload" value=""#.count).dropLast())
    }

    static func recheck(_ token: String, _ recipient: String) -> ByteBuffer {
        Multipart.body([
            .init(name: "upload", body: Array(token.utf8)), .init(name: "recipient", body: Array(recipient.utf8)),
        ])
    }

    @Test func anotherAddressWithoutChoosingTheFileAgain() async throws {
        let f = try await VerifyFixture.make()
        let a = try await f.award()
        try await f.fullApp().test(.router) { client in
            let png = try await client.execute(uri: "/assertions/\(a.id)/badge.png", method: .get) { bytes($0.body) }
            let token = try await client.execute(
                uri: "/verify?lang=fr", method: .post, headers: Multipart.headers(accept: Self.html),
                body: Multipart.file(png)
            ) { r in
                let page = text(r.body)
                #expect(page.contains("Badge valide"))
                #expect(page.contains("Vérifier pour une autre adresse"))
                #expect(page.contains("Le fichier est gardé 15 minutes"))
                return try #require(Self.keptToken(page))
            }
            // A wrong address, then the right one, with the token only.
            try await client.execute(
                uri: "/verify?lang=fr", method: .post, headers: Multipart.headers(accept: Self.html),
                body: Self.recheck(token, "jean@example.org")
            ) { r in
                #expect(r.status == .ok)
                let page = text(r.body)
                #expect(page.contains("Badge non délivré à cette personne"))
                #expect(Self.keptToken(page) == token)
            }
            try await client.execute(
                uri: "/verify?lang=en", method: .post, headers: Multipart.headers(accept: Self.html),
                body: Self.recheck(token, "marie.dupont@example.org")
            ) { r in
                let page = text(r.body)
                #expect(page.contains("Valid badge"))
                #expect(page.contains("Issued to marie.dupont@example.org"))
                #expect(page.contains("Check against another address"))
            }
            // The JSON API is unchanged: no token in the report.
            try await client.execute(
                uri: "/verify", method: .post, headers: Multipart.headers(), body: Multipart.file(png)
            ) { r in
                #expect(r.headers[.contentType]?.hasPrefix("application/json") == true)
                #expect(jsonOrNull(r.body)["valid"] == true)
                #expect(!text(r.body).contains("upload"))
            }
            // A verification from a URL keeps nothing.
            let url = Pages.queryEscape(f.services.urls.assertion(a.id))
            try await client.execute(uri: "/verify?url=\(url)", method: .get, headers: [.accept: Self.html]) { r in
                #expect(Self.keptToken(text(r.body)) == nil)
            }
        }
    }

    @Test func unknownOrExpiredTokenAsksForTheFileAgain() async throws {
        let f = try await VerifyFixture.make()
        let a = try await f.award()
        var limits = VerifyLimits()
        limits.keptUploadLifetime = 0  // forgotten at once
        try await f.app(limits: limits).test(.router) { client in
            let png = try await client.execute(uri: "/assertions/\(a.id)/badge.png", method: .get) { bytes($0.body) }
            let token = try await client.execute(
                uri: "/verify", method: .post, headers: Multipart.headers(accept: Self.html), body: Multipart.file(png)
            ) { r in try #require(Self.keptToken(text(r.body))) }
            try await client.execute(
                uri: "/verify", method: .post, headers: Multipart.headers(accept: Self.html),
                body: Self.recheck(token, "marie.dupont@example.org")
            ) { r in
                #expect(r.status == .gone)
                let page = text(r.body)
                #expect(page.contains("n&#39;est plus conservé"))
                #expect(page.contains("choisissez à nouveau le fichier du badge"))
                #expect(page.contains("name=\"file\""))
            }
            for bad in [String(repeating: "0", count: 32), "../../etc/passwd"] {
                try await client.execute(
                    uri: "/verify?lang=en", method: .post, headers: Multipart.headers(accept: Self.html),
                    body: Self.recheck(bad, "marie.dupont@example.org")
                ) { r in
                    #expect(r.status == .gone)
                    #expect(text(r.body).contains("choose the badge file again"))
                }
            }
            try await client.execute(
                uri: "/verify", method: .post, headers: Multipart.headers(),
                body: Self.recheck(token, "marie.dupont@example.org")
            ) { r in
                #expect(r.status == .gone)
                #expect(jsonOrNull(r.body)["field"] == "file")
            }
        }
    }

    @Test func stashExpiresAndStaysWithinItsBounds() {
        let t0 = Date(timeIntervalSince1970: 1_000_000)
        let stash = UploadStash(lifetime: 900, maxCount: 3, maxTotalBytes: 100)
        let a = try! #require(stash.put(Array(repeating: 1, count: 40), now: t0))
        #expect(UploadStash.isToken(a))
        #expect(stash.get(a, now: t0.addingTimeInterval(899)) == Array(repeating: 1, count: 40))
        #expect(stash.get(a, now: t0.addingTimeInterval(900)) == nil)
        #expect(stash.usage(now: t0.addingTimeInterval(900)) == (0, 0))
        // Total size: the oldest make room.
        let b = try! #require(stash.put(Array(repeating: 2, count: 40), now: t0))
        let c = try! #require(stash.put(Array(repeating: 3, count: 40), now: t0))
        let d = try! #require(stash.put(Array(repeating: 4, count: 40), now: t0))
        #expect(stash.get(b, now: t0) == nil)
        #expect(stash.get(c, now: t0) != nil && stash.get(d, now: t0) != nil)
        #expect(stash.usage(now: t0) == (2, 80))
        // Count: at most three.
        let e = try! #require(stash.put([5], now: t0))
        let g = try! #require(stash.put([6], now: t0))
        #expect(stash.usage(now: t0) == (3, 42))
        #expect(stash.get(c, now: t0) == nil)
        #expect(stash.get(e, now: t0) == [5] && stash.get(g, now: t0) == [6])
        // Larger than the whole stash: not kept, nothing forgotten.
        #expect(stash.put(Array(repeating: 7, count: 101), now: t0) == nil)
        #expect(stash.usage(now: t0) == (3, 42))
        #expect(UploadStash(maxCount: 0).put([1]) == nil)
    }
}
