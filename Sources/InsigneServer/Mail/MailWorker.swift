import Foundation
import InsigneStore
import Logging
import OpenBadgesHTTP
import ServiceLifecycle

/// The background sender of the mail queue, started with the server (a `Service` of the application) and stopped
/// with it: claim the next due message → send it → mark it. A message is marked sent only after the server's 250
/// to its data, and marked in a task that the shutdown does not cancel; a refused message (5xx) is marked failed;
/// anything else (server down, timeout, 4xx) puts it back with an exponential backoff. A graceful shutdown lets the
/// message in flight finish and be marked, so a restart sends nothing twice; a crash between the server's 250 and
/// the mark is the only case where a message (same Message-ID) may go out again, after `staleAfter`.
struct MailWorker: Service {
    /// Hands one message to the server (the SMTP client; a stub in tests).
    typealias Transport = @Sendable (SMTPEnvelope) async throws -> Void

    let db: AppDatabase
    let transport: Transport
    var logger: Logger
    /// Seconds between two looks at an empty queue.
    var pollInterval: Double = 2
    /// First retry delay in seconds; doubled at each attempt, at most `maxDelay`.
    var baseDelay: Double = 30
    var maxDelay: Double = 3600
    /// Attempts before a message is given up (marked failed).
    var maxAttempts = 12
    /// A claim older than this (seconds) was left by a worker that stopped mid-send: the message is due again.
    var staleAfter: Double = 600

    init(db: AppDatabase, smtp: SMTPConfiguration, logger: Logger) {
        self.db = db
        let client = SMTPClient(configuration: smtp)
        transport = { envelope in _ = try await client.send(envelope) }
        self.logger = logger
    }

    init(db: AppDatabase, transport: @escaping Transport, logger: Logger) {
        self.db = db
        self.transport = transport
        self.logger = logger
    }

    /// Runs until the graceful shutdown (or cancellation).
    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let worked = (try? await sendNext()) ?? false
            if worked { continue }
            try? await cancelWhenGracefulShutdown {
                try await Task.sleep(nanoseconds: UInt64(pollInterval * 1_000_000_000))
            }
        }
    }

    /// Sends the next due message, if any; false when none was due.
    @discardableResult
    func sendNext(now: Date = Date()) async throws -> Bool {
        guard let message = try await db.claimNextMail(now: now, staleAfter: staleAfter) else { return false }
        let envelope = SMTPEnvelope(from: message.sender, recipients: [message.recipient], message: message.content)
        let outcome: Result<Void, Error>
        do {
            try await transport(envelope)
            outcome = .success(())
        } catch {
            outcome = .failure(error)
        }
        // Marked outside the caller's task: a shutdown or cancellation must not leave a delivered message unmarked.
        try await Task { try await record(outcome, for: message) }.value
        return true
    }

    private func record(_ outcome: Result<Void, Error>, for message: MailMessageRecord) async throws {
        switch outcome {
        case .success:
            try await db.markMailSent(id: message.id)
            logger.info("mail sent", metadata: ["id": "\(message.id)", "attempt": "\(message.attempts)"])
        case .failure(let error):
            let permanent = (error as? SMTPError)?.isPermanent == true || message.attempts >= maxAttempts
            let delay = min(maxDelay, baseDelay * pow(2, Double(max(0, message.attempts - 1))))
            try await db.markMailAttemptFailed(
                id: message.id, error: "\(error)", nextAttemptAt: Date().addingTimeInterval(delay),
                permanent: permanent)
            logger.warning(
                "mail not sent",
                metadata: [
                    "id": "\(message.id)", "attempt": "\(message.attempts)", "error": "\(error)",
                    "retry": "\(permanent ? "no" : "in \(Int(delay)) s")",
                ])
        }
    }
}
