import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import InsigneServer
@testable import InsigneStore

/// `/account` (« Mon compte »): every signed-in kind sees it, changes its password (the other sessions end, the
/// owner is told by e-mail), and an account without address sets one.
@Suite("Account page")
struct AccountPageTests {
    @Test func aLearnerChangesTheirPasswordAndTheirOtherSessionsEnd() async throws {
        let h = try await WebHarness.make()
        try await h.run { trainer in
            try await trainer.signIn()
            let (lea, account) = try await h.learner(trainer, name: "Léa Roux", email: "lea@example.org")
            let other = WebBrowser(client: trainer.client)
            #expect(try await other.signIn(account.login, WebHarness.learnerPassword).status == .seeOther)
            #expect(try await other.get("/account").status == .ok)

            let page = try await lea.get("/account")
            #expect(page.status == .ok)
            #expect(page.body.contains("Mon compte") && page.body.contains("lea@example.org"))
            #expect(page.body.contains(#"href="/account""#), "the header links to the page")
            #expect(!page.body.contains(#"id="email-form""#), "a learner's address is the one of their badges")

            let wrong = try await lea.post(
                "/account/password",
                [("current", "pas le bon"), ("password", "nouvelle phrase"), ("confirm", "nouvelle phrase")])
            #expect(wrong.status == .unprocessableContent)
            #expect(wrong.body.contains("Mot de passe actuel incorrect"))
            let mismatch = try await lea.post(
                "/account/password",
                [("current", WebHarness.learnerPassword), ("password", "nouvelle phrase"), ("confirm", "autre phrase")])
            #expect(mismatch.status == .unprocessableContent)
            #expect(mismatch.body.contains("ne sont pas identiques"))
            let short = try await lea.post(
                "/account/password",
                [("current", WebHarness.learnerPassword), ("password", "court"), ("confirm", "court")])
            #expect(short.status == .unprocessableContent)
            #expect(short.body.contains("au moins 10 caractères"))

            let done = try await lea.post(
                "/account/password",
                [
                    ("current", WebHarness.learnerPassword), ("password", "nouvelle phrase"),
                    ("confirm", "nouvelle phrase"),
                ])
            #expect(done.status == .ok)
            #expect(done.body.contains("Votre mot de passe a été modifié"))
            #expect(done.body.contains("outbox"), "the page says where the notice went")
            #expect(try await lea.get("/account").status == .ok, "this session goes on")
            let ended = try await other.get("/account")
            #expect(ended.status != .ok, "the other session ended")

            let fresh = WebBrowser(client: trainer.client)
            #expect(try await fresh.signIn(account.login, WebHarness.learnerPassword).status == .unauthorized)
            #expect(try await fresh.signIn(account.login, "nouvelle phrase").status == .seeOther)

            let notice = try #require(try h.messages(to: "lea@example.org").first { $0.contains("(identifiant : ") })
            #expect(notice.contains("/login"))
            #expect(notice.range(of: "[0-9a-f]{64}", options: .regularExpression) == nil, "no secret in the notice")
            let audit = try await h.services.db.writer.read { db in
                try AuditEventRecord.filter { $0.action == "account.password-changed" }.fetchAll(db)
            }
            #expect(audit.map(\.subject) == [account.id])
        }
    }

    @Test func theAdministratorWithoutAddressSetsOneWithTheCurrentPassword() async throws {
        let h = try await WebHarness.make()
        try await h.run { admin in
            try await admin.signIn()
            let page = try await admin.get("/account")
            #expect(page.status == .ok && page.body.contains(#"id="email-form""#))
            #expect(try await admin.get("/trainer").body.contains(#"href="/account""#))
            let wrong = try await admin.post(
                "/account/email", [("email", "direction@example.org"), ("current", "faux")])
            #expect(wrong.status == .unprocessableContent && wrong.body.contains("Mot de passe actuel incorrect"))
            let bad = try await admin.post(
                "/account/email", [("email", "pas une adresse"), ("current", WebHarness.adminPassword)])
            #expect(bad.status == .unprocessableContent && bad.body.contains("Adresse électronique invalide"))
            #expect(try await h.services.db.accountForSignIn(login: "admin")?.email == nil, "nothing half-written")
            let done = try await admin.post(
                "/account/email", [("email", "Direction@Example.org"), ("current", WebHarness.adminPassword)])
            #expect(done.status == .ok && done.body.contains("Adresse enregistrée"))
            #expect(try await h.services.db.accountForSignIn(login: "admin")?.email == "direction@example.org")
        }
    }

    @Test func anonymousVisitorsAreSentToSignIn() async throws {
        let h = try await WebHarness.make()
        try await h.run { b in
            let page = try await b.get("/account")
            #expect(page.status != .ok)
            #expect(page.location?.hasPrefix("/login") == true)
        }
    }
}
