import Foundation
import GRDB

/// A browser session, stored as the SHA-256 of its cookie value.
public struct WebSessionRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "webSession"
    /// The table's columns, for the store's queries (`filter { $0.<column> == … }`, `order(\.<column>)`).
    public enum Columns {
        public static let tokenHash = Column(CodingKeys.tokenHash)
        public static let accountID = Column(CodingKeys.accountID)
        public static let csrfToken = Column(CodingKeys.csrfToken)
        public static let expiresAt = Column(CodingKeys.expiresAt)
    }
    public var tokenHash: String
    public var accountID: String
    public var csrfToken: String
    public var expiresAt: Date

    /// Creates a record.
    public init(tokenHash: String, accountID: String, csrfToken: String, expiresAt: Date) {
        self.tokenHash = tokenHash
        self.accountID = accountID
        self.csrfToken = csrfToken
        self.expiresAt = expiresAt
    }
}
