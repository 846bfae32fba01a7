import Foundation
import GRDB
import OpenBadges

/// A piece of evidence with its tags and its file's blob row.
public struct EvidencePiece: Sendable, Equatable {
    public var item: EvidenceItemRecord
    public var tags: [EvidenceAlignmentRecord]
    public var blob: EvidenceBlobRecord?

    /// Wraps a piece read from the store.
    public init(item: EvidenceItemRecord, tags: [EvidenceAlignmentRecord], blob: EvidenceBlobRecord?) {
        self.item = item
        self.tags = tags
        self.blob = blob
    }
}

/// A new file to attach to a piece: its bytes are already on disk under their digest.
public struct EvidenceFileUpload: Sendable, Equatable {
    public var sha256: String
    public var size: Int
    public var mediaType: String
    public var fileName: String

    /// Describes a file written on disk under its digest.
    public init(sha256: String, size: Int, mediaType: String, fileName: String) {
        self.sha256 = sha256
        self.size = size
        self.mediaType = mediaType
        self.fileName = fileName
    }
}

/// The learner's portfolio: invitations, enrolments, evidence and its tags, share links, coverage. Every user
/// action is one transaction, audited in it.
extension AppDatabase {
    // MARK: - Invitations

    /// Stores a new invitation and audits it.
    public func createInvitation(_ record: InvitationRecord, actor: String, now: Date = Date()) async throws {
        try await writer.write { db in
            try record.insert(db)
            var e = AuditEventRecord(
                at: now, actor: actor, action: "learner.invite", subject: String(record.tokenHash.prefix(16)))
            try e.insert(db)
        }
    }

    /// The invitation of a token hash if it can still be accepted (not used, not expired, address not blanked).
    public func openInvitation(tokenHash: String, now: Date = Date()) async throws -> InvitationRecord? {
        try await writer.read { db in
            guard let i = try InvitationRecord.fetchOne(db, key: tokenHash), i.acceptedAt == nil, i.expiresAt > now,
                !i.email.isEmpty
            else { return nil }
            return i
        }
    }

    /// Accepts an invitation once, in one transaction: creates the learner account (login = email), marks the
    /// invitation used, enrols the learner with the invitation's issuer, audits. Nil when already used, expired,
    /// unknown, or when the email is already a login.
    public func acceptInvitation(tokenHash hash: String, passwordHash: String, now: Date = Date()) async throws
        -> AccountRecord?
    {
        try await writer.write { db -> AccountRecord? in
            guard let inv = try InvitationRecord.fetchOne(db, key: hash), inv.acceptedAt == nil, inv.expiresAt > now,
                !inv.email.isEmpty
            else { return nil }
            if try AccountRecord.filter(sql: "login = ? COLLATE NOCASE", arguments: [inv.email]).fetchCount(db) > 0 {
                return nil
            }
            let account = AccountRecord(
                id: UUID().uuidString.lowercased(), login: inv.email, displayName: inv.displayName,
                passwordHash: passwordHash, role: .learner, issuerID: nil, createdAt: now, email: inv.email)
            try account.insert(db)
            try db.execute(
                sql: "UPDATE invitation SET acceptedAt = ?, accountID = ? WHERE tokenHash = ? AND acceptedAt IS NULL",
                arguments: [now, account.id, hash])
            guard db.changesCount == 1 else { throw DatabaseError(resultCode: .SQLITE_CONSTRAINT) }
            if let issuerID = inv.issuerID {
                try LearnerIssuerRecord(learnerID: account.id, issuerID: issuerID, createdAt: now).insert(db)
            }
            var e = AuditEventRecord(at: now, actor: account.id, action: "learner.accept", subject: account.id)
            try e.insert(db)
            return account
        }
    }

    /// The live learner account whose login is this address (case-insensitive); nil for any other account.
    public func liveLearner(login: String) async throws -> AccountRecord? {
        try await writer.read { db in
            try AccountRecord.filter(sql: "login = ? COLLATE NOCASE", arguments: [login]).fetchOne(db)
        }.flatMap { $0.role == .learner && $0.erasedAt == nil ? $0 : nil }
    }

