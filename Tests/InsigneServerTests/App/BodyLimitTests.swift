import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import InsigneStore
import Logging
import NIOCore
import NIOEmbedded
import OpenBadgesHTTP
import TestSupport
import Testing

@testable import InsigneServer

#if canImport(Glibc)
    import Glibc
#endif

private typealias F = BadgeConnectFixtures

/// Every upload route answers a body just over its limit with a 413 in its family's shape and closes the connection.
@Suite("Body limits")
struct BodyLimitTests {
    static let mib = 1024 * 1024

    /// How the 413 must look.
    enum Shape: String, CustomStringConvertible {
        case page, problem, oauth, badgeConnect
        var description: String { rawValue }
    }

    /// One upload route, who calls it, and its limit.
    struct Route: CustomStringConvertible, Sendable {
        enum Caller: Sendable { case trainer, learner, apiToken, oauthClient, anonymous }
        var method: HTTPRequest.Method = .post
        var path: String
        var contentType: String
        var limit: Int
        var caller: Caller
        var shape: Shape
        var description: String { "\(path) (\(contentType))" }
    }

    static let multipart = "multipart/form-data; boundary=----insigne-limit"

    static let routes: [Route] = [
        Route(path: "/trainer/badges/new", contentType: multipart, limit: 8 * mib, caller: .trainer, shape: .page),
        Route(path: "/trainer/referentials", contentType: multipart, limit: 8 * mib, caller: .trainer, shape: .page),
        Route(
            path: "/trainer/badges/bientraitance/bulk", contentType: multipart, limit: 8 * mib, caller: .trainer,
            shape: .page),
        Route(
            path: "/trainer/badges/bientraitance/award", contentType: "application/x-www-form-urlencoded",
            limit: 8 * mib, caller: .trainer, shape: .page),
        Route(
            path: "/portfolio/evidence/new?kind=file", contentType: multipart, limit: 8 * mib, caller: .learner,
            shape: .page),
        Route(path: "/backpack/import", contentType: multipart, limit: 8 * mib, caller: .learner, shape: .page),
        Route(
            path: "/api/v1/issuers/\(DemoSeeder.establishmentID)/badges", contentType: "application/json",
            limit: 8 * mib, caller: .apiToken, shape: .problem),
        Route(
            path: "/api/v1/badges/bientraitance/assertions/batch", contentType: "application/json", limit: 8 * mib,
            caller: .apiToken, shape: .problem),
        Route(
            path: "/api/v1/badges/bientraitance/assertions/batch", contentType: "text/csv", limit: 8 * mib,
            caller: .apiToken, shape: .problem),
        Route(
            path: "/api/v1/badges/bientraitance/assertions", contentType: "application/json", limit: 8 * mib,
            caller: .apiToken, shape: .problem),
        Route(
            path: "/api/v1/referentials", contentType: "text/csv", limit: 5 * mib, caller: .apiToken, shape: .problem),
        Route(path: "/verify", contentType: multipart, limit: 5 * mib + 64 * 1024, caller: .anonymous, shape: .problem),
        Route(path: "/verify", contentType: "image/png", limit: 5 * mib, caller: .anonymous, shape: .problem),
        Route(path: "/verify", contentType: "application/json", limit: 5 * mib, caller: .anonymous, shape: .problem),
        Route(
            path: "/oauth/register", contentType: "application/json", limit: 64 * 1024, caller: .anonymous,
            shape: .oauth),
        Route(
            path: "/oauth/token", contentType: "application/x-www-form-urlencoded", limit: 64 * 1024,
            caller: .anonymous, shape: .oauth),
        Route(
            path: "/ims/ob/v2p1/assertions", contentType: "application/json", limit: 1 * mib, caller: .oauthClient,
            shape: .badgeConnect),
    ]

