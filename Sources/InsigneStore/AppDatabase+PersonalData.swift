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
    /// The learner's addresses that badges may have been awarded to: the primary one and the confirmed extra ones.
    static func confirmedEmails(accountID: String, primaryEmail: String?, _ db: Database) throws -> [String] {
        var out: [String] = []
        if let p = primaryEmail, !p.isEmpty { out.append(EmailNormalization.normalize(p)) }
        for e in try confirmedLearnerEmails(accountID: accountID, db) where !out.contains(e) {
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
            var invitations = try InvitationRecord.filter { $0.accountID == accountID }.fetchAll(db)
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
                : try AssertionRecord.filter { emails.contains($0.recipientEmail) }
                    .order(\.createdAt.desc).fetchAll(db)
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
            let codes = try OAuthCodeRecord.filter { $0.accountID == accountID }.order(\.expiresAt)
                .fetchAll(db)
            let tokens = try OAuthTokenRecord.filter { $0.accountID == accountID }.order(\.createdAt)
                .fetchAll(db)
            let clientIDs = Set(codes.map(\.clientID) + tokens.map(\.clientID))
            let clients = try OAuthClientRecord.filter { clientIDs.contains($0.id) }.order(\.createdAt)
                .fetchAll(db)
            return LearnerPersonalRecords(
                invitations: invitations, confirmedEmails: emails, assertions: assertions, badgeClasses: classes,
                publications: publications, oauthClients: clients, oauthCodes: codes, oauthTokens: tokens,
                enrolments: try LearnerIssuerRecord.filter { $0.learnerID == accountID }
                    .order(\.createdAt).fetchAll(db))
        }
    }

    /// The audit events about a learner, oldest first: those whose subject is one of `subjects` (their account,
    /// pieces, badges, addresses) or whose actor is the learner.
    public func personalAuditEvents(accountID: String, subjects: [String]) async throws -> [AuditEventRecord] {
        try await writer.read { db in
            try AuditEventRecord.filter { subjects.contains($0.subject) || $0.actor == accountID }
                .order(\.at).fetchAll(db)
        }
    }

    /// Erases a learner in one transaction, each feature erasing its part. Deleted: evidence (with its tags and
    /// publication choices), share links, enrolments (`erasePortfolioData`); backpack badges, extra addresses and
    /// settings (`eraseBackpackData`); the establishments' roster entries under their addresses
    /// (`eraseRosterData`); sessions, API tokens, Badge Connect codes and tokens; the blobs no longer
    /// referenced. Blanked: their invitations, the account (kept as a tombstone so ids in the audit stay
    /// meaningless but consistent), the private columns of the assertions awarded to any of their confirmed
    /// addresses (the assertions stay verifiable), and audit subjects naming those addresses. Audited without any
    /// personal data.
    public func eraseLearner(accountID id: String, primaryEmail: String?, now: Date = Date()) async throws
        -> LearnerErasure
    {
        try await writer.write { db in
            let emails = try Self.confirmedEmails(accountID: id, primaryEmail: primaryEmail, db)
            var addresses = emails
            for e in try Self.allLearnerEmails(accountID: id, db) where !addresses.contains(e) {
                addresses.append(e)
            }
            var primary: [String] = []
            if let p = primaryEmail, !p.isEmpty { primary.append(p) }
            let assertions = try Self.blankAwardsAndAudit(accountID: id, emails: emails, primaryEmail: primary, db)
            let portfolio = try Self.erasePortfolioData(accountID: id, addresses: emails + primary, db)
            try Self.eraseBackpackData(accountID: id, db)
            _ = try Self.eraseRosterData(emails: emails, db)  // confirmed addresses only: never a colleague's entry
            try Self.eraseClaimTokens(accountID: id, addresses: addresses + primary, db)
            let oauthRows = try Self.eraseAccount(accountID: id, now: now, db)
            var e = AuditEventRecord(
                at: now, actor: id, action: "account.erase", subject: id,
                detail:
                    "evidence \(portfolio.pieces), files \(portfolio.orphanBlobs.count), share links \(portfolio.shareLinks), assertions blanked \(assertions), Badge Connect rows \(oauthRows)"
            )
            try e.insert(db)
            return LearnerErasure(
                pieces: portfolio.pieces, shareLinks: portfolio.shareLinks, assertions: assertions,
                oauthRows: oauthRows, orphanBlobs: portfolio.orphanBlobs, addresses: addresses)
        }
    }

    /// The issuing part of an erasure: blanks the private columns of the assertions awarded to `emails` and the
    /// audit subjects naming them or the primary address as typed (failed sign-ins are logged under the login
    /// typed: that is the email). Returns how many assertions were blanked.
    static func blankAwardsAndAudit(accountID id: String, emails: [String], primaryEmail: [String], _ db: Database)
        throws -> Int
    {
        var assertions = 0
        for email in emails {
            try db.execute(
                sql: "UPDATE assertion SET recipientEmail = '', recipientName = NULL WHERE recipientEmail = ?",
                arguments: [email])
            assertions += db.changesCount
            try db.execute(
                sql: "UPDATE auditEvent SET subject = ? WHERE subject = ? COLLATE NOCASE",
                arguments: ["erased-\(id)", email])
        }
        for p in primaryEmail {
            try db.execute(
                sql: "UPDATE auditEvent SET subject = ? WHERE subject = ? COLLATE NOCASE",
                arguments: ["erased-\(id)", p])
        }
        return assertions
    }

    /// The account part of an erasure: sessions, API tokens, password reset links, Badge Connect codes and tokens
    /// deleted, the account blanked into a tombstone. Returns how many Badge Connect rows went.
    static func eraseAccount(accountID id: String, now: Date, _ db: Database) throws -> Int {
        try db.execute(sql: "DELETE FROM webSession WHERE accountID = ?", arguments: [id])
        try db.execute(sql: "DELETE FROM apiToken WHERE accountID = ?", arguments: [id])
        try db.execute(sql: "DELETE FROM passwordReset WHERE accountID = ?", arguments: [id])
        try db.execute(sql: "DELETE FROM oauthCode WHERE accountID = ?", arguments: [id])
        var oauthRows = db.changesCount
        try db.execute(sql: "DELETE FROM oauthToken WHERE accountID = ?", arguments: [id])
        oauthRows += db.changesCount
        try db.execute(
            sql: """
                UPDATE account SET login = ?, displayName = '—', email = NULL, passwordHash = NULL, erasedAt = ?
                WHERE id = ?
                """, arguments: ["erased-\(id)", now, id])
        return oauthRows
    }
}
