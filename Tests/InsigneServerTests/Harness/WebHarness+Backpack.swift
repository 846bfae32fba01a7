import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import InsigneStore
import OpenBadges
import Testing

@testable import InsigneServer

/// Backpack fixtures: learners created through invitations, awards, the mail outbox, binary downloads.
extension WebHarness {
    /// A learner invited by the (signed-in) trainer, with their own browser.
    func learner(_ trainer: WebBrowser, name: String, email: String) async throws -> (WebBrowser, AccountRecord) {
        let browser = WebBrowser(client: trainer.client)
        try await browser.accept(try await trainer.invite(name: name, email: email))
        let account = try #require(
            try await services.db.writer.read { db in
                try AccountRecord.filter(Column("email") == EmailNormalization.normalize(email)).fetchOne(db)
            })
        return (browser, account)
    }

    /// Awards the demo badge class to an address.
    func award(_ email: String, expires: Date? = nil) async throws -> AssertionRecord {
        try await services.issuing.award(
            AwardRequest(badgeClassID: "bientraitance", recipientEmail: email, expires: expires), actor: "admin"
        ).record
    }

    var outbox: URL { URL(fileURLWithPath: services.configuration.dataDirectory).appendingPathComponent("outbox") }

    /// The messages written to the outbox for an address, oldest first.
    func messages(to email: String) throws -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: outbox.path)) ?? []
        return try names.sorted().filter { $0.hasSuffix(".eml") }.compactMap { name in
            let text = try String(contentsOf: outbox.appendingPathComponent(name), encoding: .utf8)
            return text.contains("To: <\(email)>") ? text : nil
        }
    }

    /// The confirmation token in the last message to an address.
    func confirmationToken(to email: String) throws -> String {
        let last = try #require(try messages(to: email).last, "no message to \(email) in the outbox")
        let r = try #require(last.range(of: #"/backpack/emails/confirm/[0-9a-f]{64}"#, options: .regularExpression))
        return String(last[r].suffix(64))
    }

    func storedBadges() async throws -> [BackpackBadgeRecord] {
        try await services.db.writer.read { db in try BackpackBadgeRecord.fetchAll(db) }
    }
}

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
