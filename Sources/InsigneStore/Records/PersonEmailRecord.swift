import Foundation
import GRDB

/// One e-mail address of a person on a roster, normalised (`EmailNormalization`); within one establishment an
/// address belongs to one person at most. Awards are matched to people through these addresses.
public struct PersonEmailRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "personEmail"
    /// The table's columns, for the store's queries.
    public enum Columns {
        public static let personID = Column(CodingKeys.personID)
        public static let issuerID = Column(CodingKeys.issuerID)
        public static let email = Column(CodingKeys.email)
        public static let position = Column(CodingKeys.position)
    }
    public var personID: String
    /// The person's establishment (for the one-person-per-address rule).
    public var issuerID: String
    /// Normalised.
    public var email: String
    /// 0 for the main address, then the extra ones in order.
    public var position: Int

    /// Creates a record.
    public init(personID: String, issuerID: String, email: String, position: Int) {
        self.personID = personID
        self.issuerID = issuerID
        self.email = email
        self.position = position
    }
}
