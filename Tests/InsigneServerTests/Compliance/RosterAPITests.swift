import Foundation
import HTTPTypes
import InsigneStore
import OpenBadges
import Testing

@testable import InsigneServer

@Suite("Admin API: roster and compliance")
struct RosterAPITests {
    static let people = "/api/v1/issuers/foyers-la-maison/people"
    static let compliance = "/api/v1/issuers/foyers-la-maison/compliance?badge=bientraitance"
    static let csvExport = "/api/v1/issuers/foyers-la-maison/compliance.csv?badge=bientraitance"
    static let day = ComplianceFixture.day

    static func statuses(_ r: APIResponse) -> [String] {
        r.json["rows"]?.arrayValue?.compactMap { $0["status"]?.stringValue } ?? []
    }

    @Test func importUpsertsAndReports() async throws {
        let h = try await ComplianceFixture.api()
        try await h.run { api in
            let csv =
                "username,firstname,lastname,email,city\r\n"
                + "lmartin,Léa,Martin,lea.martin@example.org,Lyon\r\n"
                + "jpetit,Jean,Petit,jean@example.org,\r\n"
                + "bad,Bad,Line,not-an-address,\r\n"
            let first = try await api.post(Self.people, raw: csv, contentType: "text/csv", token: APIHarness.staffToken)
            #expect(first.status == .ok, "\(first.text)")
            #expect(Self.statuses(first) == ["added", "added", "refused"])
            #expect(first.json["added"]?.numberValue == 2)
            #expect(first.json["refused"]?.numberValue == 1)
            #expect(first.json["rows"]?.arrayValue?[2]["error"]?["fr"]?.stringValue?.isEmpty == false)
            let second = try await api.post(
                Self.people,
                raw: "Prénom;Nom;Courriel\r\nLéa;Martin-Durand;LEA.MARTIN@example.org\r\n"
                    + "Jean;Petit;jean@example.org\r\nZoé;Blanc;zoe@example.org\r\n", contentType: "text/csv")
            #expect(Self.statuses(second) == ["updated", "unchanged", "added"])
            let list = try await api.get(Self.people + "?perPage=2&page=2", token: APIHarness.staffToken)
            #expect(list.status == .ok)
            #expect(list.json["total"]?.numberValue == 3)
            #expect(list.json["items"]?.arrayValue?.first?["lastName"]?.stringValue == "Petit")
            let search = try await api.get(Self.people + "?q=martin")
            #expect(search.json["items"]?.arrayValue?.first?["externalId"]?.stringValue == "lmartin")
        }
    }

    @Test func badInputIsRefusedWithoutWriting() async throws {
        let h = try await ComplianceFixture.api()
        try await h.run { api in
            let json = try await api.post(Self.people, raw: "{}", contentType: "application/json")
            #expect(json.status == .unsupportedMediaType)
            let unknown = try await api.post(Self.people, raw: "Prénom;Couleur\r\nA;B\r\n", contentType: "text/csv")
            #expect(unknown.status == .unprocessableContent)
            #expect(unknown.isBilingualProblem)
            let empty = try await api.post(Self.people, raw: "", contentType: "text/csv")
            #expect(empty.status == .unprocessableContent)
            let line = "Prénom;Nom;Courriel\r\n" + String(repeating: "Anne;Durand;anne@example.org\r\n", count: 160_000)
            let huge = try await api.post(Self.people, raw: line, contentType: "text/csv")
            #expect(huge.status == .contentTooLarge)
            let list = try await api.get(Self.people)
            #expect(list.json["total"]?.numberValue == 0)
        }
    }

