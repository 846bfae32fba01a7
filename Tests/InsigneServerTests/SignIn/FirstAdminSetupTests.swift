import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import InsigneServer
@testable import InsigneStore

/// `/setup`: the first administrator chooses the `admin` password without reading the log, from the machine itself
/// or with the setup code printed at first start; then it is gone for ever.
@Suite("First administrator setup")
struct FirstAdminSetupTests {
    static let code = "1a2b-3c4d-5e6f-7a8b"

    /// A seeded service whose setup code is `code`.
    static func harness() async throws -> WebHarness {
        let h = try await WebHarness.make()
        try await h.services.db.writer.write { db in
            try db.execute(
                sql: "UPDATE setting SET value = ? WHERE key = ?",
                arguments: [FirstAdminSetup.hash(code), AppDatabase.firstAdminSetupKey])
        }
        return h
    }

    static func setUp(_ b: WebBrowser, _ fields: [(String, String)]) async throws -> WebBrowser.Page {
        _ = try await b.get("/setup")
        return try await b.post("/setup", fields)
    }

    @Test func theStartMessageNamesTheSetupPageAndItsCode() async throws {
        var config = ServerConfiguration()
        config.dataDirectory =
            FileManager.default.temporaryDirectory
            .appendingPathComponent("insigne-setup-\(UUID().uuidString)").path
        let services = try ServerServices(configuration: config, db: try AppDatabase.inMemory())
        let message = try #require(try await DemoSeeder(services: services).seedIfNeeded(adminToken: "t"))
        #expect(message.contains("http://127.0.0.1:8080/setup"))
        #expect(message.contains("mot de passe / password"), "the printed password still works")
        let r = try #require(message.range(of: "[0-9a-f]{4}(-[0-9a-f]{4}){3}", options: .regularExpression))
        let stored = try await services.db.firstAdminSetupCodeHash()
        #expect(stored == FirstAdminSetup.hash(String(message[r])))
        #expect(
            FirstAdminSetup.matches(
                String(message[r]).uppercased().replacingOccurrences(of: "-", with: " "), hash: stored ?? ""))
    }

    @Test func fromTheMachineItselfNoCodeIsNeededAndThePageThenGoesForEver() async throws {
        let h = try await Self.harness()
        let source = TestSource()
        source.value = "127.0.0.1"
        try await h.run(source: source) { b in
            #expect(try await b.get("/").body.contains(#"href="/setup"#), "the home page's banner")
            #expect(
                try await b.get("/login").body.contains(
                    "Première installation : choisissez le mot de passe administrateur"))
            let form = try await b.get("/setup")
            #expect(form.status == .ok && !form.body.contains(#"name="code""#))
            let short = try await b.post("/setup", [("password", "court"), ("confirm", "court")])
            #expect(short.status == .unprocessableContent && short.body.contains("au moins 10 caractères"))
            let done = try await Self.setUp(
                b,
                [
                    ("password", "la phrase du directeur"), ("confirm", "la phrase du directeur"),
                    ("email", "Direction@example.org"),
                ])
            #expect(done.status == .seeOther && done.location == "/account?done=setup")
            let account = try await b.follow(done)
            #expect(account.status == .ok && account.body.contains("direction@example.org"))

            #expect(try await b.get("/setup").status == .notFound)
            let other = WebBrowser(client: b.client)
            #expect(try await other.get("/setup").status == .notFound)
            #expect(!(try await other.get("/login").body.contains(#"href="/setup"#)))
            #expect(!(try await other.get("/").body.contains(#"href="/setup"#)))
            #expect(try await other.signIn("admin", WebHarness.adminPassword).status == .unauthorized)
            #expect(try await other.signIn("admin", "la phrase du directeur").status == .seeOther)
            let audit = try await h.services.db.writer.read { db in
                try AuditEventRecord.filter { $0.action == "account.setup" }.fetchCount(db)
            }
            #expect(audit == 1)
        }
    }

    @Test func fromElsewhereTheSetupCodeIsNeeded() async throws {
        let h = try await Self.harness()
        let source = TestSource()
        source.value = "203.0.113.9"
        try await h.run(source: source) { b in
            let form = try await b.get("/setup")
            #expect(form.status == .ok && form.body.contains(#"name="code""#))
            let fields = [("password", "la phrase du directeur"), ("confirm", "la phrase du directeur")]
            let none = try await b.post("/setup", fields)
            #expect(none.status == .forbidden && none.body.contains("installation incorrect"))
            let wrong = try await b.post("/setup", fields + [("code", "0000-0000-0000-0000")])
            #expect(wrong.status == .forbidden)
            #expect(try await h.services.db.firstAdminSetupCodeHash() != nil, "nothing changed")
            let done = try await b.post("/setup", fields + [("code", Self.code)])
            #expect(done.status == .seeOther)
            #expect(try await b.get("/setup").status == .notFound)
        }
    }

    @Test func aLoopbackPeerBehindAProxyNeedsTheCodeAndGuessesAreLimited() async throws {
        let h = try await Self.harness()
        let source = TestSource()
        source.value = "127.0.0.1"
        try await h.run(source: source) { b in
            let proxied = try await b.send(
                "/setup", method: .get, headers: [HTTPField.Name("X-Forwarded-For")!: "203.0.113.9"])
            #expect(proxied.status == .ok && proxied.body.contains(#"name="code""#))
            source.value = "::1"
            #expect(!(try await b.get("/setup").body.contains(#"name="code""#)))
            source.value = "198.51.100.4"
            _ = try await b.get("/setup")
            // Five wrong codes are refused as such; then the line is closed (the harness's clock stands still, so the
            // bucket's one try per 12 s cannot come back while a loaded machine answers).
            var wrong: [HTTPResponse.Status] = []
            for _ in 0..<6 {
                wrong.append(try await b.post("/setup", [("code", "0000-0000-0000-0000")]).status)
            }
            #expect(wrong == Array(repeating: .forbidden, count: 5) + [.tooManyRequests], "\(wrong)")
            let limited = try await b.post("/setup", [("code", Self.code)])
            #expect(limited.status == .tooManyRequests)
        }
    }

    @Test func onceTheAdministratorHasSignedInTheSetupIsGone() async throws {
        let h = try await Self.harness()
        let source = TestSource()
        source.value = "127.0.0.1"
        try await h.run(source: source) { b in
            #expect(try await b.get("/setup").status == .ok)
            #expect(try await b.signIn().status == .seeOther)
            #expect(try await b.get("/setup").status == .notFound)
            let anonymous = WebBrowser(client: b.client)
            #expect(!(try await anonymous.get("/login").body.contains(#"href="/setup"#)))
            let post = try await anonymous.post("/setup", [("password", "x"), ("confirm", "x")])
            #expect(post.status == .notFound)
        }
    }
}
