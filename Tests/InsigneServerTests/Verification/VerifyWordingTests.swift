import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import OpenBadges
import TestSupport
import Testing

@testable import InsigneServer
@testable import InsigneStore

/// `/verify` as an employer uses it: the address as typed on a CV, plain words for damaged files and badges the
/// issuer no longer has, counts of the checks that ran, dates in words.
@Suite struct VerifyWordingTests {
    static let browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

    func png(_ client: some TestClientProtocol, _ id: String) async throws -> [UInt8] {
        try await client.execute(uri: "/assertions/\(id)/badge.png", method: .get) { r in
            #expect(r.status == .ok)
            return bytes(r.body)
        }
    }

    /// The banner (headline and sentence), before the details of the checks.
    func banner(_ page: String) -> String {
        String(page[..<(page.range(of: "<details")?.lowerBound ?? page.endIndex)])
    }

    @Test func mixedCaseAddressMatchesItsNormalisedForm() async throws {
        let f = try await VerifyFixture.make()
        let a = try await f.award("marie.dupont@example.org")
        try await f.app().test(.router) { client in
            let image = try await png(client, a.id)
            try await client.execute(
                uri: "/verify", method: .post, headers: Multipart.headers(),
                body: Multipart.file(image, recipient: "Marie.Dupont@Example.org")
            ) { r in
                let report = try json(r.body)
                #expect(report["valid"] == true, "\(report.prettyString())")
                #expect(report["recipientMatch"] == "normalized")
                try expectSchemaValid(report)
            }
            try await client.execute(
                uri: "/verify?lang=fr", method: .post, headers: Multipart.headers(accept: Self.browser),
                body: Multipart.file(image, recipient: "Marie.Dupont@Example.org")
            ) { r in
                let page = text(r.body)
                #expect(page.contains("Badge valide"))
                #expect(!page.contains("Badge non délivré à cette personne"))
                #expect(page.contains("forme normalisée « marie.dupont@example.org »"))
            }
        }
    }

    @Test func addressHashedWithCapitalsMatchesAsTypedAndOthersDoNot() async throws {
        let f = try await VerifyFixture.make()
        let a = try await f.award("eloise.muller@example.org")
        // As another issuer would have done: the hash made from the address exactly as written on the CV.
        let typed = "Eloise.Muller@Example.org"
        let identity = IdentityHash.compute(identifier: typed, salt: a.recipientSalt).text
        try await f.services.db.writer.write { db in
            try db.execute(
                sql: "UPDATE assertion SET recipientIdentity = ? WHERE id = ?", arguments: [identity, a.id])
        }
        let url = Pages.queryEscape(f.services.urls.assertion(a.id))
        try await f.app().test(.router) { client in
            try await client.execute(
                uri: "/verify?url=\(url)&recipient=\(Pages.queryEscape(typed))", method: .get,
                headers: [.accept: "application/json"]
            ) { r in
                let report = try json(r.body)
                #expect(report["valid"] == true, "\(report.prettyString())")
                #expect(report["recipientMatch"] == "asTyped")
                try expectSchemaValid(report)
            }
            try await client.execute(
                uri: "/verify?url=\(url)&recipient=\(Pages.queryEscape(typed))&lang=en", method: .get,
                headers: [.accept: Self.browser]
            ) { r in
                #expect(text(r.body).contains("Issued to \(typed), the address as you typed it."))
            }
            try await client.execute(
                uri: "/verify?url=\(url)&recipient=\(Pages.queryEscape("Eloise.Martin@Example.org"))", method: .get,
                headers: [.accept: "application/json"]
            ) { r in
                let report = try json(r.body)
                #expect(report["outcome"] == "recipientMismatch")
                #expect(report["recipientMatch"] == nil)
            }
        }
    }

