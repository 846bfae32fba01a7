import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import InsigneStore
import OpenBadges
import OpenBadgesCrypto
import OpenBadgesPDF
import TestSupport
import Testing

@testable import InsigneServer

/// `GET /assertions/{id}/certificate.pdf`: a PDF the verifier accepts, 404/410, links, `POST /verify` with it.
@Suite struct CertificateTests {
    static let expires = Date(timeIntervalSince1970: 1_956_528_000)

    func award(_ f: VerifyFixture, name: String? = "Marie Dupont") async throws -> AssertionRecord {
        try await f.services.issuing.award(
            AwardRequest(
                badgeClassID: "bientraitance", recipientEmail: "marie.dupont@example.org",
                recipientName: name,
                expires: Self.expires), actor: "test"
        ).record
    }

    func certificate(_ client: some TestClientProtocol, _ id: String, query: String = "") async throws
        -> [UInt8]
    {
        try await client.execute(uri: "/assertions/\(id)/certificate.pdf\(query)", method: .get) { r in
            #expect(r.status == .ok)
            return bytes(r.body)
        }
    }

    @Test func theNameIsPrintedOnlyForTheRecipientAndTheIssuersStaff() async throws {
        let f = try await VerifyFixture.make()
        let a = try await award(f)
        let admin = try await WebSessionStore(db: f.services.db).create(accountID: "admin")
        try await f.fullApp().test(.router) { client in
            let uri = "/assertions/\(a.id)/certificate.pdf"
            let anonymous = try await client.execute(uri: uri, method: .get) { r in
                #expect(r.headers[.cacheControl] == "public, max-age=300")
                return bytes(r.body)
            }
            let named = try await client.execute(
                uri: uri, method: .get, headers: [.cookie: "\(WebSessionStore.cookieName)=\(admin.token)"]
            ) { r in
                #expect(r.headers[.cacheControl] == "private, no-store")
                return bytes(r.body)
            }
            #expect(anonymous != named)
            for pdf in [anonymous, named] {
                #expect(await f.services.verifier.verify(.data(pdf), options: .init(now: Date())).isValid)
            }
            if let pdftotext = OfficialTools.tool("pdftotext") {
                func text(_ pdf: [UInt8]) throws -> String {
                    let file = FileManager.default.temporaryDirectory.appendingPathComponent("cert-\(UUID()).pdf")
                    try Data(pdf).write(to: file)
                    defer { try? FileManager.default.removeItem(at: file) }
                    let p = Process()
                    p.executableURL = pdftotext
                    p.arguments = [file.path, "-"]
                    let out = Pipe()
                    p.standardOutput = out
                    try p.run()
                    let data = out.fileHandleForReading.readDataToEndOfFile()
                    p.waitUntilExit()
                    return String(decoding: data, as: UTF8.self)
                }
                let publicText = try text(anonymous)
                #expect(!publicText.contains("Marie Dupont") && publicText.contains("Titulaire du badge"))
                #expect(try text(named).contains("Marie Dupont"))
            }
        }
    }

