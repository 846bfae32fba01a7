import Foundation
import GRDB
import OpenBadges

/// The rows about one learner that the RGPD export reads beyond their portfolio and backpack.
public struct LearnerPersonalRecords: Sendable {
    /// Invitations sent to them (by account or address).
    public var invitations: [InvitationRecord]
    /// The primary address then the confirmed extra ones, normalised.
    public var confirmedEmails: [String]
    /// Badges awarded here to any confirmed address, newest first.
    public var assertions: [AssertionRecord]
    /// The badge classes of those badges, by id.
    public var badgeClasses: [String: BadgeClassRecord]
    /// Their choices to publish evidence with a badge class.
    public var publications: [EvidencePublicationRecord]
    /// The Badge Connect applications they granted access to.
    public var oauthClients: [OAuthClientRecord]
    /// Their authorisation codes and tokens (hashes included: the caller must not export them).
    public var oauthCodes: [OAuthCodeRecord]
    public var oauthTokens: [OAuthTokenRecord]
    /// The establishments they are enrolled with (one row per issuer that invited them).
    public var enrolments: [LearnerIssuerRecord] = []
}

/// What an erasure removed.
public struct LearnerErasure: Sendable, Equatable {
    public var pieces: Int
    public var shareLinks: Int
    public var assertions: Int
    public var oauthRows: Int
    /// Evidence files no longer referenced: the caller removes them from disk after the commit.
    public var orphanBlobs: [String]
    /// Every address the learner had here (primary, extra ones confirmed or not), normalised, read before they were
    /// blanked: the caller removes what it keeps outside the database under them (the mail outbox).
    public var addresses: [String] = []
}

extension AppDatabase {
    /// Deletes the blob rows among `candidates` that no piece references; returns their digests (the caller removes
    /// the files after the commit).
    public static func deleteOrphanBlobs(_ candidates: [String], _ db: Database) throws -> [String] {
        var gone: [String] = []
        for sha in Set(candidates) {
            try db.execute(
                sql:
                    "DELETE FROM evidenceBlob WHERE sha256 = ? AND NOT EXISTS (SELECT 1 FROM evidence WHERE blobSHA256 = ?)",
                arguments: [sha, sha])
            if db.changesCount > 0 { gone.append(sha) }
        }
        return gone
    }

    /// The learner's addresses that badges may have been awarded to: the primary one and the confirmed extra ones.
    static func confirmedEmails(accountID: String, primaryEmail: String?, _ db: Database) throws -> [String] {
        var out: [String] = []
        if let p = primaryEmail, !p.isEmpty { out.append(EmailNormalization.normalize(p)) }
        for e in try String.fetchAll(
            db, sql: "SELECT email FROM learnerEmail WHERE accountID = ? AND verifiedAt IS NOT NULL ORDER BY createdAt",
            arguments: [accountID]) where !out.contains(e)
        {
            out.append(e)
        }
        return out
    }

    /// Reads the learner's invitations, badges under every confirmed address, publication choices and Badge Connect
    /// grants.
    public func learnerPersonalRecords(accountID: String, primaryEmail: String?) async throws
        -> LearnerPersonalRecords
    {
        try await writer.read { db in
            let emails = try Self.confirmedEmails(accountID: accountID, primaryEmail: primaryEmail, db)
            var invitations = try InvitationRecord.filter(Column("accountID") == accountID).fetchAll(db)
            if let p = primaryEmail, !p.isEmpty {
                for i in try InvitationRecord.filter(sql: "email = ? COLLATE NOCASE", arguments: [p]).fetchAll(db)
                where !invitations.contains(where: { $0.tokenHash == i.tokenHash }) {
                    invitations.append(i)
                }
            }
            invitations.sort { $0.createdAt < $1.createdAt }
            let assertions =
                emails.isEmpty
                ? []
                : try AssertionRecord.filter(emails.contains(Column("recipientEmail")))
                    .order(Column("createdAt").desc).fetchAll(db)
            var classes: [String: BadgeClassRecord] = [:]
            for a in assertions where classes[a.badgeClassID] == nil {
                classes[a.badgeClassID] = try BadgeClassRecord.fetchOne(db, key: a.badgeClassID)
            }
            let publications = try EvidencePublicationRecord.fetchAll(
                db,
                sql: """
                    SELECT p.* FROM evidencePublication p JOIN evidence e ON e.id = p.evidenceID
                    WHERE e.learnerID = ? ORDER BY p.createdAt
                    """, arguments: [accountID])
            let codes = try OAuthCodeRecord.filter(Column("accountID") == accountID).order(Column("expiresAt"))
                .fetchAll(db)
            let tokens = try OAuthTokenRecord.filter(Column("accountID") == accountID).order(Column("createdAt"))
                .fetchAll(db)
            let clientIDs = Set(codes.map(\.clientID) + tokens.map(\.clientID))
            let clients = try OAuthClientRecord.filter(clientIDs.contains(Column("id"))).order(Column("createdAt"))
                .fetchAll(db)
            return LearnerPersonalRecords(
                invitations: invitations, confirmedEmails: emails, assertions: assertions, badgeClasses: classes,
                publications: publications, oauthClients: clients, oauthCodes: codes, oauthTokens: tokens,
                enrolments: try LearnerIssuerRecord.filter(Column("learnerID") == accountID)
                    .order(Column("createdAt")).fetchAll(db))
        }
    }

