import Foundation
import GRDB

/// An invitation link that creates a learner account; stored as the SHA-256 of its token.
public struct InvitationRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "invitation"
    /// The table's columns, for the store's queries (`filter { $0.<column> == … }`, `order(\.<column>)`).
    public enum Columns {
        public static let tokenHash = Column(CodingKeys.tokenHash)
        public static let email = Column(CodingKeys.email)
        public static let displayName = Column(CodingKeys.displayName)
        public static let createdBy = Column(CodingKeys.createdBy)
        public static let createdAt = Column(CodingKeys.createdAt)
        public static let expiresAt = Column(CodingKeys.expiresAt)
        public static let acceptedAt = Column(CodingKeys.acceptedAt)
        public static let accountID = Column(CodingKeys.accountID)
        public static let issuerID = Column(CodingKeys.issuerID)
    }
    public var tokenHash: String
    public var email: String
    public var displayName: String
    /// The account that invited.
    public var createdBy: String
    public var createdAt: Date
    public var expiresAt: Date
    public var acceptedAt: Date?
    /// The learner account created (or joined) when it was accepted.
    public var accountID: String?
    /// The issuer the learner is invited to (the inviting staff's issuer); nil: the site (an administrator's).
    public var issuerID: String?

    /// Creates a record.
    public init(
        tokenHash: String, email: String, displayName: String, createdBy: String, createdAt: Date, expiresAt: Date,
        acceptedAt: Date? = nil, accountID: String? = nil, issuerID: String? = nil
    ) {
        self.issuerID = issuerID
        self.tokenHash = tokenHash
        self.email = email
        self.displayName = displayName
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.acceptedAt = acceptedAt
        self.accountID = accountID
    }
}
