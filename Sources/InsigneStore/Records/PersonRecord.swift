import Foundation
import GRDB

/// Someone on an establishment's roster: a person expected to hold the issuer's mandatory badges. People who left
/// (`leftAt`) stay in the history but are no longer counted; their addresses are `PersonEmailRecord`s.
public struct PersonRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "person"
    /// The table's columns, for the store's queries.
    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let issuerID = Column(CodingKeys.issuerID)
        public static let firstName = Column(CodingKeys.firstName)
        public static let lastName = Column(CodingKeys.lastName)
        public static let externalID = Column(CodingKeys.externalID)
        public static let joinedAt = Column(CodingKeys.joinedAt)
        public static let leftAt = Column(CodingKeys.leftAt)
        public static let updatedAt = Column(CodingKeys.updatedAt)
    }
    /// `per_` followed by random hex.
    public var id: String
    /// The establishment whose roster it is.
    public var issuerID: String
    public var firstName: String
    public var lastName: String
    /// The person's id or username in another system (Moodle's `username`), if known.
    public var externalID: String?
    public var joinedAt: Date
    /// Set when the person left the establishment (kept, not counted).
    public var leftAt: Date?
    public var updatedAt: Date

    /// Creates a record.
    public init(
        id: String, issuerID: String, firstName: String, lastName: String, externalID: String?, joinedAt: Date,
        leftAt: Date? = nil, updatedAt: Date
    ) {
        self.id = id
        self.issuerID = issuerID
        self.firstName = firstName
        self.lastName = lastName
        self.externalID = externalID
        self.joinedAt = joinedAt
        self.leftAt = leftAt
        self.updatedAt = updatedAt
    }

    /// `Prénom Nom`.
    public var displayName: String {
        [firstName, lastName].filter { !$0.isEmpty }.joined(separator: " ")
    }
}
