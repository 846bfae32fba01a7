import Foundation
import GRDB
import HTTPTypes
import HummingbirdTesting
import OpenBadges
import Testing

@testable import InsigneServer
@testable import InsigneStore

@Suite("Admin API")
struct APIEndpointsTests {
    // MARK: Authentication and authorisation

    @Test func tokensAreRequired() async throws {
        let h = try await APIHarness.make()
        try await h.run { api in
            let none = try await api.get("/api/v1/issuers", token: nil)
            #expect(none.status == .unauthorized)
            #expect(none.isBilingualProblem)
            #expect(none.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            let bad = try await api.get("/api/v1/issuers", token: "not-a-token")
            #expect(bad.status == .unauthorized)
            #expect(bad.isBilingualProblem)
            let basic = try await api.call(
                .get, "/api/v1/assertions", token: nil, headers: [.authorization: "Basic YTpi"])
            #expect(basic.status == .unauthorized)
            let ok = try await api.get("/api/v1/issuers")
            #expect(ok.status == .ok)
        }
    }

    @Test func staffIsLimitedToItsIssuer() async throws {
        let h = try await APIHarness.make()
        try await h.run { api in
            let staff = APIHarness.staffToken
            // Admin-only operations.
            let issuer = try await api.post(
                "/api/v1/issuers", json: ["name": "X", "url": "https://x.example.org", "email": "x@example.org"],
                token: staff)
            #expect(issuer.status == .forbidden)
            #expect(issuer.isBilingualProblem)
            #expect(
                try await api.post("/api/v1/issuers/foyers-la-maison/keys/rotate", json: [:], token: staff).status
                    == .forbidden)
            // Another issuer's badge: no award, no badge class creation, no listing.
            let award = try await api.post(
                "/api/v1/badges/bientraitance/assertions", json: ["recipient": ["email": "a@example.org"]], token: staff
            )
            #expect(award.status == .forbidden)
            #expect(award.isBilingualProblem)
            let png = try Fixtures.pngDataURI()
            #expect(
                try await api.post(
                    "/api/v1/issuers/mutuelle-vivre-ensemble/badges", json: Fixtures.badge(image: png), token: staff
                )
                .status == .forbidden)
            #expect(try await api.get("/api/v1/assertions?badge=bientraitance", token: staff).status == .forbidden)
            #expect(
                try await api.get("/api/v1/assertions?issuer=mutuelle-vivre-ensemble", token: staff).status
                    == .forbidden)
            // An award by the admin on the other issuer is invisible to staff.
            let other = try await api.award("someone@example.org")
            let otherID = try #require(other.json["id"]?.stringValue)
            #expect(try await api.get("/api/v1/assertions/\(otherID)", token: staff).status == .forbidden)
            #expect(
                try await api.post("/api/v1/assertions/\(otherID)/revoke", json: ["reason": "x"], token: staff).status
                    == .forbidden)
            // Its own issuer: allowed.
            let badge = try await api.post(
                "/api/v1/issuers/foyers-la-maison/badges", json: Fixtures.badge(id: "accueil", image: png), token: staff
            )
            #expect(badge.status == .created)
            let mine = try await api.post(
                "/api/v1/badges/accueil/assertions", json: ["recipient": ["email": "staff-made@example.org"]],
                token: staff)
            #expect(mine.status == .created)
            let list = try await api.get("/api/v1/assertions", token: staff)
            #expect(list.status == .ok)
            #expect(list.json["total"]?.numberValue == 1)
            #expect(list.json["items"]?.arrayValue?.first?["badge"]?.stringValue == "accueil")
            let issuers = try await api.get("/api/v1/issuers", token: staff)
            #expect(issuers.json["items"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == ["foyers-la-maison"])
            let badges = try await api.get("/api/v1/badges", token: staff)
            #expect(badges.json["items"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == ["accueil"])
        }
    }

    // MARK: Issuers

    @Test func issuersCreateListRotate() async throws {
        let h = try await APIHarness.make()
        try await h.run { api in
            let r = try await api.post(
                "/api/v1/issuers",
                json: [
                    "name": "Établissement Œuvre Sainte-Thérèse", "url": "https://sainte-therese.example.org",
                    "email": "contact@sainte-therese.example.org", "description": "ESAT",
                    "image": .string(try Fixtures.pngDataURI()),
                ])
            #expect(r.status == .created)
            #expect(r.json["id"]?.stringValue == "etablissement-oeuvre-sainte-therese")
            #expect(
                r.json["profileUrl"]?.stringValue == "\(APIHarness.base)/issuers/etablissement-oeuvre-sainte-therese")
            #expect(r.headers[.location] == r.json["profileUrl"]?.stringValue)
            let again = try await api.post(
                "/api/v1/issuers",
                json: [
                    "name": "Établissement Œuvre Sainte-Thérèse", "url": "https://x.example.org",
                    "email": "a@example.org",
                ])
            #expect(again.status == .conflict)
            #expect(again.isBilingualProblem)
            let list = try await api.get("/api/v1/issuers")
            #expect(list.json["items"]?.arrayValue?.count == 3)

            let rotated = try await api.post(
                "/api/v1/issuers/etablissement-oeuvre-sainte-therese/keys/rotate", json: [:])
            #expect(rotated.status == .ok)
            let keys = try #require(rotated.json["keys"]?.arrayValue)
            #expect(keys.count == 2)
            #expect(keys.filter { $0["active"]?.boolValue == true }.count == 1)
            #expect(keys.first { $0["active"]?.boolValue == true }?["id"] == rotated.json["key"]?["id"])
            // Both keys stay published in the hosted profile.
            let profile = try await api.get("/issuers/etablissement-oeuvre-sainte-therese", token: nil)
            #expect(profile.json["publicKey"]?.oneOrMany.count == 2)
            #expect(try await api.post("/api/v1/issuers/nope/keys/rotate", json: [:]).status == .notFound)
            #expect(try await api.get("/api/v1/issuers/nope").status == .notFound)
            #expect(try await api.get("/api/v1/issuers/mutuelle-vivre-ensemble").json["keys"]?.arrayValue?.count == 1)
        }
    }

    @Test func issuerValidation() async throws {
        let h = try await APIHarness.make()
        try await h.run { api in
            let badEmail = try await api.post(
                "/api/v1/issuers", json: ["name": "Y", "url": "https://y.example.org", "email": "not-an-email"])
            #expect(badEmail.status == .badRequest)
            #expect(badEmail.isBilingualProblem)
            #expect(badEmail.json["field"]?.stringValue == "email")
            let missing = try await api.post(
                "/api/v1/issuers", json: ["url": "https://y.example.org", "email": "y@example.org"])
            #expect(missing.status == .badRequest)
            #expect(missing.json["field"]?.stringValue == "name")
            let wrongType = try await api.post(
                "/api/v1/issuers", json: ["name": 42, "url": "https://y.example.org", "email": "y@example.org"])
            #expect(wrongType.status == .badRequest)
            #expect(wrongType.isBilingualProblem)
            let malformed = try await api.post("/api/v1/issuers", raw: "{\"name\": ")
            #expect(malformed.status == .badRequest)
            #expect(malformed.isBilingualProblem)
            let notObject = try await api.post("/api/v1/issuers", raw: "[1,2]")
            #expect(notObject.status == .badRequest)
            let unknown = try await api.post(
                "/api/v1/issuers",
                json: ["name": "Y", "url": "https://y.example.org", "email": "y@example.org", "colour": "red"])
            #expect(unknown.status == .badRequest)
            #expect(unknown.json["field"]?.stringValue == "colour")
            let xml = try await api.post("/api/v1/issuers", raw: "<issuer/>", contentType: "application/xml")
            #expect(xml.status == .unsupportedMediaType)
            #expect(xml.isBilingualProblem)
        }
    }

    // MARK: Badge classes

    @Test func badgeClassesFromJSONAndMultipart() async throws {
        let h = try await APIHarness.make()
        try await h.run { api in
            let png = try Fixtures.pngDataURI()
            let r = try await api.post(
                "/api/v1/issuers/mutuelle-vivre-ensemble/badges", json: Fixtures.badge(image: png))
            #expect(r.status == .created)
            #expect(r.json["id"]?.stringValue == "mutuelle-vivre-ensemble-premiers-secours")
            #expect(r.json["url"]?.stringValue == "\(APIHarness.base)/badges/mutuelle-vivre-ensemble-premiers-secours")
            #expect(r.json["alignment"]?.arrayValue?.first?["targetCode"]?.stringValue == "PSC1")
            let hosted = try await api.get("/badges/mutuelle-vivre-ensemble-premiers-secours", token: nil)
            #expect(hosted.status == .ok)
            #expect(hosted.json["name"]?.stringValue == "Premiers secours")

            // SVG as a UTF-8 data URI: sanitised and stored.
            let svgURI =
                "data:image/svg+xml;utf8," + Fixtures.svg.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let svg = try await api.post(
                "/api/v1/issuers/mutuelle-vivre-ensemble/badges",
                json: Fixtures.badge(id: "svg-badge", name: "SVG", image: svgURI))
            #expect(svg.status == .created)
            #expect(svg.json["imageType"]?.stringValue == "svg")

            // Multipart with a PNG file part.
            let boundary = "----insigne-test-boundary"
            var body: [UInt8] = []
            func field(_ name: String, _ value: String) {
                body += Array(
                    "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
            }
            field("id", "hygiene")
            field("name", "Hygiène des mains")
            field("description", "Les cinq moments de l'hygiène des mains.")
            field("criteria.narrative", "Avoir suivi l'atelier\r\net réussi le quiz.")
            field("tags", "hygiène, soins")
            field("validity", "P1Y")
            body += Array(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"image\"; filename=\"badge.png\"\r\nContent-Type: image/png\r\n\r\n"
                    .utf8)
            body += try DemoBadgeArt.png()
            body += Array("\r\n--\(boundary)--\r\n".utf8)
            let mp = try await api.call(
                .post, "/api/v1/issuers/mutuelle-vivre-ensemble/badges",
                contentType: "multipart/form-data; boundary=\(boundary)",
                body: body)
            #expect(mp.status == .created, "\(mp.text)")
            #expect(mp.json["criteria"]?["narrative"]?.stringValue == "Avoir suivi l'atelier\r\net réussi le quiz.")
            #expect(mp.json["tags"]?.arrayValue == ["hygiène", "soins"])
            #expect(mp.json["validity"]?.stringValue == "P1Y")
            #expect(mp.json["reminders"]?.arrayValue?.count == 3)
            let image = try await api.get("/badges/hygiene/image", token: nil)
            #expect(Array(image.body) == (try DemoBadgeArt.png()))

            let list = try await api.get("/api/v1/badges?issuer=mutuelle-vivre-ensemble")
            #expect(
                list.json["items"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == [
                    "bientraitance", "hygiene", "mutuelle-vivre-ensemble-premiers-secours", "svg-badge",
                ])
            #expect(try await api.get("/api/v1/badges?issuer=foyers-la-maison").json["total"]?.numberValue == 0)
            #expect(try await api.get("/api/v1/badges?issuer=unknown").status == .notFound)
            #expect(try await api.get("/api/v1/badges/hygiene").json["name"]?.stringValue == "Hygiène des mains")
            #expect(try await api.get("/api/v1/badges/unknown").status == .notFound)
        }
    }

    @Test func badgeClassValidation() async throws {
        let h = try await APIHarness.make()
        try await h.run { api in
            let path = "/api/v1/issuers/mutuelle-vivre-ensemble/badges"
            let gif = try await api.post(
                path, json: Fixtures.badge(image: "data:image/gif;base64,R0lGODlhAQABAAAAACw="))
            #expect(gif.status == .badRequest)
            #expect(gif.isBilingualProblem)
            #expect(gif.json["field"]?.stringValue == "image")
            // GIF bytes labelled as PNG are refused by the content check.
            let disguised = try await api.post(
                path,
                json: Fixtures.badge(
                    image: "data:image/png;base64," + Data("GIF89a\u{1}\u{0}".utf8).base64EncodedString()))
            #expect(disguised.status == .badRequest)
            #expect(disguised.isBilingualProblem)
            var big = try DemoBadgeArt.png()
            big += [UInt8](repeating: 0, count: 2 * 1024 * 1024)
            let oversized = try await api.post(
                path, json: Fixtures.badge(image: "data:image/png;base64," + Data(big).base64EncodedString()))
            #expect(oversized.status == .contentTooLarge)
            #expect(oversized.isBilingualProblem)
            let noImage = try await api.post(
                path, json: ["name": "X", "description": "Y", "criteria": ["narrative": "Z"]])
            #expect(noImage.status == .badRequest)
            #expect(noImage.json["field"]?.stringValue == "image")
            let tagsWrong = try await api.post(
                path,
                json: [
                    "name": "X", "description": "Y", "criteria": ["narrative": "Z"],
                    "image": .string(try Fixtures.pngDataURI()),
                    "tags": "a,b",
                ])
            #expect(tagsWrong.status == .badRequest)
            #expect(tagsWrong.json["field"]?.stringValue == "tags")
            let badAlignment = try await api.post(
                path,
                json: [
                    "name": "X", "description": "Y", "criteria": ["narrative": "Z"],
                    "image": .string(try Fixtures.pngDataURI()),
                    "alignment": [["targetName": "A", "targetUrl": "ftp://x"]],
                ])
            #expect(badAlignment.status == .badRequest)
            #expect(
                try await api.post(
                    "/api/v1/issuers/nope/badges", json: Fixtures.badge(image: try Fixtures.pngDataURI())
                ).status == .notFound)
            let duplicate = try await api.post(
                path, json: Fixtures.badge(id: "bientraitance", image: try Fixtures.pngDataURI()))
            #expect(duplicate.status == .conflict)
            let badMultipart = try await api.call(
                .post, path, contentType: "multipart/form-data; boundary=zz", body: Array("--zz\r\nbroken".utf8))
            #expect(badMultipart.status == .badRequest)
            #expect(badMultipart.isBilingualProblem)
        }
    }

    // MARK: Awards

    @Test func awardVerifiesAndHidesTheEmail() async throws {
        let h = try await APIHarness.make()
        try await h.run { api in
            let r = try await api.award(
                "Camille.Martin@Example.org",
                extra: [
                    "narrative": "Étude de cas validée.", "expires": "2099-06-30T23:59:59+02:00",
                    "evidence": [["id": "https://lms.example.org/p/42", "name": "Étude de cas"]],
                ])
            #expect(r.status == .created, "\(r.text)")
            let id = try #require(r.json["id"]?.stringValue)
            #expect(r.json["url"]?.stringValue == "\(APIHarness.base)/assertions/\(id)")
            #expect(r.json["png"]?.stringValue == "\(APIHarness.base)/assertions/\(id)/badge.png")
            #expect(r.json["svg"]?.stringValue == "\(APIHarness.base)/assertions/\(id)/badge.svg")
            #expect(r.json["recipient"]?["email"]?.stringValue == "camille.martin@example.org")
            let jws = try #require(r.json["jws"]?.stringValue)
            let report = await h.services.verifier.verify(.text(jws), options: .init(now: Date()))
            #expect(report.outcome == .valid)

            let hosted = try await api.get("/assertions/\(id)", token: nil, headers: [.accept: "application/ld+json"])
            #expect(hosted.status == .ok)
            #expect(hosted.json["recipient"]?["hashed"]?.boolValue == true)
            #expect(!hosted.text.lowercased().contains("camille.martin"))
            #expect(!hosted.text.contains("@example.org"))

            let png = try await api.get("/assertions/\(id)/badge.png", token: nil)
            #expect(png.status == .ok)
            let baked = await h.services.verifier.verify(.data(png.body), options: .init(now: Date()))
            #expect(baked.outcome == .valid)

            let one = try await api.get("/api/v1/assertions/\(id)")
            #expect(one.json["jws"]?.stringValue == jws)
            #expect(one.json["evidence"]?.arrayValue?.first?["id"]?.stringValue == "https://lms.example.org/p/42")
            #expect(try await api.get("/api/v1/assertions/00000000-0000-0000-0000-000000000000").status == .notFound)
        }
    }

    @Test func awardValidation() async throws {
        let h = try await APIHarness.make()
        try await h.run { api in
            func expectInvalid(_ r: APIResponse, field: String?, _ comment: Comment? = nil) {
                #expect(r.status == .badRequest, comment)
                #expect(r.isBilingualProblem, comment)
                if let field { #expect(r.json["field"]?.stringValue == field, comment) }
            }
            expectInvalid(try await api.award("not-an-email"), field: "recipient.email")
            expectInvalid(
                try await api.award("a@example.org", extra: ["expires": "2099-06-30T23:59:59"]), field: "expires")
            expectInvalid(
                try await api.award("a@example.org", extra: ["expires": "2001-06-30T23:59:59Z"]), field: "expires")
            expectInvalid(try await api.award("a@example.org", extra: ["narrative": 12]), field: "narrative")
            expectInvalid(
                try await api.award("a@example.org", extra: ["evidence": "https://x.example.org"]), field: "evidence")
            expectInvalid(
                try await api.award("a@example.org", extra: ["evidence": [["id": "javascript:alert(1)"]]]),
                field: "evidence.id")
            expectInvalid(
                try await api.post("/api/v1/badges/bientraitance/assertions", json: ["narrative": "x"]),
                field: "recipient")
            expectInvalid(
                try await api.post("/api/v1/badges/bientraitance/assertions", json: ["recipient": "a@example.org"]),
                field: "recipient")
            expectInvalid(
                try await api.post("/api/v1/badges/bientraitance/assertions", raw: "{\"recipient\": {"), field: nil)
            expectInvalid(try await api.post("/api/v1/badges/bientraitance/assertions", raw: ""), field: nil)
            let unknown = try await api.post(
                "/api/v1/badges/unknown/assertions", json: ["recipient": ["email": "a@example.org"]])
            #expect(unknown.status == .notFound)
            #expect(unknown.isBilingualProblem)
            // English when asked.
            let en = try await api.call(
                .post, "/api/v1/badges/bientraitance/assertions", headers: [.acceptLanguage: "en-GB,en;q=0.8"],
                body: Array(#"{"recipient":{"email":"x"}}"#.utf8))
            #expect(en.json["title"]?.stringValue == "Bad Request")
            #expect(en.json["detail"]?.stringValue?.contains("invalid email") == true)
            #expect(try await h.assertionCount() == 0)
        }
    }

    @Test func idempotencyKeyReturnsTheSameAward() async throws {
        let h = try await APIHarness.make()
        try await h.run { api in
            let key: HTTPFields = [HTTPField.Name("Idempotency-Key")!: "formation-2025-03-12-camille"]
            let first = try await api.award("camille@example.org", headers: key)
            #expect(first.status == .created)
            let second = try await api.award("camille@example.org", headers: key)
            #expect(second.status == .ok)
            #expect(second.json["id"] == first.json["id"])
            #expect(try await h.assertionCount() == 1)
            let conflict = try await api.award("someone-else@example.org", headers: key)
            #expect(conflict.status == .conflict)
            #expect(conflict.isBilingualProblem)
            // Without a key, two awards are two awards.
            _ = try await api.award("camille@example.org")
            _ = try await api.award("camille@example.org")
            #expect(try await h.assertionCount() == 3)
        }
    }

    // MARK: Revocation and listing

    @Test func revokeThenGone() async throws {
        let h = try await APIHarness.make()
        try await h.run { api in
            let id = try #require(try await api.award("revoked@example.org").json["id"]?.stringValue)
            let missing = try await api.post("/api/v1/assertions/\(id)/revoke", json: [:])
            #expect(missing.status == .badRequest)
            #expect(missing.isBilingualProblem)
            #expect(missing.json["field"]?.stringValue == "reason")
            let blank = try await api.post("/api/v1/assertions/\(id)/revoke", json: ["reason": "   "])
            #expect(blank.status == .badRequest)
            let r = try await api.post("/api/v1/assertions/\(id)/revoke", json: ["reason": "Délivré par erreur"])
            #expect(r.status == .ok)
            #expect(r.json["revoked"]?.boolValue == true)
            #expect(r.json["revocationReason"]?.stringValue == "Délivré par erreur")
            let gone = try await api.get("/assertions/\(id)", token: nil, headers: [.accept: "application/ld+json"])
            #expect(gone.status == .gone)
            #expect(gone.json["revocationReason"]?.stringValue == "Délivré par erreur")
            let list = try await api.get("/issuers/mutuelle-vivre-ensemble/revocations", token: nil)
            let ids = list.json["revokedAssertions"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
            #expect(ids.contains("urn:uuid:\(id)"))
            #expect(ids.contains("\(APIHarness.base)/assertions/\(id)"))
            let audit = try await h.services.db.writer.read { db in
                try AuditEventRecord.filter { $0.action == "assertion.revoke" && $0.subject == id }.fetchOne(
                    db)
            }
            #expect(audit?.actor == "admin")
            #expect(
                try await api.post(
                    "/api/v1/assertions/00000000-0000-0000-0000-000000000000/revoke", json: ["reason": "x"]
                ).status
                    == .notFound)
        }
    }

    @Test func listingFiltersAndPages() async throws {
        let h = try await APIHarness.make()
        try await h.run { api in
            for i in 0..<5 { _ = try await api.award("person\(i)@example.org") }
            let target = try #require(try await api.award("Target@Example.org").json["id"]?.stringValue)
            _ = try await api.post("/api/v1/assertions/\(target)/revoke", json: ["reason": "Erreur"])
            let page = try await api.get("/api/v1/assertions?perPage=4&page=2")
            #expect(page.json["total"]?.numberValue == 6)
            #expect(page.json["page"]?.numberValue == 2)
            #expect(page.json["perPage"]?.numberValue == 4)
            #expect(page.json["items"]?.arrayValue?.count == 2)
            let byRecipient = try await api.get("/api/v1/assertions?recipient=target%40example.org")
            #expect(byRecipient.json["items"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == [target])
            let item = try #require(byRecipient.json["items"]?.arrayValue?.first)
            #expect(item["recipient"]?["email"]?.stringValue == "target@example.org")
            #expect(item["revoked"]?.boolValue == true)
            #expect(item["revocationReason"]?.stringValue == "Erreur")
            for key in ["id", "badge", "issuedOn", "expires", "url", "png", "svg"] {
                #expect(item[key] != nil, "\(key)")
            }
            #expect(try await api.get("/api/v1/assertions?revoked=true").json["total"]?.numberValue == 1)
            #expect(
                try await api.get("/api/v1/assertions?revoked=false&badge=bientraitance").json["total"]?.numberValue
                    == 5)
            #expect(try await api.get("/api/v1/assertions?perPage=1000").status == .badRequest)
            #expect(try await api.get("/api/v1/assertions?revoked=maybe").status == .badRequest)
            #expect(try await api.get("/api/v1/assertions?badge=unknown").status == .notFound)
        }
    }
}