    /// Accepts an invitation once for an existing learner account, in one transaction: marks it used, enrols the
    /// learner with its issuer, audits. Nil when already used, expired, unknown, or not addressed to this account.
    public func joinInvitation(tokenHash hash: String, account: AccountRecord, now: Date = Date()) async throws
        -> AccountRecord?
    {
        try await writer.write { db -> AccountRecord? in
            guard let inv = try InvitationRecord.fetchOne(db, key: hash), inv.acceptedAt == nil, inv.expiresAt > now,
                !inv.email.isEmpty, inv.email.lowercased() == account.login.lowercased()
            else { return nil }
            try db.execute(
                sql: "UPDATE invitation SET acceptedAt = ?, accountID = ? WHERE tokenHash = ? AND acceptedAt IS NULL",
                arguments: [now, account.id, hash])
            guard db.changesCount == 1 else { return nil }
            if let issuerID = inv.issuerID {
                try db.execute(
                    sql: "INSERT OR IGNORE INTO learnerIssuer (learnerID, issuerID, createdAt) VALUES (?, ?, ?)",
                    arguments: [account.id, issuerID, now])
            }
            var e = AuditEventRecord(at: now, actor: account.id, action: "learner.join", subject: account.id)
            e.detail = inv.issuerID.map { "issuer \($0)" }
            try e.insert(db)
            return account
        }
    }

    // MARK: - Enrolments

    /// The issuers a learner is enrolled with, oldest enrolment first.
    public func issuers(ofLearner learnerID: String) async throws -> [IssuerRecord] {
        try await writer.read { db in
            try IssuerRecord.fetchAll(
                db,
                sql: """
                    SELECT i.* FROM issuer i JOIN learnerIssuer l ON l.issuerID = i.id WHERE l.learnerID = ?
                    ORDER BY l.createdAt, i.id
                    """, arguments: [learnerID])
        }
    }

    /// True when the learner is enrolled with this issuer.
    public func isEnrolled(learnerID: String, issuerID: String) async throws -> Bool {
        try await writer.read { db in
            try LearnerIssuerRecord.filter { $0.learnerID == learnerID && $0.issuerID == issuerID }
                .fetchCount(db) > 0
        }
    }

    /// The display name of an account ("" when unknown).
    public func displayName(accountID: String) async throws -> String {
        try await writer.read { db in try AccountRecord.fetchOne(db, key: accountID)?.displayName ?? "" }
    }

    // MARK: - Evidence

    /// A learner's pieces (all, or those in `statuses`), newest first, with tags and blobs.
    public func evidencePieces(learnerID: String, statuses: [EvidenceItemRecord.Status]? = nil) async throws
        -> [EvidencePiece]
    {
        try await writer.read { db in
            var q = EvidenceItemRecord.filter { $0.learnerID == learnerID }
            if let statuses { q = q.filter { statuses.map(\.rawValue).contains($0.status) } }
            let items = try q.order(\.createdAt.desc).fetchAll(db)
            return try items.map { try Self.evidencePiece($0, db) }
        }
    }

    /// One piece by id, with tags and blob.
    public func evidencePiece(id: String) async throws -> EvidencePiece? {
        try await writer.read { db in
            try EvidenceItemRecord.fetchOne(db, key: id).map { try Self.evidencePiece($0, db) }
        }
    }

    /// Reads a piece's tags (by framework then code) and blob.
    static func evidencePiece(_ item: EvidenceItemRecord, _ db: Database) throws -> EvidencePiece {
        let tags = try EvidenceAlignmentRecord.filter { $0.evidenceID == item.id }
            .order { [$0.frameworkID, $0.competencyIDNumber] }.fetchAll(db)
        let blob = try item.blobSHA256.flatMap { try EvidenceBlobRecord.fetchOne(db, key: $0) }
        return EvidencePiece(item: item, tags: tags, blob: blob)
    }

