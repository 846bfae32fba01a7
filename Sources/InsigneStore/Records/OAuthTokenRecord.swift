import Foundation
import GRDB

/// An access or refresh token, stored as a SHA-256; tokens of one consent share a grant id.
public struct OAuthTokenRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "oauthToken"
    /// The table's columns, for the store's queries (`filter { $0.<column> == … }`, `order(\.<column>)`).
    public enum Columns {
        public static let tokenHash = Column(CodingKeys.tokenHash)
        public static let kind = Column(CodingKeys.kind)
        public static let clientID = Column(CodingKeys.clientID)
        public static let accountID = Column(CodingKeys.accountID)
        public static let scopes = Column(CodingKeys.scopes)
        public static let grantID = Column(CodingKeys.grantID)
        public static let createdAt = Column(CodingKeys.createdAt)
        public static let expiresAt = Column(CodingKeys.expiresAt)
        public static let revokedAt = Column(CodingKeys.revokedAt)
    }
    /// Token kinds.
    public enum Kind: String, Codable, Sendable { case access, refresh }
    public var tokenHash: String
    public var kind: Kind
    public var clientID: String
    public var accountID: String
    public var scopes: String
    public var grantID: String
    public var createdAt: Date
    public var expiresAt: Date
    public var revokedAt: Date?

    /// Creates a record.
    public init(
        tokenHash: String, kind: Kind, clientID: String, accountID: String, scopes: String, grantID: String,
        createdAt: Date, expiresAt: Date, revokedAt: Date? = nil
    ) {
        self.tokenHash = tokenHash
        self.kind = kind
        self.clientID = clientID
        self.accountID = accountID
        self.scopes = scopes
        self.grantID = grantID
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
    }
}