    @Test func accessIsLimitedToTheEstablishment() async throws {
        let h = try await ComplianceFixture.api()
        try await h.run { api async throws in
            let other = "/api/v1/issuers/mutuelle-vivre-ensemble/people"
            #expect(try await api.get(other, token: APIHarness.staffToken).status == .forbidden)
            let otherCompliance = "/api/v1/issuers/mutuelle-vivre-ensemble/compliance?badge=bientraitance"
            #expect(try await api.get(otherCompliance, token: APIHarness.staffToken).status == .forbidden)
            #expect(try await api.get(Self.people, token: nil).status == .unauthorized)
            #expect(try await api.get(Self.compliance, token: nil).status == .unauthorized)
            #expect(try await api.get("/api/v1/issuers/nowhere/people").status == .notFound)
            #expect(
                try await api.get(Self.compliance.replacingOccurrences(of: "bientraitance", with: "x")).status
                    == .notFound)
            #expect(try await api.get("/api/v1/issuers/foyers-la-maison/compliance").status == .badRequest)
        }
    }

    @Test func complianceStatesAndExports() async throws {
        let h = try await ComplianceFixture.api()
        let s = h.services
        try await h.run { api in
            let csv =
                "Prénom;Nom;Courriel\r\n"
                + "Anne;Valide;anne@example.org\r\n"
                + "Bruno;Bientôt;bruno@example.org\r\n"
                + "Chloé;Expirée;chloe@example.org\r\n"
                + "Dan;Jamais;dan@example.org\r\n"
                + "Eve;Révoquée;eve@example.org\r\n"
                + "Fanny;Partie;fanny@example.org\r\n"
                + "Gus;Perso;gus@example.org gus.perso@example.org\r\n"
                + "=cmd;@Risque;+x@example.org\r\n"
            #expect(try await api.post(Self.people, raw: csv, contentType: "text/csv").status == .ok)
            try await ComplianceFixture.plant(s, email: "anne@example.org", expiresIn: 90 * Self.day + 1)
            let bruno = try await ComplianceFixture.plant(s, email: "bruno@example.org", expiresIn: 90 * Self.day)
            try await ComplianceFixture.plant(s, email: "chloe@example.org", expiresIn: 0)
            try await ComplianceFixture.plant(s, email: "eve@example.org", expiresIn: 400 * Self.day, revoked: true)
            try await ComplianceFixture.plant(s, email: "fanny@example.org", expiresIn: 400 * Self.day)
            try await ComplianceFixture.plant(s, email: "gus.perso@example.org", expiresIn: nil)
            let fanny = try await api.get(Self.people + "?q=fanny")
            let fannyID = try #require(fanny.json["items"]?.arrayValue?.first?["id"]?.stringValue)
            #expect(
                try await s.db.setPersonLeft(
                    id: fannyID, issuerID: "foyers-la-maison", leftAt: ComplianceFixture.now, now: ComplianceFixture.now
                ))

            let r = try await api.get(Self.compliance, token: APIHarness.staffToken)
            #expect(r.status == .ok, "\(r.text)")
            #expect(r.json["issuer"]?.stringValue == "foyers-la-maison")
            #expect(r.json["badge"]?.stringValue == "bientraitance")
            #expect(r.json["at"]?.stringValue == "2029-11-01T00:00:00Z")
            let counts = r.json["counts"]
            #expect(counts?["valid"]?.numberValue == 2)
            #expect(counts?["expiringSoon"]?.numberValue == 1)
            #expect(counts?["expired"]?.numberValue == 1)
            #expect(counts?["missing"]?.numberValue == 3)
            let byEmail = Dictionary(
                uniqueKeysWithValues: (r.json["people"]?.arrayValue ?? []).map {
                    ($0["email"]?.stringValue ?? "", $0)
                })
            #expect(byEmail.count == 7)  // Fanny left
            #expect(byEmail["bruno@example.org"]?["state"]?.stringValue == "expiringSoon")
            #expect(byEmail["bruno@example.org"]?["assertionId"]?.stringValue == bruno)
            #expect(byEmail["eve@example.org"]?["state"]?.stringValue == "missing")
            #expect(byEmail["gus@example.org"]?["state"]?.stringValue == "valid")
            #expect(byEmail["chloe@example.org"]?["expires"]?.stringValue == "2029-11-01T00:00:00Z")

            let file = try await api.get(Self.csvExport)
            #expect(file.status == .ok)
            #expect(file.contentType.hasPrefix("text/csv"))
            #expect(Array(file.body.prefix(3)) == [0xEF, 0xBB, 0xBF])
            let text = String(decoding: file.body.dropFirst(3), as: UTF8.self)
            let lines = text.components(separatedBy: "\r\n")
            #expect(lines[0] == "Nom;Prénom;Courriel;État;Obtenu le;Expire le")
            #expect(lines.contains("'@Risque;'=cmd;'+x@example.org;jamais obtenu;;"))
            #expect(lines.contains("Expirée;Chloé;chloe@example.org;expiré;24/07/2029;01/11/2029"))
            #expect(!text.contains("fanny"))
        }
    }
}
