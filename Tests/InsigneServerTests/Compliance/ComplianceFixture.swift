import Foundation
import GRDB
import OpenBadges

@testable import InsigneServer
@testable import InsigneStore

/// The demo service with its clock fixed at `now`, and awards of Bientraitance planted with chosen dates.
enum ComplianceFixture {
    /// The instant every test computes the states at.
    static let now = DateTimeValue("2029-11-01T00:00:00Z")!.date
    static let day = 86_400.0

    /// The API harness (admin token, staff token of `foyers-la-maison`) with the clock at `now`.
    static func api() async throws -> APIHarness {
        let h = try await APIHarness.make()
        var services = h.services
        services.clock = { now }
        return APIHarness(harness: WebHarness(services: services))
    }

    /// Plants an award of `badge` to `email` issued `issuedDaysAgo` days before `now`, expiring `expiresIn` seconds
    /// after it (nil: never), revoked or not. Returns its id.
    @discardableResult
    static func plant(
        _ services: ServerServices, email: String, issuedDaysAgo: Double = 100, expiresIn: Double?,
        revoked: Bool = false, badge: String = "bientraitance"
    ) async throws -> String {
        let id = UUID().uuidString.lowercased()
        let issued = DateTimeValue(now.addingTimeInterval(-issuedDaysAgo * day)).text
        let expires = expiresIn.map { DateTimeValue(now.addingTimeInterval($0)).text }
        try await services.db.writer.write { db in
            let key = try String.fetchOne(
                db, sql: "SELECT id FROM signingKey WHERE issuerID = 'mutuelle-vivre-ensemble'")!
            var a = AssertionRecord(
                id: id, badgeClassID: badge, signingKeyID: key, recipientEmail: EmailNormalization.normalize(email),
                recipientName: nil, recipientSalt: "s", recipientIdentity: "sha256$x", issuedOn: issued,
                expires: expires, narrative: nil, evidence: [], jws: "jws", idempotencyKey: "plant:\(id)",
                createdBy: "admin", createdAt: now)
            if revoked { a.revokedAt = now }
            try a.insert(db)
        }
        return id
    }
}
