import Foundation
import GRDB

/// A claim link sent with an award notification: `/claim/{token}` puts the badge into the backpack of the person
/// who holds the mailbox. Stored as the SHA-256 of its token, with the award and the address it was sent to;
/// reusable until the award is claimed (then every token of the award is spent) or until it expires.
public struct ClaimTokenRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "claimToken"
    /// The table's columns, for the store's queries (`filter { $0.<column> == … }`, `order(\.<column>)`).
    public enum Columns {
        public static let tokenHash = Column(CodingKeys.tokenHash)
        public static let assertionID = Column(CodingKeys.assertionID)
        public static let email = Column(CodingKeys.email)
        public static let createdAt = Column(CodingKeys.createdAt)
        public static let expiresAt = Column(CodingKeys.expiresAt)
        public static let claimedAt = Column(CodingKeys.claimedAt)
        public static let claimedBy = Column(CodingKeys.claimedBy)
    }
    public var tokenHash: String
    public var assertionID: String
    /// The normalised address the award was sent to.
    public var email: String
    public var createdAt: Date
    public var expiresAt: Date
    /// Set on every token of the award once one of them was used.
    public var claimedAt: Date?
    /// The learner account that claimed the award.
    public var claimedBy: String?

    /// Creates a record.
    public init(
        tokenHash: String, assertionID: String, email: String, createdAt: Date, expiresAt: Date,
        claimedAt: Date? = nil, claimedBy: String? = nil
    ) {
        self.tokenHash = tokenHash
        self.assertionID = assertionID
        self.email = email
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.claimedAt = claimedAt
        self.claimedBy = claimedBy
    }
}
