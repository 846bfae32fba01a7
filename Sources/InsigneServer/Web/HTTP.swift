import Foundation
import HTTPTypes
import Hummingbird
import MultipartParsing
import OpenBadges

extension HTTPField.Name {
    static let eTag = HTTPField.Name("ETag")!
    static let ifNoneMatch = HTTPField.Name("If-None-Match")!
    static let contentLanguage = HTTPField.Name("Content-Language")!
}

/// Small helpers for responses and content negotiation.
enum HTTP {
    /// True when the client ranks `text/html` above the JSON types (a browser).
    static func prefersHTML(_ request: Request) -> Bool {
        guard let accept = request.headers[.accept] else { return false }
        // Without « html » (any case) no type can count as HTML: JSON clients skip the parsing below.
        guard containsHTML(accept.utf8) else { return false }
        var html = -1.0
        var json = -1.0
        for part in accept.split(separator: ",") {
            let fields = part.split(separator: ";").map { MultipartFormData.trimmed($0) }
            guard let type = fields.first?.lowercased() else { continue }
            var q = 1.0
            for f in fields.dropFirst() where f.hasPrefix("q=") { q = Double(f.dropFirst(2)) ?? 0 }
            if type == "text/html" || type == "application/xhtml+xml" { html = max(html, q) }
            if type == "application/ld+json" || type == "application/json" { json = max(json, q) }
        }
        return html > json
    }

    /// True when the bytes contain `html` in any ASCII case.
    static func containsHTML(_ bytes: String.UTF8View) -> Bool {
        let html: (UInt8, UInt8, UInt8, UInt8) = (0x68, 0x74, 0x6D, 0x6C)
        var matched = 0
        for b in bytes {
            let lower = b | 0x20
            let expected = matched == 0 ? html.0 : matched == 1 ? html.1 : matched == 2 ? html.2 : html.3
            if lower == expected {
                matched += 1
                if matched == 4 { return true }
            } else {
                matched = lower == 0x68 ? 1 : 0
            }
        }
        return false
    }

    /// True when the request's `If-None-Match` lists `etag` (answer 304).
    static func ifNoneMatch(_ request: Request, etag: String) -> Bool {
        guard let inm = request.headers[.ifNoneMatch] else { return false }
        return inm.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces) == etag }
    }

    /// True when the client asked only for plain `application/json` (then that is the content type served).
    static func wantsPlainJSON(_ request: Request) -> Bool {
        guard let accept = request.headers[.accept]?.lowercased() else { return false }
        return accept.contains("application/json") && !accept.contains("application/ld+json")
    }

    /// A response with bytes.
    static func bytes(
        _ body: [UInt8], status: HTTPResponse.Status = .ok, contentType: String, headers extra: HTTPFields = [:]
    ) -> Response {
        var headers = extra
        headers[.contentType] = contentType
        headers[.contentLength] = String(body.count)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// A JSON response (deterministic encoding).
    static func json(
        _ value: JSONValue, status: HTTPResponse.Status = .ok, contentType: String = "application/json; charset=utf-8"
    ) -> Response {
        bytes(value.encoded(), status: status, contentType: contentType)
    }

    /// Plain text (used for errors on hosted-document paths: validators must not mistake them for documents).
    static func text(_ text: String, status: HTTPResponse.Status) -> Response {
        bytes(Array(text.utf8), status: status, contentType: "text/plain; charset=utf-8")
    }

    /// HTML.
    static func html(_ html: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers: HTTPFields = [:]
        headers[.contentSecurityPolicy] =
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'"
        return bytes(Array(html.utf8), status: status, contentType: "text/html; charset=utf-8", headers: headers)
    }

    /// An RFC 9457 problem document, French and English.
    static func problem(
        _ status: HTTPResponse.Status, fr: String, en: String, field: String? = nil, english: Bool = false,
        extra: [String: JSONValue] = [:]
    ) -> Response {
        var o = extra
        o["type"] = .string("about:blank")
        o["status"] = .number(Double(status.code))
        o["title"] = .string(english ? status.reasonPhrase : Problem.frenchTitle(status))
        o["detail"] = .string(english ? en : fr)
        o["i18n"] = [
            "fr": ["title": .string(Problem.frenchTitle(status)), "detail": .string(fr)],
            "en": ["title": .string(status.reasonPhrase), "detail": .string(en)],
        ]
        if let field { o["field"] = .string(field) }
        return json(.object(o), status: status, contentType: "application/problem+json; charset=utf-8")
    }
}
