import Foundation
import OpenBadges
import OpenBadgesCrypto
import TestSupport
import Testing

/// Certificate PDFs carrying an OB 3.0 credential as an attachment, alone or beside the OB 2.0 assertion (ISSUE12
/// point 5, ISSUE13 « /verify of that PDF reports both forms »). The PDFs are written here by hand.
struct OB3PDFTests {
    typealias S = OB3Support

    /// 1 January 2027: inside the OB 2.0 fixture's and the OB 3.0 credential's validity.
    let now = Date(timeIntervalSince1970: 1_798_761_600)

    /// A PDF whose attachments are `files` (name, content), uncompressed.
    static func pdf(_ files: [(String, String)]) -> [UInt8] {
        var text = "%PDF-1.7\n"
        var n = 1
        for (name, content) in files {
            text += "\(n) 0 obj << /Type /Filespec /F (\(name)) /EF << /F \(n + 1) 0 R >> >> endobj\n"
            text += "\(n + 1) 0 obj << /Type /EmbeddedFile /Length \(content.utf8.count) >>\nstream\n"
            text += content + "\nendstream\nendobj\n"
            n += 2
        }
        text += "trailer << /Size \(n) >>\n%%EOF\n"
        return Array(text.utf8)
    }

    static func jwt(validUntil: String = "2029-01-15T09:00:00Z") throws -> String {
        let key = try PrivateKey.generate(.ed25519)
        let (did, kid) = S.didKey(key)
        return try VCJWT.sign(
            claims: S.claims(S.credential(issuer: did, validUntil: validUntil)), key: key, algorithm: .edDSA,
            header: ["kid": .string(kid)])
    }

    static var ob2JWS: String {
        get throws {
            try String(contentsOf: TestPaths.fixtures.appendingPathComponent("pdf/certificate.jws"), encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    @Test(arguments: ["open-badge-credential.jwt", "openbadgecredential.txt", "badge.jwt"])
    func extractsAnOB3CredentialAlone(name: String) throws {
        let jwt = try Self.jwt()
        let extracted = try PDFAssertionExtractor.extract(from: Self.pdf([("notes.json", "{\"a\": 1}"), (name, jwt)]))
        #expect(
            extracted
                == PDFExtractedAssertion(
                    jws: nil, fromAttachment: false, fromInfo: false, credential: jwt, credentialName: name))
    }

    @Test func extractsBothForms() throws {
        let json = S.credential(issuer: "did:example:x").encodedString()
        let jws = try Self.ob2JWS
        let extracted = try PDFAssertionExtractor.extract(
            from: Self.pdf([("assertion.jws", jws), ("open-badge-credential.json", json)]))
        #expect(extracted.jws == jws)
        #expect(extracted.credential == json)
        #expect(extracted.credentialName == "open-badge-credential.json")
    }

    @Test func refusesWhatIsNotACredential() throws {
        // A JSON attachment that is no credential is ignored; a file named as a credential must be one.
        #expect {
            try PDFAssertionExtractor.extract(from: Self.pdf([("data.json", "{\"type\": \"Other\"}")]))
        } throws: { ($0 as? BakingError)?.code == .notBaked }
        #expect {
            try PDFAssertionExtractor.extract(from: Self.pdf([("open-badge-credential.json", "not a credential")]))
        } throws: { ($0 as? BakingError)?.code == .malformedImage }
        let two = Self.pdf([("a.jwt", try Self.jwt()), ("b.jwt", try Self.jwt())])
        #expect { try PDFAssertionExtractor.extract(from: two) } throws: {
            ($0 as? BakingError)?.code == .nonConformant
        }
    }

    @Test func verifiesAnOB3OnlyPDF() async throws {
        let r = await S.verify(.data(Self.pdf([("open-badge-credential.jwt", try Self.jwt())])), now: now)
        #expect(r.verdict == .valid, "\(VerifierTestSupport.problems(r))")
        #expect(r.inputFormat == "pdf")
        #expect(r.forms.isEmpty)
        #expect(r.assertion?.specVersion == "3.0")
        #expect(r.check("input.extract")?.message.fr.contains("open-badge-credential.jwt") == true)
    }

    @Test func verifiesBothFormsOfOnePDF() async throws {
        let fixture = try BadgeFixture()
        let pdf = Self.pdf([("assertion.jws", try Self.ob2JWS), ("open-badge-credential.jwt", try Self.jwt())])
        let r = await S.verify(.data(pdf), loader: fixture.loader(), now: now)
        #expect(r.verdict == .valid, "\(VerifierTestSupport.problems(r))")
        #expect(r.forms == ["2.0", "3.0"])
        #expect(r.json["input"]?["forms"] == ["2.0", "3.0"])
        #expect(r.check("input.forms")?.status == .passed)
        #expect(r.check("signature")?.status == .passed)
        #expect(r.check("ob3.signature")?.status == .passed)
        #expect(r.check("ob3.signature")?.message.fr.hasPrefix("OB 3.0 : ") == true)
        #expect(r.assertion?.badgeName == "Bientraitance")

        // The OB 3.0 form expired: the PDF is not valid, and the report says which form failed.
        let expired = Self.pdf([
            ("assertion.jws", try Self.ob2JWS),
            ("open-badge-credential.jwt", try Self.jwt(validUntil: "2026-06-01T00:00:00Z")),
        ])
        let e = await S.verify(.data(expired), loader: fixture.loader(), now: now)
        #expect(e.outcome == .expired, "\(VerifierTestSupport.problems(e))")
        #expect(e.check("dates.expires")?.status == .passed)
        #expect(e.check("ob3.dates.expires")?.status == .failed)
    }
}
