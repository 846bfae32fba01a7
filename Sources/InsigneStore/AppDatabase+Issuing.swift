import Foundation
import GRDB
import OpenBadges

/// Why a badge class's alignment could not be replaced.
public enum AlignmentUpdate: Sendable, Equatable {
    /// The alignment was stored (and audited); the updated badge class.
    case updated(BadgeClassRecord)
    /// No badge class has this id.
    case unknownBadgeClass
}

extension AppDatabase {
    // MARK: Issuers and keys

    /// Stores a new issuer with its first signing key and audits it, in one transaction. False (nothing written)
    /// when an issuer with this id already exists.
    public func createIssuer(_ issuer: IssuerRecord, key: SigningKeyRecord, actor: String, now: Date = Date())
        async throws -> Bool
    {
        try await writer.write { db in
            if try IssuerRecord.exists(db, key: issuer.id) { return false }
            try issuer.insert(db)
            try key.insert(db)
            var event = AuditEventRecord(at: now, actor: actor, action: "issuer.create", subject: issuer.id)
            try event.insert(db)
            return true
        }
    }

    /// Retires the issuer's active keys and stores `key` as the new active one, audited, in one transaction. False
    /// (nothing written) when the issuer does not exist.
    public func rotateSigningKey(to key: SigningKeyRecord, actor: String) async throws -> Bool {
        try await writer.write { db in
            guard try IssuerRecord.exists(db, key: key.issuerID) else { return false }
            try SigningKeyRecord.filter { $0.issuerID == key.issuerID && $0.retiredAt == nil }
                .updateAll(db) { $0.retiredAt.set(to: key.createdAt) }
            try key.insert(db)
            var event = AuditEventRecord(at: key.createdAt, actor: actor, action: "key.rotate", subject: key.id)
            try event.insert(db)
            return true
        }
    }

    /// The issuer's active (newest unretired) signing key.
    public func activeSigningKey(issuerID: String) async throws -> SigningKeyRecord? {
        try await writer.read { db in
            try SigningKeyRecord.filter { $0.issuerID == issuerID && $0.retiredAt == nil }
                .order(\.createdAt.desc).fetchOne(db)
        }
    }

    /// The keys of an issuer (active and retired), oldest first.
    public func signingKeys(issuerID: String) async throws -> [SigningKeyRecord] {
        try await writer.read { db in
            try SigningKeyRecord.filter { $0.issuerID == issuerID }.order { [$0.createdAt, $0.id] }
                .fetchAll(db)
        }
    }

    /// One signing key.
    public func signingKey(id: String) async throws -> SigningKeyRecord? {
        try await writer.read { db in try SigningKeyRecord.fetchOne(db, key: id) }
    }

    /// Every issuer, by id.
    public func issuersByID() async throws -> [IssuerRecord] {
        try await writer.read { db in try IssuerRecord.order(\.id).fetchAll(db) }
    }

    /// One issuer.
    public func issuer(id: String) async throws -> IssuerRecord? {
        try await writer.read { db in try IssuerRecord.fetchOne(db, key: id) }
    }

    /// True when an issuer has this id.
    public func issuerExists(id: String) async throws -> Bool {
        try await writer.read { db in try IssuerRecord.exists(db, key: id) }
    }

    // MARK: Badge classes

    /// Stores a new badge class and audits it, in one transaction. The issuer must exist and the id be free.
    public func createBadgeClass(_ badge: BadgeClassRecord, actor: String, now: Date = Date()) async throws
        -> BadgeClassCreation
    {
        try await writer.write { db in
            guard try IssuerRecord.exists(db, key: badge.issuerID) else { return .unknownIssuer }
            if try BadgeClassRecord.exists(db, key: badge.id) { return .idTaken }
            try badge.insert(db)
            var event = AuditEventRecord(at: now, actor: actor, action: "badge.create", subject: badge.id)
            try event.insert(db)
            return .created
        }
    }

