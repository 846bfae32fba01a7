import Foundation
import GRDB

/// One piece of a learner's evidence: a file, a written narrative or a link. Private by default.
public struct EvidenceItemRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "evidence"
    /// The table's columns, for the store's queries (`filter { $0.<column> == … }`, `order(\.<column>)`).
    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let learnerID = Column(CodingKeys.learnerID)
        public static let kind = Column(CodingKeys.kind)
        public static let title = Column(CodingKeys.title)
        public static let narrative = Column(CodingKeys.narrative)
        public static let linkURL = Column(CodingKeys.linkURL)
        public static let blobSHA256 = Column(CodingKeys.blobSHA256)
        public static let fileName = Column(CodingKeys.fileName)
        public static let genre = Column(CodingKeys.genre)
        public static let description = Column(CodingKeys.description)
        public static let status = Column(CodingKeys.status)
        public static let reviewComment = Column(CodingKeys.reviewComment)
        public static let reviewedBy = Column(CodingKeys.reviewedBy)
        public static let reviewedAt = Column(CodingKeys.reviewedAt)
        public static let submittedAt = Column(CodingKeys.submittedAt)
        public static let createdAt = Column(CodingKeys.createdAt)
        public static let updatedAt = Column(CodingKeys.updatedAt)
        public static let issuerID = Column(CodingKeys.issuerID)
    }
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
