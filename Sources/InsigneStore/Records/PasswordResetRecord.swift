import Foundation
import GRDB

/// A password reset link sent by e-mail, stored as the SHA-256 of its token: valid until `expiresAt`, used once.
public struct PasswordResetRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "passwordReset"
    /// The table's columns, for the store's queries (`filter { $0.<column> == … }`, `order(\.<column>)`).
    public enum Columns {
        public static let tokenHash = Column(CodingKeys.tokenHash)
        public static let accountID = Column(CodingKeys.accountID)
        public static let createdAt = Column(CodingKeys.createdAt)
        public static let expiresAt = Column(CodingKeys.expiresAt)
    }
    public var tokenHash: String
    public var accountID: String
    public var createdAt: Date
    public var expiresAt: Date

    /// Creates a record.
    public init(tokenHash: String, accountID: String, createdAt: Date, expiresAt: Date) {
        self.tokenHash = tokenHash
        self.accountID = accountID
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}
