import Foundation
import GRDB

/// A link inviting a person to an issuer's staff: they choose their password with it, once, within its lifetime.
/// Stored as the SHA-256 of its token. The account (without password until then) and its role exist already.
public struct StaffInvitationRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "staffInvitation"
    /// The table's columns, for the store's queries (`filter { $0.<column> == … }`, `order(\.<column>)`).
    public enum Columns {
        public static let tokenHash = Column(CodingKeys.tokenHash)
        public static let accountID = Column(CodingKeys.accountID)
        public static let issuerID = Column(CodingKeys.issuerID)
        public static let role = Column(CodingKeys.role)
        public static let createdBy = Column(CodingKeys.createdBy)
        public static let createdAt = Column(CodingKeys.createdAt)
        public static let expiresAt = Column(CodingKeys.expiresAt)
        public static let acceptedAt = Column(CodingKeys.acceptedAt)
    }
    public var tokenHash: String
    /// The invited account (created without password by the invitation).
    public var accountID: String
    /// The issuer that invited.
    public var issuerID: String
    /// The role given with the invitation.
    public var role: MembershipRecord.Role
    /// The account that invited.
    public var createdBy: String
    public var createdAt: Date
    public var expiresAt: Date
    /// Set when the link was used (it never works again).
    public var acceptedAt: Date?

    /// Creates a record.
    public init(
        tokenHash: String, accountID: String, issuerID: String, role: MembershipRecord.Role, createdBy: String,
        createdAt: Date, expiresAt: Date, acceptedAt: Date? = nil
    ) {
        self.tokenHash = tokenHash
        self.accountID = accountID
        self.issuerID = issuerID
        self.role = role
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.acceptedAt = acceptedAt
    }
}