    @Test func routeServesAPDFTheVerifierAccepts() async throws {
        let f = try await VerifyFixture.make()
        let a = try await award(f)
        let short = String(a.id.prefix(8))
        try await f.fullApp().test(.router) { client in
            let etag = try await client.execute(uri: "/assertions/\(a.id)/certificate.pdf", method: .get) { r in
                #expect(r.status == .ok)
                #expect(r.headers[.contentType] == "application/pdf")
                #expect(
                    r.headers[.contentDisposition]
                        == "inline; filename=\"attestation-bientraitance-\(short).pdf\"")
                #expect(r.headers[.cacheControl] == "public, max-age=300")
                #expect(Array(bytes(r.body).prefix(5)) == Array("%PDF-".utf8))
                let report = await f.services.verifier.verify(
                    .data(bytes(r.body)), options: .init(now: Date()))
                #expect(report.isValid, "\(report.json.prettyString())")
                #expect(report.inputFormat == "pdf")
                #expect(report.assertion?.badgeName == "Bientraitance")
                #expect(report.assertion?.issuerName == "Mutuelle Vivre Ensemble")
                #expect(report.assertion?.issuedOn == a.issuedOn)
                #expect(report.assertion?.expires == a.expires)
                return try #require(r.headers[HTTPField.Name("ETag")!])
            }
            try await client.execute(
                uri: "/assertions/\(a.id)/certificate.pdf", method: .get,
                headers: [HTTPField.Name("If-None-Match")!: etag]
            ) { r in
                #expect(r.status == .notModified)
            }
            // Rendering is deterministic: the same award gives the same bytes, so the ETag is stable.
            let again = try await certificate(client, a.id)
            #expect("\"\(SHA256Digest.hexHash(again).prefix(32))\"" == etag)
            // The English certificate carries the same signed badge.
            let english = try await certificate(client, a.id, query: "?lang=en")
            let report = await f.services.verifier.verify(.data(english), options: .init(now: Date()))
            #expect(report.isValid)
        }
    }

    @Test func contentComesFromTheAward() async throws {
        let f = try await VerifyFixture.make()
        let a = try await award(f)
        let factory = CertificateFactory(db: f.services.db, urls: f.services.urls)
        let c = try await factory.content(assertionID: a.id)
        #expect(c.recipientName == "Marie Dupont")
        #expect(c.organisationName == "Mutuelle Vivre Ensemble")
        #expect(c.organisationURL == "https://www.mutuelle-vivre-ensemble.fr")
        #expect(c.badgeName == "Bientraitance")
        #expect(c.badgeImagePNG?.isEmpty == false)
        #expect(c.assertionJWS == a.jws)
        #expect(c.expires.map { abs($0.timeIntervalSince(Self.expires)) < 1 } == true)
        #expect(c.criteriaSummary.hasPrefix("Avoir suivi la formation « Bientraitance »"))
        #expect(c.competencies.map(\.code) == DemoSeeder.bientraitanceCodes)
        // The code is not repeated in the title.
        #expect(c.competencies.first?.title.hasPrefix("Savoir prévenir et repérer") == true)
        #expect(c.competencies.allSatisfy { $0.framework == "DEES 2007" }, "\(c.competencies)")
        #expect(c.reference == a.id)
        #expect(
            c.certificateNumber == a.id.prefix(4).uppercased() + "-"
                + a.id.dropFirst(4).prefix(4).uppercased())
        #expect(
            c.verificationURL
                == "http://127.0.0.1:8080/verify?url=http%3A%2F%2F127.0.0.1%3A8080%2Fassertions%2F\(a.id)")
        #expect(c.signature.name == "Mutuelle Vivre Ensemble")
        #expect(c.signature.role == "Service formation")
        // Without a name, the email is never printed.
        let anonymous = try await award(f, name: nil)
        let en = try await factory.content(assertionID: anonymous.id, language: .en)
        #expect(en.recipientName == "Badge holder")
        #expect(
            try await factory.content(assertionID: anonymous.id).recipientName == "Titulaire du badge")
    }

    @Test func revokedIsGoneAndUnknownIsNotFound() async throws {
        let f = try await VerifyFixture.make()
        let a = try await award(f)
        _ = try await f.services.issuing.revoke(
            assertionID: a.id, reason: "Attribué par erreur", actor: "test")
        try await f.fullApp().test(.router) { client in
            try await client.execute(uri: "/assertions/\(a.id)/certificate.pdf", method: .get) { r in
                #expect(r.status == .gone)
                #expect(text(r.body).contains("Attribué par erreur"))
                #expect(r.headers[.contentType] != "application/pdf")
            }
            try await client.execute(
                uri: "/assertions/\(UUID().uuidString.lowercased())/certificate.pdf", method: .get
            ) {
                r in
                #expect(r.status == .notFound)
            }
        }
    }

    /// The factory's refusals are the server's one error type: `.gone` (with the reason) and `.notFound`.
    @Test func factoryRefusalsAreServiceErrors() async throws {
        let f = try await VerifyFixture.make()
        let a = try await award(f)
        _ = try await f.services.issuing.revoke(assertionID: a.id, reason: "Attribué par erreur", actor: "test")
        let factory = CertificateFactory(db: f.services.db, urls: f.services.urls)
        await #expect(throws: ServiceError.certificateRevoked(reason: "Attribué par erreur")) {
            try await factory.content(assertionID: a.id)
        }
        #expect(ServiceError.certificateRevoked(reason: nil).kind == .gone)
        #expect(ServiceError.certificateRevoked(reason: "x").messageFR.hasSuffix("(motif : x)"))
        await #expect(throws: ServiceError.certificateNotFound("nope")) {
            try await factory.content(assertionID: "nope")
        }
        #expect(ServiceError.certificateNotFound("nope").status == .notFound)
    }

    @Test func assertionPageLinksToTheCertificate() async throws {
        let f = try await VerifyFixture.make()
        let a = try await award(f)
        let browser: HTTPFields = [.accept: "text/html"]
        try await f.fullApp().test(.router) { client in
            try await client.execute(uri: "/assertions/\(a.id)", method: .get, headers: browser) { r in
                let html = text(r.body)
                #expect(html.contains("href=\"/assertions/\(a.id)/certificate.pdf\""))
                #expect(html.contains("Attestation PDF"))
            }
            try await client.execute(uri: "/assertions/\(a.id)?lang=en", method: .get, headers: browser) {
                r in
                #expect(text(r.body).contains("href=\"/assertions/\(a.id)/certificate.pdf?lang=en\""))
            }
            try await client.execute(uri: "/verify", method: .get, headers: browser) { r in
                let html = text(r.body)
                #expect(html.contains("application/pdf") && html.contains(".pdf"))
                #expect(html.contains("attestation de réussite PDF"))
            }
        }
        _ = try await f.services.issuing.revoke(assertionID: a.id, reason: "Erreur", actor: "test")
        try await f.fullApp().test(.router) { client in
            try await client.execute(uri: "/assertions/\(a.id)", method: .get, headers: browser) { r in
                #expect(!text(r.body).contains("certificate.pdf"))
            }
        }
    }

    @Test func verifyPageAcceptsTheCertificate() async throws {
        let f = try await VerifyFixture.make()
        let a = try await award(f)
        try await f.fullApp().test(.router) { client in
            let pdf = try await certificate(client, a.id)
            let upload = Multipart.file(pdf, name: "attestation.pdf", type: "application/pdf")
            try await client.execute(
                uri: "/verify", method: .post, headers: Multipart.headers(), body: upload
            ) { r in
                #expect(r.status == .ok)
                let report = try json(r.body)
                #expect(report["valid"] == true, "\(report.prettyString())")
                #expect(report["input"]?["format"] == "pdf")
                #expect(report["assertion"]?["badgeName"] == "Bientraitance")
                try expectSchemaValid(report)
            }
        }
    }

    /// A certificate whose embedded JWS payload was altered (signature kept) is reported forged.
    @Test func alteredEmbeddedAssertionIsForged() async throws {
        let f = try await VerifyFixture.make()
        let a = try await award(f)
        var content = try await CertificateFactory(db: f.services.db, urls: f.services.urls).content(
            assertionID: a.id)
        let parts = a.jws.split(separator: ".").map(String.init)
        let payload = String(decoding: try #require(Base64URL.decode(parts[1])), as: UTF8.self)
        let year = String(a.issuedOn.prefix(4))
        let altered = payload.replacingOccurrences(
            of: "\"issuedOn\":\"\(year)", with: "\"issuedOn\":\"2001")
        #expect(altered != payload)
        content.assertionJWS = [parts[0], Base64URL.encode(altered), parts[2]].joined(separator: ".")
        let forged = try CertificateRenderer.render(content)
        let report = await f.services.verifier.verify(.data(forged), options: .init(now: Date()))
        #expect(!report.isValid)
        #expect(report.outcome == .forged, "\(report.json.prettyString())")
        try await f.fullApp().test(.router) { client in
            let upload = Multipart.file(forged, name: "attestation.pdf", type: "application/pdf")
            try await client.execute(
                uri: "/verify", method: .post, headers: Multipart.headers(), body: upload
            ) { r in
                let report = try json(r.body)
                #expect(report["valid"] == false)
            }
        }
    }
}
