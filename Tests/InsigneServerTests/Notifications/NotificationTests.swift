import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import InsigneServer
@testable import InsigneStore

/// Issue 11 point 3: the award, revocation, invitation and review e-mails (read from the outbox), the claim link
/// into the backpack and the resend.
@Suite("Notifications")
struct NotificationTests {
    /// A message of the outbox with its quoted-printable text decoded (UTF-8).
    static func decoded(_ message: String) -> String {
        var bytes: [UInt8] = []
        let source = Array(message.utf8)
        var i = 0
        func hex(_ b: UInt8) -> UInt8? {
            switch b {
            case 48...57: b - 48
            case 65...70: b - 55
            default: nil
            }
        }
        while i < source.count {
            if source[i] == UInt8(ascii: "="), i + 2 < source.count, let h = hex(source[i + 1]),
                let l = hex(source[i + 2])
            {
                bytes.append(h << 4 | l)
                i += 3
            } else {
                bytes.append(source[i])
                i += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The one decoded message to `email` containing `marker` (files of the same second are not in sending order).
    static func message(_ h: WebHarness, to email: String, containing marker: String) throws -> String {
        let found = try h.messages(to: email).map(decoded).filter { $0.contains(marker) }
        #expect(found.count == 1, "\(found.count) messages to \(email) contain \(marker)")
        return try #require(found.first)
    }

    /// The claim token of a message.
    static func claimToken(_ message: String) throws -> String {
        let r = try #require(message.range(of: #"/claim/[0-9a-f]{64}"#, options: .regularExpression))
        return String(message[r].suffix(64))
    }

    /// Awards the demo badge through the trainer's page; returns the award id and the redirect.
    static func awardOnPage(_ trainer: WebBrowser, email: String, name: String = "") async throws -> (String, String) {
        _ = try await trainer.get("/trainer/badges/bientraitance/award")
        let page = try await trainer.post(
            "/trainer/badges/bientraitance/award", [("email", email), ("name", name), ("nonce", UUID().uuidString)])
        #expect(page.status == .seeOther)
        let location = try #require(page.location)
        let id = try #require(location.split(separator: "/").last?.split(separator: "?").first)
        return (String(id), location)
    }

    /// A JSON request to the API with the seeded admin token.
    static func api(_ b: WebBrowser, _ uri: String, _ json: String) async throws -> WebBrowser.Page {
        try await b.send(
            uri, method: .post, headers: [.authorization: "Bearer t", .contentType: "application/json"],
            body: ByteBuffer(string: json))
    }

    @Test func awardOnThePageSendsOneMessageWithTheBadgeAndTheClaimLink() async throws {
        let h = try await WebHarness.make()
        try await h.run { trainer in
            try await trainer.signIn()
            let (id, location) = try await Self.awardOnPage(trainer, email: "Zoe@Example.org", name: "Zoé Martin")
            #expect(location.hasSuffix("?awarded=1"))
            let page = try await trainer.follow(
                WebBrowser.Page(status: .seeOther, headers: [.location: location], body: ""))
            #expect(page.body.contains("id=\"notified-note\""))
            #expect(page.body.contains("id=\"resend-form\""))
            let messages = try h.messages(to: "zoe@example.org")
            #expect(messages.count == 1)
            let m = Self.decoded(try #require(messages.first))
            #expect(m.contains("Auto-Submitted: auto-generated"))
            #expect(m.contains("Bonjour Zoé Martin,"))
            #expect(m.contains("« Bientraitance »"))
            #expect(m.contains("Mutuelle Vivre Ensemble"))
            #expect(m.contains("http://127.0.0.1:8080/assertions/\(id)"))
            #expect(m.range(of: "Bonjour.*---.*Hello", options: .regularExpression) != nil || m.contains("Hello Zoé"))
            let token = try Self.claimToken(m)
            let stored = try await h.services.db.claimDetails(tokenHash: Notifier.hash(token))
            #expect(stored?.assertion.id == id)
            #expect(stored?.token.email == "zoe@example.org")
        }
    }

    @Test func messagesArePrefixedAndEscapeWhatUsersWrote() throws {
        let m = NotificationEmails.revocation(
            to: "a@example.org", name: "<i>A</i>", badge: "B & C", issuer: "I", reason: "<b>Fraude</b> & co",
            hostedURL: "https://x.example/assertions/1")
        #expect(m.subject.hasPrefix("[Insigne] "))
        let html = MailMessage.html(m.body, title: m.subject)
        #expect(html.contains("&lt;b&gt;Fraude&lt;/b&gt; &amp; co"))
        #expect(!html.contains("<b>Fraude</b>"))
        #expect(!html.contains("<i>A</i>"))
    }

    @Test func apiAwardNotifiesUnlessNotifyFalse() async throws {
        let h = try await WebHarness.make()
        try await h.run { b in
            let one = try await Self.api(
                b, "/api/v1/badges/bientraitance/assertions", #"{"recipient": {"email": "api@example.org"}}"#)
            #expect(one.status == .created)
            #expect(try h.messages(to: "api@example.org").count == 1)
            let quiet = try await Self.api(
                b, "/api/v1/badges/bientraitance/assertions",
                #"{"recipient": {"email": "quiet@example.org"}, "notify": false}"#)
            #expect(quiet.status == .created)
            #expect(try h.messages(to: "quiet@example.org").isEmpty)
            let wrong = try await Self.api(
                b, "/api/v1/badges/bientraitance/assertions",
                #"{"recipient": {"email": "x@example.org"}, "notify": "no"}"#)
            #expect(wrong.status == .badRequest)
        }
    }

    @Test func aBatchOfNSendsNMessages() async throws {
        let h = try await WebHarness.make()
        try await h.run { b in
            let rows = (1...3).map { #"{"recipient": {"email": "lot\#($0)@example.org"}}"# }
            let quiet = #"{"recipient": {"email": "lot4@example.org"}, "notify": false}"#
            let r = try await Self.api(
                b, "/api/v1/badges/bientraitance/assertions/batch", "[\(rows.joined(separator: ",")),\(quiet)]")
            #expect(r.status == .ok)
            for n in 1...3 { #expect(try h.messages(to: "lot\(n)@example.org").count == 1) }
            #expect(try h.messages(to: "lot4@example.org").isEmpty)
            let none = try await Self.api(
                b, "/api/v1/badges/bientraitance/assertions/batch?notify=false",
                #"[{"recipient": {"email": "lot5@example.org"}}]"#)
            #expect(none.status == .ok)
            #expect(try h.messages(to: "lot5@example.org").isEmpty)
        }
    }

    @Test func resendGivesAFreshLinkAndIsRefusedForARevokedAward() async throws {
        let h = try await WebHarness.make()
        try await h.run { trainer in
            try await trainer.signIn()
            let (id, _) = try await Self.awardOnPage(trainer, email: "re@example.org")
            _ = try await trainer.get("/trainer/assertions/\(id)")
            let resent = try await trainer.post("/trainer/assertions/\(id)/notify", [])
            #expect(resent.status == .seeOther)
            #expect(resent.location == "/trainer/assertions/\(id)?notified=outbox")
            let apiResent = try await Self.api(trainer, "/api/v1/assertions/\(id)/notify", "")
            #expect(apiResent.status == .accepted)
            #expect(apiResent.body.contains("\"delivery\":\"outbox\""))
            let messages = try h.messages(to: "re@example.org").map(Self.decoded)
            #expect(messages.count == 3)
            #expect(Set(try messages.map(Self.claimToken)).count == 3)
            let audits = try await h.services.db.writer.read { db in
                try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM auditEvent WHERE action = 'award.notify' AND subject = ?",
                    arguments: [id])
            }
            #expect(audits == 3)
            _ = try await trainer.get("/trainer/assertions/\(id)")
            _ = try await trainer.post("/trainer/assertions/\(id)/revoke", [("reason", "<b>Erreur</b> & doublon")])
            let refused = try await Self.api(trainer, "/api/v1/assertions/\(id)/notify", "")
            #expect(refused.status == .conflict)
            let after = try h.messages(to: "re@example.org").map(Self.decoded)
            #expect(after.count == 4, "the revocation message")
            let revocation = try Self.message(h, to: "re@example.org", containing: "Erreur")
            #expect(revocation.contains("<b>Erreur</b> & doublon"), "the text part as written")
            #expect(revocation.contains("&lt;b&gt;Erreur&lt;/b&gt; &amp; doublon"), "the HTML part escaped")
            let claim = try await trainer.get("/claim/\(try Self.claimToken(messages[0]))")
            #expect(claim.status == .gone)
        }
    }

    @Test func aNewPersonCreatesTheirBackpackFromTheLink() async throws {
        let h = try await WebHarness.make()
        try await h.run { trainer in
            try await trainer.signIn()
            let (id, _) = try await Self.awardOnPage(trainer, email: "new@example.org")
            let token = try Self.claimToken(Self.message(h, to: "new@example.org", containing: "/claim/"))
            let visitor = WebBrowser(client: trainer.client)
            let page = try await visitor.get("/claim/\(token)")
            #expect(page.status == .ok)
            #expect(page.body.contains("claim-account-form"))
            #expect(page.body.contains("claim-sign-in"))
            let short = try await visitor.post(
                "/claim/\(token)/account", [("name", "Noé"), ("password", "court"), ("confirm", "court")])
            #expect(short.status == .unprocessableContent)
            let created = try await visitor.post(
                "/claim/\(token)/account",
                [
                    ("name", "Noé Petit"), ("password", WebHarness.learnerPassword),
                    ("confirm", WebHarness.learnerPassword),
                ])
            #expect(created.status == .seeOther)
            #expect(created.location == "/backpack?claimed=1")
            let backpack = try await visitor.get("/backpack")
            #expect(backpack.status == .ok)
            #expect(backpack.body.contains("Bientraitance"))
            let account = try #require(try await h.services.db.liveLearner(login: "new@example.org"))
            #expect(account.email == "new@example.org")
            #expect(account.displayName == "Noé Petit")
            // The link is spent: it cannot serve again.
            let again = try await WebBrowser(client: trainer.client).get("/claim/\(token)")
            #expect(again.status == .gone)
            _ = id
        }
    }

    @Test func aSignedInLearnerClaimsIntoTheirBackpackAndTheAddressIsConfirmed() async throws {
        let h = try await WebHarness.make()
        try await h.run { trainer in
            try await trainer.signIn()
            let (lea, account) = try await h.learner(trainer, name: "Léa Roux", email: "lea@example.org")
            _ = try await Self.awardOnPage(trainer, email: "lea.pro@example.net")
            let token = try Self.claimToken(Self.message(h, to: "lea.pro@example.net", containing: "/claim/"))
            let page = try await lea.get("/claim/\(token)")
            #expect(page.status == .ok)
            #expect(page.body.contains("claim-form"))
            let claimed = try await lea.post("/claim/\(token)", [])
            #expect(claimed.status == .seeOther)
            #expect(claimed.location == "/backpack?claimed=1")
            let emails = try await h.services.db.verifiedLearnerEmails(accountID: account.id)
            #expect(emails.contains("lea.pro@example.net"))
            #expect(try await lea.get("/backpack").body.contains("Bientraitance"))
            #expect(try await lea.get("/claim/\(token)").status == .gone)
        }
    }

    @Test func anExistingLearnerSignsInThenClaims() async throws {
        let h = try await WebHarness.make()
        try await h.run { trainer in
            try await trainer.signIn()
            _ = try await h.learner(trainer, name: "Léa Roux", email: "lea@example.org")
            _ = try await Self.awardOnPage(trainer, email: "lea@example.org")
            let token = try Self.claimToken(Self.message(h, to: "lea@example.org", containing: "/claim/"))
            let visitor = WebBrowser(client: trainer.client)
            let page = try await visitor.get("/claim/\(token)")
            #expect(page.body.contains("claim-sign-in"))
            #expect(!page.body.contains("claim-account-form"), "an account already uses this address")
            _ = try await visitor.get("/login?next=/claim/\(token)")
            let signedIn = try await visitor.post(
                "/login",
                [("login", "lea@example.org"), ("password", WebHarness.learnerPassword), ("next", "/claim/\(token)")])
            #expect(signedIn.location == "/claim/\(token)")
            _ = try await visitor.get("/claim/\(token)")
            let claimed = try await visitor.post("/claim/\(token)", [])
            #expect(claimed.location == "/backpack?claimed=1")
        }
    }

    @Test func someoneElsesLinkIsRefusedNotMerged() async throws {
        let h = try await WebHarness.make()
        try await h.run { trainer in
            try await trainer.signIn()
            _ = try await h.learner(trainer, name: "Léa Roux", email: "lea@example.org")
            let (tom, tomAccount) = try await h.learner(trainer, name: "Tom Blanc", email: "tom@example.org")
            _ = try await Self.awardOnPage(trainer, email: "lea@example.org")
            let token = try Self.claimToken(Self.message(h, to: "lea@example.org", containing: "/claim/"))
            _ = try await tom.get("/claim/\(token)")
            let refused = try await tom.post("/claim/\(token)", [])
            #expect(refused.status == .conflict)
            #expect(refused.body.contains("autre compte"))
            let emails = try await h.services.db.verifiedLearnerEmails(accountID: tomAccount.id)
            #expect(emails == ["tom@example.org"])
            let unclaimed = try await h.services.db.claimDetails(tokenHash: Notifier.hash(token))
            #expect(unclaimed?.token.claimedAt == nil)
        }
    }

    @Test func revokedAwardCannotBeClaimed() async throws {
        let h = try await WebHarness.make()
        try await h.run { trainer in
            try await trainer.signIn()
            let (id, _) = try await Self.awardOnPage(trainer, email: "gone@example.org")
            let token = try Self.claimToken(Self.message(h, to: "gone@example.org", containing: "/claim/"))
            _ = try await trainer.get("/trainer/assertions/\(id)")
            _ = try await trainer.post("/trainer/assertions/\(id)/revoke", [("reason", "Erreur de saisie")])
            let visitor = WebBrowser(client: trainer.client)
            let page = try await visitor.get("/claim/\(token)")
            #expect(page.status == .gone)
            #expect(page.body.contains("révoqué"))
            #expect(try await visitor.get("/claim/\(String(repeating: "a", count: 64))").status == .notFound)
        }
    }

    @Test func invitationAndReviewDecisionAreMailed() async throws {
        let h = try await WebHarness.make()
        try h.importFramework()
        try await h.run { trainer in
            try await trainer.signIn()
            let (lea, _) = try await h.learner(trainer, name: "Léa Roux", email: "lea@example.org")
            let invitation = try Self.message(h, to: "lea@example.org", containing: "/invitation/")
            #expect(invitation.range(of: #"/invitation/[0-9a-f]{64}"#, options: .regularExpression) != nil)
            #expect(
                try await lea.upload(title: "Attestation <stage>", data: Samples.pdf, tags: ["dees-test|DC1.1"]).status
                    == .seeOther)
            try await lea.submitAll()
            let piece = try #require(try await h.pieces().first)
            let learnerID = piece.learnerID
            _ = try await trainer.get("/trainer/learners/\(learnerID)")
            let reviewed = try await trainer.post(
                "/trainer/evidence/\(piece.id)/review",
                [("decision", "changes"), ("comment", "Ajoutez la date & le lieu")])
            #expect(reviewed.status == .seeOther)
            let decision = try Self.message(h, to: "lea@example.org", containing: "Ajoutez")
            #expect(decision.contains("Attestation <stage>"))
            #expect(decision.contains("Ajoutez la date & le lieu"))
            #expect(decision.contains("Attestation &lt;stage&gt;"))
        }
    }

    @Test func submittedEvidenceIsAnnouncedToTheIssuersStaffWithoutItsContent() async throws {
        let h = try await WebHarness.make()
        try h.importFramework()
        let issuerID = DemoSeeder.issuerID
        try await h.services.db.writer.write { db in
            for (id, role) in [("rev", MembershipRecord.Role.reviewer), ("mgr", .manager)] {
                try AccountRecord(
                    id: id, login: "\(id)@example.org", displayName: id, passwordHash: nil, role: .staff,
                    issuerID: issuerID, createdAt: Date(), email: "\(id)@example.org"
                ).insert(db)
                try MembershipRecord(
                    id: "mem_\(id)", accountID: id, issuerID: issuerID, role: role, createdAt: Date(),
                    createdBy: "admin"
                ).insert(db)
            }
        }
        try await h.run { trainer in
            try await trainer.signIn()
            _ = try await trainer.get("/trainer/learners")
            let invited = try await trainer.post(
                "/trainer/learners/invite", [("name", "Léa Roux"), ("email", "lea@example.org"), ("issuer", issuerID)])
            let r = try #require(invited.body.range(of: #"/invitation/[0-9a-f]{64}"#, options: .regularExpression))
            let lea = WebBrowser(client: trainer.client)
            try await lea.accept(String(invited.body[r].dropFirst("/invitation/".count)))
            #expect(
                try await lea.addNarrative(title: "Récit du stage", text: "Contenu très privé").status == .seeOther)
            try await lea.submitAll()
            let learnerID = try #require(try await h.pieces().first?.learnerID)
            for staff in ["rev@example.org", "mgr@example.org"] {
                let m = try Self.message(h, to: staff, containing: "Récit du stage")
                #expect(m.contains("Léa Roux"))
                #expect(m.contains("/trainer/learners/\(learnerID)"))
                #expect(!m.contains("Contenu très privé"))
            }
        }
    }

    @Test func withAMailServerABatchIsQueuedAndTheInvitationLinkIsNotShown() async throws {
        let h = try await WebHarness.make { $0.smtpURL = "smtp://127.0.0.1:2525" }
        try await h.run { trainer in
            let rows = (1...3).map { #"{"recipient": {"email": "q\#($0)@example.org"}}"# }
            let r = try await Self.api(
                trainer, "/api/v1/badges/bientraitance/assertions/batch", "[\(rows.joined(separator: ","))]")
            #expect(r.status == .ok)
            let queued = try await h.services.db.mailMessages(status: MailMessageRecord.queued)
            #expect(Set(queued.map(\.recipient)) == ["q1@example.org", "q2@example.org", "q3@example.org"])
            #expect(queued.allSatisfy { $0.content.contains("/claim/") })
            #expect(try h.messages(to: "q1@example.org").isEmpty, "nothing in the outbox")
            try await trainer.signIn()
            _ = try await trainer.get("/trainer/learners")
            let invited = try await trainer.post(
                "/trainer/learners/invite", [("name", "Léa Roux"), ("email", "lea@example.org")])
            #expect(invited.status == .ok)
            #expect(invited.body.contains("id=\"invitation-sent\""))
            #expect(!invited.body.contains("/invitation/"))
            let invitation = try #require(
                try await h.services.db.mailMessages().first { $0.recipient == "lea@example.org" })
            #expect(invitation.content.contains("/invitation/"))
        }
    }

    @Test func theBulkPageSendsOneMessagePerRecipient() async throws {
        let h = try await WebHarness.make()
        try await h.run { b in
            try await b.signIn()
            let csv = Array(
                "email;name\r\nun@example.fr;Un\r\ndeux@example.fr;Deux\r\ntrois@example.fr;Trois\r\n".utf8)
            _ = try await b.get("/trainer/badges/bientraitance/bulk")
            let preview = try await b.postMultipart(
                "/trainer/badges/bientraitance/bulk", [],
                files: [.init(field: "csv", filename: "liste.csv", contentType: "text/csv", data: csv)])
            let action = try #require(
                preview.body.range(of: #"/trainer/batches/[0-9a-f]+/confirm"#, options: .regularExpression))
            let started = try await b.post(String(preview.body[action]), [])
            let batchURL = try #require(started.location)
            for _ in 0..<200 {
                if !(try await b.get(batchURL)).body.contains(#"http-equiv="refresh""#) { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            for address in ["un@example.fr", "deux@example.fr", "trois@example.fr"] {
                let m = try Self.message(h, to: address, containing: "/claim/")
                #expect(m.contains("Bientraitance"))
            }
        }
    }
}
