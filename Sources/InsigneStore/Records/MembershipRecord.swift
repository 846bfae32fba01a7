import Foundation
import GRDB

/// A staff role held by an account within one issuer (establishment). An account may hold several roles, in
/// several issuers; site administrators (`AccountRecord.Role.admin`) need none.
///
/// - `manager`: edits the issuer and its badge classes, manages its staff; also awards and reviews.
/// - `trainer`: awards, revokes with a reason, invites learners; also reviews.
/// - `reviewer`: reviews the evidence submitted to the issuer.
public struct MembershipRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "membership"
    /// The table's columns, for the store's queries (`filter { $0.<column> == … }`, `order(\.<column>)`).
    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let accountID = Column(CodingKeys.accountID)
        public static let issuerID = Column(CodingKeys.issuerID)
        public static let role = Column(CodingKeys.role)
        public static let createdAt = Column(CodingKeys.createdAt)
        public static let createdBy = Column(CodingKeys.createdBy)
    }
    /// The roles a member may hold in an issuer.
    public enum Role: String, Codable, Sendable, CaseIterable { case manager, trainer, reviewer }
    /// `mem_` followed by random hex: the `memberId` of the Admin API.
    public var id: String
    public var accountID: String
    public var issuerID: String
    public var role: Role
    public var createdAt: Date
    /// The account that granted the role ("migration" for roles carried over from the one-issuer staff accounts).
    public var createdBy: String

    /// Creates a record.
    public init(id: String, accountID: String, issuerID: String, role: Role, createdAt: Date, createdBy: String) {
        self.id = id
        self.accountID = accountID
        self.issuerID = issuerID
        self.role = role
        self.createdAt = createdAt
        self.createdBy = createdBy
    }
}
