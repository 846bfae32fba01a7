import Foundation
import GRDB

/// An invitation link that creates a learner account; stored as the SHA-256 of its token.
public struct InvitationRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "invitation"
    public var tokenHash: String
    public var email: String
    public var displayName: String
    /// The account that invited.
    public var createdBy: String
    public var createdAt: Date
    public var expiresAt: Date
    public var acceptedAt: Date?
    /// The learner account created (or joined) when it was accepted.
    public var accountID: String?
    /// The issuer the learner is invited to (the inviting staff's issuer); nil: the site (an administrator's).
    public var issuerID: String?

    /// Creates a record.
    public init(
        tokenHash: String, email: String, displayName: String, createdBy: String, createdAt: Date, expiresAt: Date,
        acceptedAt: Date? = nil, accountID: String? = nil, issuerID: String? = nil
    ) {
        self.issuerID = issuerID
        self.tokenHash = tokenHash
        self.email = email
        self.displayName = displayName
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.acceptedAt = acceptedAt
        self.accountID = accountID
    }
}

/// A learner's enrolment with an issuer (created when the learner accepts that issuer's invitation).
///
/// Access model: a learner belongs to every issuer that enrolled them, and each issuer sees only what was shared
/// with it. Staff of an issuer see the learners enrolled with it, the invitations it sent, and the pieces submitted
/// to it (`EvidenceItemRecord.issuerID`); they review and cite only those. A learner invited by two issuers chooses,
/// when submitting, which one examines the pieces. Administrators see everything. The issuer hierarchy
/// (`IssuerRecord.parentID`) is a public description only: it grants no access.
public struct LearnerIssuerRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "learnerIssuer"
    public var learnerID: String
    public var issuerID: String
    public var createdAt: Date

    /// Creates a record.
    public init(learnerID: String, issuerID: String, createdAt: Date) {
        self.learnerID = learnerID
        self.issuerID = issuerID
        self.createdAt = createdAt
    }
}

/// Bytes of an evidence file, stored once by content (SHA-256); the file is `<data>/evidence/<2 hex>/<62 hex>`.
public struct EvidenceBlobRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "evidenceBlob"
    /// Lowercase hex SHA-256 of the bytes.
    public var sha256: String
    public var size: Int
    /// The sniffed media type (never the one the browser claimed).
    public var mediaType: String
    public var createdAt: Date

    /// Creates a record.
    public init(sha256: String, size: Int, mediaType: String, createdAt: Date) {
        self.sha256 = sha256
        self.size = size
        self.mediaType = mediaType
        self.createdAt = createdAt
    }
}

/// One piece of a learner's evidence: a file, a written narrative or a link. Private by default.
public struct EvidenceItemRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "evidence"
    /// Kinds of evidence.
    public enum Kind: String, Codable, Sendable { case file, narrative, link }
    /// Review states.
    public enum Status: String, Codable, Sendable { case draft, submitted, accepted, changesRequested }
    /// Random UUID; the public-looking URL `/evidence/<id>` still answers 404 to anyone not allowed.
    public var id: String
    public var learnerID: String
    public var kind: Kind
    public var title: String
    public var narrative: String?
    public var linkURL: String?
    public var blobSHA256: String?
    public var fileName: String?
    /// OB 2.0 evidence `genre` (e.g. "Rapport", "Photographie").
    public var genre: String?
    /// A short description (OB 2.0 evidence `description`).
    public var description: String?
    public var status: Status
    public var reviewComment: String?
    public var reviewedBy: String?
    public var reviewedAt: Date?
    public var submittedAt: Date?
    public var createdAt: Date
    public var updatedAt: Date
    /// The issuer the piece was submitted to for review (nil for drafts, and for learners of the site only): only
    /// that issuer's staff (and administrators) may read, review and cite it.
    public var issuerID: String?

    /// Creates a record.
    public init(
        id: String, learnerID: String, kind: Kind, title: String, narrative: String? = nil, linkURL: String? = nil,
        blobSHA256: String? = nil, fileName: String? = nil, genre: String? = nil, description: String? = nil,
        status: Status = .draft, createdAt: Date, updatedAt: Date, issuerID: String? = nil
    ) {
        self.issuerID = issuerID
        self.description = description
        self.id = id
        self.learnerID = learnerID
        self.kind = kind
        self.title = title
        self.narrative = narrative
        self.linkURL = linkURL
        self.blobSHA256 = blobSHA256
        self.fileName = fileName
        self.genre = genre
        self.status = status
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// A tag from a piece of evidence to a competency of a framework.
public struct EvidenceAlignmentRecord: Codable, Sendable, Equatable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "evidenceAlignment"
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

/// A revocable link a learner gives (e.g. to a jury) to open their evidence; stored as the SHA-256 of its token.
public struct ShareLinkRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "shareLink"
    public var tokenHash: String
    public var learnerID: String
    public var label: String
    public var createdAt: Date
    public var revokedAt: Date?

    /// Creates a record.
    public init(tokenHash: String, learnerID: String, label: String, createdAt: Date, revokedAt: Date? = nil) {
        self.tokenHash = tokenHash
        self.learnerID = learnerID
        self.label = label
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }
}

/// A learner's choice to publish one piece of evidence with the badges of one class: only then may an award of
/// that class name the piece and link to `/public-evidence/<token>`. Withdrawing closes the link.
public struct EvidencePublicationRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "evidencePublication"
    public var evidenceID: String
    public var badgeClassID: String
    /// 64 hex characters; the public URL's last segment.
    public var token: String
    public var createdAt: Date
    public var withdrawnAt: Date?

    /// Creates a record.
    public init(evidenceID: String, badgeClassID: String, token: String, createdAt: Date, withdrawnAt: Date? = nil) {
        self.evidenceID = evidenceID
        self.badgeClassID = badgeClassID
        self.token = token
        self.createdAt = createdAt
        self.withdrawnAt = withdrawnAt
    }
}
