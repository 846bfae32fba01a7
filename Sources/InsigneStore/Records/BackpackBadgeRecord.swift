import Foundation
import GRDB

/// A badge kept in a learner's backpack that Insigne did not issue to them directly (imported, or pushed by a
/// Badge Connect client), with the verification report made when it arrived (and on each re-verification).
public struct BackpackBadgeRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "backpackBadge"
    /// The table's columns, for the store's queries (`filter { $0.<column> == … }`, `order(\.<column>)`).
    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let learnerID = Column(CodingKeys.learnerID)
        public static let source = Column(CodingKeys.source)
        public static let assertionID = Column(CodingKeys.assertionID)
        public static let jws = Column(CodingKeys.jws)
        public static let assertionJSON = Column(CodingKeys.assertionJSON)
        public static let originalData = Column(CodingKeys.originalData)
        public static let originalType = Column(CodingKeys.originalType)
        public static let badgeName = Column(CodingKeys.badgeName)
        public static let issuerName = Column(CodingKeys.issuerName)
        public static let issuedOn = Column(CodingKeys.issuedOn)
        public static let outcome = Column(CodingKeys.outcome)
        public static let reportJSON = Column(CodingKeys.reportJSON)
        public static let verifiedAt = Column(CodingKeys.verifiedAt)
        public static let createdAt = Column(CodingKeys.createdAt)
        public static let updatedAt = Column(CodingKeys.updatedAt)
    }
    /// How it came in.
    public enum Source: String, Codable, Sendable { case file, url, jws, badgeConnect }
    public var id: String
    public var learnerID: String
    public var source: Source
    public var assertionID: String
    public var jws: String?
    public var assertionJSON: String
    public var originalData: Data?
    public var originalType: String?
    public var badgeName: String
    public var issuerName: String
    public var issuedOn: String?
    /// `VerificationOutcome` raw value of the last verification.
    public var outcome: String
    public var reportJSON: String
    public var verifiedAt: Date
    public var createdAt: Date
    public var updatedAt: Date

    /// Creates a record.
    public init(
        id: String, learnerID: String, source: Source, assertionID: String, jws: String?, assertionJSON: String,
        originalData: Data?, originalType: String?, badgeName: String, issuerName: String, issuedOn: String?,
        outcome: String, reportJSON: String, verifiedAt: Date, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.learnerID = learnerID
        self.source = source
        self.assertionID = assertionID
        self.jws = jws
        self.assertionJSON = assertionJSON
        self.originalData = originalData
        self.originalType = originalType
        self.badgeName = badgeName
        self.issuerName = issuerName
        self.issuedOn = issuedOn
        self.outcome = outcome
        self.reportJSON = reportJSON
        self.verifiedAt = verifiedAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
