import Foundation
import OpenBadges
import Testing

@testable import OpenBadgesHTTP

/// Loads and returns the loader error (failing the test when the load succeeds).
func loadError(
    _ loader: HTTPDocumentLoader, _ url: String, accept: String = "application/json",
    sourceLocation: SourceLocation = #_sourceLocation
) async -> DocumentLoaderError? {
    guard let parsed = URL(string: url) else {
        Issue.record("bad test URL \(url)", sourceLocation: sourceLocation)
        return nil
    }
    do {
        let document = try await loader.load(parsed, accept: accept)
        Issue.record("expected an error, got status \(document.statusCode)", sourceLocation: sourceLocation)
        return nil
    } catch let error as DocumentLoaderError {
        return error
    } catch {
        Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

let testConfiguration = HTTPLoaderConfiguration(connectTimeout: 1, totalTimeout: 3, addressPolicy: .allowAll)
let allowAllLoader = HTTPDocumentLoader(configuration: testConfiguration)

struct HTTPDocumentLoaderTests {
    @Test func fetchesContentLengthBody() async throws {
        let server = try TestServer { _ in
            .response(headers: ["Content-Type: application/ld+json"], body: #"{"id":"x"}"#)
        }
        let url = URL(string: "\(server.baseURL)/badge.json?v=1")!
        let document = try await allowAllLoader.load(url, accept: "application/ld+json, application/json")
        #expect(document.statusCode == 200)
        #expect(document.contentType == "application/ld+json")
        #expect(String(decoding: document.body, as: UTF8.self) == #"{"id":"x"}"#)
        #expect(document.url == url)
        let request = try #require(server.requests.first)
        #expect(request.raw.hasPrefix("GET /badge.json?v=1 HTTP/1.1\r\n"))
        #expect(request.header("Host") == "127.0.0.1:\(server.port)")
        #expect(request.header("Accept") == "application/ld+json, application/json")
        #expect(request.header("User-Agent") == "Insigne/0.1 (+Open Badges verifier)")
        #expect(request.header("Accept-Encoding") == "identity")
        #expect(request.header("Connection") == "close")
    }

    @Test func fetchesChunkedBody() async throws {
        let server = try TestServer { _ in
            .text(
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n"
                    + "4\r\n{\"a\"\r\nA;ext=1\r\n:[1,2,3,4]\r\n1\r\n}\r\n0\r\nX-Trailer: yes\r\n\r\n")
        }
        let document = try await allowAllLoader.load(URL(string: server.baseURL + "/")!, accept: "*/*")
        #expect(String(decoding: document.body, as: UTF8.self) == #"{"a":[1,2,3,4]}"#)
    }

    @Test func readsBodyUntilClose() async throws {
        let server = try TestServer { _ in .text("HTTP/1.0 200 OK\r\n\r\nhello until close") }
        let document = try await allowAllLoader.load(URL(string: server.baseURL + "/")!, accept: "*/*")
        #expect(String(decoding: document.body, as: UTF8.self) == "hello until close")
    }

    @Test func skipsInterimResponses() async throws {
        let server = try TestServer { _ in
            .text(
                "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
            )
        }
        let document = try await allowAllLoader.load(URL(string: server.baseURL + "/")!, accept: "*/*")
        #expect(document.statusCode == 200 && document.body == Array("ok".utf8))
    }

    @Test(arguments: [(410, "Gone"), (404, "Not Found"), (500, "Internal Server Error")])
    func returnsErrorStatusesAsDocuments(status: Int, reason: String) async throws {
        let server = try TestServer { _ in .response("\(status) \(reason)", body: "status body") }
        let document = try await allowAllLoader.load(URL(string: server.baseURL + "/revoked")!, accept: "*/*")
        #expect(document.statusCode == status)
        #expect(document.body == Array("status body".utf8))
    }

    @Test func followsRelativeAndAbsoluteRedirects() async throws {
        let server = try TestServer { request in
            switch request.path {
            case "/start": return .response("301 Moved Permanently", headers: ["Location: next?x=1"])
            case "/next?x=1":
                return .response("302 Found", headers: ["Location: http://127.0.0.1:\(request.port)/third"])
            case "/third": return .response("307 Temporary Redirect", headers: ["Location: /final"], body: "ignored")
            case "/final": return .response(body: "done")
            default: return .response("404 Not Found")
            }
        }
        let document = try await allowAllLoader.load(URL(string: server.baseURL + "/start")!, accept: "*/*")
        #expect(document.statusCode == 200)
        #expect(document.body == Array("done".utf8))
        #expect(document.url.absoluteString == server.baseURL + "/final")
        #expect(server.requests.map(\.path) == ["/start", "/next?x=1", "/third", "/final"])
    }

    @Test func limitsRedirectChains() async throws {
        let server = try TestServer { request in
            let n = Int(request.path.dropFirst()) ?? 0
            return .response("308 Permanent Redirect", headers: ["Location: /\(n + 1)"])
        }
        var configuration = testConfiguration
        configuration.maxRedirects = 3
        let error = await loadError(HTTPDocumentLoader(configuration: configuration), server.baseURL + "/0")
        #expect(error?.code == .tooManyRedirects)
        #expect(server.requests.count == 4)
    }

    @Test func returnsRedirectWithoutLocationAsDocument() async throws {
        let server = try TestServer { _ in .response("302 Found", body: "no location") }
        let document = try await allowAllLoader.load(URL(string: server.baseURL + "/")!, accept: "*/*")
        #expect(document.statusCode == 302)
    }

    @Test func refusesRedirectToOtherSchemes() async throws {
        let server = try TestServer { _ in .response("302 Found", headers: ["Location: file:///etc/passwd"]) }
        let error = await loadError(allowAllLoader, server.baseURL + "/")
        #expect(error?.code == .unsupportedScheme)
    }

    @Test func enforcesBodyLimit() async throws {
        var configuration = testConfiguration
        configuration.maxBodyBytes = 1000
        let loader = HTTPDocumentLoader(configuration: configuration)
        let big = String(repeating: "x", count: 5000)
        let declared = try TestServer { _ in .response(body: big) }
        #expect(await loadError(loader, declared.baseURL + "/")?.code == .tooLarge)
        let chunked = try TestServer { _ in
            .text(
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + String(repeating: "100\r\n" + String(repeating: "y", count: 256) + "\r\n", count: 20)
                    + "0\r\n\r\n")
        }
        #expect(await loadError(loader, chunked.baseURL + "/")?.code == .tooLarge)
        let untilClose = try TestServer { _ in .text("HTTP/1.1 200 OK\r\n\r\n" + big) }
        #expect(await loadError(loader, untilClose.baseURL + "/")?.code == .tooLarge)
        let hugeChunk = try TestServer { _ in
            .text("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFFFF\r\n")
        }
        #expect(await loadError(loader, hugeChunk.baseURL + "/")?.code == .tooLarge)
    }

    @Test func timesOutOnSilentServer() async throws {
        let server = try TestServer(lifetime: 60) { _ in .silence(60) }
        var configuration = testConfiguration
        configuration.totalTimeout = 0.5
        let start = Date()
        let error = await loadError(HTTPDocumentLoader(configuration: configuration), server.baseURL + "/")
        #expect(error?.code == .timeout)
        #expect(Date().timeIntervalSince(start) < 30, "a timeout must not wait for the server")
        // The loader closed its socket: the server sees the close while still silent.
        for _ in 0..<100 where !server.clientClosedDuringSilence { try await Task.sleep(for: .milliseconds(100)) }
        #expect(server.clientClosedDuringSilence)
    }

    @Test func cancellationClosesTheConnection() async throws {
        let server = try TestServer(lifetime: 60) { _ in .silence(60) }
        let url = URL(string: server.baseURL + "/")!
        var patient = testConfiguration
        patient.totalTimeout = 120
        let loader = HTTPDocumentLoader(configuration: patient)
        let task = Task { try await loader.load(url, accept: "*/*") }
        // Cancel only once the request has reached the (silent) server, so there is a connection to close.
        for _ in 0..<200 where server.requests.isEmpty { try await Task.sleep(for: .milliseconds(50)) }
        #expect(!server.requests.isEmpty)
        // Measured from the cancellation: the server stays silent for 60 s, so well under that means it did not wait.
        let cancelled = Date()
        task.cancel()
        let result = await task.result
        #expect(throws: CancellationError.self) { try result.get() }
        #expect(Date().timeIntervalSince(cancelled) < 45, "cancellation must not wait for the server")
        for _ in 0..<100 where !server.clientClosedDuringSilence { try await Task.sleep(for: .milliseconds(100)) }
        #expect(server.clientClosedDuringSilence)
    }

    @Test(arguments: [
        "HTTP/1.1 OK\r\n\r\n",
        "HTTP/1.1 2000 OK\r\n\r\n",
        "SSH-2.0-OpenSSH_9.6\r\n\r\n",
        "<html>hello</html>\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabcdefgh\r\n0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab",
        "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 2\r\n\r\nxx",
        "HTTP/1.1 200 OK\r\nContent-Len",
        "HTTP/1.1 101 Switching Protocols\r\n\r\n",
        "",
    ])
    func rejectsMalformedResponses(response: String) async throws {
        let server = try TestServer { _ in .text(response) }
        let error = await loadError(allowAllLoader, server.baseURL + "/")
        #expect(error?.code == .malformedResponse, "\(error?.description ?? "no error")")
    }

    @Test func rejectsHeaderBomb() async throws {
        let line = "X-Bomb: " + String(repeating: "a", count: 1000) + "\r\n"
        let server = try TestServer { _ in
            .text("HTTP/1.1 200 OK\r\n" + String(repeating: line, count: 200) + "Content-Length: 0\r\n\r\n")
        }
        let error = await loadError(allowAllLoader, server.baseURL + "/")
        #expect(error?.code == .malformedResponse)
        #expect(error?.message.contains("exceeds") == true)
        let endless = try TestServer { _ in .text("HTTP/1.1 200 OK\r\nX: " + String(repeating: "b", count: 300_000)) }
        #expect(await loadError(allowAllLoader, endless.baseURL + "/")?.code == .malformedResponse)
    }

    @Test func refusesConnectionClosedWithoutAnswer() async throws {
        let server = try TestServer { _ in .close }
        #expect(await loadError(allowAllLoader, server.baseURL + "/")?.code == .malformedResponse)
    }

    @Test func reportsRefusedConnection() async throws {
        let port = try TestServer.closedPort()
        let error = await loadError(allowAllLoader, "http://127.0.0.1:\(port)/")
        #expect(error?.code == .connectionFailed)
    }

    @Test func tlsAgainstPlainServerFailsCleanly() async throws {
        let server = try TestServer { _ in .response("400 Bad Request", body: "not TLS") }
        let start = Date()
        let error = await loadError(allowAllLoader, "https://127.0.0.1:\(server.port)/")
        #expect(error?.code == .tlsFailed || error?.code == .connectionFailed, "\(error?.description ?? "")")
        #expect(Date().timeIntervalSince(start) < 30, "a timeout must not wait for the server")
        let silent = try TestServer(lifetime: 60) { _ in .silence(60) }
        var configuration = testConfiguration
        configuration.totalTimeout = 0.5
        let timeout = await loadError(
            HTTPDocumentLoader(configuration: configuration), "https://localhost:\(silent.port)/")
        #expect(timeout?.code == .timeout || timeout?.code == .connectionFailed, "\(timeout?.description ?? "")")
    }
}
