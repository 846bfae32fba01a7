import Foundation
import GRDB
import HTTPTypes
import HummingbirdTesting
import OpenBadges
import OpenBadgesPNG
import Testing

@testable import InsigneServer
@testable import InsigneStore

/// The trainers' edit pages: a badge class's edit form (prefilled, CSRF), archive and delete with a confirmation,
/// and the issuer's edit page.
@Suite("Trainer pages: editing")
struct WebEditingTests {
    static func png(width: Int, height: Int) throws -> [UInt8] {
        try RGBAImage(width: width, height: height, fill: (20, 90, 160, 255)).pngData()
    }

    @Test func editFormRoundTrip() async throws {
        let h = try await WebHarness.make()
        try await h.run { b in
            try await b.signIn()
            let dash = try await b.get("/trainer")
            #expect(dash.body.contains("/trainer/badges/bientraitance/edit"))
            let form = try await b.get("/trainer/badges/bientraitance/edit")
            #expect(form.status == .ok)
            let stored = try #require(try await h.services.db.badgeClass(id: "bientraitance"))
            #expect(form.body.contains(#"value="\#(stored.name)""#))
            #expect(form.body.contains(#"name="csrf""#))
            // A wrong CSRF token changes nothing.
            let forged = try await b.post(
                "/trainer/badges/bientraitance/edit", [("name", "Piraté"), ("description", "d"), ("criteria", "c")],
                csrf: "0000")
            #expect(forged.status == .forbidden)
            // A non-square image is refused with the field's message and the typed values kept.
            let wide = try await b.postMultipart(
                "/trainer/badges/bientraitance/edit",
                [("name", "Bientraitance 2027"), ("description", "Nouvelle description"), ("criteria", "Critères")],
                files: [
                    .init(
                        field: "image", filename: "w.png", contentType: "image/png",
                        data: try Self.png(width: 300, height: 200))
                ])
            #expect(wide.status == .unprocessableContent)
            #expect(wide.body.contains("image doit être carrée (largeur = hauteur) : reçue 300 × 200"))
            #expect(wide.body.contains(#"value="Bientraitance 2027""#))
            #expect(try await h.services.db.badgeClass(id: "bientraitance")?.name == stored.name)
            // Saved: the page says so and the hosted badge class follows.
            let ok = try await b.postMultipart(
                "/trainer/badges/bientraitance/edit",
                [
                    ("name", "Bientraitance 2027"), ("description", "Nouvelle description"), ("criteria", "Critères"),
                    ("tags", "éthique, soin"), ("validityChoice", ""), ("reminders", "90, 30, 7"),
                ],
                files: [
                    .init(
                        field: "image", filename: "s.png", contentType: "image/png",
                        data: try Self.png(width: 48, height: 48))
                ])
            #expect(ok.status == .seeOther)
            #expect(ok.location == "/trainer/badges/bientraitance/edit?saved=1")
            #expect(try await b.follow(ok).body.contains("Modifications enregistrées."))
            let updated = try #require(try await h.services.db.badgeClass(id: "bientraitance"))
            #expect(updated.name == "Bientraitance 2027")
            #expect(updated.tags == ["éthique", "soin"])
            #expect(updated.validity == nil)
            #expect(updated.alignment == stored.alignment)
            #expect(try PNGImageValidator.validate([UInt8](updated.imageData)).width == 48)
            let hosted = try await b.get("/badges/bientraitance")
            #expect(hosted.body.contains("Bientraitance 2027"))
        }
    }

