import Foundation
import GRDB
import HTTPTypes
import HummingbirdTesting
import OpenBadges
import OpenBadgesPNG
import Testing

@testable import InsigneServer
@testable import InsigneStore

/// Editing badge classes and issuers through the API: `PATCH` (only the fields given, audited), square images,
/// archiving (no new awards) and deleting a badge class never awarded.
@Suite("Admin API: editing")
struct APIEditingTests {
    func patch(_ api: APIClient, _ uri: String, _ json: JSONValue, token: String = APIHarness.adminToken)
        async throws -> APIResponse
    {
        try await api.call(.patch, uri, token: token, body: json.encoded())
    }

    static func pngDataURI(width: Int, height: Int) throws -> String {
        let png = try RGBAImage(width: width, height: height, fill: (200, 30, 30, 255)).pngData()
        return "data:image/png;base64," + Data(png).base64EncodedString()
    }

    static func svgDataURI(_ svg: String) -> String {
        "data:image/svg+xml;utf8," + svg.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
    }

    func audit(_ h: APIHarness, _ action: String, _ subject: String) async throws -> [String] {
        try await h.services.db.writer.read { db in
            try AuditEventRecord.filter { $0.action == action && $0.subject == subject }.fetchAll(db)
                .map { $0.detail ?? "" }
        }
    }

    @Test func patchChangesOnlyTheGivenFieldsAndIsAudited() async throws {
        let h = try await APIHarness.make()
        try await h.run { api in
            let before = try await api.get("/api/v1/badges/bientraitance")
            let r = try await patch(
                api, "/api/v1/badges/bientraitance",
                [
                    "name": "Bientraitance (2027)", "criteria": ["narrative": "Nouveau critère"],
                    "tags": ["éthique", "soin"], "image": .string(try Self.pngDataURI(width: 64, height: 64)),
                ])
            #expect(r.status == .ok, "\(r.text)")
            #expect(r.json["name"]?.stringValue == "Bientraitance (2027)")
            #expect(r.json["criteria"]?["narrative"]?.stringValue == "Nouveau critère")
            #expect(r.json["tags"]?.arrayValue == ["éthique", "soin"])
            #expect(r.json["description"] == before.json["description"])
            #expect(r.json["alignment"] == before.json["alignment"])
            #expect(r.json["archived"] == .bool(false))
            let details = try await audit(h, "badge.update", "bientraitance")
            #expect(details == ["name, criteria, image, tags"])
            // The same values again: nothing changes, nothing audited.
            let same = try await patch(api, "/api/v1/badges/bientraitance", ["name": "Bientraitance (2027)"])
            #expect(same.status == .ok)
            #expect(try await audit(h, "badge.update", "bientraitance").count == 1)
            // The hosted badge class follows at once.
            let hosted = try await api.get("/badges/bientraitance", token: nil)
            #expect(hosted.json["name"]?.stringValue == "Bientraitance (2027)")
        }
    }

