import Foundation
import GRDB

/// A learner's enrolment with an issuer (created when the learner accepts that issuer's invitation).
///
/// Access model: a learner belongs to every issuer that enrolled them, and each issuer sees only what was shared
/// with it. Staff of an issuer see the learners enrolled with it, the invitations it sent, and the pieces submitted
/// to it (`EvidenceItemRecord.issuerID`); they review and cite only those. A learner invited by two issuers chooses,
/// when submitting, which one examines the pieces. Administrators see everything. The issuer hierarchy
/// (`IssuerRecord.parentID`) is a public description only: it grants no access.
public struct LearnerIssuerRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "learnerIssuer"
    /// The table's columns, for the store's queries (`filter { $0.<column> == … }`, `order(\.<column>)`).
    public enum Columns {
        public static let learnerID = Column(CodingKeys.learnerID)
        public static let issuerID = Column(CodingKeys.issuerID)
        public static let createdAt = Column(CodingKeys.createdAt)
    }
    public var learnerID: String
    public var issuerID: String
    public var createdAt: Date

    /// Creates a record.
    public init(learnerID: String, issuerID: String, createdAt: Date) {
        self.learnerID = learnerID
        self.issuerID = issuerID
        self.createdAt = createdAt
    }
}
