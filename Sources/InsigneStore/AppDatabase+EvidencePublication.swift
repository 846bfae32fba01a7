import Foundation
import GRDB

/// A piece of evidence the learner chose to publish, as anyone holding the badge sees it.
public struct PublishedEvidence: Sendable, Equatable {
    public var publication: EvidencePublicationRecord
    public var item: EvidenceItemRecord
    public var blob: EvidenceBlobRecord?
    public var badgeClass: BadgeClassRecord
}

extension AppDatabase {
    /// Every publication choice of one piece (live and withdrawn).
    public func evidencePublications(evidenceID: String) async throws -> [EvidencePublicationRecord] {
        try await writer.read { db in
            try EvidencePublicationRecord.filter { $0.evidenceID == evidenceID }.order(\.createdAt)
                .fetchAll(db)
        }
    }

    /// Sets the badge classes a learner's piece is published with, in one audited transaction: a newly ticked
    /// class gets its token from `freshTokens`; an unticked one is withdrawn (its public URL answers 404 again).
    /// Unknown badge classes are ignored. False when the piece is not this learner's.
    public func setEvidencePublications(
        evidenceID: String, learnerID: String, badgeClassIDs: Set<String>, freshTokens: [String: String],
        now: Date = Date()
    ) async throws -> Bool {
        try await writer.write { db in
            guard let item = try EvidenceItemRecord.fetchOne(db, key: evidenceID), item.learnerID == learnerID else {
                return false
            }
            let existing = try EvidencePublicationRecord.filter { $0.evidenceID == evidenceID }.fetchAll(db)
            var byBadge: [String: EvidencePublicationRecord] = [:]
            for p in existing { byBadge[p.badgeClassID] = p }
            for badgeID in badgeClassIDs.sorted() {
                guard try BadgeClassRecord.exists(db, key: badgeID), let token = freshTokens[badgeID] else { continue }
                if let p = byBadge[badgeID], p.withdrawnAt == nil { continue }
                try EvidencePublicationRecord(
                    evidenceID: evidenceID, badgeClassID: badgeID, token: token, createdAt: now
                )
                .save(db)
                var e = AuditEventRecord(
                    at: now, actor: learnerID, action: "evidence.publish", subject: evidenceID, detail: badgeID)
                try e.insert(db)
            }
            for p in existing where p.withdrawnAt == nil && !badgeClassIDs.contains(p.badgeClassID) {
                var w = p
                w.withdrawnAt = now
                try w.update(db)
                var e = AuditEventRecord(
                    at: now, actor: learnerID, action: "evidence.withdraw", subject: evidenceID,
                    detail: p.badgeClassID)
                try e.insert(db)
            }
            return true
        }
    }

    /// The badge classes a learner may publish one of their pieces with (nil when the piece is not theirs), sorted by
    /// id. The rule follows who may cite the piece in an award: a piece submitted to an issuer, that issuer's badge
    /// classes; otherwise the badge classes of the issuers the learner is enrolled with; a learner of the site (no
    /// enrolment) with a piece submitted to no issuer, every badge class (only an administrator may cite it).
    public func publishableBadgeClasses(evidenceID: String, learnerID: String) async throws -> [BadgeClassRecord]? {
        try await writer.read { db in
            guard let item = try EvidenceItemRecord.fetchOne(db, key: evidenceID), item.learnerID == learnerID else {
                return nil
            }
            let issuers: [String]
            if let issuerID = item.issuerID {
                issuers = [issuerID]
            } else {
                issuers = try String.fetchAll(
                    db, sql: "SELECT issuerID FROM learnerIssuer WHERE learnerID = ?", arguments: [learnerID])
            }
            var request = BadgeClassRecord.order(\.id)
            if !issuers.isEmpty { request = request.filter { issuers.contains($0.issuerID) } }
            return try request.fetchAll(db)
        }
    }

    /// The live public tokens of some pieces for one badge class, by evidence id.
    public func publicationTokens(evidenceIDs: [String], badgeClassID: String) async throws -> [String: String] {
        try await writer.read { db in
            var out: [String: String] = [:]
            let live = try EvidencePublicationRecord.filter {
                evidenceIDs.contains($0.evidenceID) && $0.badgeClassID == badgeClassID && $0.withdrawnAt == nil
            }
            for p in try live.fetchAll(db) {
                out[p.evidenceID] = p.token
            }
            return out
        }
    }

    /// The piece a public token opens: nil when unknown, withdrawn, no longer accepted, or its learner erased.
    public func publishedEvidence(token: String) async throws -> PublishedEvidence? {
        guard token.utf8.count == 64, token.allSatisfy(\.isHexDigit) else { return nil }
        return try await writer.read { db in
            let publication = try EvidencePublicationRecord.filter { $0.token == token }.fetchOne(db)
            guard let p = publication, p.withdrawnAt == nil,
                let item = try EvidenceItemRecord.fetchOne(db, key: p.evidenceID), item.status == .accepted,
                let learner = try AccountRecord.fetchOne(db, key: item.learnerID), learner.erasedAt == nil,
                let badge = try BadgeClassRecord.fetchOne(db, key: p.badgeClassID)
            else { return nil }
            let blob = try item.blobSHA256.flatMap { try EvidenceBlobRecord.fetchOne(db, key: $0) }
            return PublishedEvidence(publication: p, item: item, blob: blob, badgeClass: badge)
        }
    }
}
