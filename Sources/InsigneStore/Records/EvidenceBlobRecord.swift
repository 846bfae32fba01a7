import Foundation
import GRDB

/// Bytes of an evidence file, stored once by content (SHA-256); the file is `<data>/evidence/<2 hex>/<62 hex>`.
public struct EvidenceBlobRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "evidenceBlob"
    /// The table's columns, for the store's queries (`filter { $0.<column> == … }`, `order(\.<column>)`).
    public enum Columns {
        public static let sha256 = Column(CodingKeys.sha256)
        public static let size = Column(CodingKeys.size)
        public static let mediaType = Column(CodingKeys.mediaType)
        public static let createdAt = Column(CodingKeys.createdAt)
    }
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
