import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import InsigneServer
@testable import InsigneStore

/// « Mot de passe oublié ? »: the same neutral answer whatever the address, a single-use link valid one hour that
/// ends every session and signs in, limits per client and per address.
@Suite("Forgotten password")
struct PasswordResetTests {
    /// Asks for a link from a fresh browser; returns the answer.
    static func ask(_ client: WebBrowser, _ email: String) async throws -> WebBrowser.Page {
        let b = WebBrowser(client: client.client)
        _ = try await b.get("/login/forgot")
        return try await b.post("/login/forgot", [("email", email)])
    }

    /// Every reset token in the messages to `email` (outbox file names order messages only to the second).
    static func tokens(_ h: WebHarness, _ email: String) throws -> Set<String> {
        var out: Set<String> = []
        for m in try h.messages(to: email) {
            for r in m.ranges(of: try Regex("/password/reset/[0-9a-f]{64}")) {
                out.insert(String(m[r].dropFirst("/password/reset/".count)))
            }
        }
        return out
    }

    /// The one reset token of the messages to `email`.
    static func token(_ h: WebHarness, _ email: String) throws -> String? {
        let all = try tokens(h, email)
        return all.count == 1 ? all.first : nil
    }

    @Test func theAnswerIsTheSameForKnownUnknownAndErasedAddresses() async throws {
        let h = try await WebHarness.make()
        try await h.run { trainer in
            try await trainer.signIn()
            _ = try await h.learner(trainer, name: "Léa Roux", email: "lea@example.org")
            let (tom, _) = try await h.learner(trainer, name: "Tom Petit", email: "tom@example.org")
            _ = try await tom.get("/portfolio/data")
            let erased = try await tom.post(
                "/portfolio/data/erase", [("password", WebHarness.learnerPassword), ("confirm", "1")])
            #expect(erased.status == .seeOther)

            let login = try await WebBrowser(client: trainer.client).get("/login")
            #expect(login.body.contains(#"href="/login/forgot""#) && login.body.contains("Mot de passe oublié ?"))
            var answers: [String] = []
            for email in ["lea@example.org", "inconnu@example.org", "tom@example.org"] {
                let page = try await Self.ask(trainer, email)
                #expect(page.status == .ok)
                #expect(page.body.contains("Si un compte correspond à l&#39;adresse \(email),"))
                #expect(page.body.contains(h.outbox.path), "says where messages go without SMTP")
                answers.append(
                    page.body.replacingOccurrences(of: email, with: "ADDRESS").replacingOccurrences(
                        of: #"name="csrf" value="[0-9a-f]+""#, with: "", options: .regularExpression))
            }
            #expect(Set(answers).count == 1, "the three answers are the same page")
            #expect(try h.messages(to: "inconnu@example.org").isEmpty)
            #expect(try h.messages(to: "tom@example.org").isEmpty, "nothing sent for an erased account")

            let message = try #require(try h.messages(to: "lea@example.org").first { $0.contains("/password/reset/") })
            let token = try #require(try Self.token(h, "lea@example.org"))
            let secrets = message.ranges(of: try Regex("[0-9a-fA-F]{40,}")).map { String(message[$0]) }
            #expect(!secrets.isEmpty && Set(secrets) == [token], "the link (text and HTML parts) is the only secret")
            let stored = try await h.services.db.writer.read { db in try PasswordResetRecord.fetchAll(db) }
            #expect(stored.map(\.tokenHash) == [PasswordReset.hash(token)], "only the hash is stored")
        }
    }

    @Test func theLinkSetsThePasswordEndsEverySessionSignsInAndServesOnce() async throws {
        let h = try await WebHarness.make()
        try await h.run { trainer in
            try await trainer.signIn()
            let (lea, account) = try await h.learner(trainer, name: "Léa Roux", email: "lea@example.org")
            #expect(try await Self.ask(trainer, "LEA@example.org").status == .ok)
            let first = try #require(try Self.token(h, "lea@example.org"))
            #expect(try await Self.ask(trainer, "lea@example.org").status == .ok)
            let token = try #require(try Self.tokens(h, "lea@example.org").subtracting([first]).first)
            let b = WebBrowser(client: trainer.client)
            let replaced = try await b.get("/password/reset/\(first)")
            #expect(replaced.status == .gone, "a newer link replaced the older one")
            #expect(
                replaced.body.contains("Lien expiré ou déjà utilisé")
                    && replaced.body.contains(#"href="/login/forgot""#))

            let notices = try h.messages(to: "lea@example.org").filter { !$0.contains("/password/reset/") }.count
            let form = try await b.get("/password/reset/\(token)")
            #expect(form.status == .ok && form.body.contains("lea@example.org"))
            let mismatch = try await b.post(
                "/password/reset/\(token)", [("password", "phrase neuve 1"), ("confirm", "autre")])
            #expect(mismatch.status == .unprocessableContent && mismatch.body.contains("ne sont pas identiques"))
            let done = try await b.post(
                "/password/reset/\(token)", [("password", "phrase neuve 1"), ("confirm", "phrase neuve 1")])
            #expect(done.status == .seeOther && done.location == "/account?done=reset")
            let welcome = try await b.follow(done)
            #expect(welcome.status == .ok && welcome.body.contains("Votre nouveau mot de passe est enregistré"))
            #expect(try await lea.get("/account").status != .ok, "the learner's earlier session ended")

            let again = try await WebBrowser(client: trainer.client).get("/password/reset/\(token)")
            #expect(again.status == .gone, "single use")
            let fresh = WebBrowser(client: trainer.client)
            #expect(try await fresh.signIn(account.login, WebHarness.learnerPassword).status == .unauthorized)
            #expect(try await fresh.signIn(account.login, "phrase neuve 1").status == .seeOther)
            let after = try h.messages(to: "lea@example.org").filter { !$0.contains("/password/reset/") }
            #expect(after.count == notices + 1, "the change notice was sent")
            let actions = try await h.services.db.writer.read { db in
                try AuditEventRecord.filter { $0.subject == account.id }.fetchAll(db).map(\.action)
            }
            #expect(actions.contains("account.password-reset") && actions.contains("account.password-reset-requested"))
        }
    }

    @Test func anExpiredLinkOffersANewRequest() async throws {
        let h = try await WebHarness.make()
        try await h.run { trainer in
            try await trainer.signIn()
            _ = try await h.learner(trainer, name: "Léa Roux", email: "lea@example.org")
            #expect(try await Self.ask(trainer, "lea@example.org").status == .ok)
            let token = try #require(try Self.token(h, "lea@example.org"))
            try await h.services.db.writer.write { db in
                try db.execute(
                    sql: "UPDATE passwordReset SET expiresAt = ?", arguments: [Date().addingTimeInterval(-1)])
            }
            let b = WebBrowser(client: trainer.client)
            let page = try await b.get("/password/reset/\(token)")
            #expect(page.status == .gone && page.body.contains("Demander un nouveau lien"))
            _ = try await b.get("/login/forgot")
            let post = try await b.post(
                "/password/reset/\(token)", [("password", "phrase neuve 1"), ("confirm", "phrase neuve 1")])
            #expect(post.status == .gone)
            #expect(try await WebBrowser(client: trainer.client).get("/password/reset/nothex").status == .gone)
        }
    }

    @Test func requestsAreLimitedPerAddressAndPerClient() async throws {
        let h = try await WebHarness.make()
        let source = TestSource()
        try await h.run(source: source) { b in
            for _ in 0..<3 { #expect(try await Self.ask(b, "lea@example.org").status == .ok) }
            let limited = try await Self.ask(b, "lea@example.org")
            #expect(limited.status == .tooManyRequests)
            #expect(limited.headers[.retryAfter] != nil)
            #expect(limited.body.contains("Trop de demandes de nouveau mot de passe"))
            source.value = "B"
            #expect(try await Self.ask(b, "lea@example.org").status == .tooManyRequests, "per address, from anywhere")
            for i in 0..<9 { #expect(try await Self.ask(b, "x\(i)@example.org").status == .ok) }
            #expect(try await Self.ask(b, "y@example.org").status == .tooManyRequests, "per client")
            source.value = "C"
            #expect(try await Self.ask(b, "y@example.org").status == .ok)
            let bad = try await Self.ask(b, "pas une adresse")
            #expect(bad.status == .unprocessableContent && bad.body.contains("Adresse électronique invalide"))
        }
    }
}
