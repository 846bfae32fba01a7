import Foundation
import GRDB

extension AppDatabase {
    /// The staff roles this account holds, issuer by issuer (none for administrators and learners).
    public func memberships(accountID: String) async throws -> [MembershipRecord] {
        try await writer.read { db in
            try MembershipRecord.filter { $0.accountID == accountID }.order { [$0.issuerID, $0.role] }.fetchAll(db)
        }
    }

    /// The members of an issuer with their accounts, by name.
    public func members(issuerID: String) async throws -> [(membership: MembershipRecord, account: AccountRecord)] {
        try await writer.read { db in
            let rows = try MembershipRecord.filter { $0.issuerID == issuerID }.fetchAll(db)
            return try rows.compactMap { m in
                try AccountRecord.fetchOne(db, key: m.accountID).map { (m, $0) }
            }
            .sorted {
                ($0.account.displayName, $0.membership.role.rawValue) < (
                    $1.account.displayName, $1.membership.role.rawValue
                )
            }
        }
    }

    /// The live staff accounts holding one of these roles in the issuer (each once): who to tell about new
    /// evidence, expiring badges….
    public func staffAccounts(issuerID: String, roles: Set<MembershipRecord.Role>) async throws -> [AccountRecord] {
        try await writer.read { db in
            let ids = try MembershipRecord.filter { $0.issuerID == issuerID }.fetchAll(db)
                .filter { roles.contains($0.role) }.map(\.accountID)
            return try Set(ids).sorted().compactMap { try AccountRecord.fetchOne(db, key: $0) }
                .filter { $0.erasedAt == nil }
        }
    }
}
