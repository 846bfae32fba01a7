import Foundation
import Testing

@testable import InsigneServer

/// Writes the main trainer pages as static HTML (for screenshots) when `INSIGNE_WEB_SNAPSHOT_DIR` is set;
/// `<base href>` points at a running `insigne serve` (default http://127.0.0.1:8282/) for the CSS and images.
@Suite("Trainer pages: snapshots")
struct WebSnapshotTests {
    @Test func writeSnapshots() async throws {
        guard let dir = ProcessInfo.processInfo.environment["INSIGNE_WEB_SNAPSHOT_DIR"] else { return }
        let base = ProcessInfo.processInfo.environment["INSIGNE_WEB_SNAPSHOT_BASE"] ?? "http://127.0.0.1:8282/"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let h = try await WebHarness.make()
        for i in 0..<3 {
            _ = try await h.services.issuing.award(
                AwardRequest(
                    badgeClassID: "bientraitance", recipientEmail: "stagiaire\(i)@example.fr",
                    recipientName: "Stagiaire \(i)"),
                actor: "admin")
        }
        try await h.run { b in
            func save(_ name: String, _ page: WebBrowser.Page) throws {
                let html = page.body.replacingOccurrences(of: "<head>", with: "<head>\n<base href=\"\(base)\">")
                try html.write(toFile: "\(dir)/\(name).html", atomically: true, encoding: .utf8)
            }
            try save("login", try await b.get("/login"))
            try save("login-error", try await b.signIn("admin", "faux"))
            try await b.signIn()
            try save("dashboard", try await b.get("/trainer"))
            try save("issuers", try await b.get("/trainer/issuers"))
            try save("badge-new", try await b.get("/trainer/badges/new"))
            _ = try await b.get("/trainer/badges/bientraitance/award")
            try save(
                "award-errors",
                try await b.post(
                    "/trainer/badges/bientraitance/award",
                    [("email", "marie.durand@"), ("name", "Marie Durand"), ("expires", "2020-01-01"), ("nonce", "x")]))
            try save("award", try await b.get("/trainer/badges/bientraitance/award"))
            try save("bulk", try await b.get("/trainer/badges/bientraitance/bulk"))
            let preview = try await b.postMultipart(
                "/trainer/badges/bientraitance/bulk", [],
                files: [.init(field: "csv", filename: "s.csv", contentType: "text/csv", data: WebTrainerTests.csv)])
            try save("bulk-preview", preview)
            let action = try #require(
                preview.body.range(of: #"/trainer/batches/[0-9a-f]+/confirm"#, options: .regularExpression))
            let r = try await b.post(String(preview.body[action]), [])
            var done = try await b.get(r.location ?? "/")
            for _ in 0..<100 where done.body.contains("http-equiv") {
                try await Task.sleep(for: .milliseconds(50))
                done = try await b.get(r.location ?? "/")
            }
            try save("bulk-done", done)
            let list = try await b.get("/trainer/assertions")
            try save("assertions", list)
            let idRange = try #require(
                list.body.range(of: #"/trainer/assertions/[0-9a-f-]{36}"#, options: .regularExpression))
            let detail = String(list.body[idRange])
            try save("assertion", try await b.get(detail + "?awarded=1"))
            _ = try await b.post(detail + "/revoke", [("reason", "Attribué par erreur (doublon)")])
            try save("assertion-revoked", try await b.get(detail + "?lang=en"))
            try save("error-403", try await b.post("/trainer/badges/bientraitance/award", [], csrf: "bad"))
        }
    }
}
