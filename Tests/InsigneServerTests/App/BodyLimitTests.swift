import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import InsigneStore
import Logging
import NIOCore
import NIOEmbedded
import OpenBadgesHTTP
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
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources")
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

/// Idle, read and write timeouts on a live server.
@Suite("Connection timeouts")
struct ConnectionTimeoutTests {
    static var short: ConnectionTimeouts { ConnectionTimeouts(idle: 1, read: 1, write: 1) }

    @Test func halfSentHeaderIsClosedAfterTheReadTimeout() async throws {
        try await LiveServer.run(timeouts: Self.short) { port in
            let socket = try RawSocket(port: port)
            defer { socket.close() }
            let start = ContinuousClock.now
            try await socket.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            let r = await socket.readUntilClosed(timeout: 30)
            let elapsed = ContinuousClock.now - start
            #expect(r.closed)
            #expect(r.bytes.isEmpty)
            #expect(elapsed >= .milliseconds(800) && elapsed < .seconds(30), "\(elapsed)")
        }
    }

    @Test func headerSentByteByByteStillTimesOut() async throws {
        try await LiveServer.run(timeouts: Self.short) { port in
            let socket = try RawSocket(port: port)
            defer { socket.close() }
            let start = ContinuousClock.now
            var closedEarly = false
            for byte in Array("GET /health HTTP/1.1\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n".utf8) {
                if (try? await socket.send([byte])) == nil {
                    closedEarly = true
                    break
                }
                try await Task.sleep(for: .milliseconds(100))
                if ContinuousClock.now - start > .seconds(3) { break }
            }
            let r = await socket.readUntilClosed(timeout: 30)
            #expect(closedEarly || r.closed)
            #expect(ContinuousClock.now - start < .seconds(35))
        }
    }

    @Test func idleConnectionIsClosed() async throws {
        try await LiveServer.run(timeouts: Self.short) { port in
            let socket = try RawSocket(port: port)
            defer { socket.close() }
            // One complete request, then nothing: closed after the idle timeout.
            try await socket.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            let r = await socket.readUntilClosed(timeout: 30)
            #expect(r.text.hasPrefix("HTTP/1.1 200"))
            #expect(r.closed)
        }
    }

    @Test func normalRequestsStillWork() async throws {
        // Short read and write timeouts; the idle one long enough that a loaded test machine keeps the connection.
        try await LiveServer.run(timeouts: ConnectionTimeouts(idle: 30, read: 1, write: 1)) { port in
            let socket = try RawSocket(port: port)
            defer { socket.close() }
            for _ in 0..<3 {
                try await socket.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                let r = await socket.read(until: "ok", timeout: 30)
                #expect(r.hasPrefix("HTTP/1.1 200"), "\(r)")
                try await Task.sleep(for: .milliseconds(1500))  // longer than the read timeout: idle is not read
            }
        }
    }
}

