import Foundation
import GRDB
import Testing

@testable import InsigneStore

/// The claim links of award notifications: claimed once into a learner's confirmed addresses, refused for another
/// account's address, a revoked award or an expired link; an account created by a claim.
@Suite("Notifications store")
struct NotificationsStoreTests {
    static let now = IssuingFixture.start

    /// The issuing fixture with learners Ana (ana@example.org) and Sam, an award to `email` and a token "h".
    static func database(email: String) async throws -> AppDatabase {
        let db = try await IssuingFixture.database()
        try await db.writer.write { db in
            for id in ["ana", "sam"] {
                try AccountRecord(
                    id: id, login: "\(id)@example.org", displayName: id, passwordHash: nil, role: .learner,
                    issuerID: nil, createdAt: now, email: "\(id)@example.org"
                ).insert(db)
            }
        }
        _ = try await db.storeAward(IssuingFixture.award("a1", email: email), actor: "staff")
        try await db.storeClaimTokens(
            [
                ClaimTokenRecord(
                    tokenHash: "h", assertionID: "a1", email: email, createdAt: now, expiresAt: now + 86400),
                ClaimTokenRecord(
                    tokenHash: "h2", assertionID: "a1", email: email, createdAt: now, expiresAt: now + 86400),
            ], actor: "staff", now: now)
        return db
    }

    @Test func aNewAddressBecomesTheLearnersAndEveryTokenIsSpent() async throws {
        let db = try await Self.database(email: "pro@example.net")
        #expect(try await db.claimAward(tokenHash: "x", accountID: "ana", now: Self.now) == .unknown)
        #expect(
            try await db.claimAward(tokenHash: "h", accountID: "ana", now: Self.now)
                == .claimed(email: "pro@example.net"))
        #expect(try await db.verifiedLearnerEmails(accountID: "ana") == ["ana@example.org", "pro@example.net"])
        #expect(try await db.claimAward(tokenHash: "h2", accountID: "ana", now: Self.now) == .alreadyClaimed)
        #expect(try await IssuingFixture.audit(db, action: "award.claim").count == 1)
        #expect(try await IssuingFixture.audit(db, action: "award.notify").count == 2)
    }

    @Test func anotherAccountsAddressIsRefused() async throws {
        let db = try await Self.database(email: "ana@example.org")
        #expect(try await db.claimAward(tokenHash: "h", accountID: "sam", now: Self.now) == .addressOfAnotherAccount)
        #expect(try await db.verifiedLearnerEmails(accountID: "sam") == ["sam@example.org"])
        let created = try await db.createLearnerByClaim(
            tokenHash: "h", displayName: "X", passwordHash: "p", now: Self.now)
        #expect(created == .failure(ClaimRefusal(outcome: .addressOfAnotherAccount)))
        #expect(
            try await db.claimAward(tokenHash: "h", accountID: "ana", now: Self.now)
                == .claimed(email: "ana@example.org"))
    }

    @Test func expiredOrRevokedIsRefused() async throws {
        let db = try await Self.database(email: "pro@example.net")
        #expect(try await db.claimAward(tokenHash: "h", accountID: "ana", now: Self.now + 90000) == .unknown)
        _ = try await db.revokeAward(id: "a1", reason: "r", actor: "staff", now: Self.now)
        #expect(try await db.claimAward(tokenHash: "h", accountID: "ana", now: Self.now) == .revoked)
    }

    @Test func aClaimCreatesTheAccountWithTheAddressConfirmed() async throws {
        let db = try await Self.database(email: "new@example.net")
        let created = try await db.createLearnerByClaim(
            tokenHash: "h", displayName: "Noé", passwordHash: "p", now: Self.now)
        let account = try created.get()
        #expect(account.login == "new@example.net")
        #expect(try await db.verifiedLearnerEmails(accountID: account.id) == ["new@example.net"])
        #expect(try await db.claimDetails(tokenHash: "h2")?.token.claimedBy == account.id)
    }
}
