import Foundation
import GRDB

/// An index of an issuer's Bitstring status list reserved for one award (drawn at random, so that no index reveals
/// the order of issuance). No foreign key to the award: the index is reserved before the award is stored.
public struct StatusListEntryRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "statusListEntry"
    /// The table's columns, for the store's queries.
    public enum Columns {
        public static let issuerID = Column(CodingKeys.issuerID)
        public static let purpose = Column(CodingKeys.purpose)
        public static let listIndex = Column(CodingKeys.listIndex)
        public static let assertionID = Column(CodingKeys.assertionID)
        public static let createdAt = Column(CodingKeys.createdAt)
    }
    public var issuerID: String
    /// `revocation`.
    public var purpose: String
    /// The bit's position in the list (0 = most significant bit of the first byte).
    public var listIndex: Int
    public var assertionID: String
    public var createdAt: Date

    /// Creates a record.
    public init(issuerID: String, purpose: String, listIndex: Int, assertionID: String, createdAt: Date) {
        self.issuerID = issuerID
        self.purpose = purpose
        self.listIndex = listIndex
        self.assertionID = assertionID
        self.createdAt = createdAt
    }
}
