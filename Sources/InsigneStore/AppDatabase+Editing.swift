import Foundation
import GRDB

/// What editing a badge class or an issuer did.
public enum RecordEdit<Record: Sendable & Equatable>: Sendable, Equatable {
    /// Stored (and audited when something changed); the record as it is now and the names of the changed fields.
    case updated(Record, changed: [String])
    /// No record has this id (nothing written).
    case unknown
}

/// What deleting a badge class did.
public enum BadgeClassDeletion: Sendable, Equatable {
    /// Deleted and audited.
    case deleted
    /// No badge class has this id.
    case unknownBadgeClass
    /// The badge class has awards (nothing written): archive it instead.
    case hasAwards(Int)
}

extension AppDatabase {
    // MARK: Editing badge classes and issuers

    /// Edits a badge class in one transaction: `change` gets the stored record and returns the new one (what it
    /// throws rolls everything back); the changed fields are written and audited (`badge.update`, detail: the
    /// names of the fields). Nothing is written when nothing changed. The id and the issuer never change.
    public func editBadgeClass(
        id: String, actor: String, now: Date = Date(),
        change: @escaping @Sendable (BadgeClassRecord) throws -> BadgeClassRecord
    ) async throws -> RecordEdit<BadgeClassRecord> {
        try await writer.write { db in
            guard let old = try BadgeClassRecord.fetchOne(db, key: id) else { return .unknown }
            var new = try change(old)
            new.id = old.id
            new.issuerID = old.issuerID
            new.createdAt = old.createdAt
            let changed = Self.changedFields(old, new)
            guard !changed.isEmpty else { return .updated(old, changed: []) }
            try new.update(db)
            var event = AuditEventRecord(
                at: now, actor: actor, action: "badge.update", subject: id, detail: changed.joined(separator: ", "))
            try event.insert(db)
            return .updated(new, changed: changed)
        }
    }

    /// Edits an issuer in one transaction, as `editBadgeClass` does (`issuer.update`). The id, the parent and the
    /// creation date never change.
    public func editIssuer(
        id: String, actor: String, now: Date = Date(),
        change: @escaping @Sendable (IssuerRecord) throws -> IssuerRecord
    ) async throws -> RecordEdit<IssuerRecord> {
        try await writer.write { db in
            guard let old = try IssuerRecord.fetchOne(db, key: id) else { return .unknown }
            var new = try change(old)
            new.id = old.id
            new.parentID = old.parentID
            new.createdAt = old.createdAt
            var changed: [String] = []
            if old.name != new.name { changed.append("name") }
            if old.description != new.description { changed.append("description") }
            if old.url != new.url { changed.append("url") }
            if old.email != new.email { changed.append("email") }
            if old.imageData != new.imageData || old.imageType != new.imageType { changed.append("image") }
            guard !changed.isEmpty else { return .updated(old, changed: []) }
            try new.update(db)
            var event = AuditEventRecord(
                at: now, actor: actor, action: "issuer.update", subject: id, detail: changed.joined(separator: ", "))
            try event.insert(db)
            return .updated(new, changed: changed)
        }
    }

    /// Deletes a badge class that has no awards, audited (`badge.delete`), in one transaction.
    public func deleteBadgeClass(id: String, actor: String, now: Date = Date()) async throws -> BadgeClassDeletion {
        try await writer.write { db in
            guard try BadgeClassRecord.exists(db, key: id) else { return .unknownBadgeClass }
            let awards = try AssertionRecord.filter { $0.badgeClassID == id }.fetchCount(db)
            guard awards == 0 else { return .hasAwards(awards) }
            _ = try BadgeClassRecord.deleteOne(db, key: id)
            var event = AuditEventRecord(at: now, actor: actor, action: "badge.delete", subject: id)
            try event.insert(db)
            return .deleted
        }
    }

    /// The number of awards of a badge class (revoked included).
    public func awardCount(badgeClassID: String) async throws -> Int {
        try await writer.read { db in try AssertionRecord.filter { $0.badgeClassID == badgeClassID }.fetchCount(db) }
    }

    /// The names of the fields that differ between two versions of a badge class.
    static func changedFields(_ old: BadgeClassRecord, _ new: BadgeClassRecord) -> [String] {
        var changed: [String] = []
        if old.name != new.name { changed.append("name") }
        if old.description != new.description { changed.append("description") }
        if old.criteriaNarrative != new.criteriaNarrative || old.criteriaURL != new.criteriaURL {
            changed.append("criteria")
        }
        if old.imageData != new.imageData || old.imageType != new.imageType { changed.append("image") }
        if old.tags != new.tags { changed.append("tags") }
        if old.alignment != new.alignment { changed.append("alignment") }
        if old.validity != new.validity { changed.append("validity") }
        if old.reminderDays != new.reminderDays { changed.append("reminders") }
        if old.archivedAt != new.archivedAt { changed.append(new.archivedAt == nil ? "unarchived" : "archived") }
        return changed
    }
}
