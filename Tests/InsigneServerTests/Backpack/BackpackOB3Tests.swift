import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import OpenBadges
import Testing

@testable import InsigneServer
@testable import InsigneStore

/// The OB 3.0 form of the badges Insigne issued, for digital wallets (ISSUE13 point 4): backpack links, ZIP files,
/// the trainer's award page.
@Suite struct BackpackOB3Tests {
    static let heading = "Format Open Badges 3.0 — pour les portefeuilles numériques"

    @Test func backpackOffersTheOB3FormsOfIssuedBadgesOnly() async throws {
        let h = try await WebHarness.make()
        try await h.run { trainer in
            try await trainer.signIn()
            let (lea, _) = try await h.learner(trainer, name: "Léa Roux", email: "lea@example.org")
            let valid = try await h.award("lea@example.org")
            let revoked = try await h.award("lea@example.org")
            _ = try await h.services.issuing.revoke(assertionID: revoked.id, reason: "Erreur", actor: "admin")
            // An award made before OB 3.0 issuing: its form is made on first request.
            _ = try await h.services.db.writer.write { db in try OB3CredentialRecord.deleteAll(db) }

            let page = try await lea.get("/backpack")
            #expect(page.body.components(separatedBy: Self.heading).count - 1 == 1)
            #expect(page.body.contains("Learner Credential Wallet") && page.body.contains("LinkedIn ou un courriel"))
            for suffix in ["\"", "/credential.jwt\"", "/badge.png\"", "/badge.svg\""] {
                #expect(page.body.contains("href=\"/ob3/credentials/\(valid.id)\(suffix)"))
                #expect(!page.body.contains("/ob3/credentials/\(revoked.id)"))
            }
            #expect(page.body.contains("JSON (Data Integrity)") && page.body.contains("VC-JWT"))
            let english = try await lea.get("/backpack?lang=en")
            #expect(english.body.contains("Open Badges 3.0 format — for digital wallets"))

            let (status, headers, jwt) = try await lea.bytes("/ob3/credentials/\(valid.id)/credential.jwt")
            #expect(status == .ok && headers[.contentType] == "application/vc+jwt")
            let report = await h.services.verifier.verify(.data(jwt), options: .init(now: Date()))
            #expect(report.isValid, "\(report.checks.filter { $0.status != .passed })")
            let (pngStatus, _, png) = try await lea.bytes("/ob3/credentials/\(valid.id)/badge.png")
            #expect(pngStatus == .ok)
            #expect(await h.services.verifier.verify(.data(png), options: .init(now: Date())).isValid)
        }
    }

    @Test func zipExportCarriesTheOB3Files() async throws {
        let h = try await WebHarness.make()
        try await h.run { trainer in
            try await trainer.signIn()
            let (lea, _) = try await h.learner(trainer, name: "Léa Roux", email: "lea@example.org")
            let valid = try await h.award("lea@example.org")
            let revoked = try await h.award("lea@example.org")
            _ = try await h.services.issuing.revoke(assertionID: revoked.id, reason: "Erreur", actor: "admin")
            _ = try await h.services.db.writer.write { db in try OB3CredentialRecord.deleteAll(db) }

            let (status, _, bytes) = try await lea.bytes("/backpack/export.zip")
            #expect(status == .ok)
            let zip = try TestZIP(bytes)
            let index = try #require(try JSONValue(parsing: zip["index.json"]!.data).arrayValue)
            let item = try #require(index.first { $0["assertionId"]?.stringValue?.hasSuffix(valid.id) == true })
            let stem = String(try #require(item["json"]?.stringValue).dropLast(".json".count))
            // The existing names are kept; the OB 3.0 files sit beside them.
            #expect(zip[stem + ".json"] != nil && zip[stem + ".png"] != nil)
            #expect(item["ob3"]?["json"]?.stringValue == stem + "-ob3.json")
            #expect(item["ob3"]?["jwt"]?.stringValue == stem + "-ob3.jwt")
            let jwt = try #require(zip[stem + "-ob3.jwt"]).data
            let json = try #require(zip[stem + "-ob3.json"]).data
            for form in [jwt, json] {
                let report = await h.services.verifier.verify(.data(form), options: .init(now: Date()))
                #expect(report.isValid, "\(report.checks.filter { $0.status != .passed })")
            }
            let stored = try #require(try await h.services.db.ob3Credential(assertionID: valid.id))
            #expect(jwt == Array(stored.jwt.utf8))
            let revokedItem = try #require(
                index.first { $0["assertionId"]?.stringValue?.hasSuffix(revoked.id) == true })
            #expect(revokedItem["ob3"] == nil)
            #expect(zip.entries.filter { $0.name.hasSuffix("-ob3.jwt") }.count == 1)
            #expect(String(decoding: zip["LISEZMOI-README.txt"]!.data, as: UTF8.self).contains("-ob3.jwt"))
        }
    }

    @Test func trainerAwardPageLinksTheOB3Forms() async throws {
        let h = try await WebHarness.make()
        let a = try await h.award("paul@example.fr")
        try await h.run { b in
            try await b.signIn()
            let page = try await b.get("/trainer/assertions/\(a.id)")
            #expect(page.body.contains("id=\"ob3-downloads\""))
            #expect(page.body.contains("Format Open Badges 3.0 (portefeuilles numériques)"))
            let base = h.services.urls.ob3Credential(a.id)
            for href in [base, base + "/credential.jwt", base + "/badge.png", base + "/badge.svg"] {
                #expect(page.body.contains("href=\"\(href)\""))
            }
            _ = try await h.services.issuing.revoke(assertionID: a.id, reason: "Erreur", actor: "admin")
            #expect(!(try await b.get("/trainer/assertions/\(a.id)")).body.contains("ob3-downloads"))
        }
    }
}
