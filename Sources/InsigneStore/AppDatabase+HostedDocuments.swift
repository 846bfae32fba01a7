import Foundation
import GRDB

/// An issuer's public profile page: the issuer, its parent organisation, its establishments and its badge classes.
public struct IssuerProfile: Sendable, Equatable {
    /// The issuer.
    public var issuer: IssuerRecord
    /// Its parent organisation, for an establishment.
    public var parent: IssuerRecord?
    /// Its establishments, by name.
    public var children: [IssuerRecord]
    /// Its badge classes, by name.
    public var badgeClasses: [BadgeClassRecord]
}

extension AppDatabase {
    /// Calls `onChange` after every committed transaction that changed a table public documents are built from
    /// (issuers, keys, badge classes, awards), for as long as the database lives.
    public func observePublishedTables(_ onChange: @escaping @Sendable () -> Void) {
        writer.add(transactionObserver: PublishedTablesObserver(onChange: onChange), extent: .databaseLifetime)
    }

    /// An issuer with all its keys (active and retired), oldest first: its hosted profile.
    public func issuerWithKeys(id: String) async throws -> (IssuerRecord, [SigningKeyRecord])? {
        try await writer.read { db in
            guard let i = try IssuerRecord.fetchOne(db, key: id) else { return nil }
            let keys = try SigningKeyRecord.filter { $0.issuerID == i.id }.order(\.createdAt).fetchAll(db)
            return (i, keys)
        }
    }

    /// The revoked awards of an issuer (its revocation list); nil when the issuer does not exist.
    public func revokedAwards(issuerID: String) async throws -> [AssertionRecord]? {
        try await writer.read { db in
            guard try IssuerRecord.exists(db, key: issuerID) else { return nil }
            return try AssertionRecord.fetchAll(
                db,
                sql: """
                    SELECT assertion.* FROM assertion JOIN badgeClass ON badgeClass.id = assertion.badgeClassID
                    WHERE badgeClass.issuerID = ? AND assertion.revokedAt IS NOT NULL
                    """, arguments: [issuerID])
        }
    }

    /// A badge class and its issuer (nil when the issuer row is missing), for its public page.
    public func badgeClassWithIssuer(id: String) async throws -> (BadgeClassRecord, IssuerRecord?)? {
        try await writer.read { db in
            guard let b = try BadgeClassRecord.fetchOne(db, key: id) else { return nil }
            return (b, try IssuerRecord.fetchOne(db, key: b.issuerID))
        }
    }

    /// An award, its badge class and its issuer (nil when the issuer row is missing), for its public page.
    public func awardWithBadgeClassAndIssuer(id: String) async throws
        -> (AssertionRecord, BadgeClassRecord, IssuerRecord?)?
    {
        try await writer.read { db in
            guard let a = try AssertionRecord.fetchOne(db, key: id),
                let b = try BadgeClassRecord.fetchOne(db, key: a.badgeClassID)
            else { return nil }
            return (a, b, try IssuerRecord.fetchOne(db, key: b.issuerID))
        }
    }

    /// What an issuer's public page shows, read at once.
    public func issuerProfile(id: String) async throws -> IssuerProfile? {
        try await writer.read { db in
            guard let i = try IssuerRecord.fetchOne(db, key: id) else { return nil }
            let parent = try i.parentID.flatMap { try IssuerRecord.fetchOne(db, key: $0) }
            let children = try IssuerRecord.filter { $0.parentID == id }.order(\.name).fetchAll(db)
            let badges = try BadgeClassRecord.filter { $0.issuerID == id }.order(\.name).fetchAll(db)
            return IssuerProfile(issuer: i, parent: parent, children: children, badgeClasses: badges)
        }
    }

    /// What an award's certificate names: the award, its badge class, its issuer and the issuer's parent
    /// organisation, read at once; nil when any of the first three is missing.
    public func certificateSubject(awardID: String) async throws
        -> (AssertionRecord, BadgeClassRecord, IssuerRecord, IssuerRecord?)?
    {
        try await writer.read { db in
            guard let a = try AssertionRecord.fetchOne(db, key: awardID),
                let b = try BadgeClassRecord.fetchOne(db, key: a.badgeClassID),
                let i = try IssuerRecord.fetchOne(db, key: b.issuerID)
            else { return nil }
            return (a, b, i, try i.parentID.flatMap { try IssuerRecord.fetchOne(db, key: $0) })
        }
    }
}

/// Watches commits on the tables that public documents are built from.
final class PublishedTablesObserver: TransactionObserver, @unchecked Sendable {
    static let tables: Set<String> = ["issuer", "signingKey", "dataIntegrityKey", "badgeClass", "assertion"]
    private let onChange: @Sendable () -> Void
    private var dirty = false  // touched only on the writer's queue

    init(onChange: @escaping @Sendable () -> Void) { self.onChange = onChange }

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { Self.tables.contains(eventKind.tableName) }
    func databaseDidChange(with event: DatabaseEvent) { dirty = true }
    func databaseDidCommit(_ db: Database) {
        if dirty { onChange() }
        dirty = false
    }
    func databaseDidRollback(_ db: Database) { dirty = false }
}
