import Foundation
import GRDB

/// OB 3.0 credentials of awards (issue 13): stored once, signed outside the write transaction.
extension AppDatabase {
    /// The OB 3.0 form of an award, if made.
    public func ob3Credential(assertionID: String) async throws -> OB3CredentialRecord? {
        try await writer.read { db in try OB3CredentialRecord.fetchOne(db, key: assertionID) }
    }

    /// Stores the OB 3.0 form of an existing award unless one is already stored (then that one comes back with
    /// `created == false`: the first signed bytes stay). Nil when the award does not exist.
    public func storeOB3Credential(_ record: OB3CredentialRecord, actor: String) async throws
        -> (record: OB3CredentialRecord, created: Bool)?
    {
        try await writer.write { db in
            guard try AssertionRecord.exists(db, key: record.assertionID) else { return nil }
            if let existing = try OB3CredentialRecord.fetchOne(db, key: record.assertionID) {
                return (existing, false)
            }
            try record.insert(db)
            var event = AuditEventRecord(
                at: record.createdAt, actor: actor, action: "assertion.ob3", subject: record.assertionID,
                detail: nil)
            try event.insert(db)
            return (record, true)
        }
    }

    /// Ids of awards without an OB 3.0 form, oldest first (backfill), at most `limit`.
    public func awardsWithoutOB3Credential(limit: Int) async throws -> [String] {
        try await writer.read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT a.id FROM assertion a LEFT JOIN ob3Credential c ON c.assertionID = a.id
                    WHERE c.assertionID IS NULL ORDER BY a.createdAt, a.id LIMIT ?
                    """, arguments: [limit])
        }
    }

    /// The OB 3.0 form of an award with its badge class (baked images).
    public func ob3CredentialWithBadgeClass(assertionID: String) async throws
        -> (OB3CredentialRecord, BadgeClassRecord)?
    {
        try await writer.read { db in
            guard let c = try OB3CredentialRecord.fetchOne(db, key: assertionID),
                let a = try AssertionRecord.fetchOne(db, key: assertionID),
                let b = try BadgeClassRecord.fetchOne(db, key: a.badgeClassID)
            else { return nil }
            return (c, b)
        }
    }
}