    @Test func damagedPNGSaysSoInPlainWords() async throws {
        let f = try await VerifyFixture.make()
        let a = try await f.award()
        try await f.app().test(.router) { client in
            var image = try await png(client, a.id)
            // One byte of the signed badge changed inside its chunk: the chunk's CRC no longer matches.
            image[33 + 8 + 40] ^= 0x01
            try await client.execute(
                uri: "/verify", method: .post, headers: Multipart.headers(), body: Multipart.file(image)
            ) { r in
                #expect(r.status == .ok)
                let report = try json(r.body)
                #expect(report["outcome"] == "damaged", "\(report.prettyString())")
                #expect(
                    report["summary"]?["fr"]?.stringValue?.hasPrefix("Le fichier a été endommagé ou modifié") == true)
                let check = report["checks"]?.arrayValue?.first { $0["id"] == "input.extract" }
                #expect(check?["message"]?["en"]?.stringValue?.contains("CRC") == false)
                #expect(check?["detail"]?["en"]?.stringValue?.contains("CRC") == true)
                try expectSchemaValid(report)
            }
            try await client.execute(
                uri: "/verify?lang=fr", method: .post, headers: Multipart.headers(accept: Self.browser),
                body: Multipart.file(image)
            ) { r in
                let page = text(r.body)
                let top = banner(page)
                #expect(top.contains("Fichier endommagé ou modifié"))
                #expect(top.contains("Le fichier a été endommagé ou modifié après sa création"))
                #expect(!page.contains("mal formé"))
                for word in ["iTXt", "CRC", "0x", "offset"] { #expect(!top.contains(word), "\(word)") }
                // The technical detail stays available in the details of the checks.
                #expect(page.contains("Détail technique"))
                #expect(page.contains("CRC"))
            }
        }
    }

    @Test func assertionUnknownToItsIssuerDoesNotExist() async throws {
        let f = try await VerifyFixture.make()
        let url = Pages.queryEscape(f.services.urls.assertion("00000000-0000-4000-8000-000000000000"))
        try await f.app().test(.router) { client in
            try await client.execute(uri: "/verify?url=\(url)", method: .get, headers: [.accept: "application/json"]) {
                r in
                let report = try json(r.body)
                #expect(report["valid"] == false)
                #expect(report["verdict"] == "invalid")
                #expect(report["outcome"] == "notFound")
                try expectSchemaValid(report)
            }
            try await client.execute(uri: "/verify?url=\(url)&lang=fr", method: .get, headers: [.accept: Self.browser])
            { r in
                let top = banner(text(r.body))
                #expect(top.contains("existe pas (ou plus) chez son émetteur"))
                #expect(!top.contains("Réessayez"))
                #expect(!top.contains("Vérification impossible"))
            }
            try await client.execute(uri: "/verify?url=\(url)&lang=en", method: .get, headers: [.accept: Self.browser])
            { r in
                #expect(banner(text(r.body)).contains("This badge does not exist (any more) at its issuer"))
            }
        }
    }

    @Test func validBadgeCountsOnlyChecksThatRanAndShowsDatesInWords() async throws {
        let f = try await VerifyFixture.make()
        let a = try await f.award()
        try await f.app().test(.router) { client in
            let image = try await png(client, a.id)
            let ran = try await client.execute(
                uri: "/verify", method: .post, headers: Multipart.headers(), body: Multipart.file(image)
            ) { r in
                let report = try json(r.body)
                #expect(report["valid"] == true)
                // Machines keep ISO 8601.
                #expect(report["assertion"]?["issuedOn"]?.stringValue?.contains("T") == true)
                return report["checks"]?.arrayValue?.filter { $0["status"] != "skipped" }.count ?? -1
            }
            let today = WebDates.long(Date(), english: false)
            try await client.execute(
                uri: "/verify?lang=fr", method: .post, headers: Multipart.headers(accept: Self.browser),
                body: Multipart.file(image)
            ) { r in
                let page = text(r.body)
                #expect(page.contains("Badge valide"))
                #expect(page.contains("\(ran) contrôles réussis sur \(ran) (1 non effectué)"), "\(page)")
                #expect(!page.contains("/\(ran + 1) réussies"))
                #expect(page.contains("Émis le \(today)"))
                #expect(!page.contains("Émis le 20"))
            }
            let todayEN = WebDates.long(Date(), english: true)
            try await client.execute(
                uri: "/verify?lang=en", method: .post, headers: Multipart.headers(accept: Self.browser),
                body: Multipart.file(image)
            ) { r in
                let page = text(r.body)
                #expect(page.contains("\(ran) of \(ran) checks passed (1 not run)"))
                #expect(page.contains("Issued on \(todayEN)"))
            }
        }
    }
}
