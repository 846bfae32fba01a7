import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import OpenBadges
import OpenBadgesPNG
import Testing

@testable import InsigneServer
@testable import InsigneStore

@Suite("Backpack")
struct BackpackTests {
    // MARK: - Addresses

    @Test func extraAddressesAreConfirmedThroughTheOutboxBeforeTheirBadgesShow() async throws {
        let h = try await WebHarness.make()
        try await h.run { trainer in
            try await trainer.signIn()
            let (alex, alexAccount) = try await h.learner(trainer, name: "Alex Martin", email: "alex@example.org")
            let primary = try await h.award("alex@example.org")
            let other = try await h.award("alex.perso@example.net")

            let before = try await alex.get("/backpack")
            #expect(before.status == .ok)
            #expect(before.body.contains("badge-\(primary.id)"))
            #expect(!before.body.contains("badge-\(other.id)"))

            // Added but not confirmed: the message is in the outbox (0600), the badge does not show yet.
            _ = try await alex.get("/backpack/emails")
            let sent = try await alex.post("/backpack/emails", [("email", "  Alex.Perso@Example.NET ")])
            #expect(sent.status == .seeOther)
            let page = try await alex.follow(sent)
            // Without a mail server the page says where the message went (the outbox, for the operator).
            #expect(page.body.contains("message de confirmation a été déposé dans le dossier"))
            #expect(page.body.contains("/outbox"))
            #expect(!page.body.contains("/backpack/emails/confirm/"))
            #expect(page.body.contains("en attente de confirmation"))
            let messages = try h.messages(to: "alex.perso@example.net")
            #expect(messages.count == 1)
            #expect(messages[0].contains("Subject: [Insigne] Confirmez votre adresse / Confirm your address"))
            let file = try #require(try FileManager.default.contentsOfDirectory(atPath: h.outbox.path).first)
            let attributes = try FileManager.default.attributesOfItem(
                atPath: h.outbox.appendingPathComponent(file).path)
            #expect((attributes[.posixPermissions] as? Int) == 0o600)
            #expect(!(try await alex.get("/backpack")).body.contains("badge-\(other.id)"))

            // Another learner can neither use the link nor claim an address verified elsewhere.
            let token = try h.confirmationToken(to: "alex.perso@example.net")
            let (sam, _) = try await h.learner(trainer, name: "Sam Petit", email: "sam@example.org")
            #expect(try await sam.get("/backpack/emails/confirm/\(token)").status == .notFound)
            _ = try await sam.get("/backpack/emails")
            #expect(try await sam.post("/backpack/emails/confirm/\(token)", []).status == .notFound)

            #expect(try await alex.get("/backpack/emails/confirm/\(token)").body.contains("alex.perso@example.net"))
            #expect(
                try await alex.post("/backpack/emails/confirm/\(token)", []).location == "/backpack/emails?confirmed=1")
            #expect(try await alex.post("/backpack/emails/confirm/\(token)", []).status == .notFound)  // used
            let after = try await alex.get("/backpack")
            #expect(after.body.contains("badge-\(primary.id)") && after.body.contains("badge-\(other.id)"))
            #expect(
                try await h.services.learnerEmails(accountID: alexAccount.id) == [
                    "alex@example.org", "alex.perso@example.net",
                ])

