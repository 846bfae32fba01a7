import Foundation
import GRDB

/// What opening a claim link finds: the token and the award with its badge class and issuer.
public struct ClaimDetails: Sendable {
    public var token: ClaimTokenRecord
    public var assertion: AssertionRecord
    public var badgeClass: BadgeClassRecord?
    public var issuer: IssuerRecord?
}

/// Why a claim did not put the badge into a backpack, or that it did.
public enum ClaimOutcome: Sendable, Equatable {
    /// The award's address is (now) a confirmed address of the account: the badge shows in its backpack.
    case claimed(email: String)
    /// Unknown or expired token.
    case unknown
    /// The award was already claimed (every token of it is spent).
    case alreadyClaimed
    /// The award was revoked.
    case revoked
    /// The address belongs to another account: no silent merge.
    case addressOfAnotherAccount
}

/// The claim links of award notifications (`claimToken`): stored hashed, spent once the award is claimed.
extension AppDatabase {
    /// Stores the claim tokens of notifications and audits each (`award.notify`), in one transaction.
    public func storeClaimTokens(_ tokens: [ClaimTokenRecord], actor: String, now: Date = Date()) async throws {
        guard !tokens.isEmpty else { return }
        try await writer.write { db in
            for t in tokens {
                try t.insert(db)
                var e = AuditEventRecord(at: now, actor: actor, action: "award.notify", subject: t.assertionID)
                try e.insert(db)
            }
        }
    }

    /// The token and its award (whatever their state: the page tells expired, claimed and revoked apart).
    public func claimDetails(tokenHash: String) async throws -> ClaimDetails? {
        try await writer.read { db in
            guard let token = try ClaimTokenRecord.fetchOne(db, key: tokenHash),
                let a = try AssertionRecord.fetchOne(db, key: token.assertionID)
            else { return nil }
            let badge = try BadgeClassRecord.fetchOne(db, key: a.badgeClassID)
            let issuer = try badge.flatMap { try IssuerRecord.fetchOne(db, key: $0.issuerID) }
            return ClaimDetails(token: token, assertion: a, badgeClass: badge, issuer: issuer)
        }
    }

    /// Claims the award for a signed-in learner, in one transaction: the award's address becomes a confirmed
    /// address of the account (the link proves the mailbox), every token of the award is spent, audited. Refused
    /// for an unknown, expired or spent token, a revoked award, or an address of another account.
    public func claimAward(tokenHash: String, accountID: String, now: Date = Date()) async throws -> ClaimOutcome {
        try await writer.write { db -> ClaimOutcome in
            let (outcome, token) = try Self.checkClaim(tokenHash: tokenHash, now: now, db)
            guard let token else { return outcome }
            let email = token.email
            if try !Self.verifiedLearnerEmails(accountID: accountID, db).contains(email) {
                if try Self.addressOwned(email, otherThan: accountID, db) { return .addressOfAnotherAccount }
                try LearnerEmailRecord.filter { $0.email == email }.deleteAll(db)
                try LearnerEmailRecord(accountID: accountID, email: email, verifiedAt: now, createdAt: now).insert(db)
                var e = AuditEventRecord(at: now, actor: accountID, action: "backpack.email.claim", subject: accountID)
                try e.insert(db)
            }
            try Self.spendClaim(token, accountID: accountID, now: now, db)
            return .claimed(email: email)
        }
    }

    /// Creates the learner account of a claim (login and confirmed address: the award's address) and claims the
    /// award, in one transaction. `.failure(.addressOfAnotherAccount)` when an account already uses the address.
    public func createLearnerByClaim(
        tokenHash: String, displayName: String, passwordHash: String, now: Date = Date()
    ) async throws -> Result<AccountRecord, ClaimRefusal> {
        try await writer.write { db -> Result<AccountRecord, ClaimRefusal> in
            let (outcome, token) = try Self.checkClaim(tokenHash: tokenHash, now: now, db)
            guard let token else { return .failure(ClaimRefusal(outcome: outcome)) }
            if try Self.addressOwned(token.email, otherThan: "", db) {
                return .failure(ClaimRefusal(outcome: .addressOfAnotherAccount))
            }
            try LearnerEmailRecord.filter { $0.email == token.email }.deleteAll(db)
            let account = AccountRecord(
                id: UUID().uuidString.lowercased(), login: token.email, displayName: displayName,
                passwordHash: passwordHash, role: .learner, issuerID: nil, createdAt: now, email: token.email)
            try account.insert(db)
            var e = AuditEventRecord(at: now, actor: account.id, action: "learner.create.claim", subject: account.id)
            try e.insert(db)
            try Self.spendClaim(token, accountID: account.id, now: now, db)
            return .success(account)
        }
    }

    /// The live token of a claim, or why there is none (inside the caller's transaction).
    static func checkClaim(tokenHash: String, now: Date, _ db: Database) throws -> (ClaimOutcome, ClaimTokenRecord?) {
        guard let token = try ClaimTokenRecord.fetchOne(db, key: tokenHash), token.expiresAt > now,
            let a = try AssertionRecord.fetchOne(db, key: token.assertionID), !a.recipientEmail.isEmpty
        else { return (.unknown, nil) }
        if a.isRevoked { return (.revoked, nil) }
        if token.claimedAt != nil { return (.alreadyClaimed, nil) }
        return (.claimed(email: token.email), token)
    }

    /// True when a live account other than `accountID` signs in with, or confirmed, this address.
    static func addressOwned(_ email: String, otherThan accountID: String, _ db: Database) throws -> Bool {
        let accounts = try AccountRecord.filter(
            sql: "id <> ? AND (email = ? COLLATE NOCASE OR login = ? COLLATE NOCASE)",
            arguments: [accountID, email, email]
        ).fetchCount(db)
        let confirmed = try LearnerEmailRecord.filter {
            $0.email == email && $0.accountID != accountID && $0.verifiedAt != nil
        }.fetchCount(db)
        return accounts + confirmed > 0
    }

    /// Spends every token of the award and audits the claim.
    static func spendClaim(_ token: ClaimTokenRecord, accountID: String, now: Date, _ db: Database) throws {
        try ClaimTokenRecord.filter { $0.assertionID == token.assertionID && $0.claimedAt == nil }
            .updateAll(
                db, ClaimTokenRecord.Columns.claimedAt.set(to: now),
                ClaimTokenRecord.Columns.claimedBy.set(to: accountID))
        var e = AuditEventRecord(at: now, actor: accountID, action: "award.claim", subject: token.assertionID)
        try e.insert(db)
    }

    /// The claim part of an erasure, inside the caller's transaction: the tokens sent to the learner's addresses
    /// or claimed by them deleted.
    static func eraseClaimTokens(accountID id: String, addresses: [String], _ db: Database) throws {
        try ClaimTokenRecord.filter { $0.claimedBy == id }.deleteAll(db)
        for a in addresses { try ClaimTokenRecord.filter { $0.email == a }.deleteAll(db) }
    }
}

/// Why a claim could not create an account (the outcome of `checkClaim`, never `.claimed`).
public struct ClaimRefusal: Error, Sendable, Equatable {
    public var outcome: ClaimOutcome
}
