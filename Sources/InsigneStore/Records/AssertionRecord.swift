import Foundation
import GRDB

/// An issuer (organisation or establishment). Public: its profile is hosted.
public struct IssuerRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "issuer"
    /// Stable slug used in URLs.
    public var id: String
    /// The parent organisation, for an establishment.
    public var parentID: String?
    public var name: String
    public var url: String
    public var email: String
    public var description: String?
    public var imageData: Data?
    public var imageType: String?
    public var createdAt: Date

    /// Creates a record.
    public init(
        id: String, parentID: String? = nil, name: String, url: String, email: String, description: String? = nil,
        imageData: Data? = nil, imageType: String? = nil, createdAt: Date
    ) {
        self.id = id
        self.parentID = parentID
        self.name = name
        self.url = url
        self.email = email
        self.description = description
        self.imageData = imageData
        self.imageType = imageType
        self.createdAt = createdAt
    }
}

/// An issuer signing key. The private key lives in the keystore file, never in the database.
public struct SigningKeyRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "signingKey"
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

/// A badge class.
public struct BadgeClassRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "badgeClass"
    public var id: String
    public var issuerID: String
    public var name: String
    public var description: String
    public var criteriaNarrative: String
    public var criteriaURL: String?
    /// The validated carrier image (PNG or sanitised SVG).
    public var imageData: Data
    /// `png` or `svg`.
    public var imageType: String
    public var tags: [String]
    public var alignment: [AlignmentRecord]
    /// Default validity of awarded badges, in days.
    public var validityDays: Int?
    public var createdAt: Date

    /// Creates a record.
    public init(
        id: String, issuerID: String, name: String, description: String, criteriaNarrative: String,
        criteriaURL: String? = nil, imageData: Data, imageType: String, tags: [String] = [],
        alignment: [AlignmentRecord] = [], validityDays: Int? = nil, createdAt: Date
    ) {
        self.id = id
        self.issuerID = issuerID
        self.name = name
        self.description = description
        self.criteriaNarrative = criteriaNarrative
        self.criteriaURL = criteriaURL
        self.imageData = imageData
        self.imageType = imageType
        self.tags = tags
        self.alignment = alignment
        self.validityDays = validityDays
        self.createdAt = createdAt
    }
}

/// One competency a badge class aligns to.
public struct AlignmentRecord: Codable, Sendable, Equatable {
    public var targetName: String
    public var targetUrl: String
    public var targetDescription: String?
    public var targetFramework: String?
    public var targetCode: String?

    /// Creates an alignment.
    public init(
        targetName: String, targetUrl: String, targetDescription: String? = nil, targetFramework: String? = nil,
        targetCode: String? = nil
    ) {
        self.targetName = targetName
        self.targetUrl = targetUrl
        self.targetDescription = targetDescription
        self.targetFramework = targetFramework
        self.targetCode = targetCode
    }
}

/// One piece of evidence attached to an assertion.
public struct EvidenceRecord: Codable, Sendable, Equatable {
    public var id: String?
    public var name: String?
    public var narrative: String?
    public var description: String?
    public var genre: String?

    /// Creates evidence.
    public init(
        id: String? = nil, name: String? = nil, narrative: String? = nil, description: String? = nil,
        genre: String? = nil
    ) {
        self.id = id
        self.name = name
        self.narrative = narrative
        self.description = description
        self.genre = genre
    }
}

/// An awarded badge. The JWS is the source of truth; the other columns index it.
public struct AssertionRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "assertion"
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

/// A person who signs in (trainer, issuer staff, admin).
public struct AccountRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "account"
    /// Roles: `admin` sees everything; `staff` is limited to its issuer (trainers, reviewers); `learner` keeps a
    /// portfolio of evidence (VAE candidates, stagiaires).
    public enum Role: String, Codable, Sendable { case admin, staff, learner }
    public var id: String
    public var login: String
    public var displayName: String
    /// scrypt hash (`scrypt$N$r$p$salt$hash`), nil for token-only accounts.
    public var passwordHash: String?
    public var role: Role
    public var issuerID: String?
    public var createdAt: Date
    /// A learner's email (badges are awarded to it); private.
    public var email: String?
    /// Set when the person's data was erased (RGPD): the row stays as a tombstone, emptied.
    public var erasedAt: Date?

    /// Creates a record.
    public init(
        id: String, login: String, displayName: String, passwordHash: String?, role: Role, issuerID: String?,
        createdAt: Date, email: String? = nil, erasedAt: Date? = nil
    ) {
        self.email = email
        self.erasedAt = erasedAt
        self.id = id
        self.login = login
        self.displayName = displayName
        self.passwordHash = passwordHash
        self.role = role
        self.issuerID = issuerID
        self.createdAt = createdAt
    }
}

/// An API bearer token, stored as its SHA-256 only.
public struct APITokenRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "apiToken"
    public var tokenHash: String
    public var accountID: String
    public var label: String
    public var createdAt: Date

    /// Creates a record.
    public init(tokenHash: String, accountID: String, label: String, createdAt: Date) {
        self.tokenHash = tokenHash
        self.accountID = accountID
        self.label = label
        self.createdAt = createdAt
    }
}

/// A browser session, stored as the SHA-256 of its cookie value.
public struct WebSessionRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "webSession"
    public var tokenHash: String
    public var accountID: String
    public var csrfToken: String
    public var expiresAt: Date

    /// Creates a record.
    public init(tokenHash: String, accountID: String, csrfToken: String, expiresAt: Date) {
        self.tokenHash = tokenHash
        self.accountID = accountID
        self.csrfToken = csrfToken
        self.expiresAt = expiresAt
    }
}

/// Who did what, when (revocations, awards, sign-ins, erasures).
public struct AuditEventRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "auditEvent"
    public var id: Int64?
    public var at: Date
    public var actor: String
    public var action: String
    public var subject: String
    public var detail: String?

    /// Creates an event.
    public init(at: Date, actor: String, action: String, subject: String, detail: String? = nil) {
        self.at = at
        self.actor = actor
        self.action = action
        self.subject = subject
        self.detail = detail
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// A key/value setting (e.g. "seeded").
public struct SettingRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "setting"
    public var key: String
    public var value: String

    /// Creates a setting.
    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}