    /// Creates or updates a piece and replaces its tags in one transaction; returns the digests of the blobs left
    /// unreferenced and deleted (the caller removes the files after the commit).
    public func saveEvidence(_ item: EvidenceItemRecord, tags: [EvidenceAlignmentRecord], file: EvidenceFileUpload?)
        async throws -> [String]
    {
        try await writer.write { db -> [String] in
            var item = item
            var candidates: [String] = []
            if let old = try EvidenceItemRecord.fetchOne(db, key: item.id), let sha = old.blobSHA256 {
                candidates.append(sha)
            }
            if let file {
                try db.execute(
                    sql: "INSERT OR IGNORE INTO evidenceBlob (sha256, size, mediaType, createdAt) VALUES (?, ?, ?, ?)",
                    arguments: [file.sha256, file.size, file.mediaType, Date()])
                item.blobSHA256 = file.sha256
                item.fileName = file.fileName
            }
            try item.save(db)
            try EvidenceAlignmentRecord.filter { $0.evidenceID == item.id }.deleteAll(db)
            let mine = tags.map {
                EvidenceAlignmentRecord(
                    evidenceID: item.id, frameworkID: $0.frameworkID, competencyIDNumber: $0.competencyIDNumber)
            }
            for t in Set(mine) { try t.insert(db) }
            return try Self.deleteOrphanBlobs(candidates, db)
        }
    }

    /// Deletes a piece (tags follow) in one transaction; returns the digest of its blob when no other piece uses it
    /// (the caller removes the file after the commit).
    public func deleteEvidence(_ item: EvidenceItemRecord) async throws -> [String] {
        try await writer.write { db -> [String] in
            _ = try EvidenceItemRecord.deleteOne(db, key: item.id)
            return try Self.deleteOrphanBlobs(item.blobSHA256.map { [$0] } ?? [], db)
        }
    }

    /// Moves the learner's draft and changes-requested pieces to submitted, to `issuerID` (nil: the site), and
    /// audits; a piece sent back for changes returns to the issuer that examined it. Returns how many moved.
    public func submitEvidence(learnerID: String, to issuerID: String?, now: Date = Date()) async throws -> Int {
        try await writer.write { db in
            try db.execute(
                sql: """
                    UPDATE evidence SET status = 'submitted', submittedAt = ?, updatedAt = ?,
                        issuerID = CASE WHEN status = 'changesRequested' AND issuerID IS NOT NULL THEN issuerID ELSE ? END
                    WHERE learnerID = ? AND status IN ('draft', 'changesRequested')
                    """, arguments: [now, now, issuerID, learnerID])
            let n = db.changesCount
            if n > 0 {
                var e = AuditEventRecord(
                    at: now, actor: learnerID, action: "evidence.submit", subject: learnerID, detail: "\(n) piece(s)")
                try e.insert(db)
            }
            return n
        }
    }

