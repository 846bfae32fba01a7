import Foundation
import GRDB

/// The OB 3.0 form of an award: the signed bytes, made once (at award time or on request) and served as they are.
public struct OB3CredentialRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "ob3Credential"
    /// The table's columns.
    public enum Columns {
        public static let assertionID = Column(CodingKeys.assertionID)
        public static let json = Column(CodingKeys.json)
        public static let jwt = Column(CodingKeys.jwt)
        public static let createdAt = Column(CodingKeys.createdAt)
    }
    /// The award (`assertion.id`).
    public var assertionID: String
    /// The credential with its Data Integrity proof (`eddsa-rdfc-2022`), as signed.
    public var json: String
    /// The VC-JWT (RS256).
    public var jwt: String
    public var createdAt: Date

    /// Creates a record.
    public init(assertionID: String, json: String, jwt: String, createdAt: Date) {
        self.assertionID = assertionID
        self.json = json
        self.jwt = jwt
        self.createdAt = createdAt
    }
}