    @Test(arguments: routes)
    func bodyJustOverTheLimitIs413AndClosesTheConnection(_ route: Route) async throws {
        let h = try await WebHarness.make()
        let store = OAuthStore(db: h.services.db)
        var bearer: String?
        if route.caller == .oauthClient {
            let learner = try await h.addLearner()
            let (client, _) = try await store.register(
                try ClientRegistration(json: F.registration(), allowLoopbackHTTP: false))
            let code = try await store.issueCode(
                client: client, accountID: learner.id, redirectURI: F.redirectURI, scopes: OAuth.offered,
                challenge: F.challenge, now: Date())
            bearer =
                try await store.exchange(
                    code: code, client: client, redirectURI: F.redirectURI, verifier: F.verifier, scope: nil
                ).accessToken
        } else if route.caller == .apiToken {
            bearer = "t"
        }
        let token = bearer
        try await h.run { browser in
            var b = browser
            switch route.caller {
            case .trainer:
                try await b.signIn()
            case .learner:
                try await b.signIn()
                b = try await h.learner(browser, name: "Léa Martin", email: "lea.martin@example.org").0
                _ = try await b.get("/portfolio")
            default: break
            }
            var headers: HTTPFields = [.contentType: route.contentType, .accept: "text/html,application/xhtml+xml"]
            if route.shape != .page { headers[.accept] = "application/json" }
            if let token { headers[.authorization] = "Bearer \(token)" }
            let body = [UInt8](repeating: UInt8(ascii: "a"), count: route.limit + 1)
            let r = try await b.send(route.path, method: route.method, headers: headers, body: ByteBuffer(bytes: body))
            #expect(r.status == .contentTooLarge, "\(route): \(r.status) \(r.body.prefix(300))")
            #expect(r.headers[.connection] == "close", "\(route)")
            switch route.shape {
            case .page:
                #expect(r.headers[.contentType]?.hasPrefix("text/html") == true, "\(route)")
                #expect(r.body.contains("trop volumineux"), "\(route): \(r.body.prefix(300))")
                // The route's own limit, never NIO's remaining budget (« 8190 Kio » seen in a browser).
                if route.path.hasPrefix("/trainer/") {
                    #expect(r.body.contains("8 Mo au maximum"), "\(route): \(r.body.prefix(300))")
                }
            case .problem:
                #expect(r.headers[.contentType]?.hasPrefix("application/problem+json") == true, "\(route)")
                #expect(r.body.contains("trop volumineux") || r.body.contains("too large"), "\(route)")
                #expect(r.body.contains("413"), "\(route)")
            case .oauth:
                #expect(r.body.contains("\"error\""), "\(route): \(r.body)")
                #expect(r.body.contains("invalid_request"), "\(route)")
            case .badgeConnect:
                #expect(r.body.contains("statusCode") && r.body.contains("413"), "\(route): \(r.body)")
            }
        }
    }

    /// A body within the limit still reaches the handler (no 413 from the middleware).
    @Test func bodyWithinTheLimitIsNotRefused() async throws {
        let h = try await WebHarness.make()
        try await h.run { b in
            let r = try await b.send(
                "/api/v1/referentials", method: .post, headers: [.contentType: "text/csv", .authorization: "Bearer t"],
                body: ByteBuffer(bytes: [UInt8](repeating: UInt8(ascii: "a"), count: 1000)))
            #expect(r.status != .contentTooLarge)
            #expect(r.status.code < 500)
            #expect(r.headers[.connection] == nil)
        }
    }

    /// Every size shown to people uses one unit per language: « Mo » / « Ko » in French, MiB / KiB in English (the
    /// limits are binary multiples), never « Mio », « Kio », MB or KB.
    @Test func sizeUnitsAreTheSameEverywhere() throws {
        let sources = TestPaths.packageRoot.appendingPathComponent("Sources")
        let mixed = try NSRegularExpression(pattern: #"[0-9})] (Mio|Kio|MB|KB)\b"#)
        let files = try #require(FileManager.default.enumerator(atPath: sources.path)).compactMap { $0 as? String }
            .filter { $0.hasSuffix(".swift") || $0.hasSuffix(".mustache") }
        #expect(files.count > 50)
        var found: [String] = []
        for file in files {
            let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
            for m in mixed.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                found.append(file + ": " + (Range(m.range, in: text).map { String(text[$0]) } ?? ""))
            }
        }
        #expect(found.isEmpty, "\(found)")
        #expect(BodyLimit.size(5 * Self.mib, english: false) == "5 Mo")
        #expect(BodyLimit.size(5 * Self.mib, english: true) == "5 MiB")
    }

    @Test func messagesNameTheLimitInBothLanguages() {
        let m = BodyLimit.message(limit: 8 * Self.mib)
        #expect(m.fr == "Contenu trop volumineux : 8 Mo au maximum.")
        #expect(m.en == "Content too large: 8 MiB at most.")
        #expect(BodyLimit.message(limit: 64 * 1024).fr.contains("64 Ko"))
        #expect(BodyLimit.isTooLarge(NIOTooManyBytesError(maxBytes: 3)))
        #expect(BodyLimit.isTooLarge(HTTPError(.contentTooLarge)))
        #expect(!BodyLimit.isTooLarge(HTTPError(.badRequest)))
    }

    /// `POST /verify` streamed in chunks without Content-Length, on a real socket: 413 with `Connection: close`,
    /// then the server closes the connection although the client has more to send.
    @Test func chunkedVerifyBodyOverTheLimitIs413AndTheConnectionCloses() async throws {
        try await LiveServer.run { port in
            let socket = try RawSocket(port: port)
            defer { socket.close() }
            try await socket.send(
                "POST /verify HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\n"
                    + "Accept: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
            let chunk = [UInt8](repeating: 0x61, count: 64 * 1024)
            var sent = 0
            while sent <= 5 * Self.mib {
                guard
                    (try? await socket.send(Array("\(String(chunk.count, radix: 16))\r\n".utf8) + chunk + [13, 10]))
                        != nil
                else { break }
                sent += chunk.count
            }
            let response = await socket.readUntilClosed(timeout: 30)
            #expect(response.text.hasPrefix("HTTP/1.1 413"), "\(response.text.prefix(200))")
            #expect(response.text.lowercased().contains("connection: close"))
            #expect(response.text.contains("trop volumineux") || response.text.contains("too large"))
            #expect(response.closed, "the server must close the connection after the 413")
        }
    }
}
