import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import InsigneStore
import OpenBadges
import Testing

@testable import InsigneServer

/// Backpack steps of a browser: confirmed addresses, binary downloads, imports.
extension WebBrowser {
    /// Adds an address and confirms it through the link written to the outbox.
    func addAndConfirm(_ email: String, in h: WebHarness) async throws {
        _ = try await get("/backpack/emails")
        let sent = try await post("/backpack/emails", [("email", email)])
        #expect(sent.location == "/backpack/emails?sent=1")
        let token = try h.confirmationToken(to: EmailNormalization.normalize(email))
        #expect(try await get("/backpack/emails/confirm/\(token)").status == .ok)
        let done = try await post("/backpack/emails/confirm/\(token)", [])
        #expect(done.location == "/backpack/emails?confirmed=1")
    }

    /// The raw bytes of a GET (the String body of `get` would mangle binary data).
    func bytes(_ uri: String) async throws -> (HTTPResponse.Status, HTTPFields, [UInt8]) {
        var headers: HTTPFields = [:]
        if let s = cookie("insigne_session") { headers[.cookie] = "insigne_session=\(s)" }
        let r = try await client.executeRequest(uri: uri, method: .get, headers: headers, body: nil)
        return (r.status, r.headers, Array(r.body.readableBytesView))
    }

    /// Imports a badge through the page: a file, a URL or a JWS.
    func importBadge(file: [UInt8]? = nil, filename: String = "badge.png", url: String = "", jws: String = "")
        async throws
        -> Page
    {
        _ = try await get("/backpack/import")
        let files = file.map { [File(field: "file", filename: filename, contentType: "image/png", data: $0)] } ?? []
        return try await postMultipart("/backpack/import", [("url", url), ("jws", jws)], files: files)
    }
}