    @Test func archiveNeedsConfirmationAndStopsAwards() async throws {
        let h = try await WebHarness.make()
        _ = try await h.services.issuing.award(
            AwardRequest(badgeClassID: "bientraitance", recipientEmail: "paul@example.fr"), actor: "admin")
        try await h.run { b in
            try await b.signIn()
            let form = try await b.get("/trainer/badges/bientraitance/edit")
            #expect(form.body.contains("/trainer/badges/bientraitance/archive"))
            #expect(!form.body.contains("/trainer/badges/bientraitance/delete"))
            let unconfirmed = try await b.post("/trainer/badges/bientraitance/archive", [("archived", "1")])
            #expect(unconfirmed.status == .unprocessableContent)
            #expect(unconfirmed.body.contains("Cochez la case de confirmation"))
            #expect(try await h.services.db.badgeClass(id: "bientraitance")?.isArchived == false)
            let archived = try await b.post(
                "/trainer/badges/bientraitance/archive", [("archived", "1"), ("confirm", "yes")])
            #expect(archived.status == .seeOther)
            #expect(try await h.services.db.badgeClass(id: "bientraitance")?.isArchived == true)
            let dash = try await b.get("/trainer")
            #expect(dash.body.contains("(archivée)"))
            let profile = try await b.send(
                "/issuers/\(DemoSeeder.issuerID)", method: .get, headers: [.accept: "text/html"])
            #expect(profile.body.contains("archivée : n&#39;est plus délivré"), "\(profile.body)")
            #expect(!dash.body.contains("/trainer/badges/bientraitance/award"))
            let award = try await b.get("/trainer/badges/bientraitance/award")
            #expect(award.status == .conflict)
            #expect(award.body.contains("est archivée"))
            #expect(try await b.get("/trainer/badges/bientraitance/bulk").status == .conflict)
            let post = try await b.post(
                "/trainer/badges/bientraitance/award", [("email", "x@example.fr"), ("nonce", "1")])
            #expect(post.status == .conflict)
            #expect(try await h.assertionCount() == 1)
            // Deleting a badge class with awards is refused, even confirmed.
            let delete = try await b.post("/trainer/badges/bientraitance/delete", [("confirm", "yes")])
            #expect(delete.status == .conflict)
            #expect(delete.body.contains("ne peut pas être supprimée"))
            let back = try await b.post("/trainer/badges/bientraitance/archive", [("archived", "0")])
            #expect(back.status == .seeOther)
            #expect(try await h.services.db.badgeClass(id: "bientraitance")?.isArchived == false)
        }
    }

    @Test func deleteABadgeClassNeverAwarded() async throws {
        let h = try await WebHarness.make()
        try await h.run { b in
            try await b.signIn()
            let form = try await b.get("/trainer/badges/bientraitance/edit")
            #expect(form.body.contains("/trainer/badges/bientraitance/delete"))
            let unconfirmed = try await b.post("/trainer/badges/bientraitance/delete", [])
            #expect(unconfirmed.status == .unprocessableContent)
            #expect(try await h.services.db.badgeClass(id: "bientraitance") != nil)
            let deleted = try await b.post("/trainer/badges/bientraitance/delete", [("confirm", "yes")])
            #expect(deleted.status == .seeOther)
            #expect(try await b.follow(deleted).body.contains("a été supprimée"))
            #expect(try await h.services.db.badgeClass(id: "bientraitance") == nil)
        }
    }

    @Test func issuerEditPage() async throws {
        let h = try await WebHarness.make()
        try await h.addStaff(login: "lea", password: "mot de passe lea", issuerID: DemoSeeder.establishmentID)
        try await h.run { b in
            try await b.signIn("lea", "mot de passe lea")
            let list = try await b.get("/trainer/issuers")
            #expect(list.body.contains("/trainer/issuers/foyers-la-maison/edit"))
            #expect(try await b.get("/trainer/issuers/\(DemoSeeder.issuerID)/edit").status == .forbidden)
            #expect(try await b.get("/trainer/badges/bientraitance/edit").status == .forbidden)
            let form = try await b.get("/trainer/issuers/foyers-la-maison/edit")
            #expect(form.status == .ok)
            let issuer = try #require(try await h.services.db.issuer(id: "foyers-la-maison"))
            let bad = try await b.post(
                "/trainer/issuers/foyers-la-maison/edit",
                [("name", issuer.name), ("url", issuer.url), ("email", "pas une adresse")])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.body.contains(#"id="email-error""#))
            let ok = try await b.postMultipart(
                "/trainer/issuers/foyers-la-maison/edit",
                [
                    ("name", issuer.name), ("url", issuer.url), ("email", "accueil@foyers.example.org"),
                    ("description", "Foyers d'accueil"),
                ],
                files: [
                    .init(
                        field: "image", filename: "logo.png", contentType: "image/png",
                        data: try Self.png(width: 32, height: 32))
                ])
            #expect(ok.status == .seeOther)
            let updated = try #require(try await h.services.db.issuer(id: "foyers-la-maison"))
            #expect(updated.email == "accueil@foyers.example.org")
            #expect(updated.description == "Foyers d'accueil")
            #expect(updated.imageData != nil)
            let profile = try await b.get("/issuers/foyers-la-maison")
            #expect(profile.body.contains("accueil@foyers.example.org"))
        }
    }
}
