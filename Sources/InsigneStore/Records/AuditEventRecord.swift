import Foundation
import GRDB

/// Who did what, when (revocations, awards, sign-ins, erasures).
public struct AuditEventRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "auditEvent"
    /// The table's columns, for the store's queries (`filter { $0.<column> == … }`, `order(\.<column>)`).
    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let at = Column(CodingKeys.at)
        public static let actor = Column(CodingKeys.actor)
        public static let action = Column(CodingKeys.action)
        public static let subject = Column(CodingKeys.subject)
        public static let detail = Column(CodingKeys.detail)
    }
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
