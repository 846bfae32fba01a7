import Foundation
import GRDB

/// A learner's backpack settings: the opt-in public page.
public struct BackpackSettingRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "backpackSetting"
    /// The table's columns, for the store's queries (`filter { $0.<column> == … }`, `order(\.<column>)`).
    public enum Columns {
        public static let accountID = Column(CodingKeys.accountID)
        public static let publicSlug = Column(CodingKeys.publicSlug)
        public static let publicSince = Column(CodingKeys.publicSince)
    }
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
