import Foundation
import GRDB

/// One outgoing e-mail in the durable queue. The whole RFC 5322 text is stored when queued, so its Message-ID
/// never changes between attempts. Life: `queued` → `sending` (claimed by the worker) → `sent` exactly once, or back
/// to `queued` with a later `nextAttemptAt`, or `failed` when the server refused it for good or attempts ran out.
public struct MailMessageRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "mailMessage"
    /// The table's columns, for the store's queries (`filter { $0.<column> == … }`, `order(\.<column>)`).
    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let sender = Column(CodingKeys.sender)
        public static let recipient = Column(CodingKeys.recipient)
        public static let subject = Column(CodingKeys.subject)
        public static let content = Column(CodingKeys.content)
        public static let status = Column(CodingKeys.status)
        public static let attempts = Column(CodingKeys.attempts)
        public static let createdAt = Column(CodingKeys.createdAt)
        public static let nextAttemptAt = Column(CodingKeys.nextAttemptAt)
        public static let claimedAt = Column(CodingKeys.claimedAt)
        public static let sentAt = Column(CodingKeys.sentAt)
        public static let lastError = Column(CodingKeys.lastError)
    }
    public static let queued = "queued"
    public static let sending = "sending"
    public static let sent = "sent"
    public static let failed = "failed"

    public var id: String
    /// The envelope sender (MAIL FROM).
    public var sender: String
    /// The envelope recipient (RCPT TO), normalised.
    public var recipient: String
    public var subject: String
    /// The whole message (headers, blank line, body) with CRLF line ends.
    public var content: String
    public var status: String
    public var attempts: Int
    public var createdAt: Date
    public var nextAttemptAt: Date
    public var claimedAt: Date?
    public var sentAt: Date?
    /// The last failure (never contains a password: SMTP errors name the step and the server's reply).
    public var lastError: String?

    /// A message ready to be sent now.
    public init(id: String, sender: String, recipient: String, subject: String, content: String, createdAt: Date) {
        self.id = id
        self.sender = sender
        self.recipient = recipient
        self.subject = subject
        self.content = content
        self.status = Self.queued
        self.attempts = 0
        self.createdAt = createdAt
        self.nextAttemptAt = createdAt
    }
}
