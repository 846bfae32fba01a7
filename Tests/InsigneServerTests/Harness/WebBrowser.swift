import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import InsigneStore
import OpenBadgesCrypto
import Testing

@testable import InsigneServer

/// A tiny browser over the test client: keeps cookies, reads CSRF tokens from pages.
final class WebBrowser: @unchecked Sendable {
    let client: any TestClientProtocol
    private let lock = NSLock()
    private var cookies: [String: String] = [:]
    /// The last page's CSRF token (hidden `csrf` field), if any.
    private(set) var csrf: String = ""

    init(client: any TestClientProtocol) { self.client = client }

    func cookie(_ name: String) -> String? { lock.withLock { cookies[name] } }
    func setCookie(_ name: String, _ value: String?) { lock.withLock { cookies[name] = value } }

    struct Page {
        var status: HTTPResponse.Status
        var headers: HTTPFields
        var body: String
        var location: String? { headers[.location] }
        var setCookies: [String] { headers[values: .setCookie] }
    }

    func send(_ uri: String, method: HTTPRequest.Method, headers: HTTPFields = [:], body: ByteBuffer? = nil)
        async throws -> Page
    {
        var h = headers
        let jar = lock.withLock { cookies }
        if !jar.isEmpty {
            h[.cookie] = jar.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
        }
        let r = try await client.executeRequest(uri: uri, method: method, headers: h, body: body)
        let page = Page(status: r.status, headers: r.headers, body: String(buffer: r.body))
        lock.withLock {
            for c in page.setCookies {
                let first = c.split(separator: ";")[0]
                let kv = first.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let name = String(kv[0])
                let value = kv.count > 1 ? String(kv[1]) : ""
                if c.contains("Max-Age=0") || value.isEmpty { cookies[name] = nil } else { cookies[name] = value }
            }
            if let token = Self.hiddenCSRF(page.body) { csrf = token }
        }
        return page
    }

    static func hiddenCSRF(_ html: String) -> String? {
        guard let r = html.range(of: #"name="csrf" value="([0-9a-f]+)""#, options: .regularExpression) else {
            return nil
        }
        let m = html[r]
        return String(m.dropFirst(#"name="csrf" value=""#.count).dropLast())
    }

    func get(_ uri: String) async throws -> Page { try await send(uri, method: .get) }

    /// Follows one redirect.
    func follow(_ page: Page) async throws -> Page {
        guard let l = page.location else { return page }
        return try await get(l)
    }

    func post(_ uri: String, _ fields: [(String, String)], csrf: String? = nil) async throws -> Page {
        var all = fields
        all.append(("csrf", csrf ?? self.csrf))
        let body = all.map { "\(WebForm.encode($0.0))=\(WebForm.encode($0.1))" }.joined(separator: "&")
        return try await send(
            uri, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: body))
    }

    func postRaw(_ uri: String, contentType: String, body: [UInt8]) async throws -> Page {
        try await send(uri, method: .post, headers: [.contentType: contentType], body: ByteBuffer(bytes: body))
    }

    struct File {
        var field: String
        var filename: String
        var contentType: String
        var data: [UInt8]
    }

    func postMultipart(_ uri: String, _ fields: [(String, String)], files: [File]) async throws -> Page {
        let boundary = "----insigne\(UInt32.random(in: 0...UInt32.max))"
        var body = [UInt8]()
        for (k, v) in fields + [("csrf", csrf)] {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(k)\"\r\n\r\n\(v)\r\n".utf8)
        }
        for f in files {
            body += Array(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(f.field)\"; filename=\"\(f.filename)\"\r\nContent-Type: \(f.contentType)\r\n\r\n"
                    .utf8)
            body += f.data + Array("\r\n".utf8)
        }
        body += Array("--\(boundary)--\r\n".utf8)
        return try await postRaw(uri, contentType: "multipart/form-data; boundary=\(boundary)", body: body)
    }

    /// Signs in through the form; returns the POST response.
    @discardableResult
    func signIn(_ login: String = "admin", _ password: String = WebHarness.adminPassword) async throws -> Page {
        _ = try await get("/login")
        return try await post("/login", [("login", login), ("password", password), ("next", "/trainer")])
    }
}
