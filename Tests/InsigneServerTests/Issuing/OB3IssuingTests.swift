import Foundation
import GRDB
import HTTPTypes
import OpenBadges
import TestSupport
import Testing

@testable import InsigneServer
@testable import InsigneStore

/// Every award also an OB 3.0 credential (ISSUE13 points 1, 2, 4): made at award time, stored once, served as
/// JSON (Data Integrity), VC-JWT, PNG and SVG (the VC-JWT baked in), listed in the API, made on request for
/// older awards; Insigne's own verifier says valid for each form, the keys resolved at the service's own URLs.
struct OB3IssuingTests {
    static let email = "Camille.Martin@example.org"

    func problems(_ r: VerificationReport) -> String {
        r.checks.filter { $0.status != .passed }.map { "\($0.id) \($0.status.rawValue): \($0.message.en)" }
            .joined(separator: "; ")
    }

    func path(_ url: String) -> String { String(url.dropFirst(APIHarness.base.count)) }

    @Test func awardIsServedInBothFormsAndVerifies() async throws {
        let h = try await APIHarness.make()
        try await h.run { api in
            let award = try await api.award(Self.email)
            #expect(award.status == .created)
            let id = try #require(award.json["id"]?.stringValue)
            let links = try #require(award.json["ob3"])
            #expect(links["json"]?.stringValue == "\(APIHarness.base)/ob3/credentials/\(id)")
            for (name, type) in [
                ("json", "application/vc+ld+json"), ("jwt", "application/vc+jwt"), ("png", "image/png"),
                ("svg", "image/svg+xml"),
            ] {
                let url = try #require(links[name]?.stringValue)
                let r = try await api.get(path(url), token: nil)
                #expect(r.status == .ok, "\(name)")
                #expect(r.contentType.hasPrefix(type), "\(name)")
                let input: VerificationInput = name == "json" || name == "jwt" ? .text(r.text) : .data(r.body)
                let report = await h.services.verifier.verify(
                    input, options: .init(now: Date(), recipient: RecipientIdentifier(value: Self.email)))
                #expect(report.isValid, "\(name): \(problems(report))")
                #expect(report.assertion?.specVersion == "3.0", "\(name)")
                #expect(!r.text.lowercased().contains("camille.martin"), "\(name)")
            }
            let json = try await api.get("/ob3/credentials/\(id)", token: nil).json
            let schema = try JSONSchemaValidator(
                schemaFile: TestPaths.specs.appendingPathComponent("ob3/schema/achievementcredential.json"))
            #expect(schema.validate(json) == [])
            #expect(
                json["credentialSubject"]?["achievement"]?["related"]?.oneOrMany.first?["id"]?.stringValue
                    == "\(APIHarness.base)/badges/bientraitance")
            let achievementID = try #require(json["credentialSubject"]?["achievement"]?["id"]?.stringValue)
            let achievement = try await api.get(path(achievementID), token: nil)
            #expect(achievement.status == .ok)
            #expect(achievement.json["id"]?.stringValue == achievementID)
            #expect(achievement.json["name"] == json["credentialSubject"]?["achievement"]?["name"])
            let got = try await api.get("/api/v1/assertions/\(id)")
            #expect(got.json["ob3"] == links)
            let jwtBefore = try await api.get("/ob3/credentials/\(id)/credential.jwt", token: nil).text
            // Revoked: the JSON form (the credential's id) answers 410 Gone with the reason, like OB 2.0…
            let revoked = try await api.post("/api/v1/assertions/\(id)/revoke", json: ["reason": "Erreur"])
            #expect(revoked.status == .ok)
            let after = try await api.get("/ob3/credentials/\(id)", token: nil)
            #expect(after.status.code == 410)
            #expect(after.json["id"] == json["id"] && after.json["revoked"] == true)
            #expect(after.json["revocationReason"]?.stringValue == "Erreur")
            // … the JWT and the baked images stay served, unchanged.
            let jwtAfter = try await api.get("/ob3/credentials/\(id)/credential.jwt", token: nil)
            #expect(jwtAfter.status == .ok && jwtAfter.text == jwtBefore)
            // … and its status list says revoked, with the reason, for the JSON and the baked PNG alike.
            #expect(json["credentialStatus"]?["type"]?.stringValue == "BitstringStatusListEntry")
            for name in ["json", "png"] {
                let input: VerificationInput
                if name == "json" {
                    input = .text(String(decoding: json.encoded(), as: UTF8.self))
                } else {
                    input = .data(try await api.get(path(try #require(links["png"]?.stringValue)), token: nil).body)
                }
                let report = await h.services.verifier.verify(input, options: .init(now: Date()))
                #expect(report.outcome == .revoked, "\(name): \(problems(report))")
                #expect(report.assertion?.revocationReason == "Erreur", "\(name)")
                #expect(report.check("revocation")?.message.fr == "Révoqué : Erreur", "\(name)")
            }
        }
    }

    @Test func olderAwardsGetTheirCredentialOnRequestOnce() async throws {
        let h = try await APIHarness.make()
        try await h.run { api in
            let id = try #require(try await api.award(Self.email).json["id"]?.stringValue)
            let second = try #require(try await api.award("autre@example.org").json["id"]?.stringValue)
            _ = try await h.services.db.writer.write { db in try OB3CredentialRecord.deleteAll(db) }
            let made = try await api.post("/api/v1/assertions/\(id)/ob3", json: [:])
            #expect(made.status == .created)
            #expect(made.json["ob3"]?["jwt"]?.stringValue == "\(APIHarness.base)/ob3/credentials/\(id)/credential.jwt")
            let first = try await api.get("/ob3/credentials/\(id)/credential.jwt", token: nil).text
            let again = try await api.post("/api/v1/assertions/\(id)/ob3", json: [:])
            #expect(again.status == .ok)
            #expect(try await api.get("/ob3/credentials/\(id)/credential.jwt", token: nil).text == first)
            #expect(try await api.post("/api/v1/assertions/nope/ob3", json: [:]).isBilingualProblem)
            #expect(try await api.get("/ob3/credentials/nope", token: nil).status == .notFound)
            // The backfill makes what is missing, once.
            let (count, skipped) = try await h.services.issuing.backfillOB3(actor: "test")
            #expect(count == 1 && skipped == 0)
            #expect(try await h.services.issuing.backfillOB3(actor: "test").made == 0)
            #expect(try await api.get("/ob3/credentials/\(second)", token: nil).status == .ok)
            // An award revoked before its OB 3.0 form existed: made on first request, its bit already set.
            let third = try #require(try await api.award("troisieme@example.org").json["id"]?.stringValue)
            _ = try await api.post("/api/v1/assertions/\(third)/revoke", json: ["reason": "Erreur"])
            _ = try await h.services.db.writer.write { db in try OB3CredentialRecord.deleteAll(db) }
            _ = try await h.services.db.writer.write { db in
                try db.execute(sql: "DELETE FROM statusListEntry WHERE assertionID = ?", arguments: [third])
            }
            let late = try await api.get("/ob3/credentials/\(third)/credential.jwt", token: nil)
            #expect(late.status == .ok)
            #expect(try await api.get("/ob3/credentials/\(third)", token: nil).status.code == 410)
            let report = await h.services.verifier.verify(.text(late.text), options: .init(now: Date()))
            #expect(report.outcome == .revoked, "\(problems(report))")
            #expect(
                try await api.get("/ob3/credentials/\(id)", token: nil).json["id"]?.stringValue
                    == "\(APIHarness.base)/ob3/credentials/\(id)")
        }
    }
}
