import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import OpenBadges
import OpenBadgesCrypto
import Testing

@testable import InsigneServer
@testable import InsigneStore

/// Staff invitations and the members API and page: inviting, the link (accept, reuse, expiry), an account in use,
/// refusals, the last manager, and what a non-manager may learn.
@Suite("Members")
struct MembersTests {
    static let x = DemoSeeder.establishmentID
    static let y = DemoSeeder.issuerID

    /// The members URL of an issuer.
    static func members(_ issuer: String) -> String { "/api/v1/issuers/\(issuer)/members" }

    func invite(
        _ api: APIClient, _ email: String, role: String = "trainer", issuer: String = x,
        token: String = APIHarness.adminToken
    ) async throws -> APIResponse {
        try await api.post(
            Self.members(issuer), json: ["email": .string(email), "name": "Nina Morel", "role": .string(role)],
            token: token)
    }

    @Test func invitationChoosesAPasswordOnceAndLandsOnTheDashboard() async throws {
        let h = try await APIHarness.make()
        try await h.run { api in
            let r = try await invite(api, "Nina.Morel@example.org")
            #expect(r.status == .created)
            #expect(r.json["status"]?.stringValue == "invited")
            #expect(r.json["role"]?.stringValue == "trainer" && r.json["issuerId"]?.stringValue == Self.x)
            #expect(r.json["email"]?.stringValue == "nina.morel@example.org")
            #expect(r.json["id"]?.stringValue?.hasPrefix("mem_") == true)
            let url = try #require(r.json["invitationUrl"]?.stringValue)
            #expect(url.hasPrefix(APIHarness.base + "/staff/invitation/"))
            // The e-mail: French first, then English, the link.
            let mail = try #require(try h.harness.messages(to: "nina.morel@example.org").last)
            #expect(mail.contains("/staff/invitation/"))
            let fr = try #require(mail.range(of: "Bonjour"))
            let en = try #require(mail.range(of: "Hello"))
            #expect(fr.lowerBound < en.lowerBound)
            let list = try await api.get(Self.members(Self.x))
            #expect(list.status == .ok)
            #expect(list.text.contains("nina.morel@example.org"))
        }
        #expect(try await h.services.db.writer.read { db in try StaffInvitationRecord.fetchCount(db) } == 1)
        try await h.harness.run { browser in
            let r = try await APIClient(client: browser.client).call(
                .post, Self.members(Self.x),
                body: Array(#"{"email":"ana@example.org","name":"Ana","role":"reviewer"}"#.utf8))
            let url = try #require(r.json["invitationUrl"]?.stringValue)
            let link = String(url.dropFirst(APIHarness.base.count))
            let form = try await browser.get(link)
            #expect(form.status == .ok)
            #expect(form.body.contains("Évaluateur·rice"))
            let mismatch = try await browser.post(
                link, [("password", "une phrase assez longue"), ("confirm", "autre chose encore")],
                csrf: browser.cookie(PortfolioPages.loginCSRFCookie))
            #expect(mismatch.status == .unprocessableContent)
            let done = try await browser.post(
                link, [("password", "une phrase assez longue"), ("confirm", "une phrase assez longue")],
                csrf: browser.cookie(PortfolioPages.loginCSRFCookie))
            #expect(done.status == .seeOther && done.location == "/trainer")
            let dashboard = try await browser.get("/trainer")
            #expect(dashboard.status == .ok)
            #expect(dashboard.body.contains("Évaluateur·rice"))
            // Used: the link now shows the ways back.
            let again = WebBrowser(client: browser.client)
            let gone = try await again.get(link)
            #expect(gone.status == .notFound)
            #expect(gone.body.contains("/login/forgot") && gone.body.contains("href=\"/login\""))
            // And the person signs in with the address.
            let signIn = try await again.signIn("ANA@example.org", "une phrase assez longue")
            #expect(signIn.location == "/trainer")
        }
    }

    @Test func expiredLinkShowsTheWayBack() async throws {
        let h = try await APIHarness.make()
        try await h.harness.run { browser in
            let r = try await APIClient(client: browser.client).call(
                .post, Self.members(Self.x),
                body: Array(#"{"email":"old@example.org","name":"Old","role":"trainer"}"#.utf8))
            let url = try #require(r.json["invitationUrl"]?.stringValue)
            try await h.services.db.writer.write { db in
                try db.execute(
                    sql: "UPDATE staffInvitation SET expiresAt = ?", arguments: [Date().addingTimeInterval(-1)])
            }
            let gone = try await browser.get(String(url.dropFirst(APIHarness.base.count)))
            #expect(gone.status == .notFound)
            #expect(gone.body.contains("/login/forgot"))
        }
    }

    @Test func accountInUseGetsTheRoleAndANotice() async throws {
        let h = try await APIHarness.make()
        try await h.run { api in
            let first = try await invite(api, "nina@example.org", role: "trainer", issuer: Self.x)
            let id = try #require(first.json["accountId"]?.stringValue)
            try await h.services.db.writer.write { db in
                try db.execute(sql: "UPDATE account SET passwordHash = 'scrypt$x' WHERE id = ?", arguments: [id])
            }
            let second = try await invite(api, "NINA@example.org", role: "reviewer", issuer: Self.y)
            #expect(second.status == .created)
            #expect(second.json["status"]?.stringValue == "active")
            #expect(second.json["accountId"]?.stringValue == id)
            #expect(second.json["invitationUrl"] == nil)
            let messages = try h.harness.messages(to: "nina@example.org")
            #expect(messages.count == 2)
            let notice = try #require(messages.first { !$0.contains("/staff/invitation/") })
            #expect(notice.contains(APIHarness.base + "/login"))
            // The same role again: 409.
            #expect(try await invite(api, "nina@example.org", role: "reviewer", issuer: Self.y).status == .conflict)
        }
    }

    @Test func badInputAndLearnerAddresses() async throws {
        let h = try await APIHarness.make()
        try await h.services.db.writer.write { db in
            try AccountRecord(
                id: "lea", login: "lea@example.org", displayName: "Léa", passwordHash: nil, role: .learner,
                issuerID: nil, createdAt: Date(), email: "lea@example.org"
            ).insert(db)
        }
        try await h.run { api in
            let role = try await invite(api, "x@example.org", role: "boss")
            #expect(role.status == .unprocessableContent && role.json["field"]?.stringValue == "role")
            #expect(role.isBilingualProblem)
            let email = try await invite(api, "pas-une-adresse")
            #expect(email.status == .unprocessableContent && email.json["field"]?.stringValue == "email")
            let learner = try await invite(api, "Lea@example.org")
            #expect(learner.status == .conflict && learner.json["field"]?.stringValue == "email")
            #expect(learner.text.contains("apprenant"))
            // Nothing was written by the refusals.
            #expect(try await h.services.db.members(issuerID: Self.x).allSatisfy { $0.account.id == "staff-foyers" })
        }
    }

    @Test func lastManagerAndOtherIssuersMembers() async throws {
        let h = try await APIHarness.make()
        try await h.run { api in
            // staff-foyers is the only manager of X (the harness makes it so).
            let mine = try await h.services.db.members(issuerID: Self.x)
            let manager = try #require(mine.first { $0.account.id == "staff-foyers" }).membership.id
            let own = try await api.call(.delete, Self.members(Self.x) + "/\(manager)", token: APIHarness.staffToken)
            #expect(own.status == .conflict && own.isBilingualProblem)
            // A member of Y through X's path: 404.
            let other = try await invite(api, "ynes@example.org", issuer: Self.y)
            let otherID = try #require(other.json["id"]?.stringValue)
            #expect(try await api.call(.delete, Self.members(Self.x) + "/\(otherID)").status == .notFound)
            #expect(try await api.call(.delete, Self.members(Self.y) + "/\(otherID)").status == .noContent)
            // An administrator may remove the last manager.
            #expect(try await api.call(.delete, Self.members(Self.x) + "/\(manager)").status == .noContent)
        }
    }

    @Test func nonManagersLearnNothing() async throws {
        let h = try await APIHarness.make()
        try await h.services.db.writer.write { db in
            try db.execute(sql: "UPDATE membership SET role = 'trainer' WHERE accountID = 'staff-foyers'")
            try AccountRecord(
                id: "lea", login: "lea@example.org", displayName: "Léa", passwordHash: nil, role: .learner,
                issuerID: nil, createdAt: Date(), email: "lea@example.org"
            ).insert(db)
        }
        try await h.run { api async throws in
            let t = APIHarness.staffToken
            // A trainer: 403 whatever the address, the issuer or the member (no 409, no 404 to tell them apart).
            #expect(try await invite(api, "lea@example.org", token: t).status == .forbidden)
            #expect(try await invite(api, "new@example.org", token: t).status == .forbidden)
            #expect(try await api.get(Self.members("no-such-issuer"), token: t).status == .forbidden)
            #expect(try await api.get(Self.members(Self.x), token: t).status == .forbidden)
            #expect(try await api.call(.delete, Self.members(Self.x) + "/mem_nope", token: t).status == .forbidden)
            // An administrator is told the issuer does not exist.
            #expect(try await api.get(Self.members("no-such-issuer")).status == .notFound)
        }
    }

    @Test func membersPageInvitesResendsAndRemoves() async throws {
        let h = try await WebHarness.make()
        try await h.run { browser in
            try await browser.signIn()
            let page = try await browser.get("/trainer/issuers/\(Self.x)/members")
            #expect(page.status == .ok)
            #expect(page.body.contains("Responsable") && page.body.contains("Formateur·rice"))
            let invited = try await browser.post(
                "/trainer/issuers/\(Self.x)/members",
                [("name", "Paul"), ("email", "paul@example.org"), ("role", "manager")])
            #expect(invited.status == .ok)
            #expect(invited.body.contains("paul@example.org") && invited.body.contains("invitation-url"))
            let firstLink = try #require(
                try h.messages(to: "paul@example.org").last?.firstMatch(of: #/staff/invitation/[0-9a-f]{64}/#))
            let member = try #require(
                try await h.services.db.members(issuerID: Self.x).first {
                    $0.account.login == "paul@example.org"
                }
            ).membership.id
            let resent = try await browser.post("/trainer/issuers/\(Self.x)/members/\(member)/resend", [])
            #expect(resent.status == .ok)
            #expect(try await WebBrowser(client: browser.client).get("/" + firstLink.output).status == .notFound)
            let bad = try await browser.post(
                "/trainer/issuers/\(Self.x)/members", [("name", "Paul"), ("email", "paul"), ("role", "manager")])
            #expect(bad.status == .unprocessableContent)
            let removed = try await browser.post("/trainer/issuers/\(Self.x)/members/\(member)/remove", [])
            #expect(removed.status == .ok)
            #expect(try await h.services.db.members(issuerID: Self.x).allSatisfy { $0.membership.id != member })
        }
    }

    @Test func twoIssuersTwoRoles() async throws {
        let f = try await RoleFixture.make()
        try await f.base.harness.run { browser in
            try await f.signIn(browser, as: .mixed)
            let dashboard = try await browser.get("/trainer")
            #expect(dashboard.body.contains("Foyers") && dashboard.body.contains("Tilleuls"))
            #expect(dashboard.body.contains("Formateur·rice") && dashboard.body.contains("Évaluateur·rice"))
            // Links only for what they may do: awards yes, new badge classes and members no.
            #expect(dashboard.body.contains("/trainer/badges/\(AccessFixture.badge(.a))/award"))
            #expect(!dashboard.body.contains("/trainer/badges/\(AccessFixture.badge(.b))/award"))
            #expect(!dashboard.body.contains("/trainer/badges/new") && !dashboard.body.contains("/members"))
            let queue = try await browser.get("/trainer/reviews")
            #expect(queue.body.contains(AccessFixture.learner(.a)) && queue.body.contains(AccessFixture.learner(.b)))
        }
    }
}