    /// Replaces a badge class's alignment and audits it, in one transaction. `check` sees the updated badge class
    /// before it is written; what it throws rolls everything back.
    public func replaceAlignment(
        badgeID: String, _ alignment: [AlignmentRecord], actor: String, now: Date = Date(),
        check: @escaping @Sendable (BadgeClassRecord) throws -> Void
    ) async throws -> AlignmentUpdate {
        try await writer.write { db in
            guard var b = try BadgeClassRecord.fetchOne(db, key: badgeID) else { return .unknownBadgeClass }
            b.alignment = alignment
            try check(b)
            try b.update(db)
            var event = AuditEventRecord(
                at: now, actor: actor, action: "badge.alignment", subject: b.id, detail: "\(alignment.count) items")
            try event.insert(db)
            return .updated(b)
        }
    }

    /// Badge classes, optionally of one issuer, by id.
    public func badgeClasses(issuerID: String?) async throws -> [BadgeClassRecord] {
        try await writer.read { db in
            var r = BadgeClassRecord.order(\.id)
            if let issuerID { r = r.filter { $0.issuerID == issuerID } }
            return try r.fetchAll(db)
        }
    }

    /// One badge class.
    public func badgeClass(id: String) async throws -> BadgeClassRecord? {
        try await writer.read { db in try BadgeClassRecord.fetchOne(db, key: id) }
    }

    /// True when a badge class has this id.
    public func badgeClassExists(id: String) async throws -> Bool {
        try await writer.read { db in try BadgeClassRecord.exists(db, key: id) }
    }

    // MARK: Awards

    /// Stores a signed award and audits it in one transaction. The unique index on `idempotencyKey` decides
    /// between concurrent awards with the same key: the loser gets the winner's award and `created == false`.
    /// Any other constraint failure is rethrown. A renewal (`renewalOf` set) also marks the earlier award
    /// `renewedBy` in the same transaction, and throws `AwardNotRenewable` (nothing written) when that award is
    /// unknown, revoked or already renewed.
    public func storeAward(_ record: AssertionRecord, ob3: OB3CredentialRecord? = nil, actor: String) async throws
        -> (record: AssertionRecord, created: Bool)
    {
        do {
            try await writer.write { db in
                if let previousID = record.renewalOf {
                    let previous = try AssertionRecord.fetchOne(db, key: previousID)
                    guard var p = previous, !p.isRevoked, p.renewedBy == nil else {
                        throw AwardNotRenewable(previousID: previousID, previous: previous)
                    }
                    p.renewedBy = record.id
                    try p.update(db)
                }
                try record.insert(db)
                try ob3?.insert(db)
                let action = record.renewalOf == nil ? "assertion.award" : "assertion.renew"
                var event = AuditEventRecord(
                    at: record.createdAt, actor: actor, action: action, subject: record.id,
                    detail: record.renewalOf.map { "renews \($0)" })
                try event.insert(db)
            }
            return (record, true)
        } catch let e as DatabaseError where e.resultCode == .SQLITE_CONSTRAINT {
            if let existing = try await assertion(idempotencyKey: record.idempotencyKey) { return (existing, false) }
            throw e
        }
    }

    /// The award with this idempotency key, if any.
    public func assertion(idempotencyKey: String) async throws -> AssertionRecord? {
        try await writer.read { db in
            let statement = try db.cachedStatement(sql: "SELECT * FROM assertion WHERE idempotencyKey = ?")
            return try AssertionRecord.fetchOne(statement, arguments: [idempotencyKey])
        }
    }

