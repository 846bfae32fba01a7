import Foundation
import GRDB

extension AppDatabase {
    /// Queues a message (status `queued`, due at `nextAttemptAt`).
    public func enqueueMail(_ message: MailMessageRecord) async throws {
        try await writer.write { db in try message.insert(db) }
    }

    /// Queues several messages in one transaction (a bulk award's notifications).
    public func enqueueMails(_ messages: [MailMessageRecord]) async throws {
        guard !messages.isEmpty else { return }
        try await writer.write { db in
            for m in messages { try m.insert(db) }
        }
    }

    /// Claims the next due message for sending, in one transaction: the oldest `queued` one due by `now`, or one
    /// left `sending` since before `now - staleAfter` (its worker stopped without an answer: the server may not
    /// have received it). The claim counts an attempt. Nil when nothing is due.
    public func claimNextMail(now: Date = Date(), staleAfter: TimeInterval = 600) async throws -> MailMessageRecord? {
        try await writer.write { db in
            let staleBefore = now.addingTimeInterval(-staleAfter)
            typealias C = MailMessageRecord.Columns
            let waiting = C.status == MailMessageRecord.queued && C.nextAttemptAt <= now
            let abandoned = C.status == MailMessageRecord.sending && C.claimedAt < staleBefore
            let due = try MailMessageRecord.filter(waiting || abandoned)
                .order(C.nextAttemptAt, C.createdAt).fetchOne(db)
            guard var message = due else { return nil }
            message.status = MailMessageRecord.sending
            message.claimedAt = now
            message.attempts += 1
            try message.update(db)
            return message
        }
    }

    /// Marks a claimed message sent; false (and nothing changed) when it was not `sending` (already marked).
    @discardableResult
    public func markMailSent(id: String, now: Date = Date()) async throws -> Bool {
        try await writer.write { db in
            try MailMessageRecord.filter { $0.id == id && $0.status == MailMessageRecord.sending }
                .updateAll(
                    db, MailMessageRecord.Columns.status.set(to: MailMessageRecord.sent),
                    MailMessageRecord.Columns.sentAt.set(to: now), MailMessageRecord.Columns.lastError.set(to: nil))
                == 1
        }
    }

    /// Puts a claimed message back in the queue, due at `nextAttemptAt`, or marks it `failed` when `permanent`.
    public func markMailAttemptFailed(id: String, error: String, nextAttemptAt: Date, permanent: Bool) async throws {
        try await writer.write { db in
            _ = try MailMessageRecord.filter { $0.id == id && $0.status == MailMessageRecord.sending }
                .updateAll(
                    db,
                    MailMessageRecord.Columns.status.set(
                        to: permanent ? MailMessageRecord.failed : MailMessageRecord.queued),
                    MailMessageRecord.Columns.nextAttemptAt.set(to: nextAttemptAt),
                    MailMessageRecord.Columns.claimedAt.set(to: nil),
                    MailMessageRecord.Columns.lastError.set(to: String(error.prefix(1000))))
        }
    }

    /// Messages of the queue, oldest first, optionally of one status.
    public func mailMessages(status: String? = nil) async throws -> [MailMessageRecord] {
        try await writer.read { db in
            var request = MailMessageRecord.all()
            if let status { request = request.filter { $0.status == status } }
            return try request.order(MailMessageRecord.Columns.createdAt, MailMessageRecord.Columns.id).fetchAll(db)
        }
    }

    /// The earliest moment a `queued` message is due (nil when none is waiting).
    public func nextMailDue() async throws -> Date? {
        try await writer.read { db in
            try MailMessageRecord.filter { $0.status == MailMessageRecord.queued }.order(\.nextAttemptAt)
                .fetchOne(db)?.nextAttemptAt
        }
    }

    /// Deletes every queued or kept message to any of `addresses` (normalised), e.g. after an RGPD erasure.
    @discardableResult
    public func deleteMail(to addresses: [String]) async throws -> Int {
        guard !addresses.isEmpty else { return 0 }
        return try await writer.write { db in
            try MailMessageRecord.filter { addresses.contains($0.recipient) }.deleteAll(db)
        }
    }
}