    @Test func patchRefusesUnknownFieldsWrongTypesAndNonSquareImages() async throws {
        let h = try await APIHarness.make()
        try await h.run { api in
            let unknown = try await patch(api, "/api/v1/badges/bientraitance", ["colour": "red"])
            #expect(unknown.status == .badRequest)
            #expect(unknown.json["field"]?.stringValue == "colour")
            #expect(unknown.isBilingualProblem)
            let id = try await patch(api, "/api/v1/badges/bientraitance", ["id": "autre"])
            #expect(id.status == .badRequest)
            let blank = try await patch(api, "/api/v1/badges/bientraitance", ["name": " "])
            #expect(blank.status == .badRequest)
            #expect(blank.json["field"]?.stringValue == "name")
            let archived = try await patch(api, "/api/v1/badges/bientraitance", ["archived": "yes"])
            #expect(archived.status == .badRequest)
            let wide = try await patch(
                api, "/api/v1/badges/bientraitance", ["image": .string(try Self.pngDataURI(width: 300, height: 200))])
            #expect(wide.status == .badRequest)
            #expect(wide.json["field"]?.stringValue == "image")
            #expect(
                wide.text.contains("l'image doit être carrée (largeur = hauteur) : reçue 300 × 200"), "\(wide.text)")
            #expect(wide.text.contains("the image must be square"))
            let svg = Self.svgDataURI(
                #"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 80"><rect width="120" height="80"/></svg>"#)
            let wideSVG = try await patch(api, "/api/v1/badges/bientraitance", ["image": .string(svg)])
            #expect(wideSVG.status == .badRequest)
            #expect(wideSVG.text.contains("reçue 120 × 80"), "\(wideSVG.text)")
            // Nothing was written.
            #expect(try await audit(h, "badge.update", "bientraitance").isEmpty)
            #expect(try await patch(api, "/api/v1/badges/unknown", ["name": "X"]).status == .notFound)
            // Creation gets the same check.
            let created = try await api.post(
                "/api/v1/issuers/mutuelle-vivre-ensemble/badges",
                json: Fixtures.badge(image: try Self.pngDataURI(width: 100, height: 50)))
            #expect(created.status == .badRequest)
            #expect(created.text.contains("reçue 100 × 50"))
            let squareSVG = Self.svgDataURI(
                #"<svg xmlns="http://www.w3.org/2000/svg" width="64px" height="64px"><circle r="3"/></svg>"#)
            let ok = try await api.post(
                "/api/v1/issuers/mutuelle-vivre-ensemble/badges",
                json: Fixtures.badge(id: "rond", image: squareSVG))
            #expect(ok.status == .created, "\(ok.text)")
        }
    }

    @Test func svgSizesComeFromTheRootElement() {
        #expect(Validation.svgSizes(Array(#"<svg viewBox="0 0 300 200">"#.utf8)).map(\.0) == [300])
        #expect(Validation.svgSizes(Array(#"<svg width='10' height="10px" viewBox="0,0,10,10">"#.utf8)).count == 2)
        #expect(Validation.svgSizes(Array(#"<svg width="100%" height="50%">"#.utf8)).isEmpty)
        #expect(Validation.svgSizes(Array("<svg>".utf8)).isEmpty)
    }

    @Test func archivedBadgeClassesRefuseAwardsAndStillVerify() async throws {
        let h = try await APIHarness.make()
        try await h.run { api in
            let award = try await api.award("avant@example.org")
            #expect(award.status == .created)
            let id = try #require(award.json["id"]?.stringValue)
            let png = try await api.get("/assertions/\(id)/badge.png", token: nil)
            #expect(png.status == .ok)
            // Edit the name and the image, then archive.
            let edit = try await patch(
                api, "/api/v1/badges/bientraitance",
                ["name": "Bientraitance renouvelée", "image": .string(try Self.pngDataURI(width: 32, height: 32))])
            #expect(edit.status == .ok)
            let archived = try await patch(api, "/api/v1/badges/bientraitance", ["archived": true])
            #expect(archived.status == .ok)
            #expect(archived.json["archived"] == .bool(true))
            #expect(archived.json["archivedAt"]?.stringValue != nil)
            // No new award: one, batch.
            let refused = try await api.award("apres@example.org")
            #expect(refused.status == .conflict)
            #expect(refused.isBilingualProblem)
            #expect(refused.text.contains("archivée"))
            let batch = try await api.post(
                "/api/v1/badges/bientraitance/assertions/batch", json: [["recipient": ["email": "b@example.org"]]])
            #expect(batch.status == .conflict)
            #expect(try await h.assertionCount() == 1)
            // Still listed, marked archived.
            let list = try await api.get("/api/v1/badges?issuer=mutuelle-vivre-ensemble")
            #expect(list.json["items"]?.arrayValue?.first?["archived"] == .bool(true))
            // The old baked PNG still verifies; the hosted badge class shows the new name; new bakes use the new image.
            let verify = try await api.call(
                .post, "/verify", token: nil, contentType: nil, headers: Multipart.headers(),
                body: Array(Multipart.file(png.body, recipient: "avant@example.org").readableBytesView))
            #expect(verify.json["valid"] == .bool(true), "\(verify.text)")
            let hosted = try await api.get("/badges/bientraitance", token: nil)
            #expect(hosted.json["name"]?.stringValue == "Bientraitance renouvelée")
            let rebaked = try await api.get("/assertions/\(id)/badge.png", token: nil)
            let info = try PNGImageValidator.validate(rebaked.body)
            #expect(info.width == 32)
            // Back in use: awards again.
            #expect(try await patch(api, "/api/v1/badges/bientraitance", ["archived": false]).status == .ok)
            #expect(try await api.award("apres@example.org").status == .created)
            #expect(try await audit(h, "badge.update", "bientraitance") == ["name, image", "archived", "unarchived"])
        }
    }

    @Test func deleteOnlyWithoutAwards() async throws {
        let h = try await APIHarness.make()
        try await h.run { api in
            let png = try Fixtures.pngDataURI()
            let created = try await api.post(
                "/api/v1/issuers/mutuelle-vivre-ensemble/badges", json: Fixtures.badge(id: "jetable", image: png))
            #expect(created.status == .created)
            #expect(try await api.award("x@example.org").status == .created)
            let refused = try await api.call(.delete, "/api/v1/badges/bientraitance")
            #expect(refused.status == .conflict)
            #expect(refused.isBilingualProblem)
            #expect(try await api.get("/api/v1/badges/bientraitance").status == .ok)
            let deleted = try await api.call(.delete, "/api/v1/badges/jetable")
            #expect(deleted.status == .noContent)
            #expect(try await api.get("/api/v1/badges/jetable").status == .notFound)
            #expect(try await api.get("/badges/jetable", token: nil).status == .notFound)
            #expect(try await api.call(.delete, "/api/v1/badges/jetable").status == .notFound)
            #expect(try await audit(h, "badge.delete", "jetable").count == 1)
        }
    }

    @Test func staffEditOnlyTheirIssuer() async throws {
        let h = try await APIHarness.make()
        try await h.run { api in
            let staff = APIHarness.staffToken
            let other = try await patch(api, "/api/v1/badges/bientraitance", ["name": "X"], token: staff)
            #expect(other.status == .forbidden)
            #expect(try await api.call(.delete, "/api/v1/badges/bientraitance", token: staff).status == .forbidden)
            let otherIssuer = try await patch(
                api, "/api/v1/issuers/mutuelle-vivre-ensemble", ["name": "X"], token: staff)
            #expect(otherIssuer.status == .forbidden)
            let mine = try await patch(
                api, "/api/v1/issuers/foyers-la-maison",
                [
                    "email": "contact@foyers.example.org", "description": "Foyers d'accueil",
                    "image": .string(try Self.pngDataURI(width: 40, height: 40)),
                ], token: staff)
            #expect(mine.status == .ok, "\(mine.text)")
            #expect(mine.json["email"]?.stringValue == "contact@foyers.example.org")
            #expect(mine.json["image"]?.stringValue?.hasSuffix("/issuers/foyers-la-maison/image") == true)
            #expect(try await audit(h, "issuer.update", "foyers-la-maison") == ["description, email, image"])
            let profile = try await api.get("/issuers/foyers-la-maison", token: nil)
            #expect(profile.json["email"]?.stringValue == "contact@foyers.example.org")
            let badEmail = try await patch(api, "/api/v1/issuers/foyers-la-maison", ["email": "nope"], token: staff)
            #expect(badEmail.status == .badRequest)
            #expect(badEmail.json["field"]?.stringValue == "email")
            let wideLogo = try await patch(
                api, "/api/v1/issuers/foyers-la-maison",
                ["image": .string(try Self.pngDataURI(width: 300, height: 200))], token: staff)
            #expect(wideLogo.status == .badRequest)
            let removed = try await patch(api, "/api/v1/issuers/foyers-la-maison", ["image": .null], token: staff)
            #expect(removed.json["image"] == .null)
            #expect(try await patch(api, "/api/v1/issuers/foyers-la-maison", ["id": "x"]).status == .badRequest)
        }
    }
}
