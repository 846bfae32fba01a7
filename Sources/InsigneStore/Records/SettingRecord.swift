import Foundation
import GRDB

/// A key/value setting (e.g. "seeded").
public struct SettingRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "setting"
    /// The table's columns, for the store's queries (`filter { $0.<column> == … }`, `order(\.<column>)`).
    public enum Columns {
        public static let key = Column(CodingKeys.key)
        public static let value = Column(CodingKeys.value)
    }
    public var key: String
    public var value: String

    /// Creates a setting.
    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}
