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

/// What adding a member did.
public enum MemberAddition: Sendable, Equatable {
    /// A new account (or one that never chose its password) got the role and an invitation link to choose its
    /// password.
    case invited(MembershipRecord, AccountRecord)
    /// An account already in use (staff or administrator) got the role: no link, a notice.
    case added(MembershipRecord, AccountRecord)
    /// The address is a learner's account: staff and learner accounts stay apart.
    case learnerAddress
    /// The person already holds this role in this issuer.
    case alreadyMember(MembershipRecord)
}

/// What removing a member's role did.
public enum MemberRemoval: Sendable, Equatable {
    case removed(MembershipRecord)
    /// No such role in this issuer.
    case notFound
    /// The issuer's last manager: only an administrator may remove it.
    case lastManager
}

extension AppDatabase {
    /// Gives `role` in the issuer to the person with this address (compared case-insensitively with logins and
    /// e-mails), creating their staff account (no password yet) when there is none, in one audited transaction.
    /// `tokenHash` (the SHA-256 of a fresh invitation token) is stored when the person must choose a password.
    public func addMember(
        issuerID: String, email: String, name: String, role: MembershipRecord.Role, by actor: String,
        tokenHash: String, lifetime: TimeInterval, now: Date = Date()
    ) async throws -> MemberAddition {
        try await writer.write { db -> MemberAddition in
            let found = try AccountRecord.filter(
                sql: "login = ? COLLATE NOCASE OR email = ? COLLATE NOCASE", arguments: [email, email]
            ).fetchAll(db)
            if found.contains(where: { $0.role == .learner }) { return .learnerAddress }
            let account: AccountRecord
            if let existing = found.first {
                account = existing
                if let held = try MembershipRecord.filter({
                    $0.accountID == existing.id && $0.issuerID == issuerID && $0.role == role.rawValue
                }).fetchOne(db) {
                    return .alreadyMember(held)
                }
            } else {
                account = AccountRecord(
                    id: UUID().uuidString.lowercased(), login: email, displayName: name, passwordHash: nil,
                    role: .staff, issuerID: nil, createdAt: now, email: email)
                try account.insert(db)
            }
            let membership = MembershipRecord(
                id: "mem_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(24),
                accountID: account.id, issuerID: issuerID, role: role, createdAt: now, createdBy: actor)
            try membership.insert(db)
            var event = AuditEventRecord(
                at: now, actor: actor, action: "member.add", subject: membership.id,
                detail: "\(issuerID) \(role.rawValue) \(account.id)")
            try event.insert(db)
            guard account.passwordHash == nil, account.role == .staff else { return .added(membership, account) }
            try StaffInvitationRecord(
                tokenHash: tokenHash, accountID: account.id, issuerID: issuerID, role: role, createdBy: actor,
                createdAt: now, expiresAt: now.addingTimeInterval(lifetime)
            ).insert(db)
            return .invited(membership, account)
        }
    }

    /// Removes one role of the issuer (audited); the last manager only when `mayRemoveLastManager`. The person's
    /// open invitations from this issuer go when they hold no role there any more.
    public func removeMember(
        issuerID: String, memberID: String, by actor: String, mayRemoveLastManager: Bool, now: Date = Date()
    ) async throws -> MemberRemoval {
        try await writer.write { db -> MemberRemoval in
            guard let m = try MembershipRecord.fetchOne(db, key: memberID), m.issuerID == issuerID else {
                return .notFound
            }
            if m.role == .manager, !mayRemoveLastManager,
                try MembershipRecord.filter({ $0.issuerID == issuerID && $0.role == "manager" }).fetchCount(db) <= 1
            {
                return .lastManager
            }
            try m.delete(db)
            if try MembershipRecord.filter({ $0.issuerID == issuerID && $0.accountID == m.accountID }).fetchCount(db)
                == 0
            {
                try StaffInvitationRecord.filter {
                    $0.issuerID == issuerID && $0.accountID == m.accountID && $0.acceptedAt == nil
                }.deleteAll(db)
            }
            var event = AuditEventRecord(
                at: now, actor: actor, action: "member.remove", subject: m.id,
                detail: "\(issuerID) \(m.role.rawValue) \(m.accountID)")
            try event.insert(db)
            return .removed(m)
        }
    }

    /// A new invitation link for a member who has not chosen a password yet (the earlier links of this issuer stop
    /// working); nil when the member is unknown in this issuer or already uses their account.
    public func renewStaffInvitation(
        issuerID: String, memberID: String, by actor: String, tokenHash: String, lifetime: TimeInterval,
        now: Date = Date()
    ) async throws -> (MembershipRecord, AccountRecord)? {
        try await writer.write { db -> (MembershipRecord, AccountRecord)? in
            guard let m = try MembershipRecord.fetchOne(db, key: memberID), m.issuerID == issuerID,
                let account = try AccountRecord.fetchOne(db, key: m.accountID), account.passwordHash == nil,
                account.role == .staff, account.erasedAt == nil
            else { return nil }
            try StaffInvitationRecord.filter {
                $0.issuerID == issuerID && $0.accountID == account.id && $0.acceptedAt == nil
            }.deleteAll(db)
            try StaffInvitationRecord(
                tokenHash: tokenHash, accountID: account.id, issuerID: issuerID, role: m.role, createdBy: actor,
                createdAt: now, expiresAt: now.addingTimeInterval(lifetime)
            ).insert(db)
            var event = AuditEventRecord(at: now, actor: actor, action: "member.reinvite", subject: m.id)
            try event.insert(db)
            return (m, account)
        }
    }

    /// The invitation behind this token hash and its account, while it may still be used: not used, not expired,
    /// the account still without password and holding a role in the issuer.
    public func openStaffInvitation(tokenHash: String, now: Date = Date()) async throws -> (
        StaffInvitationRecord, AccountRecord
    )? {
        try await writer.read { db in try Self.usableStaffInvitation(db, tokenHash: tokenHash, now: now) }
    }

    /// Sets the invited person's password and uses up the link (and every other open link of theirs), audited;
    /// nil when the link may not be used.
    public func acceptStaffInvitation(tokenHash: String, passwordHash: String, now: Date = Date()) async throws
        -> AccountRecord?
    {
        try await writer.write { db -> AccountRecord? in
            guard var (_, account) = try Self.usableStaffInvitation(db, tokenHash: tokenHash, now: now) else {
                return nil
            }
            account.passwordHash = passwordHash
            try account.update(db)
            try db.execute(
                sql: "UPDATE staffInvitation SET acceptedAt = ? WHERE accountID = ? AND acceptedAt IS NULL",
                arguments: [now, account.id])
            var event = AuditEventRecord(at: now, actor: account.id, action: "member.accept", subject: account.id)
            try event.insert(db)
            return account
        }
    }

    private static func usableStaffInvitation(_ db: Database, tokenHash: String, now: Date) throws -> (
        StaffInvitationRecord, AccountRecord
    )? {
        guard let inv = try StaffInvitationRecord.fetchOne(db, key: tokenHash), inv.acceptedAt == nil,
            inv.expiresAt > now, let account = try AccountRecord.fetchOne(db, key: inv.accountID),
            account.role == .staff, account.passwordHash == nil, account.erasedAt == nil,
            try MembershipRecord.filter({ $0.accountID == account.id && $0.issuerID == inv.issuerID }).fetchCount(db)
                > 0
        else { return nil }
        return (inv, account)
    }
}
