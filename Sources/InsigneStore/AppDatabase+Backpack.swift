import Foundation
import GRDB
import OpenBadges

/// What a learner's backpack lists, read in one go: badges issued here to their verified addresses (with their
/// classes and issuers) and the badges they stored.
public struct BackpackSources: Sendable {
    public var issued: [AssertionRecord]
    public var badgeClasses: [BadgeClassRecord]
    public var issuers: [IssuerRecord]
    public var stored: [BackpackBadgeRecord]
}

/// The outcome of adding an extra address.
public enum LearnerEmailAddition: Sendable, Equatable {
    /// Recorded, unverified.
    case added
    /// Already one of this learner's verified addresses.
    case alreadyYours
    /// Another account's address (login, primary email, or verified extra address).
    case takenByAnother
    /// The learner holds the maximum number of extra addresses.
    case tooMany
}

/// The backpack's rows about one learner, for the personal-data export.
public struct BackpackPersonalRecords: Sendable {
    /// Extra addresses, oldest first (verified or pending).
    public var emails: [LearnerEmailRecord]
    /// Stored badges, oldest first.
    public var badges: [BackpackBadgeRecord]
    /// The public page setting, if ever set.
    public var setting: BackpackSettingRecord?
}

/// The learner's backpack: extra addresses, stored badges, public page. Every user action is one transaction,
/// audited in it.
extension AppDatabase {
    // MARK: - Addresses

    /// The learner's verified addresses, normalised: the primary (from the invitation) first. Empty for an erased or
    /// unknown account.
    public func verifiedLearnerEmails(accountID: String) async throws -> [String] {
        try await writer.read { db in try Self.verifiedLearnerEmails(accountID: accountID, db) }
    }

    /// Reads the learner's verified addresses inside a transaction.
    static func verifiedLearnerEmails(accountID: String, _ db: Database) throws -> [String] {
        guard let account = try AccountRecord.fetchOne(db, key: accountID), account.erasedAt == nil else { return [] }
        var emails: [String] = []
        if let primary = account.email { emails.append(EmailNormalization.normalize(primary)) }
        let extra = try LearnerEmailRecord.filter { $0.accountID == accountID && $0.verifiedAt != nil }
            .order(\.createdAt).fetchAll(db)
        for e in extra where !emails.contains(e.email) { emails.append(e.email) }
        return emails
    }

    /// The learner's extra addresses (verified or pending), oldest first.
    public func learnerEmails(accountID: String) async throws -> [LearnerEmailRecord] {
        try await writer.read { db in
            try LearnerEmailRecord.filter { $0.accountID == accountID }.order(\.createdAt).fetchAll(db)
        }
    }

    /// Records an unverified extra address with its confirmation token's hash, and audits it, in one transaction. A
    /// pending claim of the same address by another account is replaced; a verified one, or another account's login
    /// or primary address, refuses; so does holding `maxAddresses` already.
    public func addLearnerEmail(
        _ email: String, accountID: String, tokenHash: String, maxAddresses: Int, now: Date = Date()
    ) async throws -> LearnerEmailAddition {
        try await writer.write { db -> LearnerEmailAddition in
            let others = try AccountRecord.filter(
                sql: "id <> ? AND (email = ? COLLATE NOCASE OR login = ? COLLATE NOCASE)",
                arguments: [accountID, email, email]
            ).fetchCount(db)
            if others > 0 { return .takenByAnother }
            let existing = try LearnerEmailRecord.filter { $0.email == email }.fetchOne(db)
            if let existing {
                if existing.verifiedAt != nil {
                    return existing.accountID == accountID ? .alreadyYours : .takenByAnother
                }
                try existing.delete(db)
            }
            let count = try LearnerEmailRecord.filter { $0.accountID == accountID }.fetchCount(db)
            if count >= maxAddresses { return .tooMany }
            try LearnerEmailRecord(
                accountID: accountID, email: email, verifiedAt: nil, verificationTokenHash: tokenHash, createdAt: now
            ).insert(db)
            var e = AuditEventRecord(at: now, actor: accountID, action: "backpack.email.add", subject: accountID)
            try e.insert(db)
            return .added
        }
    }

