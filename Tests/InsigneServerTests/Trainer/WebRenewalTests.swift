import Foundation
import HTTPTypes
import InsigneStore
import OpenBadges
import Testing

@testable import InsigneServer

/// Validity in the badge class forms, the « Renouveler » button, the renewal links on the hosted pages, the verifier
/// and the backpack history, and the bulk page's « Renouvelé ».
@Suite("Validity and renewal: pages")
struct WebRenewalTests {
    static let html: HTTPFields = [.accept: "text/html"]

    /// An award of the demo badge class (P3Y) issued `years` years and `days` days ago.
    static func award(_ h: WebHarness, _ email: String, years: Int, days: Int = 0) async throws -> AssertionRecord {
        let c = Validity.calendar
        var r = AwardRequest(badgeClassID: "bientraitance", recipientEmail: email)
        r.issuedOn = c.date(byAdding: .day, value: -days, to: c.date(byAdding: .year, value: -years, to: Date())!)!
        return try await h.services.issuing.award(r, actor: "admin").record
    }

    @Test func validityInTheBadgeClassForms() async throws {
        let h = try await WebHarness.make()
        try await h.run { b in
            try await b.signIn()
            let page = try await b.get("/trainer/badges/bientraitance/edit")
            #expect(page.body.contains("Durée de validité"))
            #expect(page.body.contains(#"<option value="P3Y" selected>3 ans</option>"#))
            #expect(page.body.contains(#"value="90, 30, 7""#))
            let form: [(String, String)] = [
                ("name", "Bientraitance"), ("description", "d"), ("criteria", "c"), ("tags", ""),
            ]
            let bad = try await b.postMultipart(
                "/trainer/badges/bientraitance/edit", form + [("validityChoice", "other"), ("validity", "PT8H")],
                files: [])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.body.contains("pas en heures ni en minutes"))
            let noDuration = try await b.postMultipart(
                "/trainer/badges/bientraitance/edit", form + [("validityChoice", "other"), ("validity", "")], files: [])
            #expect(noDuration.body.contains("Indiquez la durée"))
            let badReminders = try await b.postMultipart(
                "/trainer/badges/bientraitance/edit", form + [("validityChoice", "P3Y"), ("reminders", "90, 90")],
                files: [])
            #expect(badReminders.body.contains("sans doublon"))
            #expect(try await h.services.db.badgeClass(id: "bientraitance")?.validity == "P3Y")
            let ok = try await b.postMultipart(
                "/trainer/badges/bientraitance/edit",
                form + [("validityChoice", "other"), ("validity", "P18M"), ("reminders", "30")], files: [])
            #expect(ok.status == .seeOther)
            let saved = try #require(try await h.services.db.badgeClass(id: "bientraitance"))
            #expect(saved.validity == "P18M")
            #expect(saved.reminderDays == [30])
            let again = try await b.follow(ok)
            #expect(again.body.contains(#"<option value="other" selected>"#))
            #expect(again.body.contains(#"value="P18M""#))
            let award = try await b.get("/trainer/badges/bientraitance/award")
            #expect(award.body.contains("Sans date, le badge expire après 18 mois."))
        }
    }

    @Test func renewFromTheAssertionPage() async throws {
        let h = try await WebHarness.make()
        let old = try await Self.award(h, "lea@example.org", years: 3, days: 7)  // expired a week ago
        try await h.run { b in
            try await b.signIn()
            let page = try await b.get("/trainer/assertions/\(old.id)")
            #expect(page.body.contains("Renouveler ce badge"))
            #expect(page.body.contains(#"action="/trainer/assertions/\#(old.id)/renew""#))
            let nonce = "0123456789abcdef0123456789abcdef"
            let r = try await b.post("/trainer/assertions/\(old.id)/renew", [("nonce", nonce)])
            #expect(r.status == .seeOther)
            let location = try #require(r.location)
            #expect(location.hasSuffix("?renewed=1"))
            let newID = String(location.dropFirst("/trainer/assertions/".count).prefix(while: { $0 != "?" }))
            let shown = try await b.follow(r)
            #expect(shown.body.contains("Badge renouvelé"))
            #expect(shown.body.contains("Renouvelle le badge du"))
            #expect(shown.body.contains(#"href="/trainer/assertions/\#(old.id)""#))
            // A double click renews once.
            let double = try await b.post("/trainer/assertions/\(old.id)/renew", [("nonce", nonce)])
            #expect(double.location == location)
            // The earlier award: linked, no renew button any more; renewing it again says where the newest is.
            let before = try await b.get("/trainer/assertions/\(old.id)")
            #expect(before.body.contains("Renouvelé le"))
            #expect(!before.body.contains(#"id="renew-submit""#))
            let twice = try await b.post("/trainer/assertions/\(old.id)/renew", [("nonce", "another")])
            #expect(twice.status == .conflict)
            #expect(twice.body.contains("déjà été renouvelé"))
            #expect(twice.body.contains("/assertions/\(newID)"))
            #expect(try await h.assertionCount() == 2)
            #expect(try await h.services.db.assertion(id: old.id)?.isRevoked == false)
            let list = try await b.get("/trainer/assertions?badge=bientraitance")
            #expect(list.body.components(separatedBy: #"<span class="tag neutral">Renouvelé</span>"#).count == 2)

            // Hosted pages: links both ways, the earlier one expired.
            let hostedOld = try await b.send("/assertions/\(old.id)", method: .get, headers: Self.html)
            #expect(hostedOld.body.contains(#"id="expired-notice""#))
            #expect(hostedOld.body.contains("Ce badge a expiré"))
            #expect(hostedOld.body.contains(#"id="renewed-by" href="/assertions/\#(newID)""#))
            let hostedNew = try await b.send("/assertions/\(newID)", method: .get, headers: Self.html)
            #expect(hostedNew.body.contains(#"id="renewal-of" href="/assertions/\#(old.id)""#))
            #expect(!hostedNew.body.contains(#"id="expired-notice""#))

            // The verifier: expired, with its date, and the way to the renewal.
            let url = WebForm.encode(h.services.urls.assertion(old.id))
            let verified = try await b.send("/verify?url=\(url)", method: .get, headers: Self.html)
            #expect(verified.body.contains(#"data-outcome="expired""#))
            #expect(verified.body.contains("Badge expiré"))
            let expiresText = try #require(WebDates.long(old.expires, english: false))
            #expect(verified.body.contains(expiresText))
            #expect(verified.body.contains(#"id="renewal-link" href="/assertions/\#(newID)""#))
        }
    }

    @Test func revokedAwardsHaveNoRenewButton() async throws {
        let h = try await WebHarness.make()
        let a = try await Self.award(h, "paul@example.org", years: 1)
        _ = try await h.services.issuing.revoke(assertionID: a.id, reason: "Erreur", actor: "admin")
        try await h.run { b in
            try await b.signIn()
            let page = try await b.get("/trainer/assertions/\(a.id)")
            #expect(!page.body.contains(#"id="renew-submit""#))
            let r = try await b.post("/trainer/assertions/\(a.id)/renew", [("nonce", "n")])
            #expect(r.status == .conflict)
            #expect(r.body.contains("révoqué"))
        }
    }

    @Test func theBackpackShowsTheEarlierAwardUnderTheRenewal() async throws {
        let h = try await WebHarness.make()
        try await h.run { trainer in
            try await trainer.signIn()
            let (alex, _) = try await h.learner(trainer, name: "Alex Martin", email: "alex@example.org")
            let old = try await Self.award(h, "alex@example.org", years: 3, days: 2)
            let (renewal, _) = try await h.services.issuing.renew(assertionID: old.id, actor: "admin")
            let page = try await alex.get("/backpack")
            #expect(page.body.contains(#"id="badge-\#(renewal.id)" data-state="valid""#))
            #expect(page.body.contains("Renouvelle :"))
            #expect(page.body.contains(#"<li id="badge-\#(old.id)" data-state="expired">"#))
            #expect(page.body.components(separatedBy: #"class="backpack-badge card""#).count == 2)
        }
    }

    @Test func bulkPageSaysRenewed() async throws {
        let h = try await WebHarness.make()
        let old = try await Self.award(h, "marie.durand@example.fr", years: 3, days: -30)  // expires in 30 days
        try await h.run { b in
            try await b.signIn()
            _ = try await b.get("/trainer/badges/bientraitance/bulk")
            let csv = Array("email;name\r\nmarie.durand@example.fr;Marie Durand\r\njean@example.fr;Jean\r\n".utf8)
            let preview = try await b.postMultipart(
                "/trainer/badges/bientraitance/bulk", [],
                files: [.init(field: "csv", filename: "liste.csv", contentType: "text/csv", data: csv)])
            let done = try await WebTrainerTests().confirmAndWait(b, preview)
            #expect(done.body.contains("1 renouvelé(s)"))
            #expect(done.body.contains(#"<span class="tag good">Renouvelé</span>"#))
            let renewedBy = try #require(try await h.services.db.assertion(id: old.id)?.renewedBy)
            #expect(try await h.services.db.assertion(id: renewedBy)?.renewalOf == old.id)
        }
    }
}
