import Foundation
import GRDB

/// Passwords: changing one, the single-use reset links of « mot de passe oublié », the account's own e-mail
/// address, and the first administrator's setup (`/setup`) while the seeded `admin` has never signed in.
extension AppDatabase {
    /// The setting that holds the SHA-256 of the one-time setup code, from the first start until `/setup` is used.
    public static let firstAdminSetupKey = "setup.firstAdmin"

    // MARK: Changing a password

    /// Sets a new password hash, ends every other session of the account (all of them when `keepSessionHash` is
    /// nil), drops its pending reset links, and audits `account.password-changed`, in one transaction.
    public func changePassword(
        accountID: String, passwordHash: String, keepSessionHash: String?, now: Date = Date()
    ) async throws {
        try await writer.write { db in
            try db.execute(
                sql: "UPDATE account SET passwordHash = ? WHERE id = ? AND erasedAt IS NULL",
                arguments: [passwordHash, accountID])
            try Self.endSessions(accountID: accountID, except: keepSessionHash, db)
            try PasswordResetRecord.filter { $0.accountID == accountID }.deleteAll(db)
            var e = AuditEventRecord(at: now, actor: accountID, action: "account.password-changed", subject: accountID)
            try e.insert(db)
        }
    }

    /// Why an e-mail address cannot be set on an account.
    public enum EmailChange: Sendable, Equatable {
        case changed
        /// Another (not erased) account already has this address.
        case taken
    }

    /// Sets the account's e-mail address (normalised by the caller) unless another account has it; audits
    /// `account.email-changed`.
    public func setAccountEmail(accountID: String, email: String, now: Date = Date()) async throws -> EmailChange {
        try await writer.write { db in
            let others = try AccountRecord.filter(
                sql: "email = ? COLLATE NOCASE AND id <> ? AND erasedAt IS NULL", arguments: [email, accountID]
            ).fetchCount(db)
            guard others == 0 else { return .taken }
            try db.execute(sql: "UPDATE account SET email = ? WHERE id = ?", arguments: [email, accountID])
            var e = AuditEventRecord(at: now, actor: accountID, action: "account.email-changed", subject: accountID)
            try e.insert(db)
            return .changed
        }
    }

    /// Deletes the account's sessions, except the one with `except` as its hash.
    static func endSessions(accountID: String, except: String?, _ db: Database) throws {
        if let except {
            try WebSessionRecord.filter { $0.accountID == accountID && $0.tokenHash != except }.deleteAll(db)
        } else {
            try WebSessionRecord.filter { $0.accountID == accountID }.deleteAll(db)
        }
    }

    // MARK: Reset links

    /// The accounts (not erased, with a password) whose e-mail address is `email`, compared without regard to case.
    public func accountsForPasswordReset(email: String) async throws -> [AccountRecord] {
        try await writer.read { db in
            try AccountRecord.filter(
                sql: "email = ? COLLATE NOCASE AND erasedAt IS NULL AND passwordHash IS NOT NULL", arguments: [email]
            ).order(\.createdAt).fetchAll(db)
        }
    }

    /// Stores a new reset link, in one transaction with: the account's older links and every expired link
    /// deleted, and the audit event `account.password-reset-requested`.
    public func issuePasswordReset(_ reset: PasswordResetRecord, now: Date = Date()) async throws {
        try await writer.write { db in
            try PasswordResetRecord.filter { $0.accountID == reset.accountID || $0.expiresAt <= now }.deleteAll(db)
            try reset.insert(db)
            var e = AuditEventRecord(
                at: now, actor: "web", action: "account.password-reset-requested", subject: reset.accountID)
            try e.insert(db)
        }
    }

    /// The live (unexpired) reset link with this token hash and its account (not erased).
    public func livePasswordReset(tokenHash: String, now: Date = Date()) async throws
        -> (PasswordResetRecord, AccountRecord)?
    {
        try await writer.read { db in
            guard let r = try PasswordResetRecord.fetchOne(db, key: tokenHash), r.expiresAt > now,
                let a = try AccountRecord.fetchOne(db, key: r.accountID), a.erasedAt == nil
            else { return nil }
            return (r, a)
        }
    }

    /// Uses a live reset link: sets the password, deletes every reset link and every session of the account, and
    /// audits `account.password-reset`, in one transaction. Nil when the link is unknown, expired or used.
    public func completePasswordReset(tokenHash: String, passwordHash: String, now: Date = Date()) async throws
        -> AccountRecord?
    {
        try await writer.write { db in
            guard let r = try PasswordResetRecord.fetchOne(db, key: tokenHash), r.expiresAt > now,
                var account = try AccountRecord.fetchOne(db, key: r.accountID), account.erasedAt == nil
            else { return nil }
            account.passwordHash = passwordHash
            try account.update(db)
            try PasswordResetRecord.filter { $0.accountID == account.id }.deleteAll(db)
            try Self.endSessions(accountID: account.id, except: nil, db)
            var e = AuditEventRecord(at: now, actor: account.id, action: "account.password-reset", subject: account.id)
            try e.insert(db)
            return account
        }
    }

    // MARK: First administrator

    /// The SHA-256 of the setup code while `/setup` is available: the code was recorded at first start, the
    /// seeded `admin` account exists, is not erased and has never signed in. Nil otherwise (for ever after).
    public func firstAdminSetupCodeHash() async throws -> String? {
        try await writer.read { db in try Self.firstAdminSetupCodeHash(db) }
    }

    static func firstAdminSetupCodeHash(_ db: Database) throws -> String? {
        guard let setting = try SettingRecord.fetchOne(db, key: firstAdminSetupKey),
            let admin = try AccountRecord.fetchOne(db, key: "admin"), admin.role == .admin, admin.erasedAt == nil
        else { return nil }
        let signedIn = try AuditEventRecord.filter {
            $0.actor == "admin" && $0.action == "session.signin"
        }.fetchCount(db)
        return signedIn == 0 ? setting.value : nil
    }

    /// Uses `/setup`, in one transaction: while it is available, sets the `admin` password (and e-mail address
    /// when given), ends its sessions, removes the setup code and audits `account.setup`. Nil when not available.
    public func completeFirstAdminSetup(passwordHash: String, email: String?, now: Date = Date()) async throws
        -> AccountRecord?
    {
        try await writer.write { db in
            guard try Self.firstAdminSetupCodeHash(db) != nil, var admin = try AccountRecord.fetchOne(db, key: "admin")
            else { return nil }
            admin.passwordHash = passwordHash
            if let email { admin.email = email }
            try admin.update(db)
            try SettingRecord.deleteOne(db, key: Self.firstAdminSetupKey)
            try Self.endSessions(accountID: admin.id, except: nil, db)
            var e = AuditEventRecord(at: now, actor: "web", action: "account.setup", subject: admin.id)
            try e.insert(db)
            return admin
        }
    }
}
