import Foundation
import Testing

@testable import InsigneStore

/// The mail queue: claim → mark, each message claimed by one worker at a time, sent once, retried when due,
/// reclaimed only when its claim is stale.
@Suite("Mail store")
struct MailStoreTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func message(_ id: String, to recipient: String = "lea@example.org", at: Date = now) -> MailMessageRecord {
        MailMessageRecord(
            id: id, sender: "ne-pas-repondre@example.fr", recipient: recipient, subject: "Sujet",
            content: "To: <\(recipient)>\r\n\r\nBonjour\r\n", createdAt: at)
    }

    @Test("claim takes the oldest due message once; marking it sent twice changes nothing")
    func claimAndMark() async throws {
        let db = try AppDatabase.inMemory()
        try await db.enqueueMail(Self.message("b", at: Self.now.addingTimeInterval(1)))
        try await db.enqueueMail(Self.message("a"))
        try await db.enqueueMail(Self.message("later", at: Self.now.addingTimeInterval(3600)))
        let first = try #require(try await db.claimNextMail(now: Self.now.addingTimeInterval(5)))
        #expect(first.id == "a" && first.status == MailMessageRecord.sending && first.attempts == 1)
        let second = try #require(try await db.claimNextMail(now: Self.now.addingTimeInterval(5)))
        #expect(second.id == "b")
        #expect(try await db.claimNextMail(now: Self.now.addingTimeInterval(5)) == nil)  // "later" is not due
        #expect(try await db.markMailSent(id: "a", now: Self.now))
        #expect(try await !db.markMailSent(id: "a", now: Self.now))
        let sent = try await db.mailMessages(status: MailMessageRecord.sent)
        #expect(sent.map(\.id) == ["a"])
        #expect(sent.first?.sentAt == Self.now)
    }

    @Test("a failed attempt comes back when due; a permanent one is failed; a stale claim is reclaimed")
    func retries() async throws {
        let db = try AppDatabase.inMemory()
        try await db.enqueueMail(Self.message("m"))
        try await db.enqueueMail(Self.message("n"))
        _ = try await db.claimNextMail(now: Self.now)
        try await db.markMailAttemptFailed(
            id: "m", error: "SMTP connection: refused", nextAttemptAt: Self.now.addingTimeInterval(60),
            permanent: false)
        let n = try #require(try await db.claimNextMail(now: Self.now.addingTimeInterval(1)))
        #expect(n.id == "n")
        #expect(try await db.claimNextMail(now: Self.now.addingTimeInterval(30)) == nil)
        let again = try #require(try await db.claimNextMail(now: Self.now.addingTimeInterval(61)))
        #expect(again.id == "m" && again.attempts == 2 && again.lastError == "SMTP connection: refused")
        try await db.markMailAttemptFailed(id: "m", error: "550 no such user", nextAttemptAt: Self.now, permanent: true)
        #expect(try await db.mailMessages(status: MailMessageRecord.failed).map(\.id) == ["m"])
        // "n" stays claimed: not reclaimed before its claim is stale, then reclaimed once.
        #expect(try await db.claimNextMail(now: Self.now.addingTimeInterval(100), staleAfter: 600) == nil)
        let stale = try #require(try await db.claimNextMail(now: Self.now.addingTimeInterval(700), staleAfter: 600))
        #expect(stale.id == "n" && stale.attempts == 2)
    }

    @Test("erasure deletes the messages to the erased addresses only")
    func erasure() async throws {
        let db = try AppDatabase.inMemory()
        try await db.enqueueMail(Self.message("1", to: "lea@example.org"))
        try await db.enqueueMail(Self.message("2", to: "sam@example.org"))
        #expect(try await db.deleteMail(to: ["lea@example.org"]) == 1)
        #expect(try await db.mailMessages().map(\.recipient) == ["sam@example.org"])
    }
}
