import Foundation
import GRDB

/// A badge class.
public struct BadgeClassRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "badgeClass"
    /// The table's columns, for the store's queries (`filter { $0.<column> == … }`, `order(\.<column>)`).
    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let issuerID = Column(CodingKeys.issuerID)
        public static let name = Column(CodingKeys.name)
        public static let description = Column(CodingKeys.description)
        public static let criteriaNarrative = Column(CodingKeys.criteriaNarrative)
        public static let criteriaURL = Column(CodingKeys.criteriaURL)
        public static let imageData = Column(CodingKeys.imageData)
        public static let imageType = Column(CodingKeys.imageType)
        public static let tags = Column(CodingKeys.tags)
        public static let alignment = Column(CodingKeys.alignment)
        public static let validity = Column(CodingKeys.validity)
        public static let reminderDays = Column(CodingKeys.reminderDays)
        public static let createdAt = Column(CodingKeys.createdAt)
        public static let archivedAt = Column(CodingKeys.archivedAt)
    }
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
    /// How long awards stay valid: an ISO 8601 duration in years, months, weeks, days (`P3Y`); nil: no expiry.
    public var validity: String?
    /// Days before expiry when holders and trainers are reminded, largest first (default 90, 30, 7).
    public var reminderDays: [Int]
    public var createdAt: Date
    /// When the badge class was archived: it still verifies and stays listed, but is no longer awarded.
    public var archivedAt: Date?

    /// True when the badge class is archived (no new awards).
    public var isArchived: Bool { archivedAt != nil }

    /// Creates a record.
    public init(
        id: String, issuerID: String, name: String, description: String, criteriaNarrative: String,
        criteriaURL: String? = nil, imageData: Data, imageType: String, tags: [String] = [],
        alignment: [AlignmentRecord] = [], validity: String? = nil, reminderDays: [Int] = [90, 30, 7],
        createdAt: Date,
        archivedAt: Date? = nil
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
        self.validity = validity
        self.reminderDays = reminderDays
        self.createdAt = createdAt
        self.archivedAt = archivedAt
    }
}