/// The timeout handler's rules, on an embedded channel with a virtual clock.
@Suite("Connection timeout rules")
struct ConnectionTimeoutHandlerTests {
    static func channel(idle: Double = 60, read: Double = 30, write: Double = 30) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel(
            handler: ConnectionTimeoutHandler(
                timeouts: ConnectionTimeouts(idle: idle, read: read, write: write), logger: Logger(label: "test")))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 9)).wait()
        return channel
    }

    static func advance(_ channel: EmbeddedChannel, seconds: Double) {
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(Int64(seconds * 1000)))
    }

    static func progress(_ channel: EmbeddedChannel, _ event: RequestProgress) {
        channel.pipeline.triggerUserOutboundEvent(event, promise: nil)
    }

    @Test func idleConnectionClosesAfterTheIdleTimeout() throws {
        let c = try Self.channel(idle: 60)
        Self.advance(c, seconds: 59)
        #expect(c.isActive)
        Self.advance(c, seconds: 2)
        #expect(!c.isActive)
    }

    @Test func headerMustArriveWholeWithinTheReadTimeoutEvenWhenItTrickles() throws {
        let c = try Self.channel(idle: 600, read: 30)
        for _ in 0..<5 {
            try c.writeInbound(ByteBuffer(string: "G"))
            Self.advance(c, seconds: 5)
        }
        #expect(c.isActive)
        Self.advance(c, seconds: 6)
        #expect(!c.isActive)
    }

    @Test func bodyMayTakeLongWhileItProgresses() throws {
        let c = try Self.channel(idle: 600, read: 30)
        try c.writeInbound(ByteBuffer(string: "POST / HTTP/1.1\r\n\r\n"))
        Self.progress(c, .headReceived)
        for _ in 0..<10 {
            Self.advance(c, seconds: 20)
            try c.writeInbound(ByteBuffer(string: "x"))
        }
        #expect(c.isActive)
        Self.advance(c, seconds: 31)
        #expect(!c.isActive)
    }

    @Test func aRequestBeingHandledIsNeverTimedOutButTheNextIdleIs() throws {
        let c = try Self.channel(idle: 60, read: 30)
        try c.writeInbound(ByteBuffer(string: "GET / HTTP/1.1\r\n\r\n"))
        Self.progress(c, .headReceived)
        Self.progress(c, .requestReceived)
        Self.advance(c, seconds: 600)
        #expect(c.isActive)
        Self.progress(c, .responseSent)
        Self.advance(c, seconds: 59)
        #expect(c.isActive)
        Self.advance(c, seconds: 2)
        #expect(!c.isActive)
    }

    @Test func unreadResponseIsClosedAfterTheWriteTimeout() throws {
        let c = try Self.channel(idle: 600, read: 600, write: 30)
        try c.writeInbound(ByteBuffer(string: "GET / HTTP/1.1\r\n\r\n"))
        Self.progress(c, .headReceived)
        Self.progress(c, .requestReceived)
        c.isWritable = false
        c.pipeline.fireChannelWritabilityChanged()
        Self.advance(c, seconds: 29)
        #expect(c.isActive)
        // The client read a little: writable again, then stuck again; the write timeout starts over.
        c.isWritable = true
        c.pipeline.fireChannelWritabilityChanged()
        c.isWritable = false
        c.pipeline.fireChannelWritabilityChanged()
        Self.advance(c, seconds: 29)
        #expect(c.isActive)
        Self.advance(c, seconds: 2)
        #expect(!c.isActive)
    }
}

/// `INSIGNE_TRUSTED_PROXIES` and the client address every rate limit uses.
@Suite("Client address")
struct ClientAddressTests {
    static func proxies(_ list: String) -> TrustedProxies { try! TrustedProxies(parsing: list) }

