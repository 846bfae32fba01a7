import Foundation
import HTTPTypes
import Testing

@testable import InsigneServer

/// Walks the main trainer pages (sign-in, dashboard, award, bulk award, assertions, revocation, errors) and checks
/// each answers with its status and a whole page. When `INSIGNE_WEB_SNAPSHOT_DIR` is set, also writes them there as
/// static HTML (for screenshots); `<base href>` points at a running `insigne serve` (`INSIGNE_WEB_SNAPSHOT_BASE`,
/// default http://127.0.0.1:8282/) for the CSS and images.
@Suite("Trainer pages: snapshots")
struct WebSnapshotTests {
    @Test func walksTheTrainerPages() async throws {
        let dir = ProcessInfo.processInfo.environment["INSIGNE_WEB_SNAPSHOT_DIR"]
        let base = ProcessInfo.processInfo.environment["INSIGNE_WEB_SNAPSHOT_BASE"] ?? "http://127.0.0.1:8282/"
        if let dir { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        let h = try await WebHarness.make()
        for i in 0..<3 {
            _ = try await h.services.issuing.award(
                AwardRequest(
                    badgeClassID: "bientraitance", recipientEmail: "stagiaire\(i)@example.fr",
                    recipientName: "Stagiaire \(i)"),
                actor: "admin")
        }
        try await h.run { b in
            func save(
                _ name: String, _ page: WebBrowser.Page, _ status: HTTPResponse.Status = .ok, showing text: String,
                sourceLocation: SourceLocation = #_sourceLocation
            ) throws {
                #expect(page.status == status, "\(name)", sourceLocation: sourceLocation)
                #expect(page.body.contains("<head>"), "\(name)", sourceLocation: sourceLocation)
                #expect(page.body.contains("</html>"), "\(name)", sourceLocation: sourceLocation)
                #expect(page.body.contains(text), "\(name): \(text)", sourceLocation: sourceLocation)
                guard let dir else { return }
                let html = page.body.replacingOccurrences(of: "<head>", with: "<head>\n<base href=\"\(base)\">")
                try html.write(toFile: "\(dir)/\(name).html", atomically: true, encoding: .utf8)
            }
            try save("login", try await b.get("/login"), showing: "name=\"password\"")
            try save("login-error", try await b.signIn("admin", "faux"), .unauthorized, showing: "name=\"password\"")
            try await b.signIn()
            try save("dashboard", try await b.get("/trainer"), showing: "Bientraitance")
            try save("issuers", try await b.get("/trainer/issuers"), showing: "Mutuelle Vivre Ensemble")
            try save("badge-new", try await b.get("/trainer/badges/new"), showing: "Nouvelle classe de badge")
            _ = try await b.get("/trainer/badges/bientraitance/award")
            try save(
                "award-errors",
                try await b.post(
                    "/trainer/badges/bientraitance/award",
                    [("email", "marie.durand@"), ("name", "Marie Durand"), ("expires", "2020-01-01"), ("nonce", "x")]),
                .unprocessableContent, showing: "marie.durand@")
            try save("award", try await b.get("/trainer/badges/bientraitance/award"), showing: "Bientraitance")
            try save("bulk", try await b.get("/trainer/badges/bientraitance/bulk"), showing: "name=\"csv\"")
            let preview = try await b.postMultipart(
                "/trainer/badges/bientraitance/bulk", [],
                files: [.init(field: "csv", filename: "s.csv", contentType: "text/csv", data: WebTrainerTests.csv)])
            try save("bulk-preview", preview, showing: "marie.durand@example.fr")
            let action = try #require(
                preview.body.range(of: #"/trainer/batches/[0-9a-f]+/confirm"#, options: .regularExpression))
            let r = try await b.post(String(preview.body[action]), [])
            var done = try await b.get(r.location ?? "/")
            for _ in 0..<100 where done.body.contains("http-equiv") {
                try await Task.sleep(for: .milliseconds(50))
                done = try await b.get(r.location ?? "/")
            }
            try save("bulk-done", done, showing: "jean.martin@example.fr")
            let list = try await b.get("/trainer/assertions")
            try save("assertions", list, showing: "stagiaire0@example.fr")
            let idRange = try #require(
                list.body.range(of: #"/trainer/assertions/[0-9a-f-]{36}"#, options: .regularExpression))
            let detail = String(list.body[idRange])
            try save("assertion", try await b.get(detail + "?awarded=1"), showing: "/revoke")
            _ = try await b.post(detail + "/revoke", [("reason", "Attribué par erreur (doublon)")])
            try save(
                "assertion-revoked", try await b.get(detail + "?lang=en"), showing: "Attribué par erreur (doublon)")
            try save(
                "error-403", try await b.post("/trainer/badges/bientraitance/award", [], csrf: "bad"), .forbidden,
                showing: "403")
        }
    }
}
