import Foundation
import GRDB

/// A stored competency framework (its tree lives in `CompetencyRecord`). Public: hosted as pages and JSON.
public struct FrameworkRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "framework"
    /// The table's columns, for the store's queries (`filter { $0.<column> == … }`, `order(\.<column>)`).
    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let idNumber = Column(CodingKeys.idNumber)
        public static let shortName = Column(CodingKeys.shortName)
        public static let description = Column(CodingKeys.description)
        public static let descriptionFormat = Column(CodingKeys.descriptionFormat)
        public static let scaleValues = Column(CodingKeys.scaleValues)
        public static let scaleConfiguration = Column(CodingKeys.scaleConfiguration)
        public static let taxonomies = Column(CodingKeys.taxonomies)
        public static let createdAt = Column(CodingKeys.createdAt)
        public static let updatedAt = Column(CodingKeys.updatedAt)
        public static let ownerIssuerID = Column(CodingKeys.ownerIssuerID)
    }
    /// URL slug, derived from the id number at first import and never changed.
    public var id: String
    /// Moodle id number (`DEES-2007`): re-importing a file with the same id number updates this framework.
    public var idNumber: String
    public var shortName: String
    public var description: String
    public var descriptionFormat: Int
    public var scaleValues: [String]
    public var scaleConfiguration: String
    public var taxonomies: [String]
    public var createdAt: Date
    public var updatedAt: Date
    /// The issuer whose staff may re-import or change it; nil: the site (administrators only). Anyone may use it.
    public var ownerIssuerID: String?

    /// Creates a record.
    public init(
        id: String, idNumber: String, shortName: String, description: String, descriptionFormat: Int,
        scaleValues: [String], scaleConfiguration: String, taxonomies: [String], createdAt: Date, updatedAt: Date,
        ownerIssuerID: String? = nil
    ) {
        self.ownerIssuerID = ownerIssuerID
        self.id = id
        self.idNumber = idNumber
        self.shortName = shortName
        self.description = description
        self.descriptionFormat = descriptionFormat
        self.scaleValues = scaleValues
        self.scaleConfiguration = scaleConfiguration
        self.taxonomies = taxonomies
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
