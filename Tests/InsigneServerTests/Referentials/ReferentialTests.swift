import CompetencyFrameworks
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import InsigneStore
import OpenBadges
import TestSupport
import Testing

@testable import InsigneServer

let browserAccept: HTTPFields = [.accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"]

/// The referential schemas of `Schemas/referentials/`.
func referentialSchema(_ name: String) throws -> JSONSchemaValidator {
    try JSONSchemaValidator(schemaFile: TestPaths.schemas.appendingPathComponent("referentials/\(name).schema.json"))
}

/// A small framework file (two levels) that the demo seed does not ship.
let tinyCSV = """
    Parent id number,Id number,Shortname,Description,Description format,Scale values,Scale configuration,Rule type (optional),Rule outcome (optional),Rule config (optional),Cross referenced competency id numbers,Exported id (optional),Is framework,Taxonomy
    ,HYG-1,Hygiène en établissement,<p>Référentiel interne.</p>,1,"Not yet competent,Competent",[],,,,,,1,"domain,competency"
    ,H1,Hygiène des mains,<p>Hygiène des mains</p>,1,,,,0,null,,1,,
    H1,H1.1,Friction hydro-alcoolique,"<p>Savoir réaliser une friction, en 30 secondes.</p>",1,,,,0,null,,2,,
    H1,H1 bis/2,Code avec espace et barre,<p>Code inhabituel</p>,1,,,,0,null,,3,,

    """

@Suite("Referentials: public pages and exports")
struct ReferentialPublicTests {
    @Test func listFrameworkAndItemAnswerHTMLAndJSON() async throws {
        let h = try await APIHarness.make()
        try await h.run { api in
            let html = try await api.get("/referentials", token: nil, headers: browserAccept)
            #expect(html.status == .ok)
            #expect(html.contentType.hasPrefix("text/html"))
            #expect(html.text.contains("Référentiels de compétences"))
            #expect(html.text.contains("href=\"/referentials/dees-2007\""))
            let list = try await api.get("/referentials", token: nil, headers: [.accept: "application/json"])
            #expect(list.contentType.hasPrefix("application/json"))
            #expect(try referentialSchema("cf-document-list").validate(list.json).isEmpty)
            #expect(list.json["CFDocuments"]?.arrayValue?.count == 4)

            let page = try await api.get("/referentials/dees-2007?lang=en", token: nil, headers: browserAccept)
            #expect(page.status == .ok)
            #expect(page.text.contains("<html lang=\"en\">"))
            #expect(page.text.contains("href=\"/referentials/dees-2007/competencies/DC1.1.1\""))
            #expect(page.text.contains("/referentials/dees-2007/export.csv"))
            let package = try await api.get(
                "/referentials/dees-2007", token: nil, headers: [.accept: "application/ld+json"])
            #expect(try referentialSchema("cf-package").validate(package.json).isEmpty)
            #expect(package.json["CFItems"]?.arrayValue?.count == 102)
            #expect(package.json["CFDocument"]?["idNumber"] == "DEES-2007")

            let item = try await api.get(
                "/referentials/dees-2007/competencies/DC1.1", token: nil, headers: browserAccept)
            #expect(item.status == .ok)
            #expect(item.text.contains("Instaurer une relation"))
            #expect(item.text.contains("href=\"/referentials/dees-2007/competencies/DC1\""))  // breadcrumb / parent
            #expect(item.text.contains("href=\"/referentials/dees-2007/competencies/DC1.1.4\""))  // a child
            let json = try await api.get(
                "/referentials/dees-2007/competencies/DC1.1", token: nil, headers: [.accept: "application/json"])
            #expect(try referentialSchema("cf-item").validate(json.json).isEmpty)
            #expect(json.json["humanCodingScheme"] == "DC1.1")
            #expect(json.json["CFItemType"] == "competency")
            #expect(json.json["uri"] == "http://127.0.0.1:8080/referentials/dees-2007/competencies/DC1.1")
            #expect(json.json["parentURI"] == "http://127.0.0.1:8080/referentials/dees-2007/competencies/DC1")
            #expect(json.json["childrenURIs"]?.arrayValue?.count == 4)
        }
    }

    @Test func unknownAnswers404ByNegotiation() async throws {
        let h = try await APIHarness.make()
        try await h.run { api in
            for path in [
                "/referentials/nope", "/referentials/dees-2007/competencies/DC9.9", "/referentials/nope/export.csv",
            ] {
                let html = try await api.get(path, token: nil, headers: browserAccept)
                #expect(html.status == .notFound, "\(path)")
                #expect(html.contentType.hasPrefix("text/html"), "\(path)")
                let json = try await api.get(path, token: nil, headers: [.accept: "application/json"])
                #expect(json.status == .notFound, "\(path)")
                #expect(json.isBilingualProblem, "\(path)")
            }
        }
    }

    @Test func oddCodesArePercentEncodedAndResolve() async throws {
        let h = try await APIHarness.make()
        _ = try h.services.db.importFramework(try MoodleCompetencyCSV.parse(Data(tinyCSV.utf8)), actor: "t")
        #expect(
            h.services.urls.competency("hyg-1", "H1 bis/2")
                == "http://127.0.0.1:8080/referentials/hyg-1/competencies/H1%20bis%2F2")
        try await h.run { api in
            let r = try await api.get(
                "/referentials/hyg-1/competencies/H1%20bis%2F2", token: nil, headers: [.accept: "application/json"])
            #expect(r.status == .ok)
            #expect(r.json["humanCodingScheme"] == "H1 bis/2")
        }
    }

    @Test func exportsParseBackToTheSameTree() async throws {
        let h = try await APIHarness.make()
        try await h.run { api in
            let csv = try await api.get("/referentials/dees-2007/export.csv", token: nil)
            #expect(csv.status == .ok)
            #expect(csv.contentType.hasPrefix("text/csv"))
            #expect(csv.headers[.contentDisposition] == "attachment; filename=\"DEES-2007.csv\"")
            let parsed = try MoodleCompetencyCSV.parse(Data(csv.body))
            let shipped = try MoodleCompetencyCSV.parse(
                try Data(contentsOf: TestPaths.shared.appendingPathComponent("Referentials/dees-2007.csv")))
            #expect(parsed == shipped)
            #expect(parsed.competencies.map(\.parentIDNumber) == shipped.competencies.map(\.parentIDNumber))
            let json = try await api.get("/referentials/dees-2007/export.json", token: nil)
            #expect(json.headers[.contentDisposition] == "attachment; filename=\"DEES-2007.json\"")
            #expect(try CompetencyFrameworkJSON.decode(Data(json.body)) == shipped)
        }
    }
}

