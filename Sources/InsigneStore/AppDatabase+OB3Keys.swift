import Foundation
import GRDB

extension AppDatabase {
    // MARK: Ed25519 keys of OB 3.0 Data Integrity proofs

    /// Stores `key` as its issuer's active Data Integrity key. With `retiringOthers`, the issuer's active key is
    /// retired first (a rotation, audited); without, nothing is written when the issuer already has an active key
    /// (two first uses at once: one wins). False when nothing was written (or the issuer does not exist).
    public func addDataIntegrityKey(_ key: DataIntegrityKeyRecord, retiringOthers: Bool, actor: String) async throws
        -> Bool
    {
        try await writer.write { db in
            guard try IssuerRecord.exists(db, key: key.issuerID) else { return false }
            let active = DataIntegrityKeyRecord.filter { $0.issuerID == key.issuerID && $0.retiredAt == nil }
            if retiringOthers {
                try active.updateAll(db) { $0.retiredAt.set(to: key.createdAt) }
            } else if try active.fetchCount(db) > 0 {
                return false
            }
            try key.insert(db)
            var event = AuditEventRecord(
                at: key.createdAt, actor: actor, action: retiringOthers ? "key.rotate" : "key.create", subject: key.id)
            try event.insert(db)
            return true
        }
    }

    /// The issuer's active Data Integrity key.
    public func activeDataIntegrityKey(issuerID: String) async throws -> DataIntegrityKeyRecord? {
        try await writer.read { db in
            try DataIntegrityKeyRecord.filter { $0.issuerID == issuerID && $0.retiredAt == nil }.fetchOne(db)
        }
    }

    /// The issuer's Data Integrity keys (active and retired), oldest first.
    public func dataIntegrityKeys(issuerID: String) async throws -> [DataIntegrityKeyRecord] {
        try await writer.read { db in
            try DataIntegrityKeyRecord.filter { $0.issuerID == issuerID }.order { [$0.createdAt, $0.id] }.fetchAll(db)
        }
    }

    /// One Data Integrity key.
    public func dataIntegrityKey(id: String) async throws -> DataIntegrityKeyRecord? {
        try await writer.read { db in try DataIntegrityKeyRecord.fetchOne(db, key: id) }
    }

    /// The ids of the issuers without an active Data Integrity key (issuers created before OB 3.0 issuing).
    public func issuersWithoutDataIntegrityKey() async throws -> [String] {
        try await writer.read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT id FROM issuer WHERE id NOT IN
                    (SELECT issuerID FROM dataIntegrityKey WHERE retiredAt IS NULL) ORDER BY id
                    """)
        }
    }
}
