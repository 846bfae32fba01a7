import CompetencyFrameworks
import Foundation
import GRDB

/// A stored competency framework (its tree lives in `CompetencyRecord`). Public: hosted as pages and JSON.
public struct FrameworkRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "framework"
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

/// One competency of a stored framework.
public struct CompetencyRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "competency"
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