    @Test func untrustedPeerIsTheClientWhateverItForwards() {
        let none = TrustedProxies()
        #expect(
            ClientAddress.resolve(peer: "198.51.100.7", forwardedFor: ["203.0.113.9"], trusted: none) == "198.51.100.7")
        let other = Self.proxies("10.0.0.0/8")
        #expect(
            ClientAddress.resolve(peer: "198.51.100.7", forwardedFor: ["203.0.113.9"], trusted: other)
                == "198.51.100.7")
    }

    @Test func trustedPeerGivesTheForwardedClient() {
        let t = Self.proxies("10.0.0.1")
        #expect(ClientAddress.resolve(peer: "10.0.0.1", forwardedFor: ["203.0.113.9"], trusted: t) == "203.0.113.9")
        // Forged entries on the left are ignored: the first untrusted from the right is the client.
        #expect(
            ClientAddress.resolve(peer: "10.0.0.1", forwardedFor: ["1.2.3.4, 203.0.113.9"], trusted: t)
                == "203.0.113.9")
        #expect(ClientAddress.resolve(peer: "10.0.0.1", forwardedFor: [], trusted: t) == "10.0.0.1")
        #expect(
            ClientAddress.resolve(peer: "::ffff:10.0.0.1", forwardedFor: ["203.0.113.9"], trusted: t) == "203.0.113.9")
    }

    @Test func chainOfProxies() {
        let t = Self.proxies("10.0.0.0/8, 192.168.1.5, 2001:db8::/32")
        #expect(
            ClientAddress.resolve(
                peer: "10.1.2.3", forwardedFor: ["6.6.6.6, 203.0.113.9, 192.168.1.5", "10.9.9.9"], trusted: t)
                == "203.0.113.9")
        #expect(
            ClientAddress.resolve(peer: "2001:db8::1", forwardedFor: ["2001:db8::2, [2001:db8:1::9]:4711"], trusted: t)
                == "2001:db8::2")
        #expect(
            ClientAddress.resolve(peer: "2001:db8::1", forwardedFor: ["2a01:e0a::7, 2001:db8::2"], trusted: t)
                == "2a01:e0a::7")
        #expect(
            ClientAddress.resolve(peer: "10.1.2.3", forwardedFor: ["203.0.113.9:51234, 10.2.2.2"], trusted: t)
                == "203.0.113.9")
        // Every hop trusted: the leftmost.
        #expect(ClientAddress.resolve(peer: "10.1.2.3", forwardedFor: ["10.3.3.3, 10.2.2.2"], trusted: t) == "10.3.3.3")
    }

    @Test func malformedForwardedForFallsBackToThePeer() {
        let t = Self.proxies("10.0.0.1")
        for bad in ["unknown", "203.0.113.9, garbage", "", " , ", "203.0.113.999", "[::1", "1.2.3.4:port", "_hidden"] {
            #expect(ClientAddress.resolve(peer: "10.0.0.1", forwardedFor: [bad], trusted: t) == "10.0.0.1", "\(bad)")
        }
        #expect(ClientAddress.resolve(peer: nil, forwardedFor: ["203.0.113.9"], trusted: t) == "unknown")
    }

    @Test func proxyListParsing() throws {
        let t = try TrustedProxies(parsing: " 127.0.0.1 ,10.0.0.0/8,::1, fd00::/8 ,")
        #expect(t.ranges.count == 4)
        #expect(t.trusts(IPAddress("10.200.3.4")!))
        #expect(!t.trusts(IPAddress("11.0.0.1")!))
        #expect(t.trusts(IPAddress("fd12::5")!))
        #expect(t.trusts(IPAddress("::ffff:127.0.0.1")!))
        #expect(!t.trusts(IPAddress("::2")!))
        #expect(try TrustedProxies(parsing: "").ranges.isEmpty)
        #expect(try TrustedProxies(parsing: "0.0.0.0/0").trusts(IPAddress("203.0.113.1")!))
        for bad in ["10.0.0.0/33", "::/129", "localhost", "10.0.0.0/", "10.0.0.0/-1", "10.0.0/8", "1.2.3.4/+8"] {
            #expect(throws: TrustedProxiesError.self, "\(bad)") { try TrustedProxies(parsing: "127.0.0.1, \(bad)") }
        }
        do {
            _ = try TrustedProxies(parsing: "10.0.0.0/33")
        } catch let e as TrustedProxiesError {
            #expect(e.fr.contains("« 10.0.0.0/33 »"))
            #expect(e.en.contains("\"10.0.0.0/33\""))
        }
    }

    /// On a live server behind a trusted proxy (the loopback), the `/verify` limit is per forwarded client;
    /// without trust, a forged `X-Forwarded-For` changes nothing.
    @Test(arguments: [true, false])
    func verifyRateLimitUsesTheForwardedClientOnlyBehindATrustedProxy(_ trusted: Bool) async throws {
        var config = LiveServer.configuration()
        config.verifyRateLimitPerMinute = 1
        if trusted { config.trustedProxies = Self.proxies("127.0.0.1, ::1") }
        try await LiveServer.run(config) { port in
            func post(_ xff: String) async throws -> String {
                let socket = try RawSocket(port: port)
                defer { socket.close() }
                try await socket.send(
                    "POST /verify HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\nX-Forwarded-For: \(xff)\r\n"
                        + "Connection: close\r\nContent-Length: 0\r\n\r\n")
                return String(await socket.readUntilClosed(timeout: 30).text.prefix(12))
            }
            let first = try await post("203.0.113.1")
            let again = try await post("203.0.113.1")
            let other = try await post("203.0.113.2")
            #expect(first == "HTTP/1.1 415")
            #expect(again == "HTTP/1.1 429")
            #expect(other == (trusted ? "HTTP/1.1 415" : "HTTP/1.1 429"))
        }
    }
}

/// The configured `verifyRateLimitPerMinute` is the one applied.
@Suite("Verify rate limit configuration")
struct VerifyRateLimitConfigurationTests {
    func statuses(limit: Int?, requests: Int) async throws -> [HTTPResponse.Status] {
        var config = ServerConfiguration()
        config.dataDirectory =
            FileManager.default.temporaryDirectory.appendingPathComponent("insigne-limits-\(UUID().uuidString)").path
        config.verifyRateLimitPerMinute = limit
        let services = try ServerServices(configuration: config, db: try AppDatabase.inMemory())
        let app = Application(router: buildRouter(services))
        return try await app.test(.router) { client in
            var out: [HTTPResponse.Status] = []
            for _ in 0..<requests {
                out.append(
                    try await client.executeRequest(
                        uri: "/verify", method: .post, headers: [.accept: "application/json"], body: nil
                    ).status)
            }
            return out
        }
    }

