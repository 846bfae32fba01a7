import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import InsigneStore
import NIOCore
import OpenBadges
import OpenBadgesCrypto
import OpenBadgesPNG
import TestSupport
import Testing

@testable import InsigneServer

/// Verdicts people understand for OB 3.0 badges (ISSUE12 point 5): a heading and what to do next for every
/// outcome, « indéterminé » explained by its cause, a PDF carrying both forms, and the backpack giving back the
/// credential as it came.
@Suite struct OB3VerdictTests {
    static let html = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

    static func page(english: Bool = false) -> VerifyPage {
        let head = HTTPRequest(method: .get, scheme: "http", authority: "localhost", path: "/verify")
        return VerifyPage(request: Request(head: head, body: RequestBody(buffer: ByteBuffer())), english: english)
    }

    /// A report of an OB 3.0 badge whose checks end with `last`.
    static func report(_ last: VerificationCheck) -> VerificationReport {
        var summary = AssertionSummary()
        summary.specVersion = "3.0"
        summary.badgeName = "CACES R489"
        summary.issuerName = "Centre de formation Loire"
        summary.verificationType = "VC-JWT RS256"
        summary.issuedOn = "2026-01-10T08:00:00Z"
        let ok = VerificationCheck(id: "credential.structure", status: .passed, message: .init(fr: "ok", en: "ok"))
        return VerificationReport(checks: [ok, last], inputFormat: "jws", assertion: summary)
    }

    static func failed(_ id: String, _ outcome: VerificationOutcome) -> VerificationCheck {
        VerificationCheck(id: id, status: .failed, message: .init(fr: "échec", en: "failed"), outcome: outcome)
    }

    static func blocking(_ id: String, _ en: String) -> VerificationCheck {
        VerificationCheck(id: id, status: .skipped, message: .init(fr: "non fait", en: en), blocking: true)
    }

    @Test func everyOutcomeHasAHeadingAndWhatToDoNext() throws {
        let cases: [(VerificationCheck, String, String)] = [
            (
                .init(id: "signature", status: .passed, message: .init(fr: "ok", en: "ok")), "Badge valide",
                "authentique"
            ),
            (Self.failed("revocation", .revoked), "Badge révoqué", "retiré"),
            (Self.failed("revocation", .suspended), "Badge suspendu", "la suspension peut être levée"),
            (Self.failed("dates.expires", .expired), "Badge expiré", "date de validité est dépassée"),
            (Self.failed("dates.issuedOn", .notYetValid), "Badge pas encore valide", "ne l'acceptez pas avant"),
            (Self.failed("signature", .forged), "Badge falsifié", "ne l'acceptez pas"),
            (Self.failed("recipient", .recipientMismatch), "Badge non délivré à cette personne", "Vérifiez l'adresse"),
            (Self.failed("input.format", .notABadge), "Ce fichier n'est pas un badge", "Demandez à la personne"),
            (
                Self.blocking("key.resolve", "Public key unreachable"), "Vérification impossible (indéterminé)",
                "clé publique de l'émetteur n'a pas pu être obtenue"
            ),
            (
                Self.blocking("revocation", "Status undetermined"), "Vérification impossible (indéterminé)",
                "liste des badges révoqués"
            ),
            (
                Self.blocking("proof", "Unknown JSON-LD context, never fetched"),
                "Vérification impossible (indéterminé)", "contexte JSON-LD"
            ),
        ]
        var headlines: Set<String> = []
        for (check, headline, next) in cases {
            let r = Self.page().resultContext(Self.report(check))
            #expect(r["headline"] as? String == headline)
            #expect((r["sentence"] as? String)?.contains(next) == true, "\(headline): \(r["sentence"] ?? "")")
            let badge = try #require(r["badge"] as? [String: Any])
            #expect(badge["proof"] as? String == "OB 3.0 · preuve : VC-JWT RS256")
            #expect(badge["name"] as? String == "CACES R489")
            headlines.insert(headline)
            let en = Self.page(english: true).resultContext(Self.report(check))
            #expect((en["sentence"] as? String)?.isEmpty == false)
        }
        #expect(headlines.count == 9)
    }

