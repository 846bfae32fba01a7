import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import OpenBadges
import OpenBadgesPDF
import TestSupport
import Testing

@testable import InsigneServer
@testable import InsigneStore

/// The certificate PDF carries the OB 3.0 credential (`open-badge-credential.jwt`) beside the OB 2.0 assertion:
/// `/verify` reports both forms valid, and both revoked after revocation (ISSUE13 point 4).
@Suite struct CertificateOB3Tests {
    @Test func certificateCarriesBothFormsAndBothAreVerified() async throws {
        let f = try await VerifyFixture.make()
        let a = try await CertificateTests().award(f)
        try await f.fullApp().test(.router) { client in
            let pdf = try await CertificateTests().certificate(client, a.id)
            let text = String(decoding: pdf, as: UTF8.self)
            #expect(text.contains(CertificateRenderer.credentialAttachmentName))
            #expect(text.contains(CertificateRenderer.attachmentName))
            let stored = try #require(try await f.services.db.ob3Credential(assertionID: a.id))
            #expect(!stored.jwt.isEmpty)
            let upload = Multipart.file(
                pdf, name: "attestation.pdf", type: "application/pdf", recipient: "marie.dupont@example.org")
            try await client.execute(uri: "/verify", method: .post, headers: Multipart.headers(), body: upload) {
                r in
                let report = try json(r.body)
                #expect(report["valid"] == true, "\(report.prettyString())")
                #expect(report["input"]?["forms"] == ["2.0", "3.0"])
                let ids = report["checks"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
                #expect(ids.contains("ob3.signature"))
            }
            _ = try await f.services.issuing.revoke(assertionID: a.id, reason: "Erreur", actor: "test")
            try await client.execute(uri: "/verify", method: .post, headers: Multipart.headers(), body: upload) {
                r in
                let report = try json(r.body)
                #expect(report["valid"] == false)
                #expect(report["outcome"] == "revoked", "\(report.prettyString())")
                #expect(report["input"]?["forms"] == ["2.0", "3.0"])
            }
        }
    }

    /// An award made before OB 3.0 issuing gets its OB 3.0 form when its certificate is first asked for.
    @Test func olderAwardGetsItsOB3FormWithItsCertificate() async throws {
        let f = try await VerifyFixture.make()
        let a = try await CertificateTests().award(f)
        _ = try await f.services.db.writer.write { db in try OB3CredentialRecord.deleteAll(db) }
        try await f.fullApp().test(.router) { client in
            let pdf = try await CertificateTests().certificate(client, a.id)
            #expect(String(decoding: pdf, as: UTF8.self).contains(CertificateRenderer.credentialAttachmentName))
        }
        #expect(try await f.services.db.ob3Credential(assertionID: a.id) != nil)
    }
}
