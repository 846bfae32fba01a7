import Foundation
import GRDB

/// One of a learner's email addresses (normalised). Badges issued to a verified address show in their backpack.
public struct LearnerEmailRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "learnerEmail"
    /// The table's columns, for the store's queries (`filter { $0.<column> == … }`, `order(\.<column>)`).
    public enum Columns {
        public static let accountID = Column(CodingKeys.accountID)
        public static let email = Column(CodingKeys.email)
        public static let verifiedAt = Column(CodingKeys.verifiedAt)
        public static let verificationTokenHash = Column(CodingKeys.verificationTokenHash)
        public static let createdAt = Column(CodingKeys.createdAt)
    }
    public var accountID: String
    public var email: String
    public var verifiedAt: Date?
    /// SHA-256 of the confirmation token while unverified.
    public var verificationTokenHash: String?
    public var createdAt: Date

    /// Creates a record.
    public init(
        accountID: String, email: String, verifiedAt: Date?, verificationTokenHash: String? = nil, createdAt: Date
    ) {
        self.accountID = accountID
        self.email = email
        self.verifiedAt = verifiedAt
        self.verificationTokenHash = verificationTokenHash
        self.createdAt = createdAt
    }
}