    /// The address waiting for confirmation under this token hash (any account, any age).
    public func pendingLearnerEmail(tokenHash: String) async throws -> LearnerEmailRecord? {
        try await writer.read { db in
            try LearnerEmailRecord.filter { $0.verificationTokenHash == tokenHash }.fetchOne(db)
        }
    }

    /// Marks the token hash's address verified for this account and audits it, in one transaction; nil when the
    /// token is unknown, used, someone else's, or the address became another account's meanwhile.
    public func confirmLearnerEmail(tokenHash: String, accountID: String, now: Date = Date()) async throws -> String? {
        try await writer.write { db -> String? in
            let pending = try LearnerEmailRecord.filter { $0.verificationTokenHash == tokenHash }.fetchOne(db)
            guard var r = pending, r.accountID == accountID, r.verifiedAt == nil
            else { return nil }
            let others = try AccountRecord.filter(
                sql: "id <> ? AND (email = ? COLLATE NOCASE OR login = ? COLLATE NOCASE)",
                arguments: [accountID, r.email, r.email]
            ).fetchCount(db)
            if others > 0 { return nil }
            r.verifiedAt = now
            r.verificationTokenHash = nil
            try r.update(db)
            var e = AuditEventRecord(at: now, actor: accountID, action: "backpack.email.confirm", subject: accountID)
            try e.insert(db)
            return r.email
        }
    }

    /// Removes one of the learner's extra addresses and audits it; false when it is not theirs.
    public func removeLearnerEmail(_ email: String, accountID: String, now: Date = Date()) async throws -> Bool {
        try await writer.write { db in
            try LearnerEmailRecord.filter { $0.accountID == accountID && $0.email == email }.deleteAll(db)
            guard db.changesCount == 1 else { return false }
            var e = AuditEventRecord(at: now, actor: accountID, action: "backpack.email.remove", subject: accountID)
            try e.insert(db)
            return true
        }
    }

    // MARK: - Badges

    /// Everything the learner's backpack lists, read in one transaction.
    public func backpackSources(learnerID: String) async throws -> BackpackSources {
        try await writer.read { db in
            let emails = try Self.verifiedLearnerEmails(accountID: learnerID, db)
            let issued =
                emails.isEmpty ? [] : try AssertionRecord.filter { emails.contains($0.recipientEmail) }.fetchAll(db)
            let badgeIDs = Set(issued.map(\.badgeClassID))
            let badges = try BadgeClassRecord.fetchAll(db, keys: Array(badgeIDs))
            let issuers = try IssuerRecord.fetchAll(db, keys: Array(Set(badges.map(\.issuerID))))
            let stored = try BackpackBadgeRecord.filter { $0.learnerID == learnerID }.fetchAll(db)
            return BackpackSources(issued: issued, badgeClasses: badges, issuers: issuers, stored: stored)
        }
    }

    /// One of the learner's stored badges (nil when unknown or someone else's).
    public func backpackBadge(id: String, learnerID: String) async throws -> BackpackBadgeRecord? {
        try await writer.read { db in
            guard let r = try BackpackBadgeRecord.fetchOne(db, key: id), r.learnerID == learnerID else { return nil }
            return r
        }
    }

    /// Stores a verified badge in the learner's backpack and audits it, in one transaction. A badge already there
    /// (same learner and assertion id) is updated in place: it keeps its id, creation date, source, and original
    /// file unless a new one is given. Returns the stored record and whether it was an update.
    public func keepBackpackBadge(_ fresh: BackpackBadgeRecord, now: Date = Date()) async throws
        -> (record: BackpackBadgeRecord, updated: Bool)
    {
        try await writer.write { db in
            let existing =
                try BackpackBadgeRecord
                .filter { $0.learnerID == fresh.learnerID && $0.assertionID == fresh.assertionID }
                .fetchOne(db)
            var r = fresh
            if let existing {
                r.id = existing.id
                r.originalData = fresh.originalData ?? existing.originalData
                r.originalType = fresh.originalType ?? existing.originalType
                r.createdAt = existing.createdAt
                r.source = existing.source
            }
            try r.save(db)
            var event = AuditEventRecord(
                at: now, actor: fresh.learnerID, action: existing == nil ? "backpack.import" : "backpack.update",
                subject: r.id, detail: fresh.source.rawValue)
            try event.insert(db)
            return (r, existing != nil)
        }
    }

