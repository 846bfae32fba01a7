import Foundation
import GRDB

/// A learner's choice to publish one piece of evidence with the badges of one class: only then may an award of
/// that class name the piece and link to `/public-evidence/<token>`. Withdrawing closes the link.
public struct EvidencePublicationRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "evidencePublication"
    /// The table's columns, for the store's queries (`filter { $0.<column> == … }`, `order(\.<column>)`).
    public enum Columns {
        public static let evidenceID = Column(CodingKeys.evidenceID)
        public static let badgeClassID = Column(CodingKeys.badgeClassID)
        public static let token = Column(CodingKeys.token)
        public static let createdAt = Column(CodingKeys.createdAt)
        public static let withdrawnAt = Column(CodingKeys.withdrawnAt)
    }
    public var evidenceID: String
    public var badgeClassID: String
    /// 64 hex characters; the public URL's last segment.
    public var token: String
    public var createdAt: Date
    public var withdrawnAt: Date?

    /// Creates a record.
    public init(evidenceID: String, badgeClassID: String, token: String, createdAt: Date, withdrawnAt: Date? = nil) {
        self.evidenceID = evidenceID
        self.badgeClassID = badgeClassID
        self.token = token
        self.createdAt = createdAt
        self.withdrawnAt = withdrawnAt
    }
}
