import Foundation
import OpenBadges
import Testing

@testable import OpenBadgesHTTP

struct RequestTargetTests {
    @Test func buildsOriginFormAndHostHeader() throws {
        let a = try RequestTarget.make(URL(string: "http://Example.COM:8080/a/b?x=1#frag")!)
        #expect(a.host == "example.com")
        #expect(a.hostHeader == "example.com:8080")
        #expect(a.requestTarget == "/a/b?x=1")
        #expect(a.port == 8080)
        let b = try RequestTarget.make(URL(string: "https://example.com")!)
        #expect(b.hostHeader == "example.com" && b.requestTarget == "/" && b.port == 443 && b.isHTTPS)
        let c = try RequestTarget.make(URL(string: "http://[::1]:81/")!)
        #expect(c.ipLiteral == IPAddress("::1") && c.hostHeader == "[::1]:81")
    }

    @Test(arguments: [
        "http://user:pw@example.com/", "http://@example.com/", "http://example.com:0/", "http:///x", "http:/x",
    ])
    func rejectsInvalidURLs(text: String) throws {
        let url = try #require(URL(string: text))
        #expect(throws: (any Error).self) { try RequestTarget.make(url) }
        do {
            _ = try RequestTarget.make(url)
        } catch {
            #expect(error.code == .invalidURL)
        }
    }

    @Test func refusesHTTPSDowngradeOnRedirect() throws {
        let secure = try RequestTarget.make(URL(string: "https://example.com/a")!)
        #expect(throws: (any Error).self) { try checkRedirect(from: secure, to: URL(string: "http://example.com/b")!) }
        try checkRedirect(from: secure, to: URL(string: "https://other.example/b")!)
        let plain = try RequestTarget.make(URL(string: "http://example.com/a")!)
        try checkRedirect(from: plain, to: URL(string: "https://example.com/b")!)
    }

    @Test func parsesHeadStrictly() throws {
        let ok = try HTTPHead.parse(ArraySlice("HTTP/1.1 200 OK\r\nContent-Type:  text/plain \r\nX-A: b".utf8))
        #expect(ok.statusCode == 200)
        #expect(ok.first("content-type") == "text/plain")
        #expect(try HTTPHead.parse(ArraySlice("HTTP/1.0 404".utf8)).statusCode == 404)
        for bad in [
            "HTTP/2 200 OK", "HTTP/1.1 20 OK", "HTTP/1.1 999 Nope", "ICY 200 OK", "HTTP/1.1 200 OK\r\n folded",
            "HTTP/1.1 200 OK\r\nBad Name: x", "HTTP/1.1 200 OK\r\nNoColon", "HTTP/1.1 200 OK\nX: y",
            "HTTP/1.1 200 OK\r\nX: a\u{1}b", "HTTP/1.1 200OK",
        ] {
            #expect(throws: (any Error).self, "\(bad)") { try HTTPHead.parse(ArraySlice(bad.utf8)) }
        }
    }

    @Test func decidesFraming() throws {
        func head(_ headers: [(String, String)], status: Int = 200) -> HTTPHead {
            HTTPHead(statusCode: status, headers: headers.map { (name: $0.0, value: $0.1) })
        }
        #expect(try BodyFraming.decide(for: head([("content-length", "12")]), maxBodyBytes: 100) == .contentLength(12))
        #expect(
            try BodyFraming.decide(for: head([("content-length", "12"), ("content-length", "12")]), maxBodyBytes: 100)
                == .contentLength(12))
        #expect(
            try BodyFraming.decide(
                for: head([("transfer-encoding", "chunked"), ("content-length", "5")]), maxBodyBytes: 100) == .chunked)
        #expect(try BodyFraming.decide(for: head([]), maxBodyBytes: 100) == .untilClose)
        #expect(try BodyFraming.decide(for: head([("content-length", "5")], status: 204), maxBodyBytes: 100) == .none)
        let failures: [([(String, String)], DocumentLoaderError.Code)] = [
            ([("content-length", "-1")], .malformedResponse),
            ([("content-length", "1x")], .malformedResponse),
            ([("content-length", "")], .malformedResponse),
            ([("content-length", "5"), ("content-length", "6")], .malformedResponse),
            ([("content-length", "101")], .tooLarge),
            ([("content-length", "99999999999999999999999999999")], .tooLarge),
            ([("transfer-encoding", "gzip, chunked")], .malformedResponse),
        ]
        for (headers, code) in failures {
            do {
                _ = try BodyFraming.decide(for: head(headers), maxBodyBytes: 100)
                Issue.record("expected \(code) for \(headers)")
            } catch {
                #expect(error.code == code, "\(headers)")
            }
        }
    }
}
