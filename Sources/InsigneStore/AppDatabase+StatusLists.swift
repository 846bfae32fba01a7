import Foundation
import GRDB
import OpenBadgesCrypto

/// Reserving a status list index failed: the issuer does not exist, or its list has no free index left.
public struct StatusListFull: Error, Sendable, Equatable {
    /// The issuer.
    public let issuerID: String
    /// False when the issuer does not exist.
    public let issuerExists: Bool
}

extension AppDatabase {
    // MARK: Bitstring status lists (OB 3.0 revocation)

    /// The award's index in the issuer's `purpose` list: a uniformly random free index in 0..<131,072, drawn and
    /// stored in one write transaction (a taken index is drawn again), so that no index reveals the order of
    /// issuance. Idempotent: an award that already has an index gets it back. Called before the award is stored.
    public func reserveStatusListIndex(
        issuerID: String, assertionID: String, purpose: String = "revocation", now: Date = Date()
    ) async throws -> Int {
        try await writer.write { db in
            if let existing = try StatusListEntryRecord.filter({ $0.assertionID == assertionID }).fetchOne(db) {
                return existing.listIndex
            }
            guard try IssuerRecord.exists(db, key: issuerID) else {
                throw StatusListFull(issuerID: issuerID, issuerExists: false)
            }
            let index = try Self.freeStatusListIndex(db, issuerID: issuerID, purpose: purpose)
            try StatusListEntryRecord(
                issuerID: issuerID, purpose: purpose, listIndex: index, assertionID: assertionID, createdAt: now
            ).insert(db)
            // An award revoked before its OB 3.0 form existed (backfill): its bit is set at once.
            if try AssertionRecord.filter({ $0.id == assertionID && $0.revokedAt != nil }).fetchCount(db) > 0 {
                try Self.setStatusBit(db, assertionID: assertionID, purpose: purpose, now: now)
            }
            return index
        }
    }

    /// A uniformly random free index: random draws first; when the list is nearly full, a random pick among the
    /// free indices left.
    static func freeStatusListIndex(_ db: Database, issuerID: String, purpose: String) throws -> Int {
        let size = StatusListRecord.size
        let taken = StatusListEntryRecord.filter { $0.issuerID == issuerID && $0.purpose == purpose }
        for _ in 0..<32 {
            let index = try randomIndex(below: size)
            if try taken.filter({ $0.listIndex == index }).fetchCount(db) == 0 { return index }
        }
        let used = Set(try Int.fetchAll(db, taken.select(StatusListEntryRecord.Columns.listIndex)))
        let free = (0..<size).filter { !used.contains($0) }
        guard !free.isEmpty else { throw StatusListFull(issuerID: issuerID, issuerExists: true) }
        return free[try randomIndex(below: free.count)]
    }

    /// A uniformly random integer in 0..<bound from the CSPRNG (rejection sampling: no modulo bias).
    static func randomIndex(below bound: Int) throws -> Int {
        let limit = UInt32.max - UInt32.max % UInt32(bound)
        while true {
            let b = try SecureRandom.bytes(count: 4)
            let v = b.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            if v < limit { return Int(v % UInt32(bound)) }
        }
    }

    /// The award's reserved status list entry, if any.
    public func statusListEntry(assertionID: String) async throws -> StatusListEntryRecord? {
        try await writer.read { db in
            try StatusListEntryRecord.filter { $0.assertionID == assertionID }.fetchOne(db)
        }
    }

    /// The issuer's `purpose` list: the stored bits, or an all-zero list dated from the issuer's creation when no
    /// bit was ever set; nil when the issuer does not exist.
    public func statusList(issuerID: String, purpose: String = "revocation") async throws -> StatusListRecord? {
        try await writer.read { db in
            guard let issuer = try IssuerRecord.fetchOne(db, key: issuerID) else { return nil }
            let stored = try StatusListRecord.filter { $0.issuerID == issuerID && $0.purpose == purpose }.fetchOne(db)
            return stored ?? .empty(issuerID: issuerID, purpose: purpose, at: issuer.createdAt)
        }
    }

    /// Sets the award's bit in its list, inside the caller's transaction (the one that records the revocation);
    /// nothing when the award has no reserved index.
    static func setStatusBit(_ db: Database, assertionID: String, purpose: String, now: Date) throws {
        guard
            let entry = try StatusListEntryRecord.filter({ $0.assertionID == assertionID && $0.purpose == purpose })
                .fetchOne(db)
        else { return }
        var list =
            try StatusListRecord.filter { $0.issuerID == entry.issuerID && $0.purpose == purpose }.fetchOne(db)
            ?? .empty(issuerID: entry.issuerID, purpose: purpose, at: now)
        list.setBit(at: entry.listIndex)
        list.updatedAt = now
        try list.save(db)
    }
}