            for taken in ["alex.perso@example.net", "ALEX@example.org"] {
                _ = try await sam.get("/backpack/emails")
                let refused = try await sam.post("/backpack/emails", [("email", taken)])
                #expect(refused.status == .unprocessableContent)
                #expect(refused.body.contains("déjà rattachée à un autre compte"), "\(taken)")
            }
            #expect(try h.messages(to: "alex.perso@example.net").count == 1)
            _ = try await sam.get("/backpack/emails")
            #expect(
                try await sam.post("/backpack/emails", [("email", "pas-une-adresse")]).status == .unprocessableContent)

            // Removing the extra address hides its badge again; the primary cannot be removed.
            _ = try await alex.get("/backpack/emails")
            #expect(try await alex.post("/backpack/emails/remove", [("email", "alex@example.org")]).status == .notFound)
            #expect(
                try await alex.post("/backpack/emails/remove", [("email", "alex.perso@example.net")]).status
                    == .seeOther)
            #expect(!(try await alex.get("/backpack")).body.contains("badge-\(other.id)"))
        }
    }

    // MARK: - The backpack

    @Test func backpackShowsStatesInWordsAndTheZIPVerifies() async throws {
        let h = try await WebHarness.make()
        try await h.run { trainer in
            try await trainer.signIn()
            let (lea, _) = try await h.learner(trainer, name: "Léa Roux", email: "lea@example.org")
            try await lea.addAndConfirm("lea.roux@example.net", in: h)
            let first = try await h.award("lea@example.org")
            let second = try await h.award("lea.roux@example.net")
            let revoked = try await h.award("lea@example.org")
            _ = try await h.services.issuing.revoke(assertionID: revoked.id, reason: "Erreur de saisie", actor: "admin")

            let page = try await lea.get("/backpack")
            for a in [first, second, revoked] { #expect(page.body.contains("badge-\(a.id)")) }
            #expect(page.body.contains(#"data-state="revoked""#) && page.body.contains("révoqué"))
            #expect(page.body.components(separatedBy: #"data-state="valid""#).count - 1 == 2)
            #expect(
                page.body.contains("/assertions/\(first.id)/badge.png")
                    && page.body.contains("/assertions/\(first.id)/badge.svg"))
            #expect(page.body.contains("/backpack/badges/\(first.id)/assertion.json"))
            #expect(page.body.contains("/assertions/\(first.id)/certificate.pdf"))
            #expect(!page.body.contains("/assertions/\(revoked.id)/certificate.pdf"))
            // The learner's own download carries their name (private); it verifies like the badge.
            let (pdfStatus, pdfHeaders, pdf) = try await lea.bytes("/assertions/\(first.id)/certificate.pdf")
            #expect(pdfStatus == .ok && pdfHeaders[.cacheControl] == "private, no-store")
            let pdfReport = await h.services.verifier.verify(.data(pdf), options: .init(now: Date()))
            #expect(pdfReport.isValid, "\(pdfReport.checks.filter { $0.status != .passed })")
            #expect(page.body.contains("Bientraitance"))
            let english = try await lea.get("/backpack?lang=en")
            #expect(english.body.contains("revoked") && english.body.contains("My badges"))

            let (status, headers, zipBytes) = try await lea.bytes("/backpack/export.zip")
            #expect(status == .ok)
            #expect(headers[.contentType] == "application/zip")
            let zip = try TestZIP(zipBytes)
            let pngs = zip.entries.filter { $0.name.hasSuffix(".png") }
            #expect(pngs.count == 3)
            #expect(
                zip.entries.filter {
                    $0.name.hasSuffix(".json") && $0.name.hasPrefix("badges/") && !$0.name.hasSuffix("-ob3.json")
                }.count == 3)
            #expect(zip["LISEZMOI-README.txt"] != nil)
            var outcomes: [VerificationOutcome] = []
            for png in pngs {
                let report = await h.services.verifier.verify(.data(png.data), options: .init(now: Date()))
                outcomes.append(report.outcome)
                #expect(CRC32.checksum(png.data) == png.crc)
            }
            #expect(outcomes.sorted { $0.rawValue < $1.rawValue } == [.revoked, .valid, .valid])
            let index = try #require(try JSONValue(parsing: zip["index.json"]!.data).arrayValue)
            #expect(index.count == 3)
            #expect(index.compactMap { $0["state"]?.stringValue }.sorted() == ["revoked", "valid", "valid"])
            for item in index {
                let name = try #require(item["image"]?.stringValue)
                #expect(zip[name] != nil)
            }
            // Someone else's badge file is not reachable through the learner's routes.
            let (sam, _) = try await h.learner(trainer, name: "Sam", email: "sam@example.org")
            #expect(try await sam.get("/backpack/badges/\(first.id)/assertion.json").status == .notFound)
            #expect(try await WebBrowser(client: trainer.client).get("/backpack/export.zip").status == .seeOther)
        }
    }

    @Test func linkedInLinkCarriesTheCertificationFields() async throws {
        let h = try await WebHarness.make()
        try await h.run { trainer in
            try await trainer.signIn()
            let (lea, _) = try await h.learner(trainer, name: "Léa Roux", email: "lea@example.org")
            let a = try await h.award("lea@example.org")
            let page = try await lea.get("/backpack")
            let r = try #require(
                page.body.range(of: #"https://www\.linkedin\.com/profile/add\?[^"]+"#, options: .regularExpression))
            let href = String(page.body[r]).replacingOccurrences(of: "&amp;", with: "&")
            let items = try #require(URLComponents(string: href)?.queryItems)
            var q: [String: String] = [:]
            for i in items { q[i.name] = i.value }
            let issued = try #require(ISO8601DateFormatter().date(from: a.issuedOn))
            var cal = Calendar(identifier: .gregorian)
            cal.timeZone = WebDates.paris
            #expect(q["startTask"] == "CERTIFICATION_NAME")
            #expect(q["name"] == "Bientraitance")
            #expect(q["organizationName"] == "Mutuelle Vivre Ensemble")
            #expect(q["issueYear"] == String(cal.component(.year, from: issued)))
            #expect(q["issueMonth"] == String(cal.component(.month, from: issued)))
            #expect(q["certUrl"] == "http://127.0.0.1:8080/assertions/\(a.id)")
            #expect(q["certId"] == a.id)
            #expect(!href.contains(" ") && href.contains("certUrl=http%3A%2F%2F127.0.0.1%3A8080%2Fassertions%2F"))
        }
    }

    @Test func publicPageShowsOnlyValidBadgesWithoutEmailAndDiesWhenClosed() async throws {
        let h = try await WebHarness.make()
        try await h.run { trainer in
            try await trainer.signIn()
            let (lea, account) = try await h.learner(trainer, name: "Léa Roux", email: "lea@example.org")
            let valid = try await h.award("lea@example.org")
            let revoked = try await h.award("lea@example.org")
            _ = try await h.services.issuing.revoke(assertionID: revoked.id, reason: "Erreur", actor: "admin")
            #expect(try await Backpack(services: h.services).publicSlug(accountID: account.id) == nil)

            _ = try await lea.get("/backpack")
            #expect(try await lea.post("/backpack/public", [("public", "1")]).status == .seeOther)
            let slug = try #require(try await Backpack(services: h.services).publicSlug(accountID: account.id))
            #expect(try await lea.get("/backpack").body.contains("/backpacks/\(slug)"))

            let visitor = WebBrowser(client: trainer.client)
            let open = try await visitor.get("/backpacks/\(slug)")
            #expect(open.status == .ok)
            #expect(open.body.contains("Léa Roux"))
            #expect(open.body.contains("/verify?url=http%3A%2F%2F127.0.0.1%3A8080%2Fassertions%2F\(valid.id)"))
            #expect(!open.body.contains(revoked.id) && !open.body.contains("révoqué"))
            #expect(!open.body.contains("lea@example.org"))
            #expect(open.headers[HTTPField.Name("X-Robots-Tag")!] == "noindex, nofollow")

            _ = try await lea.get("/backpack")
            #expect(try await lea.post("/backpack/public", [("public", "0")]).status == .seeOther)
            #expect(try await visitor.get("/backpacks/\(slug)").status == .notFound)
            _ = try await lea.get("/backpack")
            _ = try await lea.post("/backpack/public", [("public", "1")])
            let again = try #require(try await Backpack(services: h.services).publicSlug(accountID: account.id))
            #expect(again != slug)
            #expect(try await visitor.get("/backpacks/\(slug)").status == .notFound)
            #expect(try await visitor.get("/backpacks/\(again)").status == .ok)
        }
    }

    // MARK: - Import

    @Test func importByFileJWSAndURLVerifiesStoresAndNeverDuplicates() async throws {
        let h = try await WebHarness.make()
        try await h.run { trainer in
            try await trainer.signIn()
            let (lea, account) = try await h.learner(trainer, name: "Léa Roux", email: "lea@example.org")
            try await lea.addAndConfirm("lea.roux@example.net", in: h)
            let a = try await h.award("lea.roux@example.net")
            let (_, _, png) = try await lea.bytes("/assertions/\(a.id)/badge.png")

            let byFile = try await lea.importBadge(file: png)
            #expect(byFile.status == .seeOther)
            #expect(byFile.location?.hasPrefix("/backpack?imported=1") == true)
            var stored = try await h.storedBadges()
            #expect(stored.count == 1)
            #expect(stored[0].learnerID == account.id && stored[0].outcome == "valid" && stored[0].source == .file)
            #expect(stored[0].originalData.map { [UInt8]($0) } == png)
            #expect(stored[0].jws == a.jws)

            let again = try await lea.importBadge(file: png)
            #expect(again.location?.hasPrefix("/backpack?updated=1") == true)
            #expect(try await h.storedBadges().count == 1)
            #expect(try await lea.importBadge(jws: a.jws).location?.hasPrefix("/backpack?updated=1") == true)
            #expect(try await h.storedBadges().count == 1)

            // A second badge by its hosted URL (answered from the database, no network).
            let b = try await h.award("lea@example.org")
            let byURL = try await lea.importBadge(url: h.services.urls.assertion(b.id))
            #expect(
                byURL.location?.hasPrefix("/backpack?imported=1") == true, "\(byURL.status) \(byURL.body.prefix(300))")
            stored = try await h.storedBadges()
            #expect(stored.count == 2)
            let hosted = try #require(stored.first { $0.source == .url })
            #expect(hosted.outcome == "valid" && hosted.assertionID == h.services.urls.assertion(b.id))

            // Imported badges offer their files, re-verification and removal; a revocation shows on re-verify.
            let page = try await lea.get("/backpack")
            #expect(page.body.contains("/backpack/badges/\(hosted.id)/reverify"))
            // Both were issued here to Léa's addresses: one card each, not a second "imported" card.
            #expect(page.body.components(separatedBy: "class=\"backpack-badge card\"").count - 1 == 2)
            #expect(page.body.components(separatedBy: "aussi importé").count - 1 == 2)
            let (s1, _, bakedAgain) = try await lea.bytes("/backpack/badges/\(stored[0].id)/badge.png")
            #expect(s1 == .ok)
            let report = await h.services.verifier.verify(.data(bakedAgain), options: .init(now: Date()))
            #expect(report.isValid)
            _ = try await h.services.issuing.revoke(assertionID: b.id, reason: "Erreur", actor: "admin")
            _ = try await lea.get("/backpack")
            #expect(try await lea.post("/backpack/badges/\(hosted.id)/reverify", []).status == .seeOther)
            #expect(try await h.storedBadges().first { $0.id == hosted.id }?.outcome == "revoked")
            #expect(try await lea.get("/backpack").body.contains("révoqué"))
            _ = try await lea.get("/backpack")
            #expect(try await lea.post("/backpack/badges/\(hosted.id)/delete", []).status == .seeOther)
            #expect(try await h.storedBadges().count == 1)
        }
    }

    @Test func importOfSomeoneElsesBadgeIsRefusedAndNothingIsStored() async throws {
        let h = try await WebHarness.make()
        try await h.run { trainer in
            try await trainer.signIn()
            let (lea, _) = try await h.learner(trainer, name: "Léa Roux", email: "lea@example.org")
            let theirs = try await h.award("quelquun@example.org")
            let (_, _, png) = try await lea.bytes("/assertions/\(theirs.id)/badge.png")
            let refused = try await lea.importBadge(file: png)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.body.contains("Ce badge a été attribué à une autre adresse"))
            let english = try await lea.importBadge(jws: theirs.jws)
            #expect(english.status == .unprocessableContent)
            #expect(try await h.storedBadges().isEmpty)

            // Not a badge, too large, or nothing at all: clear refusals.
            #expect(try await lea.importBadge(file: Samples.pdf, filename: "x.pdf").status == .unsupportedMediaType)
            let big = [UInt8](repeating: 0, count: Backpack.maxImportSize + 1)
            #expect(try await lea.importBadge(file: big).status == .contentTooLarge)
            #expect(try await lea.importBadge().status == .unprocessableContent)
            #expect(try await lea.importBadge(jws: "pas un badge").status == .unprocessableContent)
            #expect(try await h.storedBadges().isEmpty)

            // CSRF: a POST without the form token changes nothing.
            let forged = try await lea.post("/backpack/public", [("public", "1")], csrf: "0")
            #expect(forged.status == .forbidden)
        }
    }

    // MARK: - RGPD

    @Test func personalDataExportAndErasureCoverTheBackpack() async throws {
        let h = try await WebHarness.make()
        try await h.run { trainer in
            try await trainer.signIn()
            let (lea, account) = try await h.learner(trainer, name: "Léa Roux", email: "lea@example.org")
            try await lea.addAndConfirm("lea.roux@example.net", in: h)
            let extra = try await h.award("lea.roux@example.net")
            let (_, _, png) = try await lea.bytes("/assertions/\(extra.id)/badge.png")
            #expect(try await lea.importBadge(file: png).status == .seeOther)
            _ = try await lea.get("/backpack")
            _ = try await lea.post("/backpack/public", [("public", "1")])

            let zip = try TestZIP(try await PortfolioTests.bytes(lea, "/portfolio/data/export"))
            let doc = try JSONValue(parsing: try #require(zip["backpack.json"]).data)
            #expect(doc["emails"]?.arrayValue?.first?["email"]?.stringValue == "lea.roux@example.net")
            #expect(doc["publicPage"]?["open"]?.boolValue == true)
            let imported = try #require(doc["importedBadges"]?.arrayValue?.first)
            let file = try #require(imported["file"]?.stringValue)
            #expect(zip[file]?.data == png)

            _ = try await lea.get("/portfolio/data")
            let erased = try await lea.post(
                "/portfolio/data/erase", [("password", WebHarness.learnerPassword), ("confirm", "1")])
            #expect(erased.status == .seeOther)
            let counts = try await h.services.db.writer.read { db in
                [
                    try BackpackBadgeRecord.filter { $0.learnerID == account.id }.fetchCount(db),
                    try LearnerEmailRecord.filter { $0.accountID == account.id }.fetchCount(db),
                    try BackpackSettingRecord.filter { $0.accountID == account.id }.fetchCount(db),
                    try AssertionRecord.filter { $0.recipientEmail == "lea.roux@example.net" }.fetchCount(db),
                ]
            }
            #expect(counts == [0, 0, 0, 0])
            let blanked = try #require(
                try await h.services.db.assertion(id: extra.id))
            #expect(await h.services.verifier.verify(.text(blanked.jws), options: .init(now: Date())).isValid)
        }
    }
}
