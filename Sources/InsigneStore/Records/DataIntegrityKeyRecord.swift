import Foundation
import GRDB

/// An issuer's Ed25519 key for OB 3.0 Data Integrity proofs (`eddsa-rdfc-2022`). The private key lives in the
/// keystore file, never in the database; retired keys stay published so old credentials still verify.
public struct DataIntegrityKeyRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "dataIntegrityKey"
    /// The table's columns, for the store's queries.
    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let issuerID = Column(CodingKeys.issuerID)
        public static let publicKeyMultibase = Column(CodingKeys.publicKeyMultibase)
        public static let privateKeyFile = Column(CodingKeys.privateKeyFile)
        public static let createdAt = Column(CodingKeys.createdAt)
        public static let retiredAt = Column(CodingKeys.retiredAt)
    }
    public var id: String
    public var issuerID: String
    /// The public key as a Multikey value (`z6Mk…`).
    public var publicKeyMultibase: String
    /// File name inside the keystore directory.
    public var privateKeyFile: String
    public var createdAt: Date
    /// Set when a newer key replaced it.
    public var retiredAt: Date?

    /// Creates a record.
    public init(
        id: String, issuerID: String, publicKeyMultibase: String, privateKeyFile: String, createdAt: Date,
        retiredAt: Date? = nil
    ) {
        self.id = id
        self.issuerID = issuerID
        self.publicKeyMultibase = publicKeyMultibase
        self.privateKeyFile = privateKeyFile
        self.createdAt = createdAt
        self.retiredAt = retiredAt
    }
}
