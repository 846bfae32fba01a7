import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import OpenBadges
import OpenBadgesCrypto
import TestSupport
import Testing

@testable import InsigneServer
@testable import InsigneStore

/// Badge Connect fixtures on the harness: a learner who signs in with an e-mail login, an award to them.
extension WebHarness {
    /// Adds a learner who signs in with `login` and receives badges at that address.
    @discardableResult
    func addLearner(
        login: String = BadgeConnectFixtures.learnerLogin, password: String = BadgeConnectFixtures.learnerPassword
    ) async throws -> AccountRecord {
        let account = AccountRecord(
            id: UUID().uuidString.lowercased(), login: login, displayName: "Camille Martin",
            passwordHash: try PasswordHash.hash(password, logN: 10), role: .learner, issuerID: nil, createdAt: Date(),
            email: login)
        try await services.db.writer.write { db in try account.insert(db) }
        return account
    }

    /// Awards the demo badge to `email`; returns the signed assertion (JWS).
    func award(to email: String) async throws -> String {
        let r = try await services.issuing.award(
            AwardRequest(badgeClassID: DemoSeeder.badgeID, recipientEmail: email), actor: "test")
        return r.record.jws
    }
}
