import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import OpenBadges
import OpenBadgesCrypto
import Testing

@testable import InsigneServer
@testable import InsigneStore

/// A seeded service (demo issuer `mutuelle-vivre-ensemble`, badge `bientraitance`, admin token) plus a staff
/// account, manager of `foyers-la-maison`, and helpers to call the API: the shared harness without loopback fetches.
struct APIHarness: Sendable {
    let harness: WebHarness
    var services: ServerServices { harness.services }
    static let adminToken = "test-admin-token"
    static let staffToken = "test-staff-token"
    static let base = "http://127.0.0.1:8080"

    static func make() async throws -> APIHarness {
        let harness = try await WebHarness.make(publicURL: base, allowPrivateNetwork: false, adminToken: adminToken)
        let services = harness.services
        try await services.db.writer.write { db in
            try AccountRecord(
                id: "staff-foyers", login: "staff-foyers", displayName: "Équipe Foyers", passwordHash: nil,
                role: .staff,
                issuerID: "foyers-la-maison", createdAt: Date()
            ).insert(db)
            try MembershipRecord(
                id: "mem_staff_foyers", accountID: "staff-foyers", issuerID: "foyers-la-maison", role: .manager,
                createdAt: Date(), createdBy: "test"
            ).insert(db)
            try APITokenRecord(
                tokenHash: SHA256Digest.hexHash(Array(staffToken.utf8)), accountID: "staff-foyers", label: "staff",
                createdAt: Date()
            ).insert(db)
        }
        return APIHarness(harness: harness)
    }

    /// Runs `body` with an API client on the application as served.
    func run(_ body: @escaping @Sendable (APIClient) async throws -> Void) async throws {
        try await harness.application().test(.router) { client in try await body(APIClient(client: client)) }
    }

    /// How many assertions the database holds.
    func assertionCount() async throws -> Int { try await harness.assertionCount() }
}
