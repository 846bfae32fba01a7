import CompetencyFrameworks
import Foundation
import GRDB

/// One competency of a stored framework.
public struct CompetencyRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "competency"
    /// The table's columns, for the store's queries (`filter { $0.<column> == … }`, `order(\.<column>)`).
    public enum Columns {
        public static let frameworkID = Column(CodingKeys.frameworkID)
        public static let idNumber = Column(CodingKeys.idNumber)
        public static let parentIDNumber = Column(CodingKeys.parentIDNumber)
        public static let shortName = Column(CodingKeys.shortName)
        public static let description = Column(CodingKeys.description)
        public static let descriptionFormat = Column(CodingKeys.descriptionFormat)
        public static let scaleValues = Column(CodingKeys.scaleValues)
        public static let scaleConfiguration = Column(CodingKeys.scaleConfiguration)
        public static let ruleType = Column(CodingKeys.ruleType)
        public static let ruleOutcome = Column(CodingKeys.ruleOutcome)
        public static let ruleConfig = Column(CodingKeys.ruleConfig)
        public static let relatedIDNumbers = Column(CodingKeys.relatedIDNumbers)
        public static let exportID = Column(CodingKeys.exportID)
        public static let position = Column(CodingKeys.position)
        public static let depth = Column(CodingKeys.depth)
        public static let retiredAt = Column(CodingKeys.retiredAt)
    }
    public var frameworkID: String
    public var idNumber: String
    public var parentIDNumber: String?
    public var shortName: String
    public var description: String
    public var descriptionFormat: Int
    public var scaleValues: [String]
    public var scaleConfiguration: String
    public var ruleType: String
    public var ruleOutcome: Int
    public var ruleConfig: String
    public var relatedIDNumbers: [String]
    public var exportID: String
    /// Tree order inside the framework.
    public var position: Int
    /// 0 at the top level.
    public var depth: Int
    /// Set when the last import no longer had it: kept (and its page says so) so aligned badges stay valid.
    public var retiredAt: Date?

    /// The core value.
    public var competency: Competency {
        Competency(
            idNumber: idNumber, parentIDNumber: parentIDNumber, shortName: shortName, description: description,
            descriptionFormat: descriptionFormat, scaleValues: scaleValues, scaleConfiguration: scaleConfiguration,
            ruleType: ruleType, ruleOutcome: ruleOutcome, ruleConfig: ruleConfig, relatedIDNumbers: relatedIDNumbers,
            exportID: exportID)
    }

    /// A record for a core value at a place in the tree.
    public init(frameworkID: String, competency c: Competency, position: Int, depth: Int, retiredAt: Date? = nil) {
        self.frameworkID = frameworkID
        idNumber = c.idNumber
        parentIDNumber = c.parentIDNumber
        shortName = c.shortName
        description = c.description
        descriptionFormat = c.descriptionFormat
        scaleValues = c.scaleValues
        scaleConfiguration = c.scaleConfiguration
        ruleType = c.ruleType
        ruleOutcome = c.ruleOutcome
        ruleConfig = c.ruleConfig
        relatedIDNumbers = c.relatedIDNumbers
        exportID = c.exportID
        self.position = position
        self.depth = depth
        self.retiredAt = retiredAt
    }
}