    /// Revokes an award with its reason, audited, and sets its bit in the issuer's OB 3.0 revocation status list,
    /// in one transaction; nil when unknown. An award already revoked is returned unchanged (the first reason stays).
    public func revokeAward(id: String, reason: String, actor: String, now: Date = Date()) async throws
        -> AssertionRecord?
    {
        try await writer.write { db in
            guard var a = try AssertionRecord.fetchOne(db, key: id) else { return nil }
            if a.isRevoked { return a }
            a.revokedAt = now
            a.revokedBy = actor
            a.revocationReason = reason
            try a.update(db)
            var event = AuditEventRecord(
                at: now, actor: actor, action: "assertion.revoke", subject: a.id, detail: reason)
            try event.insert(db)
            try Self.setStatusBit(db, assertionID: a.id, purpose: "revocation", now: now)  // OB 3.0 status list
            return a
        }
    }

    /// One award.
    public func assertion(id: String) async throws -> AssertionRecord? {
        try await writer.read { db in try AssertionRecord.fetchOne(db, key: id) }
    }

    /// One award with its badge class.
    public func awardWithBadgeClass(id: String) async throws -> (AssertionRecord, BadgeClassRecord)? {
        try await writer.read { db in
            guard let a = try AssertionRecord.fetchOne(db, key: id),
                let b = try BadgeClassRecord.fetchOne(db, key: a.badgeClassID)
            else { return nil }
            return (a, b)
        }
    }

    /// A page of awards, newest first, with the total count for the filters (all optional; `recipientEmail` is
    /// compared with the stored normalised address; `issuerIDs` limits to these issuers). `page` is 1-based.
    public func awards(
        badgeClassID: String?, issuerID: String?, recipientEmail: String?, revoked: Bool?, page: Int, perPage: Int,
        issuerIDs: [String]? = nil
    ) async throws -> (items: [AssertionRecord], total: Int) {
        let filter = AwardListFilter(
            badgeClassID: badgeClassID, issuerID: issuerID, issuerIDs: issuerIDs, recipientEmail: recipientEmail,
            revoked: revoked)
        let found = try await awardsPage(filter, start: .offset(max(0, page - 1) * max(1, perPage)), perPage: perPage)
        return (found.slice.items, found.total)
    }

    // MARK: Portfolio citations

    /// True when every cited portfolio piece may back an award of `badgeIssuerID`'s to `recipientEmail`: accepted,
    /// its learner not erased, examined for that issuer (a piece submitted to no issuer: the actor must be an
    /// administrator), and the recipient one of the learner's addresses (account email or a verified one). Unknown
    /// pieces answer false.
    public func evidenceMayBeCited(
        evidenceIDs: [String], recipientEmail: String, badgeIssuerID: String, actorID: String
    ) async throws -> Bool {
        let recipient = EmailNormalization.normalize(recipientEmail)
        return try await writer.read { db -> Bool in
            let account = try AccountRecord.fetchOne(db, key: actorID)
            for id in evidenceIDs {
                guard let piece = try EvidenceItemRecord.fetchOne(db, key: id), piece.status == .accepted,
                    let learner = try AccountRecord.fetchOne(db, key: piece.learnerID), learner.erasedAt == nil
                else { return false }
                if let issuerID = piece.issuerID {
                    guard issuerID == badgeIssuerID else { return false }
                } else {
                    guard account?.role == .admin else { return false }
                }
                var addresses = Set(
                    try String.fetchAll(
                        db, sql: "SELECT email FROM learnerEmail WHERE accountID = ? AND verifiedAt IS NOT NULL",
                        arguments: [learner.id]))
                if let e = learner.email { addresses.insert(EmailNormalization.normalize(e)) }
                guard addresses.contains(recipient) else { return false }
            }
            return true
        }
    }
}

/// Storing a renewal found the earlier award unknown (`previous` nil), revoked or already renewed.
public struct AwardNotRenewable: Error, Sendable {
    public let previousID: String
    public let previous: AssertionRecord?
}

/// What storing a new badge class did.
public enum BadgeClassCreation: Sendable, Equatable {
    /// Stored and audited.
    case created
    /// The issuer does not exist (nothing written).
    case unknownIssuer
    /// A badge class already has this id (nothing written).
    case idTaken
}