    /// Competency short names keyed by "frameworkID|idNumber", for the tags shown on pieces.
    public func competencyNamesByCode() async throws -> [String: String] {
        try await writer.read { db in
            var out: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT frameworkID, idNumber, shortName FROM competency") {
                out[(row[0] as String) + "|" + (row[1] as String)] = row[2]
            }
            return out
        }
    }

    /// For each competency code of a framework that a learner's evidence is tagged with: "accepted" when an
    /// accepted piece covers it, else "submitted".
    public func evidenceCoverage(learnerID: String, frameworkID: String) async throws -> [String: String] {
        try await writer.read { db -> [String: String] in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT a.competencyIDNumber, e.status FROM evidenceAlignment a JOIN evidence e ON e.id = a.evidenceID
                    WHERE e.learnerID = ? AND a.frameworkID = ? AND e.status IN ('accepted', 'submitted')
                    """, arguments: [learnerID, frameworkID])
            var out: [String: String] = [:]
            for r in rows {
                let code: String = r[0]
                let status: String = r[1]
                if out[code] != "accepted" { out[code] = status }
            }
            return out
        }
    }

    /// The assertions awarded to one normalised address, newest first, with their badge classes.
    public func awardedBadges(recipientEmail: String) async throws -> [(AssertionRecord, BadgeClassRecord?)] {
        try await writer.read { db in
            try AssertionRecord.filter { $0.recipientEmail == recipientEmail }.order(\.createdAt.desc)
                .fetchAll(db)
                .map { ($0, try BadgeClassRecord.fetchOne(db, key: $0.badgeClassID)) }
        }
    }

    // MARK: - Share links

    /// Stores a share link (by its token's hash) and audits it.
    public func createShareLink(tokenHash: String, learnerID: String, label: String, now: Date = Date()) async throws {
        try await writer.write { db in
            try ShareLinkRecord(tokenHash: tokenHash, learnerID: learnerID, label: label, createdAt: now).insert(db)
            var e = AuditEventRecord(at: now, actor: learnerID, action: "share.create", subject: learnerID)
            try e.insert(db)
        }
    }

    /// The share link of a token hash while it is live: not revoked, its learner not erased.
    public func liveShareLink(tokenHash: String) async throws -> ShareLinkRecord? {
        try await writer.read { db in
            guard let l = try ShareLinkRecord.fetchOne(db, key: tokenHash), l.revokedAt == nil else { return nil }
            guard let a = try AccountRecord.fetchOne(db, key: l.learnerID), a.erasedAt == nil else { return nil }
            return l
        }
    }

    /// A learner's share links, newest first (revoked ones included).
    public func shareLinks(learnerID: String) async throws -> [ShareLinkRecord] {
        try await writer.read { db in
            try ShareLinkRecord.filter { $0.learnerID == learnerID }.order(\.createdAt.desc).fetchAll(db)
        }
    }

    /// Revokes one of the learner's live links and audits it; false when it is not theirs or already revoked.
    public func revokeShareLink(tokenHash: String, learnerID: String, now: Date = Date()) async throws -> Bool {
        try await writer.write { db in
            try db.execute(
                sql: "UPDATE shareLink SET revokedAt = ? WHERE tokenHash = ? AND learnerID = ? AND revokedAt IS NULL",
                arguments: [now, tokenHash, learnerID])
            guard db.changesCount == 1 else { return false }
            var e = AuditEventRecord(at: now, actor: learnerID, action: "share.revoke", subject: learnerID)
            try e.insert(db)
            return true
        }
    }

    // MARK: - Personal data (portfolio part)

    /// Deletes the blob rows among `candidates` that no piece references; returns their digests (the caller removes
    /// the files after the commit).
    static func deleteOrphanBlobs(_ candidates: [String], _ db: Database) throws -> [String] {
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

    /// The portfolio's part of an erasure, inside the caller's transaction: invitations to the learner's
    /// `addresses` or account blanked; evidence (with tags and publication choices), share links and enrolments
    /// deleted; blobs no longer referenced deleted.
    static func erasePortfolioData(accountID id: String, addresses: [String], _ db: Database) throws
        -> (pieces: Int, shareLinks: Int, orphanBlobs: [String])
    {
        for email in addresses {
            try db.execute(
                sql: "UPDATE invitation SET email = '', displayName = '' WHERE email = ? COLLATE NOCASE",
                arguments: [email])
        }
        try db.execute(sql: "UPDATE invitation SET email = '', displayName = '' WHERE accountID = ?", arguments: [id])
        let shas = try String.fetchAll(
            db, sql: "SELECT DISTINCT blobSHA256 FROM evidence WHERE learnerID = ? AND blobSHA256 IS NOT NULL",
            arguments: [id])
        try db.execute(
            sql: "DELETE FROM evidencePublication WHERE evidenceID IN (SELECT id FROM evidence WHERE learnerID = ?)",
            arguments: [id])
        try db.execute(sql: "DELETE FROM evidence WHERE learnerID = ?", arguments: [id])
        let pieces = db.changesCount
        try db.execute(sql: "DELETE FROM shareLink WHERE learnerID = ?", arguments: [id])
        let links = db.changesCount
        try db.execute(sql: "DELETE FROM learnerIssuer WHERE learnerID = ?", arguments: [id])
        return (pieces, links, try deleteOrphanBlobs(shas, db))
    }

    /// A learner's share links, oldest first, for the export.
    public func shareLinksForExport(learnerID: String) async throws -> [ShareLinkRecord] {
        try await writer.read { db in
            try ShareLinkRecord.filter { $0.learnerID == learnerID }.order(\.createdAt).fetchAll(db)
        }
    }
}
