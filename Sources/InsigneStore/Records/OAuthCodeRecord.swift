import Foundation
import GRDB

/// A one-time authorisation code (PKCE S256), stored as a SHA-256.
public struct OAuthCodeRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "oauthCode"
    /// The table's columns, for the store's queries (`filter { $0.<column> == … }`, `order(\.<column>)`).
    public enum Columns {
        public static let codeHash = Column(CodingKeys.codeHash)
        public static let clientID = Column(CodingKeys.clientID)
        public static let accountID = Column(CodingKeys.accountID)
        public static let redirectURI = Column(CodingKeys.redirectURI)
        public static let scopes = Column(CodingKeys.scopes)
        public static let codeChallenge = Column(CodingKeys.codeChallenge)
        public static let expiresAt = Column(CodingKeys.expiresAt)
        public static let usedAt = Column(CodingKeys.usedAt)
    }
    public var codeHash: String
    public var clientID: String
    public var accountID: String
    public var redirectURI: String
    public var scopes: String
    public var codeChallenge: String
    public var expiresAt: Date
    public var usedAt: Date?

    /// Creates a record.
    public init(
        codeHash: String, clientID: String, accountID: String, redirectURI: String, scopes: String,
        codeChallenge: String, expiresAt: Date, usedAt: Date? = nil
    ) {
        self.codeHash = codeHash
        self.clientID = clientID
        self.accountID = accountID
        self.redirectURI = redirectURI
        self.scopes = scopes
        self.codeChallenge = codeChallenge
        self.expiresAt = expiresAt
        self.usedAt = usedAt
    }
}
