import Foundation
import InsigneStore
import OpenBadges
import OpenBadgesCrypto
import OpenBadgesHTTP

/// What features call to send an e-mail. With `INSIGNE_SMTP_URL` the message is rendered once and queued in the
/// database, and `MailWorker` hands it to the server; without it the message is written to `data/outbox/` for the
/// operator. Either way the caller gets a `Delivery` to tell the user where the message went.
struct Mailer: Sendable {
    /// Where a message went.
    enum Delivery: Sendable, Equatable {
        /// Queued for the SMTP server (sent within moments, retried while the server is unreachable).
        case queued(id: String)
        /// No SMTP server configured: written to this file of the outbox.
        case outbox(path: String)
    }

    let db: AppDatabase
    /// Nil: the outbox.
    let smtp: SMTPConfiguration?
    /// The envelope and `From:` address.
    let from: String
    let outbox: MailOutbox

    /// Parses the configuration; a bad `INSIGNE_SMTP_URL` or `INSIGNE_MAIL_FROM` stops the start with a clear
    /// message (never showing the password).
    init(configuration: ServerConfiguration, db: AppDatabase) throws {
        self.db = db
        outbox = MailOutbox(dataDirectory: configuration.dataDirectory)
        if let url = configuration.smtpURL, !url.isEmpty {
            do {
                smtp = try SMTPConfiguration(url: url)
            } catch {
                throw ServiceError(
                    .invalid, field: "INSIGNE_SMTP_URL", fr: "INSIGNE_SMTP_URL : \(error.message)",
                    en: "INSIGNE_SMTP_URL: \(error.message)")
            }
        } else {
            smtp = nil
        }
        let host = URL(string: configuration.publicURL)?.host ?? "localhost"
        from = configuration.mailFrom ?? "ne-pas-repondre@\(host == "127.0.0.1" ? "localhost" : host)"
        guard configuration.mailFrom.map(Validation.isEmail) ?? true else {
            throw ServiceError(
                .invalid, field: "INSIGNE_MAIL_FROM",
                fr: "INSIGNE_MAIL_FROM : une adresse électronique est attendue (ne-pas-repondre@exemple.fr).",
                en: "INSIGNE_MAIL_FROM: an e-mail address is expected (no-reply@example.org).")
        }
    }

    /// How messages leave: `queued` for the SMTP server, or `outbox`.
    var mode: String { smtp == nil ? "outbox" : "queued" }

    /// The domain of the `From:` address (Message-IDs end with it).
    var domain: String { String(from.split(separator: "@").last ?? "localhost") }

    /// Sends (queues, or writes to the outbox) one message.
    @discardableResult
    func send(_ message: MailMessage, now: Date = Date()) async throws -> Delivery {
        let id = try SecureRandom.hex(byteCount: 16)
        let text = try message.render(from: from, messageID: "\(id)@\(domain)", date: now)
        guard smtp != nil else {
            return .outbox(path: try outbox.write(text, now: now))
        }
        try await db.enqueueMail(
            MailMessageRecord(
                id: id, sender: from, recipient: EmailNormalization.normalize(message.to), subject: message.subject,
                content: text, createdAt: now))
        return .queued(id: id)
    }

    /// Sends several messages: with a mail server, queued in one transaction; else written to the outbox.
    func sendAll(_ messages: [MailMessage], now: Date = Date()) async throws -> [Delivery] {
        var records: [MailMessageRecord] = []
        var deliveries: [Delivery] = []
        for message in messages {
            let id = try SecureRandom.hex(byteCount: 16)
            let text = try message.render(from: from, messageID: "\(id)@\(domain)", date: now)
            guard smtp != nil else {
                deliveries.append(.outbox(path: try outbox.write(text, now: now)))
                continue
            }
            records.append(
                MailMessageRecord(
                    id: id, sender: from, recipient: EmailNormalization.normalize(message.to),
                    subject: message.subject, content: text, createdAt: now))
            deliveries.append(.queued(id: id))
        }
        try await db.enqueueMails(records)
        return deliveries
    }

    /// Removes every message kept for these addresses (queue and outbox), e.g. after an RGPD erasure.
    func removeMessages(to addresses: [String]) async throws {
        try await db.deleteMail(to: addresses.map(EmailNormalization.normalize))
        outbox.removeMessages(to: addresses)
    }

    /// What a page says after sending to `address`: sent, or, without SMTP, where the operator finds it.
    static func note(_ delivery: Delivery, to address: String) -> LocalizedText {
        switch delivery {
        case .queued:
            return LocalizedText(fr: "Un message a été envoyé à \(address).", en: "A message was sent to \(address).")
        case .outbox(let path):
            return LocalizedText(
                fr:
                    "Aucun serveur de courrier n'est configuré : le message pour \(address) a été déposé dans \(path) (à transmettre par l'exploitant).",
                en:
                    "No mail server is configured: the message for \(address) was written to \(path) (for the operator to pass on)."
            )
        }
    }
}