@Suite("Referentials: API")
struct ReferentialAPITests {
    @Test func importCreatesThenReimportsThenRefusesWithLine() async throws {
        let h = try await APIHarness.make()
        try await h.run { api in
            let created = try await api.post("/api/v1/referentials", raw: tinyCSV, contentType: "text/csv")
            #expect(created.status == .created)
            #expect(created.json["created"] == .bool(true))
            #expect(created.json["added"]?.numberValue == 3)
            #expect(created.json["framework"]?["id"] == "hyg-1")
            #expect(created.headers[.location] == "http://127.0.0.1:8080/referentials/hyg-1")
            // Same file as JSON: the staff account may not re-import the site's framework (403 naming the owner);
            // the administrator may: re-imported, nothing changed.
            let core = try #require(try h.services.db.coreFramework(id: "hyg-1"))
            let refusedToStaff = try await api.call(
                .post, "/api/v1/referentials", token: APIHarness.staffToken,
                body: [UInt8](CompetencyFrameworkJSON.encode(core)))
            #expect(refusedToStaff.status == .forbidden)
            #expect(refusedToStaff.isBilingualProblem)
            #expect(refusedToStaff.json["i18n"]?["fr"]?["detail"]?.stringValue?.contains("au site") == true)
            let again = try await api.call(
                .post, "/api/v1/referentials", body: [UInt8](CompetencyFrameworkJSON.encode(core)))
            #expect(again.status == .ok)
            #expect(again.json["unchanged"]?.numberValue == 3)
            // A record with 13 columns on line 4: 422 with the line, nothing stored.
            var lines = tinyCSV.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            lines[1] = lines[1].replacingOccurrences(of: "HYG-1", with: "HYG-2")
            lines[3] = String(lines[3].dropLast(1))
            let refused = try await api.post(
                "/api/v1/referentials", raw: lines.joined(separator: "\n"), contentType: "text/csv")
            #expect(refused.status == .unprocessableContent)
            #expect(refused.isBilingualProblem)
            #expect(refused.json["line"]?.numberValue == 4)
            #expect(refused.json["i18n"]?["fr"]?["detail"]?.stringValue?.hasPrefix("Ligne 4 : ") == true)
            #expect(try h.services.db.framework(reference: "HYG-2") == nil)
            let tooBig = try await api.post(
                "/api/v1/referentials", raw: String(repeating: "x", count: 5 * 1024 * 1024 + 1), contentType: "text/csv"
            )
            #expect(tooBig.status == .contentTooLarge)
            let list = try await api.get("/api/v1/referentials")
            #expect(list.json["total"]?.numberValue == 5)
            let one = try await api.get("/api/v1/referentials/DEES-2007")
            #expect(one.json["counts"]?["byDepth"] == [4, 19, 79])
            #expect(one.json["framework"]?["idNumber"] == "DEES-2007")
            let search = try await api.get("/api/v1/competencies?q=maltraitance&framework=dees-2007")
            #expect(search.json["items"]?.arrayValue?.compactMap { $0["code"]?.stringValue } == ["DC1.5.2"])
        }
    }

