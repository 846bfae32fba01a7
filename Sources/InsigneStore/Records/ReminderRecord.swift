import Foundation
import GRDB

/// One expiry reminder threshold of one award, done: sent to the holder on `day`, or `skipped` (a more urgent
/// threshold was due when the job ran, only that one was sent). The primary key (assertionID, threshold) makes
/// each reminder go out at most once.
public struct ReminderRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "reminder"
    /// The table's columns, for the store's queries.
    public enum Columns {
        public static let assertionID = Column(CodingKeys.assertionID)
        public static let threshold = Column(CodingKeys.threshold)
        public static let day = Column(CodingKeys.day)
        public static let skipped = Column(CodingKeys.skipped)
        public static let createdAt = Column(CodingKeys.createdAt)
    }
    public var assertionID: String
    /// Days before the expiry (90, 30, 7…).
    public var threshold: Int
    /// The UTC day of the run (`2029-09-08`): the trainers' digest of that day lists the reminders sent on it.
    public var day: String
    /// True when not sent because a more urgent threshold was due at the same run.
    public var skipped: Bool
    public var createdAt: Date

    /// Creates a record.
    public init(assertionID: String, threshold: Int, day: String, skipped: Bool, createdAt: Date) {
        self.assertionID = assertionID
        self.threshold = threshold
        self.day = day
        self.skipped = skipped
        self.createdAt = createdAt
    }
}

/// The digest of the reminders of one day, sent to one staff account (at most once per account and day).
public struct ReminderDigestRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "reminderDigest"
    /// The table's columns, for the store's queries.
    public enum Columns {
        public static let accountID = Column(CodingKeys.accountID)
        public static let day = Column(CodingKeys.day)
        public static let holders = Column(CodingKeys.holders)
        public static let createdAt = Column(CodingKeys.createdAt)
    }
    public var accountID: String
    /// The UTC day (`2029-09-08`).
    public var day: String
    /// How many holders the digest listed.
    public var holders: Int
    public var createdAt: Date

    /// Creates a record.
    public init(accountID: String, day: String, holders: Int, createdAt: Date) {
        self.accountID = accountID
        self.day = day
        self.holders = holders
        self.createdAt = createdAt
    }
}
