import Foundation
import GRDB

/// A tag from a piece of evidence to a competency of a framework.
public struct EvidenceAlignmentRecord: Codable, Sendable, Equatable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "evidenceAlignment"
    /// The table's columns, for the store's queries (`filter { $0.<column> == … }`, `order(\.<column>)`).
    public enum Columns {
        public static let evidenceID = Column(CodingKeys.evidenceID)
        public static let frameworkID = Column(CodingKeys.frameworkID)
        public static let competencyIDNumber = Column(CodingKeys.competencyIDNumber)
    }
    public var evidenceID: String
    public var frameworkID: String
    public var competencyIDNumber: String

    /// Creates a tag.
    public init(evidenceID: String, frameworkID: String, competencyIDNumber: String) {
        self.evidenceID = evidenceID
        self.frameworkID = frameworkID
        self.competencyIDNumber = competencyIDNumber
    }
}