    @Test func alignmentByReferenceIsResolvedAndItsURLAnswers() async throws {
        let h = try await APIHarness.make()
        try await h.run { api in
            var badge = Fixtures.badge(id: "ecoute", name: "Écoute", image: try Fixtures.pngDataURI())
            badge = badge.settingAlignment([
                ["framework": "dees-2007", "code": "DC1.1.3"], ["framework": "DEES-2007", "code": "dc1.2.4"],
                ["targetName": "PSC1", "targetUrl": "https://www.example.org/psc1"],
            ])
            let r = try await api.post("/api/v1/issuers/mutuelle-vivre-ensemble/badges", json: badge)
            #expect(r.status == .created, "\(r.text)")
            let hosted = try await api.get("/badges/ecoute", token: nil, headers: [.accept: "application/ld+json"])
            let a = try #require(hosted.json["alignment"]?.arrayValue)
            #expect(a.count == 3)
            #expect(a[0]["targetName"] == "DC1.1.3 Savoir développer une écoute attentive et créer du lien")
            #expect(a[0]["targetCode"] == "DC1.1.3")
            #expect(a[0]["targetFramework"]?.stringValue?.hasPrefix("DEES 2007") == true)
            #expect(a[0]["targetDescription"] == "Savoir développer une écoute attentive et créer du lien.")
            #expect(a[1]["targetCode"] == "DC1.2.4")
            let url = try #require(a[0]["targetUrl"]?.stringValue)
            #expect(url == "http://127.0.0.1:8080/referentials/dees-2007/competencies/DC1.1.3")
            let target = try await api.get(String(url.dropFirst(APIHarness.base.count)), token: nil)
            #expect(target.status == .ok)

            let unknown = try await api.post(
                "/api/v1/issuers/mutuelle-vivre-ensemble/badges",
                json: Fixtures.badge(id: "x", image: try Fixtures.pngDataURI())
                    .settingAlignment([["framework": "dees-2007", "code": "DC9.9"]]))
            #expect(unknown.status == .unprocessableContent)
            #expect(unknown.json["field"] == "alignment")
            #expect(try await h.services.issuing.badgeClass(id: "x") == nil)

            let put = try await api.call(
                .put, "/api/v1/badges/ecoute/alignment",
                body: JSONValue.object(["alignment": [["framework": "pix", "code": "2.1"]]]).encoded())
            #expect(put.status == .ok, "\(put.text)")
            #expect(put.json["alignment"]?.arrayValue?.map { $0["targetCode"] } == ["2.1"])
            let patch = try await api.call(
                .patch, "/api/v1/badges/ecoute/alignment",
                body: JSONValue.object(["add": [["framework": "pix", "code": "2.2"]], "remove": ["2.1"]]).encoded())
            #expect(patch.json["alignment"]?.arrayValue?.map { $0["targetCode"] } == ["2.2"])
            let after = try await api.get("/badges/ecoute", token: nil, headers: [.accept: "application/ld+json"])
            // The hosted cache saw the change.
            #expect(after.json["alignment"]?.arrayValue?.first?["targetCode"] == "2.2")
        }
    }

