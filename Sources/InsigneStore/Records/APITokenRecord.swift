import Foundation
import GRDB

/// An API bearer token, stored as its SHA-256 only.
public struct APITokenRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "apiToken"
    /// The table's columns, for the store's queries (`filter { $0.<column> == … }`, `order(\.<column>)`).
    public enum Columns {
        public static let tokenHash = Column(CodingKeys.tokenHash)
        public static let accountID = Column(CodingKeys.accountID)
        public static let label = Column(CodingKeys.label)
        public static let createdAt = Column(CodingKeys.createdAt)
    }
    public var tokenHash: String
    public var accountID: String
    public var label: String
    public var createdAt: Date

    /// Creates a record.
    public init(tokenHash: String, accountID: String, label: String, createdAt: Date) {
        self.tokenHash = tokenHash
        self.accountID = accountID
        self.label = label
        self.createdAt = createdAt
    }
}
