import Foundation
import GRDB

/// An issuer (organisation or establishment). Public: its profile is hosted.
public struct IssuerRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "issuer"
    /// The table's columns, for the store's queries (`filter { $0.<column> == … }`, `order(\.<column>)`).
    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let parentID = Column(CodingKeys.parentID)
        public static let name = Column(CodingKeys.name)
        public static let url = Column(CodingKeys.url)
        public static let email = Column(CodingKeys.email)
        public static let description = Column(CodingKeys.description)
        public static let imageData = Column(CodingKeys.imageData)
        public static let imageType = Column(CodingKeys.imageType)
        public static let createdAt = Column(CodingKeys.createdAt)
    }
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