    @Test func generatesOneBadgePerDEESCompetenceOnce() async throws {
        let h = try await APIHarness.make()
        try await h.run { api in
            let body: JSONValue = ["issuer": "mutuelle-vivre-ensemble", "level": 1]
            let first = try await api.post("/api/v1/referentials/dees-2007/badges", json: body)
            #expect(first.status == .created)
            let created = try #require(first.json["created"]?.arrayValue)
            #expect(created.count == 19)
            let b = try #require(created.first { $0["id"] == "mutuelle-vivre-ensemble-dees-2007-dc1-1" })
            #expect(b["name"] == "DC1.1 Instaurer une relation")
            #expect(
                b["description"]?.stringValue?.contains("DC1 : Accompagnement social et éducatif spécialisé") == true)
            let criteria = try #require(b["criteria"]?["narrative"]?.stringValue)
            #expect(criteria.contains("\nDC1.1.1 Savoir recueillir"))
            #expect(criteria.contains("\nDC1.1.4 Savoir identifier et réguler son implication personnelle"))
            #expect(b["alignment"]?.arrayValue?.count == 5)  // the competence and its four indicators
            let image = try await api.get("/badges/mutuelle-vivre-ensemble-dees-2007-dc1-1/image", token: nil)
            #expect(image.contentType == "image/png")
            let again = try await api.post("/api/v1/referentials/dees-2007/badges", json: body)
            #expect(again.status == .ok)
            #expect(again.json["created"]?.arrayValue?.isEmpty == true)
            #expect(again.json["skipped"]?.arrayValue?.count == 19)
            // Staff of another issuer may not generate for this one.
            let staff = try await api.post(
                "/api/v1/referentials/dees-2007/badges", json: body, token: APIHarness.staffToken)
            #expect(staff.status == .forbidden)
        }
    }
}

extension JSONValue {
    /// The same object with `alignment` replaced.
    func settingAlignment(_ items: [JSONValue]) -> JSONValue {
        guard case .object(var o) = self else { return self }
        o["alignment"] = .array(items)
        return .object(o)
    }
}

