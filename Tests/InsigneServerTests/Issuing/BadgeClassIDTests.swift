import Foundation
import InsigneStore
import Testing

@testable import InsigneServer

/// Badge class ids: derived as `<issuer id>-<slug of the name>`, one length rule and one message everywhere,
/// ids stored before the rule (the demo's `bientraitance`) unchanged.
@Suite("Badge class ids: scoped to their issuer")
struct BadgeClassIDTests {
    @Test func derivesFromTheIssuerAndTheName() {
        #expect(
            BadgeClassIDs.derived(issuerID: "foyers-la-maison", name: "Bientraitance")
                == "foyers-la-maison-bientraitance")
        #expect(
            BadgeClassIDs.derived(issuerID: "mutuelle-vivre-ensemble", name: "Hygiène des mains (niveau 2)")
                == "mutuelle-vivre-ensemble-hygiene-des-mains-niveau-2")
        #expect(BadgeClassIDs.derived(issuerID: "foyers-la-maison", name: "« ! »") == nil)
    }

    @Test func longestNamesGiveDistinctIdsWithinTheLimit() throws {
        let issuers = ["e", String(repeating: "e", count: Validation.maxIDLength)]
        let names = [
            String(repeating: "Bientraitance ", count: 14), String(repeating: "Bientraitance ", count: 13) + "Niveau 2",
            String(repeating: "é", count: 200), String(repeating: "a", count: 199) + "b",
        ]
        for issuer in issuers {
            let ids = try names.map { try #require(BadgeClassIDs.derived(issuerID: issuer, name: $0)) }
            #expect(Set(ids).count == names.count, "\(ids)")
            for id in ids {
                #expect(id.count <= Validation.maxIDLength, "\(id)")
                #expect(throws: Never.self) { try Validation.slug(id, field: "id") }
            }
        }
        // Issuer ids derived from a long name obey the same rule.
        let issuerID = try #require(BadgeClassIDs.slug(from: String(repeating: "Foyer ", count: 33)))
        #expect((55...Validation.maxIDLength).contains(issuerID.count), "\(issuerID)")
        #expect(throws: Never.self) { try Validation.slug(issuerID, field: "id") }
        #expect(BadgeClassIDs.slug(from: "Foyers « La Maison »") == "foyers-la-maison")
    }

    @Test func oneLengthRuleAndOneMessage() throws {
        let longest = String(repeating: "a", count: Validation.maxIDLength)
        #expect(throws: Never.self) { try Validation.slug(longest, field: "id") }
        for bad in [longest + "b", "-a", "A", "é", ""] {
            let error = try #require(throws: ServiceError.self) { try Validation.slug(bad, field: "id") }
            #expect(error.messageFR == "« id » : lettres minuscules, chiffres et tirets, 63 caractères au plus")
            #expect(error.messageEN == "\"id\": lowercase letters, digits and dashes, 63 characters at most")
        }
    }

    @Test func twoIssuersEachCreateTheirOwnBientraitanceThroughTheAPI() async throws {
        let h = try await APIHarness.make()
        try await h.run { api in
            let png = try Fixtures.pngDataURI()
            let badge = Fixtures.badge(name: "Bientraitance", image: png)
            let first = try await api.post("/api/v1/issuers/mutuelle-vivre-ensemble/badges", json: badge)
            #expect(first.status == .created, "\(first.text)")
            #expect(first.json["id"] == "mutuelle-vivre-ensemble-bientraitance")
            let second = try await api.post(
                "/api/v1/issuers/foyers-la-maison/badges", json: badge, token: APIHarness.staffToken)
            #expect(second.status == .created, "\(second.text)")
            #expect(second.json["id"] == "foyers-la-maison-bientraitance")
            #expect(
                try await api.get("/badges/foyers-la-maison-bientraitance", token: nil).json["issuer"]?.stringValue
                    == "\(APIHarness.base)/issuers/foyers-la-maison")
            // The same name twice in one issuer: a clear conflict.
            let again = try await api.post(
                "/api/v1/issuers/foyers-la-maison/badges", json: badge, token: APIHarness.staffToken)
            #expect(again.status == .conflict)
            #expect(again.isBilingualProblem)
            #expect(again.json["i18n"]?["fr"]?["detail"]?.stringValue?.contains("existe déjà") == true)
            // The demo's id from before the rule still resolves, at the same URL, with the same id.
            let demo = try await api.get("/badges/bientraitance", token: nil)
            #expect(demo.status == .ok)
            #expect(demo.json["id"]?.stringValue == "\(APIHarness.base)/badges/bientraitance")
            #expect(demo.json["name"] == "Bientraitance")
            // The longest name gives an id within the limit.
            let long = try await api.post(
                "/api/v1/issuers/foyers-la-maison/badges",
                json: Fixtures.badge(name: String(repeating: "Accompagnement ", count: 13), image: png),
                token: APIHarness.staffToken)
            #expect(long.status == .created, "\(long.text)")
            #expect((long.json["id"]?.stringValue?.count ?? 99) <= Validation.maxIDLength)
            // An explicit id one character over the limit: the one message.
            let over = try await api.post(
                "/api/v1/issuers/foyers-la-maison/badges",
                json: Fixtures.badge(id: String(repeating: "a", count: 64), image: png), token: APIHarness.staffToken)
            #expect(over.status == .badRequest)
            #expect(over.json["field"] == "id")
            #expect(
                over.json["i18n"]?["fr"]?["detail"]?.stringValue
                    == "« id » : lettres minuscules, chiffres et tirets, 63 caractères au plus")
        }
    }

    @Test func twoIssuersEachCreateTheirOwnBientraitanceOnTheTrainerPages() async throws {
        let h = try await WebHarness.make()
        try await h.run { b in
            try await b.signIn()
            for issuer in [DemoSeeder.issuerID, DemoSeeder.establishmentID] {
                _ = try await b.get("/trainer/badges/new")
                let created = try await b.postMultipart(
                    "/trainer/badges/new",
                    [("issuer", issuer), ("name", "Bientraitance"), ("description", "d"), ("criteria", "c")],
                    files: [
                        .init(field: "image", filename: "b.png", contentType: "image/png", data: try DemoBadgeArt.png())
                    ])
                #expect(created.status == .seeOther, "\(created.body)")
                #expect(created.location == "/trainer?created=\(issuer)-bientraitance")
                #expect(try await h.services.issuing.badgeClass(id: "\(issuer)-bientraitance")?.issuerID == issuer)
            }
            #expect(try await h.services.issuing.badgeClass(id: "bientraitance")?.issuerID == DemoSeeder.issuerID)
        }
    }

    @Test func generatedCompetencyBadgesAreScopedAndKeepTheirOldIds() async throws {
        let h = try await APIHarness.make()
        try await h.run { api in
            // A badge generated before the rule, under the old id, counts as this issuer's.
            let old = ReferentialBadgeGenerator.legacyBadgeID(framework: "dees-2007", code: "DC1.1")
            #expect(old == "dees-2007-dc1-1")
            let legacy = Fixtures.badge(id: old, name: "DC1.1 Instaurer une relation", image: try Fixtures.pngDataURI())
            #expect(
                try await api.post("/api/v1/issuers/mutuelle-vivre-ensemble/badges", json: legacy).status == .created)
            let first = try await api.post(
                "/api/v1/referentials/dees-2007/badges", json: ["issuer": "mutuelle-vivre-ensemble", "level": 1])
            #expect(first.json["created"]?.arrayValue?.count == 18)
            #expect(first.json["skipped"]?.arrayValue == [.string(old)])
            let ids = first.json["created"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
            #expect(ids.allSatisfy { $0.hasPrefix("mutuelle-vivre-ensemble-dees-2007-dc") }, "\(ids)")
            // Another issuer gets its own nineteen.
            let other = try await api.post(
                "/api/v1/referentials/dees-2007/badges", json: ["issuer": "foyers-la-maison", "level": 1],
                token: APIHarness.staffToken)
            #expect(other.status == .created, "\(other.text)")
            #expect(other.json["created"]?.arrayValue?.count == 19)
            #expect(
                other.json["created"]?.arrayValue?.first { $0["id"] == "foyers-la-maison-dees-2007-dc1-1" } != nil)
        }
    }
}