    /// Records a stored badge's new verification state (the badge is kept whatever the outcome).
    public func recordBackpackBadgeState(_ record: BackpackBadgeRecord, outcome: String, now: Date = Date())
        async throws -> BackpackBadgeRecord
    {
        try await writer.write { db in
            var updated = record
            updated.outcome = outcome
            updated.verifiedAt = now
            updated.updatedAt = now
            try updated.save(db)
            return updated
        }
    }

    /// Deletes one stored badge and audits it, in one transaction.
    public func deleteBackpackBadge(_ record: BackpackBadgeRecord, actor: String, now: Date = Date()) async throws {
        try await writer.write { db in
            _ = try record.delete(db)
            var e = AuditEventRecord(at: now, actor: actor, action: "backpack.delete", subject: record.id)
            try e.insert(db)
        }
    }

    // MARK: - Public page

    /// The slug of the learner's public page, nil while private.
    public func backpackPublicSlug(accountID: String) async throws -> String? {
        try await writer.read { db in try BackpackSettingRecord.fetchOne(db, key: accountID)?.publicSlug }
    }

    /// Opens (with `freshSlug`, unless already open: the slug is kept while open) or closes the public page, and
    /// audits it, in one transaction; returns the slug while open.
    public func setBackpackPublic(_ open: Bool, accountID: String, freshSlug: String, now: Date = Date()) async throws
        -> String?
    {
        try await writer.write { db -> String? in
            var s =
                try BackpackSettingRecord.fetchOne(db, key: accountID) ?? BackpackSettingRecord(accountID: accountID)
            if open, s.publicSlug != nil { return s.publicSlug }
            s.publicSlug = open ? freshSlug : nil
            s.publicSince = open ? now : nil
            try s.save(db)
            var e = AuditEventRecord(
                at: now, actor: accountID, action: open ? "backpack.public.open" : "backpack.public.close",
                subject: accountID)
            try e.insert(db)
            return s.publicSlug
        }
    }

    /// The live learner whose public page this slug opens (nil when unknown, closed or erased).
    public func publicBackpackOwner(slug: String) async throws -> AccountRecord? {
        try await writer.read { db in
            let setting = try BackpackSettingRecord.filter { $0.publicSlug == slug }.fetchOne(db)
            guard let s = setting, let a = try AccountRecord.fetchOne(db, key: s.accountID), a.erasedAt == nil,
                a.role == .learner
            else { return nil }
            return a
        }
    }

    // MARK: - Personal data (backpack part)

    /// The backpack's rows about a learner, for the export.
    public func backpackPersonalRecords(accountID: String) async throws -> BackpackPersonalRecords {
        try await writer.read { db in
            BackpackPersonalRecords(
                emails: try LearnerEmailRecord.filter { $0.accountID == accountID }.order(\.createdAt)
                    .fetchAll(db),
                badges: try BackpackBadgeRecord.filter { $0.learnerID == accountID }.order(\.createdAt)
                    .fetchAll(db),
                setting: try BackpackSettingRecord.fetchOne(db, key: accountID))
        }
    }

    /// Every extra address of the learner, confirmed or not (read inside the caller's transaction).
    static func allLearnerEmails(accountID: String, _ db: Database) throws -> [String] {
        try String.fetchAll(db, sql: "SELECT email FROM learnerEmail WHERE accountID = ?", arguments: [accountID])
    }

    /// The learner's confirmed extra addresses, oldest first (read inside the caller's transaction).
    static func confirmedLearnerEmails(accountID: String, _ db: Database) throws -> [String] {
        try String.fetchAll(
            db, sql: "SELECT email FROM learnerEmail WHERE accountID = ? AND verifiedAt IS NOT NULL ORDER BY createdAt",
            arguments: [accountID])
    }

    /// The backpack's part of an erasure, inside the caller's transaction: stored badges, extra addresses and the
    /// public page setting deleted.
    static func eraseBackpackData(accountID id: String, _ db: Database) throws {
        try db.execute(sql: "DELETE FROM backpackBadge WHERE learnerID = ?", arguments: [id])
        try db.execute(sql: "DELETE FROM learnerEmail WHERE accountID = ?", arguments: [id])
        try db.execute(sql: "DELETE FROM backpackSetting WHERE accountID = ?", arguments: [id])
    }
}