@Suite("Referentials: trainers' pages and demo seed")
struct ReferentialWebTests {
    @Test func importFormShowsSummaryOrLine() async throws {
        let h = try await WebHarness.make()
        try await h.run { b in
            try await b.signIn()
            let page = try await b.get("/trainer/referentials")
            #expect(page.status == .ok)
            #expect(page.body.contains("DEES-2007"))
            let ok = try await b.postMultipart(
                "/trainer/referentials", [],
                files: [.init(field: "file", filename: "hyg.csv", contentType: "text/csv", data: Array(tinyCSV.utf8))])
            #expect(ok.status == .ok)
            #expect(ok.body.contains("importé : 3 ajoutée(s)"))
            let bad = try await b.postMultipart(
                "/trainer/referentials?lang=en", [],
                files: [
                    .init(
                        field: "file", filename: "bad.csv", contentType: "text/csv",
                        data: Array(
                            tinyCSV.replacingOccurrences(of: "HYG-1", with: "HYG-3").replacingOccurrences(
                                of: ",2,,\n", with: ",2\n"
                            ).utf8))
                ])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.body.contains("nothing was stored. Line 4: 12 columns instead of 14"))
            #expect(try h.services.db.framework(reference: "HYG-3") == nil)
            let fw = try await b.get("/trainer/referentials/dees-2007")
            #expect(fw.body.contains("DC4.5.5"))
            #expect(fw.body.contains("competency (19)"))
            let gen = try await b.post(
                "/trainer/referentials/dees-2007/badges", [("issuer", "foyers-la-maison"), ("level", "1")])
            #expect(gen.status == .ok)
            #expect(gen.body.contains("19 badge(s) created, 0 already there."))
        }
    }

    @Test func alignmentPickerOnCreationAndEdit() async throws {
        let h = try await WebHarness.make()
        try await h.run { b in
            try await b.signIn()
            let form = try await b.get("/trainer/badges/new")
            #expect(form.body.contains(#"name="align" value="dees-2007/DC1.1.3""#))
            #expect(form.body.contains(#"name="alignCodes""#))
            #expect(form.body.contains("/static/referentials.js"))
            let png = try DemoBadgeArt.png(size: 64)
            let created = try await b.postMultipart(
                "/trainer/badges/new",
                [
                    ("issuer", "mutuelle-vivre-ensemble"), ("name", "Écoute active"), ("description", "d"),
                    ("criteria", "c"),
                    ("align", "dees-2007/DC1.1.3"), ("alignCodes", "PIX: 2.1\ndees-2007/DC1.2.4"),
                ],
                files: [.init(field: "image", filename: "b.png", contentType: "image/png", data: png)])
            #expect(created.status == .seeOther, "\(created.body)")
            let badge = try #require(
                try await h.services.issuing.badgeClass(id: "mutuelle-vivre-ensemble-ecoute-active"))
            #expect(badge.alignment.map(\.targetCode) == ["DC1.1.3", "2.1", "DC1.2.4"])

            let unknown = try await b.postMultipart(
                "/trainer/badges/new",
                [
                    ("issuer", "mutuelle-vivre-ensemble"), ("name", "Autre"), ("description", "d"), ("criteria", "c"),
                    ("alignCodes", "DEES-2007: DC1.1.3, DC7.7"),
                ],
                files: [.init(field: "image", filename: "b.png", contentType: "image/png", data: png)])
            #expect(unknown.status == .unprocessableContent)
            #expect(unknown.body.contains("Code inconnu dans DEES-2007 : DC7.7"))
            #expect(try await h.services.issuing.badgeClass(id: "autre") == nil)

            let edit = try await b.get("/trainer/badges/bientraitance/alignment")
            #expect(edit.body.contains(#"value="dees-2007/DC1.5.2" checked"#))
            let saved = try await b.post(
                "/trainer/badges/bientraitance/alignment", [("align", "dees-2007/DC1.5.2"), ("alignCodes", "")])
            #expect(saved.status == .seeOther)
            #expect(
                try await h.services.issuing.badgeClass(id: "bientraitance")?.alignment.map(\.targetCode) == ["DC1.5.2"]
            )
        }
    }

    @Test func shippedCopiesAreByteIdenticalAndDemoBadgeIsAligned() async throws {
        for name in DemoSeeder.shippedReferentials {
            let bundled = try Data(contentsOf: try #require(DemoSeeder.shippedReferential(name)))
            let shared = try Data(contentsOf: TestPaths.shared.appendingPathComponent("Referentials/\(name).csv"))
            #expect(bundled == shared, "\(name)")
            let fixture = TestPaths.fixtures.appendingPathComponent("referentials/\(name).csv")
            #expect(try Data(contentsOf: fixture) == bundled, "\(name)")
        }
        let h = try await WebHarness.make()
        #expect(
            try h.services.db.frameworks().map(\.idNumber).sorted() == ["C2i2ms", "DEES-2007", "DigComp-2.2", "PIX"])
        let badge = try #require(try await h.services.issuing.badgeClass(id: "bientraitance"))
        #expect(badge.alignment.map(\.targetCode) == DemoSeeder.bientraitanceCodes)
        // Seeding again (restart) changes nothing, and a trainer's later choice is kept.
        _ = try await h.services.issuing.replaceAlignment(badgeID: "bientraitance", [], actor: "t")
        _ = try await DemoSeeder(services: h.services).seedIfNeeded(adminToken: "t")
        #expect(try await h.services.issuing.badgeClass(id: "bientraitance")?.alignment.isEmpty == true)
        #expect(try h.services.db.competencies(frameworkID: "dees-2007").count == 102)
    }
}
