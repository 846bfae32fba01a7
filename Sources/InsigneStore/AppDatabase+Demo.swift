import Foundation
import GRDB

extension AppDatabase {
    /// True when a setting (e.g. a seed step's key) was recorded.
    public func hasSetting(_ key: String) async throws -> Bool {
        try await writer.read { db in try SettingRecord.exists(db, key: key) }
    }

    /// Records a setting once (a second time with the same key fails).
    public func recordSetting(_ key: String, value: String) async throws {
        try await writer.write { db in try SettingRecord(key: key, value: value).insert(db) }
    }

    /// Whether a seed step was done, with the badge class it concerns, read at once.
    public func seedStep(_ key: String, badgeClassID: String) async throws
        -> (done: Bool, badgeClass: BadgeClassRecord?)
    {
        try await writer.read { db in
            (try SettingRecord.exists(db, key: key), try BadgeClassRecord.fetchOne(db, key: badgeClassID))
        }
    }

    /// First start, in one transaction: creates the `admin` account and its API token unless an account already has
    /// that login, and records the `seeded` setting. With `setupCodeHash`, a new `admin` may also be set up once
    /// through `/setup` (see `firstAdminSetupCodeHash`).
    public func seedFirstAdmin(
        passwordHash: String, apiTokenHash: String, setupCodeHash: String? = nil, now: Date = Date()
    ) async throws {
        try await writer.write { db in
            let admins = try AccountRecord.filter { $0.login == "admin" }.fetchCount(db)
            if admins == 0 {
                try AccountRecord(
                    id: "admin", login: "admin", displayName: "Administrateur", passwordHash: passwordHash,
                    role: .admin, issuerID: nil, createdAt: now
                ).insert(db)
                try APITokenRecord(
                    tokenHash: apiTokenHash, accountID: "admin", label: "initial admin token", createdAt: now
                ).insert(db)
                if let setupCodeHash {
                    try SettingRecord(key: Self.firstAdminSetupKey, value: setupCodeHash).insert(db)
                }
            }
            try SettingRecord(key: "seeded", value: ISO8601DateFormatter().string(from: now)).insert(db)
        }
    }
}
