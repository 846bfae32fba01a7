import Foundation
import InsigneStore
import Logging
import OpenBadgesHTTP
import Testing

@testable import InsigneServer

/// The `Mailer` (outbox without SMTP, the queue with it) and the `MailWorker`'s claim → send → mark with a stub
/// transport: retries with backoff, each message sent once, refusals given up.
@Suite("Mailer")
struct MailerTests {
    /// Records what the stub transport was given; fails the first `failures` calls.
    final class StubServer: @unchecked Sendable {
        private let lock = NSLock()
        private var failuresLeft: Int
        private let error: SMTPError
        private(set) var delivered: [SMTPEnvelope] = []
        private(set) var calls = 0
        init(failures: Int = 0, error: SMTPError = SMTPError(.connection, "connection refused")) {
            failuresLeft = failures
            self.error = error
        }
        func deliver(_ envelope: SMTPEnvelope) throws {
            lock.lock()
            defer { lock.unlock() }
            calls += 1
            if failuresLeft > 0 {
                failuresLeft -= 1
                throw error
            }
            delivered.append(envelope)
        }
    }

    static func harness(smtp: Bool) async throws -> WebHarness {
        try await WebHarness.make {
            if smtp { $0.smtpURL = "smtp://127.0.0.1:2525" }
            $0.mailFrom = "badges@ifsi.example.fr"
        }
    }

    static func worker(_ db: AppDatabase, _ server: StubServer) -> MailWorker {
        var w = MailWorker(db: db, transport: { try server.deliver($0) }, logger: Logger(label: "test"))
        w.baseDelay = 0
        w.maxAttempts = 4
        return w
    }

    @Test("without SMTP the message is written to the outbox and the caller is told where")
    func outbox() async throws {
        let h = try await Self.harness(smtp: false)
        let delivery = try await h.services.mailer.send(
            MailMessage(to: "lea@example.org", subject: "Été", body: "Bonjour"))
        guard case .outbox(let path) = delivery else {
            Issue.record("not the outbox")
            return
        }
        #expect(path.hasPrefix(h.outbox.path))
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("From: Insigne <badges@ifsi.example.fr>"))
        #expect(try await h.services.db.mailMessages().isEmpty)
        #expect(Mailer.note(delivery, to: "lea@example.org").fr.contains(path))
    }

    @Test("with SMTP the message is queued, then sent once although the server was down at first")
    func queueAndRetry() async throws {
        let h = try await Self.harness(smtp: true)
        let delivery = try await h.services.mailer.send(
            MailMessage(to: "Lea@Example.org", subject: "Été", body: "Bonjour"))
        guard case .queued(let id) = delivery else {
            Issue.record("not queued")
            return
        }
        #expect(!FileManager.default.fileExists(atPath: h.outbox.path))
        let server = StubServer(failures: 2)
        let worker = Self.worker(h.services.db, server)
        for _ in 0..<5 { try await worker.sendNext() }
        #expect(server.calls == 3)
        #expect(server.delivered.count == 1)
        let envelope = try #require(server.delivered.first)
        #expect(envelope.recipients == ["lea@example.org"] && envelope.from == "badges@ifsi.example.fr")
        #expect(envelope.message.contains("Message-ID: <\(id)@ifsi.example.fr>"))
        let stored = try await h.services.db.mailMessages()
        #expect(stored.map(\.status) == [MailMessageRecord.sent] && stored.first?.attempts == 3)
    }

    @Test("a refusal (5xx) is given up at once; repeated failures after maxAttempts")
    func givingUp() async throws {
        let h = try await Self.harness(smtp: true)
        try await h.services.mailer.send(MailMessage(to: "a@example.org", subject: "s", body: "b"))
        let refusing = StubServer(failures: 10, error: SMTPError(.rejected, "RCPT TO: 550 no such user", code: 550))
        for _ in 0..<3 { try await Self.worker(h.services.db, refusing).sendNext() }
        #expect(refusing.calls == 1)
        try await h.services.mailer.send(MailMessage(to: "b@example.org", subject: "s", body: "b"))
        let down = StubServer(failures: 10)
        for _ in 0..<10 { try await Self.worker(h.services.db, down).sendNext() }
        #expect(down.calls == 4)
        #expect(try await h.services.db.mailMessages(status: MailMessageRecord.failed).count == 2)
    }

    @Test("a bad INSIGNE_SMTP_URL or INSIGNE_MAIL_FROM stops the start without showing the password")
    func badConfiguration() async throws {
        do {
            _ = try await WebHarness.make { $0.smtpURL = "smtp://u:hunter22@host?starttls=sometimes" }
            Issue.record("started")
        } catch let error as ServiceError {
            #expect(error.field == "INSIGNE_SMTP_URL")
            #expect(!"\(error)".contains("hunter22"))
        }
        await #expect(throws: ServiceError.self) { _ = try await WebHarness.make { $0.mailFrom = "not-an-address" } }
    }
}
