import Foundation
import GRDB

/// A revocable link a learner gives (e.g. to a jury) to open their evidence; stored as the SHA-256 of its token.
public struct ShareLinkRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "shareLink"
    /// The table's columns, for the store's queries (`filter { $0.<column> == … }`, `order(\.<column>)`).
    public enum Columns {
        public static let tokenHash = Column(CodingKeys.tokenHash)
        public static let learnerID = Column(CodingKeys.learnerID)
        public static let label = Column(CodingKeys.label)
        public static let createdAt = Column(CodingKeys.createdAt)
        public static let revokedAt = Column(CodingKeys.revokedAt)
    }
    public var tokenHash: String
    public var learnerID: String
    public var label: String
    public var createdAt: Date
    public var revokedAt: Date?

    /// Creates a record.
    public init(tokenHash: String, learnerID: String, label: String, createdAt: Date, revokedAt: Date? = nil) {
        self.tokenHash = tokenHash
        self.learnerID = learnerID
        self.label = label
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }
}