    @Test func configuredLimitIsApplied() async throws {
        // Refill is one token every 60/limit seconds: far longer than these few requests take.
        let one = try await statuses(limit: 1, requests: 2)
        #expect(one == [.unsupportedMediaType, .tooManyRequests])
        // Larger limits: the configured value is the rate and the burst (checked on the value, since a loaded
        // machine may take longer than one refill between requests).
        var config = ServerConfiguration()
        config.verifyRateLimitPerMinute = 7
        #expect(VerifyLimits(configuration: config).perMinute == 7)
        #expect(VerifyLimits(configuration: config).burst == 7)
        let unlimited = try await statuses(limit: nil, requests: 40)
        #expect(!unlimited.contains(.tooManyRequests))
    }
}

// MARK: - Live server and raw sockets

/// A live service on 127.0.0.1 (an ephemeral port) built as `insigne serve` builds it.
enum LiveServer {
    static func configuration() -> ServerConfiguration {
        var config = ServerConfiguration()
        config.host = "127.0.0.1"
        config.port = 0
        config.dataDirectory =
            FileManager.default.temporaryDirectory.appendingPathComponent("insigne-live-\(UUID().uuidString)").path
        return config
    }

    static func run(
        timeouts: ConnectionTimeouts = ConnectionTimeouts(), _ test: @escaping @Sendable (Int) async throws -> Void
    ) async throws {
        var config = configuration()
        config.timeouts = timeouts
        try await run(config, test)
    }

    static func run(_ config: ServerConfiguration, _ test: @escaping @Sendable (Int) async throws -> Void)
        async throws
    {
        let services = try ServerServices(configuration: config, db: try AppDatabase.inMemory())
        var logger = Logger(label: "insigne-test")
        logger.logLevel = .error
        let app = makeApplication(router: buildRouter(services), configuration: config, logger: logger)
        try await app.test(.live) { client in
            try await test(try #require(client.port))
        }
    }
}

/// A TCP client that sends exactly the bytes a slow or hostile client would. Sockets are non-blocking and waits are
/// `Task.sleep`, so the tests never hold a thread of the cooperative pool that the server's handlers need.
final class RawSocket: @unchecked Sendable {
    let fd: Int32

    struct SocketError: Error { var what: String }

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SocketError(what: "socket") }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let r = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard r == 0 else {
            Glibc.close(fd)
            throw SocketError(what: "connect")
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
    }

    func send(_ text: String) async throws { try await send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) async throws {
        var offset = 0
        let deadline = ContinuousClock.now + .seconds(20)
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n > 0 {
                offset += n
            } else if n < 0, errno == EAGAIN || errno == EWOULDBLOCK, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(5))
            } else {
                throw SocketError(what: "send")
            }
        }
    }

    struct Received {
        var bytes: [UInt8]
        var closed: Bool
        var text: String { String(decoding: bytes, as: UTF8.self) }
    }

    /// Reads until the peer closes (or resets) the connection, until `stop` says enough, or `timeout` seconds pass.
    func receive(timeout: Double, stop: ([UInt8]) -> Bool = { _ in false }) async -> Received {
        let deadline = ContinuousClock.now + .milliseconds(Int(timeout * 1000))
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while ContinuousClock.now < deadline {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 {
                out += buffer[0..<n]
                if stop(out) { return Received(bytes: out, closed: false) }
            } else if n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK) {
                return Received(bytes: out, closed: true)
            } else {
                try? await Task.sleep(for: .milliseconds(10))
            }
        }
        return Received(bytes: out, closed: false)
    }

    func readUntilClosed(timeout: Double) async -> Received { await receive(timeout: timeout) }

    /// Reads until `marker` appears after the response head, or `timeout` seconds pass.
    func read(until marker: String, timeout: Double) async -> String {
        await receive(timeout: timeout) { bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            guard let head = text.range(of: "\r\n\r\n") else { return false }
            return text[head.upperBound...].contains(marker)
        }.text
    }

    func close() { Glibc.close(fd) }
}
