import Foundation
import InsigneStore
import OpenBadges
import TestSupport
import Testing

@testable import InsigneServer

/// Hosted documents are served from memory until a change is committed to a published table.
struct PublicDocumentCacheTests {
    @Test func cachedDocumentsFollowEveryCommittedChange() async throws {
        let services = try await WebHarness.make(allowPrivateNetwork: false).services
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