    /// Erases a learner in one transaction. Deleted: evidence (with its tags and publication choices), share links,
    /// sessions, API tokens, Badge Connect codes and tokens, backpack badges, extra addresses and settings, and the
    /// blobs no longer referenced. Blanked: their invitations, the account (kept as a tombstone so ids in the audit
    /// stay meaningless but consistent), the private columns of the assertions awarded to any of their confirmed
    /// addresses (the assertions stay verifiable), and audit subjects naming those addresses. Audited without any
    /// personal data.
    public func eraseLearner(accountID id: String, primaryEmail: String?, now: Date = Date()) async throws
        -> LearnerErasure
    {
        try await writer.write { db in
            let emails = try Self.confirmedEmails(accountID: id, primaryEmail: primaryEmail, db)
            var addresses = emails
            for e in try String.fetchAll(db, sql: "SELECT email FROM learnerEmail WHERE accountID = ?", arguments: [id])
            where !addresses.contains(e) {
                addresses.append(e)
            }
            var assertions = 0
            for email in emails {
                try db.execute(
                    sql: "UPDATE assertion SET recipientEmail = '', recipientName = NULL WHERE recipientEmail = ?",
                    arguments: [email])
                assertions += db.changesCount
                // Failed sign-ins are logged under the login typed: that is the email.
                try db.execute(
                    sql: "UPDATE auditEvent SET subject = ? WHERE subject = ? COLLATE NOCASE",
                    arguments: ["erased-\(id)", email])
                try db.execute(
                    sql: "UPDATE invitation SET email = '', displayName = '' WHERE email = ? COLLATE NOCASE",
                    arguments: [email])
            }
            if let p = primaryEmail, !p.isEmpty {
                try db.execute(
                    sql: "UPDATE auditEvent SET subject = ? WHERE subject = ? COLLATE NOCASE",
                    arguments: ["erased-\(id)", p])
                try db.execute(
                    sql: "UPDATE invitation SET email = '', displayName = '' WHERE email = ? COLLATE NOCASE",
                    arguments: [p])
            }
            try db.execute(
                sql: "UPDATE invitation SET email = '', displayName = '' WHERE accountID = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM backpackBadge WHERE learnerID = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM learnerEmail WHERE accountID = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM backpackSetting WHERE accountID = ?", arguments: [id])
            let shas = try String.fetchAll(
                db, sql: "SELECT DISTINCT blobSHA256 FROM evidence WHERE learnerID = ? AND blobSHA256 IS NOT NULL",
                arguments: [id])
            try db.execute(
                sql:
                    "DELETE FROM evidencePublication WHERE evidenceID IN (SELECT id FROM evidence WHERE learnerID = ?)",
                arguments: [id])
            try db.execute(sql: "DELETE FROM evidence WHERE learnerID = ?", arguments: [id])
            let pieces = db.changesCount
            try db.execute(sql: "DELETE FROM shareLink WHERE learnerID = ?", arguments: [id])
            let links = db.changesCount
            try db.execute(sql: "DELETE FROM learnerIssuer WHERE learnerID = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM webSession WHERE accountID = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM apiToken WHERE accountID = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM oauthCode WHERE accountID = ?", arguments: [id])
            var oauthRows = db.changesCount
            try db.execute(sql: "DELETE FROM oauthToken WHERE accountID = ?", arguments: [id])
            oauthRows += db.changesCount
            try db.execute(
                sql: """
                    UPDATE account SET login = ?, displayName = '—', email = NULL, passwordHash = NULL, erasedAt = ?
                    WHERE id = ?
                    """, arguments: ["erased-\(id)", now, id])
            let orphans = try Self.deleteOrphanBlobs(shas, db)
            var e = AuditEventRecord(
                at: now, actor: id, action: "account.erase", subject: id,
                detail:
                    "evidence \(pieces), files \(orphans.count), share links \(links), assertions blanked \(assertions), Badge Connect rows \(oauthRows)"
            )
            try e.insert(db)
            return LearnerErasure(
                pieces: pieces, shareLinks: links, assertions: assertions, oauthRows: oauthRows, orphanBlobs: orphans,
                addresses: addresses)
        }
    }
}
