import Foundation
import GRDB

/// A Badge Connect client registered with RFC 7591; its secret is stored as a SHA-256.
public struct OAuthClientRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "oauthClient"
    /// The table's columns, for the store's queries (`filter { $0.<column> == … }`, `order(\.<column>)`).
    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let secretHash = Column(CodingKeys.secretHash)
        public static let metadataJSON = Column(CodingKeys.metadataJSON)
        public static let redirectURIs = Column(CodingKeys.redirectURIs)
        public static let scopes = Column(CodingKeys.scopes)
        public static let createdAt = Column(CodingKeys.createdAt)
    }
    public var id: String
    public var secretHash: String
    public var metadataJSON: String
    public var redirectURIs: [String]
    public var scopes: String
    public var createdAt: Date

    /// Creates a record.
    public init(
        id: String, secretHash: String, metadataJSON: String, redirectURIs: [String], scopes: String, createdAt: Date
    ) {
        self.id = id
        self.secretHash = secretHash
        self.metadataJSON = metadataJSON
        self.redirectURIs = redirectURIs
        self.scopes = scopes
        self.createdAt = createdAt
    }
}
