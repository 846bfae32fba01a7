import HTTPTypes
import Hummingbird
import NIOCore
import Testing

@testable import InsigneServer

/// `HTTP.prefersHTML`: the quick « no html in Accept » answer and the full negotiation agree.
@Suite("Accept negotiation")
struct HTTPAcceptTests {
    static func request(accept: String) -> Request {
        Request(
            head: HTTPRequest(method: .get, scheme: nil, authority: nil, path: "/", headerFields: [.accept: accept]),
            body: RequestBody(buffer: ByteBuffer()))
    }

    @Test func htmlIsFoundInAnyCase() {
        for s in ["text/html", "TEXT/HTML", "application/xhtml+xml", "x hhtml", "HtMl"] {
            #expect(HTTP.containsHTML(s.utf8), "\(s)")
        }
        for s in ["", "application/json", "htm", "h t m l", "text/htm;l", "application/ld+json, */*"] {
            #expect(!HTTP.containsHTML(s.utf8), "\(s)")
        }
    }

    @Test(arguments: [
        ("application/json", false), ("text/html", true), ("TEXT/HTML;q=0.9, application/json;q=0.8", true),
        ("application/json, text/html;q=0.5", false), ("application/xhtml+xml", true), ("*/*", false),
        ("text/html;q=0.5, application/ld+json", false), (" text/html ", true),
    ])
    func prefersHTML(_ accept: String, _ html: Bool) {
        #expect(HTTP.prefersHTML(Self.request(accept: accept)) == html)
    }
}
