import Foundation
import GRDB

/// An issuer signing key. The private key lives in the keystore file, never in the database.
public struct SigningKeyRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "signingKey"
    /// The table's columns, for the store's queries (`filter { $0.<column> == … }`, `order(\.<column>)`).
    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let issuerID = Column(CodingKeys.issuerID)
        public static let algorithm = Column(CodingKeys.algorithm)
        public static let publicKeyPEM = Column(CodingKeys.publicKeyPEM)
        public static let privateKeyFile = Column(CodingKeys.privateKeyFile)
        public static let createdAt = Column(CodingKeys.createdAt)
        public static let retiredAt = Column(CodingKeys.retiredAt)
    }
    public var id: String
    public var issuerID: String
    public var algorithm: String
    public var publicKeyPEM: String
    /// File name inside the keystore directory.
    public var privateKeyFile: String
    public var createdAt: Date
    /// Set when a newer key replaced it; retired keys stay published so old badges still verify.
    public var retiredAt: Date?

    /// Creates a record.
    public init(
        id: String, issuerID: String, algorithm: String, publicKeyPEM: String, privateKeyFile: String, createdAt: Date,
        retiredAt: Date? = nil
    ) {
        self.id = id
        self.issuerID = issuerID
        self.algorithm = algorithm
        self.publicKeyPEM = publicKeyPEM
        self.privateKeyFile = privateKeyFile
        self.createdAt = createdAt
        self.retiredAt = retiredAt
    }
}
