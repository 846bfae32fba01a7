import Foundation
import InsigneServer
import InsigneStore
import OpenBadges
import TestSupport
import Testing

/// Hosted documents are served from memory until a change is committed to a published table.
struct PublicDocumentCacheTests {
    @Test func cachedDocumentsFollowEveryCommittedChange() async throws {
        var config = ServerConfiguration()
        config.publicURL = "http://127.0.0.1:8080"
        config.dataDirectory = try OfficialTools.temporaryDirectory().path
        let services = try ServerServices(configuration: config, db: try AppDatabase.inMemory())
        _ = try await services.seedDemoData(adminToken: "t")
        let (award, _) = try await services.issuing.award(
            AwardRequest(badgeClassID: "bientraitance", recipientEmail: "marie@example.org"), actor: "test")
        let path = "/assertions/\(award.id)"

        let first = try #require(try await services.resolver.resolve(path: path))
        let second = try #require(try await services.resolver.resolve(path: path))
        #expect(first.status == 200 && second.body == first.body)

        _ = try await services.issuing.revoke(assertionID: award.id, reason: "Erreur", actor: "test")
        let revoked = try #require(try await services.resolver.resolve(path: path))
        #expect(revoked.status == 410)
        let list = try #require(
            try await services.resolver.resolve(path: "/issuers/mutuelle-vivre-ensemble/revocations"))
        #expect(String(decoding: list.body, as: UTF8.self).contains(award.id))

        let before = try #require(try await services.resolver.resolve(path: "/issuers/mutuelle-vivre-ensemble"))
        _ = try await services.issuing.rotateKey(issuerID: "mutuelle-vivre-ensemble", actor: "test")
        let after = try #require(try await services.resolver.resolve(path: "/issuers/mutuelle-vivre-ensemble"))
        #expect(before.json?["publicKey"]?.arrayValue?.count == 1)
        #expect(after.json?["publicKey"]?.arrayValue?.count == 2)
    }
}
