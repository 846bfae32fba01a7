import Foundation
import HTTPTypes
import InsigneStore
import OpenBadges
import Testing

@testable import InsigneServer

@Suite("Pages: roster and compliance")
struct RosterPagesTests {
    static let people = "/trainer/issuers/foyers-la-maison/people"
    static let compliance = "/trainer/issuers/foyers-la-maison/compliance"

    /// The demo service with its clock fixed, a trainer of Foyers La Maison and one of the parent organisation.
    static func harness() async throws -> WebHarness {
        let h = try await ComplianceFixture.api().harness
        try await h.addStaff(login: "trainer-foyers", password: "foyers password", issuerID: "foyers-la-maison")
        try await h.addStaff(login: "trainer-mve", password: "mve password", issuerID: "mutuelle-vivre-ensemble")
        return h
    }

    @Test func importAddEditLeaveAndComeBack() async throws {
        let h = try await Self.harness()
        try await h.run { browser in
            try await browser.signIn("trainer-foyers", "foyers password")
            let list = try await browser.get(Self.people)
            #expect(list.status == .ok)
            let empty = try await browser.get(Self.compliance)
            #expect(empty.body.contains("id=\"empty-roster\""))
            #expect(!empty.body.contains("compliance-chart"))
            // A Windows-1252 file, as Excel saves « CSV (séparateur : point-virgule) ».
            let file =
                Array("Pr".utf8) + [0xE9] + Array("nom;Nom;Courriel\r\nL".utf8) + [0xE9]
                + Array("a;Lef".utf8) + [0xE8] + Array("vre;lea@example.org\r\nJean;Petit;pas-une-adresse\r\n".utf8)
            let report = try await browser.postMultipart(
                Self.people + "/import", [("encoding", "automatic")],
                files: [.init(field: "csv", filename: "equipe.csv", contentType: "text/csv", data: file)])
            #expect(report.status == .ok, "\(report.body)")
            #expect(report.body.contains("Windows-1252"))
            #expect(report.body.contains("Ajoutées : <strong>1</strong>"))
            #expect(report.body.contains("pas-une-adresse"))
            #expect(report.body.contains("Lefèvre"))

            let added = try await browser.post(
                Self.people,
                [("firstName", "Zoé"), ("lastName", "Blanc"), ("emails", "zoe@example.org"), ("externalID", "")])
            #expect(added.status == .seeOther)
            let taken = try await browser.post(
                Self.people,
                [("firstName", "Autre"), ("lastName", "Personne"), ("emails", "ZOE@example.org"), ("externalID", "")])
            #expect(taken.status == .unprocessableContent)
            #expect(taken.body.contains("appartient déjà"))

            let zoe = try await h.services.db.people(
                issuerID: "foyers-la-maison", search: "zoe", includeLeft: false, page: 1, perPage: 5
            ).items[0].person
            let edit = try await browser.get(Self.people + "/\(zoe.id)")
            #expect(edit.status == .ok)
            let saved = try await browser.post(
                Self.people + "/\(zoe.id)",
                [
                    ("firstName", "Zoé"), ("lastName", "Blanc"), ("emails", "zoe@example.org\nzoe.perso@example.org"),
                    ("externalID", "zblanc"),
                ])
            #expect(saved.status == .seeOther)
            #expect(
                try await h.services.db.person(id: zoe.id, issuerID: "foyers-la-maison")?.emails == [
                    "zoe@example.org", "zoe.perso@example.org",
                ])
            _ = try await browser.get(Self.people)
            let left = try await browser.post(Self.people + "/\(zoe.id)/left", [("action", "left")])
            #expect(left.status == .seeOther)
            let withLeft = try await browser.get(Self.people + "?left=1")
            #expect(withLeft.body.contains("zoe@example.org"))
            #expect(withLeft.body.contains("tag neutral"))
            let present = try await browser.get(Self.people)
            #expect(!present.body.contains("zoe@example.org"))
            _ = try await browser.post(Self.people + "/\(zoe.id)/left", [("action", "back")])
            #expect(try await h.services.db.person(id: zoe.id, issuerID: "foyers-la-maison")?.person.leftAt == nil)
        }
    }

    @Test func compliancePageShowsStatesChartAndDownload() async throws {
        let h = try await Self.harness()
        try await DemoSeeder(services: h.services).seedRosterIfNeeded(now: ComplianceFixture.now)
        try await DemoSeeder(services: h.services).seedRosterIfNeeded(now: ComplianceFixture.now)  // once only
        try await h.run { browser in
            try await browser.signIn("trainer-foyers", "foyers password")
            let page = try await browser.get(Self.compliance)
            #expect(page.status == .ok, "\(page.body)")
            #expect(page.body.contains("Bientraitance"))
            #expect(page.body.contains("<svg class=\"compliance-chart\""))
            for label in ["à jour", "expire bientôt", "expiré", "jamais obtenu"] { #expect(page.body.contains(label)) }
            let expired = try await browser.get(Self.compliance + "?badge=bientraitance&state=expired")
            #expect(expired.body.components(separatedBy: "<tr>").count - 2 == 2)  // Michel, Nathan and Lefèvre, Léa
            #expect(expired.body.contains("Michel, Nathan"))
            #expect(!expired.body.contains("Bernard, Camille"))
            let search = try await browser.get(Self.compliance + "?badge=bientraitance&q=camille")
            #expect(search.body.contains("Bernard, Camille"))
            #expect(!search.body.contains("Michel, Nathan"))
            let none = try await browser.get(Self.compliance + "?badge=bientraitance&state=expired&q=camille")
            #expect(none.body.contains("Aucune personne ne correspond"))
            #expect(none.body.contains("compliance-chart"))
            let csv = try await browser.get(Self.compliance + ".csv?badge=bientraitance")
            #expect(csv.status == .ok)
            #expect(csv.headers[.contentDisposition]?.contains("attachment") == true)
            #expect(csv.body.contains("Nathan;Michel") == false)
            #expect(csv.body.contains("Michel;Nathan;nathan.michel@foyers-la-maison.fr;expiré"))
        }
        let report = try await Compliance(db: h.services.db).report(
            issuerID: "foyers-la-maison", badgeID: "bientraitance", now: ComplianceFixture.now)
        #expect(report.people.count == 10)
        #expect(Compliance.State.allCases.map(report.count) == [4, 2, 2, 2])
    }

    @Test func otherEstablishmentLearnerAndAnonymousAreRefused() async throws {
        let h = try await Self.harness()
        try await h.addLearner(login: "learner@example.org", password: "learner password")
        try await h.run { browser in
            #expect(try await browser.get(Self.people).status != .ok)
            try await browser.signIn("trainer-mve", "mve password")
            #expect(try await browser.get(Self.people).status == .forbidden)
            #expect(try await browser.get(Self.compliance).status == .forbidden)
            #expect(try await browser.get(Self.compliance + ".csv?badge=bientraitance").status == .forbidden)
        }
        try await h.run { browser in
            try await browser.signIn("learner@example.org", "learner password")
            let page = try await browser.get(Self.compliance)
            #expect(page.status != .ok)
            #expect(!page.body.contains("jamais obtenu"))
        }
    }
}
