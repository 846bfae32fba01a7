import Foundation
import GRDB

extension AppDatabase {
    // MARK: Sign-in

    /// The account with this login, compared without regard to case.
    public func accountForSignIn(login: String) async throws -> AccountRecord? {
        try await writer.read { db in
            try AccountRecord.filter(sql: "login = ? COLLATE NOCASE", arguments: [login]).fetchOne(db)
        }
    }

    /// Audits a successful sign-in. The seeded `admin`'s first one also ends the first-start setup (`/setup`).
    public func recordSignIn(accountID: String, now: Date = Date()) async throws {
        try await writer.write { db in
            if accountID == "admin" { try SettingRecord.deleteOne(db, key: Self.firstAdminSetupKey) }
            var e = AuditEventRecord(at: now, actor: accountID, action: "session.signin", subject: accountID)
            try e.insert(db)
        }
    }

    /// Audits a refused sign-in (the login as typed, at most 200 characters).
    public func recordFailedSignIn(login: String, now: Date = Date()) async throws {
        try await writer.write { db in
            var e = AuditEventRecord(
                at: now, actor: "web", action: "session.signin-failed", subject: String(login.prefix(200)))
            try e.insert(db)
        }
    }

    // MARK: Browser sessions

    /// Stores a new browser session, deleting the expired ones in the same transaction.
    public func createWebSession(_ session: WebSessionRecord, now: Date = Date()) async throws {
        try await writer.write { db in
            try WebSessionRecord.filter { $0.expiresAt < now }.deleteAll(db)
            try session.insert(db)
        }
    }

    /// The live (unexpired) session with this token hash and its account.
    public func liveWebSession(tokenHash: String, now: Date = Date()) async throws
        -> (AccountRecord, WebSessionRecord)?
    {
        try await writer.read { db in
            guard let s = try WebSessionRecord.fetchOne(db, key: tokenHash), s.expiresAt > now,
                let a = try AccountRecord.fetchOne(db, key: s.accountID)
            else { return nil }
            return (a, s)
        }
    }

    /// Ends the session with this token hash (nothing happens when there is none).
    public func deleteWebSession(tokenHash: String) async throws {
        _ = try await writer.write { db in try WebSessionRecord.deleteOne(db, key: tokenHash) }
    }

    // MARK: API tokens

    /// The account an API token (by its SHA-256) belongs to.
    public func apiTokenAccount(tokenHash: String) async throws -> AccountRecord? {
        try await writer.read { db in
            guard let t = try APITokenRecord.fetchOne(db, key: tokenHash) else { return nil }
            return try AccountRecord.fetchOne(db, key: t.accountID)
        }
    }
}
