import Foundation
import GRDB

/// One of a learner's email addresses (normalised). Badges issued to a verified address show in their backpack.
public struct LearnerEmailRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "learnerEmail"
    public var accountID: String
    public var email: String
    public var verifiedAt: Date?
    /// SHA-256 of the confirmation token while unverified.
    public var verificationTokenHash: String?
    public var createdAt: Date

    /// Creates a record.
    public init(
        accountID: String, email: String, verifiedAt: Date?, verificationTokenHash: String? = nil, createdAt: Date
    ) {
        self.accountID = accountID
        self.email = email
        self.verifiedAt = verifiedAt
        self.verificationTokenHash = verificationTokenHash
        self.createdAt = createdAt
    }
}

/// A badge kept in a learner's backpack that Insigne did not issue to them directly (imported, or pushed by a
/// Badge Connect client), with the verification report made when it arrived (and on each re-verification).
public struct BackpackBadgeRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "backpackBadge"
    /// How it came in.
    public enum Source: String, Codable, Sendable { case file, url, jws, badgeConnect }
    public var id: String
    public var learnerID: String
    public var source: Source
    public var assertionID: String
    public var jws: String?
    public var assertionJSON: String
    public var originalData: Data?
    public var originalType: String?
    public var badgeName: String
    public var issuerName: String
    public var issuedOn: String?
    /// `VerificationOutcome` raw value of the last verification.
    public var outcome: String
    public var reportJSON: String
    public var verifiedAt: Date
    public var createdAt: Date
    public var updatedAt: Date

    /// Creates a record.
    public init(
        id: String, learnerID: String, source: Source, assertionID: String, jws: String?, assertionJSON: String,
        originalData: Data?, originalType: String?, badgeName: String, issuerName: String, issuedOn: String?,
        outcome: String, reportJSON: String, verifiedAt: Date, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.learnerID = learnerID
        self.source = source
        self.assertionID = assertionID
        self.jws = jws
        self.assertionJSON = assertionJSON
        self.originalData = originalData
        self.originalType = originalType
        self.badgeName = badgeName
        self.issuerName = issuerName
        self.issuedOn = issuedOn
        self.outcome = outcome
        self.reportJSON = reportJSON
        self.verifiedAt = verifiedAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// A learner's backpack settings: the opt-in public page.
public struct BackpackSettingRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "backpackSetting"
    public var accountID: String
    /// Random slug of the public page; nil while private.
    public var publicSlug: String?
    public var publicSince: Date?

    /// Creates a record.
    public init(accountID: String, publicSlug: String? = nil, publicSince: Date? = nil) {
        self.accountID = accountID
        self.publicSlug = publicSlug
        self.publicSince = publicSince
    }
}

/// A Badge Connect client registered with RFC 7591; its secret is stored as a SHA-256.
public struct OAuthClientRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "oauthClient"
    public var id: String
    public var secretHash: String
    public var metadataJSON: String
    public var redirectURIs: [String]
    public var scopes: String
    public var createdAt: Date

    /// Creates a record.
    public init(
        id: String, secretHash: String, metadataJSON: String, redirectURIs: [String], scopes: String, createdAt: Date
    ) {
        self.id = id
        self.secretHash = secretHash
        self.metadataJSON = metadataJSON
        self.redirectURIs = redirectURIs
        self.scopes = scopes
        self.createdAt = createdAt
    }
}

/// A one-time authorisation code (PKCE S256), stored as a SHA-256.
public struct OAuthCodeRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "oauthCode"
    public var codeHash: String
    public var clientID: String
    public var accountID: String
    public var redirectURI: String
    public var scopes: String
    public var codeChallenge: String
    public var expiresAt: Date
    public var usedAt: Date?

    /// Creates a record.
    public init(
        codeHash: String, clientID: String, accountID: String, redirectURI: String, scopes: String,
        codeChallenge: String, expiresAt: Date, usedAt: Date? = nil
    ) {
        self.codeHash = codeHash
        self.clientID = clientID
        self.accountID = accountID
        self.redirectURI = redirectURI
        self.scopes = scopes
        self.codeChallenge = codeChallenge
        self.expiresAt = expiresAt
        self.usedAt = usedAt
    }
}

/// An access or refresh token, stored as a SHA-256; tokens of one consent share a grant id.
public struct OAuthTokenRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "oauthToken"
    /// Token kinds.
    public enum Kind: String, Codable, Sendable { case access, refresh }
    public var tokenHash: String
    public var kind: Kind
    public var clientID: String
    public var accountID: String
    public var scopes: String
    public var grantID: String
    public var createdAt: Date
    public var expiresAt: Date
    public var revokedAt: Date?

    /// Creates a record.
    public init(
        tokenHash: String, kind: Kind, clientID: String, accountID: String, scopes: String, grantID: String,
        createdAt: Date, expiresAt: Date, revokedAt: Date? = nil
    ) {
        self.tokenHash = tokenHash
        self.kind = kind
        self.clientID = clientID
        self.accountID = accountID
        self.scopes = scopes
        self.grantID = grantID
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
    }
}