    /// An OB 3.0 badge signed with a did:web key on a host the SSRF guard refuses: indeterminate, with the key named.
    @Test func unreachableKeyIsIndeterminate() async throws {
        let f = try await VerifyFixture.make()
        let key = try PrivateKey.generate(.ed25519)
        let did = "did:web:localhost%3A9"
        guard case .object(var claims) = OB3VerifyTests.credential(issuer: did, email: "marie.dupont@example.org")
        else { return }
        claims["iss"] = .string(did)
        let jwt = try VCJWT.sign(
            claims: .object(claims), key: key, algorithm: .edDSA, header: ["kid": .string(did + "#key-1")])
        try await f.fullApp().test(.router) { client in
            try await client.execute(
                uri: "/verify?lang=fr", method: .post, headers: Multipart.headers(accept: Self.html),
                body: Multipart.file(Array(jwt.utf8), name: "badge.jwt", type: "application/octet-stream")
            ) { r in
                let page = text(r.body)
                #expect(page.contains("data-outcome=\"unverifiable\""))
                #expect(page.contains("Vérification impossible (indéterminé)"))
                #expect(
                    page.contains("clé publique de l&#39;émetteur n&#39;a pas pu être obtenue")
                        || page.contains("clé publique de l'émetteur n'a pas pu être obtenue"), "\(page)")
                #expect(page.contains("CACES R489"))
            }
        }
    }

    /// A certificate PDF carrying the OB 2.0 assertion and the OB 3.0 credential: both verified, the page says so.
    @Test func pdfWithBothFormsIsVerifiedTwice() async throws {
        let f = try await VerifyFixture.make()
        let record = try await f.award()
        let ob2 = try #require(record.jws)
        let ob3 = try OB3VerifyTests.jwt(email: "marie.dupont@example.org")
        var pdf = "%PDF-1.7\n"
        for (n, (name, content)) in [("assertion.jws", ob2), ("open-badge-credential.jwt", ob3)].enumerated() {
            let o = 1 + 2 * n
            pdf += "\(o) 0 obj << /Type /Filespec /F (\(name)) /EF << /F \(o + 1) 0 R >> >> endobj\n"
            pdf += "\(o + 1) 0 obj << /Length \(content.utf8.count) >>\nstream\n\(content)\nendstream\nendobj\n"
        }
        pdf += "trailer << /Size 5 >>\n%%EOF\n"
        let document = Array(pdf.utf8)
        try await f.fullApp().test(.router) { client in
            try await client.execute(
                uri: "/verify", method: .post, headers: Multipart.headers(),
                body: Multipart.file(
                    document, name: "attestation.pdf", type: "application/pdf",
                    recipient: "marie.dupont@example.org")
            ) { r in
                let report = try json(r.body)
                #expect(report["valid"] == true, "\(report.prettyString())")
                #expect(report["input"]?["forms"] == ["2.0", "3.0"])
                let ids = report["checks"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
                #expect(ids.contains("recipient") && ids.contains("ob3.recipient") && ids.contains("ob3.signature"))
                try expectSchemaValid(report)
            }
            try await client.execute(
                uri: "/verify?lang=fr", method: .post, headers: Multipart.headers(accept: Self.html),
                body: Multipart.file(document, name: "attestation.pdf", type: "application/pdf")
            ) { r in
                let page = text(r.body)
                #expect(page.contains("Badge valide"))
                #expect(page.contains("deux formes, Open Badges 2.0 et 3.0"))
            }
        }
    }

    /// A PNG with an `openbadgecredential` iTXt chunk holding `text`.
    static func png(_ text: String) throws -> [UInt8] {
        let base = [UInt8](
            try Data(contentsOf: TestPaths.fixtures.appendingPathComponent("images/minimal-1x1-rgba.png")))
        var stream = try PNGDatastream(parsing: base)
        let chunk = try InternationalTextChunk(keyword: "openbadgecredential", text: text, compressed: false)
        stream.chunks.insert(chunk.chunk(), at: 1)
        return stream.serialized()
    }

    /// OB 3.0 badges imported as a JSON file, a PNG and a pasted JWT: shown with « OB 3.0 », given back unchanged,
    /// and in the ZIP as they came.
    @Test func backpackGivesOB3CredentialsBackUnchanged() async throws {
        let h = try await WebHarness.make()
        try await h.run { trainer in
            try await trainer.signIn()
            let (lea, _) = try await h.learner(trainer, name: "Léa Roux", email: "lea@example.org")
            // JSON credential file (Data Integrity proof): imported as it came.
            let json = try OB3VerifyTests.dataIntegrity(email: "lea@example.org")
            let imported = try await lea.importBadge(file: Array(json.utf8), filename: "badge.json")
            #expect(imported.location?.hasPrefix("/backpack?imported=1") == true, "\(imported.status) \(imported.body)")
            // A PNG carrying a VC-JWT (another credential id).
            let png = try Self.png(try Self.otherJWT(email: "lea@example.org"))
            let pngImport = try await lea.importBadge(file: png, filename: "badge.png")
            #expect(pngImport.location?.hasPrefix("/backpack?imported=1") == true, "\(pngImport.body)")
            let stored = try await h.storedBadges()
            #expect(stored.count == 2)
            let list = try await lea.get("/backpack")
            #expect(list.body.contains("OB 3.0"))
            #expect(list.body.contains("CACES R489"))
            let jsonRecord = try #require(stored.first { $0.originalType == "application/vc+ld+json" })
            // One link to the credential as received; no PNG or SVG to re-bake.
            #expect(list.body.contains("href=\"/backpack/badges/\(jsonRecord.id)/credential\""))
            #expect(!list.body.contains("/backpack/badges/\(jsonRecord.id)/badge.png"))
            let (status, headers, given) = try await lea.bytes("/backpack/badges/\(jsonRecord.id)/credential")
            #expect(status == .ok)
            #expect(headers[.contentType] == "application/vc+ld+json")
            #expect(given == Array(json.utf8))
            let pngRecord = try #require(stored.first { $0.originalType == "image/png" })
            let (_, _, pngBack) = try await lea.bytes("/backpack/badges/\(pngRecord.id)/badge.png")
            #expect(pngBack == png)
            let (_, _, zipBytes) = try await lea.bytes("/backpack/export.zip")
            let zip = try TestZIP(zipBytes)
            #expect(zip.entries.contains { $0.name.hasSuffix(".credential.json") && $0.data == Array(json.utf8) })
            #expect(zip.entries.contains { $0.name.hasSuffix(".png") && $0.data == png })
        }
    }

    /// A VC-JWT with its own credential id.
    static func otherJWT(email: String) throws -> String {
        let key = try PrivateKey.generate(.ed25519)
        let mk = try #require(Multibase.multikey(key.publicKey))
        let did = "did:key:" + mk
        guard case .object(var credential) = OB3VerifyTests.credential(issuer: did, email: email) else { return "" }
        credential["id"] = "urn:uuid:9d1f7a52-4b6e-4c1a-8f3d-2e5c7b9a0d14"
        credential["iss"] = .string(did)
        credential["jti"] = credential["id"]
        return try VCJWT.sign(
            claims: .object(credential), key: key, algorithm: .edDSA, header: ["kid": .string(did + "#" + mk)])
    }
}
