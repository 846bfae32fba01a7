import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import InsigneStore
import OpenBadgesCrypto
import TestSupport
import Testing

@testable import InsigneServer

/// Portfolio steps of a browser: invitations, uploads, narratives, submission.
extension WebBrowser {
    /// The trainer (signed in) invites someone; returns the invitation token from the page.
    func invite(name: String, email: String) async throws -> String {
        _ = try await get("/trainer/learners")
        let page = try await post("/trainer/learners/invite", [("name", name), ("email", email)])
        #expect(page.status == .ok)
        let r = try #require(page.body.range(of: #"/invitation/[0-9a-f]{64}"#, options: .regularExpression))
        return String(page.body[r].dropFirst("/invitation/".count))
    }

    /// Accepts an invitation with a password; returns the POST response.
    @discardableResult
    func accept(_ token: String, password: String = WebHarness.learnerPassword) async throws -> Page {
        _ = try await get("/invitation/\(token)")
        return try await post("/invitation/\(token)", [("password", password), ("confirm", password)])
    }

    /// Uploads a file piece (the learner's last page must carry the CSRF token).
    func upload(
        title: String, data: [UInt8], filename: String = "piece.pdf", declared: String = "application/pdf",
        tags: [String] = [], genre: String = ""
    ) async throws -> Page {
        _ = try await get("/portfolio")
        let fields = [("title", title), ("genre", genre)] + tags.map { ("tag", $0) }
        return try await postMultipart(
            "/portfolio/evidence/new?kind=file", fields,
            files: [File(field: "file", filename: filename, contentType: declared, data: data)])
    }

    /// Adds a written narrative piece.
    func addNarrative(title: String, text: String, tags: [String] = [], codes: String = "") async throws -> Page {
        _ = try await get("/portfolio")
        return try await postMultipart(
            "/portfolio/evidence/new?kind=narrative",
            [("title", title), ("narrative", text), ("codes", codes), ("genre", "Récit d'expérience")]
                + tags.map { ("tag", $0) }, files: [])
    }

    /// Submits every draft.
    func submitAll() async throws {
        _ = try await get("/portfolio")
        let r = try await post("/portfolio/submit", [])
        #expect(r.status == .seeOther)
    }
}
