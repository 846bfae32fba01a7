import Foundation
import GRDB

/// An awarded badge. The JWS is the source of truth; the other columns index it.
public struct AssertionRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "assertion"
    /// The table's columns, for the store's queries (`filter { $0.<column> == … }`, `order(\.<column>)`).
    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let badgeClassID = Column(CodingKeys.badgeClassID)
        public static let signingKeyID = Column(CodingKeys.signingKeyID)
        public static let recipientEmail = Column(CodingKeys.recipientEmail)
        public static let recipientName = Column(CodingKeys.recipientName)
        public static let recipientSalt = Column(CodingKeys.recipientSalt)
        public static let recipientIdentity = Column(CodingKeys.recipientIdentity)
        public static let issuedOn = Column(CodingKeys.issuedOn)
        public static let expires = Column(CodingKeys.expires)
        public static let narrative = Column(CodingKeys.narrative)
        public static let evidence = Column(CodingKeys.evidence)
        public static let jws = Column(CodingKeys.jws)
        public static let idempotencyKey = Column(CodingKeys.idempotencyKey)
        public static let createdBy = Column(CodingKeys.createdBy)
        public static let createdAt = Column(CodingKeys.createdAt)
        public static let revokedAt = Column(CodingKeys.revokedAt)
        public static let revokedBy = Column(CodingKeys.revokedBy)
        public static let revocationReason = Column(CodingKeys.revocationReason)
        public static let renewalOf = Column(CodingKeys.renewalOf)
        public static let renewedBy = Column(CodingKeys.renewedBy)
    }
    /// The UUID: the signed form's id is `urn:uuid:<id>`, the hosted form's id is its URL.
    public var id: String
    public var badgeClassID: String
    public var signingKeyID: String
    /// Private (admin search, notifications); never published.
    public var recipientEmail: String
    public var recipientName: String?
    public var recipientSalt: String
    /// `sha256$…` of the normalised email and the salt.
    public var recipientIdentity: String
    public var issuedOn: String
    public var expires: String?
    public var narrative: String?
    public var evidence: [EvidenceRecord]
    public var jws: String
    /// Given by the client or derived from the request: a retried award never creates a second assertion.
    public var idempotencyKey: String
    public var createdBy: String?
    public var createdAt: Date
    public var revokedAt: Date?
    public var revokedBy: String?
    public var revocationReason: String?
    /// The earlier award this one renews (same badge class, same recipient), if any.
    public var renewalOf: String?
    /// The later award that renews this one, if any (this one is not revoked: it expires on its own date).
    public var renewedBy: String?

    /// True once revoked.
    public var isRevoked: Bool { revokedAt != nil }

    /// Creates a record.
    public init(
        id: String, badgeClassID: String, signingKeyID: String, recipientEmail: String, recipientName: String?,
        recipientSalt: String, recipientIdentity: String, issuedOn: String, expires: String?, narrative: String?,
        evidence: [EvidenceRecord], jws: String, idempotencyKey: String, createdBy: String?, createdAt: Date
    ) {
        self.id = id
        self.badgeClassID = badgeClassID
        self.signingKeyID = signingKeyID
        self.recipientEmail = recipientEmail
        self.recipientName = recipientName
        self.recipientSalt = recipientSalt
        self.recipientIdentity = recipientIdentity
        self.issuedOn = issuedOn
        self.expires = expires
        self.narrative = narrative
        self.evidence = evidence
        self.jws = jws
        self.idempotencyKey = idempotencyKey
        self.createdBy = createdBy
        self.createdAt = createdAt
    }
}
